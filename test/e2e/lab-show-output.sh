#!/usr/bin/env bash
# Keeps lab 5 (doc/labs/lab5-show-output.md) true to the simulator: runs its scenario,
# scenarios/lab-show-output, and checks
# - that every output block the handout quotes is, byte for byte, what the run printed: each
#   quoted block follows a marker `<!-- run: ROUTER TIME COMMAND -->` and holds the prompt line
#   and the output of that command in show/ROUTER.txt at TIME (seconds, as the file prints
#   them); with LAB_SHOW_UPDATE=1 the blocks are rewritten from the run first (review the diff);
# - that the figures of the answer key are those of this run: per answer, the phrases the key
#   states, rebuilt from results.json and the run's show output;
# - that the handout quotes every block the exercise needs (both releases of each command).
# usage: lab-show-output.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$build/ipsec-sim" "$src/scenarios/lab-show-output/scenario.json" --out "$work/run" --quiet \
    --no-plots >"$work/log" 2>&1; then
    echo "FAIL ipsec-sim exited non-zero on scenarios/lab-show-output"
    cat "$work/log"
    exit 1
fi

/usr/bin/python3 - "$work/run" "$src/doc/labs/lab5-show-output.md" <<'PY'
import json, os, re, sys

run, handout_path = sys.argv[1], sys.argv[2]
handout = open(handout_path, encoding="utf-8").read()
results = json.load(open(f"{run}/results.json"))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def commands_of(router):
    """{(time, command): text} of show/ROUTER.txt, text = prompt line and output."""
    text = open(f"{run}/show/{router}.txt", encoding="utf-8").read()
    heads = list(re.finditer(r"^! (\d+\.\d{3}) s\n(?=" + re.escape(router) + r"#)", text, re.M))
    found = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[m.end():end]
        command = body.split("\n", 1)[0][len(router) + 1:]
        found[(m.group(1), command)] = body
    return found


shows = {r: commands_of(r) for r in ("R1", "R2")}

# 1. Every quoted block is what the run printed.
marker = re.compile(r"<!-- run: (\S+) (\d+\.\d{3}) (.+?) -->\n```text\n(.*?)```", re.S)
if os.environ.get("LAB_SHOW_UPDATE") == "1":
    # Rewrite the quoted blocks from this run; then read the diff, and bring the prose and the
    # answer key up to date where the output changed (the answer checks below say where).
    def printed_block(m):
        body = shows[m.group(1)][(m.group(2), m.group(3))].rstrip("\n")
        return f"<!-- run: {m.group(1)} {m.group(2)} {m.group(3)} -->\n```text\n{body}\n```"
    handout = marker.sub(printed_block, handout)
    open(handout_path, "w", encoding="utf-8").write(handout)
    print(f"updated the quoted blocks of {handout_path}")
quoted = marker.findall(handout)
check(len(quoted) >= 10, f"the handout quotes {len(quoted)} marked output blocks")
for router, at, command, block in quoted:
    what = f"{router} {at} s '{command}'"
    printed = shows.get(router, {}).get((at, command))
    if printed is None:
        check(False, f"{what}: the run printed no such command")
        continue
    # A fenced block cannot end in blank lines the way the router's output does; they are the
    # only thing allowed to differ.
    same = block.rstrip("\n") == printed.rstrip("\n")
    if not same:
        want, got = block.rstrip("\n").split("\n"), printed.rstrip("\n").split("\n")
        for n, (a, b) in enumerate(zip(want, got)):
            if a != b:
                print(f"     line {n + 1}: handout {a!r}\n     line {n + 1}: printed {b!r}")
                break
        else:
            print(f"     the handout has {len(want)} lines, the run printed {len(got)}")
    check(same, f"{what}: the handout's block is exactly what the run printed")

