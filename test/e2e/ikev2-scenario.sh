#!/usr/bin/env bash
# IKEv2 between two simulated routers, judged by tshark. scenarios/ikev2-spec-example: the
# IKE_SA_INIT and IKE_AUTH exchanges succeed on both routers, the traffic passes through the
# child SA, every IKEv2 frame of every pcap dissects without a malformed frame or expert warning
# (with and without the run's ikev2_decryption_table), IKE_AUTH decrypts with the table (IDi,
# IDr, AUTH, TSi/TSr shown only with it, integrity checked) and every ESP frame decrypts with
# esp_sa.uat with a good ICV. Variants made from the same configuration by editing a copy: a
# wrong pre-shared key (AUTHENTICATION_FAILED), proposals that do not meet
# (NO_PROPOSAL_CHOSEN), a wider access list on the initiator (narrowed by the responder), access
# lists with nothing in common (TS_UNACCEPTABLE), and a peer that does
# not answer (the request retransmitted with growing intervals, then given up), a child SA's
# lifetime of 120 s on R1 (rekeyed with CREATE_CHILD_SA 30 s before its end, over the same IKE
# SA; test/e2e/ikev2-rekey.sh checks rekeying on the wire). An IKEv1 copy of
# the example (no `set ikev2-profile`) still runs IKEv1 only.
# usage: ikev2-scenario.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }

# variant NAME SED-FOR-R1 SED-FOR-R2 [DURATION [SED-FOR-SCENARIO]]: a copy of the scenario with
# edited configs, run.
variant() {
    local d="$work/cfg-$1"
    mkdir -p "$d"
    cp "$src/scenarios/ikev2-spec-example/"* "$d/"
    sed -i -e "$2" "$d/R1.cfg"
    sed -i -e "$3" "$d/R2.cfg"
    if [ -n "${4:-}" ]; then
        sed -i -e "s/\"duration\": [0-9]*/\"duration\": $4/" -e "${5:-}" "$d/scenario.json"
    fi
    "$build/ipsec-sim" "$d/scenario.json" --out "$work/$1" --quiet >"$work/$1.log" 2>&1 || {
        echo "FAIL $1: ipsec-sim exited non-zero"; cat "$work/$1.log"; exit 1; }
}

"$build/ipsec-sim" "$src/scenarios/ikev2-spec-example/scenario.json" --out "$work/ok" --quiet \
    >"$work/ok.log" 2>&1 || { echo "FAIL: ipsec-sim exited non-zero"; cat "$work/ok.log"; exit 1; }
variant wrong-psk 's/pre-shared-key s3cr3t-Sh4red/pre-shared-key wr0ng-Key/' ''
variant no-proposal 's/ integrity sha256/ integrity sha1/' ''
variant ts 's/10.2.2.0 0.0.0.255$/10.2.0.0 0.0.255.255/' ''
variant ts-none '' 's/10.0.0.0 0.0.0.255\r$/10.9.9.0 0.0.0.255\r/'
variant expiry 's/^crypto ipsec transform-set myset1/crypto ipsec security-association lifetime seconds 120\n&/' '' 160 's/"stop": 18/"stop": 150/'
variant silent '' 's/^crypto map toRemoteSite 10 ipsec-isakmp/no crypto isakmp enable\r\n&/' 140
variant ikev1 's/^ set ikev2-profile .*$/!/;s/^crypto ikev2 proposal AES256-SHA256/crypto isakmp policy 10\n authentication pre-share\ncrypto isakmp key s3cr3t-Sh4red address 10.2.2.5\n&/' \
    's/^ set ikev2-profile .*$/!\r/;s/^configure terminal\r$/&\ncrypto isakmp policy 10\r\n authentication pre-share\r\ncrypto isakmp key s3cr3t-Sh4red address 172.16.0.1\r/'

/usr/bin/python3 - "$work" <<'PY'
import glob, json, os, subprocess, sys

work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(run, ikev2=True):
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in lines(f"{work}/{run}/esp_sa.uat"):
        opts += ["-o", "uat:esp_sa:" + row]
    if ikev2:
        for row in lines(f"{work}/{run}/ikev2_decryption_table.uat"):
            opts += ["-o", "uat:ikev2_decryption_table:" + row]
    return opts

