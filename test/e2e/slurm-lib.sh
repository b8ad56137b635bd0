# shellcheck shell=bash
# A real single-node Slurm cluster on localhost for an e2e test: slurmctld, slurmd and a munged
# of its own, all started by the test and stopped by it, everything kept in one folder.
# Sourced by tests. Run as a script (CTest runs every test/e2e/*.sh), it checks its own life
# cycle: slurm_up in a temporary folder, the node idle, slurm_down twice, nothing left behind.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/slurm-lib.sh"
#   work=$(mktemp -d)
#   trap 'slurm_down; rm -rf "$work"' EXIT
#   rc=0; slurm_up "$work" || rc=$?          # 77: a prerequisite cannot be had (a skip)
#   job=$(slurm_sbatch --array=0-3 --chdir="$work" --output="$work/%A_%a.out" \
#         "$SLURM_LIB_TASK_WRAP" "$work/marks" "$build/program" --seed=1)
#   slurm_wait_job "$job" 120 && slurm_array_report "$work/marks" "$job" 4
#
# Functions (each returns non-zero on failure and says why on stderr):
#   slurm_up WORKDIR         installs slurmctld, slurmd, slurm-client and munge with apt-get if
#                            missing, creates /etc/munge/munge.key if there is none, starts
#                            munged, slurmctld and slurmd on free loopback ports with their state
#                            in WORKDIR/slurm-cluster, waits (60 s at most) for the node to be
#                            idle and exports SLURM_CONF. Returns 0, 77 when a prerequisite
#                            cannot be had (not root, no apt-get, the install failed), 1 when the
#                            cluster did not come up (its logs are printed). Call it directly,
#                            not in $(...): it sets variables of the calling shell.
#   slurm_down               cancels what is still queued, stops the daemons slurm_up started
#                            (by their recorded PIDs) and whatever still runs for them (job steps
#                            and their processes), removes WORKDIR/slurm-cluster, unsets
#                            SLURM_CONF. Safe to call twice or without slurm_up; for an EXIT trap.
#   slurm_sbatch ARGS...     sbatch --parsable ARGS; prints the job id (of the array).
#   slurm_wait_job JOBID TIMEOUT
#                            waits until the job, every task of an array included, has left the
#                            queue (squeue -h -j); 1 after TIMEOUT seconds.
#   slurm_array_report MARKDIR JOBID N
#                            one line per task 0..N-1, "task I: exit RC" or "task I: no marker",
#                            from the marker files that $SLURM_LIB_TASK_WRAP writes; 0 when all N
#                            tasks left a marker with 0.
#   slurm_task_states JOBID  "TASK STATE EXIT" per task of the job from scontrol (no accounting
#                            needed; Slurm keeps a finished job MinJobAge = 300 s).
#   slurm_show_logs [LINES]  the last LINES (40) lines of each daemon's log, on stderr.
#   slurm_reap_stale         stops clusters that runs killed outright left behind (their owner
#                            process is gone) and removes their folders; slurm_up calls it.
# Set by slurm_up: SLURM_CONF, SLURM_LIB_DIR (WORKDIR/slurm-cluster), SLURM_LIB_NODE,
# SLURM_LIB_PARTITION, SLURM_LIB_CPUS (the node's CPUs, = nproc: array tasks run that many at
# a time, one CPU each), SLURM_LIB_TASK_WRAP.
#
# $SLURM_LIB_TASK_WRAP MARKDIR PROGRAM [ARGS...], as the batch script of sbatch, runs PROGRAM
# ARGS and writes its exit status to MARKDIR/JOBID_TASK.rc (the array's job id and the task's
# index; a job that is no array is task 0), then exits with it. A task that was killed or never
# ran leaves no marker.
#
# The cluster: ClusterName=e2e, SlurmctldHost=localhost, one node "node0" (NodeAddr 127.0.0.1,
# CPUs = nproc, RealMemory 1000 MB at most) in one partition "e2e" (Default=YES), SlurmUser=root,
# auth/munge over the folder's own munged socket, select/cons_tres with CR_Core,
# proctrack/linuxproc and task/none (no cgroups, no systemd needed), no accounting, no job
# completion log, ReturnToService=2, MpiDefault=none, the schedulers every second (a task
# starts about 1 s after a CPU frees, not 3 s or more). The daemons run in the foreground
# (-D, munged -F) as children of the calling shell, so a process-group kill reaches them too.

SLURM_LIB_NODE=node0
SLURM_LIB_PARTITION=e2e
_slurm_lib_pids=()  # what slurm_up started: munged slurmctld slurmd

