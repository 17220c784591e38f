// rnnkit against a plain tf.layers implementation of the same model (bench/layersPeer.ts), in the same
// run and on the same backend: training target tokens/s, translation sentences/s (greedy and beam 5) and
// the latency of one 10-word sentence. Not part of `test`.
//   npx tsx bench/compare.bench.ts [--quick] [--backend wasm|cpu] [--model DIR] [--rounds R] [--steps N] [--warmup W] [--sentences S]
// Defaults: 200 sentences, 2 rounds, 2 warm-up + 6 training steps (~5 min on wasm on a loaded 2-core machine);
// --quick: 64 sentences, 1 round, 1 + 2 steps (~1 min). The peer is far slower on cpu (minutes per step).
// rnnkit: the shipped model through `Translator` and a fresh model of the same config through
// `trainSeq2Seq`. The peer has random weights: it is given exactly as many decoder steps per batch as the
// trained model took (counted in an untimed pass), so both do the same work. Throughputs are the best of
// R rounds (rnnkit and peer alternate within each round); latencies are medians.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, kernelFlavor, shouldUseFusedKernels, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Seq2Seq, Translator, detokenize, fromUnits, trainSeq2Seq, type ParallelIds, type Stepper } from '../src/index';
import { parseArgs, type Pair } from '../scripts/common';
import { TATOEBA_FRA, tatoebaSplit } from '../scripts/tatoebaSplit';
import { LayersSeq2Seq, type PeerBatch, type PeerEmbedding } from './layersPeer';

const args = parseArgs(process.argv.slice(2));
const quick = args['quick'] === 'true';
const wanted = args['backend'] ?? 'wasm';
const int = (k: string, d: number) => (args[k] !== undefined ? Number.parseInt(args[k] as string, 10) : d);
const slowBackend = wanted === 'cpu';
const ROUNDS = int('rounds', quick ? 1 : 2);
const STEPS = int('steps', quick || slowBackend ? 2 : 6);
const WARMUP = Math.max(1, int('warmup', quick || slowBackend ? 1 : 2));
const N_SENTENCES = int('sentences', quick ? 64 : 200);
const LATENCY_REPS = quick ? 3 : 7;
const BATCH = 64;
const TEN_WORDS = 'I think that we should go to the station tomorrow.';

const relaxed = wanted === 'wasm' && tryEnableRelaxedSimd(); // before any WebAssembly module is compiled
const backend = await initBackend(wanted);
if (backend !== wanted) console.warn(`asked for backend ${wanted}, got ${backend}`);
const load0 = loadavg();
const translator = await Translator.load(args['model'] ?? resolve(import.meta.dirname ?? '.', '../model'));
const cfg = translator.model.getConfig();
const { tgtVocab, tgtBpe } = translator.artifacts;

// ---- data: Tatoeba test sentences when ../shared is there (read at run time), else generated sentences
function generated(n: number): string[] {
  const subj = ['I', 'You', 'Tom', 'We', 'They', 'My father', 'Mary', 'The children'];
  const modal = ['can', 'will', 'should', 'must', "can't", "won't"];
  const verb = ['see the house', 'read this book', 'find my keys', 'go to school', 'eat the apple', 'open the window', 'speak French', 'drive the car', 'play the piano', 'answer the question'];
  const when = ['today', 'tomorrow', 'now', 'at night', 'this week'];
  const all = subj.flatMap((s) => modal.flatMap((m) => verb.flatMap((v) => when.map((w) => `${s} ${m} ${v} ${w}.`))));
  return Array.from({ length: n }, (_, i) => all[(i * 97) % all.length] as string);
}
let dataNote: string;
let sentences: string[];
let trainPairs: Pair[];
if (existsSync(TATOEBA_FRA)) {
  const test = tatoebaSplit(13).test;
  sentences = [...new Set(test.map((p) => p.src))].slice(0, N_SENTENCES);
  const seen = new Set<string>();
  trainPairs = test.filter((p) => {
    const n = translator.encodeSource(p.src).ids.length;
    if (seen.has(p.src) || n < 8 || n > 12) return false;
    seen.add(p.src);
    return true;
  }).slice(0, BATCH);
  dataNote = `Tatoeba fra-eng (own test split, seed 13): ${sentences.length} English sentences; training batch: ${trainPairs.length} pairs with 8-12 source units`;
} else {
  sentences = generated(N_SENTENCES);
  const srcs = generated(BATCH * 30).filter((s, i, a) => a.indexOf(s) === i).slice(0, BATCH);
  trainPairs = translator.translate(srcs, { batchSize: BATCH }).map((t, i) => ({ src: srcs[i] as string, tgt: t.text }));
  dataNote = `../shared not found: ${sentences.length} generated English sentences; training batch: ${BATCH} generated sentences with the model's own translations as targets`;
}
const trainIds: ParallelIds[] = trainPairs.map((p) => ({ src: translator.encodeSource(p.src).ids, tgt: translator.encodeTarget(p.tgt) }));
const peerBatch: PeerBatch = {
  src: trainIds.map((d) => [...d.src]),
  tgtIn: trainIds.map((d) => [tgtVocab.bosId, ...d.tgt]),
  tgtOut: trainIds.map((d) => [...d.tgt, tgtVocab.eosId]),
};
const tokensPerStep = trainIds.reduce((n, d) => n + d.tgt.length + 1, 0);
const srcUnitsPerSentence = sentences.reduce((n, s) => n + translator.encodeSource(s).ids.length, 0) / sentences.length;

