#!/usr/bin/env bash
# A simulated IOS router (R1) negotiates IKEv1 with a real strongSwan: charon 5.x with
# kernel-libipsec runs in a Linux network namespace that ipsec-sim reaches through a TAP device
# (an "external" node, scenarios/interop-strongswan/), in real time. Checked:
#   - strongSwan initiates (main mode, quick mode with PFS) and R1 responds; R1 initiates
#     (traffic from the simulated host h1) and strongSwan responds; both sides show the same
#     SPIs and algorithms (swanctl --list-sas, R1's show crypto ipsec sa / isakmp sa);
#   - pings and UDP both ways between programs in the namespace and h1, over both tunnels;
#   - tshark decrypts every ISAKMP and ESP-in-UDP frame of R1's capture of the emulated link with
#     the keys the run exported (no malformed frame, no expert warning);
#   - strongSwan rekeys its child SA (15 s) and R1 rekeys its own (120 s lifetime): no loss;
#   - a wrong pre-shared key and a proposal with nothing in common fail, and both sides say why;
#   - R1's dead peer detection is answered; charon, killed and restarted, comes back with
#     INITIAL-CONTACT and R1 drops what it held with it; R1's clear crypto sa / isakmp reach
#     charon as delete notifications;
#   - a missing namespace or TAP device is a scenario error (exit status 2, JSON Pointer);
#   - charon stays up across two more short runs with the same seed: R1 draws new cookies each
#     run (results.json's ike_identifiers "per run"), its main mode message 5 carries
#     INITIAL-CONTACT, and the second run's tunnels come up (charon drops the first run's SAs).
# Prerequisites (else exit 77, a skip for CTest): root, `ip netns`, /dev/net/tun, strongSwan's
# charon with the kernel-libipsec, openssl and vici plugins, swanctl, tshark, python3.
# Everything it makes (namespace, charon, temporary folder) goes at the end, whatever happens;
# what a run killed outright left behind goes at the start of the next. It takes about 2.5 min.
# KEEP=1 keeps the temporary folder (charon.log, the run's outputs) for a look afterwards.
# usage: strongswan-interop.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# shellcheck source-path=SCRIPTDIR source=strongswan-lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/strongswan-lib.bash"
ss_prerequisites "$build"
ss_begin ssi

# ------------------------------------------------------------------ the namespace and its TAP
ss_namespace 192.0.2.2/24 192.0.2.3/24 192.0.2.4/24 192.0.2.5/24 -- 203.0.113.1/32 203.0.113.129/32

# ------------------------------------------------------------------ the scenario
mkdir -p "$work/sim"
cp "$src/scenarios/interop-strongswan/R1.cfg" "$work/sim/"
/usr/bin/python3 - "$src/scenarios/interop-strongswan/scenario.json" "$work/sim/scenario.json" "$ns" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for n in s["nodes"]:
    if n.get("kind") == "external":
        n["namespace"] = sys.argv[3]
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
"$build/ipsec-sim" "$work/sim/scenario.json" --check --quiet
# What goes wrong before a run is an error of the scenario (exit status 2, JSON Pointer).
expect_error() { # expect_error SED-EXPRESSION POINTER TEXT
    sed "$1" "$work/sim/scenario.json" >"$work/sim/bad.json"
    local rc=0
    "$build/ipsec-sim" "$work/sim/bad.json" --check --quiet 2>"$work/sim/bad.err" || rc=$?
    if [ $rc -ne 2 ] || ! grep -qF "$2: external node \"sw\": " "$work/sim/bad.err" ||
       ! grep -qF "$3" "$work/sim/bad.err"; then
        echo "FAIL ipsec-sim --check with $1: exit $rc"; cat "$work/sim/bad.err"; exit 1
    fi
    echo "ok   $(head -n1 "$work/sim/bad.err" | sed "s|$work/sim/||")"
}
expect_error "s/\"$ns\"/\"$ns-none\"/" /nodes/2/namespace "does not exist"
expect_error 's/"tap0"/"tap9"/' /nodes/2/interface "has no interface"
ip -n "$ns" link add veth9 type veth peer name veth9b
expect_error 's/"tap0"/"veth9"/' /nodes/2/interface "not a TAP device"
ip -n "$ns" link del veth9

