// The classifier network: Embedding -> (Bi)LSTM/GRU x N -> masked pooling or last state -> dropout
// -> Dense softmax, built from @rnnkit/text's Embedding and @rnnkit/core's recurrent layers, and its forward
// pass. The recurrence (fused kernels or per-step tfjs ops) is core's choice, made inside its layers.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, layers as rnnLayers } from '@rnnkit/core';
import { Embedding } from '@rnnkit/text';

export type CellType = 'lstm' | 'gru';
export type Pooling = 'max' | 'mean' | 'last';

/** Architecture of a {@link SentimentClassifier}. Stored in sentiment.json. */
export interface NetworkConfig {
  vocabSize: number;
  numClasses: number;
  /** Embedding size. Default 100. */
  embeddingDim: number;
  cell: CellType;
  /** Units per direction. */
  units: number;
  /** Number of stacked recurrent layers. */
  numLayers: number;
  bidirectional: boolean;
  pooling: Pooling;
  /** Dropout rate before the output layer. */
  dropout: number;
  /** Word dropout: the rate at which whole token vectors are zeroed in training. Default 0.2. */
  embeddingDropout: number;
  /** Fine-tune the embeddings. Default true. */
  trainEmbeddings: boolean;
  /** Ensemble size: this many independent branches whose class probabilities are averaged. Default 1. */
  members?: number;
  /**
   * Ensembles only: the members share one (frozen) embedding layer named `embedding` instead of one
   * `embedding_m{k}` each, which keeps an ensemble of frozen-vector models about as small as one model.
   */
  sharedEmbedding?: boolean;
}

export const DEFAULT_NETWORK: Readonly<Omit<NetworkConfig, 'vocabSize' | 'numClasses'>> = Object.freeze({
  embeddingDim: 100,
  cell: 'lstm' as CellType,
  units: 128,
  numLayers: 1,
  bidirectional: true,
  pooling: 'max' as Pooling,
  dropout: 0.5,
  embeddingDropout: 0.2,
  trainEmbeddings: true,
});

/** Mask-aware max or mean over the time axis: padded steps never win the max nor count in the mean. */
export class MaskedPooling extends tf.layers.Layer {
  static className = 'RnnkitMaskedPooling';
  readonly mode: 'max' | 'mean';

  constructor(args: { mode: 'max' | 'mean'; name?: string }) {
    super({ name: args.name });
    if (args.mode !== 'max' && args.mode !== 'mean') throw new RnnkitError('INVALID_ARGUMENT', `Expected mode 'max' or 'mean'. Received: ${JSON.stringify(args.mode)}`);
    this.mode = args.mode;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0] ?? null, s[2] ?? null];
  }

  override computeMask(): tf.Tensor | tf.Tensor[] {
    return null as unknown as tf.Tensor; // the output has no time axis
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: tf.Tensor | tf.Tensor[] | null }): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D; // [batch, time, features]
      const m = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
      return maskedPool(x, m ?? null, this.mode);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/** Max or mean over time of `[batch, time, f]`, ignoring steps where `mask` ([batch, time]) is 0. */
export function maskedPool(x: tf.Tensor3D, mask: tf.Tensor | null, mode: 'max' | 'mean'): tf.Tensor2D {
  return tf.tidy(() => {
    if (mask == null) return (mode === 'max' ? tf.max(x, 1) : tf.mean(x, 1)) as tf.Tensor2D;
    const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [batch, time, 1]
    if (mode === 'max') return tf.max(tf.add(tf.mul(x, m), tf.mul(tf.sub(1, m), -1e9)), 1) as tf.Tensor2D; // [batch, f]
    const sum = tf.sum(tf.mul(x, m), 1); // [batch, f]
    return tf.div(sum, tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
  });
}

/** Custom objects a saved classifier needs besides core's and text's layers. */
export function sentimentCustomObjects(): tf.serialization.ConfigDict {
  // className -> [class, fromConfig], the entry form tfjs's serialization map and core's loader use
  const entry = (cls: { fromConfig: unknown }) => [cls, (cls.fromConfig as (...a: unknown[]) => unknown).bind(cls)];
  return { RnnkitMaskedPooling: entry(MaskedPooling), Embedding: entry(Embedding) } as unknown as tf.serialization.ConfigDict;
}

function recurrent(cfg: NetworkConfig, i: number, returnSequences: boolean, seed: number, sfx: string): tf.layers.Layer {
  const args = {
    units: cfg.units,
    returnSequences,
    name: `${cfg.cell}_${i}${sfx}`,
    kernelInitializer: { className: 'GlorotUniform', config: { seed: seed + 11 * i + 1 } },
    recurrentInitializer: { className: 'Orthogonal', config: { gain: 1, seed: seed + 11 * i + 2 } },
  };
  const layer = cfg.cell === 'lstm' ? rnnLayers.lstm(args) : rnnLayers.gru(args);
  return cfg.bidirectional ? rnnLayers.bidirectional({ layer, mergeMode: 'concat', name: `bidirectional_${i}${sfx}` }) : layer;
}

/** Layer-name suffix of ensemble member `k` (none for a single model). */
export function memberSuffix(cfg: NetworkConfig, k: number): string {
  return (cfg.members ?? 1) > 1 ? `_m${k}` : '';
}

function embeddingLayer(cfg: NetworkConfig, seed: number, sfx: string, pretrained?: tf.Tensor2D): Embedding {
  return new Embedding({
    inputDim: cfg.vocabSize,
    outputDim: cfg.embeddingDim,
    maskZero: true,
    name: `embedding${sfx}`,
    trainable: cfg.trainEmbeddings,
    embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed } },
    ...(pretrained ? { weights: [pretrained] } : {}),
  });
}