def tshark(run, pcap, display, fields, ikev2=True):
    out = subprocess.run(["tshark", "-r", pcap, *keys(run, ikev2), "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

def ike(run, node=None, exchange=None):
    r = json.load(open(f"{work}/{run}/results.json"))
    return [e for e in r["ike"] if (node is None or e["node"] == node)
            and (exchange is None or e["exchange"] == exchange)]

def frames(run, display, fields, ikev2=True):
    rows = []
    for pcap in sorted(glob.glob(f"{work}/{run}/*.pcap")):
        rows += [[os.path.basename(pcap)] + r for r in tshark(run, pcap, display, fields, ikev2)]
    return rows

def clean(run):
    for with_keys in (False, True):
        bad = frames(run, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"],
                     with_keys)
        check(not bad, f"{run}: no malformed frame, no expert warning "
                       f"({'with' if with_keys else 'without'} the IKEv2 table) {bad[:3]}")

# ---- the example: up, traffic through, tshark decrypts everything
r = json.load(open(f"{work}/ok/results.json"))
for node, role in (("R1", "initiator"), ("R2", "responder")):
    for ex in ("IKE_SA_INIT", "IKE_AUTH"):
        got = [e for e in ike("ok", node, ex) if e["role"] == role]
        check(len(got) == 1 and got[0]["result"] == "ok", f"ok: {node} {ex} as {role}: {got}")
check(not [e for e in r["ike"] if e["exchange"] in ("main", "quick", "aggressive")],
      "ok: no IKEv1 exchange for an entry with set ikev2-profile")
for f in r["flows"]:
    check(f["received"] >= f["sent"] - 3, f"ok: flow {f['from']} -> {f['to']}: "
          f"{f['received']}/{f['sent']} received")
table = lines(f"{work}/ok/ikev2_decryption_table.uat")
check(len(table) == 1, f"ok: one ikev2_decryption_table row ({len(table)})")
clean("ok")
serial = f"{work}/ok/R1_Serial0.pcap"
v2 = tshark("ok", serial, "isakmp.version == 0x20",
            ["isakmp.exchangetype", "isakmp.flags", "isakmp.notify.msgtype",
             "isakmp.id.data.ipv4_addr", "isakmp.auth.method", "isakmp.ts.start_ipv4",
             "isakmp.ts.end_ipv4", "isakmp.prop.protoid", "isakmp.ikev2.integrity_checksum"])
check([x[0] for x in v2] == ["34", "34", "35", "35"], f"ok: IKE_SA_INIT and IKE_AUTH on the serial link: {[x[0] for x in v2]}")
if len(v2) == 4:
    check("16388" in v2[0][2] and "16389" in v2[0][2], "ok: NAT detection notifies in IKE_SA_INIT")
    check(v2[2][3] == "172.16.0.1" and v2[3][3] == "10.2.2.5", f"ok: IDi 172.16.0.1, IDr 10.2.2.5 decrypted: {v2[2][3]}, {v2[3][3]}")
    check(v2[2][4] == "2" and v2[3][4] == "2", "ok: AUTH shared key MIC both ways")
    check(v2[2][5] == "10.0.0.0|10.2.2.0" and v2[2][6] == "10.0.0.255|10.2.2.255",
          f"ok: TSi/TSr from access-list 101: {v2[2][5]} {v2[2][6]}")
    check(v2[3][7] == "3", "ok: the child SA is ESP")
plain = tshark("ok", serial, "isakmp.exchangetype == 35 && isakmp.id.data.ipv4_addr", ["frame.number"], False)
check(not plain, "ok: without the table IKE_AUTH stays encrypted")
esp = frames("ok", "esp", ["esp.icv_good", "esp.icv_bad", "ip.src"])
inner = frames("ok", "esp && udp.dstport >= 5000", ["frame.number"])
check(len(esp) > 100 and all(x[1] in ("1", "True") for x in esp),
      f"ok: {len(esp)} ESP frames, every ICV good")
check(len(inner) > 100, f"ok: ESP decrypts to the inner UDP flows ({len(inner)} frames)")

# ---- refusals: the notify on the wire (decrypted where it is in SK) and the reason on both
def refused(run, notify, name, exchange, child=False):
    clean(run)
    rows = frames(run, f"isakmp.notify.msgtype == {notify}", ["isakmp.exchangetype"])
    check(rows and all(x[1] == exchange for x in rows), f"{run}: {name} ({notify}) in "
          f"exchange {exchange}: {rows[:2]}")
    i = [e for e in ike(run, "R1") if e["result"] == "failed"]
    check(i and name in i[0]["reason"], f"{run}: R1's record says {name}: {i[:1]}")
    rr = [e for e in ike(run, "R2") if e["result"] == "failed"]
    check(rr and name in rr[0]["reason"], f"{run}: R2 answered {name}: {rr[:1]}")
    if not child:
        check(not lines(f"{work}/{run}/esp_sa.uat"), f"{run}: no child SA")

refused("wrong-psk", 24, "AUTHENTICATION_FAILED", "35")
refused("no-proposal", 14, "NO_PROPOSAL_CHOSEN", "34")
refused("ts-none", 38, "TS_UNACCEPTABLE", "35", child=True)
# R1's access list reaches all of 10.2.0.0/16, R2's only 10.2.2.0/24: R2 narrows (RFC 7296 2.9),
# answering with its own selector, and both install that.
clean("ts")
for node in ("R1", "R2"):
    i = ike("ts", node, "IKE_AUTH")
    check(i and i[0]["result"] == "ok" and "narrowed" in i[0]["detail"],
          f"ts: {node}'s IKE_AUTH narrowed: {i[:1]}")
ts = tshark("ts", f"{work}/ts/R1_Serial0.pcap", "isakmp.exchangetype == 35",
            ["isakmp.ts.start_ipv4", "isakmp.ts.end_ipv4"])
check([x[1] for x in ts[:2]] == ["10.0.0.255|10.2.255.255", "10.0.0.255|10.2.2.255"],
      f"ts: TSr 10.2.0.0/16 asked, 10.2.2.0/24 answered: {ts[:2]}")
check(lines(f"{work}/ts/esp_sa.uat"), "ts: the child SA is up")

# ---- a silent peer: the request again after 2, 4, 8, 16 and 32 s, then given up
times = [float(x[0]) for x in tshark("silent", f"{work}/silent/R1_Serial0.pcap",
                                     "isakmp.exchangetype == 34", ["frame.time_relative"])]
gaps = [round(b - a) for a, b in zip(times, times[1:])]
check(gaps[:5] == [2, 4, 8, 16, 32], f"silent: retransmission intervals {gaps}")
i = ike("silent", "R1", "IKE_SA_INIT")
check(i and i[0]["result"] == "failed" and i[0]["retransmissions"] == 5,
      f"silent: IKE_SA_INIT failed after 5 retransmissions: {i[:1]}")

# ---- R1's child SA lives 120 s: R1 rekeys it 30 s before (CREATE_CHILD_SA), no new IKE SA
auth = [e for e in ike("expiry", "R1", "IKE_AUTH") if e["result"] == "ok"]
rekey = [e for e in ike("expiry", "R1", "CREATE_CHILD_SA") if e["result"] == "ok"]
check(len(auth) == 1 and len(rekey) == 1 and 90 <= rekey[0]["start_s"] < 92,
      f"expiry: the child SA rekeyed at 90 s over the same IKE SA: "
      f"{[(e['exchange'], e['start_s']) for e in auth + rekey]}")
flows = json.load(open(f"{work}/expiry/results.json"))["flows"]
check(all(f["sent"] - f["received"] <= 10 for f in flows),
      f"expiry: few packets lost across the expiry: {[(f['sent'], f['received']) for f in flows]}")

# ---- the same example keyed by IKEv1 still runs main mode and quick mode only
v1 = ike("ikev1")
check(any(e["exchange"] == "quick" and e["result"] == "ok" for e in v1) and
      not any(e["exchange"].startswith("IKE_") for e in v1), f"ikev1: IKEv1 only: {[e['exchange'] for e in v1]}")

print("PASS" if not failures else f"FAIL: {len(failures)} checks")
sys.exit(1 if failures else 0)
PY