# ------------------------------------------------------------------ strongSwan
ss_strongswan_conf >"$sw/strongswan.conf"
conn() { # NAME LOCAL IKE-PROPOSALS LOCAL_TS ESP-PROPOSALS CHILD-LIFETIMES
cat <<EOF
  $1 {
    version = 1
    aggressive = no
    local_addrs = $2
    remote_addrs = 192.0.2.1
    proposals = $3
    encap = yes
    local {
      auth = psk
      id = $2
    }
    remote {
      auth = psk
      id = 192.0.2.1
    }
    children {
      $1 {
        mode = tunnel
        local_ts = $4
        remote_ts = 198.51.100.0/24
        esp_proposals = $5
        $6
        start_action = none
      }
    }
  }
EOF
}
{
    echo "connections {"
    # a: strongSwan initiates; R1 takes 3DES/group 2 (its policy 10); ESP with PFS; rekeyed by
    #    strongSwan every 15 s or so
    conn a 192.0.2.2 3des-sha1-modp1024,aes128-sha1-modp2048 203.0.113.0/25 aes128-sha1-modp2048 \
        "rekey_time = 15s
        life_time = 25s
        rand_time = 2s"
    # b: R1 initiates; strongSwan takes AES-128/group 14 (its first choice); ESP without PFS;
    #    no rekeying here: R1 rekeys (120 s lifetime)
    conn b 192.0.2.3 aes128-sha1-modp2048,3des-sha1-modp1024 203.0.113.128/25 3des-sha1,aes128-sha1 \
        "rekey_time = 0
        life_time = 300s"
    # bad-psk: the secret below is not R1's key for 192.0.2.4
    conn bad-psk 192.0.2.4 3des-sha1-modp1024 203.0.113.0/25 aes128-sha1 ""
    # no-prop: nothing R1 has (AES-256, SHA-256, group 15)
    conn no-prop 192.0.2.5 aes256-sha256-modp3072 203.0.113.0/25 aes256-sha256 ""
    echo "}"
    echo "secrets {"
    for s in "a 192.0.2.2 interop-psk-a" "b 192.0.2.3 interop-psk-b" "bad-psk 192.0.2.4 strongswans-own-key" \
             "no-prop 192.0.2.5 interop-psk-d"; do
        set -- $s
        printf '  ike-%s {\n    id-a = %s\n    id-b = 192.0.2.1\n    secret = "%s"\n  }\n' "$1" "$2" "$3"
    done
    echo "}"
} >"$sw/swanctl.conf"
crash_charon() { # SIGKILL: charon has no chance to tell R1
    local cp
    cp=$(cat "$sw/charon.pid")
    [ "$(cat /proc/"$cp"/comm 2>/dev/null)" = charon ] && kill -9 "$cp"
    for _ in $(seq 50); do kill -0 "$cp" 2>/dev/null || break; sleep 0.05; done
}
ss_start_charon

# ------------------------------------------------------------------ the run
ss_run_sim "$work/sim/scenario.json" "$work/out" "$work/sim.log" --quiet
cat >"$work/plan.json" <<EOF
{"t0": $t0, "end": 111,
 "pings": [{"name": "ns-a", "src": "203.0.113.1", "dst": "198.51.100.10", "start": 3, "stop": 32, "interval": 0.2},
           {"name": "ns-b", "src": "203.0.113.129", "dst": "198.51.100.10", "start": 5, "stop": 100, "interval": 0.5, "pause": [50, 76]}],
 "udp_send": [{"name": "ns-a", "src": "203.0.113.1", "dst": "198.51.100.10", "port": 7000, "start": 3, "stop": 32, "interval": 0.1, "size": 120},
              {"name": "ns-b", "src": "203.0.113.129", "dst": "198.51.100.10", "port": 7003, "start": 5, "stop": 100, "interval": 0.1, "size": 120, "pause": [50, 76]}],
 "udp_recv": [{"name": "h1-a", "addr": "203.0.113.1", "port": 7001},
              {"name": "h1-b", "addr": "203.0.113.129", "port": 7002},
              {"name": "h1-b2", "addr": "203.0.113.129", "port": 7004}]}
EOF
ss_traffic "$work/plan.json" "$work/traffic.json"

