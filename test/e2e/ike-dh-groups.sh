#!/usr/bin/env bash
# The newer Diffie-Hellman groups end to end (scenarios/ike-dh-groups): two-router tunnels whose
# IOS configurations use groups 19, 20, 21 (ECP) and 15, 16, 24 (MODP) in `crypto isakmp
# policy` and `set pfs`, AES-192/256 with SHA-256/384/512 in phase 1 and GCM / SHA-2 transform
# sets. Asserted:
#   - every main mode and quick mode ends ok, every flow is delivered;
#   - on the wire (tshark), each phase-1 SA payload of the responder names the spoke's group and
#     each key exchange payload has that group's size (ECP: x || y; MODP: the prime's size), in
#     main mode and in quick mode (PFS);
#   - tshark, given the run's keys, decrypts every encrypted ISAKMP message and every ESP frame
#     with a good ICV, and flags no frame;
#   - `show crypto isakmp policy` and `show crypto map` print the groups as IOS does;
#   - a group IOS does not have (`group 22`, `set pfs group23`) is an error with file:line and ^.
# usage: ike-dh-groups.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
sim="$build/ipsec-sim"
[ -x "$sim" ] || { echo "FAIL: $sim not built"; exit 1; }
fail=0
s=ike-dh-groups

# One of the configurations keeps the CRLF line ends of a file saved on Windows.
grep -q $'\r$' "$src/scenarios/$s/R6.cfg" || { echo "FAIL: R6.cfg lost its CRLF line ends"; fail=1; }

if ! "$sim" "$src/scenarios/$s/scenario.json" --out "$work/out" --quiet >"$work/run.log" 2>&1; then
    echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/run.log"; exit 1
fi

/usr/bin/python3 - "$work/out" <<'PY' || fail=1
import json, os, subprocess, sys

out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

keys = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
for row in lines(f"{out}/esp_sa.uat"):
    keys += ["-o", "uat:esp_sa:" + row]
for row in lines(f"{out}/ikev1_decryption_table.uat"):
    keys += ["-o", "uat:ikev1_decryption_table:" + row]

