#!/usr/bin/env bash
# A simulated IOS 15 router (R1, FlexVPN configuration: crypto ikev2 proposal / policy / keyring
# / profile, `set ikev2-profile` in its crypto map) negotiates IKEv2 with a real strongSwan:
# charon 5.x with kernel-libipsec in a Linux network namespace that ipsec-sim reaches through a
# TAP device (an "external" node, scenarios/interop-strongswan-ikev2/), in real time. Checked:
#   - charon initiates (IKE_SA_INIT, IKE_AUTH) and R1 responds: 3DES/SHA-1/group 2 for IKE with
#     ESP AES-CBC-256/HMAC-SHA-256, and AES-GCM-128 (PRF SHA-256, group 14) for IKE and ESP;
#     R1 initiates (traffic from the simulated host h1) and charon responds: AES-CBC-256/
#     SHA-256/group 14 for IKE, ESP 3DES/HMAC-SHA-1 (b) or AES-CBC-256/HMAC-SHA-256 (r); both sides show the same SPIs and
#     algorithms (swanctl --list-sas, R1's show crypto ipsec sa and results.json's records);
#   - charon's encap = yes fakes a NAT: IKE_AUTH and everything after it (rekeyed IKE SAs too)
#     go to UDP 4500, ESP in UDP (kernel-libipsec's only way);
#   - pings and UDP both ways between programs in the namespace and h1, over the four tunnels;
#   - tshark decrypts every IKEv2 message of R1's capture of the emulated link with the
#     ikev2_decryption_table the run exported, and every ESP frame with esp_sa (every ICV good),
#     with no malformed frame and no expert warning;
#   - a wrong pre-shared key fails with AUTHENTICATION_FAILED and a proposal with nothing in
#     common with NO_PROPOSAL_CHOSEN, and both sides say why (charon's log, R1's records);
#   - rekeying: charon rekeys a child SA every 20 s or so (CREATE_CHILD_SA, then its Delete), R1
#     its own 90 s after making it (120 s lifetime), charon the IKE SA of another connection
#     (the child moves to the new IKE SA, whose keys are exported too), R1 the IKE SA of r 90 s
#     after making it (its own profile, lifetime 120; charon's rekey_time = 0): charon answers,
#     R1 deletes the old IKE SA, swanctl --list-sas and R1's show crypto ikev2 sa and records
#     agree on the new SPIs, the child SA lives on under it and charon's child rekey at 95 s
#     goes over it (tshark decrypts those messages with the new SA's keys); nothing is lost;
#   - dead peer detection: charon's (dpd_delay) while a tunnel is quiet, R1's on-demand (its
#     profile's dpd) while it sends and hears nothing; each answered, nobody declared dead.
# Prerequisites (else exit 77, a skip for CTest): root, `ip netns`, /dev/net/tun, strongSwan's
# charon with the kernel-libipsec, openssl, kdf and vici plugins, swanctl, tshark, python3.
# Everything it makes (namespace, charon, temporary folder) goes at the end, whatever happens;
# what a run killed outright left behind goes at the start of the next. It takes under 2 min.
# KEEP=1 keeps the temporary folder (charon.log, the run's outputs) for a look afterwards.
# usage: strongswan-ikev2.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=strongswan-lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/strongswan-lib.bash"
ss_prerequisites "$build"
ss_begin ssv2

# ------------------------------------------------------------------ the namespace, the scenario
ss_namespace 192.0.2.2/24 192.0.2.3/24 192.0.2.4/24 192.0.2.5/24 192.0.2.6/24 192.0.2.7/24 -- \
    203.0.113.1/32 203.0.113.65/32 203.0.113.129/32 203.0.113.193/32
mkdir -p "$work/sim"
cp "$src/scenarios/interop-strongswan-ikev2/R1.cfg" "$work/sim/"
/usr/bin/python3 - "$src/scenarios/interop-strongswan-ikev2/scenario.json" "$work/sim/scenario.json" "$ns" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for n in s["nodes"]:
    if n.get("kind") == "external":
        n["namespace"] = sys.argv[3]
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
"$build/ipsec-sim" "$work/sim/scenario.json" --check --quiet

# ------------------------------------------------------------------ strongSwan
ss_strongswan_conf >"$sw/strongswan.conf"
conn() { # NAME LOCAL IKE-PROPOSALS LOCAL_TS ESP-PROPOSALS [IKE-OPTIONS [CHILD-OPTIONS]]
    cat <<EOF
  $1 {
    version = 2
    local_addrs = $2
    remote_addrs = 192.0.2.1
    proposals = $3
    encap = yes
    ${6:-}
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
        ${7:-}
        start_action = none
      }
    }
  }
