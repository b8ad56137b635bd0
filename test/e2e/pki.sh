#!/usr/bin/env bash
# A scenario with a root CA and a subordinate CA, a router that enrols from its configuration
# script (crypto key generate rsa, trustpoint, authenticate, enroll), another that enrols with
# the older crypto ca commands typed at its console, and a host that asks for a certificate.
# The PEM files the run exports into pki/ are checked with the openssl command line: the CA
# certificates and the host's are what the scenario asked for, the chain verifies, the CRLs list
# exactly the revoked certificates (the host's at once, R2's from t = 5 s) and make openssl refuse
# them; the same seed gives the same files, another seed other keys. The show commands print the
# serials the CA issued. Part two: rsa-sig with the default policy and the scenario CA, and a
# revocation that makes a router refuse its peer.
# usage: pki.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 77; }

cat >"$work/R1.cfg" <<'EOF'
hostname R1
ip domain-name lab.example
interface Ethernet0
 ip address 192.0.2.5 255.255.255.252
interface Serial0
 ip address 192.0.2.1 255.255.255.252
crypto key generate rsa general-keys label R1-key modulus 1024
crypto pki trustpoint LabSub
 enrollment url http://192.0.2.100:80
 subject-name CN=R1,OU=Branch
 ip-address Serial0
 rsakeypair R1-key
 revocation-check crl
crypto pki authenticate LabSub
crypto pki enroll LabSub
EOF
printf 'hostname R2\r\n!\r\ninterface Serial0\r\n ip address 192.0.2.2 255.255.255.252\r\n!\r\ncrypto ca identity LabRoot\r\n enrollment url http://LabRoot\r\n crl optional\r\n' >"$work/R2.cfg"
cat >"$work/scenario.json" <<'EOF'
{
  "name": "pki: a root and a subordinate CA, two routers enrolling, a host's certificate",
  "duration": 10, "seed": 7,
  "clock": "2026-03-01T08:00:00Z",
  "certificate-authorities": [
    {"name": "LabRoot", "subject": "CN=Lab Root CA,O=Lab,C=US", "key-size": 2048,
     "revoke": [{"node": "R2", "at": 5}]},
    {"name": "LabSub", "issuer": "LabRoot", "url": "http://192.0.2.100/", "key-size": 1024,
     "certificate-validity": "2h", "revoke": ["h1"]}
  ],
  "nodes": [
    {"name": "R1", "config": "R1.cfg"},
    {"name": "R2", "config": "R2.cfg"},
    {"name": "h1", "kind": "host", "address": "192.0.2.6/30", "gateway": "192.0.2.5",
     "certificate": {"ca": "LabSub", "subject": "CN=h1,O=Lab",
                     "san": ["192.0.2.6", "h1.lab.example"], "key-size": 1024}}
  ],
  "links": [
    {"a": "R1:Serial0", "b": "R2:Serial0", "type": "serial"},
    {"a": "h1:eth0", "b": "R1:Ethernet0", "type": "ethernet"}
  ],
  "events": [
    {"at": 1, "node": "R2", "exec": "crypto key generate rsa modulus 768"},
    {"at": 1, "node": "R2", "exec": "crypto ca authenticate LabRoot"},
    {"at": 1, "node": "R2", "exec": "crypto ca enroll LabRoot"},
    {"at": 2, "node": "R1", "exec": "show crypto pki certificates verbose"},
    {"at": 2, "node": "R1", "exec": "show crypto key mypubkey rsa"},
    {"at": 2, "node": "R2", "exec": "show crypto ca certificates"}
  ]
}
EOF
run() { # run SEED OUT
    sed "s/\"seed\": 7/\"seed\": $1/" "$work/scenario.json" >"$work/s$1.json"
    if ! "$build/ipsec-sim" "$work/s$1.json" --out "$2" --quiet >"$work/log" 2>&1; then
        echo "FAIL: ipsec-sim exited non-zero"; cat "$work/log"; exit 1
    fi
}
run 7 "$work/a"
run 7 "$work/b"
run 8 "$work/c"

/usr/bin/python3 - "$work" <<'PY'
import json, os, subprocess, sys

work = sys.argv[1]
out = f"{work}/a"
pki = f"{out}/pki"
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def ssl(*args):
    return subprocess.run(["openssl", *args], capture_output=True, text=True)

files = sorted(os.listdir(pki))
check(files == ["LabRoot.crl.pem", "LabRoot.pem", "LabSub.crl.pem", "LabSub.pem",
                "h1.cert.pem", "h1.key.pem"], f"pki/ holds the CA, CRL and host files: {files}")

