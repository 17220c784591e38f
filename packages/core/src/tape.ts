// Owns the one question rnnkit asks tfjs's engine: is a gradient tape recording right now? (the only cast
// into the engine's private state; the fused kernels and the time loop skip gradient bookkeeping when not).
import * as tf from '@tensorflow/tfjs';

/** True inside tf.grads / tf.variableGrads / optimizer.minimize / model.fit's gradient scope; true if unknown. */
export function gradientsRecorded(): boolean {
  const depth = (tf.engine() as unknown as { state?: { gradientDepth?: unknown } }).state?.gradientDepth;
  return typeof depth !== 'number' || depth > 0;
}
