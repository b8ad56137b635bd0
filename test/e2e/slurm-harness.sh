#!/usr/bin/env bash
# A real Slurm cluster on localhost (slurm-lib.sh: slurmctld, slurmd and munged of this run's
# own) runs a job array:
#   - sbatch --array=0-3 --wrap: each task writes "ID HOST" to a file; all four are there, with
#     their own ids and this machine's name;
#   - an array through $SLURM_LIB_TASK_WRAP, one task failing with status 3 on purpose: the
#     marker files give each task's status (0 0 3 0), and so does scontrol (COMPLETED, FAILED 3);
#   - slurm_down stops every daemon the run started and removes the cluster's folder.
# Prerequisites (else exit 77, a skip for CTest): root; Slurm and munge, which slurm-lib.sh
# installs with apt-get when they are missing. A run killed outright leaves daemons and a
# folder: the next run stops and removes them. It takes about 7 s (packages installed).
# KEEP=1 keeps the temporary folder (the tasks' files and outputs; the cluster's own folder,
# logs included, goes with slurm_down; a failed slurm_up, sbatch or wait prints the logs' ends).
# usage: slurm-harness.sh BUILD_DIR (not used: the tasks run shell commands)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=slurm-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/slurm-lib.sh"

tmp=${TMPDIR:-/tmp}
# Folders of runs killed outright (slurm-harness.PID.XXXXXX, PID gone): their clusters first.
slurm_reap_stale
for old in "$tmp"/slurm-harness.*.??????; do
    [ -d "$old" ] || continue
    pid=${old#"$tmp"/slurm-harness.}
    pid=${pid%%.*}
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    if [ -z "$state" ] || [ "$state" = Z ]; then
        echo "removing $old, left by a killed run"
        rm -rf "$old"
    fi
done

work=$(mktemp -d "$tmp/slurm-harness.$$.XXXXXX")
cleanup() {
    local rc=$?
    set +e
    slurm_down
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
    echo "slurm-harness: ${SECONDS} s"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rc=0
slurm_up "$work" || rc=$?
if [ $rc -eq 77 ]; then
    echo "SKIP: no Slurm cluster can be had on this machine (the reason is above)"
    exit 77
fi
[ $rc -eq 0 ] || { echo "FAIL slurm_up (exit $rc)"; exit 1; }
echo "ok   cluster up in ${SECONDS} s: node $SLURM_LIB_NODE idle, $SLURM_LIB_CPUS CPUs"
pids=("${_slurm_lib_pids[@]}")
rundir=$SLURM_LIB_DIR

passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
submit() { # submit SBATCH-ARGS...: the job id, or FAIL and the end of the run
    slurm_sbatch "$@" || { echo "FAIL sbatch $*" >&2; slurm_show_logs; exit 1; }
}

# ------------------------------------------------------------------ a 4-task array, --wrap
mkdir -p "$work/out" "$work/res"
host=$(hostname)
job=$(submit --array=0-3 --job-name=harness --chdir="$work" \
    --output="$work/out/%A_%a.out" \
    --wrap "echo \"\$SLURM_ARRAY_TASK_ID \$(hostname)\" >'$work/res/.t'\$SLURM_ARRAY_TASK_ID &&
            mv '$work/res/.t'\$SLURM_ARRAY_TASK_ID '$work/res/task-'\$SLURM_ARRAY_TASK_ID")
t0=$SECONDS
if slurm_wait_job "$job" 60; then
    ok "job array $job (0-3) left the queue in $((SECONDS - t0)) s"
else
    fail "job array $job still queued after 60 s"
    squeue || true
    slurm_show_logs 40
fi
for i in 0 1 2 3; do
    f=$work/res/task-$i
    if [ ! -f "$f" ]; then
        fail "task $i wrote no file (its output: $(cat "$work/out/${job}_$i.out" 2>/dev/null))"
    elif [ "$(cat "$f")" != "$i $host" ]; then
        fail "task $i wrote '$(cat "$f")', not '$i $host'"
    else
        ok "task $i wrote '$i $host'"
    fi
done
n=$(find "$work/res" -type f | wc -l)
if [ "$n" -eq 4 ]; then ok "4 files and no other"; else fail "$n files in res/, not 4"; fi

# ------------------------------------------------------------------ each task's exit status
cat >"$work/task.sh" <<'EOF'
#!/bin/sh
# exits 3 as task 2, 0 otherwise
[ "$SLURM_ARRAY_TASK_ID" != 2 ] || exit 3
EOF
chmod +x "$work/task.sh"
job=$(submit --array=0-3 --job-name=harness-rc --chdir="$work" \
    --output="$work/out/%A_%a.out" "$SLURM_LIB_TASK_WRAP" "$work/marks" "$work/task.sh")
if slurm_wait_job "$job" 60; then
    ok "job array $job (one task failing on purpose) left the queue"
else
    fail "job array $job still queued after 60 s"
    slurm_show_logs 40
fi
report=$(slurm_array_report "$work/marks" "$job" 4) && rep=0 || rep=$?
expected=$'task 0: exit 0\ntask 1: exit 0\ntask 2: exit 3\ntask 3: exit 0'
if [ "$report" = "$expected" ] && [ "$rep" -ne 0 ]; then
    ok "marker files: task 2 exit 3, the others 0; slurm_array_report says not all passed"
else
    fail "slurm_array_report (exit $rep): $(tr '\n' ';' <<<"$report")"
fi
states=$(slurm_task_states "$job")
expected=$'0 COMPLETED 0:0\n1 COMPLETED 0:0\n2 FAILED 3:0\n3 COMPLETED 0:0'
if [ "$states" = "$expected" ]; then
    ok "scontrol: tasks 0 1 3 COMPLETED 0:0, task 2 FAILED 3:0"
else
    fail "slurm_task_states: $(tr '\n' ';' <<<"$states")"
fi
# A task that exits 0 everywhere: the report passes.
job=$(submit --array=0-1 --job-name=harness-ok --chdir="$work" \
    --output="$work/out/%A_%a.out" "$SLURM_LIB_TASK_WRAP" "$work/marks" true)
if slurm_wait_job "$job" 60 && slurm_array_report "$work/marks" "$job" 2 >/dev/null; then
    ok "an array whose tasks all exit 0 passes slurm_array_report"
else
    fail "an array of 'true' tasks: $(slurm_array_report "$work/marks" "$job" 2 | tr '\n' ';')"
fi

# ------------------------------------------------------------------ slurm_down
slurm_down
left=0
for p in "${pids[@]}"; do
    if [ -e "/proc/$p" ]; then left=1; fi
done
if [ $left -eq 0 ] && [ ! -e "$rundir" ] && [ -z "${SLURM_CONF:-}" ]; then
    ok "slurm_down: munged, slurmctld, slurmd gone, $rundir removed"
else
    fail "slurm_down left a daemon or $rundir"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
