// Benchmark: rnnkit's SimpleRNN / LSTM / GRU layers against tf.layers on the same backend, same run.
//
//   npx tsx bench/layers.bench.ts            # cpu and wasm, ~4-5 minutes
//   npx tsx bench/layers.bench.ts --quick    # ~1 minute: fewer repetitions; on cpu only LSTM, inference batch 32
//   npx tsx bench/layers.bench.ts --backends=wasm --cells=LSTM
//   npx tsx bench/layers.bench.ts --threads=2   # rnnkit's kernels on two threads (=1: one; default: the library's default)
//
// Measures, for each backend and cell:
//   train   samples/s: one Adam step (model.trainOnBatch) of inputs already embedded, [32, 64, 128] floats
//           -> RNN(128) -> Dense(1, sigmoid). (Embedding's gradient throws on wasm and takes minutes per
//           step on cpu with a 10,000-word vocabulary, for tf.layers and rnnkit alike, so it is left out.)
//   infer   samples/s: model.predict of Embedding(10000, 128) -> RNN(128) -> Dense(1), batch 256 x 64 tokens.
//   latency ms: the same model on one sentence of 20 tokens (median).
// tf.layers gets Keras's sigmoid recurrent activation; both use glorotUniform recurrent kernels (the
// orthogonal initializer is slow to build and does not change the speed). tf.layers.gru throws for
// resetAfter: true, so its GRU row is tf's default (resetAfter false) against rnnkit with resetAfter
// true (rnnkit's and Keras's default) and false (the same math as tf's).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadavg } from 'node:os';
import { layers } from '../src/index';
import { disableThreads, enableThreads, threadsEnabled, threadsWanted } from '../src/kernels/threads';

const VOCAB = 10000;
const EMBED = 128;
const UNITS = 128;
const TRAIN_BATCH = 32;
const SEQ = 64;
const LATENCY_LEN = 20;

interface Options {
  quick: boolean;
  threads: number | null;
  backends: string[];
  cells: string[];
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    quick: argv.includes('--quick'),
    threads: get('threads') === undefined ? null : Number(get('threads')),
    backends: (get('backends') ?? 'cpu,wasm').split(','),
    cells: (get('cells') ?? 'SimpleRNN,LSTM,GRU').split(','),
  };
}

type MakeRnn = (returnSequences: boolean) => tf.layers.Layer;

/** One comparison row: a tf.layers RNN and an rnnkit RNN of the same size. */
interface Pair {
  cell: string;
  tfLabel: string;
  rnnkitLabel: string;
  tfRnn: MakeRnn;
  rnnkitRnn: MakeRnn;
}

const common = { units: UNITS, recurrentInitializer: 'glorotUniform' } as const;
const PAIRS: Pair[] = [
  {
    cell: 'SimpleRNN', tfLabel: 'simpleRNN', rnnkitLabel: 'simpleRNN',
    tfRnn: () => tf.layers.simpleRNN({ ...common }), rnnkitRnn: () => layers.simpleRNN({ ...common }),
  },
  {
    cell: 'LSTM', tfLabel: 'lstm', rnnkitLabel: 'lstm',
    tfRnn: () => tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' }), rnnkitRnn: () => layers.lstm({ ...common }),
  },
  {
    cell: 'GRU', tfLabel: 'gru (resetAfter false)', rnnkitLabel: 'gru resetAfter true',
    tfRnn: () => tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' }), rnnkitRnn: () => layers.gru({ ...common }),
  },
  {
    cell: 'GRU', tfLabel: 'gru (resetAfter false)', rnnkitLabel: 'gru resetAfter false',
    tfRnn: () => tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' }), rnnkitRnn: () => layers.gru({ ...common, resetAfter: false }),
  },
];

/** Runs `fn` once to warm up, then repeatedly until `minReps` runs and `budgetMs` have passed (at most `maxReps`). Returns ms per run (median). */
async function timeIt(fn: () => Promise<void>, opts: { minReps: number; maxReps: number; budgetMs: number; warmup?: () => Promise<void> }): Promise<number> {
  await (opts.warmup ?? fn)();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < opts.maxReps && (times.length < opts.minReps || performance.now() - start < opts.budgetMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function trainModel(rnn: tf.layers.Layer): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [SEQ, EMBED] }), rnn, tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

function inferModel(rnn: tf.layers.Layer): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.embedding({ inputDim: VOCAB, outputDim: EMBED, inputShape: [null] }), rnn, tf.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
}

interface Measured {
  train: number; // samples/s
  infer: number; // samples/s
  latency: number; // ms
}

