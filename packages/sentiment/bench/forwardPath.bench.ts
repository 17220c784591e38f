// Speed of the sentiment network's forward pass as users reach it (inference: predictBatch and predict;
// training: one forward + backward step of the shipped network's size), for comparing two versions of the
// forward path in alternated runs on the same machine. Not part of `test`.
//   npx tsx --conditions=@rnnkit/source bench/forwardPath.bench.ts [--model DIR] [--dev PATH]
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { SentimentClassifier } from '../src/index';

const here = import.meta.dirname ?? '.';
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(here, '../model') },
    dev: { type: 'string', default: resolve(here, '../../../../shared/data/sst2/stsa.binary.dev') },
  },
});

/** Median of `runs` timings of `fn` (ms), after one warm-up call. */
function median(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)] as number;
}

async function main(): Promise<void> {
  await initBackend();
  const clf = await SentimentClassifier.load(values.model as string);
  // The SST-2 dev sentences when ../shared is there; otherwise a fixed synthetic set of the same size.
  const texts = existsSync(values.dev as string)
    ? readFileSync(values.dev as string, 'utf8').split('\n').filter(Boolean).map((l) => l.slice(2))
    : Array.from({ length: 872 }, (_, i) => `the film was ${i % 2 ? 'good' : 'bad'} and the acting ${'was fine '.repeat(1 + (i % 9))}`);
  const batch = median(() => clf.predictBatch(texts), 5);
  const single = median(() => clf.predict('not bad at all, a warm and funny film'), 41);

  // One training step (forward + backward through the whole network), batch 64 x 24 tokens.
  const vars = clf.layersModel.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const ids = tf.tensor2d(Array.from({ length: 64 * 24 }, (_, i) => (i % 24 < 4 + (i % 7) * 3 ? 2 + ((i * 7919) % (clf.vocab.size - 2)) : 0)), [64, 24], 'int32');
  const step = median(() => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.mean(tf.log(tf.add(tf.slice(clf.forward(ids, true), [0, 1], [-1, 1]), 1e-7))) as tf.Scalar, vars);
      Object.values(grads).forEach((g) => g.dataSync());
    });
  }, 11);
  ids.dispose();
  const before = tf.memory().numTensors;
  clf.predictBatch(texts.slice(0, 50));
  const leaked = tf.memory().numTensors - before;
  console.log(JSON.stringify({ backend: tf.getBackend(), sentences: texts.length, predictBatchMs: +batch.toFixed(1), sentencesPerS: +(texts.length / (batch / 1000)).toFixed(0), predictMs: +single.toFixed(2), trainStepMs: +step.toFixed(1), leakedTensors: leaked }));
  clf.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