_slurm_lib_say() { echo "slurm-lib: $*" >&2; }

# _slurm_lib_alive PID: the process exists and is no zombie.
_slurm_lib_alive() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    [ "${s%% *}" != Z ]
}

# _slurm_lib_starttime PID: field 22 of /proc/PID/stat (after the command name, which may hold
# spaces), to tell a process from a later one with the same PID.
_slurm_lib_starttime() {
    local s f
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    read -r -a f <<<"$s"
    echo "${f[19]}"
}

# _slurm_lib_reap_wait PID...: waits (bash's wait) for those that are children of this shell
# and gone, so that no zombie is left.
_slurm_lib_reap_wait() {
    local p
    for p in "$@"; do
        _slurm_lib_alive "$p" || wait "$p" 2>/dev/null || true
    done
}

# _slurm_lib_stop SECONDS PID...: SIGTERM, then SIGKILL to those still there after SECONDS.
_slurm_lib_stop() {
    local grace=$1 p left i
    shift
    [ $# -gt 0 ] || return 0
    kill -TERM "$@" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        left=0
        for p in "$@"; do _slurm_lib_alive "$p" && left=1; done
        [ $left = 1 ] || break
        sleep 0.1
    done
    for p in "$@"; do
        _slurm_lib_alive "$p" && kill -KILL "$p" 2>/dev/null
    done
    _slurm_lib_reap_wait "$@"
    return 0
}

# _slurm_lib_pids_of DIR: processes that belong to the cluster in DIR (its daemons, job steps,
# the jobs' programs): DIR/ in their command line, a file under DIR/ open, or SLURM_CONF of
# DIR in the environment of a job. This shell and its ancestors are never among them.
_slurm_lib_pids_of() {
    local dir=$1 f pid skip=" $$ ${BASHPID:-$$} " a=${BASHPID:-$$}
    while [ -n "$a" ] && [ "$a" -gt 1 ] 2>/dev/null; do
        a=$(awk '/^PPid:/ {print $2}' "/proc/$a/status" 2>/dev/null) || break
        skip+="$a "
    done
    {
        grep -lsaF -e "$dir/" /proc/[0-9]*/cmdline
        find /proc/[0-9]*/fd -maxdepth 1 -lname "$dir/*" 2>/dev/null
        for f in $(grep -lsaF -e "SLURM_CONF=$dir/slurm.conf" /proc/[0-9]*/environ); do
            tr '\0' '\n' 2>/dev/null <"$f" | grep -q '^SLURM_JOB_ID=' && echo "$f"
        done
    } | sed -n 's|^/proc/\([0-9]*\)/.*|\1|p' | sort -un | while read -r pid; do
        # (the grep above finds itself too: gone by now)
        case $skip in *" $pid "*) continue ;; esac
        [ -e "/proc/$pid" ] && echo "$pid"
    done
    return 0
}

# _slurm_lib_teardown DIR GRACE: stops whatever still runs for the cluster in DIR (SIGTERM,
# SIGKILL after GRACE seconds; again for what started meanwhile) and removes DIR.
_slurm_lib_teardown() {
    local dir=$1 grace=$2 pids _
    [ -n "$dir" ] && [ -e "$dir/owner" ] || return 0
    for _ in 1 2 3 4 5; do
        pids=$(_slurm_lib_pids_of "$dir") || true
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        _slurm_lib_stop "$grace" $pids
    done
    rm -rf "$dir"
}

slurm_reap_stale() {
    local f p dir pid start cmd
    local -A seen=()
    for f in $(grep -lsaF -e /slurm-cluster/ /proc/[0-9]*/cmdline); do
        p=${f%/cmdline}
        case $(cat "$p/comm" 2>/dev/null) in slurmctld | slurmd | munged) ;; *) continue ;; esac
        cmd=$(tr '\0' '\n' 2>/dev/null <"$p/cmdline") || continue
        dir=$(sed -n 's|^\(--socket=\)\{0,1\}\(/.*/slurm-cluster\)/.*|\2|p' <<<"$cmd" | head -n1)
        [ -n "$dir" ] && [ -z "${seen[$dir]:-}" ] && [ -r "$dir/owner" ] || continue
        seen[$dir]=1
        read -r pid start <"$dir/owner" || continue
        if _slurm_lib_alive "$pid" && [ "$(_slurm_lib_starttime "$pid")" = "$start" ]; then
            continue # its run is still going
        fi
        _slurm_lib_say "stopping the cluster in $dir, left by a run that was killed"
        _slurm_lib_teardown "$dir" 1
    done
    return 0
}

