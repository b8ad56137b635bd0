#!/usr/bin/env bash
# The two library scenarios of IKE with RSA, checked with outside tools.
#
# scenarios/ike-default-policy-certs: no crypto isakmp policy on either router (the IOS default
# suite DES, SHA, rsa-sig, group 1, 86400 s); each enrols with the scenario CA LabCA (R1 from
# its console, R2 from its configuration script).
#   - results.json: main mode with the default suite and quick mode on both routers, the flows
#     delivered;
#   - tshark dissects every ISAKMP frame without and with the exported phase-1 key, no malformed
#     frame (the only expert warning allowed is Wireshark's missing dissector for the PKCS#9
#     unstructuredName OID in the subjects); without the key messages 5 and 6 show nothing,
#     with it each carries an X.509 CERT and a SIG;
#   - the CA certificate the run exports (pki/LabCA.pem) and the routers' certificates (as
#     tshark extracts them from messages 5 and 6, and R2's as its show running-config prints
#     it) parse with openssl x509, and openssl verify accepts both against the CA;
#   - show crypto pki certificates prints the serials the CA issued, show crypto isakmp sa the
#     SA in QM_IDLE.
#
# scenarios/ike-rsa-encr: authentication rsa-encr with the peers' public keys pasted into
# crypto key pubkey-chain rsa.
#   - results.json: main and quick mode up on both routers, the flows delivered;
#   - tshark: messages 3 and 4 carry the ID and the nonce as RSA ciphertext (payload bodies of
#     the modulus' length, the sender's address nowhere in them), no malformed frame; messages 5
#     and 6 decrypt to a HASH;
#   - the public keys pasted are the keys each router shows with show crypto key mypubkey rsa;
#   - with a wrong public key for R2 on R1, R2 cannot decrypt R1's nonce: phase 1 fails with the
#     reason and drop reason doc/ike-rsa.md gives, and no traffic passes.
#
# usage: ike-certificates.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 77; }
[ -x "$build/ipsec-sim" ] || { echo "FAIL: $build/ipsec-sim not built"; exit 1; }

run() { # run SCENARIO_JSON OUT
    if ! "$build/ipsec-sim" "$1" --out "$2" --quiet >"$work/log" 2>&1; then
        echo "FAIL: ipsec-sim exited non-zero on $1"; cat "$work/log"; exit 1
    fi
}
run "$src/scenarios/ike-default-policy-certs/scenario.json" "$work/certs"
run "$src/scenarios/ike-rsa-encr/scenario.json" "$work/encr"

# The rsa-encr variant: R1 holds its own public key where R2's belongs.
mkdir -p "$work/wrong"
cp "$src/scenarios/ike-rsa-encr/"{scenario.json,R2.cfg} "$work/wrong/"
/usr/bin/python3 - "$src/scenarios/ike-rsa-encr" "$work/wrong" <<'PY'
import re, sys
src, dst = sys.argv[1:]
block = re.compile(r"(  key-string\n)(.*?)(  quit\n)", re.S)
r1, r2 = open(f"{src}/R1.cfg").read(), open(f"{src}/R2.cfg").read()
r1_own_key = block.search(r2).group(2)  # R2 holds R1's key
wrong = block.sub(lambda m: m.group(1) + r1_own_key + m.group(3), r1)
assert wrong != r1
open(f"{dst}/R1.cfg", "w").write(wrong)
PY
run "$work/wrong/scenario.json" "$work/wrong/out"

/usr/bin/python3 - "$work" "$src" <<'PY'
import calendar, json, re, subprocess, sys, time
work, src = sys.argv[1:]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def tshark(out, *args, key=False):
    opts = []
    if key:
        row = open(f"{out}/ikev1_decryption_table.uat").read().splitlines()[0]
        opts = ["-o", "uat:ikev1_decryption_table:" + row]
    return subprocess.run(["tshark", "-r", f"{out}/R1_Serial0.pcap", *opts, *args],
                          capture_output=True, text=True, check=True).stdout

