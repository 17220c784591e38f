#!/bin/bash
# Runs scripts/continue-enfr.ts epoch after epoch (each epoch = an eighth of a pass over the data); resumable:
# a rerun continues from runs/enfr2/checkpoint. Usage: nohup nice -n 10 scripts/continue-enfr.sh [LAST_EPOCH] &
cd "$(dirname "$0")/.."
for e in $(seq 1 "${1:-8}"); do
  if [ -f runs/enfr2/checkpoint/state.json ] && [ "$(node -e "console.log(JSON.parse(require('fs').readFileSync('runs/enfr2/checkpoint/state.json','utf8')).state.epoch)")" -ge "$e" ]; then continue; fi
  NODE_OPTIONS=--max-old-space-size=6144 npx tsx scripts/continue-enfr.ts --init model --epochs "$e" || exit 1
done
