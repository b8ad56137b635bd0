#!/usr/bin/env bash
# The outside judge for the IKEv2 message layer and keys: the GoogleTest Ikev2Tshark.WritePcap
# writes a capture (LINKTYPE_RAW IPv4/UDP 500) of three IKEv2 conversations built with
# Ikev2Message and the crypto core -- IKE_SA_INIT (real group-14 DH), IKE_AUTH with PSK, an
# INFORMATIONAL delete and its empty response -- under AES-CBC-128 + HMAC-SHA1-96,
# AES-CBC-256 + HMAC-SHA2-256-128 and AES-GCM-16-128, then IKE_SA_INIT refusals and retries
# (COOKIE, INVALID_KE_PAYLOAD, CERTREQ, Vendor ID), and the ikev2_decryption_table rows of the
# keys we derived. tshark must
#   - dissect every frame as IKEv2, with no malformed packet and no expert warning, both
#     without and with the table (with it, tshark checks our ICVs and decrypts);
#   - with the table, show IDi/IDr, AUTH, the ESP SA, TSi/TSr and the delete inside the SK
#     payloads, with the values we put in (expect.tsv);
#   - without the table, show none of them;
#   - with a damaged integrity key, flag the CBC suites' ICVs as incorrect.
#
# usage: ikev2-tshark.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
py=/usr/bin/python3
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }
test_bin="$build/ikev2-exchange-test"
[ -x "$test_bin" ] || { echo "FAIL: $test_bin not built"; exit 1; }

IKEV2_TSHARK_DIR="$work" "$test_bin" --gtest_filter='Ikev2Tshark.WritePcap' >"$work/gtest.log" 2>&1 || {
    echo "FAIL: Ikev2Tshark.WritePcap"; cat "$work/gtest.log"; exit 1; }
pcap="$work/ikev2.pcap"
for f in ikev2.pcap expect.tsv ikev2_decryption_table.txt; do
    [ -s "$work/$f" ] || { echo "FAIL: $f missing or empty"; exit 1; }
done
keys=()
while IFS= read -r row; do keys+=(-o "uat:ikev2_decryption_table:$row"); done \
    <"$work/ikev2_decryption_table.txt"
[ ${#keys[@]} -eq 6 ] || { echo "FAIL: expected 3 table rows"; exit 1; }

# Every frame is IKEv2 (version 2.0).
all=$(tshark -r "$pcap" 2>/dev/null | wc -l)
ikev2=$(tshark -r "$pcap" -Y 'isakmp.version == 0x20' 2>/dev/null | wc -l)
echo "$all frames, $ikev2 dissected as IKEv2"
if [ "$all" -ne 23 ] || [ "$ikev2" -ne "$all" ]; then
    echo "FAIL: expected 23 IKEv2 frames"; fail=1
fi

# No malformed frame, no expert warning or error: without the table, then with it.
for mode in plain decrypted; do
    opts=(); [ "$mode" = decrypted ] && opts=("${keys[@]}")
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

# Field values, frame by frame, with the table; and what shows without it.
mapfile -t fields < <(cut -f2 "$work/expect.tsv" | sort -u)
args=(); for f in "${fields[@]}"; do args+=(-e "$f"); done
tshark -r "$pcap" "${keys[@]}" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
    -e frame.number "${args[@]}" >"$work/fields.tsv" 2>/dev/null
tshark -r "$pcap" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
    -e frame.number -e isakmp.id.type -e isakmp.auth.method -e isakmp.ts.start_ipv4 \
    -e isakmp.prop.protoid -e isakmp.delete.spi -e isakmp.enc.decrypted \
    >"$work/nokey.tsv" 2>/dev/null
# A damaged SK_ai/SK_ar (first hex digit of each changed) for the two CBC suites.
bad=()
while IFS= read -r row; do
    bad+=(-o "uat:ikev2_decryption_table:$($py -c '
import sys
c = sys.argv[1].split(",")
flip = lambda h: ("0" if h[0] != "0" else "1") + h[1:] if h else h
c[5], c[6] = flip(c[5]), flip(c[6])
print(",".join(c))' "$row")")
done < <(head -2 "$work/ikev2_decryption_table.txt")
tshark -r "$pcap" "${bad[@]}" -Y 'isakmp.ikev2.integrity_checksum' -T fields -e frame.number \
    >"$work/badicv.txt" 2>/dev/null

$py - "$work" "${fields[@]}" <<'PY' || fail=1
import sys
work, fields = sys.argv[1], sys.argv[2:]
seen = {}
for line in open(f"{work}/fields.tsv"):
    cols = line.rstrip("\n").split("\t")
    frame = int(cols[0])
    for name, value in zip(fields, cols[1:]):
        seen[(frame, name)] = {v.lower() for v in value.replace(",", "|").split("|") if v}
ok = True
n = 0
for line in open(f"{work}/expect.tsv"):
    frame, name, want = line.rstrip("\n").split("\t")
    got = seen.get((int(frame), name), set())
    n += 1
    if want.lower() not in got:
        print(f"FAIL frame {frame}: {name} = {sorted(got)}, expected {want}")
        ok = False
print(f"{n} expected field values checked with the table")
encrypted = {f for base in (0, 6, 12) for f in range(base + 3, base + 7)}
for line in open(f"{work}/nokey.tsv"):
    cols = line.rstrip("\n").split("\t")
    if int(cols[0]) in encrypted and any(cols[1:]):
        print(f"FAIL frame {cols[0]}: inner payload visible without the table: {cols[1:]}")
        ok = False
flagged = {int(l) for l in open(f"{work}/badicv.txt") if l.strip()}
want_flagged = set(range(3, 7)) | set(range(9, 13))
if flagged != want_flagged:
    print(f"FAIL: with damaged integrity keys tshark flags frames {sorted(flagged)}, "
          f"expected {sorted(want_flagged)}")
    ok = False
else:
    print("damaged integrity keys: tshark flags the ICV of every encrypted CBC frame")
sys.exit(0 if ok else 1)
PY

[ "$fail" -eq 0 ] && echo "PASS: tshark dissects, verifies and decrypts every IKEv2 message we build"
exit $fail
