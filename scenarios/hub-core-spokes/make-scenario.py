#!/usr/bin/env python3
"""Writes scenario.json: N spokes on serial lines to provider-edge routers, the provider edges
joined through a core of P routers to one hub (or two), IKEv1 with pre-shared keys, a dynamic
crypto map at the hub, and one 200-byte datagram a second from every spoke's LAN host to a host
behind the hub and one back. README.md describes the network and the address plan.

usage: make-scenario.py [N] [--out FILE] [--hubs 1|2] [--per-pe K] [--p-routers P]
                        [--spread S] [--settle S] [--traffic T] [--size B] [--crypto fast|real]
                        [--per-server K] [--plain] [--show]

  N               spokes (default 10; at most 255 provider edges' worth)
  --out FILE      write FILE instead of scenario.json
  --hubs 2        two hubs on the same hub LAN; the spokes of odd-numbered provider edges have
                  HUB1 as their first peer and HUB2 as the second, the others the other way round
  --per-pe K      spokes per provider-edge router (default 200, at most 252)
  --p-routers P   core (P) routers, a full mesh (default 4)
  --spread S      seconds between one spoke's first packet and the next's (default 0.02)
  --settle S      seconds between the last spoke's first packet and the traffic (default 5)
  --traffic T     seconds of traffic, one datagram a second each way per spoke (default 30)
  --size B        UDP payload bytes (default 200)
  --per-server K  spokes per server behind the hub (default 250): server 1 is hq (10.0.0.10),
                  server S is hqS (10.0.S-1.10), each on a LAN of its own at the hub(s)
  --crypto MODE   "fast": the scenario key "crypto" (sizes and timing kept, nothing encrypted)
  --plain         no crypto map on any interface, and the provider routes the customer's
                  networks: the same network and packets, in the clear (for measuring what
                  IPsec costs)
  --show          the hubs run `show crypto isakmp sa` and `show crypto session` half a second
                  before the traffic starts (for small examples: the output grows with N)
"""
import argparse
import ipaddress
import json

ap = argparse.ArgumentParser(description="hub-core-spokes scenario generator")
ap.add_argument("n", nargs="?", type=int, default=10)
ap.add_argument("--out", default="scenario.json")
ap.add_argument("--hubs", type=int, choices=[1, 2], default=1)
ap.add_argument("--per-pe", type=int, default=200)
ap.add_argument("--p-routers", type=int, default=4)
ap.add_argument("--spread", type=float, default=0.02)
ap.add_argument("--settle", type=float, default=5.0)
ap.add_argument("--traffic", type=float, default=30.0)
ap.add_argument("--size", type=int, default=200)
ap.add_argument("--crypto", choices=["fast", "real"])
ap.add_argument("--per-server", type=int, default=250)
ap.add_argument("--plain", action="store_true")
ap.add_argument("--show", action="store_true")
args = ap.parse_args()

n = args.n
per_pe = args.per_pe
if n < 1:
    raise SystemExit("make-scenario.py: at least one spoke")
if not 1 <= per_pe <= 252:
    # 28 channelized T1s on each of 9 slots; the /22 of a provider edge holds 256 /30s.
    raise SystemExit("make-scenario.py: --per-pe must be 1 to 252")
pes = (n + per_pe - 1) // per_pe
if pes > 255:
    raise SystemExit(f"make-scenario.py: {pes} provider edges; at most 255 (raise --per-pe)")
if n > 64000:
    raise SystemExit("make-scenario.py: at most 64000 spokes")
if args.per_server < 1:
    raise SystemExit("make-scenario.py: --per-server must be at least 1")
servers = (n + args.per_server - 1) // args.per_server
if servers > 256:
    raise SystemExit(f"make-scenario.py: {servers} servers; at most 256 (raise --per-server)")
p_count = max(1, args.p_routers)

# ------------------------------------------------------------------------------ addresses
ACCESS = ipaddress.IPv4Address("100.64.0.0")  # 100.64.0.0/10: a /22 per provider edge
CORE = ipaddress.IPv4Address("100.127.0.0")  # 100.127.0.0/16: core links, one /30 each
M30 = "255.255.255.252"


