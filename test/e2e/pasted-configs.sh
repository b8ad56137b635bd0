#!/usr/bin/env bash
# Router configurations as people keep them run the same network as the clean ones: the
# scenario scenarios/ike-spec-example/ once as it is and once with R1 given as a pasted
# `show running-config` session (CRLF, heading, prompts, UTF-8, many commands we do not model,
# with their blocks) and R2 as a configuration-mode script (`enable`, `conf t`, prompts, no
# indentation, `exit`, `end`, `wr mem`, `copy run start`). Both runs must bring IKE up, deliver
# the same traffic and leave ESP that tshark decrypts and authenticates with the exported keys.
# ipsec-sim lists what it did not model: one line per router on stderr, results.json, and
# `show running-config`; --strict refuses it at its first line with the ^ marker; a typo in a
# modelled command is an error with 'did you mean'; a platform named as `show version` does.
# usage: pasted-configs.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sim="$build/ipsec-sim"
[ -x "$sim" ] || { echo "SKIP: $sim not built"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }

# The two scenarios: the clean one, and the same with the pasted configurations.
mkdir -p "$work/clean" "$work/pasted"
cp "$src/scenarios/ike-spec-example/"* "$work/clean/"
cp "$src/scenarios/ike-spec-example/scenario.json" "$work/pasted/"
cp "$src/test/data/ios/pasted/R1-show-run.cfg" "$work/pasted/R1.cfg"
cp "$src/test/data/ios/pasted/R2-conf-t.cfg" "$work/pasted/R2.cfg"
grep -q $'\r$' "$work/pasted/R1.cfg" || fail "the pasted R1 has no CRLF line ends"
for d in clean pasted; do
    python3 - "$work/$d/scenario.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["events"].append({"at": 10, "node": "R1", "exec": "show running-config"})
json.dump(s, open(p, "w"), indent=1)
PY
done

# --check reads them, and says once per router what it did not model.
if "$sim" "$work/pasted/scenario.json" --check >"$work/check.out" 2>"$work/check.err"; then
    ok "--check accepts the pasted configurations"
else
    fail "--check refused the pasted configurations: $(cat "$work/check.err")"
fi
grep -qE 'R1\.cfg: [0-9]+ commands not modelled \(listed in results\.json\); first: line 11 `service timestamps debug datetime msec`' \
    "$work/check.err" || fail "no summary line for R1: $(cat "$work/check.err")"
grep -qE 'R2\.cfg: [0-9]+ commands? not modelled' "$work/check.err" ||
    fail "no summary line for R2: $(cat "$work/check.err")"
[ "$(grep -c 'not modelled' "$work/check.err")" -eq 2 ] || fail "not one line per router"

# --strict: the first command not modelled is an error with FILE:LINE and the ^ marker.
if "$sim" "$work/pasted/scenario.json" --check --strict >/dev/null 2>"$work/strict.err"; then
    fail "--strict accepted commands not modelled"
else
    rc=$?
    [ $rc -eq 2 ] || fail "--strict exit status $rc, want 2"
    grep -q 'R1\.cfg:11:' "$work/strict.err" && grep -qE '^ +\^$' "$work/strict.err" &&
        grep -qE 'Not modelled .*--strict.*: [0-9]+ commands' "$work/strict.err" &&
        ok "--strict: $(grep -m1 'Not modelled' "$work/strict.err")" ||
        fail "--strict message: $(cat "$work/strict.err")"
fi

# Both run; the same tunnels and the same traffic.
for d in clean pasted; do
    "$sim" "$work/$d/scenario.json" --out "$work/out-$d" --quiet 2>"$work/$d.err" ||
        fail "$d: ipsec-sim failed: $(cat "$work/$d.err")"
done
python3 - "$work" <<'PY' || fails=$((fails + 1))
import json, sys
work = sys.argv[1]
r = {d: json.load(open(f"{work}/out-{d}/results.json")) for d in ("clean", "pasted")}
bad = []
def same(what, f):
    a, b = f(r["clean"]), f(r["pasted"])
    print(("ok   " if a == b else "FAIL ") + f"{what}: {a} / {b}")
    if a != b:
        bad.append(what)
