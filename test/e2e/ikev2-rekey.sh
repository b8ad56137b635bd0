#!/usr/bin/env bash
# The IKEv2 SA's life after IKE_AUTH, judged by tshark. scenarios/ikev2-rekey: child SAs
# rekeyed with CREATE_CHILD_SA (N(REKEY_SA), new SPIs, KE for `set pfs group14`) and the old
# pair deleted after the new one is in; the IKE SA rekeyed by the responder of the first one
# (its lifetime is shorter), with new SPIs and its own row of the decryption table; a second
# child SA for the access list's ICMP line over the same IKE SA; `clear crypto sa` sending
# INFORMATIONAL Deletes; periodic DPD once the traffic stops. Every IKEv2 message of every pcap
# dissects without a malformed frame or expert warning (with and without the exported table),
# every message after IKE_SA_INIT decrypts with the table, every ESP frame across the rekeys
# decrypts with a good ICV, and the results.json exchange records say what the wire shows.
# A copy of scenarios/ikev2-nat-t with short lifetimes checks the rekeys behind a NAT.
# usage: ikev2-rekey.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }

"$build/ipsec-sim" "$src/scenarios/ikev2-rekey/scenario.json" --out "$work/run" --quiet \
    >"$work/run.log" 2>&1 || { echo "FAIL: ipsec-sim exited non-zero"; cat "$work/run.log"; exit 1; }

# The same life behind a NAT: a copy of scenarios/ikev2-nat-t with 120 s child SAs and a 130 s
# IKE SA on BRANCH, run for 200 s.
mkdir -p "$work/nat-cfg"
cp "$src/scenarios/ikev2-nat-t/"* "$work/nat-cfg/"
sed -i 's/^crypto ikev2 profile TO-HQ/crypto ipsec security-association lifetime seconds 120\n&\n lifetime 130/' \
    "$work/nat-cfg/BRANCH.cfg"
sed -i 's/"duration": 30/"duration": 200/; s/"stop": 28/"stop": 190/g' "$work/nat-cfg/scenario.json"
"$build/ipsec-sim" "$work/nat-cfg/scenario.json" --out "$work/nat" --quiet >"$work/nat.log" 2>&1 || {
    echo "FAIL: ipsec-sim exited non-zero (NAT)"; cat "$work/nat.log"; exit 1; }

/usr/bin/python3 - "$work/run" "$work/nat" <<'PY'
import glob, json, os, subprocess, sys

run = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(ikev2=True):
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in lines(f"{run}/esp_sa.uat"):
        opts += ["-o", "uat:esp_sa:" + row]
    if ikev2:
        for row in lines(f"{run}/ikev2_decryption_table.uat"):
            opts += ["-o", "uat:ikev2_decryption_table:" + row]
    return opts

