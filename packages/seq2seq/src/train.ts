// Training (OpenNMT-py `Trainer`): teacher forcing, masked token cross-entropy with label smoothing,
// length-bucketed batches, Adam with global-norm clipping, learning-rate decay on plateau, early stopping
// on validation loss or BLEU, atomic resumable checkpoints, progress with tokens/s and ETA, a seed.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, adam, clipByGlobalNorm, nodeModules, writeFolderAtomic } from '@rnnkit/core';
import { bucketByLength, padSequences } from '@rnnkit/text';
import type { Seq2Seq, Seq2SeqBatch } from './model';

/** One parallel example as ids: source units and target units (no `<bos>`/`<eos>`). */
export interface ParallelIds {
  src: readonly number[];
  tgt: readonly number[];
}

export interface Progress {
  epoch: number;
  /** Optimizer steps done, counted from the start of training (a resumed run continues the count). */
  step: number;
  /** Expected steps of the whole training (early stopping may end it sooner). */
  totalSteps: number;
  loss: number;
  tokensPerSecond: number;
  etaSeconds: number;
  learningRate: number;
}

export interface EpochReport {
  epoch: number;
  step: number;
  trainLoss: number;
  valLoss?: number;
  valPerplexity?: number;
  valBleu?: number;
  learningRate: number;
  seconds: number;
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** Most padded target tokens per batch (long batches get fewer rows). */
  maxTokens?: number;
  learningRate?: number;
  /** Multiply the learning rate by this when the validation metric does not improve. Default 0.5. */
  lrDecay?: number;
  /** Global gradient-norm clip. Default 5. */
  clipNorm?: number;
  labelSmoothing?: number;
  seed?: number;
  /** Sequences longer than this (units) are dropped from training. Default 50. */
  maxLen?: number;
  /** Special ids of the target vocabulary. */
  bosId: number;
  eosId: number;
  padId?: number;
  validation?: readonly ParallelIds[];
  /** Validation BLEU (0..100) of the current model, called after each epoch when given. */
  bleu?: () => number;
  /** Early stopping on `loss` (default) or `bleu`, after `patience` epochs without improvement. */
  earlyStopping?: { metric?: 'loss' | 'bleu'; patience?: number };
  /** Folder of the resumable checkpoint (written atomically each `checkpointEvery` steps and epoch). */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Continue from `checkpointDir` if it holds a checkpoint. Default true. */
  resume?: boolean;
  /**
   * Stored in the checkpoint and compared on resume (e.g. the command line and data sizes): a
   * checkpoint written with other settings is refused (`MISMATCH`) instead of silently mixed.
   */
  checkpointMeta?: Record<string, unknown>;
  /** Called after each checkpoint is written. */
  onCheckpoint?: (info: { dir: string; epoch: number; step: number }) => void;
  /** Polled after each step: true stops training there, after writing the checkpoint (e.g. on Ctrl-C). */
  shouldStop?: () => boolean;
  /** Called after each epoch's evaluation with the best model so far (e.g. to save it). */
  onBest?: (report: EpochReport) => Promise<void> | void;
  onProgress?: (p: Progress) => void;
  onEpoch?: (r: EpochReport) => void;
  /** Stop after this many optimizer steps in all (e.g. a time budget in tests). */
  maxSteps?: number;
}

export interface TrainResult {
  history: EpochReport[];
  steps: number;
  stoppedEarly: boolean;
  /** True when `shouldStop` ended training before its end (the checkpoint holds where it stopped). */
  interrupted: boolean;
  /** True when training continued from a checkpoint. */
  resumed: boolean;
}

interface TrainState {
  epoch: number;
  /** Batches of `epoch` already done. */
  batchInEpoch: number;
  step: number;
  learningRate: number;
  best: number | null;
  badEpochs: number;
  history: EpochReport[];
  /** The training loss summed over the batches of `epoch` already done, and their count (absent in older checkpoints). */
  epochLossSum?: number;
  epochLossCount?: number;
}

/** Pads examples `indices` into a batch tensor set. */
export function makeBatch(data: readonly ParallelIds[], indices: readonly number[], o: { bosId: number; eosId: number; padId?: number }): Seq2SeqBatch {
  const pad = o.padId ?? 0;
  const rows = indices.map((i) => data[i] as ParallelIds);
  const src = padSequences(rows.map((r) => r.src), { padding: 'post', value: pad });
  const tin = padSequences(rows.map((r) => [o.bosId, ...r.tgt]), { padding: 'post', value: pad });
  const tout = padSequences(rows.map((r) => [...r.tgt, o.eosId]), { padding: 'post', value: pad });
  const n = rows.length;
  const S = src.ids[0]?.length ?? 0;
  const T = tin.ids[0]?.length ?? 0;
  return {
    src: tf.tensor2d(src.ids.flat(), [n, S], 'int32'), srcMask: tf.tensor2d(src.mask.flat(), [n, S], 'float32'),
    tgtIn: tf.tensor2d(tin.ids.flat(), [n, T], 'int32'), tgtOut: tf.tensor2d(tout.ids.flat(), [n, T], 'int32'),
    tgtMask: tf.tensor2d(tout.mask.flat(), [n, T], 'float32'),
  };
}

