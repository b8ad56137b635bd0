#!/usr/bin/env bash
# IKEv2 with RSA signatures, judged by tshark and openssl. scenarios/ikev2-certs: both routers
# enrol with the run's CA and authenticate with rsa-sig (AUTH method 1). Checked: both
# exchanges succeed and the traffic passes; every frame dissects without a malformed frame or
# an expert warning (with and without the keys; allowed only Wireshark's missing dissector for
# the PKCS#9 unstructuredName OID IOS puts in subjects); R2's IKE_SA_INIT response carries a
# CERTREQ whose CA list is the SHA-1 of LabCA's SubjectPublicKeyInfo as openssl computes it from
# pki/LabCA.pem; IKE_AUTH decrypts with the exported table and shows each side's CERT (X.509
# signature), AUTH method 1 and the identities (R1's address, R2's DN); openssl parses both
# certificates carried, verifies them against pki/LabCA.pem and finds the identities in them.
# A copy whose R2 enrols with another CA fails with AUTHENTICATION_FAILED on both sides.
# usage: ikev2-certs.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 77; }

run() {
    "$build/ipsec-sim" "$1/scenario.json" --out "$work/$2" --quiet >"$work/$2.log" 2>&1 || {
        echo "FAIL $2: ipsec-sim exited non-zero"; cat "$work/$2.log"; exit 1; }
}
run "$src/scenarios/ikev2-certs" ok
mkdir -p "$work/cfg-other-ca"
cp "$src/scenarios/ikev2-certs/"* "$work/cfg-other-ca/"
sed -i 's/"key-size": 2048}/&,\n    {"name": "OtherCA", "subject": "CN=Other CA,O=Elsewhere,C=US", "key-size": 2048}/' \
    "$work/cfg-other-ca/scenario.json"
sed -i 's/enrollment url http:\/\/LabCA/enrollment url http:\/\/OtherCA/' "$work/cfg-other-ca/R2.cfg"
run "$work/cfg-other-ca" other-ca

/usr/bin/python3 - "$work" <<'PY'
import hashlib, json, os, subprocess, sys

work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(run, with_keys):
    if not with_keys:
        return []
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    opts += sum([["-o", "uat:esp_sa:" + r] for r in lines(f"{work}/{run}/esp_sa.uat")], [])
    opts += sum([["-o", "uat:ikev2_decryption_table:" + r]
                 for r in lines(f"{work}/{run}/ikev2_decryption_table.uat")], [])
    return opts

