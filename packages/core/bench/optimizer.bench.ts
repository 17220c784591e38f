// Benchmark (run on demand, not a test): one optimizer update of a recurrent model's weights, tf.train.adam
// against core's adam() (the same numbers, bit for bit; its update in the kernels) and LazyAdam, alternated
// in one run on the wasm backend as initBackend() sets it up.
//
//   npx tsx --conditions=@rnnkit/source bench/optimizer.bench.ts [--rounds=5] [--hidden=128,512] [--backend=cpu] [--updates=20]
//
// The variables: an LSTM layer (kernel [128, 4H], recurrent kernel [H, 4H], bias [4H]) and a Dense(1) on
// it, the variables of bench/trainingStep.ts's model, with fixed random gradients; and an embedding table
// [10000, 128] with the row-sparse gradient of a lookup of 32 x 64 ids (LazyAdam updates those rows only).
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { adam, initBackend, LazyAdam } from '../src/index';
import { fusedEmbeddingLookup } from '../src/kernels/embedding';
import { threadsEnabled } from '../src/kernels/threads';
import { arg } from './benchUtil';

const ROUNDS = Number(arg('rounds', '5'));
const HIDDEN = arg('hidden', '128,512').split(',').map(Number);
const UPDATES = Number(arg('updates', '20'));
const BACKEND = arg('backend', 'wasm');

const OPTIMIZERS: Array<[string, () => tf.Optimizer]> = [
  ['tf.train.adam', () => tf.train.adam(1e-3)],
  ["core's adam()", () => adam(1e-3)],
  ['LazyAdam', () => new LazyAdam({ learningRate: 1e-3 })],
];

async function main(): Promise<void> {
  const backend = await initBackend(BACKEND as 'wasm' | 'cpu');
  console.log(`backend ${backend}, ${threadsEnabled() ? 2 : 1} thread(s), ${UPDATES} updates per timing, median of ${ROUNDS} rounds`);
  console.log(`| variables | parameters | ${OPTIMIZERS.map((o) => `${o[0]} ms`).join(' | ')} | tf.train.adam / core's adam() |`);
  console.log(`|---:|---:|${OPTIMIZERS.map(() => '---:').join('|')}|---:|`);
  const cases: Array<{ label: string; shapes: number[][]; table?: boolean }> = [
    ...HIDDEN.map((H) => ({ label: `LSTM H=${H} + Dense`, shapes: [[128, 4 * H], [H, 4 * H], [4 * H], [H, 1], [1]] })),
    { label: 'table [10000, 128], 32 x 64 ids', shapes: [[10000, 128]], table: true },
  ];
  for (const c of cases) {
    const ids = tf.randomUniform([32 * 64], 0, 10000, 'int32', 3);
    const r = tf.randomNormal([32 * 64, 128], 0, 1, 'float32', 4);
    const runs = OPTIMIZERS.map(([name, make], k) => {
      const vars = c.shapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 0.1, 'float32', i), true, `opt_${c.label}_${k}_${i}`));
      let grads: tf.NamedTensorMap = {};
      if (c.table) {
        const table = vars[0] as tf.Variable;
        const res = tf.variableGrads(() => tf.sum(tf.mul(fusedEmbeddingLookup(table, ids), r)) as tf.Scalar, [table]);
        res.value.dispose();
        grads = res.grads;
      } else {
        vars.forEach((v, i) => (grads[v.name] = tf.randomNormal(v.shape, 0, 1, 'float32', 10 + i)));
      }
      return { name, opt: make(), vars, grads, ms: [] as number[] };
    });
    for (const run of runs) for (let i = 0; i < 3; i++) run.opt.applyGradients(run.grads); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const run of round % 2 ? [...runs].reverse() : runs) {
        const t0 = performance.now();
        for (let i = 0; i < UPDATES; i++) run.opt.applyGradients(run.grads);
        run.ms.push((performance.now() - t0) / UPDATES);
      }
    }
    const med = runs.map((run) => [...run.ms].sort((a, b) => a - b)[run.ms.length >> 1] as number);
    const params = c.shapes.reduce((a, s) => a + s.reduce((p, q) => p * q, 1), 0);
    console.log(`| ${c.label} | ${params} | ${med.map((m) => m.toFixed(2)).join(' | ')} | ${((med[0] as number) / (med[1] as number)).toFixed(2)}x |`);
    for (const run of runs) {
      tf.dispose([...run.vars, ...Object.values(run.grads)]);
      run.opt.dispose();
    }
    tf.dispose([ids, r]);
  }
}

void main();
