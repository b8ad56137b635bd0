#!/usr/bin/env bash
# ipsec-sim end to end: the built-in default scenario (the spec's example, keyed by hand) runs,
# tshark decrypts every ESP frame on the serial line with a good ICV, no protected traffic
# crosses the line in the clear, what one router encapsulates the other decapsulates, every
# flow arrives; and bad scenario files are rejected with the JSON Pointer of the fault, a
# non-zero exit status and nothing written.
#
# usage: ipsec-sim-default.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
py=/usr/bin/python3
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
sim="$build/ipsec-sim"

# --- the default run ----------------------------------------------------------------------
out="$work/default"
if ! "$sim" --out "$out" >"$work/default.log" 2>&1; then
    echo "FAIL default: ipsec-sim exited non-zero"; cat "$work/default.log"; exit 1
fi
cat "$work/default.log"
for f in results.json esp_sa.uat show/R1.txt show/R2.txt R1_Serial0.pcap R2_Serial0.pcap; do
    [ -s "$out/$f" ] || { echo "FAIL default: $f missing or empty"; fail=1; }
done

# tshark with every row of esp_sa.uat: each ESP frame on the serial line decrypts, ICV good,
# and shows the tunnelled packet (a second ip.src, from one of the LANs).
uat=(); while IFS= read -r row; do uat+=(-o "uat:esp_sa:$row"); done <"$out/esp_sa.uat"
[ "${#uat[@]}" -eq 4 ] || { echo "FAIL: expected 2 ESP SAs in esp_sa.uat"; fail=1; }
for pcap in R1_Serial0 R2_Serial0; do
    tshark -r "$out/$pcap.pcap" -o esp.enable_encryption_decode:TRUE \
        -o esp.enable_authentication_check:TRUE "${uat[@]}" -Y esp -T fields -E separator=';' \
        -e esp.spi -e esp.icv_good -e esp.icv_bad -e ip.src >"$work/$pcap.esp"
    frames=$(wc -l <"$work/$pcap.esp")
    good=$(awk -F';' '$2 ~ /1|True/' "$work/$pcap.esp" | wc -l)
    bad=$(awk -F';' '$3 ~ /1|True/' "$work/$pcap.esp" | wc -l)
    inner=$(awk -F';' '$4 ~ /,10\.(0\.0|2\.2)\./' "$work/$pcap.esp" | wc -l)
    all=$(tshark -r "$out/$pcap.pcap" | wc -l)
    echo "$pcap: $all frames, $frames ESP, $good ICV good, $bad ICV bad, $inner decrypted to a LAN packet"
    if [ "$frames" -eq 0 ] || [ "$good" -ne "$frames" ] || [ "$bad" -ne 0 ] ||
       [ "$inner" -ne "$frames" ] || [ "$all" -ne "$frames" ]; then
        echo "FAIL $pcap"; head -3 "$work/$pcap.esp"; fail=1
    fi
    # Without the keys nothing of the flows shows: no UDP, TCP or ICMP between the LANs.
    clear=$(tshark -r "$out/$pcap.pcap" -Y 'udp || tcp || icmp || !esp' | wc -l)
    [ "$clear" -eq 0 ] || { echo "FAIL $pcap: $clear frames in the clear"; fail=1; }
done

# Counters: the final `show crypto ipsec sa` of each router, and results.json.
$py - "$out" <<'PY' || fail=1
import json, re, sys
out = sys.argv[1]
r = json.load(open(out + "/results.json"))
ok = True
def last_show(node):
    text = open(f"{out}/show/{node}.txt").read()
    sections = re.split(r"(?m)^! ", text)
    final = [s for s in sections if f"{node}#show crypto ipsec sa" in s][-1]
    enc = sum(map(int, re.findall(r"#pkts encaps: (\d+)", final)))
    dec = sum(map(int, re.findall(r"#pkts decaps: (\d+)", final)))
    return enc, dec
e1, d1 = last_show("R1")
e2, d2 = last_show("R2")
print(f"show crypto ipsec sa: R1 encaps {e1} decaps {d1}; R2 encaps {e2} decaps {d2}")
if not (e1 > 0 and e2 > 0 and e1 == d2 and e2 == d1):
    print("FAIL: #pkts encaps on one router is not #pkts decaps on the other"); ok = False
rep1, rep2 = r["nodes"]["R1"]["report"], r["nodes"]["R2"]["report"]
if (rep1["encapsulated"], rep2["encapsulated"]) != (e1, e2) or \
   (rep1["decapsulated"], rep2["decapsulated"]) != (d1, d2):
    print("FAIL: results.json and show crypto ipsec sa disagree"); ok = False
