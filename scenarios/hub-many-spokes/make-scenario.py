#!/usr/bin/env python3
"""Writes scenario.json: a hub with a dynamic crypto map and N spokes (default 16) on one
provider Ethernet segment, every configuration inline.

usage: make-scenario.py [N] [--out FILE] [--wide] [--spread S] [--traffic T] [--settle S]
                        [--rate-up R] [--rate-down R] [--size B] [--crypto fast|real] [--plain]

Without options (N aside) the scenario is the one described in README.md: spoke K's host starts
sending at 1 s + (K - 1) x 0.25 s, the hub LAN answers from 8 s, the run lasts 15 s.

The options make larger runs (bench/hub-scale.cc, bench/ipsec-cost.cc):
  --out FILE      write FILE instead of scenario.json
  --wide          provider segment 172.16.0.0/16 (hub 172.16.0.1, spoke K at 172.16.0.0 + 10 + K)
                  and spoke LANs 10.(K / 256).(K % 256).0/24, so up to 65 000 spokes fit; chosen
                  by itself beyond 244 spokes, where the default plan runs out of addresses
  --spread S      seconds between one spoke's first packet and the next's (default 0.25)
  --traffic T     steady traffic instead of the default timing: each spoke's host sends two
                  echo requests to hq from 1 s + (K - 1) x S, one second apart (the first starts
                  the spoke's IKE, the second makes hq resolve its gateway); once the
                  last spoke has started and --settle seconds more have passed, every spoke's host
                  sends to hq at --rate-up and hq to every spoke's host at --rate-down, for T
                  seconds (the start of each flow offset within one packet interval); the run
                  ends one second after the traffic
  --settle S      seconds between the last spoke's first packet and the traffic (default 5)
  --rate-up R, --rate-down R, --size B
                  per-spoke UDP rates and payload (default 16kbps, 8kbps, 200 bytes)
  --crypto MODE   "fast": the scenario key "crypto" (sizes and timing kept, nothing encrypted)
  --plain         no crypto map on any interface: the same network and packets, routed in
                  the clear (for measuring what IPsec costs)
"""
import argparse
import ipaddress
import json
import re


def rate_bps(text):
    m = re.fullmatch(r"([0-9.]+)\s*([kMG]?)bps", text)
    if not m:
        raise SystemExit(f"make-scenario.py: rate {text!r}: expected e.g. 1600bps, 16kbps, 1Mbps")
    return float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]


ap = argparse.ArgumentParser(description="hub-many-spokes scenario generator")
ap.add_argument("n", nargs="?", type=int, default=16)
ap.add_argument("--out", default="scenario.json")
ap.add_argument("--wide", action="store_true")
ap.add_argument("--spread", type=float, default=0.25)
ap.add_argument("--traffic", type=float)
ap.add_argument("--settle", type=float, default=5.0)
ap.add_argument("--rate-up", default="16kbps")
ap.add_argument("--rate-down", default="8kbps")
ap.add_argument("--size", type=int, default=200)
ap.add_argument("--crypto", choices=["fast", "real"])
ap.add_argument("--plain", action="store_true")
args = ap.parse_args()
n = args.n
if n < 1:
    raise SystemExit("make-scenario.py: at least one spoke")
wide = args.wide or n > 244
if wide and n > 65000:
    raise SystemExit("make-scenario.py: at most 65000 spokes")

if wide:
    provider = ipaddress.IPv4Network("172.16.0.0/16")
    provider_mask = "255.255.0.0"
    hub_wan = "172.16.0.1"

    def spoke_wan(k):
        return str(provider.network_address + 10 + k)

    def spoke_lan(k):
        return f"10.{k // 256}.{k % 256}"
else:
    provider_mask = "255.255.255.0"
    hub_wan = "192.0.2.1"

    def spoke_wan(k):
        return f"192.0.2.{10 + k}"

    def spoke_lan(k):
        return f"10.{k}.0"

