# shellcheck shell=bash
# What the strongSwan interoperation tests (strongswan-interop.sh: IKEv1, strongswan-ikev2.sh:
# IKEv2) share: their prerequisites, a network namespace with a TAP device, charon with
# kernel-libipsec in it, the clean-up, and the namespace's traffic program (strongswan_traffic.py
# beside this file; the Python checks import strongswan_checks.py from here too). Sourced, not a
# test of its own (CTest runs test/e2e/*.sh only).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/strongswan-lib.bash"
#   ss_prerequisites "$build"          # exit 77 with a message when something is missing
#   ss_begin ssi                       # sets ns (PREFIX-PID-RANDOM), work, started; trap
#   ss_namespace 192.0.2.2/24 ... -- 203.0.113.1/32 ...   # tap0 addresses -- lo addresses
#   ss_strongswan_conf >"$sw/strongswan.conf"; write "$sw/swanctl.conf"; ss_start_charon
#   ss_run_sim SCENARIO OUT LOG --quiet  # ipsec-sim in the background, t0 when it is attached
#   ss_at SECONDS CMD...               # CMD at t0 + SECONDS
# Everything made (namespace, charon, processes in sim_pid, traffic_pid and bg_pids, the
# temporary folder) goes in the EXIT trap; what a run killed outright left behind (a namespace
# named PREFIX-PID-RANDOM whose PID is gone) goes at the next ss_begin.
ss_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ss_skip() { echo "SKIP: $*"; exit 77; }

