// Benchmark (run on demand, not a test): one optimizer update of a recurrent model's weights, tf.train.adam
// against core's adam() (the same numbers, bit for bit; its update in the kernels) and LazyAdam, alternated
// in one run on the wasm backend as initBackend() sets it up.
//
//   npx tsx --conditions=@rnnkit/source bench/optimizer.bench.ts [--rounds=5] [--hidden=128,512]
//
// The variables: an LSTM layer (kernel [128, 4H], recurrent kernel [H, 4H], bias [4H]) and a Dense(1) on
// it, the variables of bench/trainingStep.ts's model; gradients are fixed random tensors.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { adam, initBackend, LazyAdam } from '../src/index';
import { threadsEnabled } from '../src/kernels/threads';
import { arg } from './benchUtil';

const ROUNDS = Number(arg('rounds', '5'));
const HIDDEN = arg('hidden', '128,512').split(',').map(Number);
const UPDATES = 40;

const OPTIMIZERS: Array<[string, () => tf.Optimizer]> = [
  ['tf.train.adam', () => tf.train.adam(1e-3)],
  ["core's adam()", () => adam(1e-3)],
  ['LazyAdam', () => new LazyAdam({ learningRate: 1e-3 })],
];

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`backend ${backend}, ${threadsEnabled() ? 2 : 1} thread(s), ${UPDATES} updates per timing, median of ${ROUNDS} rounds`);
  console.log(`| H | parameters | ${OPTIMIZERS.map((o) => `${o[0]} ms`).join(' | ')} | tf.train.adam / core's adam() |`);
  console.log(`|---:|---:|${OPTIMIZERS.map(() => '---:').join('|')}|---:|`);
  for (const H of HIDDEN) {
    const shapes = [[128, 4 * H], [H, 4 * H], [4 * H], [H, 1], [1]];
    const runs = OPTIMIZERS.map(([name, make], r) => {
      const vars = shapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 0.1, 'float32', i), true, `opt_${H}_${r}_${i}`));
      const grads: tf.NamedTensorMap = {};
      vars.forEach((v, i) => (grads[v.name] = tf.randomNormal(v.shape, 0, 1, 'float32', 10 + i)));
      return { name, opt: make(), vars, grads, ms: [] as number[] };
    });
    for (const r of runs) for (let i = 0; i < 3; i++) r.opt.applyGradients(r.grads); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of round % 2 ? [...runs].reverse() : runs) {
        const t0 = performance.now();
        for (let i = 0; i < UPDATES; i++) r.opt.applyGradients(r.grads);
        r.ms.push((performance.now() - t0) / UPDATES);
      }
    }
    const med = runs.map((r) => [...r.ms].sort((a, b) => a - b)[r.ms.length >> 1] as number);
    const params = shapes.reduce((a, s) => a + s.reduce((p, q) => p * q, 1), 0);
    console.log(`| ${H} | ${params} | ${med.map((m) => m.toFixed(2)).join(' | ')} | ${((med[0] as number) / (med[1] as number)).toFixed(2)}x |`);
    for (const r of runs) {
      tf.dispose([...r.vars, ...Object.values(r.grads)]);
      r.opt.dispose();
    }
  }
}

void main();