EOF
}
{
    echo "connections {"
    # a: strongSwan initiates with two IKE proposals: R1 takes the second, 3DES/SHA-1/MODP1024,
    #    and asks for its group (INVALID_KE_PAYLOAD; charon's KE was MODP3072's); two ESP
    #    proposals, R1 takes the second, AES-256/SHA-256; charon rekeys the child SA every 18 to 20 s
    conn a 192.0.2.2 aes192-sha384-modp3072,3des-sha1-modp1024 203.0.113.0/26 aes128gcm16,aes256-sha256 "" \
        "rekey_time = 20s
        life_time = 30s
        rand_time = 2s"
    # b: R1 initiates; its first proposal (AES-CBC-256/SHA-256/group 14); ESP 3DES/SHA-1; charon
    #    narrows R1's TSr (its access list's 203.0.113.128/25) to its own local_ts, a /26
    conn b 192.0.2.3 aes256-sha256-modp2048 203.0.113.128/26 3des-sha1
    # g: strongSwan initiates; one IKE proposal with several algorithms of each type, R1 takes
    #    AES-GCM-128 with PRF SHA-256, group 14; AES-GCM-128 for ESP; charon rekeys the IKE SA
    #    after 40.5 to 45 s and runs DPD (10 s), which asks while g is quiet (60 to 85 s)
    conn g 192.0.2.6 aes256gcm16-aes128gcm16-prfsha384-prfsha256-modp2048-modp1024 203.0.113.64/26 aes128gcm16 \
        "rekey_time = 45s
    dpd_delay = 10s"
    # r: R1 initiates (AES-CBC-256/SHA-256/group 14, ESP AES-CBC-256/SHA-256) and rekeys the IKE
    #    SA 90 s later (its profile SWAN-REKEY's lifetime 120); charon never rekeys it itself
    conn r 192.0.2.7 aes256-sha256-modp2048 203.0.113.192/26 aes256-sha256 "rekey_time = 0"
    # bad-psk: the secret below is not R1's key for 192.0.2.4
    conn bad-psk 192.0.2.4 aes256-sha256-modp2048 203.0.113.0/26 aes256-sha256
    # no-prop: nothing R1 has (AES-192, SHA-384, group 15)
    conn no-prop 192.0.2.5 aes192-sha384-modp3072 203.0.113.0/26 aes256-sha256
    echo "}"
    echo "secrets {"
    for s in "a 192.0.2.2 interop2-psk-a" "b 192.0.2.3 interop2-psk-b" "g 192.0.2.6 interop2-psk-g" \
             "r 192.0.2.7 interop2-psk-r" \
             "bad-psk 192.0.2.4 strongswans-own-key" "no-prop 192.0.2.5 interop2-psk-d"; do
        set -- $s
        printf '  ike-%s {\n    id-a = %s\n    id-b = 192.0.2.1\n    secret = "%s"\n  }\n' "$1" "$2" "$3"
    done
    echo "}"
} >"$sw/swanctl.conf"
ss_start_charon

# ------------------------------------------------------------------ the run
ss_run_sim "$work/sim/scenario.json" "$work/out" "$work/sim.log" --quiet
cat >"$work/plan.json" <<EOF
{"t0": $t0, "end": 99,
 "pings": [{"name": "ns-a", "src": "203.0.113.1", "dst": "198.51.100.10", "start": 3, "stop": 95, "interval": 0.5},
           {"name": "ns-b", "src": "203.0.113.129", "dst": "198.51.100.10", "start": 5, "stop": 95, "interval": 0.5, "pause": [40, 60]},
           {"name": "ns-g", "src": "203.0.113.65", "dst": "198.51.100.10", "start": 5, "stop": 95, "interval": 0.5, "pause": [60, 85]},
           {"name": "ns-r", "src": "203.0.113.193", "dst": "198.51.100.10", "start": 5, "stop": 98, "interval": 0.5}],
 "udp_send": [{"name": "ns-a", "src": "203.0.113.1", "dst": "198.51.100.10", "port": 7000, "start": 3, "stop": 95, "interval": 0.2, "size": 120},
              {"name": "ns-b", "src": "203.0.113.129", "dst": "198.51.100.10", "port": 7003, "start": 5, "stop": 95, "interval": 0.2, "size": 120, "pause": [40, 60]},
              {"name": "ns-g", "src": "203.0.113.65", "dst": "198.51.100.10", "port": 7006, "start": 5, "stop": 95, "interval": 0.2, "size": 120, "pause": [60, 85]},
              {"name": "ns-r", "src": "203.0.113.193", "dst": "198.51.100.10", "port": 7008, "start": 5, "stop": 98, "interval": 0.2, "size": 120}],
 "udp_recv": [{"name": "h1-a", "addr": "203.0.113.1", "port": 7001},
              {"name": "h1-b", "addr": "203.0.113.129", "port": 7002},
              {"name": "h1-g", "addr": "203.0.113.65", "port": 7005},
              {"name": "h1-g2", "addr": "203.0.113.65", "port": 7007},
              {"name": "h1-r", "addr": "203.0.113.193", "port": 7009}]}
