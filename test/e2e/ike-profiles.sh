#!/usr/bin/env bash
# Runs scenarios/ike-profiles-rri and asserts what its README says: both spokes' tunnels come up
# with keys the hub finds only in its keyrings (through its ISAKMP profiles), the traffic both
# ways is delivered although the hub has no route of its own to the spoke LANs (reverse route
# injection adds them), `show ip route` shows the injected routes while the SAs live and not
# after they went idle (set security-association idle-time 60), and tshark, given the run's
# exported keys, decrypts every encrypted ISAKMP frame and verifies the ICV of every ESP frame,
# with no malformed frame or expert warning in any capture.
# usage: ike-profiles.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
s=ike-profiles-rri
if ! "$build/ipsec-sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/log" 2>&1; then
    echo "FAIL: ipsec-sim exited non-zero"; cat "$work/log"; exit 1
fi

/usr/bin/python3 - "$work/$s" <<'PY'
import json, re, subprocess, sys

out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def rows(path):
    return [l for l in open(path).read().splitlines() if l.strip()]

keys = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
for row in rows(f"{out}/esp_sa.uat"):
    keys += ["-o", "uat:esp_sa:" + row]
for row in rows(f"{out}/ikev1_decryption_table.uat"):
    keys += ["-o", "uat:ikev1_decryption_table:" + row]

def tshark(pcap, display, fields):
    res = subprocess.run(["tshark", "-r", f"{out}/{pcap}", *keys, "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in res.splitlines() if l.strip()]

# Tunnels: main and quick mode ok between the hub and each spoke.
for spoke, peer in (("SPOKE1", "198.51.100.2"), ("SPOKE2", "203.0.113.2")):
    for ex in ("main", "quick"):
        ok = [e for e in r["ike"] if e["node"] == "HUB" and e["exchange"] == ex
              and e["peer"] == peer and e["result"] == "ok"]
        check(len(ok) >= 1, f"HUB: {ex} mode with {spoke} ({peer}) ok")
check(not [e for e in r["ike"] if e["result"] == "failed"], "no IKE exchange failed")

# Traffic both ways; the hub's way back exists only through RRI.
for f in r["flows"]:
    check(f["received"] > 0.98 * f["sent"] and f["sent"] > 200,
          f"flow {f['from']} -> {f['to']}: {f['received']} of {f['sent']} delivered")

# show ip route at 20 s and at 150 s.
show = open(f"{out}/show/HUB.txt").read()
blocks = show.split("HUB#show ip route")
check(len(blocks) == 3, "two show ip route outputs")
at20, at150 = blocks[1].split("HUB#")[0], blocks[2].split("HUB#")[0]
# The hub prints IOS 15.x (its configuration says version 15.1): prefix lengths, and a local
# /32 route beside its LAN make 10.0.0.0/8 variably subnetted.
for net, peer in (("10.1.1.0", "198.51.100.2"), ("10.2.2.0", "203.0.113.2")):
    line = re.compile(rf"^S\s+{re.escape(net)}/24 \[1/0\] via {re.escape(peer)}$", re.M)
    check(bool(line.search(at20)), f"20 s: injected route S {net} [1/0] via {peer}")
    check(not re.search(re.escape(net), at150), f"150 s: route to {net} gone with its idle SAs")
check("10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks" in at20,
      "20 s: 10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks")
check(re.search(r"^C\s+10\.0\.0\.0/24 is directly connected, Ethernet0$", at20, re.M) is not None,
      "20 s: the LAN as connected")
check(re.search(r"^L\s+10\.0\.0\.1/32 is directly connected, Ethernet0$", at20, re.M) is not None,
      "20 s: the hub's LAN address as a local route")
check("Session status: UP-ACTIVE" not in show.split("HUB#show crypto session")[2],
      "150 s: no crypto session left on the hub")
idle = [e for e in r["ike"] if e["node"] == "HUB" and "idle-time" in e.get("reason", "")]
check(len(idle) == 2 and all(89 < e["start_s"] < 91 for e in idle),
      f"the hub deleted {len(idle)} bundles for idleness 60 s after the last packet (2 expected)")
for spoke in ("SPOKE1", "SPOKE2"):
    told = [e for e in r["ike"] if e["node"] == spoke and e.get("reason") == "peer deleted IPsec SAs"]
    check(len(told) == 1, f"{spoke} was told (a delete notification)")

# tshark: every capture clean, every encrypted ISAKMP frame decrypted, every ESP ICV good.
esp = enc = decrypted = 0
icv = True
for pcap in r["pcaps"]:
    bad = tshark(pcap, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"])
    check(not bad, f"{pcap}: no malformed frame, no expert warning")
    for spi, good, flag_e, payloads in tshark(pcap, "esp || isakmp", ["esp.spi", "esp.icv_good",
                                                                     "isakmp.flag_e",
                                                                     "isakmp.typepayload"]):
        if spi:
            esp += 1
            icv &= good in ("1", "True")
        if flag_e in ("1", "True"):
            enc += 1
            decrypted += bool(payloads)
check(esp > 1000 and icv, f"all {esp} ESP frames decrypt with a good ICV")
check(enc > 0 and decrypted == enc, f"{decrypted} of {enc} encrypted ISAKMP frames decrypted")
sys.exit(1 if failures else 0)
PY
