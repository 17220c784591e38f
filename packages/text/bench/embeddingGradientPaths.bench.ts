// Embedding training step, vocab 10,000 x dim 128, ids [32, 64], on wasm: the fused-kernel gradient
// (@rnnkit/core fusedEmbeddingLookup: rows touched only + one dense zero fill) against the tf.scatterND
// fallback, both with and without an Adam update, interleaved.
// Run (packages/text): npx tsx bench/embeddingGradientPaths.bench.ts [wasm|cpu] [reps]
// (@rnnkit/core resolves to its build: build core first to measure unbuilt changes.)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setKernelMode } from '@rnnkit/core';
import { embeddingLookup } from '../src/embeddings/lookup';

const VOCAB = 10_000;
const DIM = 128;
const [B, T] = [32, 64];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  await tf.setBackend(process.argv[2] ?? 'wasm');
  await tf.ready();
  const table = tf.variable(tf.randomUniform([VOCAB, DIM], -0.05, 0.05, 'float32', 1));
  const ids = tf.randomUniform([B, T], 0, VOCAB, 'int32', 2);
  const w = tf.randomNormal([B, T, DIM], 0, 1, 'float32', 3);
  const loss = () => tf.sum(tf.mul(embeddingLookup(table, ids), w)) as tf.Scalar;
  const modes = ['composite', 'auto'] as const;
  const adams = { composite: tf.train.adam(1e-3), auto: tf.train.adam(1e-3) };
  const gradMs = { composite: [] as number[], auto: [] as number[] };
  const stepMs = { composite: [] as number[], auto: [] as number[] };
  const REPS = Number(process.argv[3] ?? '15');
  // Interleaved, so both paths see the same machine load; the first two rounds are warm-up.
  for (let r = 0; r < REPS + 2; r++) {
    for (const mode of modes) {
      setKernelMode(mode);
      let t0 = performance.now();
      const { value, grads } = tf.variableGrads(loss, [table]);
      (grads[table.name] as tf.Tensor).dataSync();
      tf.dispose([value, ...Object.values(grads)]);
      const g = performance.now() - t0;
      t0 = performance.now();
      const v = adams[mode].minimize(loss, true, [table]);
      v?.dataSync();
      v?.dispose();
      if (r >= 2) {
        gradMs[mode].push(g);
        stepMs[mode].push(performance.now() - t0);
      }
    }
  }
  const rows = modes.map((m) => `| ${m === 'auto' ? 'fused (rows touched)' : 'scatterND fallback'} | ${median(gradMs[m]).toFixed(1)} | ${median(stepMs[m]).toFixed(1)} |`);
  const results = { composite: median(gradMs.composite), auto: median(gradMs.auto) };
  console.log(`Embedding(${VOCAB}, ${DIM}), ids [${B}, ${T}], backend ${tf.getBackend()}`);
  console.log('| gradient path | forward + gradient ms/step | + Adam ms/step |\n|---|---:|---:|');
  console.log(rows.join('\n'));
  console.log(`gradient speed-up: ${((results.composite as number) / (results.auto as number)).toFixed(1)}x`);
}

void main();
