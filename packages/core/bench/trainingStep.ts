// The training step that bench/vsNumpy.bench.ts times against numpy and bench/profileStep.ts profiles, defined
// once so both measure the same thing: x [B=32, T, D=128] -> RNN(H) -> Dense(1) -> MSE, Adam, float32.
import * as tf from '@tensorflow/tfjs';
import { adam, layers } from '../src/index';

export type StepCell = 'lstm' | 'gru' | 'simpleRNN';
/** tf.train.adam (what `model.compile` users get by default) or core's `adam()` (the same numbers, its update in the kernels). */
export type StepOptimizer = 'tf' | 'rnnkit';

export const [STEP_BATCH, STEP_INPUT] = [32, 128];

/** The model of the step, compiled (Adam 1e-3, mean squared error). */
export function stepModel(cell: StepCell, T: number, H: number, optimizer: StepOptimizer = 'tf'): tf.LayersModel {
  const common = { units: H, recurrentInitializer: 'glorotUniform' } as const;
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [T, STEP_INPUT] }));
  model.add(cell === 'lstm' ? layers.lstm(common) : cell === 'gru' ? layers.gru(common) : layers.simpleRNN(common));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: optimizer === 'rnnkit' ? adam(1e-3) : tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/** The step's seeded batch: x [B, T, D] and y [B, 1], uniform in [-1, 1). */
export function stepBatch(T: number): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.randomUniform([STEP_BATCH, T, STEP_INPUT], -1, 1, 'float32', 1),
    y: tf.randomUniform([STEP_BATCH, 1], -1, 1, 'float32', 2),
  };
}
