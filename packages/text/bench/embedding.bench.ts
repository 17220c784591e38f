// Embedding training step, vocab 10,000 x dim 128, ids [32, 64], on wasm: the fused-kernel gradient
// (@rnnkit/core embeddingLookup: rows touched only + one dense zero fill) against the tf.scatterND
// fallback, both with and without an Adam update. Run: npx tsx bench/embedding.bench.ts (packages/text)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setKernelMode } from '@rnnkit/core';
import { embeddingLookup } from '../src/embeddings/lookup';

const VOCAB = 10_000;
const DIM = 128;
const [B, T] = [32, 64];

function timeIt(fn: () => void, reps: number): number {
  fn();
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  await tf.setBackend(process.argv[2] ?? 'wasm');
  await tf.ready();
  const table = tf.variable(tf.randomUniform([VOCAB, DIM], -0.05, 0.05, 'float32', 1));
  const ids = tf.randomUniform([B, T], 0, VOCAB, 'int32', 2);
  const w = tf.randomNormal([B, T, DIM], 0, 1, 'float32', 3);
  const loss = () => tf.sum(tf.mul(embeddingLookup(table, ids), w)) as tf.Scalar;
  const rows: string[] = [];
  const results: Record<string, number> = {};
  for (const mode of ['composite', 'auto'] as const) {
    setKernelMode(mode);
    const label = mode === 'auto' ? 'fused (rows touched)' : 'scatterND fallback';
    const grad = timeIt(() => {
      const { value, grads } = tf.variableGrads(loss, [table]);
      (grads[table.name] as tf.Tensor).dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    }, 5);
    const adam = tf.train.adam(1e-3);
    const step = timeIt(() => {
      const v = adam.minimize(loss, true, [table]);
      v?.dataSync();
      v?.dispose();
    }, 5);
    adam.dispose();
    results[mode] = grad;
    rows.push(`| ${label} | ${grad.toFixed(1)} | ${step.toFixed(1)} |`);
  }
  console.log(`Embedding(${VOCAB}, ${DIM}), ids [${B}, ${T}], backend ${tf.getBackend()}`);
  console.log('| gradient path | forward + gradient ms/step | + Adam ms/step |\n|---|---:|---:|');
  console.log(rows.join('\n'));
  console.log(`gradient speed-up: ${((results.composite as number) / (results.auto as number)).toFixed(1)}x`);
}

void main();
