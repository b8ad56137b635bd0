#!/usr/bin/env bash
# Aggressive mode started from IOS configuration, and peers and keys by host name, end to end.
#
# scenarios/ike-aggressive-mode: BRANCH has `crypto isakmp peer address` with `set
# aggressive-mode password` and `client-endpoint fqdn`; HQ (a pasted show running-config) holds
# the key by host name only. Asserted:
#   - BRANCH initiates aggressive mode and HQ answers, quick mode follows, every flow and ping
#     is delivered;
#   - on the wire (tshark): three ISAKMP messages of exchange type 4 (aggressive); the first
#     carries ID_FQDN branch.example.com in the clear; the third is encrypted: without the key
#     tshark shows none of its payloads, with the run's exported key it shows its HASH_I; every
#     ESP frame decrypts with a good ICV; no frame is malformed or flagged;
#   - show running-config prints the crypto isakmp peer block as configured, not among the
#     lines read without effect.
# scenarios/ike-hostname-peers: `set peer NAME` resolved from `ip host` (with `dynamic`) and from
# the scenario's "hosts" table (with `ip domain-name` appended), `crypto isakmp identity
# hostname`, `crypto isakmp key ... hostname` in main mode. Asserted:
#   - main mode and quick mode ok from SITEB, then (after both cleared their SAs) from SITEA,
#     each to the address the name resolves to; both flows delivered;
#   - decrypted main mode messages 5 and 6 carry ID_FQDN SITEA.example.com / SITEB.example.com;
#   - a name nothing resolves is an error with file:line, the line, ^ under the name and IOS's
#     "% Unable to resolve", and nothing runs;
#   - when the name server's answer changes (a "hosts" event), `set peer NAME` keeps the address
#     it was resolved to and `set peer NAME dynamic` follows the change.
# usage: ike-aggressive.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
sim="$build/ipsec-sim"
[ -x "$sim" ] || { echo "FAIL: $sim not built"; exit 1; }
fail=0

for s in ike-aggressive-mode ike-hostname-peers; do
    if ! "$sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/$s.log"; exit 1
    fi
done
grep -q $'\r$' "$src/scenarios/ike-hostname-peers/SITEB.cfg" ||
    { echo "FAIL: SITEB.cfg lost its CRLF line ends"; fail=1; }

/usr/bin/python3 - "$work" <<'PY' || fail=1
import json, subprocess, sys

work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def rows(path):
    return [l for l in open(path).read().splitlines() if l.strip()]

def keys(out, with_ike=True):
    k = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in rows(f"{out}/esp_sa.uat"):
        k += ["-o", "uat:esp_sa:" + row]
    if with_ike:
        for row in rows(f"{out}/ikev1_decryption_table.uat"):
            k += ["-o", "uat:ikev1_decryption_table:" + row]
    return k

