// The training loop: length-bucketed shuffled batches, Adam with a learning-rate schedule, class
// weights, gradient clipping by global norm (@rnnkit/core), early stopping on dev accuracy with the
// best weights restored, progress callbacks. Works on ids already encoded by the classifier.
import * as tf from '@tensorflow/tfjs';
import { adam, clipByGlobalNorm, RnnkitError } from '@rnnkit/core';
import { createRng, shuffle } from '@rnnkit/text';

/** Learning-rate schedules: constant, linear decay to 10%, cosine to 0, or your own (epoch, step in epoch, steps per epoch). */
export type LrSchedule = 'constant' | 'linear' | 'cosine' | ((info: { epoch: number; step: number; stepsPerEpoch: number; epochs: number; baseLr: number }) => number);

/** A progress event: after each batch (`batch`) and after each epoch (`epoch`). */
export type TrainProgress =
  | { type: 'batch'; epoch: number; epochs: number; step: number; stepsPerEpoch: number; loss: number; lr: number; elapsedMs: number; etaMs: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; devAccuracy: number | null; devMacroF1: number | null; best: boolean; elapsedMs: number; lr: number };

/** Options of `SentimentClassifier.train`. */
export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** Adam learning rate. Default 2e-3. */
  lr?: number;
  lrSchedule?: LrSchedule;
  /** Per-label loss weights, or 'balanced' (inverse frequency). Default: all 1. */
  classWeights?: Record<string, number> | 'balanced';
  /** Clip gradients to this global norm. Default 5; 0 disables. */
  clipNorm?: number;
  /** Stop after this many epochs without a better dev accuracy (needs `dev`). Default 3. */
  patience?: number;
  /** Seed for shuffling, initialization and dropout. Default 1. */
  seed?: number;
  /** Evaluate on dev every this many steps too (besides each epoch end); 0 = only at epoch ends. */
  evalEvery?: number;
  onProgress?: (p: TrainProgress) => void;
  /** Called when the dev accuracy improves (e.g. to write a checkpoint). */
  onBest?: (info: { epoch: number; step: number; devAccuracy: number }) => Promise<void> | void;
  /** Continue from a checkpoint given to `onCheckpoint` by an earlier run with the same data and options. */
  resumeFrom?: TrainCheckpoint;
  /** Call `onCheckpoint` every this many steps too (it is always called at epoch ends and on a stop). Default 0: only those. */
  checkpointEvery?: number;
  /** Receives a resumable snapshot; its tensors are valid only until the returned promise settles. */
  onCheckpoint?: (checkpoint: TrainCheckpoint) => Promise<void> | void;
  /** Polled after each step: true stops training there (after a checkpoint), e.g. on Ctrl-C. */
  shouldStop?: () => boolean;
}

/** Where training is and everything needed to continue it exactly: weights, optimizer state, best so far. */
export interface TrainCheckpoint {
  /** The next step to run: batch `step` of epoch `epoch` (0-based; step 0 = the epoch's start). */
  epoch: number;
  step: number;
  /** Optimizer steps done since the start of training. */
  totalSteps: number;
  best: number;
  bestEpoch: number;
  sinceBest: number;
  lossSum: number;
  lossCount: number;
  history: TrainResult['history'];
  elapsedMs: number;
  /** The model's weights (in `model.getWeights()` order), the best weights so far, the optimizer's state. */
  weights: tf.Tensor[];
  bestWeights: tf.Tensor[] | null;
  optimizer: Array<{ name: string; tensor: tf.Tensor }>;
}

/** What training returns. */
export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  bestDevAccuracy: number | null;
  history: Array<{ epoch: number; loss: number; devAccuracy: number | null; devMacroF1: number | null }>;
  stoppedEarly: boolean;
  /** True when `shouldStop` ended training (the last checkpoint holds where; the model has its current weights). */
  interrupted: boolean;
  elapsedMs: number;
}

/** Encoded data: token ids per example and class index per example. */
export interface EncodedData {
  ids: number[][];
  y: number[];
}

/** What the loop needs from the classifier. */
export interface TrainTarget {
  model: tf.LayersModel;
  numClasses: number;
  labels: readonly string[];
  forward(ids: tf.Tensor2D, training: boolean): tf.Tensor2D;
  evaluateEncoded(data: EncodedData): { accuracy: number; macroF1: number };
}

function pad(seqs: readonly number[][], order: readonly number[]): tf.Tensor2D {
  const maxLen = Math.max(1, ...order.map((i) => (seqs[i] as number[]).length));
  const buf = new Int32Array(order.length * maxLen);
  order.forEach((i, r) => buf.set(seqs[i] as number[], r * maxLen));
  return tf.tensor2d(buf, [order.length, maxLen], 'int32');
}

