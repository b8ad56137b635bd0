#!/usr/bin/env bash
# The module inside ns-3 source trees (doc/building.md): for each tree named by IPSEC_NS3_TREES
# (':' between trees), contrib/ipsec becomes a link to this source tree, the tree is configured
# again with the module enabled (all its other settings kept), built, and ipsec-two-routers runs
# there: every echo request of its flow must come back, through SAs both routers used. Where
# ipsec-sim was built too, the default scenario must run and leave results.json.
#
# CMake-based trees (ns-3.36 and later, with ./ns3) and waf-based trees (ns-3.35 and earlier,
# with ./waf) are told apart by their files. The trees must have been configured and built once
# (with examples enabled: `--enable-examples`); the first build of the module takes a while.
# The test leaves the link and the module's build in the trees, so the next run is incremental.
# Without IPSEC_NS3_TREES the test is skipped (exit status 77).
#
# usage: IPSEC_NS3_TREES=path/to/ns-3.37[:path/to/ns-3.35...] ns3-contrib.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -z "${IPSEC_NS3_TREES:-}" ]; then
    echo "skipped: no ns-3 source trees (set IPSEC_NS3_TREES=path/to/ns-3.37:path/to/ns-3.35," \
        "trees configured and built once as doc/building.md says; several separated by ':')"
    exit 77
