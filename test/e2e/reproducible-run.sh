#!/usr/bin/env bash
# The same scenario, seed and run put the same bytes on the wire (IVs, keys, SPIs come from
# streams seeded by ns-3's seed and run); another run number gives other bytes.
# usage: reproducible-run.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$build/ipsec-two-routers" --out="$work/$1" --packets=4 \
        --transforms="esp-aes esp-sha-hmac;esp-3des esp-md5-hmac" "${@:2}" >/dev/null; }
run a --RngRun=1
run b --RngRun=1
run c --RngRun=2
same() { cmp -s "$work/$1/link-R1-1.pcap" "$work/$2/link-R1-1.pcap"; }
fail=0
if same a b && cmp -s "$work/a/esp_sa.uat" "$work/b/esp_sa.uat"; then
    echo "run 1 twice: identical pcap and keys"
else
    echo "FAIL: the same seed and run gave different bytes"; fail=1
fi
if same a c || cmp -s "$work/a/esp_sa.uat" "$work/c/esp_sa.uat"; then
    echo "FAIL: run 2 gave the same bytes or keys as run 1"; fail=1
else
    echo "run 2: different pcap and keys"
fi
exit $fail
