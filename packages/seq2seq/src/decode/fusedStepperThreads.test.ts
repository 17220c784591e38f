// A batch's output projection on the second thread (core's SharedPackedProduct): the same log-probabilities,
// bit for bit, as on one thread, through steps and a reorder that drops rows; a sentence's few rows stay on one.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { SharedPackedProduct, disableThreads, enableThreads, workerJobs } from '@rnnkit/core';
import { Seq2Seq } from '../model';
import { FusedStepper } from './fusedStepper';

const B = 40;
const S = 5;

function run(m: Seq2Seq, rows: number): { logProbs: Float32Array[]; jobs: number } {
  const src = tf.tensor2d(Array.from({ length: rows * S }, (_, i) => 1 + ((i * 7) % 50)), [rows, S], 'int32');
  const mask = tf.ones([rows, S]) as tf.Tensor2D;
  const stepper = new FusedStepper(m.config, m.params, src as tf.Tensor2D, mask);
  tf.dispose([src, mask]);
  const jobs = workerJobs();
  const logProbs: Float32Array[] = [];
  try {
    let n = rows;
    for (let t = 0; t < 3; t++) {
      const out = stepper.step(Int32Array.from({ length: n }, (_, i) => 1 + ((i + t) % 30)));
      logProbs.push(out.logProbs.slice());
      if (t === 1) {
        n = Math.max(1, n - 7);
        stepper.select(Int32Array.from({ length: n }, (_, i) => (i * 3) % rows));
      }
    }
  } finally {
    stepper.dispose();
  }
  return { logProbs, jobs: workerJobs() - jobs };
}

describe('fused decoder step on two threads', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterEach(() => disableThreads());

  it('splits a batch\'s output projection and gives the one-thread log-probabilities bit for bit', () => {
    // 40 rows x 3,000 words x 160 units = 19.2M multiply-adds: above the split's minimum
    const m = new Seq2Seq({ srcVocabSize: 60, tgtVocabSize: 3000, embeddingDim: 32, hiddenUnits: 160, seed: 3 });
    const one = run(m, B);
    expect(one.jobs).toBe(0);
    expect(enableThreads()).toBe(true);
    const split = jest.spyOn(SharedPackedProduct.prototype, 'run');
    const two = run(m, B);
    expect(split.mock.results.map((r) => r.value)).toEqual([true, true, true]); // every step's projection was split
    expect(two.jobs).toBeGreaterThanOrEqual(3);
    two.logProbs.forEach((lp, t) => expect(Array.from(lp)).toEqual(Array.from(one.logProbs[t] as Float32Array)));
    // a sentence's beams: the projection stays in the arena
    split.mockClear();
    run(m, 5);
    expect(split).not.toHaveBeenCalled();
    split.mockRestore();
    m.dispose();
  });
});
