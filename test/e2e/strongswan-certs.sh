#!/usr/bin/env bash
# A simulated IOS router (R1) and a real strongSwan authenticate each other with X.509
# certificates issued by the scenario's CA (scenarios/interop-strongswan-certs/): IKEv1 main mode
# with RSA signatures (R1: `authentication rsa-sig`, a trustpoint enrolled with the CA; charon:
# `auth = pubkey` with the key and certificate the run exports as pki/sw.key.pem and
# pki/sw.cert.pem, and the CA's certificate pki/LabCA.pem as its trust anchor). Checked:
#   - the run exports the CA's certificate and the external node's key and certificate (PEM),
#     the same bytes for the same seed; openssl verifies sw.cert.pem against LabCA.pem, and it
#     names the addresses charon identifies itself with;
#   - strongSwan initiates (connection a) and R1 responds; R1 initiates (b) and strongSwan
#     responds; both sides say the peer was authenticated by an RSA signature of a certificate
#     that chains to LabCA; R1's rsa-sig policy is the one agreed;
#   - pings and UDP over both tunnels;
#   - tshark dissects the CERT, CERT_REQ and SIG payloads of R1's capture with the exported keys,
#     no malformed frame.
# Prerequisites (else exit 77, a skip for CTest): those of strongswan-interop.sh, and a simulator
# that reads the scenario's certificate authorities ("certificate-authorities", an external
# node's "certificate") and negotiates rsa-sig. Until it does, the test says which is missing and
# exits 77.
# Everything it makes goes at the end, whatever happens. It takes about 40 s.
# KEEP=1 keeps the temporary folder (charon.log, the run's outputs) for a look afterwards.
# usage: strongswan-certs.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scen=$src/scenarios/interop-strongswan-certs

skip() { echo "SKIP: $*"; exit 77; }
[ -x "$build/ipsec-sim" ] || { echo "no $build/ipsec-sim"; exit 1; }
command -v python3 >/dev/null || skip "python3 is not installed"

# ------------------------------------------------------------------ does the simulator know PKI?
# Read the scenario with a namespace that cannot exist: a simulator that knows the keys stops at
# the namespace (or, not root, at the TAP device); one that does not names the keys it refuses.
probe=$(mktemp -d "${TMPDIR:-/tmp}/ssc-probe.XXXXXX")
cp "$scen/R1.cfg" "$probe/"
python3 - "$scen/scenario.json" "$probe/scenario.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for n in s["nodes"]:
    if n.get("kind") == "external":
        n["namespace"] = "ssc-no-such-namespace"
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
"$build/ipsec-sim" "$probe/scenario.json" --check --quiet >"$probe/check.out" 2>&1 || true
why=$(cat "$probe/check.out")
rm -rf "$probe"
if grep -qE '/certificate-authorities|/clock|/nodes/[0-9]+/certificate' <<<"$why"; then
    skip "the simulator does not read the scenario's certificate authorities yet (\"certificate-authorities\", \"clock\", an external node's \"certificate\"): $(grep -m1 -E 'certificate|clock' <<<"$why" | sed 's|^.*scenario.json: ||')"
fi
if grep -qi "rsa-sig.*not modelled\|certificates.*not modelled\|never agrees" <<<"$why"; then
    skip "IKE does not authenticate with certificates in this build: $(grep -m1 -i 'not modelled\|never agrees' <<<"$why" | sed 's|^.*scenario.json: ||')"
fi

[ "$(id -u)" -eq 0 ] || skip "not root (network namespaces and TAP devices need root)"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
ip netns list >/dev/null 2>&1 || skip "'ip netns' does not work here"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
[ -x /usr/lib/ipsec/charon ] || skip "/usr/lib/ipsec/charon is missing (strongswan-charon)"
for p in kernel-libipsec openssl vici x509 pkcs8 pem; do
    [ -e "/usr/lib/ipsec/plugins/libstrongswan-$p.so" ] || skip "strongSwan's $p plugin is missing"
