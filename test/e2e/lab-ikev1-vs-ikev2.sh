#!/usr/bin/env bash
# Keeps lab 6 (doc/labs/lab6-ikev1-vs-ikev2.md) true to the simulator: runs its scenario,
# scenarios/ikev1-ikev2-side-by-side, and checks
# - that the answer key between the handout's `lab6-answers` markers is exactly what
#   tools/lab6-answers.py prints for this run (with LAB6_UPDATE=1 the block is rewritten from
#   the run first: review the diff);
# - what the handout's prose states beside the generated figures, from the run itself: HQ
#   initiates main mode and quick mode with A and IKE_SA_INIT and IKE_AUTH with B, at the same
#   instant; the messages carry the payloads the answers name (SA in main mode 1-2, KE and nonce
#   in 3-4, ID and HASH encrypted in 5-6, quick mode encrypted; IKE_SA_INIT's SA, KE, nonce and
#   NAT detection; IKE_AUTH's IDi/IDr, AUTH, SA, TSi, TSr in SK); group 14's 256-byte KE values;
#   IKEv2 reaches the first protected packet sooner, with fewer messages and bytes.
# usage: lab-ikev1-vs-ikev2.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 77; }

"$build/ipsec-sim" "$src/scenarios/ikev1-ikev2-side-by-side/scenario.json" --out "$work/run" \
    --quiet --no-plots >"$work/log" 2>&1 || {
    echo "FAIL ipsec-sim exited non-zero"; cat "$work/log"; exit 1; }
/usr/bin/python3 "$src/tools/lab6-answers.py" "$work/run" >"$work/answers.md"

/usr/bin/python3 - "$work" "$src/doc/labs/lab6-ikev1-vs-ikev2.md" <<'PY'
import json, os, re, subprocess, sys

work, handout_path = sys.argv[1], sys.argv[2]
run = f"{work}/run"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


generated = open(f"{work}/answers.md").read()
handout = open(handout_path, encoding="utf-8").read()
block = re.compile(r"(<!-- lab6-answers: begin[^\n]*-->\n)(.*?)(<!-- lab6-answers: end -->)", re.S)
if os.environ.get("LAB6_UPDATE") == "1":
    handout = block.sub(lambda m: m.group(1) + generated + m.group(3), handout)
    open(handout_path, "w", encoding="utf-8").write(handout)
    print(f"updated the answer key of {handout_path}")
m = block.search(handout)
check(m is not None, "the handout has the generated answer key between its markers")
if m:
    same = m.group(2) == generated
    if not same:
        for n, (a, b) in enumerate(zip(m.group(2).splitlines(), generated.splitlines())):
            if a != b:
                print(f"     line {n + 1}: handout   {a!r}\n     line {n + 1}: this run {b!r}")
                break
    check(same, "the answer key is what tools/lab6-answers.py prints for this run")

# The run itself, for the prose's claims.
r = json.load(open(f"{run}/results.json"))
hq = {e["exchange"]: e for e in r["ike"] if e["node"] == "HQ"}
check(all(hq.get(x, {}).get("role") == "initiator" and hq[x]["result"] == "ok"
          for x in ("main", "quick", "IKE_SA_INIT", "IKE_AUTH")),
      "HQ initiates main and quick mode with A, IKE_SA_INIT and IKE_AUTH with B, all ok")
check([hq[x]["messages"] for x in ("main", "quick", "IKE_SA_INIT", "IKE_AUTH")] == [6, 3, 2, 2],
      "6 + 3 messages of IKEv1, 2 + 2 of IKEv2 (results.json)")
check(abs(hq["main"]["start_s"] - hq["IKE_SA_INIT"]["start_s"]) < 0.005,
      "both negotiations start at the same instant")

# The generated tables, row by row: [#, ms, direction, exchange, bytes, payloads].
def rows(title):
    part = generated.split(title, 1)[1].split("####", 1)[0]
    return [[c.strip() for c in l.strip("|").split("|")] for l in part.splitlines()
            if re.match(r"^\| \d+ \|", l)]


