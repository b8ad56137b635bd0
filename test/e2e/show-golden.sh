#!/usr/bin/env bash
# Golden tests of the routers' show, clear and debug output, one folder per group of commands
# under test/data/show-golden/: a scenario whose `exec` events type the commands, and in
# expected/ what each router must have printed (show/ROUTER.txt of the run), byte for byte.
# Routers of one scenario may print different releases ("ios": "12.4" on one, 15 on another),
# so one run checks both eras of a command.
# usage: show-golden.sh BUILD_DIR [GROUP...]
# With SHOW_GOLDEN_UPDATE=1 the expected files are rewritten from the run: review the diff.
set -euo pipefail
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
root="$src/test/data/show-golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
    for d in "$root"/*/; do groups+=("$(basename "$d")"); done
fi

failed=0
checked=0
for g in "${groups[@]}"; do
    dir="$root/$g"
    if ! "$build/ipsec-sim" "$dir/scenario.json" --out "$work/$g" --quiet --no-plots \
        --no-pcaps >"$work/$g.log" 2>&1; then
        echo "FAIL $g: ipsec-sim exited non-zero"
        cat "$work/$g.log"
        failed=1
        continue
    fi
    if [ "${SHOW_GOLDEN_UPDATE:-}" = 1 ]; then
        mkdir -p "$dir/expected"
        cp "$work/$g"/show/*.txt "$dir/expected/"
        echo "updated $g: $(cd "$dir/expected" && echo *.txt)"
        continue
    fi
    for want in "$dir"/expected/*.txt; do
        router=$(basename "$want")
        got="$work/$g/show/$router"
        checked=$((checked + 1))
        if [ ! -f "$got" ]; then
            echo "FAIL $g/$router: the run wrote no show/$router"
            failed=1
        elif ! diff -u --label "expected/$router" --label "printed" "$want" "$got" \
            >"$work/diff"; then
            echo "FAIL $g/$router: the output differs from the golden file"
            head -80 "$work/diff"
            failed=1
        else
            echo "ok   $g/$router"
        fi
    done
done
if [ "${SHOW_GOLDEN_UPDATE:-}" != 1 ] && [ "$checked" -eq 0 ]; then
    echo "FAIL no golden file was checked"
    exit 1
fi
exit $failed