(ss_at 1 swanctl --initiate --child a --timeout 20 -u "$vici" >"$sw/initiate-a.out" 2>&1; echo "rc=$?" >>"$sw/initiate-a.out") &
bg_pids+=($!)
(ss_at 6.5 ss_sas "$sw/sas-6.txt") &
bg_pids+=($!)
(ss_at 8 swanctl --initiate --child bad-psk --timeout 25 -u "$vici" >"$sw/initiate-bad-psk.out" 2>&1; echo "rc=$?" >>"$sw/initiate-bad-psk.out") &
bg_pids+=($!)
(ss_at 9 swanctl --initiate --child no-prop --timeout 25 -u "$vici" >"$sw/initiate-no-prop.out" 2>&1; echo "rc=$?" >>"$sw/initiate-no-prop.out") &
bg_pids+=($!)
(ss_at 100.5 ss_sas "$sw/sas-100.txt") &
bg_pids+=($!)
# charon crashes and comes back: its new main mode carries INITIAL-CONTACT (RFC 2407 4.6.3.3)
(ss_at 102 crash_charon; ss_start_charon; ss_at 104 swanctl --initiate --child a --timeout 10 -u "$vici" \
     >"$sw/initiate-a-again.out" 2>&1; echo "rc=$?" >>"$sw/initiate-a-again.out"; ss_at 106.5 ss_sas "$sw/sas-106.txt") &
bg_pids+=($!)
(ss_at 111 ss_sas "$sw/sas-111.txt") &
bg_pids+=($!)

rc=0
wait "$sim_pid" || rc=$?
sim_pid=""
if [ $rc -ne 0 ]; then
    echo "FAIL ipsec-sim exited with $rc"; cat "$work/sim.log"; exit 1
fi
wait "$traffic_pid" || { echo "FAIL the namespace's traffic program"; exit 1; }
traffic_pid=""
for p in "${bg_pids[@]}"; do wait "$p" || true; done
bg_pids=()

# ------------------------------------------------------------------ the checks
fail=0
PYTHONPATH="$ss_lib_dir" /usr/bin/python3 - "$work" <<'PY' || fail=1
import json, re, sys
from strongswan_checks import (check, failures, flow, lines, pings, same_spis, sas, show_blocks,
                               text, tshark, tshark_opts)

work = sys.argv[1]
out = f"{work}/out"
sw = f"{work}/sw"
r = json.load(open(f"{out}/results.json"))
traffic = json.load(open(f"{work}/traffic.json"))
log = text(f"{sw}/charon.log")

def ike(node="R1", exchange=None, role=None, peer=None):
    return [e for e in r["ike"] if e["node"] == node and (exchange is None or e["exchange"] == exchange)
            and (role is None or e["role"] == role) and (peer is None or e["peer"] == peer)]

# ---------------------------------------------------------------- strongSwan initiates (a)
ia = text(f"{sw}/initiate-a.out")
check("rc=0" in ia and "initiate completed successfully" in ia,
      "strongSwan initiates connection a: swanctl --initiate completes")
mm_a = ike(exchange="main", peer="192.0.2.2")[:1]  # (the second: after the crash, below)
qm_a = ike(exchange="quick", peer="192.0.2.2")
check(len(mm_a) == 1 and mm_a[0]["role"] == "responder" and mm_a[0]["result"] == "ok",
      f"R1 answers strongSwan's main mode: {[(e['role'], e['result'], e.get('detail')) for e in mm_a]}")
check(mm_a and "3DES" in mm_a[0].get("detail", "") and "group2" in mm_a[0].get("detail", "")
      and "NAT at the peer" in mm_a[0].get("detail", ""),
      "R1 picks its policy 10 (3DES, SHA, group 2) and sees NAT at the peer (strongSwan's encap = yes)")
check(qm_a and qm_a[0]["role"] == "responder" and qm_a[0]["result"] == "ok"
      and "esp-aes esp-sha-hmac, PFS group14" in qm_a[0].get("detail", ""),
      f"R1 answers strongSwan's quick mode: {qm_a and qm_a[0].get('detail')}")
s6 = sas(f"{sw}/sas-6.txt")
a = s6.get("a", {})
check(a.get("state") == "ESTABLISHED" and a.get("encr-alg") == "3DES_CBC"
      and a.get("integ-alg") == "HMAC_SHA1_96" and a.get("dh-group") == "MODP_1024",
      f"strongSwan: IKE SA a ESTABLISHED, 3DES_CBC/HMAC_SHA1_96/MODP_1024 ({a.get('state')}, "
      f"{a.get('encr-alg')}/{a.get('integ-alg')}/{a.get('dh-group')})")
check(mm_a and a.get("initiator-spi") == mm_a[0]["icookie"],
      "strongSwan's and R1's initiator cookies agree")