fi
jobs=${IPSEC_NS3_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

fail() { echo "FAIL [$tree]: $*"; failed=1; }

# contrib/ipsec -> this source tree; a link left by an earlier run (from another checkout) is
# replaced, anything else is left alone.
link_module() {
    local link="$tree/contrib/ipsec"
    if [ -L "$link" ]; then
        rm "$link"
    elif [ -e "$link" ]; then
        echo "FAIL [$tree]: contrib/ipsec exists and is not a link; move it away"
        return 1
    fi
    ln -s "$here" "$link"
}

# ipsec-two-routers' output: "flow 1 [TRANSFORMS, tunnel]: N/M echoed", all echoed, and the
# routers' SAs carried the packets (results.json).
check_two_routers() {
    local log=$1 out=$2
    cat "$log"
    grep -Eq '^flow 1 \[.*\]: ([1-9][0-9]*)/\1 echoed$' "$log" ||
        { fail "ipsec-two-routers: not every request echoed"; return; }
    python3 - "$out/results.json" <<'PY' || fail "ipsec-two-routers: results.json"
import json, sys
r = json.load(open(sys.argv[1]))
for name in ("R1", "R2"):
    router = r["routers"][name]
    assert router["encapsulated"] > 0 and router["decapsulated"] > 0, (name, router)
    assert all(sa["packets"] > 0 for sa in router["sas"]), (name, router["sas"])
print("ok   results.json: both routers encapsulated and decapsulated through their SAs")
PY
}

check_sim() {
    local log=$1 out=$2
    if [ ! -s "$out/results.json" ]; then
        cat "$log"
        fail "ipsec-sim: no results.json"
        return
    fi
    echo "ok   ipsec-sim: the default scenario ran ($(ls "$out" | wc -l) files in its folder)"
}

# The build's compiler warnings (whatever was rebuilt: the module, and ns-3 where its flags
# changed), each with the file of ours it was reached from if the warning is in a header.
report_warnings() {
    local n
    n=$(grep -c 'warning:' "$work/build.log" || true)
    echo "ok   built ($n compiler warnings)"
    [ "$n" -eq 0 ] || grep -E 'warning:|^ +inlined from .*contrib/ipsec/[^ ]*\.cc' "$work/build.log" |
        sed 's/^ *inlined from .* at /    reached from /' | head -n 20
}

cmake_tree() {
    local cache="$tree/cmake-cache" built="$tree/build"
    [ -f "$cache/CMakeCache.txt" ] ||
        { fail "not configured (./ns3 configure ... --enable-examples, then ./ns3 build)"; return; }
    # The cached settings, with ipsec added to the enabled modules and to the example filter
    # where these lists are set.
    local modules filter defs=(-DNS3_EXAMPLES=ON)
    modules=$(sed -n 's/^NS3_ENABLED_MODULES:[A-Z]*=//p' "$cache/CMakeCache.txt")
    filter=$(sed -n 's/^NS3_FILTER_MODULE_EXAMPLES_AND_TESTS:[A-Z]*=//p' "$cache/CMakeCache.txt")
    if [ -n "$modules" ] && ! tr ',;' '\n\n' <<<"$modules" | grep -qx ipsec; then
        defs+=(-DNS3_ENABLED_MODULES="$modules;ipsec")
    fi
    if [ -n "$filter" ] && ! tr ',;' '\n\n' <<<"$filter" | grep -qx ipsec; then
        defs+=(-DNS3_FILTER_MODULE_EXAMPLES_AND_TESTS="$filter;ipsec")
    fi
    # ./ns3 runs CMake with CLICOLOR=1, which adds -fdiagnostics-color=always to every compile
    # command; without it here every object of the tree would be rebuilt.
    export CLICOLOR=1
    echo "== configure: cmake ${defs[*]} cmake-cache"
    (cd "$cache" && cmake "${defs[@]}" ..) >"$work/configure.log" 2>&1 ||
        { cat "$work/configure.log"; fail "configure"; return; }
    grep -E 'contrib/ipsec|Processing contrib' "$work/configure.log" || true
    grep -A3 'Modules configured to be built' "$work/configure.log" | head -n4 || true
    echo "== build (-j$jobs)"
    (cd "$tree" && nice -n 19 cmake --build cmake-cache -j "$jobs") >"$work/build.log" 2>&1 ||
        { tail -n 60 "$work/build.log"; fail "build"; return; }
    report_warnings
    ls "$built"/lib/*ipsec* >/dev/null 2>&1 || { fail "no ipsec library in build/lib"; return; }
    [ -f "$built/include/ns3/ipsec-module.h" ] || { fail "no build/include/ns3/ipsec-module.h"; return; }

    echo "== ./ns3 run ipsec-two-routers"
    (cd "$tree" && ./ns3 run --no-build "ipsec-two-routers --out=$work/two-routers") \
        >"$work/run.log" 2>&1 || { cat "$work/run.log"; fail "ipsec-two-routers exited non-zero"; return; }
    check_two_routers "$work/run.log" "$work/two-routers"
    if ls "$built"/contrib/ipsec/utils/*ipsec-sim* >/dev/null 2>&1; then
        echo "== ./ns3 run ipsec-sim"
        (cd "$tree" && ./ns3 run --no-build "ipsec-sim --out $work/sim") >"$work/sim.log" 2>&1 ||
            { cat "$work/sim.log"; fail "ipsec-sim exited non-zero"; return; }
        check_sim "$work/sim.log" "$work/sim"
    else
        echo "note: ipsec-sim was not built in this tree (Boost missing?)"
    fi
}

waf_tree() {
    local lock
    lock=$(ls "$tree"/.lock-waf_* 2>/dev/null | head -n1)
    [ -n "$lock" ] || { fail "not configured (./waf configure ... --enable-examples, then ./waf build)"; return; }
    # The last configure command (the lock file keeps it), with ipsec added to --enable-modules
    # where that is set, examples enabled, and the compiler it had (CXX, e.g. "ccache g++").
    python3 - "$lock" >"$work/waf-configure" <<'PY'
import shlex, sys
lock = {}
exec(open(sys.argv[1]).read(), {}, lock)
argv = [a for a in lock["argv"][1:] if a not in ("--disable-examples",)]
out = []
for a in argv:
    if a.startswith("--enable-modules="):
        mods = [m for m in a.split("=", 1)[1].split(",") if m]
        if "ipsec" not in mods:
            mods.append("ipsec")
        a = "--enable-modules=" + ",".join(mods)
    out.append(a)
if "--enable-examples" not in out:
    out.append("--enable-examples")
cxx = lock["environ"].get("CXX", "")
print(shlex.quote(cxx) if cxx else "")
print(" ".join(shlex.quote(a) for a in out))
PY
    local cxx args
    cxx=$(sed -n 1p "$work/waf-configure")
    args=$(sed -n 2p "$work/waf-configure")
    echo "== ./waf $args${cxx:+ (CXX=$cxx)}"
    (cd "$tree" && eval "${cxx:+CXX=$cxx} ./waf $args") >"$work/configure.log" 2>&1 ||
        { cat "$work/configure.log"; fail "configure"; return; }
    grep -Ei 'contrib module|ipsec|openssl|libcrypto|zlib|nlohmann' "$work/configure.log" || true
    echo "== build (-j$jobs)"
    (cd "$tree" && nice -n 19 ./waf build -j "$jobs") >"$work/build.log" 2>&1 ||
        { tail -n 60 "$work/build.log"; fail "build"; return; }
    report_warnings
    [ -f "$tree/build/ns3/ipsec-module.h" ] || { fail "no build/ns3/ipsec-module.h"; return; }

    echo "== ./waf --run ipsec-two-routers"
    (cd "$tree" && ./waf --run-no-build "ipsec-two-routers --out=$work/two-routers") \
        >"$work/run.log" 2>&1 || { cat "$work/run.log"; fail "ipsec-two-routers exited non-zero"; return; }
    grep -v "^Waf: \|^'build' finished\|^\[" "$work/run.log" >"$work/run.out" || true
    check_two_routers "$work/run.out" "$work/two-routers"
    if ls "$tree"/build/contrib/ipsec/*ipsec-sim* >/dev/null 2>&1; then
        echo "== ./waf --run ipsec-sim"
        (cd "$tree" && ./waf --run-no-build "ipsec-sim --out $work/sim") >"$work/sim.log" 2>&1 ||
            { cat "$work/sim.log"; fail "ipsec-sim exited non-zero"; return; }
        check_sim "$work/sim.log" "$work/sim"
    else
        echo "note: ipsec-sim was not built in this tree (Boost missing?)"
    fi
}

IFS=: read -r -a trees <<<"$IPSEC_NS3_TREES"
for tree in "${trees[@]}"; do
    [ -n "$tree" ] || continue
    tree=$(cd "$tree" && pwd) || { echo "FAIL: no such directory: $tree"; failed=1; continue; }
    version=$(cat "$tree/VERSION" 2>/dev/null || echo "?")
    echo "=== ns-$version in $tree"
    start=$SECONDS
    if [ -x "$tree/ns3" ] && [ -f "$tree/CMakeLists.txt" ] && [ -d "$tree/contrib" ]; then
        link_module && cmake_tree || failed=1
    elif [ -x "$tree/waf" ] && [ -d "$tree/contrib" ]; then
        link_module && waf_tree || failed=1
    else
        fail "neither ./ns3 (CMake) nor ./waf with contrib/: not an ns-3 source tree?"
    fi
    echo "=== ns-$version: $((SECONDS - start)) s"
done
exit $failed