def tshark(run, display, fields, with_keys=True, pcap="R1_Serial0.pcap"):
    out = subprocess.run(["tshark", "-r", f"{work}/{run}/{pcap}", *keys(run, with_keys),
                          "-Y", display, "-T", "fields", "-E", "occurrence=a",
                          "-E", "aggregator=|", *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

def raw_fields(run, display, name, pcap="R1_Serial0.pcap"):
    """Per frame, the bytes of every field @p name (tshark -T json -x gives them as NAME_raw)."""
    out = subprocess.run(["tshark", "-r", f"{work}/{run}/{pcap}", *keys(run, True), "-Y", display,
                          "-T", "json", "-x"], capture_output=True, text=True, check=True).stdout
    # tshark repeats keys (one per payload): keep every pair, not only the last of a name.
    def walk(x, found):
        if isinstance(x, Pairs):
            for k, v in x:
                if k == name + "_raw" and isinstance(v, list) and isinstance(v[0], str):
                    found.append(bytes.fromhex(v[0]))
                else:
                    walk(v, found)
        elif isinstance(x, list):
            for v in x:
                walk(v, found)
        return found
    return [walk(frame, []) for frame in json.loads(out, object_pairs_hook=Pairs)]

class Pairs(list):
    pass

def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True)

r = json.load(open(f"{work}/ok/results.json"))
for node, role in (("R1", "initiator"), ("R2", "responder")):
    for ex in ("IKE_SA_INIT", "IKE_AUTH"):
        got = [e for e in r["ike"] if e["node"] == node and e["exchange"] == ex]
        check(len(got) == 1 and got[0]["result"] == "ok" and got[0]["role"] == role,
              f"ok: {node} {ex} as {role}: {[(e['result'], e.get('reason')) for e in got]}")
for f in r["flows"]:
    check(f["received"] >= f["sent"] - 3,
          f"ok: flow {f['from']} -> {f['to']}: {f['received']}/{f['sent']} received")

allowed = "BER: Dissector for OID not implemented"
for pcap in ("R1_Serial0.pcap", "R2_Serial0.pcap"):
    for with_keys in (False, True):
        bad = tshark("ok", "_ws.malformed", ["frame.number"], with_keys, pcap)
        warns = [w for row in tshark("ok", "isakmp || esp", ["_ws.expert.message"], with_keys, pcap)
                 for w in row[0].split("|") if w and allowed not in w]
        check(not bad and not warns, f"ok: {pcap} {'with' if with_keys else 'without'} the "
              f"keys: no malformed frame, no expert warning but the OID one: {bad[:2]} {warns[:2]}")

# CERTREQ in IKE_SA_INIT's response: the SHA-1 of LabCA's public key (RFC 7296 3.7).
ca = f"{work}/ok/pki/LabCA.pem"
spki = openssl("x509", "-in", ca, "-noout", "-pubkey").stdout
der = openssl("pkey", "-pubin", "-outform", "DER", data=spki).stdout
want = hashlib.sha1(der).hexdigest()
init = tshark("ok", "isakmp.exchangetype == 34",
              ["isakmp.flags", "isakmp.certreq.type", "isakmp.ike.certreq.authority",
               "isakmp.typepayload"])
check(len(init) == 2 and "38" not in init[0][3].split("|") and init[1][1] == "4",
      f"ok: CERTREQ (X.509 signature) in R2's IKE_SA_INIT response only: "
      f"{[(x[1], x[3]) for x in init]}")
if len(init) == 2:
    got = init[1][2].replace(":", "")
    check(got == want, f"ok: CERTREQ names LabCA by the SHA-1 of its key ({got} / {want})")

auth = tshark("ok", "isakmp.exchangetype == 35",
              ["isakmp.typepayload", "isakmp.auth.method", "isakmp.cert.encoding", "frame.number",
               "isakmp.id.data.ipv4_addr", "isakmp.id.data.der_asn1_dn", "isakmp.id.type",
               "isakmp.certreq.type"])
check(len(auth) == 2, f"ok: IKE_AUTH request and response ({len(auth)})")
certs = {}
carried = raw_fields("ok", "isakmp.exchangetype == 35", "isakmp.cert.data")
if len(auth) == 2 and len(carried) == 2:
    for who, row, der in (("R1", auth[0], carried[0]), ("R2", auth[1], carried[1])):
        check(row[1] == "1", f"ok: {who}'s AUTH is RSA Digital Signature (method 1): {row[1]}")
        check(row[2] == "4", f"ok: {who}'s CERT is an X.509 signature certificate: {row[2]}")
        check(len(der) == 1, f"ok: {who} sends one certificate (LabCA is the trust anchor)")
        certs[who] = der[0] if der else b""
    check(auth[0][4] == "172.16.0.1" and auth[0][6] == "1", f"ok: IDi is R1's address: {auth[0][4]}")
    check(auth[1][6] == "9", f"ok: IDr is a DER DN (identity local dn): type {auth[1][6]}")
    check(auth[0][7] == "4", f"ok: R1's IKE_AUTH request asks for a certificate (CERTREQ)")
plain = tshark("ok", "isakmp.exchangetype == 35 && isakmp.cert.encoding", ["frame.number"],
               False)
check(not plain, "ok: without the table the certificates stay encrypted")

for who, der in certs.items():
    path = f"{work}/{who}.der"
    open(path, "wb").write(der)
    text = openssl("x509", "-inform", "DER", "-in", path, "-noout", "-subject", "-issuer", "-text")
    out = text.stdout.decode(errors="replace")
    check(text.returncode == 0 and "Lab CA" in out, f"ok: openssl parses {who}'s certificate, "
          f"issued by Lab CA: {out.splitlines()[:2]}")
    pem = openssl("x509", "-inform", "DER", "-in", path).stdout
    open(f"{work}/{who}.pem", "wb").write(pem)
    v = openssl("verify", "-CAfile", ca, "-attime", "1780304400", f"{work}/{who}.pem")
    check(v.returncode == 0, f"ok: openssl verifies {who}'s certificate against LabCA: "
          f"{(v.stdout + v.stderr).decode().strip()}")
    if who == "R1":
        check("172.16.0.1" in out, "ok: R1's certificate carries its address (ip-address Serial0)")
    else:
        check("CN = r2.lab.example" in out and "OU = Branch" in out,
              "ok: R2's certificate subject is its subject-name")

# ---- R2 enrolled with another CA: neither takes the other's certificate.
o = json.load(open(f"{work}/other-ca/results.json"))
def auth_as(node, role):
    return [e for e in o["ike"] if e["node"] == node and e["exchange"] == "IKE_AUTH"
            and e["role"] == role]
r1, r2 = auth_as("R1", "initiator"), auth_as("R2", "responder")
check(r1 and all(e["result"] == "failed" and "AUTHENTICATION_FAILED" in e["reason"] for e in r1),
      f"other-ca: R1's IKE_AUTH fails with AUTHENTICATION_FAILED: {r1[:1]}")
check(r2 and all(e["result"] == "failed" and "certificate is bad" in e["reason"] for e in r2),
      f"other-ca: R2 refuses R1's certificate: {r2[:1]}")
check(not lines(f"{work}/other-ca/esp_sa.uat"), "other-ca: no child SA")
sys.exit(1 if failures else 0)
PY