needed = {("R1", "show crypto isakmp sa"), ("R2", "show crypto isakmp sa"),
          ("R1", "show crypto ipsec sa"), ("R2", "show crypto ipsec sa"),
          ("R1", "show crypto session detail"), ("R2", "show crypto session detail"),
          ("R1", "show crypto map"), ("R2", "show crypto map")}
have = {(r, c) for r, _, c, _ in quoted}
check(needed <= have, "both releases of every command are quoted: "
      + (", ".join(sorted(f"{r} {c}" for r, c in needed - have)) or "all there"))
times = sorted({float(at) for _, at, _, _ in quoted})
check(len(times) >= 3, f"output quoted at {len(times)} moments (negotiating, up, after clear)")

# 2. The answer key states this run's figures.
key = handout.split("<summary>Answer key</summary>", 1)
check(len(key) == 2, "the handout has an answer key")
answers = {}
if len(key) == 2:
    for m in re.finditer(r"^(\d+)\. (.*?)(?=^\d+\. |</details>)", key[1], re.S | re.M):
        answers[int(m.group(1))] = " ".join(m.group(2).split())


def says(n, phrase, why):
    text = answers.get(n, "")
    check(" ".join(phrase.split()) in text, f"answer {n} says '{phrase}' ({why})")


def show(router, at, command):
    return shows[router][(at, command)]


def field(text, pattern, cast=int):
    m = re.search(pattern, text)
    return cast(m.group(1)) if m else None


ike = results["ike"]
mm = [e for e in ike if e["node"] == "R1" and e["exchange"] == "main" and e["role"] == "initiator"]
qm = [e for e in ike if e["node"] == "R1" and e["exchange"] == "quick"]
check(len(mm) == 1 and mm[0]["result"] == "ok", "one main mode, started by R1, succeeded")
ping = results["flows"][0]
check(ping["kind"] == "ping" and ping["from"] == "h1", "the first flow is h1's ping")

r1_isakmp_neg = show("R1", "1.040", "show crypto isakmp sa")
r2_isakmp_neg = show("R2", "1.040", "show crypto isakmp sa")
state1 = field(r1_isakmp_neg, r"12\.1\.1\.2\s+12\.1\.1\.1\s+(\S+)", str)
state2 = field(r2_isakmp_neg, r"12\.1\.1\.2\s+12\.1\.1\.1\s+(\S+)", str)
says(1, f"R1 shows `{state1}`, R2 `{state2}`", "the two routers' states while main mode runs")
says(1, f"{mm[0]['start_s'] * 1000:.0f} ms" if mm else "no main mode", "when R1 started main mode")
check(field(r1_isakmp_neg, r"\S+\s+(\d+) ACTIVE") == 0, "R1 (15.x) shows conn-id 0 before it has keys")

conn1 = field(show("R1", "10.500", "show crypto isakmp sa"), r"QM_IDLE\s+(\d+) ACTIVE")
conn2 = field(show("R2", "10.500", "show crypto isakmp sa"), r"QM_IDLE\s+(\d+)\s+0 ACTIVE")
says(2, f"R1: {conn1}, R2: conn-id {conn2} (slot 0)", "the ISAKMP conn-ids of both releases")

r1_sa = show("R1", "10.500", "show crypto ipsec sa")
r2_sa = show("R2", "10.500", "show crypto ipsec sa")
encaps1 = field(r1_sa, r"#pkts encaps: (\d+)")
decaps1 = field(r1_sa, r"#pkts decaps: (\d+)")
check((field(r2_sa, r"#pkts encaps: (\d+)"), field(r2_sa, r"#pkts decaps: (\d+)")) == (decaps1, encaps1),
      "R2's encaps/decaps are R1's decaps/encaps")
says(3, f"{encaps1} packets encapsulated and {decaps1} decapsulated", "R1's counters at 10.5 s")
sent_by = sum(1 for k in range(ping["count"]) if ping["start_s"] + k * 1.0 <= 10.5)
says(3, f"h1 had sent {sent_by} echo requests by 10.5 s", "echo requests sent by then")
check(results["nodes"]["R1"]["report"]["drops"].get("no-sa") == ping["sent"] - ping["received"],
      "R1's no-sa drops are the echo requests lost")