function disposeBatch(b: Seq2SeqBatch): void {
  tf.dispose([b.src, b.srcMask, b.tgtIn, b.tgtOut, b.tgtMask]);
}

function batchesOf(data: readonly ParallelIds[], o: TrainOptions, seed: number): number[][] {
  const lengths = data.map((d) => Math.max(d.src.length, d.tgt.length + 1));
  const opts: { batchSize: number; seed: number; maxTokens?: number } = { batchSize: o.batchSize ?? 64, seed };
  if (o.maxTokens !== undefined) opts.maxTokens = o.maxTokens;
  return bucketByLength(lengths, opts);
}

/** Mean token loss and perplexity over a data set (no gradients, no label smoothing). */
export function evaluateLoss(model: Seq2Seq, data: readonly ParallelIds[], o: TrainOptions): { loss: number; perplexity: number } {
  let nll = 0;
  let tokens = 0;
  for (const idx of batchesOf(data, { ...o, maxTokens: undefined }, 0)) {
    const b = makeBatch(data, idx, o);
    const r = model.evaluate(b);
    disposeBatch(b);
    nll += r.nll;
    tokens += r.tokens;
  }
  const loss = tokens > 0 ? nll / tokens : NaN;
  return { loss, perplexity: Math.exp(loss) };
}

async function saveCheckpoint(dir: string, model: Seq2Seq, opt: tf.Optimizer, state: TrainState, meta: Record<string, unknown> | undefined): Promise<void> {
  const modelW = await tf.io.encodeWeights(model.variables.map((v, i) => ({ name: `p${i}`, tensor: v as tf.Tensor })));
  const optW = await tf.io.encodeWeights(await opt.getWeights());
  await writeFolderAtomic(dir, {
    'state.json': JSON.stringify({ format: 'rnnkit-seq2seq-checkpoint', state, config: model.getConfig(), meta: meta ?? null, modelSpecs: modelW.specs, optSpecs: optW.specs }),
    'model.bin': new Uint8Array(modelW.data),
    'optimizer.bin': new Uint8Array(optW.data),
  });
}

async function loadCheckpoint(dir: string, model: Seq2Seq, opt: tf.Optimizer, meta?: Record<string, unknown>): Promise<TrainState | null> {
  const { fsp: fs, path } = await nodeModules();
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'state.json'), 'utf8');
  } catch {
    return null;
  }
  const j = JSON.parse(text) as { state: TrainState; config: unknown; meta?: Record<string, unknown> | null; modelSpecs: tf.io.WeightsManifestEntry[]; optSpecs: tf.io.WeightsManifestEntry[] };
  const canon = (c: object) => JSON.stringify(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (canon(j.config as object) !== canon(model.getConfig())) {
    throw new RnnkitError('MISMATCH', `Expected a checkpoint of the same model config. Received: ${JSON.stringify(j.config)}`);
  }
  if (meta !== undefined && canon(j.meta ?? {}) !== canon(JSON.parse(JSON.stringify(meta)) as object)) {
    throw new RnnkitError('MISMATCH', `Expected a checkpoint written with the same settings ${JSON.stringify(meta)}. Received: ${JSON.stringify(j.meta ?? {})}`);
  }
  const buf = (f: string) => fs.readFile(path.join(dir, f)).then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const mw = tf.io.decodeWeights(await buf('model.bin'), j.modelSpecs);
  model.variables.forEach((v, i) => v.assign(mw[`p${i}`] as tf.Tensor));
  tf.dispose(Object.values(mw));
  const ow = tf.io.decodeWeights(await buf('optimizer.bin'), j.optSpecs) as Record<string, tf.Tensor>;
  await opt.setWeights(j.optSpecs.map((s) => ({ name: s.name, tensor: ow[s.name] as tf.Tensor })));
  return j.state;
}