EOF
ss_traffic "$work/plan.json" "$work/traffic.json"
initiate() { # initiate AT CHILD: swanctl --initiate at t0 + AT, its output and status in $sw
    (ss_at "$1" swanctl --initiate --child "$2" --timeout 20 -u "$vici" >"$sw/initiate-$2.out" 2>&1
     echo "rc=$?" >>"$sw/initiate-$2.out") &
    bg_pids+=($!)
}
initiate 1 a
initiate 3 g
initiate 4 bad-psk
initiate 5 no-prop
(ss_at 8.5 ss_sas "$sw/sas-8.txt") &
bg_pids+=($!)
(ss_at 94 ss_sas "$sw/sas-94.txt") &
bg_pids+=($!)
# r: charon rekeys the child SA over R1's new IKE SA (a CREATE_CHILD_SA under its SPIs)
(ss_at 95 swanctl --rekey --child r -u "$vici" >"$sw/rekey-r.out" 2>&1) &
bg_pids+=($!)
(ss_at 99.5 ss_sas "$sw/sas-99.txt") &
bg_pids+=($!)

rc=0
wait "$sim_pid" || rc=$?
sim_pid=""
[ $rc -eq 0 ] || { echo "FAIL ipsec-sim exited with $rc"; cat "$work/sim.log"; exit 1; }
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
scenario = json.load(open(f"{work}/sim/scenario.json"))
log = text(f"{sw}/charon.log")


def ike(exchange=None, role=None, peer=None):
    return [e for e in r["ike"] if e["node"] == "R1" and (exchange is None or e["exchange"] == exchange)
            and (role is None or e["role"] == role) and (peer is None or e["peer"] == peer)]


def brief(es):
    return [(e["exchange"], e["role"], e["result"], e.get("detail", ""), e.get("reason", "")) for e in es]


check(not [e for e in r["ike"] if e["exchange"] in ("main", "quick", "aggressive")],
      "R1 negotiates IKEv2 only (its crypto map entries name an IKEv2 profile)")
s8 = sas(f"{sw}/sas-8.txt")
show8, blk8 = show_blocks(out, 8)

# ---------------------------------------------------------------- the three tunnels
# name, peer, who starts, IKE algorithms and ESP algorithms (charon's names), R1's transform set
# (in its records and as show crypto ipsec sa prints it), R1's IKE suite
tunnels = [
    ("a", "192.0.2.2", "strongSwan", ("3DES_CBC", None, "HMAC_SHA1_96", "PRF_HMAC_SHA1", "MODP_1024"),
     ("AES_CBC", "256", "HMAC_SHA2_256_128"), ("esp-aes 256 esp-sha256-hmac", "esp-256-aes esp-sha256-hmac"),
     "ENCR_3DES/AUTH_HMAC_SHA1_96/PRF_HMAC_SHA1/group 2"),
    ("b", "192.0.2.3", "R1", ("AES_CBC", "256", "HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256", "MODP_2048"),
     ("3DES_CBC", None, "HMAC_SHA1_96"), ("esp-3des esp-sha-hmac", "esp-3des esp-sha-hmac"),
     "ENCR_AES_CBC-256/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/group 14"),
    ("r", "192.0.2.7", "R1", ("AES_CBC", "256", "HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256", "MODP_2048"),
     ("AES_CBC", "256", "HMAC_SHA2_256_128"), ("esp-aes 256 esp-sha256-hmac", "esp-256-aes esp-sha256-hmac"),
     "ENCR_AES_CBC-256/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/group 14"),
    ("g", "192.0.2.6", "strongSwan", ("AES_GCM_16", "128", None, "PRF_HMAC_SHA2_256", "MODP_2048"),
     ("AES_GCM_16", "128", None), ("esp-gcm", "esp-gcm"), "ENCR_AES_GCM_16-128/NONE/PRF_HMAC_SHA2_256/group 14"),
]
for name, peer, starter, ike_algs, esp_algs, (transform, shown), suite in tunnels:
    role = "responder" if starter == "strongSwan" else "initiator"
    if starter == "strongSwan":
        ini = text(f"{sw}/initiate-{name}.out")
        check("rc=0" in ini and "initiate completed successfully" in ini,
              f"{name}: strongSwan initiates, swanctl --initiate completes")
    init = [e for e in ike("IKE_SA_INIT", peer=peer) if e["result"] == "ok"]
    auth = ike("IKE_AUTH", peer=peer)
    check(len(init) == 1 and init[0]["role"] == role
          and init[0].get("detail", "").startswith(suite),
          f"{name}: R1's IKE_SA_INIT as {role}, {suite}: {brief(init)}")
    check(len(auth) == 1 and auth[0]["role"] == role and auth[0]["result"] == "ok"
          and auth[0].get("detail", "").startswith(transform),
          f"{name}: R1's IKE_AUTH as {role}, {transform}: {brief(auth)}")
    sa = s8.get(name, {})
    encr, keysize, integ, prf, group = ike_algs
    want = {"state": "ESTABLISHED", "version": "2", "encr-alg": encr, "integ-alg": integ,
            "prf-alg": prf, "dh-group": group, "encr-keysize": keysize,
            "initiator": "yes" if starter == "strongSwan" else None}
    got = {k: sa.get(k) for k in want}
    check(got == want, f"{name}: strongSwan's IKE SA {got}")
    check(init and sa.get("initiator-spi") == init[0]["icookie"],
          f"{name}: the same SPIi on both sides ({sa.get('initiator-spi')}, {init and init[0]['icookie']})")
    children = list(sa.get("child-sas", {}).values())
    child = children[0] if children else {}
    encr, keysize, integ = esp_algs
    want = {"state": "INSTALLED", "mode": "TUNNEL", "protocol": "ESP", "encap": "yes",
            "encr-alg": encr, "encr-keysize": keysize, "integ-alg": integ, "dh-group": None}
    got = {k: child.get(k) for k in want}
    check(len(children) == 1 and got == want, f"{name}: strongSwan's CHILD SA {got}")
    r1 = show8.get(peer)
    check(same_spis(children, r1) and r1["current"] == child.get("spi-in"),
          f"{name}: same SPIs at 8 s: strongSwan in/out {child.get('spi-in')}/{child.get('spi-out')}, "
          f"R1 {r1 and (sorted(r1['inbound']), sorted(r1['outbound']))}")
    check(r1 and r1["transforms"] == {shown} and r1["port"] == "4500"
          and any("UDP-Encaps" in x for x in r1["settings"]),
          f"{name}: R1 shows {shown}, peer {peer} port 4500, ESP in UDP "
          f"({r1 and (r1['transforms'], r1['port'], r1['settings'])})")

