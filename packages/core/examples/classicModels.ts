// The classic Keras RNN example (SimpleRNN(64), LSTM(64), GRU(64) on input shape (10, 20), each
// followed by Dense(1, sigmoid)), built with rnnkit layers. Shared by `classic.ts` and its test.
import * as tf from '@tensorflow/tfjs';
import { layers } from '@rnnkit/core';

/** Time steps and features of the example's input. */
export const CLASSIC_INPUT_SHAPE: [number, number] = [10, 20];
/** The three recurrent layers of the example, by Keras class name. */
export const CLASSIC_KINDS = ['SimpleRNN', 'LSTM', 'GRU'] as const;
export type ClassicKind = (typeof CLASSIC_KINDS)[number];
/** Keras's `model.summary()` parameter counts of the recurrent layer (the Dense(1) layer adds 65). */
export const KERAS_RECURRENT_PARAMS: Record<ClassicKind, number> = { SimpleRNN: 5440, LSTM: 21760, GRU: 16512 };

/** `Sequential([RNN(64, input_shape=(10, 20)), Dense(1, sigmoid)])`, compiled with adam + binary cross-entropy. */
export function buildClassicModel(kind: ClassicKind, learningRate = 1e-3): tf.Sequential {
  const args = { units: 64, inputShape: CLASSIC_INPUT_SHAPE, name: kind.toLowerCase() };
  const rnn = kind === 'SimpleRNN' ? layers.simpleRNN(args) : kind === 'LSTM' ? layers.lstm(args) : layers.gru(args);
  const model = tf.sequential({ layers: [rnn, tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'dense' })] });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Generated data with a learnable rule: `x ~ N(0, 1)` of shape `[n, 10, 20]`, label 1 when mean(x) > 0. */
export function makeClassicData(n: number, seed = 42): { x: tf.Tensor3D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, ...CLASSIC_INPUT_SHAPE], 0, 1, 'float32', seed) as tf.Tensor3D; // [n, 10, 20]
    const y = tf.cast(tf.greater(tf.mean(x, [1, 2]), 0), 'float32').reshape([n, 1]) as tf.Tensor2D; // [n, 1]
    return { x, y };
  });
}

/** One line per epoch, as Keras's progress output ends: `loss: 0.6931 - accuracy: 0.5000`. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** Fits `model` on `data` and returns the per-epoch loss and accuracy; `onEpoch` sees each as it ends. */
export async function fitClassicModel(
  model: tf.Sequential,
  data: { x: tf.Tensor; y: tf.Tensor },
  opts: { epochs?: number; batchSize?: number; onEpoch?: (log: EpochLog) => void } = {},
): Promise<EpochLog[]> {
  const logs: EpochLog[] = [];
  await model.fit(data.x, data.y, {
    epochs: opts.epochs ?? 5,
    batchSize: opts.batchSize ?? 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, l) => {
        const log = { epoch: epoch + 1, loss: Number(l?.['loss']), accuracy: Number(l?.['acc'] ?? l?.['accuracy']) };
        logs.push(log);
        opts.onEpoch?.(log);
      },
    },
  });
  return logs;
}
