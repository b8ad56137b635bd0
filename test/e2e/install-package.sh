#!/usr/bin/env bash
# `cmake --install` and the CMake package: the build is installed into a temporary prefix, which
# must hold the libraries, the headers in include/ns3 (ns-3's layout) with ns3/ipsec-module.h,
# ipsec-sim and the package files; then a user's project (test/install) finds the package with
# find_package(ns3-ipsec) and CMAKE_PREFIX_PATH, builds a program that includes only
# "ns3/ipsec-module.h" and runs it: two nodes, a manually keyed ESP tunnel, traffic through it.
# The program's exit status decides.
#
# usage: install-package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

fail() { echo "FAIL: $*"; exit 1; }

# The build's configuration: the program is built with the same compiler and build type.
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
cxx=$(cache CMAKE_CXX_COMPILER)
type=$(cache CMAKE_BUILD_TYPE)

echo "== cmake --install $build --prefix <tmp>/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install failed"; }

libdir=$(ls -d "$prefix"/lib* | head -n1)
for f in "$prefix/include/ns3/ipsec-module.h" "$prefix/include/ns3/esp-header.h" \
    "$prefix/include/ns3/ipsec-helper.h" "$prefix/include/ns3/cipher.h" \
    "$prefix/include/ns3/ios-router.h" "$prefix/include/ns3/scenario-runner.h" \
    "$prefix/bin/ipsec-sim" "$prefix/bin/ipsec-report" \
    "$prefix/share/ns3-ipsec/calibration.json" \
    "$libdir/libns3-ipsec.so" "$libdir/libns3-ipsec-scenario.so" "$libdir/libipsec-crypto.a" \
    "$libdir/cmake/ns3-ipsec/ns3-ipsecConfig.cmake" \
    "$libdir/cmake/ns3-ipsec/ns3-ipsecConfigVersion.cmake" \
    "$libdir/cmake/ns3-ipsec/ns3-ipsecTargets.cmake"; do
    [ -s "$f" ] || fail "not installed: ${f#"$prefix"/}"
done
# Every header ipsec-module.h names is installed beside it, and no header is a link back into
# the source or build tree.
while read -r h; do
    [ -f "$prefix/include/ns3/$h" ] || fail "ipsec-module.h includes ns3/$h, which is not installed"
done < <(sed -n 's/^#include "ns3\/\(.*\)"$/\1/p' "$prefix/include/ns3/ipsec-module.h")
links=$(find "$prefix" -type l | wc -l)
[ "$links" -eq 0 ] || fail "$links symbolic links installed: $(find "$prefix" -type l | head -n3)"
echo "ok   installed files ($(find "$prefix" -type f | wc -l) files)"

# An installed program runs from the prefix (RPATH) and finds the installed calibration.
"$prefix/bin/ipsec-sim" --help >"$work/help.log" 2>&1 || { cat "$work/help.log"; fail "installed ipsec-sim --help"; }
echo "ok   installed ipsec-sim runs"

echo "== a user's project: find_package(ns3-ipsec) with CMAKE_PREFIX_PATH=<tmp>/prefix"
extra=()
[ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && extra+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER")
# A sanitized build's libraries need the sanitizers' runtime in the program too.
if [ "$(cache IPSEC_SANITIZE)" = ON ]; then
    extra+=(-DCMAKE_CXX_FLAGS="-fsanitize=address,undefined" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined")
fi
cmake -S "$here/test/install" -B "$work/user" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE="$type" "${extra[@]}" \
    >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring test/install"; }
grep -- "-- ns3-ipsec " "$work/configure.log" || true
grep -q "ns3-ipsec .* from $prefix/" "$work/configure.log" ||
    fail "find_package(ns3-ipsec) did not take the package from the temporary prefix"
cmake --build "$work/user" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building test/install"; }
echo "ok   test/install built"

echo "== ipsec-install-check"
# Run from elsewhere, so that nothing is found through the working directory.
(cd "$work" && "$work/user/ipsec-install-check") || fail "ipsec-install-check failed (exit status $?)"
