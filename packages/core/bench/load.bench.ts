// Model loading benchmark (run on demand): saves a ~2.3M-parameter model and times loadLayersModel.
//   npx tsx bench/load.bench.ts [--backend=cpu|wasm] [--reps=5]
// Model: Embedding(10000, 128) -> LSTM(256, returnSequences) -> LSTM(256) -> Dense(1), rnnkit's layers
// with Keras's defaults (glorotUniform kernels, orthogonal recurrent kernels [256, 1024]).
// Prints the median load time, and the time to build the same model from its config with the
// initializers run (what loading cost when every initializer ran before the weights were overwritten).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layers, loadLayersModel, saveLayersModel } from '../src/index';
import { ioCustomObjects, withClasses } from '../src/io/customObjects';
import { arg } from './benchUtil';

const BACKEND = arg('backend', 'wasm');
const REPS = Number(arg('reps', '5'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  await tf.setBackend(BACKEND);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 10000, outputDim: 128, inputShape: [null] }),
      layers.lstm({ units: 256, returnSequences: true }),
      layers.lstm({ units: 256 }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  const params = model.countParams();
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-load-'));
  await saveLayersModel(model, dir);
  const x = tf.randomUniform([2, 7], 1, 10000, 'int32', 1);
  const want = (model.predict(x) as tf.Tensor).dataSync();
  const loadMs: number[] = [];
  const buildMs: number[] = [];
  let identical = true;
  for (let r = 0; r < REPS; r++) {
    let t0 = performance.now();
    const loaded = await loadLayersModel(dir);
    loadMs.push(performance.now() - t0);
    const got = (loaded.predict(x) as tf.Tensor).dataSync();
    identical &&= got.every((v, i) => v === want[i]);
    loaded.dispose();
    // the same model built from its config with every initializer run (no weights loaded)
    t0 = performance.now();
    const built = await withClasses(ioCustomObjects(), () => tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never));
    buildMs.push(performance.now() - t0);
    built.dispose();
  }
  console.log(`${BACKEND}, ${params.toLocaleString('en-US')} parameters, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`loadLayersModel: ${median(loadMs).toFixed(0)} ms (median of ${REPS}); outputs identical to the saved model: ${identical}`);
  console.log(`building the model with its initializers run: ${median(buildMs).toFixed(0)} ms`);
  tf.dispose(x);
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
}

void main();
