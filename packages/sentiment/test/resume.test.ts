// Training stopped at a step and resumed from its checkpoint ends with exactly the weights of an
// uninterrupted run: same data order, optimizer state and step counter.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { SentimentClassifier, type TrainCheckpoint } from '../src/index';
import { tinyData } from './helpers';

const net = { embeddingDim: 8, units: 4, dropout: 0, seed: 5 };
const opts = { epochs: 3, batchSize: 8, lr: 0.02, patience: 10, seed: 5 };

function clone(c: TrainCheckpoint): TrainCheckpoint {
  return { ...c, weights: c.weights.map((w) => w.clone()), bestWeights: c.bestWeights?.map((w) => w.clone()) ?? null, optimizer: c.optimizer.map((o) => ({ name: o.name, tensor: o.tensor.clone() })) };
}

beforeAll(async () => {
  await initBackend();
});

describe('train with checkpoints', () => {
  it('stops on request with a checkpoint, and --resume reproduces the uninterrupted weights', async () => {
    const { train, dev } = await tinyData();
    const before = tf.memory().numTensors;
    const full = new SentimentClassifier(net);
    await full.train(train, { ...opts, dev });
    const expected = full.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    full.dispose();

    let saved: TrainCheckpoint | null = null;
    let steps = 0;
    const first = new SentimentClassifier(net);
    const r1 = await first.train(train, { ...opts, dev, shouldStop: () => ++steps === 7, onCheckpoint: (c) => {
      if (saved) tf.dispose([...saved.weights, ...(saved.bestWeights ?? []), ...saved.optimizer.map((o) => o.tensor)]);
      saved = clone(c);
    } });
    first.dispose();
    expect(r1.interrupted).toBe(true);
    const ckpt = saved as unknown as TrainCheckpoint;
    expect(ckpt.totalSteps).toBe(7);
    expect({ epoch: ckpt.epoch, step: ckpt.step }).toEqual({ epoch: 1, step: 2 }); // 5 batches per epoch

    const second = new SentimentClassifier(net);
    const r2 = await second.train(train, { ...opts, dev, resumeFrom: ckpt });
    expect(r2.interrupted).toBe(false);
    expect(r2.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    const got = second.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    second.dispose();
    tf.dispose([...ckpt.weights, ...(ckpt.bestWeights ?? []), ...ckpt.optimizer.map((o) => o.tensor)]);
    expect(got).toEqual(expected); // bit for bit (core's adam() restores beta^t as the product it had reached)
    expect(tf.memory().numTensors).toBe(before);
  });
});
