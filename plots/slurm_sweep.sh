#!/bin/bash
# A tcpsim sweep as a Slurm job array: task K of N runs shard K/N into
# OUT/shard-K/, with all the cores Slurm gives it (--cpus-per-task).
#
#   sbatch --array=1-16 plots/slurm_sweep.sh configs/sweeps/close_time_vs_loss.ini out/close [--set ...]
#   # when every task has finished (or chain it: sbatch --dependency=afterok:JOBID ...):
#   ./tcpsim merge --out out/close out/close/shard-*
#
# Submit from the tcpsim folder, on a file system the nodes share.  A task
# that was killed (time limit, preemption) resumes where it stopped when it
# runs again (`scontrol requeue JOBID_K`, or sbatch --array=K ...): its
# runs.csv keeps every finished row.  Options after OUT (--set, --seed) go
# to every shard and must be the same for all of them; tcpsim merge checks.
#SBATCH --job-name=tcpsim-sweep
#SBATCH --cpus-per-task=8
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: sbatch --array=1-N $0 CONFIG.ini OUT [tcpsim sweep options]" >&2; exit 2; }
config=$1 out=$2
shift 2
k=${SLURM_ARRAY_TASK_ID:?not in a Slurm job array: submit with sbatch --array=1-N}
n=${SLURM_ARRAY_TASK_COUNT:-$SLURM_ARRAY_TASK_MAX}
threads=${SLURM_CPUS_PER_TASK:-1}
exec ./tcpsim sweep "$config" --shard "$k/$n" -j "$threads" -q -o "$out/shard-$k" "$@"