done
command -v swanctl >/dev/null || skip "swanctl is not installed (strongswan-swanctl)"
command -v tshark >/dev/null || skip "tshark is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"

started=$(date +%s)
ns="ssc-$$-$RANDOM"
work=$(mktemp -d "${TMPDIR:-/tmp}/$ns.XXXXXX")
sw=$work/sw
sim_pid=""
bg_pids=()
kill_tree() {
    local c
    for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
    kill "$1" 2>/dev/null
}
cleanup() {
    local rc=$?
    set +e
    for p in "$sim_pid" "${bg_pids[@]}"; do
        [ -n "$p" ] && kill_tree "$p"
    done
    if [ -s "$sw/charon.pid" ]; then
        local cp
        cp=$(cat "$sw/charon.pid")
        if [ "$(cat /proc/"$cp"/comm 2>/dev/null)" = charon ]; then
            kill "$cp" 2>/dev/null
            for _ in $(seq 30); do kill -0 "$cp" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$cp" 2>/dev/null
        fi
    fi
    if [ -e "/var/run/netns/$ns" ]; then
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null || echo "cleanup: could not delete namespace $ns"
    fi
    wait 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
    echo "strongswan-certs: $(( $(date +%s) - started )) s"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ namespace, scenario
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" tuntap add dev tap0 mode tap
ip -n "$ns" addr add 192.0.2.2/24 dev tap0
ip -n "$ns" addr add 192.0.2.3/24 dev tap0
ip -n "$ns" link set tap0 up
ip -n "$ns" addr add 203.0.113.1/32 dev lo
ip -n "$ns" addr add 203.0.113.129/32 dev lo

mkdir -p "$work/sim" "$sw"
cp "$scen/R1.cfg" "$work/sim/"
# The namespace of this run; the routers' calendar starts today, so that what the CA issues is
# valid for charon too, which checks against the real clock.
python3 - "$scen/scenario.json" "$work/sim" "$ns" <<'PY'
import datetime, json, sys
s = json.load(open(sys.argv[1]))
for n in s["nodes"]:
    if n.get("kind") == "external":
        n["namespace"] = sys.argv[3]
s["clock"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
json.dump(s, open(sys.argv[2] + "/scenario.json", "w"), indent=1)
pre = dict(s, duration=0.2, traffic=[], events=[])
json.dump(pre, open(sys.argv[2] + "/pki-only.json", "w"), indent=1)
PY
# A short run first, the same seed: the CA and sw's credentials, for charon before the run.
"$build/ipsec-sim" "$work/sim/pki-only.json" --out "$work/pre" --no-pcaps --no-plots --quiet \
    >"$work/pre.log" 2>&1 || { echo "FAIL the short run for the credentials"; cat "$work/pre.log"; exit 1; }
for f in LabCA.pem sw.key.pem sw.cert.pem; do
    [ -s "$work/pre/pki/$f" ] || { echo "FAIL the run exports no pki/$f"; ls -R "$work/pre"; exit 1; }
done

# ------------------------------------------------------------------ strongSwan
mkdir -p "$sw/x509" "$sw/x509ca" "$sw/private" "$sw/rsa" "$sw/ecdsa" "$sw/pkcs8" "$sw/pkcs12"
cp "$work/pre/pki/LabCA.pem" "$sw/x509ca/"
cp "$work/pre/pki/sw.cert.pem" "$sw/x509/"
cp "$work/pre/pki/sw.key.pem" "$sw/private/"
cat >"$sw/strongswan.conf" <<EOF
charon {
  load = random nonce openssl pem pkcs1 pkcs8 constraints pubkey x509 revocation kernel-libipsec kernel-netlink socket-default vici updown
  filelog {
    certs {
      path = $sw/charon.log
      time_format = %T
      default = 1
      ike = 2
      cfg = 2
      enc = 1
      flush_line = yes
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
  retransmit_tries = 2
  retransmit_timeout = 2.0
  plugins {
    vici {
      socket = unix://$sw/charon.vici
    }
  }
}
swanctl {
  load = pem pkcs1 pkcs8 x509 pubkey openssl random
}
EOF
conn() { # NAME LOCAL LOCAL_TS
cat <<EOF
  $1 {
    version = 1
    aggressive = no
    local_addrs = $2
    remote_addrs = 192.0.2.1
    proposals = aes128-sha1-modp2048
    encap = yes
    local {
      auth = pubkey
      certs = sw.cert.pem
      id = $2
    }
    remote {
      auth = pubkey
      id = 192.0.2.1
      cacerts = LabCA.pem
    }
    children {
      $1 {
        local_ts = $3
        remote_ts = 198.51.100.0/24
        esp_proposals = aes128-sha1
        start_action = none
      }
    }
  }
EOF
}
{
    echo "connections {"
    conn a 192.0.2.2 203.0.113.0/25
    conn b 192.0.2.3 203.0.113.128/25
    echo "}"
} >"$sw/swanctl.conf"
export STRONGSWAN_CONF="$sw/strongswan.conf"
vici="unix://$sw/charon.vici"
STRONGSWAN_CONF="$sw/strongswan.conf" setsid ip netns exec "$ns" \
    sh -c "mount --bind '$sw' /run && exec /usr/lib/ipsec/charon" >>"$sw/charon.stdout" 2>&1 </dev/null &
disown $!
for _ in $(seq 100); do
    [ -S "$sw/charon.vici" ] && [ -s "$sw/charon.pid" ] && break
    sleep 0.1
done
[ -S "$sw/charon.vici" ] || { echo "FAIL charon did not start"; cat "$sw/charon.stdout"; exit 1; }
swanctl --load-all --file "$sw/swanctl.conf" -u "$vici" >"$sw/load.out" 2>&1 ||
    { echo "FAIL swanctl --load-all"; cat "$sw/load.out"; exit 1; }

# ------------------------------------------------------------------ the run
"$build/ipsec-sim" "$work/sim/scenario.json" --out "$work/out" --quiet >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 200); do
    ip -n "$ns" link show tap0 | grep -q LOWER_UP && break
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.02
done
t0=$(date +%s.%N)
ip -n "$ns" link show tap0 | grep -q LOWER_UP || { echo "FAIL ipsec-sim did not attach"; cat "$work/sim.log"; exit 1; }
at() {
    local t=$1; shift
    sleep "$(python3 -c "import time; print(max(0, $t0 + $t - time.time()))")"
    "$@"
}
(at 1 swanctl --initiate --child a --timeout 20 -u "$vici" >"$sw/initiate-a.out" 2>&1; echo "rc=$?" >>"$sw/initiate-a.out") &
bg_pids+=($!)
(at 8.5 swanctl --list-sas --raw -u "$vici" >"$sw/sas-8.txt" 2>&1) &
bg_pids+=($!)
(at 4 ip netns exec "$ns" python3 - "$work/ns.json" <<'PY'
# from the namespace: pings to h1 over a and b, and UDP to h1:7000 over a
import json, os, select, socket, struct, sys, time
out = {"ping": {}, "udp": 0}
def ping(src, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.bind((src, 0))
    got = 0
    for seq in range(1, n + 1):
        hdr = struct.pack("!BBHHH", 8, 0, 0, os.getpid() & 0xFFFF, seq) + b"certs" * 8
        c = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
        c = ~((c & 0xFFFF) + (c >> 16)) & 0xFFFF
        s.sendto(hdr[:2] + struct.pack("!H", c) + hdr[4:], ("198.51.100.10", 0))
        end = time.time() + 0.5
        while time.time() < end:
            r, _, _ = select.select([s], [], [], end - time.time())
            if r:
                d = s.recv(2048)
                if d[(d[0] & 15) * 4] == 0:
                    got += 1
                    break
        time.sleep(0.5)
    return got
out["ping"]["a"] = ping("203.0.113.1", 10)
out["ping"]["b"] = ping("203.0.113.129", 10)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("203.0.113.1", 0))
for i in range(50):
    u.sendto(struct.pack("!I", i) + b"u" * 96, ("198.51.100.10", 7000))
    out["udp"] += 1
    time.sleep(0.05)
json.dump(out, open(sys.argv[1], "w"))
PY
) &
bg_pids+=($!)
rc=0
wait "$sim_pid" || rc=$?
sim_pid=""
[ $rc -eq 0 ] || { echo "FAIL ipsec-sim exited with $rc"; cat "$work/sim.log"; exit 1; }
for p in "${bg_pids[@]}"; do wait "$p" || true; done
bg_pids=()

# ------------------------------------------------------------------ the checks
python3 - "$work" <<'PY'
import json, os, re, subprocess, sys
work = sys.argv[1]
out, pre, sw = f"{work}/out", f"{work}/pre", f"{work}/sw"
failures = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
def text(p):
    return open(p, errors="replace").read() if os.path.exists(p) else ""
r = json.load(open(f"{out}/results.json"))
log = text(f"{sw}/charon.log")
def ike(exchange=None, peer=None, role=None):
    return [e for e in r["ike"] if e["node"] == "R1" and (exchange is None or e["exchange"] == exchange)
            and (peer is None or e["peer"] == peer) and (role is None or e["role"] == role)]

# the credentials
same = all(open(f"{out}/pki/{f}", "rb").read() == open(f"{pre}/pki/{f}", "rb").read()
           for f in ("LabCA.pem", "sw.key.pem", "sw.cert.pem") if os.path.exists(f"{out}/pki/{f}"))
check(same and os.path.exists(f"{out}/pki/sw.cert.pem"),
      "the run exports pki/LabCA.pem, pki/sw.key.pem, pki/sw.cert.pem: the same bytes as the short run before (same seed)")
v = subprocess.run(["openssl", "verify", "-CAfile", f"{out}/pki/LabCA.pem", f"{out}/pki/sw.cert.pem"],
                   capture_output=True, text=True)
check(v.returncode == 0, f"openssl verifies sw.cert.pem against LabCA.pem: {v.stdout.strip()} {v.stderr.strip()}")
t = subprocess.run(["openssl", "x509", "-in", f"{out}/pki/sw.cert.pem", "-noout", "-text"],
                   capture_output=True, text=True).stdout
check("IP Address:192.0.2.2" in t and "IP Address:192.0.2.3" in t and "CN = sw.lab.example" in t,
      "sw.cert.pem: subject CN=sw.lab.example, SAN 192.0.2.2 and 192.0.2.3")
check(text(f"{sw}/load.out").count("loaded certificate") == 2 and "loaded RSA key" in text(f"{sw}/load.out"),
      "swanctl loads the CA certificate, sw's certificate and key: " +
      " / ".join(l.strip() for l in text(f"{sw}/load.out").splitlines() if "loaded" in l)[:300])

# strongSwan initiates a, R1 initiates b
ia = text(f"{sw}/initiate-a.out")
check("initiate completed successfully" in ia, "strongSwan initiates a: swanctl --initiate completes")
mm_a = ike("main", "192.0.2.2")
check(mm_a and mm_a[0]["role"] == "responder" and mm_a[0]["result"] == "ok" and "rsa-sig" in mm_a[0].get("detail", ""),
      f"R1 answers strongSwan's main mode with its rsa-sig policy: {[(e['result'], e.get('detail'), e.get('reason')) for e in mm_a]}")
mm_b = ike("main", "192.0.2.3")
check(mm_b and mm_b[0]["role"] == "initiator" and mm_b[0]["result"] == "ok" and "rsa-sig" in mm_b[0].get("detail", ""),
      f"R1 initiates main mode with 192.0.2.3, rsa-sig: {[(e['result'], e.get('detail'), e.get('reason')) for e in mm_b]}")
for peer in ("192.0.2.2", "192.0.2.3"):
    check(any(e["result"] == "ok" for e in ike("quick", peer)), f"quick mode with {peer} ok")
# pubkey_v1 authenticator: "authentication of 'ID' with RSA... successful" for the peer,
# "authentication of 'ID' (myself) successful" for its own signature
peer = set(re.findall(r"authentication of '([^']+)' with RSA\S* successful", log))
own = set(re.findall(r"authentication of '([^']+)' \(myself\) successful", log))
check(peer == {"192.0.2.1"} and own == {"192.0.2.2", "192.0.2.3"},
      f"charon: R1's RSA signature verified ({sorted(peer)}), its own made for a and b ({sorted(own)})")
check(re.search(r"using trusted ca certificate \"[^\"]*CN=Lab CA", log) is not None
      and re.search(r"using certificate \"[^\"]*CN=R1\.lab\.example", log) is not None,
      "charon checks R1's certificate (CN=R1.lab.example) against the trusted LabCA")
sas = text(f"{sw}/sas-8.txt")
check(sas.count("state=ESTABLISHED") >= 2 and sas.count("state=INSTALLED") >= 2,
      "strongSwan holds a and b: IKE SAs ESTABLISHED, CHILD SAs INSTALLED")

# traffic
ns = json.load(open(f"{work}/ns.json")) if os.path.exists(f"{work}/ns.json") else {"ping": {}, "udp": 0}
check(ns["ping"].get("a", 0) >= 9 and ns["ping"].get("b", 0) >= 9,
      f"the namespace pings h1 over a and b: {ns['ping']} of 10 each")
flows = {(f["from"], f["to"], f["kind"], f.get("port")): f for f in r["flows"]}
pa = flows.get(("h1", "203.0.113.1", "ping", None), {})
pb = flows.get(("h1", "203.0.113.129", "ping", None), {})
check(pa.get("received") == pa.get("sent") == 20 and (pb.get("received") or 0) >= 24,
      f"h1 pings over a ({pa.get('received')} of {pa.get('sent')}) and b ({pb.get('received')} of {pb.get('sent')})")
u = flows.get(("sw", "198.51.100.10", "udp", 7000), {})
check(ns["udp"] > 40 and u.get("received") == ns["udp"], f"UDP namespace -> h1 over a: {u.get('received')} of {ns['udp']}")

# show and tshark
show = text(f"{out}/show/R1.txt")
check("QM_IDLE" in show and "192.0.2.3" in show and "Peer: 192.0.2.2 port 4500" in show,
      "R1's show crypto isakmp sa / session at 8 s: both peers, port 4500")
opts = []
for row in text(f"{out}/ikev1_decryption_table.uat").splitlines():
    if row.strip():
        opts += ["-o", "uat:ikev1_decryption_table:" + row]
def tshark(display, fields):
    res = subprocess.run(["tshark", "-r", f"{out}/R1_Ethernet1.pcap", *opts, "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|", *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True)
    return [l.split("\t") for l in res.stdout.splitlines() if l.strip()]
bad = tshark('_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number", "_ws.expert.message"])
check(not bad, f"tshark: no malformed frame, no expert warning ({bad[:5]})")
mm = tshark("isakmp.exchangetype == 2", ["isakmp.typepayload"])
kinds = set("|".join(x[0] for x in mm).replace(",", "|").split("|"))
check({"6", "7", "9"} <= kinds, f"tshark decrypts main mode with CERT (6), CERT_REQ (7) and SIG (9) payloads: {sorted(kinds)}")
sys.exit(1 if failures else 0)
PY
echo "strongswan-certs: all checks passed"