def access30(pe, slot):
    """The /30 of slot `slot` (0-based) of provider edge `pe` (0: the hub site): PE .1, CPE .2"""
    base = ACCESS + pe * 1024 + slot * 4
    return str(base + 1), str(base + 2)


def pe_block(pe):
    return str(ACCESS + pe * 1024), "255.255.252.0"


core_links = 0


def core30():
    """The next core /30: its two ends."""
    global core_links
    base = CORE + core_links * 4
    core_links += 1
    return str(base + 1), str(base + 2)


def spoke_pe(k):
    return 1 + (k - 1) // per_pe


def spoke_slot(k):
    return (k - 1) % per_pe


def spoke_lan(k):
    """Spoke k's LAN, 10.PE.SLOT+1.0/24: a provider edge's spokes fall in its 10.PE.0.0/16."""
    return f"10.{spoke_pe(k)}.{spoke_slot(k) + 1}"


def pe_port(slot):
    """A channelized T3 port adapter's T1s, 28 to a slot: Serial1/0/1:0 ... Serial9/0/28:0."""
    return f"Serial{1 + slot // 28}/0/{1 + slot % 28}:0"


def server_of(k):
    """The server spoke k talks to, 1-based."""
    return 1 + (k - 1) // args.per_server


def server_name(v):
    return "hq" if v == 1 else f"hq{v}"


def server_lan_interface(v):
    """The hub's interface to server v's LAN."""
    return "GigabitEthernet0/0" if v == 1 else f"GigabitEthernet2/{v - 2}"


def primary_hub(k):
    return 1 if args.hubs == 1 or spoke_pe(k) % 2 == 1 else 2


def p_of_pe(pe):
    """The P router a provider edge hangs off (the hub site's PE0 on P1)."""
    return 1 + (pe - 1) % p_count if pe else 1


def hub_name(h):
    return "HUB" if args.hubs == 1 else f"HUB{h}"


crypto_map = [] if args.plain else [" crypto map vpn"]
policy = [
    "crypto isakmp policy 10",
    " encryption aes 128",
    " hash sha",
    " authentication pre-share",
    " group 2",
]

nodes, links, traffic = [], [], []


def serial_link(a, b, rate="1544kbps", delay="2ms"):
    links.append({"a": a, "b": b, "type": "serial", "rate": rate, "delay": delay})


def gig_link(a, b):
    # ns-3's Ethernet is a half-duplex bus, busy for a frame's transmission time plus the
    # propagation delay: at 1 ms a link would carry at most 1,000 frames a second, the hub's
    # fewer than its spokes send. The latency is in the access lines.
    links.append({"a": a, "b": b, "type": "ethernet", "rate": "1Gbps", "delay": "0.001ms"})


def interface(name, address, mask, extra=()):
    return ["!", f"interface {name}", f" ip address {address} {mask}"] + list(extra)


# ------------------------------------------------------------------------------ P routers
# Full mesh; P router i's interface to P router j is GigabitEthernet1/j, its interfaces to the
# provider edges GigabitEthernet2/0, 2/1, ...
p_cfg = {i: [f"hostname P{i}"] for i in range(1, p_count + 1)}
p_ports = {i: 0 for i in range(1, p_count + 1)}
mesh = {}  # (i, j) -> P router j's address on the i-j link
for i in range(1, p_count + 1):
    for j in range(i + 1, p_count + 1):
        ai, aj = core30()
        p_cfg[i] += interface(f"GigabitEthernet1/{j}", ai, M30)
        p_cfg[j] += interface(f"GigabitEthernet1/{i}", aj, M30)
        mesh[(i, j)], mesh[(j, i)] = aj, ai
        gig_link(f"P{i}:GigabitEthernet1/{j}", f"P{j}:GigabitEthernet1/{i}")

p_routes = {i: [] for i in range(1, p_count + 1)}


