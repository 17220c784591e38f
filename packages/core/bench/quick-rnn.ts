// Quick speed sanity check (not the real benchmark): forward + backward of one recurrent layer on
// (batch 32, 64 steps, 128 features, 128 units), rnnkit vs tf.layers, same backend, same run.
// Usage: npx tsx bench/quick-rnn.ts [cpu|wasm ...] [LSTM|GRU|SimpleRNN ...] [--infer (forward only)]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layers } from '../src/index';

const [B, T, D, U] = [32, 64, 128, 128];
const common = { units: U, recurrentInitializer: 'glorotUniform', returnSequences: false } as const;

type Make = () => tf.layers.Layer;
const pairs: [string, Make, Make][] = [
  ['LSTM', () => layers.lstm({ ...common }), () => tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' })],
  ['GRU (resetAfter=false)', () => layers.gru({ ...common, resetAfter: false }), () => tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' })],
  ['GRU (rnnkit default resetAfter=true)', () => layers.gru({ ...common }), () => tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' })],
  ['SimpleRNN', () => layers.simpleRNN({ ...common }), () => tf.layers.simpleRNN({ ...common })],
];

const INFER = process.argv.includes('--infer');

function stepRunner(layer: tf.layers.Layer, x: tf.Tensor): () => number {
  tf.dispose(layer.apply(x) as tf.Tensor); // build
  if (INFER) {
    return () => {
      const t0 = performance.now();
      const y = layer.apply(x) as tf.Tensor;
      y.dataSync();
      y.dispose();
      return performance.now() - t0;
    };
  }
  return () => {
    const t0 = performance.now();
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    const all = [value, ...Object.values(grads)];
    all.forEach((t) => t.dataSync());
    tf.dispose(all);
    return performance.now() - t0;
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

/** Alternates the two layers rep by rep (the machine is shared and noisy) and returns the medians. */
function timePair(a: tf.layers.Layer, b: tf.layers.Layer, x: tf.Tensor, reps: number): [number, number] {
  const ra = stepRunner(a, x);
  const rb = stepRunner(b, x);
  ra();
  rb(); // warm-up
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < reps; i++) {
    ta.push(ra());
    tb.push(rb());
  }
  return [median(ta), median(tb)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--infer');
  const only = args.filter((a) => !['cpu', 'wasm'].includes(a));
  const backends = args.filter((a) => ['cpu', 'wasm'].includes(a));
  if (!backends.length) backends.push('wasm', 'cpu');
  for (const backend of backends) {
    await tf.setBackend(backend);
    await tf.ready();
    const reps = backend === 'cpu' ? 3 : 7;
    const x = tf.randomNormal([B, T, D]);
    for (const [name, mine, stock] of pairs.filter(([n]) => !only.length || only.some((o) => n.startsWith(o)))) {
      const a = mine();
      const b = stock();
      const [tMine, tStock] = timePair(a, b, x, reps);
      console.log(`${backend.padEnd(5)} ${INFER ? 'infer' : 'train'} ${name.padEnd(38)} rnnkit ${tMine.toFixed(0).padStart(6)} ms  tf.layers ${tStock.toFixed(0).padStart(6)} ms  speed-up x${(tStock / tMine).toFixed(2)}`);
      a.dispose();
      b.dispose();
    }
    x.dispose();
  }
}

void main();
