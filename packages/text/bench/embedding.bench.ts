// Run: npx tsx bench/embedding.bench.ts
// One embedding-gradient step (batch 32 x 64 tokens, dim 128): rnnkit's embeddingLookup (tf.scatterND
// gradient) against tf.gather's gradient (UnsortedSegmentSum), same run, on cpu and wasm.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { embeddingLookup } from '../src/index';

const BATCH = 32;
const LEN = 64;
const DIM = 128;

function step(vocab: number, lookup: (t: tf.Tensor, ids: tf.Tensor) => tf.Tensor, n = 3): number {
  const table = tf.variable(tf.randomNormal([vocab, DIM]));
  const ids = tf.randomUniform([BATCH, LEN], 0, vocab, 'int32');
  const w = tf.randomNormal([BATCH, LEN, DIM]);
  const run = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(lookup(t, ids), w)))(table).dataSync());
  if (n > 1) run();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) run();
  const ms = (performance.now() - t0) / n;
  tf.dispose([table, ids, w]);
  return ms;
}

const ours = (t: tf.Tensor, ids: tf.Tensor) => embeddingLookup(t, ids);
const gather = (t: tf.Tensor, ids: tf.Tensor) => tf.reshape(tf.gather(t, tf.reshape(ids, [-1])), [...ids.shape, DIM]);

(async () => {
  console.log('| backend | vocab | rnnkit embeddingLookup ms/step | tf.gather gradient ms/step | ratio |\n|---|---:|---:|---:|---:|');
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    await tf.ready();
    for (const vocab of [1000, 10000]) {
      const a = step(vocab, ours);
      let b = 'not registered (throws)';
      let ratio = 'n/a';
      if (tf.getKernel('UnsortedSegmentSum', backend) && vocab > 1000) {
        b = 'skipped (~10x the 1,000 figure: linear in vocabulary)';
      } else if (tf.getKernel('UnsortedSegmentSum', backend)) {
        const ms = step(vocab, gather, 1); // one step: it takes tens of seconds
        b = ms.toFixed(1);
        b = ms.toFixed(1);
        ratio = `${(ms / a).toFixed(1)}x faster`;
      }
      console.log(`| ${backend} | ${vocab.toLocaleString()} | ${a.toFixed(1)} | ${b} | ${ratio} |`);
    }
  }
})();
