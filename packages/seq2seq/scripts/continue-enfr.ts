// Continues training an en->fr model folder (e.g. the shipped float16 model, dequantized on load) on the
// Tatoeba training split plus concatenations of 2-3 training pairs, so long inputs keep their content.
// The BPE models and vocabularies of the folder are kept. Checkpoints are chosen on the validation split
// only: the mean of greedy BLEU on single validation sentences and on validation sentences joined three
// at a time. One epoch (an eighth of the data, --shards) per process, so the learning rate follows --lr-schedule:
//   for e in 1 2 3 4; do nice -n 10 npx tsx scripts/continue-enfr.ts --init model --epochs $e; done
//   [--checkpoint runs/enfr2/checkpoint] [--out runs/enfr2/best] [--concat 30000] [--shards 8] [--lr-schedule 1e-3,1e-3,7e-4,7e-4,5e-4,...]
//   [--snapshots DIR]   (also saves the weights at the end of each epoch as DIR/eN, for checkpoint averaging)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend, kernelFlavor, tryEnableRelaxedSimd } from '@rnnkit/core';
import { shuffle } from '@rnnkit/text';
import { Translator, corpusBleu, trainSeq2Seq, type ParallelIds } from '../src/index';
import { makeLogger, parseArgs, type Pair } from './common';
import { translatePlain } from './plainDecode';
import { joinPairs, tatoebaSplit } from './tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
const seed = Number(args['seed'] ?? 13);
const runDir = resolve(here, args['run'] ?? 'runs/enfr2');
const checkpoint = args['checkpoint'] ?? join(runDir, 'checkpoint');
const out = args['out'] ?? join(runDir, 'best');
const log = makeLogger(args['log'] ?? join(runDir, 'train.log'));
const epochs = Number(args['epochs'] ?? 1);
const schedule = (args['lr-schedule'] ?? '1e-3,1e-3,7e-4,7e-4,5e-4,5e-4,3e-4,3e-4,2e-4,2e-4,1e-4').split(',').map(Number);

const relaxed = tryEnableRelaxedSimd();
const backend = await initBackend();
const translator = await Translator.load(resolve(here, args['init'] ?? 'model'));
const { train, val, sources } = tatoebaSplit(seed);
const concat = joinPairs(train, [2, 3], seed + 1, Number(args['concat'] ?? 30000));
const ids = (pairs: readonly Pair[]): ParallelIds[] => pairs.map((p) => ({ src: translator.encodeSource(p.src).ids, tgt: translator.encodeTarget(p.tgt) }));
// An "epoch" of trainSeq2Seq is one of --shards parts of the shuffled data, so validation (and the
// learning-rate schedule) comes every 1/shards of a pass.
const statePath = join(checkpoint, 'state.json');
const state = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as { state: { epoch: number; learningRate: number } }) : null;
const shards = Number(args['shards'] ?? 8);
const shard = (state?.state.epoch ?? 0) % shards;
const all = shuffle([...train, ...concat], seed + 3).slice(0, args['subset'] ? Number(args['subset']) : undefined);
const trainIds = ids(all.filter((_, i) => i % shards === shard));
const valSingles = val.slice(0, Number(args['bleuSample'] ?? 500));
const valTriples = joinPairs(val, 3, seed + 2, Number(args['tripleSample'] ?? 150));
log(`backend ${backend} (${relaxed ? kernelFlavor() : 'simd'}); init ${args['init'] ?? 'model'}; train ${train.length} pairs + ${concat.length} concatenations of 2-3, shard ${shard + 1}/${shards} (${trainIds.length}); val ${valSingles.length} single, ${valTriples.length} triples`);

// The learning rate of this epoch, written into the checkpoint that trainSeq2Seq resumes from.
if (state) {
  const j = state;
  const lr = schedule[Math.min(j.state.epoch, schedule.length - 1)] as number;
  if (j.state.learningRate !== lr) {
    j.state.learningRate = lr;
    writeFileSync(statePath, JSON.stringify(j));
  }
  log(`resuming at epoch ${j.state.epoch + 1}, lr ${lr}`);
}

// Plain greedy decoding (each input one sequence): the same procedure at every epoch, whatever Translator.translate does.
const greedyBleu = (pairs: readonly Pair[]) => corpusBleu(translatePlain(translator, pairs.map((p) => p.src), { beam: 1, batchSize: 64 }), [pairs.map((p) => p.tgt)]).score;
let lastLog = 0;
const res = await trainSeq2Seq(translator.model, trainIds, {
  epochs, batchSize: 64, maxTokens: 1600, maxLen: 120, learningRate: schedule[0], seed, bosId: translator.artifacts.tgtVocab.bosId, eosId: translator.artifacts.tgtVocab.eosId,
  padId: translator.artifacts.tgtVocab.padId, validation: ids(val),
  bleu: () => {
    const single = greedyBleu(valSingles);
    const triple = greedyBleu(valTriples);
    log(`validation greedy BLEU: single ${single.toFixed(2)}, three at a time ${triple.toFixed(2)}`);
    return (single + triple) / 2;
  },
  earlyStopping: { metric: 'bleu', patience: 3 }, checkpointDir: checkpoint, checkpointEvery: 200, maxSteps: args['max-steps'] ? Number(args['max-steps']) : undefined,
  onProgress: (p) => {
    if (Date.now() - lastLog > 60000) {
      lastLog = Date.now();
      log(`epoch ${p.epoch + 1} step ${p.step} loss ${p.loss.toFixed(3)} ${p.tokensPerSecond.toFixed(0)} tgt tok/s lr ${p.learningRate.toExponential(2)} ETA ${(p.etaSeconds / 60).toFixed(1)} min`);
    }
  },
  onEpoch: (r) => log(`epoch ${r.epoch + 1} done: train loss ${r.trainLoss.toFixed(3)} val loss ${r.valLoss?.toFixed(3)} ppl ${r.valPerplexity?.toFixed(2)} val BLEU (mean of single and triples) ${r.valBleu?.toFixed(2)} (${r.seconds.toFixed(0)} s)`),
  onBest: async (r) => {
    translator.artifacts.meta = {
      ...translator.artifacts.meta, split: `by English sentence, seed ${seed}: test ${sources.test}, val ${sources.val}, train ${sources.train} sources`,
      continued: `from ${args['init'] ?? 'model'} on the training split + ${concat.length} concatenations of 2-3 pairs; epoch ${r.epoch + 1}, lr ${r.learningRate}; chosen on validation (mean greedy BLEU single/three-at-a-time ${r.valBleu?.toFixed(2)})`,
    };
    await translator.save(out);
    log(`saved best model (epoch ${r.epoch + 1}, val ${r.valBleu?.toFixed(2)}) to ${out}`);
  },
});
log(`stopped after ${res.steps} steps (early: ${res.stoppedEarly})`);
if (args['snapshots']) {
  const dir = join(resolve(args['snapshots']), `e${epochs}`);
  await translator.save(dir);
  log(`saved the weights after epoch ${epochs} to ${dir}`);
}
