// Inference benchmark (run on demand), wasm backend, all variants measured round-robin in one run so the
// other jobs on a shared machine slow them alike:
//   npx tsx bench/inference.bench.ts [--cells=LSTM,GRU,SimpleRNN] [--rounds=7] [--plain]
// Models: Embedding(10000, 128) -> RNN(128) -> Dense(1, sigmoid), and the RNN alone on embedded input.
//   tf.layers            tf.layers.embedding -> tf.layers RNN (Keras's sigmoid recurrent activation; GRU resetAfter false)
//   rnnkit, tf embedding tf.layers.embedding -> rnnkit RNN (GRU resetAfter false: the same math as tf.layers)
//   rnnkit               the embedding lookup @rnnkit/text's Embedding uses (core's fusedEmbeddingLookup:
//                        a row copy on cpu / wasm) -> rnnkit RNN
// Figures: samples/s at batch 256 x 64 tokens, ms for one sentence of 20 tokens (median over rounds).
// Default: the kernels users get from initBackend() (relaxed SIMD where the engine has it, Node 20 included;
// two threads where two CPUs are available); --plain: the plain-SIMD build (setRelaxedSimd(false), as
// RNNKIT_RELAXED_SIMD=0 does); RNNKIT_THREADS=1: one thread.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, layers, threadsEnabled } from '../src/index';
import { kernelFlavor, setRelaxedSimd } from '../src/kernels/index';
import { arg, BenchEmbedding, hasFlag } from './benchUtil';

if (hasFlag('plain')) setRelaxedSimd(false);
const CELLS = arg('cells', 'LSTM,GRU,SimpleRNN').split(',');
const ROUNDS = Number(arg('rounds', '7'));
const [VOCAB, EMBED, UNITS, SEQ, BATCH, LATENCY_LEN] = [10000, 128, 128, 64, 256, 20];

type Variant = 'tf.layers' | 'rnnkit, tf embedding' | 'rnnkit';
const VARIANTS: Variant[] = ['tf.layers', 'rnnkit, tf embedding', 'rnnkit'];

function rnn(cell: string, v: Variant): tf.layers.Layer {
  const common = { units: UNITS, recurrentInitializer: 'glorotUniform' } as const;
  if (v === 'tf.layers') {
    if (cell === 'LSTM') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
    if (cell === 'GRU') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
    return tf.layers.simpleRNN(common);
  }
  if (cell === 'LSTM') return layers.lstm(common);
  if (cell === 'GRU') return layers.gru({ ...common, resetAfter: false });
  return layers.simpleRNN(common);
}

function model(cell: string, v: Variant, embedded: boolean): tf.LayersModel {
  const first = !embedded ? tf.layers.inputLayer({ inputShape: [null, EMBED] })
    : v === 'rnnkit' ? new BenchEmbedding(true, VOCAB, EMBED) : tf.layers.embedding({ inputDim: VOCAB, outputDim: EMBED, inputShape: [null] });
  return tf.sequential({ layers: [first, rnn(cell, v), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function timeOnce(m: tf.LayersModel, x: tf.Tensor, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const y = m.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
  }
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  await initBackend('wasm');
  console.log(`node ${process.version}, tfjs ${tf.version.tfjs}, kernels ${kernelFlavor()}, ${threadsEnabled() ? 2 : 1} thread(s), ${new Date().toISOString()}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const ids = tf.randomUniform([BATCH, SEQ], 1, VOCAB, 'int32', 3);
  const one = tf.randomUniform([1, LATENCY_LEN], 1, VOCAB, 'int32', 5);
  const emb = tf.randomUniform([BATCH, SEQ, EMBED], -0.05, 0.05, 'float32', 6);
  const rows: string[] = [];
  for (const cell of CELLS) {
    const models = VARIANTS.map((v) => model(cell, v, true));
    const bare = [model(cell, 'tf.layers', false), model(cell, 'rnnkit', false)];
    const all = [...models, ...bare];
    models.forEach((m) => timeOnce(m, ids, 2)); // warm-up (and tier-up of the WebAssembly)
    bare.forEach((m) => timeOnce(m, emb, 2));
    const batchMs = models.map(() => [] as number[]);
    const latMs = models.map(() => [] as number[]);
    const bareMs = bare.map(() => [] as number[]);
    for (let r = 0; r < ROUNDS; r++) {
      models.forEach((m, i) => {
        (batchMs[i] as number[]).push(timeOnce(m, ids, 1));
        (latMs[i] as number[]).push(timeOnce(m, one, 20));
      });
      bare.forEach((m, i) => (bareMs[i] as number[]).push(timeOnce(m, emb, 1)));
    }
    const sps = batchMs.map((t) => (BATCH * 1000) / median(t));
    const lat = latMs.map(median);
    const bareSps = bareMs.map((t) => (BATCH * 1000) / median(t));
    const [s0, s1, s2] = sps as [number, number, number];
    const [l0, l1, l2] = lat as [number, number, number];
    const [b0, b1] = bareSps as [number, number];
    const row = `| ${cell} | ${s0.toFixed(0)} | ${s1.toFixed(0)} (${(s1 / s0).toFixed(2)}x) | ${s2.toFixed(0)} (${(s2 / s0).toFixed(2)}x) | ` +
      `${b0.toFixed(0)} | ${b1.toFixed(0)} (${(b1 / b0).toFixed(2)}x) | ${l0.toFixed(3)} | ${l1.toFixed(3)} (${(l0 / l1).toFixed(2)}x) | ${l2.toFixed(3)} (${(l0 / l2).toFixed(2)}x) |`;
    console.log(row);
    rows.push(row);
    all.forEach((m) => m.dispose());
  }
  console.log('\nInference on wasm, RNN(128) -> Dense(1); ratios against tf.layers, same run (latency: tf.layers ms / rnnkit ms)');
  console.log('| cell | tf.layers samples/s | rnnkit, tf embedding | rnnkit | tf.layers RNN only (embedded input) | rnnkit RNN only | tf.layers latency ms | rnnkit, tf embedding | rnnkit |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  rows.forEach((r) => console.log(r));
  console.log(`load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  tf.dispose([ids, one, emb]);
}

void main();