# b: charon narrows R1's selectors to its local_ts (RFC 7296 2.9); R1 installs what came back
auth_b = ike("IKE_AUTH", peer="192.0.2.3")
check(auth_b and auth_b[0].get("detail", "").endswith("(traffic selectors narrowed)")
      and "remote ident (addr/mask/prot/port): (203.0.113.128/255.255.255.192/0/0)"
      in blk8.split("current_peer 192.0.2.3")[0].rsplit("protected vrf", 1)[-1]
      and re.search(r"list-sa event \{b \{.*local-ts=\[203\.0\.113\.128/26\]", text(f"{sw}/sas-8.txt")),
      f"b: charon narrows TSr 203.0.113.128/25 to its /26, R1 installs the /26: {brief(auth_b)}")

inval = [e for e in ike("IKE_SA_INIT", peer="192.0.2.2") if e["result"] == "failed"]
m = re.search(r".*(peer didn't accept DH group|INVALID_KE_PAYLOAD).*", log)
check(len(inval) == 1 and "INVALID_KE_PAYLOAD" in inval[0].get("reason", "") and m,
      f"a: R1 asks for group 2 (INVALID_KE_PAYLOAD), charon retries with it: {brief(inval)}; "
      f"{m and m.group(0).strip()}")

# ---------------------------------------------------------------- traffic both ways
def tunnel_up(peer):
    """When R1's first IKE_AUTH with peer ended (simulated seconds)."""
    return min([e["end_s"] for e in ike("IKE_AUTH", peer=peer) if e["result"] == "ok"] or [1e9])


def h1_pings_before_tunnel(addr, peer):
    """h1's echo requests to addr sent before R1's first IKE_AUTH with peer ended: R1 drops
    what finds no SA while it negotiates, as IOS does (at least the first, which starts it)."""
    ping = [t for t in scenario["traffic"] if t["kind"] == "ping" and t["from"] == "h1"
            and t["to"] == addr][0]
    up = min([e["end_s"] for e in ike("IKE_AUTH", peer=peer) if e["result"] == "ok"] or [1e9])
    return max(1, sum(1 for k in range(ping["count"])
                      if ping["start"] + k * ping.get("interval", 1) < up))


