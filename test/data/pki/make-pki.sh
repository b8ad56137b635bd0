#!/usr/bin/env bash
# Remakes the certificate fixtures of the rsa-sig / rsa-encr tests with the openssl command line:
# a root CA, two routers (R1 named the IOS way, with unstructuredName and unstructuredAddress in
# its subject; R2 the strongSwan way, with subjectAltName), an expired and a revoked R2 with the
# CA's CRL, an R2 whose names are another router's, and an R2 issued by another CA.
# All files are DER: *.key PKCS#8 private keys, *.crt certificates, ca.crl.
# Validity: CA 2020-2040, routers 2025-2035, the expired one 2020-2021 (tests run at 2027-06-01).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ca_setup() { # NAME SUBJECT [PARENT]: a root CA, or a subordinate one PARENT signs
    mkdir -p "$work/$1"
    : >"$work/$1/index.txt"
    echo 1000 >"$work/$1/serial"
    cat >"$work/$1/ca.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $work/$1
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
preserve = yes
[ any ]
countryName = optional
organizationName = optional
commonName = optional
unstructuredName = optional
unstructuredAddress = optional
[ router ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/$1/key.pem" 2>/dev/null
    openssl req -new -key "$work/$1/key.pem" -subj "$2" -out "$work/$1/req.pem"
    if [ -z "${3:-}" ]; then
        openssl ca -batch -config "$work/$1/ca.cnf" -selfsign -keyfile "$work/$1/key.pem" \
            -extensions root -startdate 20200101000000Z -enddate 20400101000000Z \
            -in "$work/$1/req.pem" -out "$work/$1/cert.pem" 2>/dev/null
    else
        openssl ca -batch -config "$work/$3/ca.cnf" -cert "$work/$3/cert.pem" \
            -keyfile "$work/$3/key.pem" -extensions root -startdate 20200101000000Z \
            -enddate 20400101000000Z -in "$work/$1/req.pem" -out "$work/$1/cert.pem" 2>/dev/null
    fi
    openssl x509 -in "$work/$1/cert.pem" -outform DER -out "$1.crt"
}

router() { # CA NAME SUBJECT SAN START END [KEYOF]
    local key="$work/$2.key.pem"
    if [ -n "${7:-}" ]; then cp "$work/$7.key.pem" "$key"; else
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$key" 2>/dev/null; fi
    local ext=()
    [ -n "$4" ] && ext=(-addext "subjectAltName=$4")
    openssl req -new -key "$key" -subj "$3" "${ext[@]}" -out "$work/$2.req"
    openssl ca -batch -config "$work/$1/ca.cnf" -cert "$work/$1/cert.pem" -keyfile "$work/$1/key.pem" \
        -extensions router -startdate "$5" -enddate "$6" -in "$work/$2.req" -out "$work/$2.pem" 2>/dev/null
    openssl x509 -in "$work/$2.pem" -outform DER -out "$2.crt"
    openssl pkcs8 -topk8 -nocrypt -in "$key" -outform DER -out "$2.key"
}

ca_setup ca "/O=ns3-ipsec lab/CN=Lab Root CA"
ca_setup other-ca "/O=elsewhere/CN=Other CA"
ca_setup sub-ca "/O=ns3-ipsec lab/CN=Lab Issuing CA" ca
router ca r1 "/unstructuredName=R1.lab.example/unstructuredAddress=172.16.0.1/CN=R1" "" \
    20250101000000Z 20350101000000Z
router ca r2 "/C=US/O=ns3-ipsec lab/CN=R2.lab.example" "IP:172.16.0.2,DNS:R2.lab.example" \
    20250101000000Z 20350101000000Z
router ca r2-expired "/C=US/O=ns3-ipsec lab/CN=R2.lab.example" "IP:172.16.0.2,DNS:R2.lab.example" \
    20200101000000Z 20210101000000Z r2
router ca r2-revoked "/C=US/O=ns3-ipsec lab/CN=R2.lab.example" "IP:172.16.0.2,DNS:R2.lab.example" \
    20250101000000Z 20350101000000Z r2
router ca r2-othername "/C=US/O=ns3-ipsec lab/CN=R9.lab.example" "IP:10.9.9.9,DNS:R9.lab.example" \
    20250101000000Z 20350101000000Z r2
router other-ca r2-wrongca "/C=US/O=ns3-ipsec lab/CN=R2.lab.example" "IP:172.16.0.2,DNS:R2.lab.example" \
    20250101000000Z 20350101000000Z r2
router sub-ca r2-sub "/C=US/O=ns3-ipsec lab/CN=R2.lab.example" "IP:172.16.0.2,DNS:R2.lab.example" \
    20250101000000Z 20350101000000Z r2
openssl ca -config "$work/ca/ca.cnf" -cert "$work/ca/cert.pem" -keyfile "$work/ca/key.pem" \
    -revoke "$work/r2-revoked.pem" 2>/dev/null
openssl ca -config "$work/ca/ca.cnf" -cert "$work/ca/cert.pem" -keyfile "$work/ca/key.pem" -gencrl \
    -crl_lastupdate 20260101000000Z -crl_nextupdate 20360101000000Z -out "$work/ca.crl.pem" 2>/dev/null
openssl crl -in "$work/ca.crl.pem" -outform DER -out ca.crl
rm -f r2-expired.key r2-revoked.key r2-othername.key r2-wrongca.key r2-sub.key # r2.key's