// ---- helpers
const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const leaks: Record<'rnnkit' | 'peer', number[]> = { rnnkit: [], peer: [] };
/** Runs `fn`, records the change of tf.memory().numTensors for `who`. */
function tracked<T>(who: 'rnnkit' | 'peer', fn: () => T): T {
  const before = tf.memory().numTensors;
  const r = fn();
  leaks[who].push(tf.memory().numTensors - before);
  return r;
}
async function trackedAsync<T>(who: 'rnnkit' | 'peer', fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const r = await fn();
  leaks[who].push(tf.memory().numTensors - before);
  return r;
}

/** The decoder steps the shipped model takes on each batch of `translate(texts, { beam, batchSize })`. */
function countSteps(texts: string[], beam: number): number[] {
  const model = translator.model;
  const orig = model.stepper;
  const steps: number[] = [];
  model.stepper = (src, mask): Stepper => {
    const s = orig.call(model, src, mask);
    const i = steps.push(0) - 1;
    const step = s.step.bind(s);
    s.step = (tokens) => {
      steps[i] = (steps[i] as number) + 1;
      return step(tokens);
    };
    return s;
  };
  try {
    translator.translate(texts, { beam, batchSize: BATCH });
  } finally {
    delete (model as { stepper?: unknown }).stepper; // back to the prototype's method
  }
  return steps;
}

/** The peer translating `texts` in batches of 64, text in, text out (same BPE and vocabularies). */
function peerTranslate(peer: LayersSeq2Seq, texts: string[], beam: number, steps: number[]): string[] {
  const out: string[] = [];
  for (let i = 0, b = 0; i < texts.length; i += BATCH, b++) {
    const src = texts.slice(i, i + BATCH).map((t) => translator.encodeSource(t).ids);
    const maxLength = 2 * Math.max(...src.map((s) => s.length)) + 10;
    const o = { bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, maxLength, steps: steps[b] as number };
    const hyps = beam > 1 ? peer.beam(src, { ...o, beamSize: beam }) : peer.greedy(src, o);
    for (const h of hyps) out.push(detokenize(fromUnits(h.tokens.map((id) => tgtVocab.token(id)), tgtBpe)));
  }
  return out;
}