child_a = next(iter(a.get("child-sas", {}).values()), {})
check(child_a.get("state") == "INSTALLED" and child_a.get("mode") == "TUNNEL"
      and child_a.get("encap") == "yes" and child_a.get("encr-alg") == "AES_CBC"
      and child_a.get("encr-keysize") == "128" and child_a.get("integ-alg") == "HMAC_SHA1_96"
      and child_a.get("dh-group") == "MODP_2048",
      f"strongSwan: CHILD SA a INSTALLED, tunnel in UDP, AES_CBC-128/HMAC_SHA1_96 with PFS MODP_2048 "
      f"({ {k: child_a.get(k) for k in ('state', 'mode', 'encap', 'encr-alg', 'encr-keysize', 'integ-alg', 'dh-group')} })")
show6, blk6 = show_blocks(out, 6)
r1_a = show6.get("192.0.2.2")
check(same_spis([child_a], r1_a) and r1_a["current"] == child_a.get("spi-in"),
      f"same SPIs at 6 s: strongSwan in/out {child_a.get('spi-in')}/{child_a.get('spi-out')}, "
      f"R1 {r1_a and (sorted(r1_a['inbound']), sorted(r1_a['outbound']))}")
check(r1_a and r1_a["transforms"] == {"esp-aes esp-sha-hmac"} and r1_a["port"] == "4500",
      f"R1 shows esp-aes esp-sha-hmac with peer 192.0.2.2:4500 "
      f"({r1_a and (r1_a['transforms'], r1_a['port'], r1_a['settings'])})")

# ---------------------------------------------------------------- R1 initiates (b)
mm_b = ike(exchange="main", peer="192.0.2.3")
qm_b = [e for e in ike(exchange="quick", peer="192.0.2.3") if e["result"] == "ok"]
check(len(mm_b) == 1 and mm_b[0]["role"] == "initiator" and mm_b[0]["result"] == "ok"
      and 1.9 < mm_b[0]["start_s"] < 3,
      f"R1 initiates main mode with 192.0.2.3 when h1's first packet arrives: "
      f"{[(e['role'], e['result'], e['start_s'], e.get('reason')) for e in mm_b]}")
check(mm_b and "AES" in mm_b[0].get("detail", "") and "group14" in mm_b[0].get("detail", ""),
      f"strongSwan picks AES-128/group 14 from R1's two policies: {mm_b and mm_b[0].get('detail')}")
check(qm_b and qm_b[0]["role"] == "initiator" and qm_b[0].get("detail", "").endswith("esp-3des esp-sha-hmac"),
      f"strongSwan answers R1's quick mode: {qm_b and qm_b[0].get('detail')}")
b = s6.get("b", {})
child_b = next(iter(b.get("child-sas", {}).values()), {})
check(b.get("state") == "ESTABLISHED" and b.get("encr-alg") == "AES_CBC" and b.get("encr-keysize") == "128"
      and b.get("dh-group") == "MODP_2048" and mm_b and b.get("initiator-spi") == mm_b[0]["icookie"],
      f"strongSwan: IKE SA b ESTABLISHED (responder), AES_CBC-128/MODP_2048, same cookies")
check(child_b.get("state") == "INSTALLED" and child_b.get("encap") == "yes"
      and child_b.get("encr-alg") == "3DES_CBC" and child_b.get("integ-alg") == "HMAC_SHA1_96"
      and "dh-group" not in child_b,
      f"strongSwan: CHILD SA b INSTALLED, 3DES_CBC/HMAC_SHA1_96, no PFS "
      f"({ {k: child_b.get(k) for k in ('state', 'encap', 'encr-alg', 'integ-alg', 'dh-group')} })")
r1_b = show6.get("192.0.2.3")
check(same_spis([child_b], r1_b) and r1_b["current"] == child_b.get("spi-in")
      and r1_b["transforms"] == {"esp-3des esp-sha-hmac"} and r1_b["port"] == "4500",
      f"same SPIs at 6 s: strongSwan in/out {child_b.get('spi-in')}/{child_b.get('spi-out')}, "
      f"R1 {r1_b and (sorted(r1_b['inbound']), sorted(r1_b['outbound']), r1_b['transforms'])}")