/** Whether the ensemble members share one embedding layer. */
export function sharesEmbedding(cfg: NetworkConfig): boolean {
  return (cfg.members ?? 1) > 1 && cfg.sharedEmbedding === true;
}

function branch(cfg: NetworkConfig, embedded: tf.SymbolicTensor, seed: number, sfx: string): tf.SymbolicTensor {
  let x = tf.layers.dropout({ rate: cfg.embeddingDropout ?? 0.2, noiseShape: [null, null, 1] as unknown as number[], seed: seed + 3, name: `embedding_dropout${sfx}` }).apply(embedded) as tf.SymbolicTensor;
  for (let i = 0; i < cfg.numLayers; i++) {
    const last = i === cfg.numLayers - 1;
    x = recurrent(cfg, i, !last || cfg.pooling !== 'last', seed, sfx).apply(x) as tf.SymbolicTensor;
  }
  if (cfg.pooling !== 'last') x = new MaskedPooling({ mode: cfg.pooling, name: `pooling${sfx}` }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: cfg.dropout, seed: seed + 4, name: `dropout${sfx}` }).apply(x) as tf.SymbolicTensor;
  return tf.layers.dense({ units: cfg.numClasses, activation: 'softmax', name: `output${sfx}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 5 }) }).apply(x) as tf.SymbolicTensor;
}

/**
 * Builds the network: ids `[batch, time]` (0 = padding) -> class probabilities `[batch, numClasses]`.
 * `pretrained` (`[vocabSize, embeddingDim]`) initializes the embeddings (of every ensemble member).
 */
export function buildNetwork(cfg: NetworkConfig, options: { pretrained?: tf.Tensor2D; seed?: number } = {}): tf.LayersModel {
  const seed = options.seed ?? 1;
  const members = cfg.members ?? 1;
  if (!Number.isInteger(members) || members < 1) throw new RnnkitError('INVALID_ARGUMENT', `Expected members to be a positive integer. Received: members=${String(members)}`);
  const input = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
  const shared = sharesEmbedding(cfg) ? (embeddingLayer(cfg, seed, '', options.pretrained).apply(input) as tf.SymbolicTensor) : null;
  const outs = Array.from({ length: members }, (_, k) => {
    const sfx = memberSuffix(cfg, k);
    const embedded = shared ?? (embeddingLayer(cfg, seed + 101 * k, sfx, options.pretrained).apply(input) as tf.SymbolicTensor);
    return branch(cfg, embedded, seed + 101 * k, sfx);
  });
  const out = members === 1 ? (outs[0] as tf.SymbolicTensor) : (tf.layers.average({ name: 'average' }).apply(outs) as tf.SymbolicTensor);
  return tf.model({ inputs: input, outputs: out, name: 'sentiment' });
}

/**
 * The network's forward pass (class probabilities `[batch, classes]`): the tfjs graph of core's layers, whose
 * recurrences take core's fused WebAssembly kernels by themselves where they apply (core's `setKernelMode`).
 */
export function forwardPass(model: tf.LayersModel, ids: tf.Tensor2D, training: boolean): tf.Tensor2D {
  return model.apply(ids, { training }) as tf.Tensor2D;
}