clock = 1772352000  # 2026-03-01T08:00:00Z
at = ["-attime", str(clock + 60)]
root = ssl("x509", "-in", f"{pki}/LabRoot.pem", "-noout", "-text").stdout
check("Subject: CN = Lab Root CA, O = Lab, C = US" in root, "root CA subject")
check("Public-Key: (2048 bit)" in root and "CA:TRUE" in root, "root CA: 2048 bits, CA:TRUE")
check("Not Before: Mar  1 08:00:00 2026 GMT" in root, "root CA valid from the scenario's clock")
sub = ssl("x509", "-in", f"{pki}/LabSub.pem", "-noout", "-text").stdout
check("Issuer: CN = Lab Root CA" in sub and "Subject: CN = LabSub" in sub,
      "subordinate CA issued by the root")
host = ssl("x509", "-in", f"{pki}/h1.cert.pem", "-noout", "-text").stdout
check("Subject: CN = h1, O = Lab" in host and "Issuer: CN = LabSub" in host, "host certificate")
check("IP Address:192.0.2.6, DNS:h1.lab.example" in host, "host subjectAltName")
check("Not After : Mar  1 10:00:00 2026 GMT" in host, "host certificate valid 2 h")
pub_cert = ssl("x509", "-in", f"{pki}/h1.cert.pem", "-noout", "-pubkey").stdout
pub_key = ssl("pkey", "-in", f"{pki}/h1.key.pem", "-pubout").stdout
check(pub_cert and pub_cert == pub_key, "h1.key.pem is the key of h1.cert.pem")
check(ssl("rsa", "-in", f"{pki}/h1.key.pem", "-check", "-noout").returncode == 0,
      "openssl rsa -check accepts the host key")

v = ssl("verify", *at, "-CAfile", f"{pki}/LabRoot.pem", "-untrusted", f"{pki}/LabSub.pem",
        f"{pki}/h1.cert.pem")
check(v.returncode == 0, "the host's chain verifies without CRLs: " + v.stdout.strip())
v = ssl("verify", *at, "-crl_check", "-CAfile", f"{pki}/LabRoot.pem", "-untrusted",
        f"{pki}/LabSub.pem", "-CRLfile", f"{pki}/LabSub.crl.pem", f"{pki}/h1.cert.pem")
check(v.returncode != 0 and "certificate revoked" in v.stdout + v.stderr,
      "with LabSub's CRL the host's certificate is revoked")
v = ssl("verify", *["-attime", str(clock + 3 * 3600)], "-CAfile", f"{pki}/LabRoot.pem",
        "-untrusted", f"{pki}/LabSub.pem", f"{pki}/h1.cert.pem")
check(v.returncode != 0 and "certificate has expired" in v.stdout + v.stderr,
      "after its 2 h the host's certificate has expired")
bundle = f"{work}/bundle.pem"
with open(bundle, "w") as b:
    b.write(open(f"{pki}/LabRoot.pem").read() + open(f"{pki}/LabSub.pem").read())
for ca in ("LabRoot", "LabSub"):
    c = ssl("crl", "-in", f"{pki}/{ca}.crl.pem", "-noout", "-CAfile", bundle)
    check("verify OK" in c.stdout + c.stderr, f"{ca}'s CRL is signed by {ca}")

r = json.load(open(f"{out}/results.json"))
issued = {(ca, i["node"]): i for ca, v in r["pki"].items() for i in v["issued"]}
check(set(issued) == {("LabRoot", "R2"), ("LabSub", "R1"), ("LabSub", "h1")},
      f"results.json pki: who got what: {sorted(issued)}")
root_crl = ssl("crl", "-in", f"{pki}/LabRoot.crl.pem", "-noout", "-text").stdout
r2 = issued[("LabRoot", "R2")]["serial"].upper()
check(f"Serial Number: {r2}" in root_crl, f"LabRoot's CRL lists R2's certificate {r2}")
check("Revocation Date: Mar  1 08:00:05 2026 GMT" in root_crl, "revoked at t = 5 s")
sub_crl = ssl("crl", "-in", f"{pki}/LabSub.crl.pem", "-noout", "-text").stdout
r1 = issued[("LabSub", "R1")]["serial"].upper()
check(f"Serial Number: {r1}" not in sub_crl and issued[("LabSub", "R1")]["revoked"] is False,
      "R1's certificate is not revoked")

show1 = open(f"{out}/show/R1.txt").read()
check(f"Certificate Serial Number (hex): {r1}" in show1, "R1's show names its serial")
check("R1(config)#crypto pki enroll LabSub" in show1 and "CERTRET" in show1,
      "R1's configured enrolment is in its show file")
check("RSA Public Key: (1024 bit)" in show1 and "Key name: R1-key" in show1, "R1's key")
show2 = open(f"{out}/show/R2.txt").read()
check(f"Certificate Serial Number (hex): {r2}" in show2, "R2's show names its serial")

same = all(open(f"{work}/a/pki/{f}", "rb").read() == open(f"{work}/b/pki/{f}", "rb").read()
           for f in files)
check(same, "the same seed gives the same PEM files")
differ = open(f"{work}/a/pki/h1.key.pem").read() != open(f"{work}/c/pki/h1.key.pem").read()
check(differ, "another seed gives another key")

sys.exit(1 if failures else 0)
PY