flows = lambda x: [(f["kind"], f["from"], f["to"], f["sent"], f["received"]) for f in x["flows"]]
same("flows (kind, from, to, sent, received)", flows)
for n in ("R1", "R2"):
    rep = lambda x, n=n: x["nodes"][n]["report"]
    same(f"{n} packets encapsulated", lambda x: rep(x)["encapsulated"])
    same(f"{n} packets decapsulated", lambda x: rep(x)["decapsulated"])
    same(f"{n} SAs (spi count)", lambda x: len(rep(x)["sas"]))
for f in r["pasted"]["flows"]:
    if f["received"] == 0:
        bad.append("nothing delivered")
print(("ok   " if r["pasted"]["nodes"]["R1"]["report"]["encapsulated"] > 0 else "FAIL ") +
      "the pasted R1 encrypts")
listed = r["pasted"]["nodes"]["R1"]["report"]["not_modelled"]
want = "R1.cfg:22: mmi polling-interval 60"
print(("ok   " if any(l.endswith(want) for l in listed) else "FAIL ") +
      f"results.json lists '{want}' ({len(listed)} entries)")
if not any(l.endswith(want) for l in listed):
    bad.append("results.json")
sys.exit(1 if bad else 0)
PY

# show running-config: the configuration without the session, then the list.
show="$work/out-pasted/show/R1.txt"
grep -q 'command(s) above are read but not modelled' "$show" &&
    grep -q '!   line 22: mmi polling-interval 60' "$show" &&
    ! grep -q 'R1#sh run\|R1#terminal' "$show" && ok "show running-config lists what is not modelled" ||
    fail "show running-config in $show"

# tshark decrypts and authenticates every ESP frame of the pasted run with the exported keys.
if command -v tshark >/dev/null; then
    args=()
    while IFS= read -r row; do args+=(-o "uat:esp_sa:$row"); done <"$work/out-pasted/esp_sa.uat"
    esp=$(tshark -r "$work/out-pasted/R1_Serial0.pcap" -o esp.enable_encryption_decode:TRUE \
        -o esp.enable_authentication_check:TRUE "${args[@]}" -Y esp -T fields -e esp.icv_good \
        2>/dev/null)
    total=$(printf '%s\n' "$esp" | grep -c .)
    good=$(printf '%s\n' "$esp" | grep -c '^1$\|^True$')
    [ "$total" -gt 0 ] && [ "$good" -eq "$total" ] &&
        ok "tshark: $good of $total ESP frames authenticated" ||
        fail "tshark: $good of $total ESP frames authenticated"
fi

# A typo in a modelled command is still an error, with the ^ and what was meant.
sed 's/^access-list 101 permit/acess-list 101 permit/' "$work/clean/R1.cfg" >"$work/clean/R1-typo.cfg"
sed 's/"R1.cfg"/"R1-typo.cfg"/' "$work/clean/scenario.json" >"$work/clean/typo.json"
if "$sim" "$work/clean/typo.json" --check >/dev/null 2>"$work/typo.err"; then
    fail "a typo in access-list was accepted"
else
    grep -q 'R1-typo\.cfg:[0-9]*:' "$work/typo.err" && grep -q 'did you mean access-list?' \
        "$work/typo.err" && ok "typo: $(grep -m1 'did you mean' "$work/typo.err")" ||
        fail "typo message: $(cat "$work/typo.err")"
fi

# Platforms as IOS names them; a near miss says what was meant.
for p in cisco1750 c1750 "Cisco 1750" 1750 C2650XM; do
    python3 - "$work/clean/scenario.json" "$work/clean/platform.json" "$p" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["nodes"][0]["platform"] = sys.argv[3]
json.dump(s, open(sys.argv[2], "w"))
PY
    "$sim" "$work/clean/platform.json" --check >/dev/null 2>&1 && ok "platform \"$p\"" ||
        fail "platform \"$p\" refused"
done
sed -i 's/"C2650XM"/"cisco1751"/' "$work/clean/platform.json"
if "$sim" "$work/clean/platform.json" --check >/dev/null 2>"$work/platform.err"; then
    fail "platform cisco1751 accepted"
else
    grep -q 'did you mean "1750"' "$work/platform.err" && ok "platform cisco1751: did you mean" ||
        fail "platform message: $(cat "$work/platform.err")"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