for f in r["flows"]:
    line = f'{f["kind"]} {f["from"]} -> {f["to"]}: sent {f["sent"]}, received {f["received"]}'
    print(line)
    if f["sent"] == 0 or f["received"] != f["sent"] or f["lost"] != 0:
        print("FAIL: " + line); ok = False
shows = open(f"{out}/show/R1.txt").read()
if not shows.startswith("! 5.000 s\nR1#show crypto ipsec sa\n"):
    print("FAIL: show/R1.txt does not start with the 5 s event"); ok = False
sys.exit(0 if ok else 1)
PY

# The same scenario from its files gives the same flows; --seed and --run are recorded.
"$sim" "$here/scenarios/default/scenario.json" --out "$work/files" --seed 3 --run 2 --quiet
$py - "$out/results.json" "$work/files/results.json" <<'PY' || fail=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ok = [(f["sent"], f["received"]) for f in a["flows"]] == [(f["sent"], f["received"]) for f in b["flows"]]
ok = ok and b["scenario"]["seed"] == 3 and b["scenario"]["run"] == 2
print("scenarios/default/scenario.json --seed 3 --run 2:", "same flows, seed and run recorded" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY

# --- bad scenarios: rejected before the run, with the JSON Pointer, nothing written --------
cp "$here"/scenarios/default/R1.cfg "$here"/scenarios/default/R2.cfg "$work/"
reject() { # name, expected text of stderr, python that edits the scenario `d`
    local name=$1 expect=$2 edit=$3
    $py - "$here/scenarios/default/scenario.json" "$work/$name.json" "$edit" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], "w").write(json.dumps(d, indent=2) if d is not None else "{ not json")
PY
    local rc=0
    (cd "$work" && "$sim" "$name.json" --out "$work/out-$name" >"$work/$name.out" 2>"$work/$name.err") || rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "FAIL $name: accepted"; fail=1
    elif ! grep -qF -- "$expect" "$work/$name.err"; then
        echo "FAIL $name: expected '$expect' in:"; cat "$work/$name.err"; fail=1
    elif [ -e "$work/out-$name" ]; then
        echo "FAIL $name: wrote $work/out-$name"; fail=1
    else
        echo "rejected $name (exit $rc): $(head -1 "$work/$name.err")"
    fi
}
# (messages name the scenario file as given on the command line)
reject missing-node 'missing-node.json: /links/1/a: node "R3" is not defined' \
    'd["links"][1]["a"] = "R3:Serial0"'
reject unknown-key 'unknown-key.json: /traffic/0/rat: unknown key "rat"' \
    'd["traffic"][0]["rat"] = "1kbps"'
reject bad-interface 'bad-interface.json: /links/0/a: interface "Serial1" is not declared' \
    'd["links"][0]["a"] = "R1:Serial1"'
reject bad-rate 'bad-rate.json: /links/0/rate: cannot read "fast" as a data rate' \
    'd["links"][0]["rate"] = "fast"'
reject not-json 'not-json.json: not a JSON file' 'd = None'
reject duplicate-address 'duplicate-address.json: /nodes/3/address: 10.0.0.10 is already' \
    'd["nodes"][3]["address"] = "10.0.0.10/24"'
reject unconnected 'unconnected.json: /nodes/5: node "h9" has no link' \
    'd["nodes"].append({"name": "h9", "kind": "host", "address": "10.9.9.9/24"})'
reject bad-exec 'bad-exec.json: /events/0/exec:' \
    'd["events"][0]["exec"] = "show crypto ipsex sa"'
reject unreachable-peer 'unreachable-peer.json: /nodes/0/config/' \
    'd["nodes"][0]["config"] = [l.replace("set peer 172.16.0.2", "set peer 192.0.2.1") for l in open("'"$work"'/R1.cfg").read().splitlines()]'
if ! "$sim" "$work/does-not-exist.json" --out "$work/out-none" 2>/dev/null && [ ! -e "$work/out-none" ]; then
    echo "rejected a missing file"
else
    echo "FAIL: a missing scenario file was not rejected"; fail=1
fi
if "$sim" --seed 0 --out "$work/out-seed" 2>/dev/null || [ -e "$work/out-seed" ]; then
    echo "FAIL: --seed 0 accepted"; fail=1
fi
# Large networks: no captures, no pictures; results and show output as usual.
if "$sim" --out "$work/out-lean" --no-pcaps --no-plots --quiet &&
    [ -s "$work/out-lean/results.json" ] && [ -d "$work/out-lean/show" ] &&
    ! ls "$work/out-lean" | grep -q -E '\.pcap$|\.png$|report\.html|netanim'; then
    echo "--no-pcaps --no-plots: results.json and show/ only"
else
    echo "FAIL: --no-pcaps --no-plots: $(ls "$work/out-lean" 2>&1 | tr '\n' ' ')"; fail=1
fi
exit $fail