# ---------------------------------------------------------------- traffic both ways
n, got = pings(traffic, "ns-a")
check(n > 100 and got == n, f"namespace 203.0.113.1 pings h1 over a: {got} of {n} replies")
n, got = pings(traffic, "ns-b")
check(n > 120 and got == n, f"namespace 203.0.113.129 pings h1 over b: {got} of {n} replies")
f = flow(r, "h1", "203.0.113.1", kind="ping")
check(f["sent"] == 25 and f["received"] == 25, f"h1 pings 203.0.113.1 over a: {f['received']} of {f['sent']}")
f = flow(r, "h1", "203.0.113.129", kind="ping")
check(f["received"] >= f["sent"] - 1 and f["sent"] == 72,
      f"h1 pings 203.0.113.129 over b: {f['received']} of {f['sent']} (the first starts the negotiation)")
sent = len(traffic["udp_send"]["ns-a"])
f = flow(r, "sw", "198.51.100.10", 7000)
check(sent > 250 and f["received"] == sent, f"UDP namespace -> h1 over a: {f['received']} of {sent}")
sent = len(traffic["udp_send"]["ns-b"])
f = flow(r, "sw", "198.51.100.10", 7003)
check(sent > 600 and f["received"] == sent, f"UDP namespace -> h1 over b: {f['received']} of {sent}")
f = flow(r, "h1", "203.0.113.1", 7001)
got = len(traffic["udp_recv"]["h1-a"])
check(f["sent"] > 200 and got == f["sent"], f"UDP h1 -> namespace over a: {got} of {f['sent']}")
f = flow(r, "h1", "203.0.113.129", 7002)
f2 = flow(r, "h1", "203.0.113.129", 7004)
f = {k: f[k] + f2[k] for k in f}
got = len(traffic["udp_recv"]["h1-b"]) + len(traffic["udp_recv"]["h1-b2"])
check(f["sent"] > 600 and got >= f["sent"] - r["nodes"]["R1"]["report"].get("drops", {}).get("no-sa", 0)
      and got >= f["sent"] - 2,
      f"UDP h1 -> namespace over b: {got} of {f['sent']} (the first ones wait for the SAs)")

# ---------------------------------------------------------------- rekeying
qr_a = [e for e in ike(exchange="quick", role="responder", peer="192.0.2.2") if e["result"] == "ok"]
check(len(qr_a) >= 3 and not ike(exchange="quick", role="initiator", peer="192.0.2.2"),
      f"strongSwan rekeys child a (R1 answers {len(qr_a)} quick modes at "
      f"{[round(e['start_s'], 1) for e in qr_a]} s, initiates none)")
check(log.count("creating rekey job for CHILD_SA") >= 2 and "closing expired CHILD_SA a" in log,
      "charon rekeys a on its soft lifetime, and closes each old SA at its hard lifetime (R1 is told)")
check(len([e for e in ike(exchange="informational", role="responder", peer="192.0.2.2")
           if e.get("reason") == "peer deleted IPsec SAs"]) >= 3,
      "R1 removes the old SAs of a when strongSwan's delete notifications come")
qi_b = [e for e in ike(exchange="quick", role="initiator", peer="192.0.2.3") if e["result"] == "ok"]
check(len(qi_b) == 2 and 89 < qi_b[1]["start_s"] - qi_b[0]["end_s"] < 91
      and not ike(exchange="quick", role="responder", peer="192.0.2.3"),
      f"R1 rekeys b 90 s after the first SA (120 s lifetime - 30 s): quick modes at "
      f"{[round(e['start_s'], 1) for e in qi_b]} s")
if len(qi_b) == 2:
    t = qi_b[1]["start_s"]
    n, got = pings(traffic, "ns-b", t - 10, t + 10)
    check(n > 30 and got == n, f"pings over b across R1's rekey at {t:.1f} s: {got} of {n}")
    rows = traffic["udp_recv"]["h1-b2"]
    after = [x for x in rows if x[0] > t + 1]
    check(len(after) > 50, f"UDP h1 -> namespace keeps flowing after R1's rekey ({len(after)} datagrams)")
if len(qr_a) >= 2:
    t = qr_a[1]["start_s"]
    n, got = pings(traffic, "ns-a", t - 5, t + 5)
    check(n > 30 and got == n, f"pings over a across strongSwan's rekey at {t:.1f} s: {got} of {n}")