# Part two: two routers with no ISAKMP policy of their own (the IOS default suite: DES, SHA,
# rsa-sig, group 1) enrol with the scenario's CA and bring up IKE and IPsec with those
# certificates; the CA revokes R2's certificate at 12 s, and after `clear crypto isakmp` at 13 s
# R1 refuses it, as IOS reports it.
mkdir -p "$work/rsa"
cat >"$work/rsa/R1.cfg" <<'EOF'
hostname R1
ip domain-name lab.example
crypto key generate rsa general-keys modulus 1024
crypto pki trustpoint LabCA
 enrollment url http://LabCA
 revocation-check crl
 ip-address Serial0
crypto pki authenticate LabCA
crypto pki enroll LabCA
!
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
crypto map toRemoteSite 10 ipsec-isakmp
 match address 101
 set transform-set myset2
 set peer 172.16.0.2
!
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 172.16.0.1 255.255.255.252
 crypto map toRemoteSite
ip route 10.2.2.0 255.255.255.0 172.16.0.2
EOF
cat >"$work/rsa/R2.cfg" <<'EOF'
hostname R2
ip domain-name lab.example
crypto key generate rsa general-keys modulus 1024
crypto pki trustpoint LabCA
 enrollment url http://LabCA
 revocation-check crl
 ip-address Serial0
crypto pki authenticate LabCA
crypto pki enroll LabCA
!
access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
crypto map toRemoteSite 10 ipsec-isakmp
 match address 101
 set transform-set myset2
 set peer 172.16.0.1
!
interface Ethernet0
 ip address 10.2.2.5 255.255.255.0
interface Serial0
 ip address 172.16.0.2 255.255.255.252
 crypto map toRemoteSite
ip route 10.0.0.0 255.255.255.0 172.16.0.1
EOF
cat >"$work/rsa/scenario.json" <<'EOF'
{
  "name": "rsa-sig with the IOS default policy and the scenario CA",
  "duration": 20, "seed": 1, "clock": "2026-06-01",
  "certificate-authorities": [{"name": "LabCA", "key-size": 1024, "revoke": [{"node": "R2", "at": 12}]}],
  "nodes": [
    {"name": "R1", "config": "R1.cfg"},
    {"name": "R2", "config": "R2.cfg"},
    {"name": "h1", "kind": "host", "address": "10.0.0.10/24", "gateway": "10.0.0.1"},
    {"name": "h2", "kind": "host", "address": "10.2.2.10/24", "gateway": "10.2.2.5"}
  ],
  "links": [
    {"a": "R1:Serial0", "b": "R2:Serial0", "type": "serial", "rate": "1544kbps", "delay": "10ms"},
    {"a": "h1:eth0", "b": "R1:Ethernet0", "type": "ethernet"},
    {"a": "h2:eth0", "b": "R2:Ethernet0", "type": "ethernet"}
  ],
  "traffic": [
    {"kind": "udp", "from": "h1", "to": "10.2.2.10", "rate": "64kbps", "size": 256, "start": 1, "stop": 18}
  ],
  "events": [
    {"at": 8, "node": "R1", "exec": "show crypto isakmp sa"},
    {"at": 13, "node": "R1", "exec": "clear crypto isakmp"},
    {"at": 13, "node": "R1", "exec": "clear crypto sa"},
    {"at": 14, "node": "R1", "exec": "show crypto isakmp sa"}
  ]
}
EOF
if ! "$build/ipsec-sim" "$work/rsa/scenario.json" --out "$work/rsa/out" --quiet >"$work/log" 2>&1; then
    echo "FAIL: ipsec-sim exited non-zero (rsa-sig)"; cat "$work/log"; exit 1
fi
/usr/bin/python3 - "$work/rsa/out" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/results.json"))
failures = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
main = [e for e in r["ike"] if e["exchange"] == "main"]
first = [e for e in main if e["start_s"] < 2]
check(len(first) == 2 and all(e["result"] == "ok" and "rsa-sig" in e["detail"] for e in first),
      "main mode with the default suite (rsa-sig) on both routers: " +
      "; ".join(e.get("detail", "") for e in first))
check(any("unstructuredName=R2.lab.example" in e.get("detail", "") for e in first),
      "R1 saw R2's certificate from the scenario CA")
quick = [e for e in r["ike"] if e["exchange"] == "quick" and e["result"] == "ok"]
check(len(quick) == 2, "quick mode on both routers")
flow = r["flows"][0]
check(flow["received"] > 0.9 * flow["sent"] * 12 / 17,
      f"traffic through the tunnel until the revocation: {flow['received']} of {flow['sent']}")
later = [e for e in main if e["start_s"] > 12 and e["node"] == "R1"]
check(later and later[0]["result"] == "failed" and "certificate revoked" in later[0]["reason"],
      "after the revocation R1 refuses R2's certificate: " +
      (later[0].get("reason", "") if later else "no main mode"))
sys.exit(1 if failures else 0)
PY
