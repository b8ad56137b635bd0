#!/usr/bin/env bash
# A capacity sweep run on a real (single-node, localhost) Slurm cluster: ipsec-sim --plan writes
# sweep.sbatch, a job array with one task per ladder; sbatch runs it; --merge builds the table.
# The merged table must equal the one the same sweep gives run locally.
# usage: slurm-sweep.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$src/test/e2e/slurm-lib.sh"
work=$(mktemp -d)
trap 'slurm_down; rm -rf "$work"' EXIT

python3 - "$src/scenarios/capacity/scenario.json" "$work/small.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["sweep"]["configurations"] = s["sweep"]["configurations"][:2]
s["sweep"]["sizes"] = [512, 1400]
s["sweep"]["loads"] = ["1Mbps", "2Mbps", "4Mbps", "8Mbps"]
s["sweep"]["seeds"] = [1, 2]
json.dump(s, open(sys.argv[2], "w"))
PY
cp "$src/scenarios/capacity/"*.cfg "$work/"

rc=0; slurm_up "$work" || rc=$?
[ $rc -eq 77 ] && { echo "skip: no Slurm cluster can be started here"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL the Slurm cluster did not come up"; exit 1; }

"$build/ipsec-sim" sweep "$work/small.json" --out "$work/slurm" --plan >"$work/plan.log" 2>&1 ||
    { echo "FAIL --plan"; cat "$work/plan.log"; exit 1; }
start=$(date +%s)
job=$(slurm_sbatch --chdir="$work" "$work/slurm/sweep.sbatch") ||
    { echo "FAIL sbatch refused sweep.sbatch"; slurm_show_logs; exit 1; }
slurm_wait_job "$job" 300 || { echo "FAIL the job array did not finish in 300 s"; slurm_show_logs; exit 1; }
echo "job array $job: $(( $(date +%s) - start )) s"
states=$(slurm_task_states "$job")
"$build/ipsec-sim" sweep "$work/small.json" --out "$work/slurm" --merge --quiet >"$work/merge.log" 2>&1
mrc=$?
"$build/ipsec-sim" sweep "$work/small.json" --out "$work/local" --jobs 1 --quiet >"$work/local.log" 2>&1
lrc=$?

python3 - "$work" "$mrc" "$lrc" "$job" "$states" <<'PY'
import json, os, sys
work, mrc, lrc, job, states = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

sb = open(f"{work}/slurm/sweep.sbatch").read()
check("#SBATCH --array=0-7" in sb, "sweep.sbatch: one array task per ladder (2 configurations x 2 sizes x 2 seeds)")
logs = sorted(os.listdir(f"{work}/slurm/logs"))
check(len([l for l in logs if l.startswith("ladder-")]) == 8, f"each task wrote its log: {len(logs)} files")
check(len(os.listdir(f"{work}/slurm/ladders")) == 8, "each task left its ladder's results")
check(mrc == 0, f"--merge after the job array (exit {mrc})")
check(lrc == 0, f"the same sweep run locally (exit {lrc})")
if mrc == 0 and lrc == 0:
    a = json.load(open(f"{work}/slurm/results.json"))["sweep"]
    b = json.load(open(f"{work}/local/results.json"))["sweep"]
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("run", "wall_s")} for r in rows]
    check(strip(a["rows"]) == strip(b["rows"]) and a["knees"] == b["knees"] and len(a["rows"]) == 16,
          f"the table merged from Slurm equals the local one ({len(a['rows'])} points, knees {[(k['configuration'], k['size'], k['knee_load_mbps']) for k in a['knees']]})")
print(f"tasks: {states.strip()}")
sys.exit(1 if failures else 0)
PY