def tshark(pcap, display, fields):
    res = subprocess.run(["tshark", "-r", f"{out}/{pcap}", *keys, "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in res.splitlines() if l.strip()]

def true(v):
    return v in ("1", "True")

# spoke: (R1's serial interface, phase-1 group, PFS group)
spokes = {"R2": ("Serial0", 19, 19), "R3": ("Serial1", 20, 20), "R4": ("Serial2", 21, 21),
          "R5": ("Serial3", 15, 24), "R6": ("Serial4", 16, 15)}
ke_bytes = {19: 64, 20: 96, 21: 132, 15: 384, 16: 512, 24: 256, 14: 256}

for spoke, (serial, group, pfs) in spokes.items():
    for node in ("R1", spoke):
        for ex in ("main", "quick"):
            ok = [e for e in r["ike"] if e["node"] == node and e["exchange"] == ex
                  and e["result"] == "ok" and e["peer"].startswith(f"172.16.{spoke[1]}.")]
            check(len(ok) >= 1, f"{spoke}: {node} {ex} mode ok ({len(ok)})")
    failed = [e for e in r["ike"] if e["result"] == "failed"]
    pcap = f"R1_{serial}.pcap"
    # Phase 1: the responder's SA payload names the chosen group; KE payloads have its size.
    mm = tshark(pcap, "isakmp.exchangetype == 2",
                ["isakmp.ike.attr.group_description", "isakmp.key_exchange.data"])
    chosen = [row[0] for row in mm if row[0] and "|" not in row[0]]
    check(str(group) in chosen, f"{spoke}: a phase-1 SA payload with group {group} alone ({chosen})")
    kes = [len(row[1].replace(":", "")) // 2 for row in mm if len(row) > 1 and row[1]]
    check(len(kes) == 2 and all(k == ke_bytes[group] for k in kes),
          f"{spoke}: main-mode KE payloads of {ke_bytes[group]} bytes for group {group} ({kes})")
    # Quick mode (decrypted): the PFS group in the SA payload, KE payloads of its size.
    qm = tshark(pcap, "isakmp.exchangetype == 32 && isakmp.key_exchange.data",
                ["isakmp.ipsec.attr.group_description", "isakmp.key_exchange.data"])
    groups = {g for row in qm for g in row[0].split("|") if g}
    qkes = [len(row[1].replace(":", "")) // 2 for row in qm]
    check(groups == {str(pfs)}, f"{spoke}: quick mode offers and accepts PFS group {pfs} ({groups})")
    check(len(qkes) >= 2 and all(k == ke_bytes[pfs] for k in qkes),
          f"{spoke}: quick-mode KE payloads of {ke_bytes[pfs]} bytes for PFS group {pfs} ({qkes})")

check(not [e for e in r["ike"] if e["result"] == "failed"], "no IKE exchange failed")
for f in r["flows"]:
    check(f["received"] > 0 and f["lost"] <= 1,
          f"flow {f['from']} -> {f['to_node']}: {f['received']} received, {f['lost']} lost")

esp = icv_good = isakmp_enc = decrypted = 0
for pcap in r["pcaps"]:
    bad = tshark(pcap, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"])
    check(not bad, f"{pcap}: no malformed frame, no expert warning ({[b[0] for b in bad][:5]})")
    for spi, good, flag_e, payloads in tshark(pcap, "esp || isakmp", [
            "esp.spi", "esp.icv_good", "isakmp.flag_e", "isakmp.typepayload"]):
        if spi:
            esp += 1
            icv_good += true(good)
        if true(flag_e):
            isakmp_enc += 1
            decrypted += bool(payloads)
check(esp > 0 and icv_good == esp, f"{icv_good} of {esp} ESP frames decrypt with a good ICV")
check(isakmp_enc > 0 and decrypted == isakmp_enc,
      f"{decrypted} of {isakmp_enc} encrypted ISAKMP frames decrypted")

show = open(f"{out}/show/R1.txt").read()
for text in ("#19 (256 bit ecp)", "#20 (384 bit ecp)", "#21 (521 bit ecp)", "#15 (3072 bit)",
             "#16 (4096 bit)", "Secure Hash Standard 2 (384 bit)",
             "AES - Advanced Encryption Standard (192 bit keys).", "DH group:  group24",
             "DH group:  group19"):
    check(text in show, f"show/R1.txt has '{text}'")
sys.exit(1 if failures else 0)
PY

# A group IOS has no keyword for is an error pointing at it.
bad_group() { # WHAT SED-EXPRESSION PATTERN
    rm -rf "$work/bad" && cp -r "$src/scenarios/$s" "$work/bad"
    sed -i "$2" "$work/bad/R2.cfg"
    local line
    line=$(grep -n "$3" "$work/bad/R2.cfg" | cut -d: -f1)
    [ -n "$line" ] || { echo "FAIL $1: not planted"; fail=1; return; }
    if "$sim" "$work/bad/scenario.json" --out "$work/bad-out" --quiet >"$work/bad.log" 2>&1; then
        echo "FAIL $1: accepted"; fail=1; return
    fi
    if grep -q "R2.cfg:$line" "$work/bad.log" && grep -q '\^' "$work/bad.log" &&
        grep -q "$4" "$work/bad.log"; then
        echo "ok   $1: error at R2.cfg:$line with ^"
    else
        echo "FAIL $1: message lacks R2.cfg:$line, ^ or '$4'"; cat "$work/bad.log"; fail=1
    fi
}
bad_group "group 22" 's/^ group 19$/ group 22/' '^ group 22$' "Diffie-Hellman group"
bad_group "set pfs group23" 's/^ set pfs group19$/ set pfs group23/' 'set pfs group23' "group24"

[ "$fail" -eq 0 ] && echo "PASS: groups 15, 16, 19, 20, 21, 24 with SHA-2 and GCM, end to end"
exit $fail