def attach_pe(pe, name, pe_cfg):
    """Joins provider edge `pe` to its P router; every P router learns its blocks."""
    p = p_of_pe(pe)
    port = p_ports[p]
    p_ports[p] += 1
    p_addr, pe_addr = core30()
    p_cfg[p] += interface(f"GigabitEthernet2/{port}", p_addr, M30)
    pe_cfg += interface("GigabitEthernet0/0", pe_addr, M30)
    gig_link(f"P{p}:GigabitEthernet2/{port}", f"{name}:GigabitEthernet0/0")
    blocks = [pe_block(pe)]
    if args.plain:
        blocks.append((f"10.{pe}.0.0", "255.255.0.0"))  # the customer's networks there
    for i in range(1, p_count + 1):
        via = pe_addr if i == p else mesh[(i, p)]
        p_routes[i] += [f"ip route {net} {mask} {via}" for net, mask in blocks]
    return p_addr


# ------------------------------------------------------------------------------ the hub site
hub_pe_cfg = ["hostname PE0"]
hub_pe_routes = []
for h in range(1, args.hubs + 1):
    name = hub_name(h)
    pe_addr, hub_addr = access30(0, h - 1)
    hub_pe_cfg += interface(f"GigabitEthernet1/{h - 1}", pe_addr, M30)
    cfg = [f"hostname {name}", "!"] + policy + [
        "crypto isakmp key Hub-And-Spoke address 0.0.0.0 0.0.0.0",
        "!",
        "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
        "!",
        "crypto dynamic-map spokes 10",
        " set transform-set ts",
        "!",
        "crypto map vpn 100 ipsec-isakmp dynamic spokes",
    ]
    for v in range(1, servers + 1):
        cfg += interface(server_lan_interface(v), f"10.0.{v - 1}.{h}", "255.255.255.0")
    cfg += interface("GigabitEthernet0/1", hub_addr, M30, crypto_map)
    cfg += ["!", f"ip route 0.0.0.0 0.0.0.0 {pe_addr}"]
    if h == 1 and args.hubs == 2:
        # The servers' gateway is HUB1: the LANs of HUB2's spokes (even provider edges) go on
        # to HUB2.
        cfg += [f"ip route 10.{pe}.0.0 255.255.0.0 10.0.0.2" for pe in range(2, pes + 1, 2)]
    nodes.append({"name": name, "config": cfg})
    gig_link(f"PE0:GigabitEthernet1/{h - 1}", f"{name}:GigabitEthernet0/1")
    for v in range(1, servers + 1):
        lan_peer = f"{server_name(v)}:eth0" if h == 1 else f"HUB1:{server_lan_interface(v)}"
        gig_link(f"{name}:{server_lan_interface(v)}", lan_peer)
    if args.plain and h == 1:
        hub_pe_routes.append(f"ip route 10.0.0.0 255.255.0.0 {hub_addr}")
p_addr = attach_pe(0, "PE0", hub_pe_cfg)
hub_pe_cfg += ["!", f"ip route 0.0.0.0 0.0.0.0 {p_addr}"] + hub_pe_routes
nodes.append({"name": "PE0", "config": hub_pe_cfg})
for v in range(1, servers + 1):
    nodes.append({"name": server_name(v), "kind": "host", "address": f"10.0.{v - 1}.10/24",
                  "gateway": f"10.0.{v - 1}.1"})
hub_wan = {h: access30(0, h - 1)[1] for h in range(1, args.hubs + 1)}

