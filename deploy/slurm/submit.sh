#!/bin/sh
# Submits a ccsim sweep to Slurm: the job array of sweep.sbatch and, after it, merge.sbatch.
# Run it from a directory on the filesystem the compute nodes share, with ccsim on PATH (see the
# top of sweep.sbatch):
#     deploy/slurm/submit.sh scenarios/host-loss-sip-primary.yaml \
#       --set addp-timeout=3s,5s,9s,15s --set pairs.sip-a.redundancy=hot,warm --replications 50
# Arguments go to `ccsim sweep`; none runs the README's example. The merged report lands in
# $CCSIM_MERGE_OUT (default reports/ccsim-sweep); logs in logs/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p logs results
sweep=$(sbatch --parsable "$here/sweep.sbatch" "$@")
sweep=${sweep%%;*} # --parsable prints <job id>[;<cluster>]
# afterany: the merge runs once every task has ended; it fails naming the shards to re-run if
# some task failed (afterok would leave it pending forever).
merge=$(sbatch --parsable --dependency="afterany:$sweep" "$here/merge.sbatch")
merge=${merge%%;*}
echo "sweep job $sweep, merge job $merge (after every task of $sweep has ended)"