s100 = sas(f"{sw}/sas-100.txt")
show100, _ = show_blocks(out, 100)
b100 = list(s100.get("b", {}).get("child-sas", {}).values())
new = [c for c in b100 if c.get("state") == "INSTALLED"]
r1_b = show100.get("192.0.2.3")
check(len(b100) == 2 and len(new) == 1 and same_spis(b100, r1_b) and r1_b["current"] == new[0].get("spi-in"),
      f"after R1's rekey both sides hold the old and the new SAs of b, and send on the new one "
      f"(strongSwan {[(c.get('state'), c.get('spi-in'), c.get('spi-out')) for c in b100]}, "
      f"R1 {r1_b and (sorted(r1_b['inbound']), sorted(r1_b['outbound']), r1_b['current'])})")
# (a is rekeyed every 13 to 15 s, perhaps between R1's show and swanctl's list half a second
# later: R1's current outbound SA must be one strongSwan holds, paired as R1 has it)
a100 = [c for c in s100.get("a", {}).get("child-sas", {}).values() if c.get("state") in ("INSTALLED", "REKEYED")]
r1_a = show100.get("192.0.2.2")
cur = [c for c in a100 if r1_a and c.get("spi-in") == r1_a["current"]]
check(cur and cur[0].get("spi-out") in r1_a["inbound"],
      f"after strongSwan's rekeys R1 sends on an SA strongSwan holds, with its pair "
      f"({r1_a and r1_a['current']}; strongSwan {[(c.get('state'), c.get('spi-in'), c.get('spi-out')) for c in a100]})")

# ---------------------------------------------------------------- dead peer detection
# b is quiet from 50 to 76 s: R1 (keepalive 10, checking every 10 s) asks within 10 to 20 s of
# the last packet it heard, and charon answers
dpd = [e for e in ike(exchange="informational", role="initiator") if "R-U-THERE" in e.get("reason", "")]
dpd_b = [round(e["start_s"], 1) for e in dpd if e["peer"] == "192.0.2.3" and 59 < e["start_s"] < 76]
check(dpd_b and not [e for e in r["ike"] if "peer dead" in e.get("reason", "")]
      and "N(DPD)" in log and "N(DPD_ACK)" in log,
      f"R1's DPD: R-U-THERE to 192.0.2.3 at {dpd_b} s while b is quiet ({len(dpd)} in all), "
      f"every one acknowledged (no peer declared dead)")

# ---------------------------------------------------------------- charon crashes, comes back
again = text(f"{sw}/initiate-a-again.out")
mm = ike(exchange="main", peer="192.0.2.2")
ic = [e for e in ike(exchange="informational", peer="192.0.2.2") if "INITIAL-CONTACT" in e.get("reason", "")]
check("rc=0" in again and len(mm) == 2 and mm[1]["result"] == "ok" and 103.5 < mm[1]["start_s"] < 106,
      "charon killed at 102 s, restarted: its new main mode at 104 s succeeds")
check("N(INITIAL_CONTACT)" in log and len(ic) == 1 and "1 ISAKMP SA" in ic[0]["reason"]
      and ic[0]["icookie"] == mm[1]["icookie"],
      f"R1 honours its INITIAL-CONTACT (RFC 2407 4.6.3.3): {ic and ic[0]['reason']}")
s106 = sas(f"{sw}/sas-106.txt")
a106 = list(s106.get("a", {}).get("child-sas", {}).values())
show106, _ = show_blocks(out, 106)
# The ISAKMP SAs R1 holds: IOS lists one it deleted as "ACTIVE (deleted)" for a while after.
isakmp106 = [l for l in text(f"{out}/show/R1.txt").split("! 106.000 s")[1].split("! ")[0].splitlines()
             if "192.0.2.2" in l and "(deleted)" not in l] if "! 106.000 s" in text(f"{out}/show/R1.txt") else []
check(len(a106) == 1 and same_spis(a106, show106.get("192.0.2.2")) and len(isakmp106) == 1,
      f"afterwards R1 holds one ISAKMP SA and only the new IPsec SAs with 192.0.2.2, as charon "
      f"({isakmp106}, {[(c.get('spi-in'), c.get('spi-out')) for c in a106]})")

# ---------------------------------------------------------------- R1 clears everything
s111 = sas(f"{sw}/sas-111.txt")
check("received DELETE for ESP CHILD_SA" in log and "received DELETE for IKE_SA" in log
      and not s111.get("a") and not s111.get("b"),
      f"clear crypto sa and clear crypto isakmp on R1 at 109 and 110 s: strongSwan takes R1's delete "
      f"notifications and holds no SA afterwards ({sorted(s111)})")

