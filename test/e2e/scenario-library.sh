#!/usr/bin/env bash
# Runs every scenario of scenarios/ (but the default, which has its own test) and asserts what
# each README says it shows.
# usage: scenario-library.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
for s in nesting permit-any-any auth-and-encryption transport keying-side-by-side hub-many-spokes gre-over-ipsec \
         ikev2-vti-ospf ikev2-hub-spokes ikev1-ikev2-side-by-side hub-core-spokes; do
    if ! "$build/ipsec-sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/$s.log"; fail=1
    fi
done
[ $fail -eq 0 ] || exit 1

/usr/bin/python3 - "$work" <<'PY' || fail=1
import json, subprocess, sys
work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def results(s):
    return json.load(open(f"{work}/{s}/results.json"))

def sa(r, node, proto, direction):
    return [x for x in r["nodes"][node]["report"]["sas"]
            if x["protocol"] == proto and x["direction"] == direction]

def tshark(s, pcap, display, fields):
    uat = []
    for row in open(f"{work}/{s}/esp_sa.uat").read().splitlines():
        uat += ["-o", "uat:esp_sa:" + row]
    out = subprocess.run(["tshark", "-r", f"{work}/{s}/{pcap}", "-o", "esp.enable_encryption_decode:TRUE",
                          "-o", "esp.enable_authentication_check:TRUE", *uat, "-Y", display,
                          "-T", "fields", *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l for l in out.splitlines() if l.strip()]

# Figure 30: AH around ESP between A and B, ESP alone between B and C, both ways delivered.
r = results("nesting")
f = r["flows"]
check(all(x["sent"] > 0 and x["received"] == x["sent"] for x in f), "nesting: both flows delivered in full")
check(sa(r, "A", "esp", "outbound")[0]["packets"] == f[0]["sent"], "nesting: A's ESP to C carried every packet")
check(sa(r, "A", "ah", "outbound")[0]["packets"] == f[0]["sent"], "nesting: A's AH to B carried the same packets")
check(r["nodes"]["B"]["report"]["decapsulated"] == f[0]["sent"], "nesting: B removed one layer of each")
ab = tshark("nesting", "A_Serial0.pcap", "ip", ["ip.proto"])
check(len(ab) > 0 and all(l.split(",")[0] == "51" for l in ab), "nesting: only AH on the A-B line")
bc = tshark("nesting", "B_Serial1.pcap", "ip", ["ip.proto"])
check(len(bc) > 0 and all(l.split(",")[0] == "50" for l in bc), "nesting: only ESP on the B-C line")

# permit ip any any: LAN traffic fine, the routers' own exchanges dropped as the chapter warns.
r = results("permit-any-any")
f = r["flows"]
check(f[0]["received"] == f[0]["sent"] > 0, "permit-any-any: LAN-to-LAN delivered")
check(f[1]["received"] == 0 and r["nodes"]["R1"]["report"]["drops"].get("unprotected") == f[1]["sent"],
      "permit-any-any: R2's clear packets dropped by R1 as unprotected")
check(f[2]["received"] == 0 and r["nodes"]["R2"]["report"]["drops"].get("policy-mismatch") == f[2]["sent"],
      "permit-any-any: R1's protected packets to R2 itself refused as policy-mismatch")

# Authentication only and encryption on separate SAs between the same peers.
r = results("auth-and-encryption")
f = r["flows"]
check(all(x["received"] == x["sent"] > 0 for x in f), "auth-and-encryption: both flows delivered")
ah, esp = sa(r, "R1", "ah", "outbound"), sa(r, "R1", "esp", "outbound")
check(len(ah) == 1 and ah[0]["packets"] == f[0]["sent"] and ah[0]["seq"] == 10, "auth-and-encryption: port 5000 in AH (entry 10)")
check(len(esp) == 1 and esp[0]["packets"] == f[1]["sent"] and esp[0]["seq"] == 20, "auth-and-encryption: the rest in ESP (entry 20)")
readable = tshark("auth-and-encryption", "R1_Serial0.pcap", "ah && udp.dstport == 5000", ["udp.dstport"])
check(len(readable) == f[0]["sent"], "auth-and-encryption: AH-protected datagrams readable on the line")
check(tshark("auth-and-encryption", "R1_Serial0.pcap", "udp.dstport == 6000 && !esp", ["udp.dstport"]) == [],
      "auth-and-encryption: no clear port-6000 datagram on the line")

# Transport mode between the routers: one IP header, ESP decrypts with a good ICV.
r = results("transport")
f = r["flows"]
check(all(x["received"] == x["sent"] > 0 for x in f), "transport: UDP and ping delivered")
rows = tshark("transport", "R1_Serial0.pcap", "esp", ["ip.src", "esp.icv_good"])
check(len(rows) > 0 and all(len(l.split("\t")[0].split(",")) == 1 and l.split("\t")[1] in ("1", "True") for l in rows),
      "transport: ESP frames carry one IP header and verify")
check("in use settings ={Transport, }" in open(f"{work}/transport/show/R1.txt").read(), "transport: show says Transport")

# One crypto map set on two lines: a manually keyed site and an IKE-keyed site side by side.
s = "keying-side-by-side"
r = results(s)
f = r["flows"]
check(f[0]["received"] == f[0]["sent"] > 0, f"{s}: to R2's site (ipsec-manual) from the first packet")
check(f[1]["sent"] - 5 <= f[1]["received"] < f[1]["sent"]
      and r["nodes"]["R1"]["report"]["drops"].get("no-sa") == f[1]["sent"] - f[1]["received"],
      f"{s}: to R3's site (ipsec-isakmp) once IKE is done: {f[1]['sent'] - f[1]['received']} first packets dropped no-sa")
check(all(x["received"] == x["sent"] > 0 for x in f[2:]), f"{s}: R3's and R2's sites answer")
ike = [e for e in r["ike"] if e["node"] == "R1" and e["result"] == "ok"]
check({(e["exchange"], e["peer"]) for e in ike} == {("main", "172.16.13.2"), ("quick", "172.16.13.2")}
      and not [e for e in r["ike"] if e["node"] == "R2"],
      f"{s}: R1 negotiates with R3 only; R2 speaks no IKE")
show = open(f"{work}/{s}/show/R1.txt").read()
isakmp = show.split("R1#show crypto isakmp sa")[1].split("R1#")[0]
check("172.16.13.2     172.16.13.1     QM_IDLE" in isakmp and "172.16.12." not in isakmp,
      f"{s}: one ISAKMP SA, with R3")
session = show.split("R1#show crypto session")[1].split("R1#")[0]
blocks = [b for b in session.split("\nInterface: ")[1:]]
check(len(blocks) == 2 and blocks[0].startswith("Serial0") and "172.16.12.2" in blocks[0]
      and "manual-keyed" in blocks[0] and blocks[1].startswith("Serial1") and "172.16.13.2" in blocks[1]
      and "origin: crypto map" in blocks[1],
      f"{s}: show crypto session: the manual session on Serial0, the IKE one on Serial1")
rows = tshark(s, "R1_Serial0.pcap", "esp", ["esp.spi", "esp.icv_good"])
rows3 = tshark(s, "R1_Serial1.pcap", "esp", ["esp.spi", "esp.icv_good"])
check(rows and rows3 and all(l.split("\t")[1] in ("1", "True") for l in rows + rows3),
      f"{s}: tshark decrypts both lines' ESP with the exported keys ({len(rows)} + {len(rows3)} frames)")
# A hub with a dynamic crypto map and sixteen spokes.
s = "hub-many-spokes"
r = results(s)
n = 16
hub = [e for e in r["ike"] if e["node"] == "HUB"]
mm = [e for e in hub if e["exchange"] == "main" and e["role"] == "responder" and e["result"] == "ok"]
qm = [e for e in hub if e["exchange"] == "quick" and e["role"] == "responder" and e["result"] == "ok"]
check(len(mm) == n and len(qm) == n and not [e for e in hub if e["role"] == "initiator"
                                                 and e["exchange"] in ("main", "quick")],
      f"{s}: the hub answers {len(mm)} main modes and {len(qm)} quick modes, and initiates none")
spokes = [r["nodes"][f"S{k}"]["report"]["drops"].get("no-sa", 0) for k in range(1, n + 1)]
up = [f for f in r["flows"] if f["from"] != "hq"]
down = [f for f in r["flows"] if f["from"] == "hq"]
check(spokes == [1] * n and all(f["received"] == f["sent"] - 1 for f in up),
      f"{s}: each spoke loses only its first datagram while it negotiates")
check(all(f["received"] == f["sent"] > 0 for f in down), f"{s}: the hub LAN reaches every spoke over the spokes' SAs")
show = open(f"{work}/{s}/show/HUB.txt").read()
isakmp = show.split("HUB#show crypto isakmp sa")[1].split("HUB#")[0]
session = show.split("HUB#show crypto session")[1].split("HUB#")[0]
check(isakmp.count("QM_IDLE") == n and session.count("origin: dynamic crypto map") == n,
      f"{s}: at 7 s the hub shows {isakmp.count('QM_IDLE')} ISAKMP SAs and {session.count('origin: dynamic crypto map')} dynamic sessions")
conn = show.split("HUB#show crypto engine connections active")[1].split("HUB#")[0]
cards = r["nodes"]["HUB"]["report"]["hardware"]["cards"]
check(conn.count("  IKE     SHA+") == n and conn.count("  IPsec   AES+SHA ") == 2 * n
      and cards[0]["tunnels"] == n,
      f"{s}: the engines hold the 16 IKE SAs and 32 IPsec SAs, one row each; the card 16 tunnels")
# GRE over IPsec: the LANs routed into a GRE tunnel whose packets the crypto map protects.
s = "gre-over-ipsec"
r = results(s)
f = r["flows"]
check(f[0]["received"] >= f[0]["sent"] - 2 and all(x["received"] == x["sent"] > 0 for x in f[1:]),
      f"{s}: UDP both ways, ping and TCP delivered through the tunnel (first datagram lost to IKE)")
gre = r["nodes"]["R1"]["report"]["gre"][0]
check(gre["interface"] == "Tunnel0" and gre["source"] == "172.16.0.1" and gre["destination"] == "172.16.0.2"
      and gre["encapsulated"] >= f[0]["received"] and gre["decapsulated"] >= f[1]["received"] and gre["dropped"] == 0,
      f"{s}: R1's Tunnel0 carried {gre['encapsulated']} packets out and {gre['decapsulated']} in")
rows = tshark(s, "R1_Serial0.pcap", "esp", ["ip.proto", "esp.icv_good", "gre.proto"])
check(len(rows) > 300 and all(l.split("\t")[0].startswith("50,") and l.split("\t")[1] in ("1", "True")
                              and l.split("\t")[2] == "0x0800" for l in rows),
      f"{s}: on the line ESP only, and inside every ESP packet GRE carrying IPv4 ({len(rows)} frames)")
check(tshark(s, "R1_Serial0.pcap", "!esp && !isakmp", ["frame.number"]) == [],
      f"{s}: nothing in the clear on the line")
show = open(f"{work}/{s}/show/R1.txt").read()
check("(172.16.0.1/255.255.255.255/47/0)" in show and "in use settings ={Transport, }" in show,
      f"{s}: show crypto ipsec sa: the GRE flow between the routers, transport mode")
check(r["warnings"] == [], f"{s}: the route checks follow the LANs' routes into the tunnel ({r['warnings']})")
anim = open(f"{work}/{s}/netanim.xml").read()
check(anim.startswith("<anim ") and all(f'descr="{n}"' in anim for n in ("R1", "R2", "h1", "h2"))
      and anim.count("<p ") > 100, f"{s}: netanim.xml names the nodes and traces {anim.count('<p ')} packets")
# IKEv2 over a VTI pair: smart defaults on R1, named blocks on R2, OSPF routes into Tunnel0.
s = "ikev2-vti-ospf"
r = results(s)
v2 = [(e["node"], e["exchange"], e["role"], e["result"]) for e in r["ike"]]
check(sorted(v2) == [("R1", "IKE_AUTH", "initiator", "ok"), ("R1", "IKE_SA_INIT", "initiator", "ok"),
                     ("R2", "IKE_AUTH", "responder", "ok"), ("R2", "IKE_SA_INIT", "responder", "ok")],
      f"{s}: one IKE_SA_INIT and one IKE_AUTH, R1 initiating, nothing else: {v2}")
suite = [e["detail"] for e in r["ike"] if e["exchange"] == "IKE_SA_INIT"]
check(suite[0] == "ENCR_AES_CBC-256/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/group 5"
      and [e["detail"] for e in r["ike"] if e["exchange"] == "IKE_AUTH"][0] == "esp-aes esp-sha-hmac",
      f"{s}: R2's proposal out of R1's default one, the default transform set: {suite[:1]}")
check(all(f["received"] == f["sent"] > 0 for f in r["flows"]), f"{s}: every datagram, ping and segment arrives")
show = open(f"{work}/{s}/show/R1.txt").read()
check("O        10.2.2.0/24 [110/1001] via 172.16.12.2" in show and "Tunnel0" in show
      and "S*    0.0.0.0/0 [1/0] via 198.51.100.2" in show, f"{s}: show ip route: R2's LAN by OSPF through Tunnel0")
check("Crypto map tag: Tunnel0-head-0" in show and "(0.0.0.0/0.0.0.0/0/0)" in show
      and "in use settings ={Tunnel, }" in show, f"{s}: show crypto ipsec sa: the VTI's any-to-any SAs, tunnel mode")
check("Transform set default: { esp-aes esp-sha-hmac  }" in show, f"{s}: the built-in default transform set")
rows = tshark(s, "R1_Serial0_0.pcap", "!esp && !isakmp && ip", ["frame.number"])
check(rows == [], f"{s}: nothing but IKE and ESP on R1's WAN line")

# A hub with one dynamic map and IKEv2 spokes known by address or by name.
s = "ikev2-hub-spokes"
r = results(s)
hub = [e for e in r["ike"] if e["node"] == "HUB"]
check(len([e for e in hub if e["exchange"] == "IKE_AUTH" and e["role"] == "responder" and e["result"] == "ok"]) == 4
      and not [e for e in hub if e["role"] == "initiator"], f"{s}: the hub answers four IKE_AUTH and initiates none")
check([r["nodes"][f"S{k}"]["report"]["drops"].get("no-sa", 0) for k in range(1, 5)] == [1] * 4,
      f"{s}: each spoke loses only its first datagram")
down = [f for f in r["flows"] if f["from"] == "hq"]
check(all(f["received"] == f["sent"] > 0 for f in down),
      f"{s}: the hub LAN reaches every spoke over the spokes' SAs")
show = open(f"{work}/{s}/show/HUB.txt").read()
session = show.split("HUB#show crypto session")[1].split("HUB#")[0]
check(session.count("origin: dynamic crypto map") == 4, f"{s}: four dynamic sessions at 4 s")
check("transform: esp-gcm 256 ," in show and "transform: esp-256-aes esp-sha256-hmac ," in show,
      f"{s}: each spoke's own transform set")

# IKEv1 and IKEv2 from one crypto map.
s = "ikev1-ikev2-side-by-side"
r = results(s)
hq = {(e["exchange"], e["peer"]) for e in r["ike"] if e["node"] == "HQ" and e["result"] == "ok"
      and e["role"] == "initiator"}
check(hq == {("main", "203.0.113.6"), ("quick", "203.0.113.6"), ("IKE_SA_INIT", "203.0.113.10"),
             ("IKE_AUTH", "203.0.113.10")}, f"{s}: HQ speaks IKEv1 to A and IKEv2 to B: {sorted(hq)}")
check(all(f["received"] > 0 and f["sent"] - f["received"] <= 20 for f in r["flows"]),
      f"{s}: both branches reached once their protocol is done")
show = open(f"{work}/{s}/show/HQ.txt").read()
isakmp = show.split("HQ#show crypto isakmp sa")[1].split("HQ#")[0]
check("203.0.113.6     203.0.113.1     QM_IDLE" in isakmp and "203.0.113.10" not in isakmp,
      f"{s}: show crypto isakmp sa lists branch A only")
check("IKEv2 Profile: BRANCH-B" in show, f"{s}: show crypto map names entry 20's IKEv2 profile")

# Ten spokes through a provider core to two hubs (scenarios/hub-core-spokes).
s = "hub-core-spokes"
r = results(s)
n = 10
for hub, mine in (("HUB1", 6), ("HUB2", 4)):
    x = [e for e in r["ike"] if e["node"] == hub]
    ok = [e for e in x if e["role"] == "responder" and e["result"] == "ok"]
    check(len([e for e in ok if e["exchange"] == "main"]) == mine
          and len([e for e in ok if e["exchange"] == "quick"]) == mine
          and not [e for e in x if e["role"] == "initiator" and e["exchange"] in ("main", "quick")],
          f"{s}: {hub} answers the main modes and quick modes of its {mine} spokes, initiates none")
    show = open(f"{work}/{s}/show/{hub}.txt").read()
    isakmp = show.split(f"{hub}#show crypto isakmp sa")[1].split(f"{hub}#")[0]
    session = show.split(f"{hub}#show crypto session")[1].split(f"{hub}#")[0]
    check(isakmp.count("QM_IDLE") == mine and session.count("origin: dynamic crypto map") == mine,
          f"{s}: {hub} shows {mine} ISAKMP SAs in QM_IDLE and {mine} dynamic sessions")
check([r["nodes"][f"S{k}"]["report"]["drops"] for k in range(1, n + 1)] == [{"no-sa": 1}] * n,
      f"{s}: each spoke loses only its first echo request while it negotiates")
udp = [f for f in r["flows"] if f["kind"] == "udp"]
check(len(udp) == 2 * n and all(f["received"] == f["sent"] > 0 for f in udp),
      f"{s}: every datagram is delivered, spokes to hq and back")
sys.exit(1 if failures else 0)
PY
exit $fail