/** Batches of example indices: shuffled, then sorted by length within pools of 50 batches, then the batches shuffled. */
export function bucketedBatches(lengths: readonly number[], batchSize: number, seed: number): number[][] {
  const rng = createRng(seed);
  const order = shuffle(lengths.map((_, i) => i), rng);
  const pool = batchSize * 50;
  const batches: number[][] = [];
  for (let p = 0; p < order.length; p += pool) {
    const chunk = order.slice(p, p + pool).sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return shuffle(batches, rng);
}

function scheduleLr(s: LrSchedule | undefined, info: { epoch: number; step: number; stepsPerEpoch: number; epochs: number; baseLr: number }): number {
  const progress = (info.epoch + info.step / Math.max(1, info.stepsPerEpoch)) / Math.max(1, info.epochs);
  if (s === undefined || s === 'constant') return info.baseLr;
  if (s === 'linear') return info.baseLr * (1 - 0.9 * progress);
  if (s === 'cosine') return info.baseLr * 0.5 * (1 + Math.cos(Math.PI * progress));
  return s(info);
}

function resolveClassWeights(cw: TrainOptions['classWeights'], labels: readonly string[], y: readonly number[]): Float32Array {
  const w = new Float32Array(labels.length).fill(1);
  if (cw === undefined) return w;
  if (cw === 'balanced') {
    const counts = new Array<number>(labels.length).fill(0);
    for (const c of y) counts[c] = (counts[c] as number) + 1;
    counts.forEach((n, c) => (w[c] = n === 0 ? 0 : y.length / (labels.length * n)));
    return w;
  }
  for (const [label, v] of Object.entries(cw)) {
    const c = labels.indexOf(label);
    if (c < 0) throw new RnnkitError('INVALID_ARGUMENT', `Expected classWeights keys among the labels ${JSON.stringify(labels)}. Received: ${JSON.stringify(label)}`);
    if (!(v >= 0)) throw new RnnkitError('INVALID_ARGUMENT', `Expected a non-negative class weight. Received: ${label}=${String(v)}`);
    w[c] = v;
  }
  return w;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive integer. Received: ${name}=${String(v)}`);
  return v;
}

/** Trains `target.model` in place; restores the weights of the best dev epoch when `dev` is given. */
export async function trainLoop(target: TrainTarget, train: EncodedData, dev: EncodedData | null, options: TrainOptions): Promise<TrainResult> {
  const epochs = positiveInt('epochs', options.epochs ?? 10);
  const batchSize = positiveInt('batchSize', options.batchSize ?? 32);
  const baseLr = options.lr ?? 2e-3;
  const clipNorm = options.clipNorm ?? 5;
  const patience = options.patience ?? 3;
  const seed = options.seed ?? 1;
  const evalEvery = options.evalEvery ?? 0;
  if (train.ids.length === 0) throw new RnnkitError('INVALID_ARGUMENT', 'Expected at least one training example. Received: 0');
  const weights = resolveClassWeights(options.classWeights, target.labels, train.y);
  const optimizer = adam(baseLr); // tf.train.adam's numbers bit for bit, its update in core's kernels
  const vars = target.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lengths = train.ids.map((s) => s.length);
  const from = options.resumeFrom;
  const runStart = Date.now();
  const start = runStart - (from?.elapsedMs ?? 0);
  const history: TrainResult['history'] = from ? [...from.history] : [];
  let best = from?.best ?? -1;
  let bestEpoch = from?.bestEpoch ?? -1;
  let bestWeights: tf.Tensor[] | null = from?.bestWeights ? from.bestWeights.map((w) => w.clone()) : null;
  let sinceBest = from?.sinceBest ?? 0;
  let stoppedEarly = false;
  let interrupted = false;
  let stoppedMidEpoch = false;
  let totalSteps = from?.totalSteps ?? 0;
  let stepsThisRun = 0;
  let epoch = from?.epoch ?? 0;
  let lossSum = 0;
  let lossCount = 0;
  if (from) {
    const shapes = target.model.getWeights().map((w) => w.shape.join('x'));
    if (from.weights.length !== shapes.length || from.weights.some((w, i) => w.shape.join('x') !== shapes[i])) {
      optimizer.dispose();
      throw new RnnkitError('WEIGHT_MISMATCH', `Expected checkpoint weights of shapes [${shapes.join(', ')}]. Received: [${from.weights.map((w) => w.shape.join('x')).join(', ')}]`);
    }
    target.model.setWeights(from.weights);
    await optimizer.setWeights(from.optimizer);
  }
  const checkpoint = async (nextEpoch: number, nextStep: number): Promise<void> => {
    if (!options.onCheckpoint) return;
    const opt = await optimizer.getWeights();
    try {
      await options.onCheckpoint({
        epoch: nextEpoch, step: nextStep, totalSteps, best, bestEpoch, sinceBest, lossSum: nextStep === 0 ? 0 : lossSum, lossCount: nextStep === 0 ? 0 : lossCount,
        history: [...history], elapsedMs: Date.now() - start, weights: target.model.getWeights(), bestWeights, optimizer: opt,
      });
    } finally {
      tf.dispose(opt.filter((w) => w.name === 'iter').map((w) => w.tensor)); // a fresh scalar; the rest are the optimizer's variables
    }
  };

  const checkDev = async (ep: number, step: number): Promise<{ accuracy: number; macroF1: number } | null> => {
    if (!dev || dev.ids.length === 0) return null;
    const m = target.evaluateEncoded(dev);
    if (m.accuracy > best) {
      best = m.accuracy;
      bestEpoch = ep;
      tf.dispose(bestWeights ?? []);
      bestWeights = target.model.getWeights().map((w) => w.clone());
      await options.onBest?.({ epoch: ep, step, devAccuracy: m.accuracy });
    }
    return m;
  };

  try {
    for (; epoch < epochs && !interrupted; epoch++) {
      const batches = bucketedBatches(lengths, batchSize, seed * 1000 + epoch); // the same order on resume
      const first = from && epoch === from.epoch ? from.step : 0;
      lossSum = first > 0 && from ? from.lossSum : 0;
      lossCount = first > 0 && from ? from.lossCount : 0;
      let lr = baseLr;
      const improvedBefore = best;
      for (let s = first; s < batches.length; s++) {
        const order = batches[s] as number[];
        lr = scheduleLr(options.lrSchedule, { epoch, step: s, stepsPerEpoch: batches.length, epochs, baseLr });
        (optimizer as unknown as { learningRate: number }).learningRate = lr;
        const loss = tf.tidy(() => {
          const ids = pad(train.ids, order);
          const y = tf.oneHot(tf.tensor1d(order.map((i) => train.y[i] as number), 'int32'), target.numClasses); // [batch, classes]
          const w = tf.tensor1d(order.map((i) => weights[train.y[i] as number] as number)); // [batch]
          const { value, grads } = tf.variableGrads(() => {
            const p = target.forward(ids, true); // [batch, classes]
            const nll = tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), 1)); // [batch]
            return tf.div(tf.sum(tf.mul(nll, w)), tf.maximum(tf.sum(w), 1e-7)) as tf.Scalar;
          }, vars);
          const clipped = clipNorm > 0 ? (clipByGlobalNorm(grads, clipNorm).grads as tf.NamedTensorMap) : grads;
          optimizer.applyGradients(clipped as Parameters<typeof optimizer.applyGradients>[0]);
          return value;
        });
        const l = (await loss.data())[0] as number;
        loss.dispose();
        lossSum += l * order.length;
        lossCount += order.length;
        totalSteps++;
        stepsThisRun++;
        const elapsedMs = Date.now() - start;
        const done = epoch * batches.length + s + 1;
        options.onProgress?.({ type: 'batch', epoch, epochs, step: s + 1, stepsPerEpoch: batches.length, loss: l, lr, elapsedMs, etaMs: ((Date.now() - runStart) / stepsThisRun) * (epochs * batches.length - done) });
        if (evalEvery > 0 && totalSteps % evalEvery === 0 && s + 1 < batches.length) await checkDev(epoch, s + 1);
        await new Promise<void>((r) => setImmediate(r)); // let the event loop breathe (progress output, signals)
        const stop = options.shouldStop?.() === true;
        if (s + 1 < batches.length && (stop || (options.checkpointEvery && totalSteps % options.checkpointEvery === 0))) await checkpoint(epoch, s + 1);
        if (stop) {
          interrupted = true;
          stoppedMidEpoch = s + 1 < batches.length;
          break;
        }
      }
      if (stoppedMidEpoch) break; // the checkpoint holds the position
      const m = await checkDev(epoch, batches.length);
      const improved = best > improvedBefore;
      sinceBest = improved ? 0 : sinceBest + 1;
      const loss = lossSum / Math.max(1, lossCount);
      history.push({ epoch, loss, devAccuracy: m?.accuracy ?? null, devMacroF1: m?.macroF1 ?? null });
      options.onProgress?.({ type: 'epoch', epoch, epochs, loss, devAccuracy: m?.accuracy ?? null, devMacroF1: m?.macroF1 ?? null, best: improved, elapsedMs: Date.now() - start, lr });
      if (m && sinceBest >= patience) {
        stoppedEarly = epoch + 1 < epochs;
        epoch++;
        break;
      }
      if (epoch + 1 < epochs) await checkpoint(epoch + 1, 0);
    }
  } finally {
    optimizer.dispose();
  }
  if (interrupted && !stoppedMidEpoch && epoch >= epochs) interrupted = false; // the stop came with the last step: done
  if (bestWeights) {
    target.model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  return { epochs: Math.min(epoch, epochs), bestEpoch, bestDevAccuracy: best < 0 ? null : best, history, stoppedEarly, interrupted, elapsedMs: Date.now() - start };
}