mtu = field(r1_sa, r"plaintext mtu (\d+)")
says(4, f"`plaintext mtu {mtu}`", "R1's plaintext MTU")
says(4, f"At worst ESP adds {1500 - mtu} bytes", "the worst-case overhead")
check("plaintext mtu" not in r2_sa and "path mtu 1500, ip mtu 1500, ip mtu idb Serial0/0" in r2_sa,
      "R2 (12.4) prints no plaintext mtu")
# The arithmetic the answer gives: 1500 - 20 - 8 - 8 - 12 = 1452, whole 8-byte blocks, less 2.
check(mtu == (1500 - 20 - 8 - 8 - 12) // 8 * 8 - 2, "the answer's arithmetic gives the printed MTU")

out_spi1 = field(r1_sa, r"current outbound spi: (0x[0-9A-F]+)", str)
in_spi2 = field(r2_sa, r"inbound esp sas:\n\s+spi: (0x[0-9A-F]+)", str)
check(out_spi1 is not None and out_spi1 == in_spi2, "R1's outbound SPI is R2's inbound SPI")
says(5, f"R1 sends with `{out_spi1}`", "R1's current outbound SPI")
life = field(r1_sa, r"inbound esp sas:\n(?:.*\n)*?.*remaining key lifetime \(k/sec\): \((\d+/\d+)\)", str)
says(5, f"has ({life}) left", "R1's inbound SA's remaining lifetime")
says(5, f"{encaps1} echo requests", "the packets the outbound SA carried")

conn_sa = field(r1_sa, r"conn id: (\d+), flow_id: SW:")
flow_sa = field(r1_sa, r"flow_id: SW:(\d+)")
says(6, f"`conn id: {conn_sa}`", "R1's inbound SA's conn id")
says(6, f"`flow_id` names the engine: `SW:{flow_sa}`", "the flow id")

dec = field(show("R1", "10.500", "show crypto session detail"), r"Inbound:  #pkts dec'ed (\d+)")
says(7, f"`#pkts dec'ed {dec}`", "R1's session Inbound counter")
says(7, f"`#pkts decaps: {decaps1}`", "the same figure in show crypto ipsec sa")

r1_map, r2_map = show("R1", "10.500", "show crypto map"), show("R2", "10.500", "show crypto map")
for line in ("Responder-Only (Y/N): N", "Mixed-mode : Disabled", "{ esp-3des esp-md5-hmac  }"):
    check(line in r1_map and line not in r2_map, f"R1's crypto map shows '{line}', R2's does not")
    says(8, line, "a line R1's crypto map has and R2's lacks")

after_sa = show("R1", "20.500", "show crypto ipsec sa")
spi_after = field(after_sa, r"current outbound spi: (\S+)", str)
says(9, f"`{spi_after}`", "R1's outbound SPI right after clear crypto sa")
after_isakmp = show("R1", "20.500", "show crypto isakmp sa")
state_after = field(after_isakmp, r"12\.1\.1\.1\s+(\S+)", str)
conn_after = field(after_isakmp, r"(\d+) ACTIVE")
says(9, f"still `{state_after}` (conn-id {conn_after})", "the ISAKMP SA survives clear crypto sa")
session_after = field(show("R1", "20.500", "show crypto session detail"), r"Session status: (\S+)", str)
says(9, f"The session is `{session_after}`", "R1's session status after clear crypto sa")

says(10, f"{len(qm)} quick modes", "R1's quick modes in the whole run")
says(10, f"{ping['sent'] - ping['received']} of {ping['sent']} echo requests were lost",
     "echo requests lost in the whole run")
for e in qm:
    t = e["start_s"]
    says(10, f"{t:.2f} s" if t < 2 else f"{t:.1f} s", "when each quick mode started")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
PY
