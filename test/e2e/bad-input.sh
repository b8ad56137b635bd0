#!/usr/bin/env bash
# Wrong input to `ipsec-sim` and `ipsec-sim console`: a router configuration with a typo, a
# scenario with a dangling link, a file that is not JSON, a missing scenario file, a missing
# router configuration file and an output folder that cannot be written. Each must print where
# the fault is (FILE:LINE and IOS's ^ marker for a configuration, the JSON Pointer for a
# scenario), exit non-zero and leave nothing in the output folder's place: no results.json,
# show/, pcaps, nor a staging folder beside it. A good run still leaves its outputs, and only
# them.
# usage: bad-input.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sim="$build/ipsec-sim"
[ -x "$sim" ] || { echo "SKIP: $sim not built"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# The broken inputs, each a copy of scenarios/default/ with one fault.
mk() { mkdir -p "$work/in/$1" && cp "$src/scenarios/default/"* "$work/in/$1/"; }
mk typo
sed -i 's/^ set transform-set myset2/ set transfrom-set myset2/' "$work/in/typo/R1.cfg"
typo_line=$(grep -n 'transfrom-set' "$work/in/typo/R1.cfg" | cut -d: -f1)
[ -n "$typo_line" ] || { echo "FAIL the typo was not planted"; exit 1; }
mk dangling
sed -i 's/"h3:eth0", "b": "R1:Ethernet0"/"h3:eth0", "b": "R9:Ethernet0"/' \
    "$work/in/dangling/scenario.json"
grep -q R9 "$work/in/dangling/scenario.json" || { echo "FAIL the link was not planted"; exit 1; }
mk notjson
printf 'name: default\nnodes:\n  - R1\n' >"$work/in/notjson/scenario.json"
mk nocfg
rm "$work/in/nocfg/R2.cfg"
touch "$work/afile"

# check NAME EXPECTED-PATTERN... -- ARGS...: runs ipsec-sim and ipsec-sim console (with a short
# session on stdin) and asserts status, message and an empty output place.
check() {
    local name=$1
    shift
    local patterns=()
    while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
    shift
    local out=$1
    shift
    local before=$fails
    for mode in run console; do
        rm -rf "$work/o"
        mkdir -p "$work/o"
        local args=("$@")
        [ "$mode" = console ] && args=(console "$@")
        printf 'show crypto ipsec sa\nrun 1\nexit\n' |
            timeout 120 "$sim" "${args[@]}" --out "$out" >"$work/stdout" 2>"$work/stderr"
        local rc=$?
        if [ $rc -eq 0 ] || [ $rc -ge 124 ]; then
            fail "$name ($mode): exit status $rc, want 1 or 2"
        fi
        for p in "${patterns[@]}"; do
            grep -qE -- "$p" "$work/stderr" || fail "$name ($mode): no '$p' in the message"
        done
        if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
            fail "$name ($mode): $out holds $(ls -A "$out" | tr '\n' ' ')"
        fi
        if ls -A "$(dirname "$out")" | grep -q 'partial'; then
            fail "$name ($mode): a staging folder was left beside $out"
        fi
        if [ $rc -ne 0 ] && [ "$(wc -l <"$work/stderr")" -lt 1 ]; then
            fail "$name ($mode): nothing on stderr"
        fi
    done
    [ $fails -eq $before ] && echo "ok   $name: $(head -1 "$work/stderr")"
}

check typo "R1\\.cfg:$typo_line:" '^ +\^$' 'Invalid input detected at .\^. marker' \
    '/nodes/0/config' -- "$work/o/typo" "$work/in/typo/scenario.json"
check dangling '/links/2/b' 'R9' -- "$work/o/dangling" "$work/in/dangling/scenario.json"
check notjson 'scenario\.json: not a JSON file \(line 1, column [0-9]+\)' \
    -- "$work/o/notjson" "$work/in/notjson/scenario.json"
check missing 'nothere\.json' 'cannot read' -- "$work/o/missing" "$work/in/nothere.json"
check nocfg '/nodes/1/config' 'R2\.cfg' -- "$work/o/nocfg" "$work/in/nocfg/scenario.json"
check unwritable 'afile/x' '--out' -- "$work/afile/x" "$src/scenarios/default/scenario.json"
[ -f "$work/afile" ] && [ ! -s "$work/afile" ] || fail "unwritable: the file in the way changed"

# An earlier result in the output folder survives a failed run untouched.
mkdir -p "$work/keep/show"
echo '{"earlier": true}' >"$work/keep/results.json"
"$sim" "$work/in/dangling/scenario.json" --out "$work/keep" >/dev/null 2>&1 && fail "keep: exit 0"
grep -q earlier "$work/keep/results.json" || fail "keep: the earlier results.json changed"

# A good run writes its outputs, and nothing is left beside them.
if ! timeout 300 "$sim" "$src/scenarios/default/scenario.json" --out "$work/good/out" --quiet \
    >"$work/stdout" 2>"$work/stderr"; then
    fail "good run: exit non-zero"; cat "$work/stderr"
fi
for f in results.json esp_sa.uat show/R1.txt R1_Serial0.pcap; do
    [ -s "$work/good/out/$f" ] || fail "good run: no $f"
done
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/good/out/results.json" ||
    fail "good run: results.json is not JSON"
[ "$(ls -A "$work/good")" = out ] || fail "good run: left $(ls -A "$work/good" | tr '\n' ' ')"
# The console writes at exit, in the same way.
printf 'run 2\nexit\n' | timeout 120 "$sim" console "$src/scenarios/default/scenario.json" \
    --out "$work/good/console" >/dev/null 2>"$work/stderr" || fail "good console: exit non-zero"
[ -s "$work/good/console/results.json" ] || fail "good console: no results.json"
[ "$(ls -A "$work/good" | tr '\n' ' ')" = "console out " ] ||
    fail "good console: left $(ls -A "$work/good" | tr '\n' ' ')"

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "bad input: all checks passed"
