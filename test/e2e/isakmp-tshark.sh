#!/usr/bin/env bash
# The outside judge for the ISAKMP wire format: the GoogleTest IsakmpTshark.WritePcap writes a
# capture (LINKTYPE_RAW IPv4/UDP 500) of a whole IKEv1 conversation built with IsakmpMessage and
# encrypted with IsakmpCipherState: main mode 1-6 (5 and 6 encrypted), quick mode 1-3, encrypted
# informational exchanges (R-U-THERE, R-U-THERE-ACK, delete ESP SA, delete ISAKMP SA) and a
# cleartext NO-PROPOSAL-CHOSEN from another peer. tshark must
#   - dissect every frame as ISAKMP, with no malformed packet and no expert warning, both
#     without and with the phase-1 key in ikev1_decryption_table;
#   - with the key, decrypt every encrypted frame (which needs our RFC 2409 Appendix B IV chain:
#     phase 1, then hash(last phase-1 block | M-ID) per exchange) and show the values we put
#     in, frame by frame, as listed in expect.tsv;
#   - without the key, show none of the encrypted payloads.
#
# usage: isakmp-tshark.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
py=/usr/bin/python3
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
test_bin="$build/isakmp-crypto-test"
[ -x "$test_bin" ] || { echo "FAIL: $test_bin not built"; exit 1; }

ISAKMP_TSHARK_DIR="$work" "$test_bin" --gtest_filter='IsakmpTshark.WritePcap' >"$work/gtest.log" 2>&1 || {
    echo "FAIL: IsakmpTshark.WritePcap"; cat "$work/gtest.log"; exit 1; }
pcap="$work/isakmp.pcap"
for f in isakmp.pcap expect.tsv ikev1_decryption_table.txt; do
    [ -s "$work/$f" ] || { echo "FAIL: $f missing or empty"; exit 1; }
done
key=(-o "uat:ikev1_decryption_table:$(cat "$work/ikev1_decryption_table.txt")")

# Every frame is ISAKMP.
all=$(tshark -r "$pcap" 2>/dev/null | wc -l)
isakmp=$(tshark -r "$pcap" -Y isakmp 2>/dev/null | wc -l)
echo "$all frames, $isakmp dissected as ISAKMP"
if [ "$all" -ne 14 ] || [ "$isakmp" -ne "$all" ]; then
    echo "FAIL: expected 14 ISAKMP frames"; fail=1
fi

# No malformed frame, no expert warning or error: without the key, then with it.
for mode in plain decrypted; do
    opts=(); [ "$mode" = decrypted ] && opts=("${key[@]}")
    tshark -r "$pcap" "${opts[@]}" -Y '_ws.malformed || _ws.expert.severity >= "warning"' \
        >"$work/bad-$mode.txt" 2>/dev/null
    if [ -s "$work/bad-$mode.txt" ]; then
        echo "FAIL ($mode): tshark flags frames:"; cat "$work/bad-$mode.txt"
        tshark -r "$pcap" "${opts[@]}" -q -z expert 2>/dev/null
        fail=1
    else
        echo "$mode: no malformed frame, no expert warning"
    fi
done

# Field values, frame by frame, with the key. One tshark run; every occurrence of each field.
mapfile -t fields < <(cut -f2 "$work/expect.tsv" | sort -u)
args=(); for f in "${fields[@]}"; do args+=(-e "$f"); done
tshark -r "$pcap" "${key[@]}" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
    -e frame.number "${args[@]}" >"$work/fields.tsv" 2>/dev/null
# Without the key: the payloads inside encrypted frames must not show.
tshark -r "$pcap" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
    -e frame.number -e isakmp.id.type -e isakmp.hash -e isakmp.notify.msgtype \
    -e isakmp.delete.spi >"$work/nokey.tsv" 2>/dev/null

$py - "$work" "${fields[@]}" <<'PY' || fail=1
import sys
work, fields = sys.argv[1], sys.argv[2:]
seen = {}
for line in open(f"{work}/fields.tsv"):
    cols = line.rstrip("\n").split("\t")
    frame = int(cols[0])
    for name, value in zip(fields, cols[1:]):
        vals = set(v for v in value.split("|") if v != "")
        vals |= {"1" for v in vals if v == "True"} | {"0" for v in vals if v == "False"}
        seen[(frame, name)] = vals
ok = True
n = 0
for line in open(f"{work}/expect.tsv"):
    frame, name, want = line.rstrip("\n").split("\t")
    got = seen.get((int(frame), name), set())
    n += 1
    if want.lower() not in {g.lower() for g in got}:
        print(f"FAIL frame {frame}: {name} = {sorted(got)}, expected {want}")
        ok = False
print(f"{n} expected field values checked")
# Encrypted frames 5-13 show no inner payload without the key.
for line in open(f"{work}/nokey.tsv"):
    cols = line.rstrip("\n").split("\t")
    if 5 <= int(cols[0]) <= 13 and any(c for c in cols[1:]):
        print(f"FAIL frame {cols[0]}: inner payload visible without the key: {cols[1:]}")
        ok = False
sys.exit(0 if ok else 1)
PY

[ "$fail" -eq 0 ] && echo "PASS: tshark dissects and decrypts every ISAKMP message we build"
exit $fail
