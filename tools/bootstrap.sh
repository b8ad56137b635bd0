#!/usr/bin/env bash
# Sets up a Debian 12 machine for ns3-ipsec, builds it, and runs either the default
# scenario ("run") or the whole test suite ("test").
#
#   bash tools/bootstrap.sh run  [SCENARIO.json] [ipsec-sim options]   # -> out/default/
#   bash tools/bootstrap.sh test                              # CTest, summary last
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores),
#              IPSEC_SANITIZE=1 for an ASan/UBSan build (use a separate BUILD_DIR).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
mode=${1:-run}
shift || true
build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

packages=(cmake g++ make pkg-config libns3-dev ns3 libgsl-dev libsqlite3-dev libxml2-dev
          libssl-dev libboost-graph-dev nlohmann-json3-dev libgtest-dev zlib1g-dev tshark python3
          python3-textfsm
          strongswan-charon libcharon-extra-plugins strongswan-swanctl iproute2 iputils-ping
          libstrongswan-standard-plugins gnuplot-nox parallel chromium
          slurmctld slurmd slurm-client munge)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

sanitize=OFF
[ "${IPSEC_SANITIZE:-0}" = 1 ] && sanitize=ON
echo "== configuring ($build)"
cmake -S . -B "$build" -DIPSEC_SANITIZE=$sanitize >/dev/null
echo "== building with $jobs jobs"
if ! cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1; then
    grep -E -A5 'error' "$build/build.log" | head -n 80
    echo "== build failed; full log in $build/build.log" >&2
    exit 1
fi

case "$mode" in
    run)
        if [ $# -eq 0 ]; then
            echo "== running ipsec-sim on its built-in default (the IOS chapter's example)"
        else
            echo "== running ipsec-sim $*"
        fi
        "$build/ipsec-sim" "$@"
        ;;
    test)
        cd "$build"
        ctest --output-on-failure -j "$jobs" "$@"
        ;;
    *)
        echo "usage: $0 run|test" >&2
        exit 2
        ;;
esac