// ---- translation
const peerCfg = { srcVocabSize: cfg.srcVocabSize, tgtVocabSize: cfg.tgtVocabSize, embeddingDim: cfg.embeddingDim, hiddenUnits: cfg.hiddenUnits, dropout: cfg.dropout };
const peerInfer = new LayersSeq2Seq({ ...peerCfg, embedding: 'gather', seed: 1 });
console.error(`backend ${backend}; load average ${load0.map((x) => x.toFixed(2)).join(' ')}; ${dataNote}`);
const stepsOf: Record<number, number[]> = {};
const latencySteps: Record<number, number> = {};
for (const beam of [1, 5]) {
  stepsOf[beam] = countSteps(sentences, beam); // also the warm-up of rnnkit
  latencySteps[beam] = countSteps([TEN_WORDS], beam)[0] as number;
  peerTranslate(peerInfer, sentences.slice(0, BATCH), beam, stepsOf[beam] as number[]); // warm-up of the peer
}
const sps: Record<string, number[]> = {};
const rec = (k: string, v: number) => (sps[k] ??= []).push(v);
for (let r = 0; r < ROUNDS; r++) {
  for (const beam of [1, 5]) {
    let t0 = now();
    tracked('rnnkit', () => translator.translate(sentences, { beam, batchSize: BATCH }));
    rec(`rnnkit ${beam}`, sentences.length / ((now() - t0) / 1000));
    t0 = now();
    tracked('peer', () => peerTranslate(peerInfer, sentences, beam, stepsOf[beam] as number[]));
    rec(`peer ${beam}`, sentences.length / ((now() - t0) / 1000));
    console.error(`round ${r + 1} beam ${beam}: rnnkit ${(sps[`rnnkit ${beam}`]?.at(-1) as number).toFixed(1)}, peer ${(sps[`peer ${beam}`]?.at(-1) as number).toFixed(1)} sentences/s`);
  }
}
const lat: Record<string, number[]> = {};
const recLat = (k: string, v: number) => (lat[k] ??= []).push(v);
for (let i = 0; i < LATENCY_REPS; i++) {
  for (const beam of [1, 5]) {
    let t0 = now();
    tracked('rnnkit', () => translator.translate([TEN_WORDS], { beam }));
    recLat(`rnnkit ${beam}`, now() - t0);
    t0 = now();
    tracked('peer', () => peerTranslate(peerInfer, [TEN_WORDS], beam, [latencySteps[beam] as number]));
    recLat(`peer ${beam}`, now() - t0);
  }
}
peerInfer.dispose();

// ---- training: the same 64 pairs as one batch, teacher forcing, Adam, global-norm clipping 5, dropout as configured
const trainTps: Record<'rnnkit' | 'peer', number[]> = { rnnkit: [], peer: [] };
const rnnkitModel = new Seq2Seq({ ...cfg, seed: 7 });
async function rnnkitTraining(): Promise<number> {
  const times: number[] = [];
  await trackedAsync('rnnkit', () => trainSeq2Seq(rnnkitModel, trainIds, {
    epochs: WARMUP + STEPS, maxSteps: WARMUP + STEPS, batchSize: BATCH, learningRate: 2e-3, clipNorm: 5, seed: 1,
    bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, padId: tgtVocab.padId, onProgress: () => times.push(now()),
  }));
  return (STEPS * tokensPerStep) / (((times[WARMUP + STEPS - 1] as number) - (times[WARMUP - 1] as number)) / 1000);
}
let peerEmbedding: PeerEmbedding = 'gather';
let peerTrainNote = 'tf.layers.embedding';
let peerTrain = new LayersSeq2Seq({ ...peerCfg, embedding: peerEmbedding, seed: 2 });
try {
  peerTrain.trainStep(peerBatch);
} catch (e) {
  peerTrainNote = `tf.layers.embedding training throws on ${backend} ("${(e as Error).message}"); measured with the one-hot workaround`;
  peerTrain.dispose();
  peerEmbedding = 'onehot';
  peerTrain = new LayersSeq2Seq({ ...peerCfg, embedding: peerEmbedding, seed: 2 });
}
console.error(`peer training: ${peerTrainNote}`);
// the peer again with its embeddings left out of training: what the rest of the tf.layers model costs
const peerFrozen = new LayersSeq2Seq({ ...peerCfg, embedding: 'frozen', seed: 3 });
const peerSteps = (m: LayersSeq2Seq, n: number) => {
  for (let i = 0; i < n; i++) m.trainStep(peerBatch);
};
peerSteps(peerTrain, WARMUP);
peerSteps(peerFrozen, WARMUP);
const frozenTps: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  trainTps.rnnkit.push(await rnnkitTraining());
  let t0 = now();
  tracked('peer', () => peerSteps(peerTrain, STEPS));
  trainTps.peer.push((STEPS * tokensPerStep) / ((now() - t0) / 1000));
  t0 = now();
  tracked('peer', () => peerSteps(peerFrozen, STEPS));
  frozenTps.push((STEPS * tokensPerStep) / ((now() - t0) / 1000));
  console.error(`round ${r + 1} training: rnnkit ${(trainTps.rnnkit.at(-1) as number).toFixed(0)}, peer ${(trainTps.peer.at(-1) as number).toFixed(0)}, peer with frozen embeddings ${(frozenTps.at(-1) as number).toFixed(0)} target tokens/s`);
}
const params = { rnnkit: rnnkitModel.countParams(), peer: peerTrain.countParams() };
rnnkitModel.dispose();
peerTrain.dispose();
peerFrozen.dispose();