# ---------------------------------------------------------------- failures
bad = text(f"{sw}/initiate-bad-psk.out")
mm = ike(exchange="main", peer="192.0.2.4")
check("rc=0" not in bad, "strongSwan: initiating bad-psk fails")
check(mm and all(e["result"] == "failed" for e in mm) and "pre-shared keys" in mm[0].get("reason", ""),
      f"R1: main mode with 192.0.2.4 fails: {mm and mm[0].get('reason')}")
why = [l.strip() for l in (bad + log).splitlines()
       if re.search(r"N\(AUTH_FAILED\)|ignoring unprotected INFORMATIONAL|establishing IKE_SA failed|"
                    r"giving up after", l)]
check(any("establishing IKE_SA failed" in l or "giving up" in l for l in why),
      "strongSwan says why: " + " / ".join(dict.fromkeys(re.sub(r"^.*?\] ", "", l) for l in why)))
nop = text(f"{sw}/initiate-no-prop.out")
mm = ike(exchange="main", peer="192.0.2.5")
check("rc=0" not in nop, "strongSwan: initiating no-prop fails")
check(mm and all(e["result"] == "failed" for e in mm) and "not acceptable" in mm[0].get("reason", ""),
      f"R1: main mode with 192.0.2.5 fails: {mm and mm[0].get('reason')}")
m = re.search(r".*NO_PROPOSAL_CHOSEN.*", nop + log)
check(bool(m), f"strongSwan says why: {m and m.group(0).strip()}")

# ---------------------------------------------------------------- tshark
pcap = f"{out}/R1_Ethernet1.pcap"
opts = tshark_opts(out, "ikev1_decryption_table")
check("R1_Ethernet1.pcap" in r["pcaps"] and r["scenario"].get("realtime") is True,
      "results.json: real time, R1's capture of the emulated link")