for name, addr, peer, ports_in, port_out, sinks in (
        ("a", "203.0.113.1", "192.0.2.2", [7001], 7000, ["h1-a"]),
        ("b", "203.0.113.129", "192.0.2.3", [7002], 7003, ["h1-b"]),
        ("g", "203.0.113.65", "192.0.2.6", [7005, 7007], 7006, ["h1-g", "h1-g2"]),
        ("r", "203.0.113.193", "192.0.2.7", [7009], 7008, ["h1-r"])):
    # charon's own child rekeys: kernel-libipsec hands ESP and IKE to different threads, so on
    # a loaded machine a packet charon sealed with the old SA just before its Delete can reach
    # R1 after it (R1 then holds no SA for it). One such loss per rekey is charon's race; a
    # lost reply anywhere else, or more than one per rekey, fails.
    rekeys = [e["start_s"] for e in ike("CREATE_CHILD_SA", "responder", peer)
              if e.get("detail", "").startswith("rekey child SA")]
    # A namespace ping sent before the tunnel was up may be lost too: before R1's first
    # IKE_AUTH with charon ended (on a loaded machine charon can take seconds between
    # IKE_SA_INIT and IKE_AUTH), or before charon had installed the child SA's route after it
    # (the namespace could not send it at all).
    n, got = pings(traffic, f"ns-{name}")
    up = tunnel_up(peer)
    rows = traffic["pings"][f"ns-{name}"]
    early_ns = sum(1 for p in rows if p[1] < up or not p[3])
    lost = [p[1] for p in rows if p[2] is None and p[1] >= up and p[3]]
    at_rekey = [t for t in lost if any(abs(t - k) <= 2 for k in rekeys)]
    check(n > 120 and got >= n - early_ns - len(rekeys) and len(at_rekey) == len(lost) <= len(rekeys),
          f"{name}: the namespace ({addr}) pings h1: {got} of {n} replies (lost after the tunnel "
          f"was up at {up:.3f} s: {lost}, charon's rekeys at {rekeys})")
    # h1's echo replies come back through charon, so the same rekey race can take one each.
    f = flow(r, "h1", addr, kind="ping")
    early = h1_pings_before_tunnel(addr, peer)
    check(f["sent"] >= 66 and f["received"] >= f["sent"] - early - len(rekeys),
          f"{name}: h1 pings {addr}: {f['received']} of {f['sent']} ({early} sent before the "
          f"tunnel was up, charon rekeyed {len(rekeys)} times)")
    sent = len(traffic["udp_send"][f"ns-{name}"])
    f = flow(r, "sw", "198.51.100.10", port_out)
    check(sent > 300 and sent - len(rekeys) <= f["received"] <= sent,
          f"{name}: UDP namespace -> h1: {f['received']} of {sent} (charon rekeyed {len(rekeys)} times)")
    sent = sum(flow(r, "h1", addr, p)["sent"] for p in ports_in)
    got = sum(len(traffic["udp_recv"][k]) for k in sinks)
    check(sent > 600 and got >= sent - 2, f"{name}: UDP h1 -> namespace: {got} of {sent}")

# ---------------------------------------------------------------- rekeying
def at(es):
    return [round(e["start_s"], 1) for e in es]

def ok(es):
    return [e for e in es if e["result"] == "ok"]

# a: charon rekeys the child SA (rekey_time 20 s): CREATE_CHILD_SA with N(REKEY_SA), R1 answers,
# then charon deletes the old pair (INFORMATIONAL with D)
rk_a = [e for e in ike("CREATE_CHILD_SA", "responder", "192.0.2.2") if e.get("detail", "").startswith("rekey child SA")]
check(len(ok(rk_a)) >= 4 and len(ok(rk_a)) == len(rk_a) and not ike("CREATE_CHILD_SA", "initiator", "192.0.2.2"),
      f"a: charon rekeys the child SA, R1 answers each CREATE_CHILD_SA at {at(rk_a)} s: {brief(rk_a[:1])}")
m = re.findall(r"rekeying CHILD_SA a\{\d+\}|CHILD_SA a\{\d+\} established with SPIs \w+", log)
check(len([x for x in m if "established" in x]) >= 5,
      f"charon's log: {len([x for x in m if 'established' in x])} CHILD_SAs a established (the first and its rekeys)")
dl_a = [e for e in ike("INFORMATIONAL", "responder", "192.0.2.2") if e.get("detail", "").startswith("delete child SA")]
check(len(ok(dl_a)) >= 4, f"a: R1 removes each old child SA when charon's Delete comes ({len(ok(dl_a))} at {at(dl_a)} s)")
if len(rk_a) >= 2:
    t = rk_a[1]["start_s"]
    n, got = pings(traffic, "ns-a", t - 5, t + 5)
    check(n > 15 and got == n, f"a: pings across charon's rekey at {t:.1f} s: {got} of {n}")
s99 = sas(f"{sw}/sas-99.txt")
show99, _ = show_blocks(out, 99)
a99 = [c for c in s99.get("a", {}).get("child-sas", {}).values() if c.get("state") in ("INSTALLED", "REKEYED")]
r1_a = show99.get("192.0.2.2")
cur = [c for c in a99 if r1_a and c.get("spi-in") == r1_a["current"]]
check(cur and cur[0].get("spi-out") in r1_a["inbound"],
      f"a: at 99 s R1 sends on a child SA charon holds, with its pair ({r1_a and r1_a['current']}; "
      f"charon {[(c.get('state'), c.get('spi-in'), c.get('spi-out')) for c in a99]})")

# b: R1 rekeys its child SA 30 s before its 120 s lifetime, then deletes the old pair
auth_b = ike("IKE_AUTH", peer="192.0.2.3")
rk_b = [e for e in ike("CREATE_CHILD_SA", "initiator", "192.0.2.3") if e.get("detail", "").startswith("rekey child SA")]
check(len(rk_b) == 1 and rk_b[0]["result"] == "ok" and auth_b and 88 < rk_b[0]["start_s"] - auth_b[0]["end_s"] < 92,
      f"b: R1 rekeys the child SA 90 s after IKE_AUTH: {brief(rk_b)} at {at(rk_b)} s")
