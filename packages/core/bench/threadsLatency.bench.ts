// Benchmark (run on demand, not a test): single-sentence latency with one and with two threads, alternated
// in one process. A batch of 1 is never split, so the second thread should cost nothing here; this checks it
// (the two-thread build runs on shared memory, and its worker may be spinning).
//
//   npx tsx --conditions=@rnnkit/source bench/threadsLatency.bench.ts [--cells=lstm,gru,simpleRNN] [--rounds=6]
//
// Model: x [1, 20, 128] -> RNN(128) -> Dense(1), `model.predict` + `dataSync`; median of 200 calls per round.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadavg } from 'node:os';
import { initBackend, layers } from '../src/index';
import { disableThreads, enableThreads } from '../src/kernels/threads';
import { arg } from './benchUtil';

const CELLS = arg('cells', 'lstm,gru,simpleRNN').split(',');
const ROUNDS = Number(arg('rounds', '6'));

function medianCallMs(m: tf.LayersModel, x: tf.Tensor): number {
  const ts: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const y = m.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[100] as number;
}

async function main(): Promise<void> {
  await initBackend({ threads: 1 });
  console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const x = tf.randomUniform([1, 20, 128], -1, 1, 'float32', 1);
  for (const cell of CELLS) {
    const m = tf.sequential();
    m.add(tf.layers.inputLayer({ inputShape: [20, 128] }));
    m.add(cell === 'lstm' ? layers.lstm({ units: 128 }) : cell === 'gru' ? layers.gru({ units: 128 }) : layers.simpleRNN({ units: 128 }));
    m.add(tf.layers.dense({ units: 1 }));
    const ms: Record<'one' | 'two', number[]> = { one: [], two: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of r % 2 ? ['two', 'one'] as const : ['one', 'two'] as const) {
        if (mode === 'two') enableThreads();
        else disableThreads();
        medianCallMs(m, x); // untimed: the settings switch re-packs the weights
        ms[mode].push(medianCallMs(m, x));
      }
    }
    const med = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1] as number;
    console.log(`${cell}: one thread ${ms.one.map((v) => v.toFixed(3)).join(' ')} ms (median ${med(ms.one).toFixed(3)}); ` +
      `two threads ${ms.two.map((v) => v.toFixed(3)).join(' ')} ms (median ${med(ms.two).toFixed(3)})`);
    m.dispose();
  }
  x.dispose();
  disableThreads();
}

void main();
