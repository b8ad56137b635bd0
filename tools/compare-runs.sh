#!/usr/bin/env bash
# Runs every scenario of the library with two builds of ipsec-sim, per seed, and compares what
# the runs wrote: results.json, every pcap byte for byte, show output, key files, plots, report.
# A restructuring must leave them all the same.
#
#   bash tools/compare-runs.sh BUILD_BEFORE BUILD_AFTER [WORK_DIR] [SEEDS]
#
# BUILD_* are build folders holding ipsec-sim (an older checkout's build for "before").
# SEEDS defaults to "1 2". With BEFORE_CACHE=DIR the "before" runs are kept in DIR and reused
# when they are there (the before build does not change while a restructuring goes on). Scenarios that need root and a real peer (interop-strongswan*) and
# generated ones without a scenario file are left out. Exit status 0 when every file agrees.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
work=${3:-$(mktemp -d)}
seeds=${4:-1 2}
mkdir -p "$work"
cache=${BEFORE_CACHE:-$work}
mkdir -p "$cache"

# Byte for byte, except what a sweep records of the machine: wall-clock seconds in its JSON and
# the program and folder paths in its job plans.
same() {
    cmp -s "$1" "$2" && return 0
    case "$1" in
        *.json)
            python3 - "$1" "$2" <<'EOF'
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if not k.startswith('wall')}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)
EOF
            ;;
        */jobs.txt | */sweep.sbatch)
            diff -q <(sed "s|$before|BUILD|g; s|$cache/before|OUT|g" "$1") \
                    <(sed "s|$after|BUILD|g; s|$work/after|OUT|g" "$2") >/dev/null
            ;;
        *) return 1 ;;
    esac
}

differ=0
compared=0
for scenario in "$here"/scenarios/*/scenario.json; do
    name=$(basename "$(dirname "$scenario")")
    case "$name" in interop-strongswan*) continue ;; esac
    for seed in $seeds; do
        for side in before after; do
            bin=$before/ipsec-sim
            dir=$cache
            [ "$side" = after ] && bin=$after/ipsec-sim && dir=$work
            [ "$side" = before ] && [ -f "$dir/before-$name-$seed.rc" ] && continue
            # Same relative output name on both sides: a run may mention its folder.
            mkdir -p "$dir/$side"
            rm -rf "${dir:?}/$side/$name-$seed"
            (cd "$dir/$side" && "$bin" "$scenario" --out "$name-$seed" --seed "$seed" --quiet) \
                >"$dir/$side-$name-$seed.log" 2>&1
            echo "$?" >"$dir/$side-$name-$seed.rc"
        done
        if ! cmp -s "$cache/before-$name-$seed.rc" "$work/after-$name-$seed.rc"; then
            echo "DIFFER $name seed $seed: exit status $(cat "$cache/before-$name-$seed.rc")" \
                 "before, $(cat "$work/after-$name-$seed.rc") after"
            differ=1
        fi
        a="$cache/before/$name-$seed"
        b="$work/after/$name-$seed"
        files=$( (cd "$a" 2>/dev/null && find . -type f; cd "$b" 2>/dev/null && find . -type f) | sort -u)
        for f in $files; do
            compared=$((compared + 1))
            if ! same "$a/$f" "$b/$f"; then
                echo "DIFFER $name seed $seed: $f"
                differ=1
            fi
        done
    done
done
echo "compared $compared files in $work: $([ $differ = 0 ] && echo 'all the same' || echo 'differences above')"
exit $differ
