#!/usr/bin/env bash
# Runs the tunnel-interface scenarios (scenarios/gre-tunnel-protection, vti-static, vti-ospf) and
# asserts what their READMEs say: both ends of every tunnel have their ISAKMP and IPsec SAs
# (main and quick mode ok on each side, SAs of the tunnel's crypto map set in results.json),
# every datagram is delivered, the routes of the approximated routing process go through the
# tunnel and `show ip route` shows them as OSPF (O) routes (static ones as S), `show crypto
# ipsec sa` and `show crypto session` list the SAs under the tunnel interface, and tshark, given
# the run's exported keys, finds nothing malformed, decrypts every encrypted ISAKMP message,
# verifies every ESP frame's ICV and sees inside ESP what the tunnel
# carries (GRE for a protected GRE tunnel, the LAN packet for a virtual tunnel interface), while
# nothing else crosses the WAN lines.
# usage: tunnel-scenarios.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
scenarios=(gre-tunnel-protection vti-static vti-ospf)
fail=0
for s in "${scenarios[@]}"; do
    if ! "$build/ipsec-sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/$s.log"; fail=1
    fi
done
[ $fail -eq 0 ] || exit 1

/usr/bin/python3 - "$work" <<'PY' || fail=1
import json, os, subprocess, sys

work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def results(s):
    return json.load(open(f"{work}/{s}/results.json"))

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(s):
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in lines(f"{work}/{s}/esp_sa.uat"):
        opts += ["-o", "uat:esp_sa:" + row]
    for row in lines(f"{work}/{s}/ikev1_decryption_table.uat"):
        opts += ["-o", "uat:ikev1_decryption_table:" + row]
    return opts

