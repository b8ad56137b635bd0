#!/usr/bin/env bash
# IKEv2 through a static NAT, judged by tshark. scenarios/ikev2-nat-t: the NAT_DETECTION
# notifies of IKE_SA_INIT (UDP 500) reveal the NAT, IKE_AUTH goes to UDP 4500 with the non-ESP
# marker and decrypts with the run's ikev2_decryption_table on both sides of the NAT (IDi the
# branch's FQDN), every ESP frame travels in UDP 4500 (no IP protocol 50 anywhere), decrypts with
# esp_sa.uat with a good ICV, the branch behind the NAT sends NAT keepalives that the head end
# counts, and no frame is malformed or carries an expert warning with or without the keys.
# usage: ikev2-nat-t.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }

"$build/ipsec-sim" "$src/scenarios/ikev2-nat-t/scenario.json" --out "$work/run" --quiet \
    >"$work/run.log" 2>&1 || { echo "FAIL: ipsec-sim exited non-zero"; cat "$work/run.log"; exit 1; }

/usr/bin/python3 - "$work/run" <<'PY'
import json, os, subprocess, sys

run = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def lines(name):
    path = os.path.join(run, name)
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(with_keys):
    if not with_keys:
        return []
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    opts += sum([["-o", "uat:esp_sa:" + r] for r in lines("esp_sa.uat")], [])
    opts += sum([["-o", "uat:ikev2_decryption_table:" + r]
                 for r in lines("ikev2_decryption_table.uat")], [])
    return opts

def tshark(pcap, display, fields, with_keys=True):
    out = subprocess.run(["tshark", "-r", os.path.join(run, pcap), *keys(with_keys), "-Y", display,
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

r = json.load(open(os.path.join(run, "results.json")))
for node, role in (("BRANCH", "initiator"), ("HQ", "responder")):
    for ex in ("IKE_SA_INIT", "IKE_AUTH"):
        got = [e for e in r["ike"] if e["node"] == node and e["exchange"] == ex]
        check(len(got) == 1 and got[0]["result"] == "ok" and got[0]["role"] == role,
              f"{node} {ex} as {role}: {[(e['role'], e['result'], e.get('reason')) for e in got]}")
hq = [e for e in r["ike"] if e["node"] == "HQ" and e["exchange"] == "IKE_AUTH"]
check(hq and hq[0]["peer"] == "203.0.113.1", f"HQ knows the branch as 203.0.113.1: {hq[:1]}")
for f in r["flows"]:
    check(f["received"] >= f["sent"] - 3,
          f"flow {f['from']} -> {f['to']}: {f['received']}/{f['sent']} received")
check(len(lines("ikev2_decryption_table.uat")) == 1, "one ikev2_decryption_table row")

# The same exchange on both sides of the NAT: the branch's source address is translated.
for pcap, branch in (("NAT_Serial0.pcap", "10.10.0.1"), ("NAT_Serial1.pcap", "203.0.113.1")):
    for with_keys in (False, True):
        bad = tshark(pcap, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"],
                     with_keys)
        check(not bad, f"{pcap}: no malformed frame or expert warning "
                       f"({'with' if with_keys else 'without'} the keys): {bad[:3]}")
    ike = tshark(pcap, "isakmp.version == 0x20",
                 ["ip.src", "udp.srcport", "udp.dstport", "udpencap.non_esp_marker",
                  "isakmp.exchangetype", "isakmp.notify.msgtype", "isakmp.id.data.fqdn",
                  "isakmp.id.data.ipv4_addr", "isakmp.auth.method"])
    check([x[4] for x in ike] == ["34", "34", "35", "35"],
          f"{pcap}: IKE_SA_INIT, IKE_AUTH: {[x[4] for x in ike]}")
    if len(ike) == 4:
        check(ike[0][0] == branch, f"{pcap}: the branch is {branch} here: {ike[0][0]}")
        check(all(x[1] == x[2] == "500" and not x[3] for x in ike[:2]),
              f"{pcap}: IKE_SA_INIT on UDP 500 without marker: {[x[1:4] for x in ike[:2]]}")
        check(all("16388" in x[5] and "16389" in x[5] for x in ike[:2]),
              f"{pcap}: NAT_DETECTION_SOURCE_IP and _DESTINATION_IP both ways")
        check(all(x[1] == x[2] == "4500" and x[3] for x in ike[2:]),
              f"{pcap}: IKE_AUTH on UDP 4500 after the non-ESP marker: {[x[1:4] for x in ike[2:]]}")
        check(ike[2][6] == "branch.example.net" and ike[3][7] == "198.51.100.2",
              f"{pcap}: IKE_AUTH decrypted: IDi {ike[2][6]}, IDr {ike[3][7]}")
        check(ike[2][8] == "2" and ike[3][8] == "2", f"{pcap}: AUTH shared key MIC both ways")
    plain = tshark(pcap, "isakmp.exchangetype == 35 && isakmp.id.data.fqdn", ["frame.number"],
                   False)
    check(not plain, f"{pcap}: without the table IKE_AUTH stays encrypted")
    esp = tshark(pcap, "esp", ["udp.dstport", "esp.icv_good", "ip.proto"])
    check(len(esp) > 500, f"{pcap}: {len(esp)} ESP frames")
    check(all(x[0].split("|")[0] == "4500" and x[1] in ("1", "True") for x in esp),
          f"{pcap}: every ESP frame in UDP 4500 with a good ICV")
    bare = tshark(pcap, "ip.proto == 50", ["frame.number"], False)
    check(not bare, f"{pcap}: no ESP outside UDP (IP protocol 50): {len(bare)}")
    inner = tshark(pcap, "esp && udp.dstport >= 5000", ["frame.number"])
    check(len(inner) > 500, f"{pcap}: ESP decrypts to the inner UDP flows ({len(inner)} frames)")
    ka = tshark(pcap, "udpencap.nat_keepalive", ["ip.src", "udp.dstport"], False)
    check(len(ka) >= 4 and all(x == [branch, "4500"] for x in ka),
          f"{pcap}: {len(ka)} NAT keepalives from the branch to UDP 4500")

def keepalives(node):
    return r["nodes"][node]["report"]["ike"].get("nat_keepalives")
b, h = keepalives("BRANCH"), keepalives("HQ")
check(b and b["sent"] >= 4 and b["received"] == 0, f"BRANCH sent NAT keepalives: {b}")
check(h and h["sent"] == 0 and h["received"] == b["sent"], f"HQ received them, sent none: {h}")

show = open(os.path.join(run, "show", "HQ.txt")).read()
check("current_peer 203.0.113.1 port 4500" in show and "Tunnel UDP-Encaps" in show,
      "HQ's show crypto ipsec sa: peer 203.0.113.1 port 4500, Tunnel UDP-Encaps")
sys.exit(1 if failures else 0)
PY