ss_prerequisites() { # ss_prerequisites BUILD: root, netns, TAP, charon and its plugins, tools
    [ "$(id -u)" -eq 0 ] || ss_skip "not root (network namespaces and TAP devices need root)"
    command -v ip >/dev/null || ss_skip "ip (iproute2) is not installed"
    ip netns list >/dev/null 2>&1 || ss_skip "'ip netns' does not work here"
    [ -c /dev/net/tun ] || ss_skip "/dev/net/tun is missing"
    [ -x /usr/lib/ipsec/charon ] || ss_skip "/usr/lib/ipsec/charon is missing (strongswan-charon)"
    [ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
        ss_skip "strongSwan's kernel-libipsec plugin is missing (libcharon-extra-plugins)"
    [ -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ] ||
        ss_skip "strongSwan's openssl plugin (3DES, AES, SHA, MODP) is missing (libstrongswan-standard-plugins)"
    [ -e /usr/lib/ipsec/plugins/libstrongswan-kdf.so ] ||
        ss_skip "strongSwan's kdf plugin (IKEv2's prf+, from 5.9.6 on) is missing (libstrongswan)"
    [ -e /usr/lib/ipsec/plugins/libstrongswan-vici.so ] ||
        ss_skip "strongSwan's vici plugin is missing (strongswan-swanctl)"
    command -v swanctl >/dev/null || ss_skip "swanctl is not installed (strongswan-swanctl)"
    command -v tshark >/dev/null || ss_skip "tshark is not installed"
    [ -x /usr/bin/python3 ] || ss_skip "/usr/bin/python3 is missing"
    [ -x "$1/ipsec-sim" ] || { echo "no $1/ipsec-sim"; exit 1; }
}

ss_kill_tree() { # ss_kill_tree PID: PID and its children (a background subshell and its sleep)
    local c
    for c in $(pgrep -P "$1" 2>/dev/null); do ss_kill_tree "$c"; done
    kill "$1" 2>/dev/null
}

ss_remove_namespace() { # ss_remove_namespace NAME: whatever runs in it (charon, our traffic), then it
    local p
    for p in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$1" 2>/dev/null || echo "cleanup: could not delete namespace $1"
}

ss_stop_charon() { # SIGTERM, then SIGKILL: the charon of $sw/charon.pid, if it is one
    local cp
    [ -s "$sw/charon.pid" ] || return 0
    cp=$(cat "$sw/charon.pid")
    if [ "$(cat /proc/"$cp"/comm 2>/dev/null)" = charon ]; then
        kill "$cp" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$cp" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$cp" 2>/dev/null
    fi
}

ss_cleanup() {
    local rc=$?
    set +e
    for p in "$sim_pid" "$traffic_pid" "${bg_pids[@]}"; do
        [ -n "$p" ] && ss_kill_tree "$p"
    done
    ss_stop_charon
    [ -e "/var/run/netns/$ns" ] && ss_remove_namespace "$ns"
    wait 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept $work"
    else
        rm -rf "$work"
    fi
    echo "$ss_name: $(($(date +%s) - started)) s"
    exit $rc
}

ss_begin() { # ss_begin PREFIX: the namespace's name, the temporary folder, the traps
    local old pid state
    ss_name=$(basename "$0" .sh)
    started=$(date +%s)
    ns="$1-$$-$RANDOM" # PREFIX-PID-RANDOM: PID is this script's
    work=$(mktemp -d "${TMPDIR:-/tmp}/$ns.XXXXXX")
    sw=$work/sw
    mkdir -p "$sw"
    vici="unix://$sw/charon.vici"
    export STRONGSWAN_CONF="$sw/strongswan.conf"
    sim_pid=""
    traffic_pid=""
    bg_pids=()
    trap ss_cleanup EXIT
    trap 'exit 130' INT TERM
    # A run killed outright (SIGKILL) could not clean up: its namespace, named after its
    # process, goes now if that process is gone (charon in it goes with it).
    for old in $(ip netns list | awk '{print $1}' | grep -E "^$1-[0-9]+-[0-9]+\$"); do
        pid=${old#"$1"-}
        pid=${pid%%-*}
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true) # (a zombie is gone too)
        if [ -z "$state" ] || [ "$state" = Z ]; then
            echo "removing namespace $old left by a killed run, and its folder"
            ss_remove_namespace "$old"
            rm -rf "${TMPDIR:-/tmp}/$old".??????
        fi
    done
}

ss_namespace() { # ss_namespace TAP-ADDRESS... -- LO-ADDRESS...
    local a on=tap0
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" tuntap add dev tap0 mode tap
    for a in "$@"; do
        if [ "$a" = -- ]; then
            on=lo
            continue
        fi
        ip -n "$ns" addr add "$a" dev $on
    done
    ip -n "$ns" link set tap0 up
}

ss_strongswan_conf() { # charon's configuration: kernel-libipsec, vici in $sw, a log at $sw/charon.log
    cat <<CONF
charon {
  load = random nonce openssl kdf pem pkcs1 constraints pubkey x509 kernel-libipsec kernel-netlink socket-default vici updown
  filelog {
    interop {
      path = $sw/charon.log
      time_format = %T
      default = 1
      ike = 2
      net = 2
      enc = 2
      cfg = 2
      knl = 2
      chd = 2
      flush_line = yes
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
  retransmit_tries = 2
  retransmit_timeout = 2.0
  plugins {
    vici {
      socket = unix://$sw/charon.vici
    }
  }
}
swanctl {
  load = pem pkcs1 x509 pubkey openssl random
}
CONF
}

ss_start_charon() { # charon in the namespace, then swanctl --load-all of $sw/swanctl.conf
    # charon always writes /var/run/charon.pid: `ip netns exec` gives it a mount namespace of its
    # own, where its folder is mounted over /run. setsid: its own session, away from our signals.
    rm -f "$sw/charon.pid" "$sw/charon.vici"
    mkdir -p "$sw/x509" "$sw/x509ca" "$sw/private" "$sw/rsa" "$sw/ecdsa" "$sw/pkcs8" "$sw/pkcs12"
    STRONGSWAN_CONF="$sw/strongswan.conf" setsid ip netns exec "$ns" \
        sh -c "mount --bind '$sw' /run && exec /usr/lib/ipsec/charon" >>"$sw/charon.stdout" 2>&1 </dev/null &
    disown $! # (stopped by its pid file, not as a job of this shell)
    for _ in $(seq 100); do
        [ -S "$sw/charon.vici" ] && [ -s "$sw/charon.pid" ] && break
        sleep 0.1
    done
    [ -S "$sw/charon.vici" ] || { echo "FAIL charon did not start"; cat "$sw/charon.stdout"; return 1; }
    swanctl --load-all --file "$sw/swanctl.conf" -u "$vici" >>"$sw/load.out" 2>&1 ||
        { echo "FAIL swanctl --load-all"; cat "$sw/load.out"; return 1; }
}

ss_run_sim() { # ss_run_sim SCENARIO OUT LOG [IPSEC-SIM-OPTIONS...]: in the background; sets
    # sim_pid, and t0 once it has attached to the TAP
    local scenario=$1 out=$2 log=$3
    shift 3
    # shellcheck disable=SC2154 # build: the calling script's
    "$build/ipsec-sim" "$scenario" --out "$out" "$@" >"$log" 2>&1 &
    sim_pid=$!
    # ipsec-sim runs the scenario in real time; its time 0 is when it has attached to the TAP
    # (carrier up), a few milliseconds before the simulation starts.
    for _ in $(seq 200); do
        ip -n "$ns" link show tap0 | grep -q LOWER_UP && break
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.02
    done
    t0=$(date +%s.%N)
    ip -n "$ns" link show tap0 | grep -q LOWER_UP || { echo "FAIL ipsec-sim did not attach"; cat "$log"; exit 1; }
}

ss_at() { # ss_at SECONDS COMMAND...: run COMMAND at t0 + SECONDS
    local t=$1
    shift
    sleep "$(/usr/bin/python3 -c "import time; print(max(0, $t0 + $t - time.time()))")"
    "$@"
}

ss_sas() { # ss_sas FILE: strongSwan's SAs in vici's raw form
    swanctl --list-sas --raw -u "$vici" >"$1" 2>&1 || true
}

ss_traffic() { # ss_traffic PLAN.json OUT.json: the namespace's pings and UDP, in the background
    ip netns exec "$ns" /usr/bin/python3 "$ss_lib_dir/strongswan_traffic.py" "$1" "$2" &
    traffic_pid=$!
}