def tshark(pcap, display, fields, ikev2=True):
    out = subprocess.run(["tshark", "-r", pcap, *keys(ikev2), "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

def frames(display, fields, ikev2=True):
    rows = []
    for pcap in sorted(glob.glob(f"{run}/*.pcap")):
        rows += [[os.path.basename(pcap)] + r for r in tshark(pcap, display, fields, ikev2)]
    return rows

res = json.load(open(f"{run}/results.json"))
def ike(node, exchange=None, role=None):
    return [e for e in res["ike"] if e["node"] == node and e["result"] == "ok"
            and (exchange is None or e["exchange"] == exchange) and (role is None or e["role"] == role)]

# ---- tshark: clean, and everything decrypts
for with_keys in (False, True):
    bad = frames('_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"], with_keys)
    check(not bad, f"no malformed frame, no expert warning ({'with' if with_keys else 'without'} "
                   f"the IKEv2 table) {bad[:3]}")
F = ["isakmp.ispi", "ip.src", "isakmp.exchangetype", "isakmp.flags", "isakmp.messageid", "isakmp.enc.decrypted",
     "isakmp.notify.msgtype", "isakmp.notify.protoid", "isakmp.delete.protoid", "isakmp.delete.spi",
     "isakmp.key_exchange.dh_group", "isakmp.prop.protoid", "isakmp.spisize", "isakmp.nonce"]
v2 = [dict(zip(F, r)) for r in tshark(f"{run}/R1_Serial0.pcap", "isakmp.version == 0x20", F)]
later = [x for x in v2 if x["isakmp.exchangetype"] != "34"]
check(later and all(x["isakmp.enc.decrypted"] == "1" for x in later),
      f"every IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL message decrypts ({len(later)})")
plain = tshark(f"{run}/R1_Serial0.pcap", "isakmp.enc.decrypted", ["frame.number"], False)
check(not plain, "without the table nothing decrypts")
table = lines(f"{run}/ikev2_decryption_table.uat")
spis = {r.split(",")[0] for r in table}
check(len(table) == 3 and len(spis) == 3, f"three IKE SAs (the first, two rekeys), each its own row: {len(table)}")

ccs = [x for x in later if x["isakmp.exchangetype"] == "36"]
child_rekey = [x for x in ccs if "16393" in x["isakmp.notify.msgtype"].split("|")]
check(len(child_rekey) >= 3, f"child SA rekeys with N(REKEY_SA): {len(child_rekey)} requests")
check(all(x["isakmp.notify.protoid"].split("|")[0] == "3" for x in child_rekey),
      "N(REKEY_SA) names an ESP SA")
esp_ccs = [x for x in ccs if x["isakmp.prop.protoid"].split("|")[0] == "3"]
check(esp_ccs and all(x["isakmp.key_exchange.dh_group"] == "14" and x["isakmp.nonce"] for x in esp_ccs),
      f"every child CREATE_CHILD_SA carries a nonce and a KE of group 14 (PFS): {len(esp_ccs)}")
ike_rekey = [x for x in ccs if x["isakmp.prop.protoid"].split("|")[0] == "1"]
check(len(ike_rekey) == 4 and all(x["isakmp.spisize"] == "8" and x["isakmp.key_exchange.dh_group"] == "14"
                                  for x in ike_rekey),
      f"two IKE SA rekeys (request, response), SA of IKE with an 8-byte SPI and KE: {len(ike_rekey)}")
# The first IKE rekey is R2's (it did not create the IKE SA): flags without I, then R1's answer with I|R.
check(ike_rekey and ike_rekey[0]["isakmp.flags"] == "0x00" and ike_rekey[1]["isakmp.flags"] == "0x28",
      f"the first IKE rekey is requested by R2, the original responder: "
      f"{[x['isakmp.flags'] for x in ike_rekey[:2]]}")
info = [x for x in later if x["isakmp.exchangetype"] == "37"]
child_del = [x for x in info if x["isakmp.delete.protoid"] == "3"]
ike_del = [x for x in info if x["isakmp.delete.protoid"] == "1"]
dpd = [x for x in info if not x["isakmp.delete.protoid"] and x["isakmp.flags"] in ("0x08", "0x00")]
check(len(child_del) >= 8 and len(child_del) % 2 == 0,
      f"child SA deletes, each answered with the other direction's SPI: {len(child_del)}")
check(len(ike_del) == 2, f"the old IKE SA deleted after each IKE rekey: {len(ike_del)}")
check(len(dpd) >= 2, f"DPD: empty INFORMATIONAL requests: {len(dpd)}")
# RFC 7296 2.2: per IKE SA and direction the message IDs count up from 0 without a gap.
ids = {}
for x in v2:
    if not int(x["isakmp.flags"], 16) & 0x20:
        ids.setdefault((x["isakmp.ispi"], x["ip.src"]), set()).add(int(x["isakmp.messageid"], 16))
check(len(ids) == 4 and all(sorted(v) == list(range(len(v))) for v in ids.values()),
      f"each side's requests on each IKE SA count 0, 1, 2, ... ({len(ids)} series: "
      f"{sorted(len(v) for v in ids.values())})")

esp = frames("esp", ["esp.spi", "esp.icv_good", "esp.icv_bad"])
bad = [x for x in esp if x[2] not in ("1", "True")]
check(len(esp) > 1000 and not bad, f"{len(esp)} ESP frames in all pcaps, every ICV good across "
                                    f"the rekeys ({len({x[1] for x in esp})} SPIs) {bad[:2]}")
inner = frames("esp && (udp || icmp)", ["frame.number"])
check(len(inner) == len(esp), f"every ESP frame decrypts to the inner UDP or ICMP ({len(inner)})")

# ---- results.json: the records say what the wire shows
for node, other in (("R1", "R2"), ("R2", "R1")):
    check(len([e for e in res["ike"] if e["node"] == node and e["exchange"] == "IKE_SA_INIT"]) == 1,
          f"{node}: one IKE_SA_INIT in the whole run")
r1_child = [e for e in ike("R1", "CREATE_CHILD_SA", "initiator") if "rekey child SA" in e["detail"]]
check(len(r1_child) == 2 and all(89 < e["start_s"] < 95 and "PFS group 14" in e["detail"] for e in r1_child),
      f"R1 rekeys both child SAs it made about 90 s after them, with PFS: "
      f"{[(e['start_s'], e['detail']) for e in r1_child]}")
r2_ike = [e for e in ike("R2", "CREATE_CHILD_SA", "initiator") if "rekey IKE SA" in e["detail"]]
check(len(r2_ike) == 2 and 100 < r2_ike[0]["start_s"] < 102,
      f"R2 rekeys the IKE SA at 100 s (lifetime 120) and its successor 90 s later: "
      f"{[e['start_s'] for e in r2_ike]}")
r1_ike = [e for e in ike("R1", "CREATE_CHILD_SA", "responder") if "rekey IKE SA" in e["detail"]]
check([e["detail"] for e in r1_ike] == [e["detail"] for e in r2_ike], "R1 answered with the same new SPIs")
new_child = [e for e in ike("R1", "CREATE_CHILD_SA", "initiator") if "new child SA" in e["detail"]]
check(len(new_child) == 1 and 3 <= new_child[0]["start_s"] < 4,
      f"the ping's ICMP line gets its child SA over the IKE SA that is up: {[e['start_s'] for e in new_child]}")
cleared = [e for e in ike("R2", "INFORMATIONAL", "initiator") if "delete child SA" in e["detail"]
           and 160 <= e["start_s"] < 161]
check(len(cleared) == 2, f"clear crypto sa on R2: a Delete per child SA: {len(cleared)}")
check(any(160 < e["start_s"] < 162 and "new child SA" in e["detail"]
          for e in ike("R2", "CREATE_CHILD_SA", "initiator")),
      "after the clear R2's next packet makes a child SA over the same IKE SA")
dpd_rec = [e for e in ike("R2", "INFORMATIONAL", "initiator") if e["detail"] == "liveness check (DPD)"]
check(len(dpd_rec) >= 2 and all(e["start_s"] > 220 for e in dpd_rec),
      f"R2's periodic DPD only once the traffic has stopped: {[e['start_s'] for e in dpd_rec]}")
check(not [e for e in res["ike"] if e["result"] != "ok"], "no exchange failed")
for f in res["flows"]:
    check(f["received"] >= f["sent"] - 4,
          f"flow {f['from']} -> {f['to']}: {f['received']}/{f['sent']} (the first packets and the clear)")

# ---- behind a NAT: the rekeys stay on UDP 4500, ESP in UDP decrypts across them
run = sys.argv[2]
res = json.load(open(f"{run}/results.json"))
for with_keys in (False, True):
    bad = frames('_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"], with_keys)
    check(not bad, f"NAT: no malformed frame, no expert warning ({'with' if with_keys else 'without'} "
                   f"the table) {bad[:3]}")
nat = tshark(f"{run}/HQ_Serial0.pcap", "isakmp.version == 0x20 && isakmp.exchangetype > 35",
             ["isakmp.exchangetype", "udp.dstport", "udp.srcport", "isakmp.enc.decrypted"])
check(len(nat) >= 12 and all(x[3] == "1" and "4500" in (x[1], x[2]) for x in nat),
      f"NAT: every CREATE_CHILD_SA and INFORMATIONAL on UDP 4500 and decrypted ({len(nat)})")
rekeys = [e["detail"].split(" 0x")[0].split(" (")[0] for e in ike("BRANCH", "CREATE_CHILD_SA", "initiator")]
check(rekeys == ["rekey child SA", "rekey IKE SA", "rekey child SA"],
      f"NAT: BRANCH rekeys the child SA, the IKE SA, then the child SA over the new IKE SA: {rekeys}")
check(not [e for e in res["ike"] if e["result"] != "ok"], "NAT: no exchange failed")
esp = frames("esp", ["esp.icv_good", "udp.dstport"])
check(len(esp) > 1000 and all(x[1] == "1" and x[2].split("|")[0] == "4500" for x in esp),
      f"NAT: {len(esp)} ESP-in-UDP frames, every ICV good across the rekeys {esp[:1]}")

print("PASS" if not failures else f"FAIL: {len(failures)} checks")
sys.exit(1 if failures else 0)
PY
