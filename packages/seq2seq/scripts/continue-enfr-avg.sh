#!/bin/bash
# A second continuation of the shipped en->fr model at the low end of the first one's learning rates, keeping
# the weights after every eighth for checkpoint averaging (scripts/average-enfr.ts); resumable like
# continue-enfr.sh. Usage: nohup nice -n 10 scripts/continue-enfr-avg.sh [LAST_EPOCH] &
cd "$(dirname "$0")/.."
R=runs/enfr3
for e in $(seq 1 "${1:-4}"); do
  if [ -d $R/snapshots/e$e ]; then continue; fi
  NODE_OPTIONS=--max-old-space-size=6144 npx tsx --conditions=@rnnkit/source scripts/continue-enfr.ts --init model --run $R --epochs "$e" \
    --lr-schedule 3e-4,3e-4,2e-4,2e-4 --snapshots $R/snapshots || exit 1
done