def tshark(out, pcap, display, fields, with_ike=True):
    res = subprocess.run(["tshark", "-r", f"{out}/{pcap}", *keys(out, with_ike), "-Y", display,
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in res.splitlines() if l.strip()]

def clean_and_esp(out, r):
    esp, icv = 0, True
    for pcap in r["pcaps"]:
        bad = tshark(out, pcap, '_ws.malformed || _ws.expert.severity >= "warning"',
                     ["frame.number"])
        check(not bad, f"{pcap}: no malformed frame, no expert warning")
        for spi, good in tshark(out, pcap, "esp", ["esp.spi", "esp.icv_good"]):
            esp += 1
            icv &= good in ("1", "True")
    check(esp > 300 and icv, f"all {esp} ESP frames decrypt with a good ICV")

def ok(r, node, exchange, role, peer):
    return [e for e in r["ike"] if e["node"] == node and e["exchange"] == exchange
            and e["role"] == role and e["peer"] == peer and e["result"] == "ok"]

# ------------------------------------------------------------------ aggressive mode
out = f"{work}/ike-aggressive-mode"
r = json.load(open(f"{out}/results.json"))
check(len(ok(r, "BRANCH", "aggressive", "initiator", "198.51.100.2")) == 1,
      "BRANCH initiates aggressive mode with HQ")
check(len(ok(r, "HQ", "aggressive", "responder", "198.51.100.1")) == 1,
      "HQ answers aggressive mode (key found by the branch's host name)")
check(not [e for e in r["ike"] if e["exchange"] == "main"], "no main mode at all")
check(len(ok(r, "BRANCH", "quick", "initiator", "198.51.100.2")) == 1, "quick mode follows")
check(not [e for e in r["ike"] if e["result"] == "failed"], "no IKE exchange failed")
for f in r["flows"]:
    check(f["sent"] > 0 and f["received"] >= 0.98 * f["sent"],
          f"flow {f['from']} -> {f['to']}: {f['received']} of {f['sent']} delivered")
pcap = "BRANCH_Serial0.pcap"
fields = ["frame.number", "isakmp.exchangetype", "isakmp.flag_e", "isakmp.typepayload",
          "isakmp.id.type", "isakmp.id.data.fqdn", "isakmp.hash"]
aggr = [x for x in tshark(out, pcap, "isakmp.exchangetype == 4", fields)]
plain = [x for x in tshark(out, pcap, "isakmp.exchangetype == 4", fields, with_ike=False)]
check(len(aggr) == 3, f"three aggressive-mode messages (exchange type 4) on the wire: {len(aggr)}")
if len(aggr) == 3 and len(plain) == 3:
    m1, m2, m3 = aggr
    check(m1[4] == "2" and m1[5] == "branch.example.com",
          f"message 1: ID_FQDN branch.example.com in the clear ({m1[4]}, {m1[5]})")
    check(m1[2] == "0" and m2[2] == "0" and m2[6] != "", "messages 1 and 2 in the clear, HASH_R in 2")
    check(m3[2] in ("1", "True"), "message 3 is encrypted")
    check(plain[2][3] == "" and plain[2][6] == "", "message 3 shows no payload without the key")
    check("8" in m3[3].split("|") and len(m3[6]) == 40,
          f"message 3 decrypted with the exported key: payloads {m3[3]}, HASH_I {m3[6]}")
clean_and_esp(out, r)
show = open(f"{out}/show/BRANCH.txt").read()
run = show.split("BRANCH#show running-config")[1]
block = ("crypto isakmp peer address 198.51.100.2\n set aggressive-mode password Br4nch-Aggr3ssive\n"
         " set aggressive-mode client-endpoint fqdn branch.example.com\n")
check(block in run, "show running-config prints the crypto isakmp peer block")
unmodelled = run.split("read but not modelled by the simulation:")[1] if "read but not modelled" in run else ""
check("isakmp peer" not in unmodelled and "aggressive-mode" not in unmodelled,
      "the block is not among the lines read without effect")

# ------------------------------------------------------------------ host names
out = f"{work}/ike-hostname-peers"
r = json.load(open(f"{out}/results.json"))
b = ok(r, "SITEB", "main", "initiator", "203.0.113.1")
a = ok(r, "SITEA", "main", "initiator", "203.0.113.2")
check(len(b) == 1 and b[0]["start_s"] < 2,
      "SITEB: main mode to sitea.example.com (ip host, dynamic) at the start")
check(len(a) == 1 and a[0]["start_s"] > 10,
      "SITEA: main mode to siteb (the hosts table, domain name appended) after the clear")
check(len(ok(r, "SITEA", "quick", "initiator", "203.0.113.2")) == 1 and
      len(ok(r, "SITEB", "quick", "initiator", "203.0.113.1")) == 1, "quick mode from both")
check(not [e for e in r["ike"] if e["result"] == "failed"], "no IKE exchange failed")
for f in r["flows"]:
    check(f["sent"] > 100 and f["received"] >= 0.98 * f["sent"],
          f"flow {f['from']} -> {f['to']}: {f['received']} of {f['sent']} delivered")
show = open(f"{out}/show/SITEA.txt").read().split("SITEA#show crypto map")[-1]
check("\tPeer = siteb\n" in show and "\tCurrent peer: 203.0.113.2\n" in show,
      "show crypto map: Peer = siteb, Current peer: 203.0.113.2")
hosts_a = open(f"{out}/show/SITEA.txt").read().split("SITEA#show hosts")[1].split("SITEA#")[0]
hosts_b = open(f"{out}/show/SITEB.txt").read().split("SITEB#show hosts")[1].split("SITEB#")[0]
check("uses domain service" in hosts_a and
      "siteb.example.com         None  (temp, OK)  0   IP    203.0.113.2" in hosts_a,
      "SITEA show hosts: siteb.example.com from the name server (temp)")
check("uses static mappings" in hosts_b and
      "sitea.example.com         None  (perm, OK)  0   IP    203.0.113.1" in hosts_b,
      "SITEB show hosts: sitea.example.com from ip host (perm)")
ids = tshark(out, "SITEA_Serial0.pcap", "isakmp.exchangetype == 2 && isakmp.flag_e == 1",
             ["isakmp.id.type", "isakmp.id.data.fqdn"])
names = sorted({n for t, n in ids if t == "2"})
check(names == ["SITEA.example.com", "SITEB.example.com"] and len(ids) == 4,
      f"decrypted main mode 5 and 6, twice: ID_FQDN {names} ({len(ids)} messages)")
clean_and_esp(out, r)
sys.exit(1 if failures else 0)
PY

# A name nothing resolves: IOS's error, at the name, and no run.
bad="$work/bad"
cp -r "$src/scenarios/ike-hostname-peers" "$bad"
sed -i 's/^ set peer siteb$/ set peer sitec/' "$bad/SITEA.cfg"
if "$sim" "$bad/scenario.json" --out "$work/bad-out" --quiet >"$work/bad.log" 2>&1; then
    echo "FAIL: a peer name that does not resolve was run"; fail=1
else
    line=$(grep -n '^ set peer sitec$' "$bad/SITEA.cfg" | cut -d: -f1)
    if grep -q "SITEA.cfg:$line:" "$work/bad.log" &&
        grep -qx '  set peer sitec' "$work/bad.log" &&
        grep -qx '           ^' "$work/bad.log" &&
        grep -q '% Unable to resolve host name "sitec"' "$work/bad.log"; then
        echo "ok   an unknown peer name: SITEA.cfg:$line, ^ under the name, % Unable to resolve"
    else
        echo "FAIL: the error for an unknown peer name:"; cat "$work/bad.log"; fail=1
    fi
fi

# The name server's answer changes at 10 s (a "hosts" event): SITEA's `set peer siteb`, resolved
# when configured, keeps 203.0.113.2; with `dynamic` it follows the change to 203.0.113.99.
for variant in static dynamic; do
    v="$work/moved-$variant"
    cp -r "$src/scenarios/ike-hostname-peers" "$v"
    [ "$variant" = dynamic ] && sed -i 's/^ set peer siteb$/ set peer siteb dynamic/' "$v/SITEA.cfg"
    /usr/bin/python3 - "$v/scenario.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["events"].append({"at": 9.5, "hosts": {"siteb.example.com": "203.0.113.99"}})
json.dump(s, open(p, "w"), indent=1)
PY
    if ! "$sim" "$v/scenario.json" --out "$v/out" --quiet >"$v.log" 2>&1; then
        echo "FAIL moved-$variant: ipsec-sim exited non-zero"; cat "$v.log"; fail=1; continue
    fi
    want=203.0.113.2; [ "$variant" = dynamic ] && want=203.0.113.99
    got=$(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(sorted({e["peer"] for e in r["ike"] if e["node"] == "SITEA" and e["exchange"] == "main"
                       and e["role"] == "initiator" and e["start_s"] > 10})))' "$v/out/results.json")
    if [ "$got" = "$want" ]; then
        echo "ok   set peer siteb ($variant) after the name server's answer changed: main mode to $got"
    else
        echo "FAIL set peer siteb ($variant): main mode to '$got', expected $want"; fail=1
    fi
done

[ "$fail" -eq 0 ] && echo "PASS: aggressive mode from IOS configuration, peers and keys by host name"
exit $fail
