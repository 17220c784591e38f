// trainSeq2Seq stopped on request (the CLI's Ctrl-C) writes a checkpoint there; resuming it equals an
// uninterrupted run, and a checkpoint made with other settings is refused.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Seq2Seq } from '../src/model';
import { trainSeq2Seq } from '../src/train';
import { TOY, reverseTask } from './toy';
import { codeOfAsync } from './errors';
import { initBackend } from '@rnnkit/core';

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-interrupt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('shouldStop writes a checkpoint at that step; resuming equals the uninterrupted run', async () => {
  const data = reverseTask(96, 5);
  const cfg = { srcVocabSize: 14, tgtVocabSize: 14, embeddingDim: 8, hiddenUnits: 16, seed: 2, inputFeeding: false } as const;
  const opts = { ...TOY, batchSize: 16, epochs: 2, seed: 3, learningRate: 0.01, checkpointMeta: { run: 'a' } };
  const straight = new Seq2Seq(cfg);
  const r0 = await trainSeq2Seq(straight, data, { ...opts });
  const ck = join(dir, 'ck');
  const first = new Seq2Seq(cfg);
  const saved: number[] = [];
  let polls = 0;
  const r1 = await trainSeq2Seq(first, data, { ...opts, epochs: 2, checkpointDir: ck, checkpointEvery: 1000, resume: false, shouldStop: () => ++polls === 4, onCheckpoint: (c) => saved.push(c.step) });
  first.dispose();
  expect(r1.interrupted).toBe(true);
  expect(saved).toEqual([4]); // only the stop wrote one (every 1000 steps otherwise)
  expect(r1.steps).toBe(4);
  expect(await codeOfAsync(trainSeq2Seq(new Seq2Seq(cfg), data, { ...opts, checkpointMeta: { run: 'b' }, checkpointDir: ck }))).toBe('MISMATCH');
  const resumed = new Seq2Seq(cfg);
  const r2 = await trainSeq2Seq(resumed, data, { ...opts, checkpointDir: ck });
  expect(r2.resumed).toBe(true);
  expect(r2.interrupted).toBe(false);
  expect(r2.steps).toBe(r0.steps); // the step counter continued from 4
  // the epoch that was stopped reports the loss over all its batches, those before the stop included
  expect(r2.history.map((h) => h.trainLoss)).toEqual(r0.history.map((h) => h.trainLoss));
  straight.variables.forEach((v, i) => {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(v, resumed.variables[i] as tf.Variable))).dataSync()[0] as number);
    expect(d).toBe(0); // bit for bit (core's adam() restores beta^t as the product it had reached)
  });
  straight.dispose();
  resumed.dispose();
});