v1 = rows("#### IKEv1")
v2 = rows("#### IKEv2")
check(len(v1) == 9 and [x[3] for x in v1] == ["main mode"] * 6 + ["quick mode"] * 3,
      "the IKEv1 table: 6 main mode and 3 quick mode messages")
check(all(x[5].startswith("SA (") for x in v1[0:2]), "main mode 1-2: SA")
check(all(x[5].startswith("KE, Nonce") for x in v1[2:4]), "main mode 3-4: KE and nonce")
check(all(x[5].startswith("encrypted {ID, HASH") for x in v1[4:6]), "main mode 5-6: ID, HASH, encrypted")
check(all(x[5].startswith("encrypted {HASH") for x in v1[6:9]) and "SA (" in v1[6][5] and "ID" in v1[6][5],
      "quick mode: encrypted, a HASH first; SA, nonce and IDs in the first")
check(len(v2) == 4 and [x[3] for x in v2] == ["IKE_SA_INIT"] * 2 + ["IKE_AUTH"] * 2,
      "the IKEv2 table: 2 IKE_SA_INIT and 2 IKE_AUTH messages")
check(all(x[5].startswith("SA (") and "KE, Nonce, N(NAT_DETECTION_SOURCE_IP)" in x[5] for x in v2[:2]),
      "IKE_SA_INIT: SA, KE, nonce, NAT detection")
check(v2[2][5].startswith("SK {IDi, AUTH, SA (") and v2[2][5].endswith("TSi, TSr}")
      and v2[3][5].startswith("SK {IDr, AUTH, SA ("), "IKE_AUTH: IDi/IDr, AUTH, SA, TSi, TSr inside SK")
check([x[2] for x in v1[:2]] == ["HQ -> A", "A -> HQ"] and [x[2] for x in v2[:2]] == ["HQ -> B", "B -> HQ"],
      "HQ sends the first message of each")

# Independent of the script: the KE values and the totals, straight from tshark.
opts = []
for name in ("ikev1", "ikev2"):
    for row in open(f"{run}/{name}_decryption_table.uat").read().splitlines():
        opts += ["-o", f"uat:{name}_decryption_table:{row}"] if row.strip() else []
out = subprocess.run(["tshark", "-r", f"{run}/HQ_Serial0_0.pcap", *opts, "-Y", "isakmp",
                      "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "ip.dst",
                      "-e", "ip.src", "-e", "ip.len", "-e", "isakmp.version", "-e", "isakmp.key_exchange.data"],
                     capture_output=True, text=True, check=True).stdout.splitlines()
frames = [l.split("\t") for l in out if l.strip()]
kes = [len(f[4]) // 2 for f in frames if f[4]]
check(len(kes) == 4 and set(kes) == {256}, f"four KE payloads of 256 bytes (group 14): {kes}")
by = {v: [f for f in frames if f[3] == v] for v in ("0x10", "0x20")}
b1, b2 = (sum(int(f[2]) for f in by[v]) for v in ("0x10", "0x20"))
check(len(by["0x10"]) == 9 and len(by["0x20"]) == 4 and b2 < b1,
      f"IKEv2 fewer messages and bytes: {len(by['0x20'])} / {b2} against {len(by['0x10'])} / {b1}")
check(f"IKEv1: {b1} bytes" in generated and f"IKEv2: {b2} (" in generated, "the key's byte totals are tshark's")
flows = {f["to"]: f for f in r["flows"] if f["from"] == "hq"}
check(flows["10.2.0.10"]["first_rx_s"] < flows["10.1.0.10"]["first_rx_s"]
      and flows["10.2.0.10"]["received"] > flows["10.1.0.10"]["received"],
      "hb gets its first datagram sooner than ha, and loses fewer")

print("PASS" if not failures else f"FAIL: {len(failures)} checks")
sys.exit(1 if failures else 0)
PY
