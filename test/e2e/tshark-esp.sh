#!/usr/bin/env bash
# The outside judge: tshark, given every row of esp_sa.uat, decrypts every ESP frame the
# simulation put on the serial link with a good ICV and shows the inner packet; a frame with one
# flipped ciphertext bit shows a bad ICV.
#
# usage: tshark-esp.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }

# Every cipher and integrity algorithm tshark can check, one flow each, in one run.
sets="esp-3des esp-sha-hmac;esp-des esp-md5-hmac;esp-aes esp-sha-hmac;esp-aes 192 esp-sha256-hmac;esp-aes 256 esp-sha384-hmac;esp-null esp-sha512-hmac;esp-gcm;esp-gcm 256;ah-sha-hmac esp-aes esp-md5-hmac"
n_sets=9
packets=5

check_run() { # name, extra args...
    local name=$1; shift
    local out="$work/$name"
    "$build/ipsec-two-routers" --out="$out" --packets=$packets "$@" >"$out.log" 2>&1 || {
        echo "FAIL $name: example exited non-zero"; cat "$out.log"; fail=1; return; }
    local uat=()
    while IFS= read -r row; do uat+=(-o "uat:esp_sa:$row"); done <"$out/esp_sa.uat"
    # Every pcap of the run (both ends of every link): ESP shows up on the serial link only.
    : >"$out/esp.txt"
    for pcap in "$out"/*.pcap; do
        tshark -r "$pcap" -o esp.enable_encryption_decode:TRUE \
            -o esp.enable_authentication_check:TRUE "${uat[@]}" -Y esp -T fields -E separator=';' \
            -e esp.spi -e esp.icv_good -e esp.icv_bad -e ip.src -e udp.srcport -e udp.dstport \
            >>"$out/esp.txt"
    done
    local frames good bad inner
    frames=$(wc -l <"$out/esp.txt")
    # integrity: every frame's ICV (HMAC, or the GCM tag) checked good by tshark
    bad=$(awk -F';' '$3 ~ /1|True/' "$out/esp.txt" | wc -l)
    good=$(awk -F';' '$2 ~ /1|True/' "$out/esp.txt" | wc -l)
    # decryption: the inner (tunnelled) IP source and UDP port are visible
    inner=$(awk -F';' '$5 ~ /^500[1-9]$/ || $6 ~ /^500[1-9]$/' "$out/esp.txt" | wc -l)
    echo "$name: $frames ESP frames, $good ICV good, $bad ICV bad, $inner decrypted to UDP"
    if [ "$frames" -eq 0 ] || [ "$bad" -ne 0 ] || [ "$good" -ne "$frames" ] ||
       [ "$inner" -ne "$frames" ]; then
        echo "FAIL $name"; head -5 "$out/esp.txt"; fail=1
    fi
    echo "$frames" >"$out/counts"
}

check_run tunnel --transforms="$sets"
read -r frames <"$work/tunnel/counts" || true
# every flow: its requests and the echoed replies, each one ESP frame captured at both ends
expect=$((n_sets * packets * 2 * 2))
[ "${frames:-0}" -eq "$expect" ] || { echo "FAIL tunnel: expected $expect ESP frames, saw ${frames:-0}"; fail=1; }
grep -q "flow 9 .*: $packets/$packets echoed" "$work/tunnel.log" || { echo "FAIL tunnel: not all echoed"; cat "$work/tunnel.log"; fail=1; }

check_run transport --transforms="esp-3des esp-sha-hmac;esp-aes 256 esp-sha-hmac" --mode=transport

# Tamper with one ciphertext byte of the first ESP frame: tshark must report a bad ICV.
/usr/bin/python3 - "$work/tunnel/link-R1-1.pcap" "$work/tampered.pcap" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
off = 24
while off < len(data):
    incl = struct.unpack_from('<I', data, off + 8)[0]
    frame = off + 16
    # PPP: 2 bytes protocol (0x0021 = IPv4), then IPv4 header; protocol byte at +9
    if data[frame:frame + 2] == b'\x00\x21' and data[frame + 2 + 9] == 50:
        ihl = (data[frame + 2] & 0x0f) * 4
        data[frame + 2 + ihl + 8 + 20] ^= 0x01   # inside the ciphertext
        break
    off = frame + incl
open(sys.argv[2], 'wb').write(data)
PY
uat=(); while IFS= read -r row; do uat+=(-o "uat:esp_sa:$row"); done <"$work/tunnel/esp_sa.uat"
bad=$(tshark -r "$work/tampered.pcap" -o esp.enable_encryption_decode:TRUE \
      -o esp.enable_authentication_check:TRUE "${uat[@]}" -Y 'esp.icv_bad == 1' | wc -l)
echo "tampered: $bad frame(s) with a bad ICV"
[ "$bad" -eq 1 ] || { echo "FAIL tampered frame not detected"; fail=1; }

exit $fail
