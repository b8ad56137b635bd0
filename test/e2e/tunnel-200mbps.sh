#!/usr/bin/env bash
# scenarios/tunnel-200mbps: the committed files are what make-scenario.py writes; the library
# scenario brings the tunnel up at both routers, delivers every datagram intact through it
# (tshark decrypts every ESP frame on the WAN line with a good ICV), and loses only the echo
# request that started IKE; the --plain variant routes the same datagrams in the clear.
#
# usage: tunnel-200mbps.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
folder="$src/scenarios/tunnel-200mbps"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }
fail=0

# The library files are the generator's default output, byte for byte.
python3 "$folder/make-scenario.py" --out "$work/generated"
for f in scenario.json R1.cfg R2.cfg; do
    cmp -s "$folder/$f" "$work/generated/$f" || { echo "FAIL $f differs from make-scenario.py's"; fail=1; }
done
python3 "$folder/make-scenario.py" --plain --out "$work/plain-scenario"

for run in library plain; do
    scenario="$folder/scenario.json"
    [ $run = plain ] && scenario="$work/plain-scenario/scenario.json"
    if ! "$build/ipsec-sim" "$scenario" --out "$work/$run" --quiet --no-plots >"$work/$run.log" 2>&1; then
        echo "FAIL $run: ipsec-sim exited non-zero"; cat "$work/$run.log"; exit 1
    fi
done

# Every ESP frame on R1's WAN line, decrypted with the run's keys.
uat=(); while IFS= read -r row; do uat+=(-o "uat:esp_sa:$row"); done <"$work/library/esp_sa.uat"
tshark -r "$work/library/R1_Serial0_0_0.pcap" -o esp.enable_encryption_decode:TRUE \
    -o esp.enable_authentication_check:TRUE "${uat[@]}" -Y esp -T fields -E separator=';' \
    -e esp.icv_good -e udp.dstport -e frame.len 2>/dev/null >"$work/esp.txt"
tshark -r "$work/plain/R1_Serial0_0_0.pcap" -Y esp 2>/dev/null | wc -l >"$work/plain-esp.txt"

/usr/bin/python3 - "$work" <<'PY' || fail=1
import json, sys
work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def flows(run):
    r = json.load(open(f"{work}/{run}/results.json"))
    return r, {f["kind"]: f for f in r["flows"]}

r, f = flows("library")
udp, ping = f["udp"], f["ping"]
check(udp["sent"] == 3571 and udp["received"] == 3571, f"library: 3571 datagrams sent and delivered ({udp['sent']}, {udp['received']})")
check(udp["payload"]["intact"] == 3571, "library: every datagram intact")
check(ping["sent"] == 2 and ping["lost"] == 1, "library: only the echo request that started IKE is lost")
for node in ("R1", "R2"):
    esp = [(s["direction"], s["peer"]) for s in r["nodes"][node]["report"]["sas"] if s["protocol"] == "esp"]
    peer = "172.16.0.2" if node == "R1" else "172.16.0.1"
    check(sorted(esp) == [("inbound", peer), ("outbound", peer)], f"library: {node} has an inbound and an outbound ESP SA with {peer}")
rows = [l.split(";") for l in open(f"{work}/esp.txt").read().splitlines() if l.strip()]
udp_esp = [x for x in rows if x[1] == "5001"]
check(len(udp_esp) == 3571, f"library: 3571 ESP frames on R1's WAN line carry the UDP flow ({len(udp_esp)})")
check(all(x[0] in ("1", "True") for x in rows), "library: every ESP frame decrypts with a good ICV")
check(all(x[2] == "1498" for x in udp_esp), "library: the UDP flow's ESP packets are 1496 bytes (1498 with the link header)")

r, f = flows("plain")
udp, ping = f["udp"], f["ping"]
check(udp["sent"] == 3571 and udp["received"] == 3571 and udp["payload"]["intact"] == 3571, "plain: the same datagrams, delivered intact")
check(ping["lost"] == 0, "plain: no echo request lost")
check(not any(s["protocol"] == "esp" for n in ("R1", "R2") for s in r["nodes"][n]["report"]["sas"]), "plain: no SA")
check(open(f"{work}/plain-esp.txt").read().strip() == "0", "plain: no ESP on the WAN line")
sys.exit(1 if failures else 0)
PY
exit $fail