/** Loads only the model weights of a checkpoint written by {@link trainSeq2Seq} (e.g. to export it); null if none. */
export async function loadCheckpointWeights(dir: string, model: Seq2Seq): Promise<{ step: number; epoch: number } | null> {
  const opt = tf.train.adam(1e-3);
  try {
    const s = await loadCheckpoint(dir, model, opt);
    return s ? { step: s.step, epoch: s.epoch } : null;
  } finally {
    opt.dispose();
  }
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // tfjs's AdamOptimizer reads `learningRate` at every applyGradients; it has no setter
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** Trains `model` on `data`; returns the per-epoch history. */
export async function trainSeq2Seq(model: Seq2Seq, data: readonly ParallelIds[], o: TrainOptions): Promise<TrainResult> {
  const maxLen = o.maxLen ?? 50;
  const train = data.filter((d) => d.src.length > 0 && d.src.length <= maxLen && d.tgt.length < maxLen);
  const epochs = o.epochs ?? 10;
  const seed = o.seed ?? 0;
  const opt = adam(o.learningRate ?? 1e-3); // tf.train.adam's numbers bit for bit, its update in core's kernels
  let state: TrainState = { epoch: 0, batchInEpoch: 0, step: 0, learningRate: o.learningRate ?? 1e-3, best: null, badEpochs: 0, history: [] };
  let resumed = false;
  if (o.checkpointDir && (o.resume ?? true)) {
    const s = await loadCheckpoint(o.checkpointDir, model, opt, o.checkpointMeta);
    if (s) {
      state = s;
      resumed = true;
    }
  }
  const checkpoint = async (s: TrainState) => {
    if (!o.checkpointDir) return;
    await saveCheckpoint(o.checkpointDir, model, opt, s, o.checkpointMeta);
    o.onCheckpoint?.({ dir: o.checkpointDir, epoch: s.epoch, step: s.step });
  };
  setLearningRate(opt, state.learningRate);
  const metric = o.earlyStopping?.metric ?? 'loss';
  const patience = o.earlyStopping?.patience ?? 3;
  const vars = model.variables;
  let stoppedEarly = false;
  let interrupted = false;
  const t0 = Date.now();
  let tokensDone = 0;
  let stepsThisRun = 0;
  for (; state.epoch < epochs && !stoppedEarly; state.epoch++, state.batchInEpoch = 0) {
    const batches = batchesOf(train, o, seed + state.epoch);
    const totalSteps = state.step - state.batchInEpoch + (epochs - state.epoch) * batches.length; // all epochs, this one's batch count
    const epochStart = Date.now();
    // a resumed epoch's reported loss covers its batches from before the stop too, as the uninterrupted run's does
    let lossSum = state.batchInEpoch > 0 ? state.epochLossSum ?? 0 : 0;
    let lossN = state.batchInEpoch > 0 ? state.epochLossCount ?? 0 : 0;
    for (let bi = state.batchInEpoch; bi < batches.length; bi++) {
      if (o.maxSteps !== undefined && state.step >= o.maxSteps) break;
      const b = makeBatch(train, batches[bi] as number[], o);
      const lossValue = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => model.loss(b, { training: true, labelSmoothing: o.labelSmoothing ?? 0 }), vars);
        const { grads: clipped, globalNorm } = clipByGlobalNorm(grads, o.clipNorm ?? 5);
        globalNorm.dispose();
        opt.applyGradients(clipped as tf.NamedTensorMap as never);
        return value.dataSync()[0] as number;
      });
      tokensDone += tf.tidy(() => tf.sum(b.tgtMask).dataSync()[0] as number);
      disposeBatch(b);
      lossSum += lossValue;
      lossN++;
      state.epochLossSum = lossSum;
      state.epochLossCount = lossN;
      state.step++;
      stepsThisRun++;
      state.batchInEpoch = bi + 1;
      const secs = (Date.now() - t0) / 1000;
      o.onProgress?.({
        epoch: state.epoch, step: state.step, totalSteps, loss: lossValue, tokensPerSecond: tokensDone / Math.max(secs, 1e-9),
        etaSeconds: (secs / stepsThisRun) * Math.max(totalSteps - state.step, 0), learningRate: state.learningRate,
      });
      const stop = o.shouldStop?.() === true;
      if (stop || (o.checkpointEvery && state.step % o.checkpointEvery === 0)) await checkpoint(state);
      if (stop) {
        interrupted = true;
        break;
      }
      await new Promise<void>((r) => setImmediate(r)); // let signals and progress output through
    }
    if (interrupted) break;
    if (o.maxSteps !== undefined && state.step >= o.maxSteps && state.batchInEpoch < batches.length) break;
    const report: EpochReport = { epoch: state.epoch, step: state.step, trainLoss: lossN ? lossSum / lossN : NaN, learningRate: state.learningRate, seconds: (Date.now() - epochStart) / 1000 };
    if (o.validation && o.validation.length > 0) {
      const v = evaluateLoss(model, o.validation, o);
      report.valLoss = v.loss;
      report.valPerplexity = v.perplexity;
    }
    if (o.bleu) report.valBleu = o.bleu();
    const value = metric === 'bleu' ? report.valBleu : report.valLoss;
    if (value !== undefined) {
      const better = state.best === null || (metric === 'bleu' ? value > state.best : value < state.best);
      if (better) {
        state.best = value;
        state.badEpochs = 0;
        await o.onBest?.(report);
      } else {
        state.badEpochs++;
        state.learningRate *= o.lrDecay ?? 0.5;
        setLearningRate(opt, state.learningRate);
        if (state.badEpochs >= patience) stoppedEarly = true;
      }
    }
    state.history.push(report);
    o.onEpoch?.(report);
    await checkpoint({ ...state, epoch: state.epoch + 1, batchInEpoch: 0, epochLossSum: 0, epochLossCount: 0 });
  }
  opt.dispose();
  return { history: state.history, steps: state.step, stoppedEarly, interrupted, resumed };
}