dl_b = [e for e in ike("INFORMATIONAL", "initiator", "192.0.2.3") if e.get("detail", "").startswith("delete child SA")]
check(ok(dl_b) and "received DELETE for ESP CHILD_SA" in log,
      f"b: R1 deletes the old child SA, charon takes it: {brief(dl_b[:1])}")
b99 = list(s99.get("b", {}).get("child-sas", {}).values())
r1_b = show99.get("192.0.2.3")
check(len(b99) == 1 and same_spis(b99, r1_b) and r1_b["current"] == b99[0].get("spi-in")
      and not same_spis(b99, show8.get("192.0.2.3")),
      f"b: at 99 s both hold only the new child SA and send on it (charon "
      f"{[(c.get('state'), c.get('spi-in'), c.get('spi-out')) for c in b99]}, R1 "
      f"{r1_b and (sorted(r1_b['inbound']), sorted(r1_b['outbound']), r1_b['current'])})")
if rk_b:
    t = rk_b[0]["start_s"]
    n, got = pings(traffic, "ns-b", t - 5, t + 3)
    check(n > 10 and got == n, f"b: pings across R1's rekey at {t:.1f} s: {got} of {n}")
    after = [x for x in traffic["udp_recv"]["h1-b"] if x[0] > t + 1]
    check(len(after) > 30, f"b: UDP h1 -> namespace keeps flowing after R1's rekey ({len(after)} datagrams)")

# g: charon rekeys the IKE SA (CREATE_CHILD_SA with an IKE proposal and KE); the child SA moves
# to the new IKE SA, whose keys the run exports too
rk_g = [e for e in ike("CREATE_CHILD_SA", "responder", "192.0.2.6") if e.get("detail", "").startswith("rekey IKE SA")]
g8, g99 = s8.get("g", {}), s99.get("g", {})
table_spis = {l.split(",")[0].lower() for l in lines(f"{out}/ikev2_decryption_table.uat")}
check(ok(rk_g) and 40 < rk_g[0]["start_s"] < 50 and g99.get("state") == "ESTABLISHED"
      and g99.get("initiator-spi") not in (None, g8.get("initiator-spi"))
      and g99.get("initiator-spi") in table_spis,
      f"g: charon rekeys the IKE SA at {at(rk_g)} s: {brief(rk_g[:1])}; its SPIi "
      f"{g8.get('initiator-spi')} -> {g99.get('initiator-spi')} (in the exported table: "
      f"{g99.get('initiator-spi') in table_spis})")
check([e for e in ike("INFORMATIONAL", "responder", "192.0.2.6") if e.get("detail") == "delete IKE SA"],
      "g: charon deletes the old IKE SA, R1 lets it go")
g99c = list(g99.get("child-sas", {}).values())
check(len(g99c) == 1 and same_spis(g99c, show99.get("192.0.2.6")) and same_spis(g99c, show8.get("192.0.2.6")),
      "g: the child SA lives on under the new IKE SA, the same SPIs on both sides")

# r: R1 rekeys the IKE SA 90 s after making it (its profile SWAN-REKEY's lifetime 120; the side
# that made the SA rekeys 30 s before the end): CREATE_CHILD_SA with its IKE proposal and KE,
# charon answers, R1 deletes the old IKE SA; the child SA moves to the new one, and charon's
# child rekey at 95 s (swanctl --rekey) goes over the new IKE SA
def ikev2_show(at, peer):
    """(Local spi, Remote spi) of R1's show crypto ikev2 sa detail at 'at' s for 'peer'"""
    blk = next((b for b in text(f"{out}/show/R1.txt").split("\n! ")
                if b.lstrip("! ").startswith(f"{at:.3f} s\nR1#show crypto ikev2 sa detail")), "")
    for sa_txt in re.split(r"\n(?=\d+\s+\d+\.\d+\.\d+\.\d+/)", blk):
        m = re.search(r"Local spi: (\w+)\s+Remote spi: (\w+)", sa_txt)
        if m and re.match(rf"\d+\s+\S+\s+{re.escape(peer)}/", sa_txt):
            return m.group(1).lower(), m.group(2).lower()
    return None


auth_r = ike("IKE_AUTH", peer="192.0.2.7")
rk_r = [e for e in ike("CREATE_CHILD_SA", peer="192.0.2.7") if e.get("detail", "").startswith("rekey IKE SA")]
m = re.search(r"\(new SPIs (\w+) (\w+)\)", rk_r[0].get("detail", "")) if rk_r else None
new_r = (m.group(1).lower(), m.group(2).lower()) if m else None
check(len(rk_r) == 1 and rk_r[0]["role"] == "initiator" and rk_r[0]["result"] == "ok" and new_r
      and auth_r and 88 < rk_r[0]["start_s"] - auth_r[0]["end_s"] < 92,
      f"r: R1 rekeys the IKE SA 90 s after IKE_AUTH (lifetime 120): {brief(rk_r)} at {at(rk_r)} s")
