// Benchmark: the layers' default (fused) path against their composite path and tf.layers, same run.
//
//   npx tsx bench/fusedLayers.bench.ts                 # LSTM, GRU, SimpleRNN (~5-10 minutes)
//   npx tsx bench/fusedLayers.bench.ts --cells=LSTM --reps=3 --tfcpu=0     # tfcpu: cells for the slow cpu row (default LSTM)
//
// Rows per cell (RNN(128), Dense(1, sigmoid), Adam, binary cross-entropy):
//   train  samples/s, model.trainOnBatch, batch 32 x 64 tokens:
//     - Embedding(10000, 128) -> RNN: rnnkit default (fused RNN + row-sparse embedding gradient) and
//       rnnkit composite on wasm; tf.layers on cpu (its Embedding gradient throws on wasm);
//     - [32, 64, 128] floats -> RNN (no Embedding): the three on wasm (a same-backend ratio).
//   infer  samples/s, model.predict of the Embedding model, batch 256 x 64 tokens, wasm.
//   latency ms, one sentence of 20 tokens, median, wasm.
// tf.layers gets Keras's sigmoid recurrent activation; all use glorotUniform recurrent kernels (the
// orthogonal initializer is slow to build and does not change the speed). tf.layers.gru cannot run
// resetAfter: true (Keras's default, rnnkit's default), so its GRU is resetAfter false.
// The embedding layer here is a minimal one over core's kernels (the same gradient as @rnnkit/text's
// Embedding), `BenchEmbedding` in benchUtil.ts: `fusedEmbeddingLookup` (fused) or gather + scatterND (composite).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layers } from '../src/index';
import { setKernelMode } from '../src/kernels/index';
import { arg, BenchEmbedding } from './benchUtil';

const VOCAB = 10000;
const EMBED = 128;
const UNITS = 128;
const BATCH = 32;
const SEQ = 64;
const INFER_BATCH = 256;
const LATENCY_LEN = 20;

const CELLS = arg('cells', 'LSTM,GRU,SimpleRNN').split(',');
const REPS = Number(arg('reps', '5'));
/** tf.layers on cpu with the Embedding: minutes per step (its gradient is linear in the vocabulary per token), so one timed step without warm-up, for these cells only. */
const TF_CPU_CELLS = arg('tfcpu', 'LSTM').split(',').filter((c) => c !== '' && c !== '0');

type Impl = 'fused' | 'composite' | 'tf.layers';

function rnnLayer(cell: string, impl: Impl): tf.layers.Layer {
  const common = { units: UNITS, recurrentInitializer: 'glorotUniform' } as const;
  if (impl === 'tf.layers') {
    if (cell === 'LSTM') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
    if (cell === 'GRU') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
    return tf.layers.simpleRNN(common);
  }
  if (cell === 'LSTM') return layers.lstm(common);
  if (cell === 'GRU') return layers.gru(common);
  return layers.simpleRNN(common);
}