# _slurm_lib_install: the packages, with apt-get, when a program is missing.
_slurm_lib_install() {
    local log=$1 prog missing=()
    for prog in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged mungekey; do
        command -v "$prog" >/dev/null || missing+=("$prog")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null; then
        _slurm_lib_say "missing ${missing[*]}, and there is no apt-get to install them"
        return 77
    fi
    _slurm_lib_say "installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
    if ! "${apt[@]}" install --no-install-recommends slurmctld slurmd slurm-client munge \
            >"$log" 2>&1; then
        "${apt[@]}" update >>"$log" 2>&1 || true
        if ! "${apt[@]}" install --no-install-recommends slurmctld slurmd slurm-client munge \
                >>"$log" 2>&1; then
            tail -n 5 "$log" >&2
            _slurm_lib_say "could not install slurmctld slurmd slurm-client munge"
            return 77
        fi
    fi
    hash -r
    for prog in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged mungekey; do
        command -v "$prog" >/dev/null || { _slurm_lib_say "no $prog after the install"; return 77; }
    done
}

# _slurm_lib_free_port EXCEPT: a TCP port that nothing on this machine uses, below Linux's
# range of ephemeral ports (32768 on), where no outgoing connection takes it meanwhile.
_slurm_lib_free_port() {
    local port hex i
    for ((i = 0; i < 100; i++)); do
        port=$((20000 + RANDOM % 12000))
        [ "$port" != "$1" ] || continue
        hex=$(printf '%04X' "$port")
        if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q ":$hex "; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

slurm_up() {
    if [ $# -ne 1 ] || [ ! -d "$1" ]; then
        _slurm_lib_say "usage: slurm_up WORKDIR (an existing folder)"
        return 1
    fi
    if [ -n "${SLURM_LIB_DIR:-}" ] && [ -e "$SLURM_LIB_DIR/owner" ]; then
        _slurm_lib_say "a cluster is already up in $SLURM_LIB_DIR: slurm_down first"
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        _slurm_lib_say "not root (slurmd runs jobs as their user and needs root)"
        return 77
    fi
    local work rt
    work=$(cd "$1" && pwd -P)
    rt=$work/slurm-cluster
    # Unix sockets (munged's, slurmd's per step in its spool) have 107 characters at most.
    if [ ${#rt} -gt 64 ]; then
        _slurm_lib_say "$rt is too long a path for the daemons' sockets (64 characters at most)"
        return 1
    fi
    slurm_reap_stale
    rm -rf "$rt"
    mkdir -p "$rt/state" "$rt/spool" "$rt/log" "$rt/munge"
    chmod 0700 "$rt/munge"
    echo "$$ $(_slurm_lib_starttime $$)" >"$rt/owner"
    SLURM_LIB_DIR=$rt

    local rc=0
    _slurm_lib_install "$rt/log/apt.log" || rc=$?
    [ $rc -eq 0 ] || return $rc

    # The machine's munge key (made if there is none, never replaced), copied into the folder
    # for a munged running as root (munged wants its key owned by the user it runs as).
    if [ ! -s /etc/munge/munge.key ]; then
        mkdir -p /etc/munge
        if ! mungekey --create --keyfile=/etc/munge/munge.key 2>"$rt/log/mungekey.log"; then
            cat "$rt/log/mungekey.log" >&2
            _slurm_lib_say "could not create /etc/munge/munge.key"
            return 1
        fi
        if id munge >/dev/null 2>&1; then
            chown munge:munge /etc/munge /etc/munge/munge.key
            chmod 0700 /etc/munge
        fi
        chmod 0400 /etc/munge/munge.key
    fi
    install -m 0400 -o root -g root /etc/munge/munge.key "$rt/munge/munge.key"

    local ctld_port slurmd_port
    if ! ctld_port=$(_slurm_lib_free_port 0) ||
       ! slurmd_port=$(_slurm_lib_free_port "$ctld_port"); then
        _slurm_lib_say "no free TCP port found"
        return 1
    fi
    # nproc without the OpenMP variables that it would obey; memory: 1000 MB or half of it.
    SLURM_LIB_CPUS=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
    local mem
    mem=$(awk '/^MemTotal:/ {print int($2 / 2048)}' /proc/meminfo)
    [ "${mem:-0}" -ge 1000 ] 2>/dev/null && mem=1000
    local mailprog=/bin/true
    [ -x "$mailprog" ] || mailprog=/usr/bin/true
    : >"$rt/plugstack.conf"
    cat >"$rt/slurm.conf" <<EOF
# A single-node cluster on localhost for an e2e test (written by slurm-lib.sh).
ClusterName=e2e
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$rt/munge/socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$rt/state
SlurmdSpoolDir=$rt/spool
SlurmctldPidFile=$rt/slurmctld.pid
SlurmdPidFile=$rt/slurmd.pid
SlurmctldLogFile=$rt/log/slurmctld.log
SlurmdLogFile=$rt/log/slurmd.log
PlugStackConfig=$rt/plugstack.conf
MailProg=$mailprog
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
KillWait=5
SchedulerParameters=sched_interval=1,bf_interval=1
NodeName=$SLURM_LIB_NODE NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$SLURM_LIB_CPUS RealMemory=$mem State=UNKNOWN
PartitionName=$SLURM_LIB_PARTITION Nodes=$SLURM_LIB_NODE Default=YES MaxTime=INFINITE State=UP
EOF
    cat >"$rt/task-wrap.sh" <<'EOF'
#!/bin/bash
# task-wrap.sh MARKDIR PROGRAM [ARGS...]: runs PROGRAM ARGS, writes its exit status to
# MARKDIR/JOBID_TASK.rc and exits with it.
markdir=$1
shift
"$@"
rc=$?
id=${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-0}
mkdir -p "$markdir" && echo "$rc" >"$markdir/.$id.rc.tmp" && mv -f "$markdir/.$id.rc.tmp" "$markdir/$id.rc"
exit $rc
EOF
    chmod 0755 "$rt/task-wrap.sh"
    SLURM_LIB_TASK_WRAP=$rt/task-wrap.sh
    export SLURM_CONF=$rt/slurm.conf
    export SLURM_LIB_DIR SLURM_LIB_NODE SLURM_LIB_PARTITION SLURM_LIB_CPUS SLURM_LIB_TASK_WRAP

    # --force: munged as root, the socket's folder (a temporary one) not open to all.
    munged -F --force --socket="$rt/munge/socket" --key-file="$rt/munge/munge.key" \
        --pid-file="$rt/munge/munged.pid" --log-file="$rt/log/munged.log" \
        --seed-file="$rt/munge/munged.seed" </dev/null >"$rt/log/munged.stderr" 2>&1 &
    _slurm_lib_pids+=($!)
    local i
    for ((i = 0; i < 100; i++)); do
        [ -S "$rt/munge/socket" ] && break
        _slurm_lib_alive "${_slurm_lib_pids[0]}" || break
        sleep 0.1
    done
    if ! munge -S "$rt/munge/socket" -n 2>/dev/null | unmunge -S "$rt/munge/socket" >/dev/null 2>&1
    then
        _slurm_lib_say "munged did not start"
        slurm_show_logs 40
        return 1
    fi

    slurmctld -D -f "$rt/slurm.conf" </dev/null >"$rt/log/slurmctld.stderr" 2>&1 &
    _slurm_lib_pids+=($!)
    slurmd -D -f "$rt/slurm.conf" -N "$SLURM_LIB_NODE" </dev/null >"$rt/log/slurmd.stderr" 2>&1 &
    _slurm_lib_pids+=($!)

    local state="" deadline=$((SECONDS + 60)) p
    while [ $SECONDS -lt $deadline ]; do
        for i in 0 1 2; do
            p=${_slurm_lib_pids[i]}
            if ! _slurm_lib_alive "$p"; then
                _slurm_lib_say "$(cut -d' ' -f$((i + 1)) <<<"munged slurmctld slurmd")" \
                    "(PID $p) exited while the cluster came up"
                slurm_show_logs 40
                return 1
            fi
        done
        state=$(sinfo -h -n "$SLURM_LIB_NODE" -o %T 2>/dev/null) || state=""
        [ "$state" = idle ] && return 0
        sleep 0.2
    done
    _slurm_lib_say "node $SLURM_LIB_NODE not idle after 60 s (state: ${state:-no answer})"
    slurm_show_logs 40
    return 1
}

slurm_down() {
    local rt=${SLURM_LIB_DIR:-} jobs i
    if [ -n "$rt" ] && [ -e "$rt/owner" ] && [ ${#_slurm_lib_pids[@]} -ge 2 ] &&
       _slurm_lib_alive "${_slurm_lib_pids[1]}"; then
        jobs=$(squeue -h -o %A 2>/dev/null) || jobs=""
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086
            scancel $jobs 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.2
            done
        fi
    fi
    # slurmd, then slurmctld, then munged: only these PIDs, if they are still ours.
    local p
    for ((i = ${#_slurm_lib_pids[@]} - 1; i >= 0; i--)); do
        p=${_slurm_lib_pids[i]}
        if _slurm_lib_alive "$p" && [ -n "$rt" ] &&
           tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline" | grep -qF "$rt/"; then
            _slurm_lib_stop 10 "$p"
        fi
    done
    _slurm_lib_reap_wait "${_slurm_lib_pids[@]}"
    _slurm_lib_pids=()
    # Job steps and the jobs' programs still running (slurmd does not end them as it stops).
    [ -z "$rt" ] || _slurm_lib_teardown "$rt" 3
    if [ -n "$rt" ] && [ "${SLURM_CONF:-}" = "$rt/slurm.conf" ]; then
        unset SLURM_CONF
    fi
    unset SLURM_LIB_DIR SLURM_LIB_TASK_WRAP
    return 0
}

slurm_sbatch() {
    local out
    out=$(sbatch --parsable "$@") || return 1
    echo "${out%%;*}"
}

slurm_wait_job() {
    if [ $# -ne 2 ]; then
        _slurm_lib_say "usage: slurm_wait_job JOBID TIMEOUT"
        return 2
    fi
    local job=$1 deadline=$((SECONDS + $2)) out rc
    while :; do
        rc=0
        out=$(squeue -h -j "$job" -o %i 2>&1) || rc=$?
        if [ $rc -eq 0 ] && [ -z "$out" ]; then
            return 0
        fi
        # Slurm forgets a finished job after MinJobAge: then its id is no longer valid.
        if [ $rc -ne 0 ] && grep -qi 'invalid job id' <<<"$out"; then
            return 0
        fi
        if [ $SECONDS -ge $deadline ]; then
            _slurm_lib_say "job $job still queued after $2 s: $(tr '\n' ' ' <<<"$out")"
            return 1
        fi
        sleep 0.5
    done
}

slurm_task_states() {
    scontrol -o show job "$1" 2>/dev/null | awk '{
        t = "-"; s = "?"; e = "?"
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^ArrayTaskId=/) t = substr($i, 13)
            else if ($i ~ /^JobState=/) s = substr($i, 10)
            else if ($i ~ /^ExitCode=/) e = substr($i, 10)
        }
        print t, s, e
    }' | sort -n
}

slurm_array_report() {
    if [ $# -ne 3 ]; then
        _slurm_lib_say "usage: slurm_array_report MARKDIR JOBID N"
        return 2
    fi
    local dir=$1 job=$2 n=$3 i rc bad=0
    for ((i = 0; i < n; i++)); do
        if [ -s "$dir/${job}_$i.rc" ]; then
            rc=$(cat "$dir/${job}_$i.rc")
            echo "task $i: exit $rc"
            [ "$rc" = 0 ] || bad=1
        else
            echo "task $i: no marker"
            bad=1
        fi
    done
    return $bad
}

slurm_show_logs() {
    local f lines=${1:-40}
    [ -n "${SLURM_LIB_DIR:-}" ] || return 0
    for f in "$SLURM_LIB_DIR"/log/*; do
        [ -s "$f" ] || continue
        echo "--- ${f##*/} (last $lines lines)" >&2
        tail -n "$lines" "$f" >&2
    done
    return 0
}

# Run as a script: the life cycle, for CTest (usage: slurm-lib.sh [BUILD_DIR], which it ignores).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -uo pipefail
    _work=$(mktemp -d "${TMPDIR:-/tmp}/slurm-lib.XXXXXX")
    trap 'slurm_down; rm -rf "$_work"' EXIT
    trap 'exit 130' INT TERM
    _rc=0
    slurm_up "$_work" || _rc=$?
    if [ $_rc -eq 77 ]; then echo "SKIP: Slurm cannot be had here (above: why)"; exit 77; fi
    [ $_rc -eq 0 ] || { echo "FAIL slurm_up"; exit 1; }
    _fail=0
    _pids=("${_slurm_lib_pids[@]}")
    _dir=$SLURM_LIB_DIR
    echo "ok   slurm_up: node $SLURM_LIB_NODE idle, $SLURM_LIB_CPUS CPUs, in ${SECONDS} s"
    slurm_down
    for _p in "${_pids[@]}"; do
        if _slurm_lib_alive "$_p"; then echo "FAIL PID $_p still runs after slurm_down"; _fail=1; fi
    done
    if [ -e "$_dir" ] || [ -n "${SLURM_CONF:-}" ]; then
        echo "FAIL slurm_down left $_dir or SLURM_CONF"; _fail=1
    fi
    slurm_down || { echo "FAIL slurm_down a second time"; _fail=1; }
    [ $_fail -eq 0 ] && echo "ok   slurm_down: daemons gone, folder removed; a second call is harmless"
    exit $_fail
fi
