#!/usr/bin/env bash
# The outside judge for IKE with RSA signatures: the GoogleTest IkeRsa.WriteRsaSigPcapForTshark
# runs main mode with rsa-sig between two IKE daemons (R1 identified by its DN, R2 by its
# address; certificates of the fixture CA in test/data/pki) and captures R1's serial link, with
# the phase-1 key as an ikev1_decryption_table row. Then:
#   - tshark dissects the six main mode and three quick mode messages with no malformed frame,
#     without and with the key; the only expert warnings allowed are Wireshark's own
#     "Dissector for OID not implemented" for the PKCS#9 unstructuredName IOS puts in subjects;
#   - without the key: CERT_REQ (X.509 signature, the CA's name) in messages 3 and 4, and no
#     CERT, SIG or ID visible in messages 5 and 6;
#   - with the key: messages 5 and 6 carry ID (DER_ASN1_DN, then IPV4_ADDR), an X.509 CERT that
#     dissects as a certificate, and a SIG; quick mode decrypts too;
#   - openssl, given the certificate and the signature tshark extracted, recovers a 20-byte
#     SHA-1 HASH_R from the signature with PKCS#1 v1.5 padding: no DigestInfo, as IKEv1
#     signatures are (RFC 2409 5.1; strongSwan's IKEv1 signs and verifies them this way).
#
# usage: ike-rsa-tshark.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 77; }
test_bin="$build/ike-rsa-test"
[ -x "$test_bin" ] || { echo "FAIL: $test_bin not built"; exit 1; }

IKE_RSA_TSHARK_DIR="$work" "$test_bin" --gtest_filter='IkeRsa.WriteRsaSigPcapForTshark' \
    >"$work/gtest.log" 2>&1 || { echo "FAIL: IkeRsa.WriteRsaSigPcapForTshark"; cat "$work/gtest.log"; exit 1; }
pcap="$work/rsa-sig.pcap"
for f in rsa-sig.pcap ikev1_decryption_table.txt; do
    [ -s "$work/$f" ] || { echo "FAIL: $f missing or empty"; exit 1; }
done
key=(-o "uat:ikev1_decryption_table:$(cat "$work/ikev1_decryption_table.txt")")
ts() { tshark -r "$pcap" "$@" 2>/dev/null; }

mm=$(ts -Y 'isakmp.exchangetype == 2' | wc -l)
qm=$(ts -Y 'isakmp.exchangetype == 32' | wc -l)
echo "$mm main mode and $qm quick mode messages"
if [ "$mm" -ne 6 ] || [ "$qm" -ne 3 ]; then echo "FAIL: expected 6 and 3"; fail=1; fi

for mode in plain decrypted; do
    opts=(); [ "$mode" = decrypted ] && opts=("${key[@]}")
    bad=$(ts "${opts[@]}" -Y 'isakmp && _ws.malformed' | wc -l)
    warns=$(ts "${opts[@]}" -Y 'isakmp' -T fields -e _ws.expert.message -E occurrence=a \
        -E aggregator='\n' | grep -v '^$' | grep -v 'BER: Dissector for OID not implemented' || true)
    if [ "$bad" -ne 0 ] || [ -n "$warns" ]; then
        echo "FAIL ($mode): $bad malformed ISAKMP frames; warnings: $warns"; fail=1
    else
        echo "$mode: no malformed frame, no expert warning but the unstructuredName OID"
    fi
done

# Without the key: CERT_REQ in 3 and 4; nothing of 5 and 6.
ts -Y isakmp -T fields -E occurrence=a -E aggregator='|' -e frame.number -e isakmp.certreq.type \
    -e isakmp.cert.encoding -e isakmp.sig -e isakmp.id.type >"$work/nokey.tsv"
# With the key.
ts "${key[@]}" -Y isakmp -T fields -E occurrence=a -E aggregator='|' -e frame.number \
    -e isakmp.certreq.type -e isakmp.cert.encoding -e isakmp.sig -e isakmp.id.type \
    -e x509ce.dNSName -e isakmp.exchangetype >"$work/key.tsv"
# Message 6's certificate and signature as bytes (the _raw fields of the JSON output).
ts "${key[@]}" -Y 'frame.number == 6' -T json -x >"$work/m6.json"

/usr/bin/python3 - "$work" <<'PY' || fail=1
import sys
work = sys.argv[1]
def rows(name):
    out = {}
    for line in open(f"{work}/{name}"):
        cols = line.rstrip("\n").split("\t")
        out[int(cols[0])] = cols[1:]
    return out
nokey, key = rows("nokey.tsv"), rows("key.tsv")
ok = True
def expect(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= cond
expect(nokey[3][0] == "4" and nokey[4][0] == "4", "CERT_REQ X.509 signature in messages 3 and 4")
expect(all(not any(nokey[f][1:]) for f in (5, 6)), "messages 5 and 6 show nothing without the key")
m5, m6 = key[5], key[6]
expect(m5[1] == "4" and m5[2] != "" and m5[3] == "9", "message 5: CERT X.509, SIG, ID DER_ASN1_DN")
expect(m6[1] == "4" and m6[2] != "" and m6[3] == "1", "message 6: CERT X.509, SIG, ID IPV4_ADDR")
expect("R2.lab.example" in m6[4], "R2's certificate dissects (subjectAltName dNSName)")
qm = [f for f, c in key.items() if c[5] == "32"]
expect(len(qm) == 3 and all(key[f][3] != "" for f in qm[:2]), "quick mode decrypts (proxy IDs)")
import json
def find(node, name):
    """First value of @name anywhere, keeping duplicate keys (tshark repeats payload trees)."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, tuple) and item[0] == name:
                return item[1]
            got = find(item[1] if isinstance(item, tuple) else item, name)
            if got is not None:
                return got
    return None
m6json = json.load(open(f"{work}/m6.json"), object_pairs_hook=list)
open(f"{work}/cert6.hex", "w").write(find(m6json, "isakmp.cert.data_raw")[0])
open(f"{work}/sig6.hex", "w").write(find(m6json, "isakmp.sig_raw")[0])
sys.exit(0 if ok else 1)
PY

# The signature, checked by openssl with the certificate tshark extracted.
xxd -r -p "$work/cert6.hex" >"$work/cert6.der"
xxd -r -p "$work/sig6.hex" >"$work/sig6.bin"
openssl x509 -inform DER -in "$work/cert6.der" -pubkey -noout >"$work/pub6.pem"
if openssl pkeyutl -verifyrecover -pubin -inkey "$work/pub6.pem" -in "$work/sig6.bin" \
    -pkeyopt rsa_padding_mode:pkcs1 -out "$work/hash6.bin" 2>"$work/openssl.err"; then
    n=$(stat -c %s "$work/hash6.bin")
    if [ "$n" -eq 20 ]; then
        echo "ok   openssl recovers a 20-byte HASH_R from SIG_R (PKCS#1 v1.5, no DigestInfo)"
    else
        echo "FAIL: the signature holds $n bytes, not a bare SHA-1 hash"; fail=1
    fi
else
    echo "FAIL: openssl cannot verify SIG_R with R2's certificate"; cat "$work/openssl.err"; fail=1
fi

[ "$fail" -eq 0 ] && echo "PASS: an rsa-sig exchange dissects, decrypts and its signature verifies"
exit $fail