function makeModel(cell: string, impl: Impl, embedded: boolean): tf.LayersModel {
  const model = tf.sequential();
  if (embedded) {
    model.add(impl === 'tf.layers' ? tf.layers.embedding({ inputDim: VOCAB, outputDim: EMBED, inputShape: [null] }) : new BenchEmbedding(impl === 'fused', VOCAB, EMBED));
  } else {
    model.add(tf.layers.inputLayer({ inputShape: [SEQ, EMBED] }));
  }
  model.add(rnnLayer(cell, impl));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

async function use(backend: string, impl: Impl): Promise<void> {
  await tf.setBackend(backend);
  await tf.ready();
  setKernelMode(impl === 'composite' ? 'composite' : 'auto');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** ms per call: one warm-up (unless `reps` is 0: one cold call), then `reps` timed calls (median). */
async function timeMs(fn: () => Promise<void>, reps: number): Promise<number> {
  if (reps === 0) {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  }
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function trainRate(cell: string, impl: Impl, backend: string, embedded: boolean, reps: number): Promise<number> {
  await use(backend, impl);
  const model = makeModel(cell, impl, embedded);
  const x = embedded ? tf.randomUniform([BATCH, SEQ], 1, VOCAB, 'int32', 1) : tf.randomNormal([BATCH, SEQ, EMBED], 0, 1, 'float32', 1);
  const y = tf.cast(tf.greater(tf.randomUniform([BATCH, 1], 0, 1, 'float32', 2), 0.5), 'float32');
  const ms = await timeMs(async () => {
    await model.trainOnBatch(x, y);
  }, reps);
  tf.dispose([x, y]);
  model.dispose();
  return (BATCH * 1000) / ms;
}

async function inferRates(cell: string, impl: Impl, reps: number): Promise<{ samples: number; latency: number }> {
  await use('wasm', impl);
  const model = makeModel(cell, impl, true);
  const big = tf.randomUniform([INFER_BATCH, SEQ], 1, VOCAB, 'int32', 3);
  const one = tf.randomUniform([1, LATENCY_LEN], 1, VOCAB, 'int32', 4);
  const run = (x: tf.Tensor) => async () => {
    const p = model.predict(x, { batchSize: INFER_BATCH }) as tf.Tensor;
    await p.data();
    p.dispose();
  };
  const bigMs = await timeMs(run(big), Math.max(2, Math.ceil(reps / 2)));
  const latency = await timeMs(run(one), reps * 4);
  tf.dispose([big, one]);
  model.dispose();
  return { samples: (INFER_BATCH * 1000) / bigMs, latency };
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function main(): Promise<void> {
  console.log(`fused vs composite vs tf.layers, ${new Date().toISOString()}, ${REPS} reps (median)`);
  const lines: string[] = [];
  for (const cell of CELLS) {
    const f = await trainRate(cell, 'fused', 'wasm', true, REPS);
    const c = await trainRate(cell, 'composite', 'wasm', true, Math.max(2, Math.ceil(REPS / 2)));
    const t = TF_CPU_CELLS.includes(cell) ? await trainRate(cell, 'tf.layers', 'cpu', true, 0) : NaN;
    const ff = await trainRate(cell, 'fused', 'wasm', false, REPS);
    const cf = await trainRate(cell, 'composite', 'wasm', false, Math.max(2, Math.ceil(REPS / 2)));
    const tf_ = await trainRate(cell, 'tf.layers', 'wasm', false, Math.max(2, Math.ceil(REPS / 2)));
    const fi = await inferRates(cell, 'fused', REPS);
    const ci = await inferRates(cell, 'composite', REPS);
    const ti = await inferRates(cell, 'tf.layers', REPS);
    lines.push(
      `| ${cell} | train, Embedding, batch 32x64 (samples/s) | ${fmt(f)} | ${fmt(c)} | ${fmt(t)} (cpu) | ${fmt(f / c)}x | ${fmt(f / t)}x |`,
      `| ${cell} | train, [32,64,128] floats, wasm (samples/s) | ${fmt(ff)} | ${fmt(cf)} | ${fmt(tf_)} | ${fmt(ff / cf)}x | ${fmt(ff / tf_)}x |`,
      `| ${cell} | infer, batch 256, wasm (samples/s) | ${fmt(fi.samples)} | ${fmt(ci.samples)} | ${fmt(ti.samples)} | ${fmt(fi.samples / ci.samples)}x | ${fmt(fi.samples / ti.samples)}x |`,
      `| ${cell} | latency, 20 tokens, wasm (ms, lower is better) | ${fmt(fi.latency)} | ${fmt(ci.latency)} | ${fmt(ti.latency)} | ${fmt(ci.latency / fi.latency)}x | ${fmt(ti.latency / fi.latency)}x |`,
    );
    console.log(lines.slice(-4).join('\n'));
  }
  console.log('\n| cell | measure | rnnkit default (fused) | rnnkit composite | tf.layers | fused / composite | fused / tf.layers |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  console.log(lines.join('\n'));
}

void main();