r8, r94, r99 = s8.get("r", {}), sas(f"{sw}/sas-94.txt").get("r", {}), s99.get("r", {})
old_r = (r8.get("initiator-spi"), r8.get("responder-spi"))
check(r94.get("state") == "ESTABLISHED" and new_r and (r94.get("initiator-spi"), r94.get("responder-spi")) == new_r
      and new_r != old_r and r94.get("initiator") is None,
      f"r: charon's IKE SA at 94 s has R1's new SPIs {new_r} (before {old_r}; charon "
      f"{(r94.get('initiator-spi'), r94.get('responder-spi'), r94.get('state'))})")
shown = (ikev2_show(8, "192.0.2.7"), ikev2_show(94, "192.0.2.7"), ikev2_show(99, "192.0.2.7"))
check(shown[0] == old_r and shown[1] == shown[2] == new_r,
      f"r: R1's show crypto ikev2 sa detail, Local/Remote spi at 8, 94 and 99 s: {shown}")
check(r99.get("state") == "ESTABLISHED" and (r99.get("initiator-spi"), r99.get("responder-spi")) == new_r
      and len([e for e in ike("IKE_SA_INIT", peer="192.0.2.7") if e["result"] == "ok"]) == 1,
      "r: at 99 s still that IKE SA, no new IKE_SA_INIT")
dl_r = [e for e in ike("INFORMATIONAL", "initiator", "192.0.2.7") if e.get("detail") == "delete IKE SA"]
check(ok(dl_r) and rk_r and dl_r[0]["icookie"] == old_r[0] and dl_r[0]["start_s"] >= rk_r[0]["end_s"],
      f"r: R1 deletes the old IKE SA over it after the rekey: {brief(dl_r)} at {at(dl_r)} s")
m = re.search(r".*IKE_SA r\[\d+\] rekeyed.*|.*rekeyed IKE_SA.*", log)
check(bool(m) and not [e for e in rk_r if e["role"] == "responder"],
      f"charon's log: it answers R1's IKE rekey, starts none of its own: {m and m.group(0).strip()}")
r94c = list(r94.get("child-sas", {}).values())
check(len(r94c) == 1 and same_spis(r94c, show_blocks(out, 94)[0].get("192.0.2.7"))
      and same_spis(r94c, show8.get("192.0.2.7")),
      f"r: at 94 s the child SA of 8 s lives on under the new IKE SA, the same SPIs on both sides "
      f"({[(c.get('spi-in'), c.get('spi-out')) for c in r94c]})")
rk_rc = [e for e in ike("CREATE_CHILD_SA", "responder", "192.0.2.7") if e.get("detail", "").startswith("rekey child SA")]
r99c = [c for c in r99.get("child-sas", {}).values() if c.get("state") == "INSTALLED"]
check(len(rk_rc) == 1 and rk_rc[0]["result"] == "ok" and new_r and rk_rc[0]["icookie"] == new_r[0]
      and len(r99c) == 1 and same_spis(r99c, show99.get("192.0.2.7")) and not same_spis(r99c, show8.get("192.0.2.7")),
      f"r: charon's child rekey at 95 s goes over the new IKE SA ({brief(rk_rc)}, SPIi "
      f"{rk_rc and rk_rc[0]['icookie']}); at 99 s both hold its new pair")
if rk_r:
    t = rk_r[0]["start_s"]
    n, got = pings(traffic, "ns-r", t - 5, t + 5)
    check(n > 15 and got == n, f"r: pings across R1's IKE SA rekey at {t:.1f} s: {got} of {n}")
    after = [x for x in traffic["udp_recv"]["h1-r"] if x[0] > t + 1]
    check(len(after) > 20, f"r: UDP h1 -> namespace goes on after the IKE SA rekey ({len(after)} datagrams)")

# ---------------------------------------------------------------- dead peer detection
dpd_g = [e for e in ike("INFORMATIONAL", "responder", "192.0.2.6") if e.get("detail") == "liveness check (DPD)"]
check(ok(dpd_g) and all(60 < x < 86 for x in at(dpd_g)) and "sending DPD request" in log,
      f"g: charon's DPD while g is quiet (60 to 85 s), R1 answers at {at(dpd_g)} s")
dpd_b = [e for e in ike("INFORMATIONAL", "initiator", "192.0.2.3") if e.get("detail") == "liveness check (DPD)"]
check(ok(dpd_b) and all(49 < x < 62 for x in at(ok(dpd_b))),
      f"b: R1's on-demand DPD (it sends, hears nothing from 40 s), charon answers at {at(dpd_b)} s: {brief(dpd_b[:1])}")
check(not [e for e in r["ike"] if "peer dead" in e.get("reason", "")], "nobody is declared dead")