// ---- report
const load1 = loadavg();
const best = (xs: number[] | undefined) => Math.max(...(xs ?? [NaN]));
const f = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const rows: string[] = [];
const row = (what: string, a: number, b: number, higherIsBetter: boolean, d = 0) => {
  rows.push(`| ${what} | ${f(a, d)} | ${f(b, d)} | ${f(a / b, 2)} | **${f(higherIsBetter ? a / b : b / a, 1)}x** |`);
};
row(`training, target tokens/s (batch ${BATCH}, ${f(tokensPerStep / BATCH, 1)} target tokens per sentence; peer: ${peerEmbedding === 'onehot' ? 'one-hot embedding workaround' : 'tf.layers.embedding'})`, best(trainTps.rnnkit), best(trainTps.peer), true);
row('training, same, peer with its embeddings frozen (not trained: the fastest any embedding workaround could be)', best(trainTps.rnnkit), best(frozenTps), true);
row(`translation, greedy, sentences/s (${sentences.length} sentences, batches of ${BATCH})`, best(sps['rnnkit 1']), best(sps['peer 1']), true, 1);
row(`translation, beam 5, sentences/s (${sentences.length} sentences, batches of ${BATCH})`, best(sps['rnnkit 5']), best(sps['peer 5']), true, 1);
row(`latency, one 10-word sentence, greedy (ms, median of ${LATENCY_REPS})`, median(lat['rnnkit 1'] ?? []), median(lat['peer 1'] ?? []), false);
row(`latency, one 10-word sentence, beam 5 (ms, median of ${LATENCY_REPS})`, median(lat['rnnkit 5'] ?? []), median(lat['peer 5'] ?? []), false);
const flat = (xs: number[]) => (xs.every((x) => x === 0) ? `flat (0 over ${xs.length} measured calls)` : `NOT flat: ${xs.join(', ')}`);
console.log(`backend \`${backend}\`${shouldUseFusedKernels() ? `, rnnkit fused kernels ${relaxed ? kernelFlavor() : 'simd'}` : ''}; Node ${process.version}; load average ${load0.map((x) => x.toFixed(1)).join(' / ')} at start, ${load1.map((x) => x.toFixed(1)).join(' / ')} at end (1 / 5 / 15 min)
${quick ? 'quick run: ' : ''}${ROUNDS} round(s), training ${WARMUP} warm-up + ${STEPS} measured steps per round; throughputs are the best round
model: ${JSON.stringify({ embeddingDim: cfg.embeddingDim, hiddenUnits: cfg.hiddenUnits, cell: cfg.cell, attention: cfg.attention, inputFeeding: cfg.inputFeeding, dropout: cfg.dropout, srcVocabSize: cfg.srcVocabSize, tgtVocabSize: cfg.tgtVocabSize })}; parameters rnnkit ${f(params.rnnkit)}, peer ${f(params.peer)}
data: ${dataNote}; ${f(srcUnitsPerSentence, 1)} source units per sentence; decoder steps per batch (from the shipped model, given to the peer): greedy ${stepsOf[1]?.join(', ')}, beam 5 ${stepsOf[5]?.join(', ')}; 10-word sentence ${latencySteps[1]} / ${latencySteps[5]}
peer: tf.layers, random weights, GRUs without resetAfter (tfjs has none); training embedding: ${peerTrainNote}
tf.memory().numTensors: rnnkit ${flat(leaks.rnnkit)}; peer ${flat(leaks.peer)}

| measure | rnnkit | tf.layers peer | rnnkit / peer | rnnkit faster by |
|---|---:|---:|---:|---:|
${rows.join('\n')}`);