badf = tshark(pcap, opts, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number", "_ws.expert.message"])
check(not badf, f"tshark: no malformed frame, no expert warning ({badf[:5]})")
rows = tshark(pcap, opts, "isakmp", ["isakmp.ispi", "isakmp.flag_e", "isakmp.typepayload", "udp.srcport", "udp.dstport"])
cookies = {l.split(",")[0] for l in lines(f"{out}/ikev1_decryption_table.uat")}
enc = [x for x in rows if x[1] in ("1", "True")]
readable = [x for x in enc if x[0].replace(":", "") in cookies]
check(len(enc) > 10 and all(x[2] for x in readable) and len(readable) >= len(enc) - 4,
      f"tshark decrypts {sum(1 for x in readable if x[2])} of {len(enc)} encrypted ISAKMP frames "
      f"({len(enc) - len(readable)} of the wrong-PSK exchange have no key)")
check(any(x[3] == "4500" == x[4] for x in rows), "ISAKMP floats to port 4500 (non-ESP marker)")
esp = tshark(pcap, opts, "esp", ["esp.spi", "esp.icv_good", "udp.srcport", "udp.dstport"])
check(len(esp) > 2500 and all(x[1] in ("1", "True") for x in esp)
      and all(x[2].split("|")[0] == x[3].split("|")[0] == "4500" for x in esp),
      f"tshark: {len(esp)} ESP-in-UDP frames on 4500, every ICV good")
inner = tshark(pcap, opts, "esp && (icmp || udp.dstport == 7000 || udp.dstport == 7001 || udp.dstport == 7002 || udp.dstport == 7003 || udp.dstport == 7004)",
               ["frame.number"])
check(len(inner) > 0.95 * len(esp), f"tshark decrypts the inner ICMP/UDP of {len(inner)} of {len(esp)} ESP frames")
sys.exit(1 if failures else 0)
PY

# ------------------------------------------------------------------ two runs, charon stays up
# A real peer outlives a run. Two short runs with the same seed, charon untouched in between:
# R1 initiates a and b in each (h1 pings both networks). The second run's main modes must not
# be taken for the first run's established IKE SAs (which charon still holds: nothing deleted
# them), so R1 draws new cookies every run, and its message 5 carries INITIAL-CONTACT (first
# contact for this run's R1), which makes charon drop the first run's SAs.
/usr/bin/python3 - "$work/sim/scenario.json" "$work/sim/again.json" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
s["duration"] = 12
s["traffic"] = [{"kind": "ping", "from": "h1", "to": a, "start": 1, "count": 10, "interval": 1}
                for a in ("203.0.113.1", "203.0.113.129")]
s["events"] = [{"at": 11, "node": "R1", "exec": "show crypto isakmp sa"}]
# charon's child a wants PFS (group 14) when it answers too
r1 = next(n for n in s["nodes"] if n["name"] == "R1")
lines = open(os.path.join(os.path.dirname(sys.argv[1]), r1["config"])).read().splitlines()
at = lines.index("crypto map toSwan 10 ipsec-isakmp") + 1
r1["config"] = lines[:at] + [" set pfs group14"] + lines[at:]
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
run_again() { # run_again N: one short run into $work/again-N, swanctl --list-sas near its end
    ss_run_sim "$work/sim/again.json" "$work/again-$1" "$work/again-$1.log" --no-plots
    ss_at 10.5 true
    ss_sas "$sw/sas-again-$1.txt"
    local rc=0
    wait "$sim_pid" || rc=$?
    sim_pid=""
    [ $rc -eq 0 ] || { echo "FAIL ipsec-sim (run $1 of the pair) exited with $rc"; cat "$work/again-$1.log"; return 1; }
}
lines_before=$(wc -l <"$sw/charon.log")
run_again 1 && run_again 2 || fail=1
tail -n +"$((lines_before + 1))" "$sw/charon.log" >"$sw/charon-again.log"
[ $fail -ne 0 ] || PYTHONPATH="$ss_lib_dir" /usr/bin/python3 - "$work" <<'PY' || fail=1
import json, os, sys
from strongswan_checks import check, failures
work = sys.argv[1]
sw = f"{work}/sw"
res = [json.load(open(f"{work}/again-{n}/results.json")) for n in (1, 2)]
out2 = open(f"{work}/again-2.log").read()
log = open(f"{sw}/charon-again.log").read()
def mains(r):
    return {e["peer"]: e for e in r["ike"] if e["exchange"] == "main" and e["role"] == "initiator"}
m1, m2 = mains(res[0]), mains(res[1])
for peer in ("192.0.2.2", "192.0.2.3"):
    e1, e2 = m1.get(peer, {}), m2.get(peer, {})
    check(e1.get("result") == "ok" and e2.get("result") == "ok",
          f"R1's main mode with {peer} succeeds in both runs ({e1.get('result')}, {e2.get('result')} "
          f"{e2.get('reason', '')})")
    check(e1.get("icookie") and e1.get("icookie") != e2.get("icookie"),
          f"same seed, new cookies: {e1.get('icookie')} then {e2.get('icookie')}")
for n, r in enumerate(res, 1):
    pings = [f for f in r["flows"] if f["kind"] == "ping"]
    check(len(pings) == 2 and all(f["received"] >= f["sent"] - 1 for f in pings),
          f"run {n}: h1's pings over a and b: {[(f['to'], f['received'], f['sent']) for f in pings]}")
    check(r["scenario"].get("ike_identifiers") == "per run" and r["scenario"]["seed"] == res[0]["scenario"]["seed"],
          f"run {n}: results.json says ike_identifiers {r['scenario'].get('ike_identifiers')!r} (seed {r['scenario']['seed']})")
check("IKE cookies and SPIs differ from run to run" in out2,
      "ipsec-sim says so in its summary: " + next((l.strip() for l in out2.splitlines() if "cookies" in l), "(nothing)"))
check("ignoring ID_PROT in established IKE_SA state" not in log,
      "charon takes no main mode of the second run for an IKE SA of the first")
check(log.count("parsed ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]") >= 4,
      f"R1's message 5 carries INITIAL-CONTACT on first contact, after ID and HASH as charon's "
      f"({log.count('parsed ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]')} in the two runs)")
# After the second run charon holds a and b with the second run's cookies only.
sas = {}
for line in open(f"{sw}/sas-again-2.txt"):
    for name, cookie in ((n, line.split("initiator-spi=")[1].split()[0]) for n in ("a", "b")
                         if line.startswith("list-sa event {" + n + " {") and "initiator-spi=" in line):
        sas.setdefault(name, []).append(cookie)
want = {"a": [m2.get("192.0.2.2", {}).get("icookie")], "b": [m2.get("192.0.2.3", {}).get("icookie")]}
check(sas == want, f"charon at the end of run 2: IKE SAs {sas}, R1's cookies {want} (the first run's are gone)")
sys.exit(1 if failures else 0)
PY

[ $fail -eq 0 ] || { echo "charon log: $sw/charon.log (KEEP=1 keeps it)"; exit 1; }
echo "strongswan-interop: all checks passed"