# ---------------------------------------------------------------- failures
def refused(name, peer, notify, exchange, r1_words):
    ini = text(f"{sw}/initiate-{name}.out")
    check("rc=0" not in ini, f"{name}: strongSwan's initiate fails")
    recs = [e for e in ike(peer=peer) if e["result"] == "failed"]
    check(recs and recs[0]["exchange"] == exchange and all(w in recs[0].get("reason", "") for w in r1_words),
          f"{name}: R1 refuses {exchange} and says why: {brief(recs[:1])}")
    m = re.search(rf".*received {notify} notify error.*", log)
    check(bool(m), f"{name}: charon says why: {m and m.group(0).strip()}")
    check(not [e for e in ike(peer=peer) if e["result"] == "ok" and e["exchange"] == "IKE_AUTH"],
          f"{name}: no child SA")
refused("bad-psk", "192.0.2.4", "AUTHENTICATION_FAILED", "IKE_AUTH", ["AUTHENTICATION_FAILED", "AUTH"])
refused("no-prop", "192.0.2.5", "NO_PROPOSAL_CHOSEN", "IKE_SA_INIT", ["NO_PROPOSAL_CHOSEN"])

# ---------------------------------------------------------------- tshark
pcap = f"{out}/R1_Ethernet1.pcap"
opts = tshark_opts(out, "ikev2_decryption_table")
check("R1_Ethernet1.pcap" in r["pcaps"] and r["scenario"].get("realtime") is True,
      "results.json: real time, R1's capture of the emulated link")
bad = tshark(pcap, opts, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number", "_ws.expert.message"])
check(not bad, f"tshark: no malformed frame, no expert warning ({bad[:5]})")
rows = tshark(pcap, opts, "isakmp.version == 0x20",
              ["isakmp.ispi", "isakmp.exchangetype", "isakmp.typepayload", "udp.srcport", "udp.dstport"])
init = [x for x in rows if x[1] == "34"]
later = [x for x in rows if x[1] != "34"]
# With the table every SK payload shows its decrypted data (an empty INFORMATIONAL, DPD, too)
sealed = tshark(pcap, opts, "isakmp.version == 0x20 && isakmp.exchangetype != 34 && !isakmp.enc.decrypted",
                ["frame.number", "isakmp.ispi", "isakmp.exchangetype"])
check(len(init) >= 10 and len(later) >= 30,
      f"tshark: {len(init)} IKE_SA_INIT and {len(later)} later IKEv2 messages (IKE_AUTH, "
      f"CREATE_CHILD_SA {sum(1 for x in later if x[1] == '36')}, INFORMATIONAL {sum(1 for x in later if x[1] == '37')})")
check(not sealed, f"tshark decrypts every IKEv2 message after IKE_SA_INIT, those of the rekeyed IKE SAs "
      f"too (not decrypted: {sealed[:4]})")
# r: R1's rekey (CREATE_CHILD_SA under the old SPIs), then charon's child rekey and its Delete
# under the new ones, all decrypted
dec = tshark(pcap, opts, "isakmp.version == 0x20 && isakmp.exchangetype != 34 && isakmp.enc.decrypted",
             ["frame.time_relative", "isakmp.ispi", "isakmp.exchangetype"])
old_rows = [x for x in dec if old_r[0] and x[1].replace(":", "").lower() == old_r[0] and x[2] == "36"]
new_rows = [x for x in dec if new_r and x[1].replace(":", "").lower() == new_r[0]]
check(len(old_rows) >= 2 and sum(1 for x in new_rows if x[2] == "36") >= 2
      and sum(1 for x in new_rows if x[2] == "37") >= 2 and new_r and new_r[0] in table_spis,
      f"r: tshark decrypts R1's IKE rekey ({len(old_rows)} CREATE_CHILD_SA under {old_r[0]}) and "
      f"{len(new_rows)} messages under the new SPIi {new_r and new_r[0]} (exchange types "
      f"{[x[2] for x in new_rows]})")
check(all(x[3] == x[4] == "500" for x in init) and all(x[3] == x[4] == "4500" for x in later),
      f"IKE_SA_INIT on port 500, then everything on 4500 (after the non-ESP marker), also after an "
      f"IKE SA rekey ({[x[:2] + x[3:5] for x in later if not x[3] == x[4] == '4500'][:4]})")
esp = tshark(pcap, opts, "esp", ["esp.spi", "esp.icv_good", "udp.srcport", "udp.dstport"])
check(len(esp) > 2000 and all(x[1] in ("1", "True") for x in esp)
      and all(x[2].split("|")[0] == x[3].split("|")[0] == "4500" for x in esp),
      f"tshark: {len(esp)} ESP-in-UDP frames on 4500, every ICV good")
inner = tshark(pcap, opts, "esp && (icmp || (udp.dstport >= 7000 && udp.dstport <= 7009))", ["frame.number"])
check(len(inner) == len(esp), f"tshark decrypts the inner ICMP/UDP of {len(inner)} of {len(esp)} ESP frames")
sys.exit(1 if failures else 0)
PY

[ $fail -eq 0 ] || { echo "charon log: $sw/charon.log (KEEP=1 keeps it)"; exit 1; }
echo "strongswan-ikev2: all checks passed"