# ------------------------------------------------------------------------------ the spokes
steady_start = round(1 + args.spread * n + args.settle, 3)
stop = round(steady_start + args.traffic, 3)
rate = f"{args.size * 8}bps"  # one datagram a second
for pe in range(1, pes + 1):
    pe_name = f"PE{pe}"
    pe_cfg = [f"hostname {pe_name}"]
    pe_routes = []
    for k in range(1 + (pe - 1) * per_pe, min(n, pe * per_pe) + 1):
        name = f"S{k}"
        lan = spoke_lan(k)
        pe_addr, cpe_addr = access30(pe, spoke_slot(k))
        port = pe_port(spoke_slot(k))
        pe_cfg += interface(port, pe_addr, M30)
        if args.plain:
            pe_routes.append(f"ip route {lan}.0 255.255.255.0 {cpe_addr}")
        first = primary_hub(k)
        peers = [first] + [h for h in range(1, args.hubs + 1) if h != first]
        cfg = [f"hostname {name}", "!"] + policy
        cfg += [f"crypto isakmp key Hub-And-Spoke address {hub_wan[h]}" for h in peers]
        if args.hubs == 2:
            cfg.append("crypto isakmp keepalive 10 3")  # finds a dead first peer
        cfg += [
            "!",
            f"access-list 110 permit ip {lan}.0 0.0.0.255 10.0.0.0 0.0.255.255",
            "!",
            "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
            "!",
            "crypto map vpn 10 ipsec-isakmp",
            " match address 110",
            " set transform-set ts",
        ] + [f" set peer {hub_wan[h]}" for h in peers]
        cfg += interface("FastEthernet0/0", f"{lan}.1", "255.255.255.0")
        cfg += interface("Serial0/0", cpe_addr, M30, crypto_map)
        cfg += ["!", f"ip route 0.0.0.0 0.0.0.0 {pe_addr}"]
        nodes.append({"name": name, "config": cfg})
        nodes.append({"name": f"h{k}", "kind": "host", "address": f"{lan}.10/24",
                      "gateway": f"{lan}.1"})
        serial_link(f"{pe_name}:{port}", f"{name}:Serial0/0")
        links.append({"a": f"h{k}:eth0", "b": f"{name}:FastEthernet0/0", "type": "ethernet"})
        # The first echo request starts the spoke's IKE (and is lost: no SA yet); the second, a
        # second later, gets through, so every ARP cache on the way is filled before the
        # measured flows start, with crypto maps and without.
        start = round(1 + args.spread * (k - 1), 3)
        server, server_address = server_name(server_of(k)), f"10.0.{server_of(k) - 1}.10"
        traffic.append({"kind": "ping", "from": f"h{k}", "to": server_address, "count": 2,
                        "interval": "1s", "start": start})
        offset = (k - 1) / n  # the spokes' datagrams spread over each second
        for src, dst, dport in ((f"h{k}", server_address, 1024 + k),
                                (server, f"{lan}.10", 7000)):
            traffic.append({"kind": "udp", "from": src, "to": dst, "port": dport, "rate": rate,
                            "size": args.size, "start": round(steady_start + offset, 6),
                            "stop": stop})
    p_addr = attach_pe(pe, pe_name, pe_cfg)
    pe_cfg += ["!", f"ip route 0.0.0.0 0.0.0.0 {p_addr}"] + pe_routes
    nodes.append({"name": pe_name, "config": pe_cfg})
for i in range(1, p_count + 1):
    nodes.append({"name": f"P{i}", "config": p_cfg[i] + ["!"] + p_routes[i]})

hubs_text = "one hub" if args.hubs == 1 else "two hubs"
scenario = {
    "name": f"hub-core-spokes: {n} spokes through a provider core to {hubs_text}"
            + (", no crypto maps" if args.plain else ""),
    "comment": "Generated by make-scenario.py. Each spoke reaches its provider edge over a T1; "
               f"{pes} provider edges of up to {per_pe} spokes hang off a full mesh of {p_count} "
               "P routers, which hold one route per provider edge and none of the customer's "
               "networks. The hub knows none of its spokes: a wildcard pre-shared key and a "
               f"dynamic crypto map. Each spoke's host pings its server ({servers} behind the hub, "
               f"{args.per_server} spokes each) twice from 1 s + (K - 1) x "
               f"{args.spread:g} s, the first echo request starting the spoke's main mode and "
               f"quick mode; from {steady_start:g} s every spoke's host sends its server one "
               f"{args.size}-byte datagram a second and the server sends one back, for "
               f"{args.traffic:g} s.",
    "duration": round(stop + 1, 3),
    "seed": 1,
    "nodes": nodes,
    "links": links,
    "traffic": traffic,
}
if args.show and not args.plain:
    at = round(steady_start - 0.5, 3)
    scenario["events"] = [{"at": at, "node": hub_name(h), "exec": cmd}
                          for h in range(1, args.hubs + 1)
                          for cmd in ("show crypto isakmp sa", "show crypto session")]
if args.crypto:
    scenario["crypto"] = args.crypto
with open(args.out, "w") as f:
    json.dump(scenario, f, indent=1)
print(f"{args.out}: {n} spokes, {pes} provider edges, {p_count} P routers, {hubs_text}, "
      f"{servers} server(s)")