def fields(out, names, key=False, display="isakmp"):
    """frame number -> [field values], each field's occurrences joined by '|'."""
    args = ["-Y", display, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
            "-e", "frame.number"]
    for n in names:
        args += ["-e", n]
    rows = {}
    for line in tshark(out, *args, key=key).splitlines():
        cols = line.split("\t")
        rows[int(cols[0])] = cols[1:]
    return rows

def dissects_cleanly(name, out):
    for key in (False, True):
        mode = "decrypted" if key else "plain"
        bad = tshark(out, "-Y", "isakmp && _ws.malformed", key=key).splitlines()
        warns = [w for w in tshark(out, "-Y", "isakmp", "-T", "fields", "-e", "_ws.expert.message",
                                   "-E", "occurrence=a", "-E", "aggregator=\n", key=key).splitlines()
                 if w and "BER: Dissector for OID not implemented" not in w]
        check(not bad and not warns,
              f"{name} ({mode}): every ISAKMP frame dissects, {len(bad)} malformed, warnings {warns}")

def main_mode_frames(rows):
    return [f for f, c in sorted(rows.items()) if c[0] == "2"]

def ssl(*args, data=None):
    return subprocess.run(["openssl", *args], capture_output=True, input=data)

def find(node, name):
    """First value of `name` anywhere in tshark's JSON, duplicate keys kept."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, tuple) and item[0] == name:
                return item[1]
            got = find(item[1] if isinstance(item, tuple) else item, name)
            if got is not None:
                return got
    return None

def results(out):
    return json.load(open(f"{out}/results.json"))

def phase1(r, node):
    return [e for e in r["ike"] if e["node"] == node and e["exchange"] == "main"]

# ---- ike-default-policy-certs --------------------------------------------------------------
out = f"{work}/certs"
r = results(out)
for node in ("R1", "R2"):
    mm = phase1(r, node)
    check(len(mm) == 1 and mm[0]["result"] == "ok" and
          mm[0]["detail"].startswith("DES SHA rsa-sig group1 86400s"),
          f"certs: {node} main mode with the IOS default suite: {[e.get('detail') for e in mm]}")
quick = [e for e in r["ike"] if e["exchange"] == "quick" and e["result"] == "ok"]
check(len(quick) == 2, "certs: quick mode on both routers")
for f in r["flows"]:
    need = f["sent"] if f["kind"] == "ping" else f["sent"] - 3  # the first datagrams start IKE
    check(f["sent"] > 0 and f["received"] >= need,
          f"certs: {f['from']} -> {f['to']} delivered {f['received']} of {f['sent']}")
check(r["nodes"]["R1"]["report"]["sas"] and
      all(sa["packets"] > 0 for sa in r["nodes"]["R1"]["report"]["sas"]),
      "certs: R1's ESP SAs carried the traffic")

dissects_cleanly("certs", out)
names = ["isakmp.exchangetype", "isakmp.certreq.type", "isakmp.cert.encoding", "isakmp.sig",
         "isakmp.id.type"]
plain, keyed = fields(out, names), fields(out, names, key=True)
mm = main_mode_frames(plain)
check(len(mm) == 6, f"certs: six main mode messages (frames {mm})")
m3, m4, m5, m6 = mm[2:6]
check(plain[m3][1] == "4" and plain[m4][1] == "4", "certs: CERT_REQ (X.509 signature) in 3 and 4")
check(not any(plain[m5][2:]) and not any(plain[m6][2:]),
      "certs: without the key messages 5 and 6 show no ID, CERT or SIG")
for n, f in (("5", m5), ("6", m6)):
    c = keyed[f]
    check(c[2] == "4" and c[3] != "" and c[4] == "1",
          f"certs: decrypted message {n} carries ID_IPV4_ADDR, an X.509 CERT and a SIG: {c[2:]}")

# The CA and the routers' certificates, checked by openssl.
clock = calendar.timegm(time.strptime("2026-06-01T09:00:00", "%Y-%m-%dT%H:%M:%S"))
ca = f"{out}/pki/LabCA.pem"
ca_text = ssl("x509", "-in", ca, "-noout", "-subject").stdout.decode()
check("CN = Lab CA" in ca_text, f"certs: pki/LabCA.pem parses: {ca_text.strip()}")
issued = {i["node"]: i["serial"].upper() for i in r["pki"]["LabCA"]["issued"]}
for n, f, node in (("5", m5, "R1"), ("6", m6, "R2")):
    js = json.loads(tshark(out, "-Y", f"frame.number == {f}", "-T", "json", "-x", key=True),
                    object_pairs_hook=list)
    der = bytes.fromhex(find(js, "isakmp.cert.data_raw")[0])
    pem_path = f"{work}/{node}.pem"
    pem = ssl("x509", "-inform", "DER", "-outform", "PEM", data=der)
    check(pem.returncode == 0, f"certs: {node}'s certificate from message {n} parses (openssl x509)")
    open(pem_path, "wb").write(pem.stdout)
    serial = ssl("x509", "-in", pem_path, "-noout", "-serial").stdout.decode().strip()
    check(serial == f"serial={issued.get(node)}",
          f"certs: it is the certificate LabCA issued to {node} ({serial})")
    v = ssl("verify", "-attime", str(clock + 60), "-CAfile", ca, pem_path)
    check(v.returncode == 0, f"certs: openssl verify accepts {node}'s certificate against LabCA: "
          + v.stdout.decode().strip())

show2 = open(f"{out}/show/R2.txt").read()
chain = re.search(r"crypto pki certificate chain LabCA\n certificate (\w+)\n(.*?)\n\s*quit", show2, re.S)
check(chain is not None and chain.group(1) == issued.get("R2"),
      "certs: R2's show running-config holds its certificate chain")
if chain:
    der = bytes.fromhex("".join(chain.group(2).split()))
    same = ssl("x509", "-inform", "DER", "-outform", "PEM", data=der).stdout
    check(same == open(f"{work}/R2.pem", "rb").read(),
          "certs: the certificate in show running-config is the one R2 sent in message 6")

for node, me in (("R1", "172.16.0.1"), ("R2", "172.16.0.2")):
    show = open(f"{out}/show/{node}.txt").read()
    sa = re.search(r"show crypto isakmp sa\n(?:IPv4 Crypto ISAKMP SA\n)?dst .*\n(.*)\n", show)
    check(sa and sa.group(1).split()[:3] == ["172.16.0.2", "172.16.0.1", "QM_IDLE"],
          f"certs: {node} show crypto isakmp sa: {sa.group(1) if sa else None}")
    pki = show.split("show crypto pki certificates", 1)[-1].split("\n! ", 1)[0]
    check(f"Certificate Serial Number (hex): {issued.get(node)}" in pki and
          "Status: Available" in pki and f"IP Address: {me}" in pki and "cn=Lab CA" in pki and
          "Associated Trustpoints: LabCA" in pki,
          f"certs: {node} show crypto pki certificates: its certificate and LabCA's")
show1 = open(f"{out}/show/R1.txt").read()
check("Default protection suite" in show1 and "Rivest-Shamir-Adleman Signature" in show1,
      "certs: R1 show crypto isakmp policy: only the default suite")

# ---- ike-rsa-encr ----------------------------------------------------------------------------
out = f"{work}/encr"
r = results(out)
for node in ("R1", "R2"):
    mm = phase1(r, node)
    check(len(mm) == 1 and mm[0]["result"] == "ok" and "rsa-encr" in mm[0]["detail"],
          f"encr: {node} main mode with rsa-encr: {[e.get('detail') for e in mm]}")
quick = [e for e in r["ike"] if e["exchange"] == "quick" and e["result"] == "ok"]
check(len(quick) == 2, "encr: quick mode on both routers")
for f in r["flows"]:
    need = f["sent"] if f["kind"] == "ping" else f["sent"] - 3
    check(f["sent"] > 0 and f["received"] >= need,
          f"encr: {f['from']} -> {f['to']} delivered {f['received']} of {f['sent']}")

dissects_cleanly("encr", out)
names = ["isakmp.exchangetype", "isakmp.typepayload", "isakmp.payloadlength", "isakmp.hash"]
plain, keyed = fields(out, names), fields(out, names, key=True)
mm = main_mode_frames(plain)
check(len(mm) == 6, f"encr: six main mode messages (frames {mm})")
modulus_bytes = 128  # both keys are 1024-bit
for n, f, sender in (("3", mm[2], "ac100001"), ("4", mm[3], "ac100002")):
    kinds = plain[f][1].split("|")
    lengths = dict(zip(kinds, plain[f][2].split("|")))
    check(kinds[:3] == ["4", "5", "10"] and lengths["5"] == lengths["10"] == str(4 + modulus_bytes),
          f"encr: message {n} KE, ID and nonce, ID and nonce bodies {modulus_bytes} bytes "
          f"(RSA ciphertext): payloads {kinds}, lengths {plain[f][2]}")
    isakmp = tshark(out, "-Y", f"frame.number == {f}", "-T", "fields", "-e", "udp.payload").strip()
    check(len(isakmp) > 400 and sender not in isakmp,
          f"encr: message {n} nowhere carries the sender's address in the clear")
for n, f in (("5", mm[4]), ("6", mm[5])):
    check(plain[f][3] == "" and keyed[f][1].split("|")[0] == "8" and keyed[f][3] != "",
          f"encr: message {n} decrypts to a HASH")

for me, peer in (("R1", "R2"), ("R2", "R1")):
    cfg = open(f"{src}/scenarios/ike-rsa-encr/{me}.cfg").read()
    pasted = "".join(re.search(r"key-string\n(.*?)\n\s*quit", cfg, re.S).group(1).split())
    show = open(f"{out}/show/{peer}.txt").read()
    shown = "".join(re.search(r"Key Data:\n((?:  [0-9A-F ]+\n)+)", show).group(1).split())
    check(pasted == shown, f"encr: {me}'s key-string for {peer} is what {peer} shows as its key")

# The wrong key: R1 encrypts to its own key, R2 cannot decrypt.
r = results(f"{work}/wrong/out")
r2 = phase1(r, "R2")
check(r2 and all(e["result"] == "failed" for e in r2) and
      r2[0].get("reason", "").startswith(
          "encrypted identity or nonce from 172.16.0.1 does not decrypt with our key"),
      "wrong key: R2 refuses R1's encrypted nonce: " + (r2[0].get("reason", "") if r2 else "none"))
drops = r["nodes"]["R2"]["report"]["ike"].get("drop_reasons", {})
check("encrypted nonce does not decrypt" in drops, f"wrong key: R2's drop reasons {drops}")
r1 = phase1(r, "R1")
check(r1 and r1[0]["reason"] == "peer reported INVALID-KEY-INFORMATION",
      "wrong key: R2's notify INVALID-KEY-INFORMATION reaches R1: " + (r1[0]["reason"] if r1 else "none"))
check(not [e for e in r["ike"] if e["exchange"] in ("main", "quick") and e["result"] == "ok"],
      "wrong key: no phase 1 or quick mode succeeds")
check(all(f["received"] == 0 for f in r["flows"]), "wrong key: no traffic passes")

if failures:
    print(f"{len(failures)} check(s) failed")
sys.exit(1 if failures else 0)
PY
echo "PASS: IKE with certificates (default policy) and with rsa-encr, checked by tshark and openssl"