/** The inference batch: 256, except with --quick on the slow cpu backend (32). */
function inferBatchFor(backend: string, opts: Options): number {
  return opts.quick && backend === 'cpu' ? 32 : 256;
}

async function measure(make: MakeRnn, backend: string, opts: Options): Promise<Measured> {
  const { quick } = opts;
  const slow = backend === 'cpu';
  const inferBatch = inferBatchFor(backend, opts);
  const budget = quick ? 300 : slow ? 4000 : 3000;
  // Training: a pre-embedded batch, Adam.
  const tm = trainModel(make(false));
  const x = tf.randomNormal([TRAIN_BATCH, SEQ, EMBED], 0, 1, 'float32', 1); // [32, 64, 128]
  const y = tf.cast(tf.greater(tf.randomUniform([TRAIN_BATCH, 1], 0, 1, 'float32', 2), 0.5), 'float32'); // [32, 1]
  const trainMs = await timeIt(async () => void (await tm.trainOnBatch(x, y)), { minReps: quick || slow ? 1 : 2, maxReps: 20, budgetMs: budget });
  tm.optimizer.dispose();
  tm.dispose();
  tf.dispose([x, y]);
  // Inference: token ids through Embedding, batch 256 x 64, and one sentence of 20 tokens.
  const im = inferModel(make(false));
  const ids = tf.randomUniform([inferBatch, SEQ], 1, VOCAB, 'int32', 3); // [batch, 64]
  const small = tf.randomUniform([8, SEQ], 1, VOCAB, 'int32', 4); // warm-up batch
  const one = tf.randomUniform([1, LATENCY_LEN], 1, VOCAB, 'int32', 5); // [1, 20]
  const predict = (t: tf.Tensor) => async () => {
    const out = im.predict(t) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  const inferMs = await timeIt(predict(ids), { minReps: 1, maxReps: 10, budgetMs: budget, warmup: predict(small) });
  const latency = await timeIt(predict(one), { minReps: 3, maxReps: quick ? 10 : 30, budgetMs: budget / 2 });
  im.dispose();
  tf.dispose([ids, small, one]);
  return { train: (TRAIN_BATCH * 1000) / trainMs, infer: (inferBatch * 1000) / inferMs, latency };
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const rows: string[] = [];
  // no --threads: what initBackend() would choose (two threads where two CPUs are available)
  if ((opts.threads ?? (threadsWanted() ? 2 : 1)) === 2 && !enableThreads() && opts.threads === 2) throw new Error('--threads=2: two threads are unavailable here');
  if (opts.threads === 1) disableThreads();
  console.log(`rnnkit vs tf.layers, @tensorflow/tfjs ${tf.version.tfjs}, Node ${process.version}${opts.quick ? ' (--quick)' : ''}, ` +
    `rnnkit kernels on ${threadsEnabled() ? 2 : 1} thread(s), load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  for (const backend of opts.backends) {
    await tf.setBackend(backend);
    await tf.ready();
    const cache = new Map<MakeRnn | string, Measured>();
    const cells = opts.quick && backend === 'cpu' ? opts.cells.filter((c) => c === 'LSTM') : opts.cells;
    for (const pair of PAIRS.filter((p) => cells.includes(p.cell))) {
      // The tf.layers GRU is measured once for both rnnkit GRU rows.
      const tfKey = `${pair.cell}:${pair.tfLabel}`;
      const tfm = cache.get(tfKey) ?? (await measure(pair.tfRnn, backend, opts));
      cache.set(tfKey, tfm);
      const rk = await measure(pair.rnnkitRnn, backend, opts);
      const inferBatch = inferBatchFor(backend, opts);
      const row = `| ${backend} | ${pair.cell} | tf ${pair.tfLabel} vs rnnkit ${pair.rnnkitLabel} | ${fmt(tfm.train)} | ${fmt(rk.train)} | ${ratio(rk.train, tfm.train)} | ${fmt(tfm.infer)} | ${fmt(rk.infer)} | ${ratio(rk.infer, tfm.infer)}${inferBatch !== 256 ? ` (batch ${inferBatch})` : ''} | ${fmt(tfm.latency)} | ${fmt(rk.latency)} | ${ratio(tfm.latency, rk.latency)} |`;
      rows.push(row);
      console.log(row);
    }
  }
  console.log('\nSamples/s (higher is better) and ms (lower is better); ratios are rnnkit\'s speed-up over tf.layers (>1 = rnnkit faster).');
  console.log('| backend | cell | compared | tf train/s | rnnkit train/s | train ratio | tf infer/s | rnnkit infer/s | infer ratio | tf latency ms | rnnkit latency ms | latency ratio |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  rows.forEach((r) => console.log(r));
  console.log(`\ntotal time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