crypto_map = [] if args.plain else [" crypto map vpn"]
policy = [
    "crypto isakmp policy 10",
    " encryption aes 128",
    " hash sha",
    " authentication pre-share",
    " group 2",
]
hub = ["hostname HUB", "!"] + policy + [
    "crypto isakmp key Hub-And-Spoke address 0.0.0.0 0.0.0.0",
    "crypto isakmp keepalive 10 3",
    "!",
    "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
    "!",
    "crypto dynamic-map spokes 10",
    " set transform-set ts",
    "!",
    "crypto map vpn 100 ipsec-isakmp dynamic spokes",
    "!",
    "interface FastEthernet0/0",
    " ip address 10.0.0.1 255.255.255.0",
    "!",
    "interface FastEthernet0/1",
    f" ip address {hub_wan} {provider_mask}",
] + crypto_map + [
    "!",
]
steady = args.traffic is not None
traffic_start = round(1 + args.spread * n + args.settle, 3) if steady else None
nodes, links, traffic = [], [], []
for k in range(1, n + 1):
    name = f"S{k}"
    lan = spoke_lan(k)
    hub.append(f"ip route {lan}.0 255.255.255.0 {spoke_wan(k)}")
    spoke = [f"hostname {name}", "!"] + policy + [
        f"crypto isakmp key Hub-And-Spoke address {hub_wan}",
        "!",
        f"access-list 110 permit ip {lan}.0 0.0.0.255 10.0.0.0 0.0.0.255",
        "!",
        "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
        "!",
        "crypto map vpn 10 ipsec-isakmp",
        " match address 110",
        " set transform-set ts",
        f" set peer {hub_wan}",
        "!",
        "interface FastEthernet0/0",
        f" ip address {lan}.1 255.255.255.0",
        "!",
        "interface FastEthernet0/1",
        f" ip address {spoke_wan(k)} {provider_mask}",
    ] + crypto_map + [
        "!",
        f"ip route 10.0.0.0 255.255.255.0 {hub_wan}",
    ]
    nodes.append({"name": name, "config": spoke})
    nodes.append({"name": f"h{k}", "kind": "host", "address": f"{lan}.10/24",
                  "gateway": f"{lan}.1"})
    links.append({"a": "HUB:FastEthernet0/1", "b": f"{name}:FastEthernet0/1", "type": "ethernet",
                  "rate": "100Mbps", "delay": "0.001ms"})
    links.append({"a": f"h{k}:eth0", "b": f"{name}:FastEthernet0/0", "type": "ethernet"})
    start = round(1 + args.spread * (k - 1), 3 if steady else 2)
    if not steady:
        traffic.append({"kind": "udp", "from": f"h{k}", "to": "10.0.0.10", "port": 6000 + k,
                        "rate": args.rate_up, "size": args.size, "start": start, "stop": 14})
        traffic.append({"kind": "udp", "from": "hq", "to": f"{lan}.10", "port": 7000 + k,
                        "rate": args.rate_down, "size": args.size,
                        "start": round(8 + 0.1 * k, 2), "stop": 14})
        continue
    # Steady traffic: the first echo request starts the spoke's IKE (and is lost, no SA yet);
    # the second, a second later, reaches hq, so hq has resolved its gateway's address before
    # the measured flows start, with crypto maps and without.
    traffic.append({"kind": "ping", "from": f"h{k}", "to": "10.0.0.10", "count": 2,
                    "interval": "1s", "start": start})
    stop = round(traffic_start + args.traffic, 3)
    for src, dst, port, rate in ((f"h{k}", "10.0.0.10", 10000 + k, args.rate_up),
                                 ("hq", f"{lan}.10", 10000 + k, args.rate_down)):
        interval = args.size * 8 / rate_bps(rate)
        offset = interval * (k - 1) / n
        traffic.append({"kind": "udp", "from": src, "to": dst, "port": port, "rate": rate,
                        "size": args.size, "start": round(traffic_start + offset, 6),
                        "stop": stop})
nodes.insert(0, {"name": "hq", "kind": "host", "address": "10.0.0.10/24", "gateway": "10.0.0.1"})
nodes.insert(0, {"name": "HUB", "config": hub, "platform": "7200-NPE-G1", "modules": ["SA-VAM2+"]})
links.insert(0, {"a": "hq:eth0", "b": "HUB:FastEthernet0/0", "type": "ethernet"})
scenario = {
    "name": f"hub-many-spokes: one hub, {n} spokes, a dynamic crypto map",
    "comment": "Generated by make-scenario.py. The hub knows none of its spokes: a wildcard pre-shared "
               "key and a dynamic map. Each spoke's first packet to the hub LAN starts its main "
               "mode and quick mode, a quarter second after the previous spoke's; the hub LAN "
               "answers every spoke from 8 s, over the SAs the spokes made. The hub is a 7200 with an SA-VAM2+: its IKE SAs and tunnels go to the card.",
    "duration": 15,
    "seed": 1,
    "nodes": nodes,
    "links": links,
    "traffic": traffic,
    "events": [
        {"at": 7, "node": "HUB", "exec": "show crypto isakmp sa"},
        {"at": 7, "node": "HUB", "exec": "show crypto session"},
        {"at": 14.5, "node": "HUB", "exec": "show crypto engine connections active"},
    ],
}
if steady:
    scenario["name"] += f", {args.traffic:g} s of steady traffic"
    scenario["comment"] = (
        "Generated by make-scenario.py with --traffic. Each spoke's host sends two echo requests "
        f"to hq, {args.spread:g} s after the previous spoke's, the first of which starts the "
        f"spoke's main mode and quick mode; from {traffic_start:g} s every spoke's host sends to hq at "
        f"{args.rate_up} and hq to every spoke's host at {args.rate_down} ({args.size}-byte "
        f"datagrams) for {args.traffic:g} s.")
    scenario["duration"] = round(traffic_start + args.traffic + 1, 3)
    scenario["events"] = [] if args.plain else [
        {"at": round(traffic_start - 0.5, 3), "node": "HUB",
         "exec": "show crypto engine connections active"}]
if args.plain:
    scenario["name"] += ", no crypto maps"
if args.crypto:
    scenario["crypto"] = args.crypto
json.dump(scenario, open(args.out, "w"), indent=1)
print(f"{args.out}: a hub and {n} spokes")
