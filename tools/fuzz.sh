#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/*-fuzz.cc, with ASan and UBSan) with clang in build-fuzz/ and
# run each over its seed corpus (fuzz/corpus/NAME/) for RUNS executions (default 1,000,000).
# New inputs go to build-fuzz/corpus/NAME (the tree's corpus is left as it is); a crash, leak,
# hang (over 10 s) or sanitizer report stops that target and leaves its input in
# build-fuzz/artifacts/NAME/, and the script exits 1. A crash found becomes a regression test:
# add the input to fuzz/corpus/NAME/ and a test that feeds it to the code it broke.
# usage: tools/fuzz.sh [RUNS] [TARGET...]     e.g. tools/fuzz.sh 10000 isakmp
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-1000000}
shift || true
build="$src/build-fuzz"
command -v clang++ >/dev/null || { echo "clang++ is needed (apt-get install clang)"; exit 2; }
mkdir -p "$build"
(cd "$build" && CC=clang CXX=clang++ cmake "$src" -DIPSEC_FUZZ=ON -DIPSEC_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$src"/fuzz/*-fuzz.cc; do targets+=("$(basename "$f" -fuzz.cc)"); done
fi
make -C "$build" -j"$(nproc)" "${targets[@]/%/-fuzz}" >/dev/null
status=0
for t in "${targets[@]}"; do
    mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
    start=$(date +%s)
    if "$build/$t-fuzz" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$build/artifacts/$t/" "$build/corpus/$t" "$src/fuzz/corpus/$t" \
        >"$build/$t.log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/$t.log" | grep -o '[0-9]*$' || true)
        cov=$(grep -o 'cov: [0-9]*' "$build/$t.log" | tail -1 || true)
        echo "ok   $t: ${execs:-$runs} executions, $cov, $(( $(date +%s) - start )) s"
    else
        echo "FAIL $t: see $build/$t.log and $build/artifacts/$t/"
        grep -E "ERROR|SUMMARY|runtime error" "$build/$t.log" | head -5
        status=1
    fi
done
exit $status