def tshark(s, pcap, display, fields):
    out = subprocess.run(["tshark", "-r", f"{work}/{s}/{pcap}", *keys(s), "-Y", display,
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

def true(v):
    return v in ("1", "True")

def show(s, node):
    return open(f"{work}/{s}/show/{node}.txt").read()

def route_table(s, node):
    """The text of the node's `show ip route` event (at 5 s)."""
    text = show(s, node)
    start = text.find(f"#show ip route\n")
    return text[start:text.find("\n\n! ", start)] if start >= 0 else ""

def routes_shown_as_o(s, node, r):
    """Every route the OSPF approximation reports for @p node is an O line of show ip route,
    with the same metric, next hop and interface and the age since the start (5 s)."""
    table = route_table(s, node)
    notes = [l for l in r["nodes"][node]["report"].get("routing", []) if l.startswith("ospf: ")]
    for n in notes:
        prefix, rest = n[len("ospf: "):].split(" ", 1)
        net = prefix.split("/")[0]
        metric, hop = rest.split(" via ")
        via, ifn = hop.split(", ")
        line = [l for l in table.splitlines() if l.startswith("O ") and f" {net}" in l]
        check(len(line) == 1 and line[0].endswith(f"{metric} via {via}, 00:00:05, {ifn}"),
              f"{s}: {node}'s show ip route has {prefix} as O {metric} via {via}, {ifn}")
    check(notes and table.count("\nO ") == len(notes),
          f"{s}: {node}'s show ip route has one O line per approximated route ({len(notes)})")

def tunnel_up(s, r, a, b, peer_of_a, peer_of_b):
    """Main and quick mode ok on both sides between a and b; SAs both ways on both routers."""
    ok = lambda n, x, p: [e for e in r["ike"] if e["node"] == n and e["exchange"] == x
                          and e["peer"] == p and e["result"] == "ok"]
    check(ok(a, "main", peer_of_a) and ok(b, "main", peer_of_b),
          f"{s}: ISAKMP SA between {a} and {b} (main mode ok on both)")
    check(ok(a, "quick", peer_of_a) and ok(b, "quick", peer_of_b),
          f"{s}: IPsec SAs between {a} and {b} (quick mode ok on both)")
    for n, p in ((a, peer_of_a), (b, peer_of_b)):
        sas = [x for x in r["nodes"][n]["report"]["sas"] if x["peer"] == p]
        dirs = {x["direction"] for x in sas}
        check(dirs == {"inbound", "outbound"} and all(x["map"].endswith("-head-0") for x in sas)
              and sum(x["packets"] for x in sas) > 0,
              f"{s}: {n} has inbound and outbound SAs with {p} in its tunnel's set, in use")

def delivered(s, r):
    for f in r["flows"]:
        check(f["sent"] > 0 and f["received"] == f["sent"] and f["lost"] == 0,
              f"{s}: {f['kind']} {f['from']} -> {f['to']}: {f['received']} of {f['sent']} delivered")

def wire(s, pcap, inner):
    """Only ESP and ISAKMP on a WAN line; every ESP frame verified and carrying @p inner;
    every encrypted ISAKMP message decrypted."""
    bad = tshark(s, pcap, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"])
    check(not bad, f"{s}/{pcap}: no malformed frame, no expert warning")
    other = tshark(s, pcap, "ip && !esp && !isakmp", ["frame.number"])
    check(not other, f"{s}/{pcap}: nothing but ESP and ISAKMP on the line ({len(other)} other)")
    esp = tshark(s, pcap, "esp", ["esp.icv_good", "ip.proto", "ip.src", "gre.proto"])
    good = [e for e in esp if true(e[0])]
    carried = [e for e in esp if inner(e)]
    check(esp and len(good) == len(esp), f"{s}/{pcap}: all {len(esp)} ESP frames verified")
    check(esp and len(carried) == len(esp), f"{s}/{pcap}: every ESP frame decrypts to what the "
          "tunnel carries")
    isakmp = tshark(s, pcap, "isakmp", ["isakmp.flag_e", "isakmp.typepayload"])
    enc = [i for i in isakmp if true(i[0])]
    check(isakmp and enc and all(i[1] for i in enc),
          f"{s}/{pcap}: {len(isakmp)} ISAKMP messages, all {len(enc)} encrypted ones decrypted")
    return esp

# ------------------------------------------------------------- GRE with tunnel protection
s = "gre-tunnel-protection"
r = results(s)
tunnel_up(s, r, "R1", "R2", "203.0.113.2", "203.0.113.1")
delivered(s, r)
for n in ("R1", "R2"):
    check(all(x["flow"] in ("47 host 203.0.113.1 host 203.0.113.2",
                            "47 host 203.0.113.2 host 203.0.113.1")
              for x in r["nodes"][n]["report"]["sas"])
          and all(x["mode"] == "transport" for x in r["nodes"][n]["report"]["sas"]),
          f"{s}: {n}'s SAs protect GRE between the tunnel ends, in transport mode")
    gre = r["nodes"][n]["report"]["gre"][0]
    check(gre["protected"] and gre["encapsulated"] > 0 and gre["decapsulated"] > 0
          and gre["dropped"] == 0,
          f"{s}: {n} Tunnel0 carried {gre['encapsulated']} out, {gre['decapsulated']} in")
routing = r["nodes"]["R1"]["report"].get("routing", [])
check(any(l.startswith("approximated: router ospf 1") and "Tunnel0" in l for l in routing),
      f"{s}: results.json says router ospf 1 is approximated over Tunnel0")
check("ospf: 10.2.2.0/24 [110/1001] via 172.16.12.2, Tunnel0" in routing,
      f"{s}: R1's route to the far LAN goes through Tunnel0")
check("interface: Tunnel0" in show(s, "R2") and "Crypto map tag: Tunnel0-head-0" in show(s, "R2")
      and "(203.0.113.2/255.255.255.255/47/0)" in show(s, "R2"),
      f"{s}: show crypto ipsec sa lists the GRE SAs under interface: Tunnel0")
routes_shown_as_o(s, "R1", r)
rt = route_table(s, "R1")
# R1, HQ and BR1 print IOS 15.x (no version line): prefix lengths, local /32 routes.
check("O        10.2.2.0/24 [110/1001] via 172.16.12.2, 00:00:05, Tunnel0\n" in rt
      and "C        172.16.12.0/30 is directly connected, Tunnel0\n" in rt
      and "L        172.16.12.1/32 is directly connected, Tunnel0\n" in rt
      and "Gateway of last resort is not set\n" in rt,
      f"{s}: R1's show ip route: the far LAN by OSPF through Tunnel0, the tunnel connected")
check(show(s, "R1").count("Interface: Tunnel0") == 1,
      f"{s}: show crypto session has one session on Tunnel0")
for pcap in ("R1_Serial0_0.pcap", "R2_Serial0_0.pcap"):
    # Transport mode: the decrypted frame is GRE (47) carrying the LAN packet.
    wire(s, pcap, lambda e: e[1].split("|")[0] == "50" and e[3] == "0x0800"
         and len(e[2].split("|")) == 2)

# ------------------------------------------------------------- static VTIs
s = "vti-static"
r = results(s)
tunnel_up(s, r, "HQ", "BR1", "198.51.100.2", "198.51.100.1")
tunnel_up(s, r, "HQ", "BR2", "198.51.100.6", "198.51.100.5")
delivered(s, r)
for n in ("HQ", "BR1", "BR2"):
    check(all(x["flow"] == "ip any any" and x["mode"] == "tunnel"
              for x in r["nodes"][n]["report"]["sas"]),
          f"{s}: {n}'s SAs are any to any, tunnel mode")
check("interface: Tunnel0" in show(s, "BR1")
      and "(0.0.0.0/0.0.0.0/0/0)" in show(s, "BR1"),
      f"{s}: show crypto ipsec sa lists the VTI's SAs under interface: Tunnel0, identities any")
rt = route_table(s, "HQ")
check("S        10.1.0.0/16 is directly connected, Tunnel1\n" in rt
      and "S        10.2.0.0/16 [1/0] via 172.16.2.2\n" in rt
      and "C        172.16.2.0/30 is directly connected, Tunnel2\n" in rt
      and "\nO " not in rt and "Gateway of last resort is not set\n" in rt,
      f"{s}: HQ's show ip route: static routes into Tunnel1 and by Tunnel2's far address")
hq = show(s, "HQ")
check(hq.count("Interface: Tunnel1") == 1 and hq.count("Interface: Tunnel2") == 1
      and hq.count("IPSEC FLOW: permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0 \n") == 2,
      f"{s}: show crypto session: one session on Tunnel1, one on Tunnel2")
inner = lambda e: e[1].split("|")[:1] == ["50"] and len(e[2].split("|")) == 2
for pcap in ("HQ_Serial0_0.pcap", "BR1_Serial0_0.pcap", "HQ_Serial0_1.pcap", "BR2_Serial0_0.pcap"):
    wire(s, pcap, inner)
# Branch to branch crosses the hub: out of Tunnel2's SAs, into Tunnel1's.
for pcap in ("HQ_Serial0_0.pcap", "HQ_Serial0_1.pcap"):
    rows = tshark(s, pcap, "esp && ip.src == 10.1.1.10 && ip.dst == 10.2.2.10", ["frame.number"])
    check(len(rows) == 99, f"{s}/{pcap}: the 99 datagrams from b1 to b2 cross the hub's line")

# ------------------------------------------------------------- a mesh of VTIs with OSPF
s = "vti-ospf"
r = results(s)
tunnel_up(s, r, "HQ", "BR1", "198.51.100.6", "198.51.100.2")
tunnel_up(s, r, "HQ", "BR2", "198.51.100.10", "198.51.100.2")
tunnel_up(s, r, "BR1", "BR2", "198.51.100.10", "198.51.100.6")
delivered(s, r)
br1 = r["nodes"]["BR1"]["report"].get("routing", [])
check(any(l.startswith("approximated: router ospf 10 by routes computed over Tunnel0, Tunnel1, "
                       "FastEthernet0/0") for l in br1),
      f"{s}: BR1's OSPF is approximated over its tunnels and LAN, not the WAN")
check("ospf: 10.2.2.0/24 [110/1001] via 172.16.3.2, Tunnel1" in br1
      and "ospf: 10.255.0.1/32 [110/1001] via 172.16.1.1, Tunnel0" in br1,
      f"{s}: BR1 reaches BR2's LAN through the direct tunnel and HQ's loopback through HQ's")
routes_shown_as_o(s, "BR1", r)
rt = route_table(s, "BR1")
check("O        10.2.2.0/24 [110/1001] via 172.16.3.2, 00:00:05, Tunnel1\n" in rt
      and "O        10.255.0.1/32 [110/1001] via 172.16.1.1, 00:00:05, Tunnel0\n" in rt
      and "O        10.0.0.0/24 [110/1001] via 172.16.1.1, 00:00:05, Tunnel0\n" in rt
      and "S*    0.0.0.0/0 is directly connected, Serial0/0\n" in rt
      and "Gateway of last resort is 0.0.0.0 to network 0.0.0.0\n" in rt,
      f"{s}: BR1's show ip route: the LANs and HQ's loopback by OSPF through the tunnels, "
      "the default route out of the WAN")
br1show = show(s, "BR1")
check(br1show.count("Interface: Tunnel0") == 1 and br1show.count("Interface: Tunnel1") == 1,
      f"{s}: BR1 has one session on each tunnel (same source, told apart by the peer)")
for pcap in ("HQ_Serial0_0.pcap", "BR1_Serial0_0.pcap", "BR2_Serial0_0.pcap"):
    wire(s, pcap, inner)
direct = "esp && ip.src == 10.1.1.10 && ip.dst == 10.2.2.10"
check(len(tshark(s, "BR1_Serial0_0.pcap", direct, ["frame.number"])) == 93
      and len(tshark(s, "BR2_Serial0_0.pcap", direct, ["frame.number"])) == 93
      and not tshark(s, "HQ_Serial0_0.pcap", direct, ["frame.number"]),
      f"{s}: b1's 93 datagrams to b2 go straight from BR1 to BR2, never through HQ")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
PY
exit $fail
