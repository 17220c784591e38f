// Owns the composite time loop (Keras `backend.rnn`): a step function over the time axis with masks,
// goBackwards and returnSequences; the recurrence (src/recurrence) and custom cells run through it.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from './errors';
import { gradientsRecorded } from './tape';

/** One time step: `(x_t [batch, feat], states) -> { output [batch, units], states }`. */
export type RnnStepFunction = (input: tf.Tensor2D, states: tf.Tensor2D[]) => { output: tf.Tensor2D; states: tf.Tensor2D[] };

/** Options of the time loop (Keras `backend.rnn`). */
export interface RnnOptions {
  /** Process the sequence from the last step to the first; the returned sequence is in that (reversed) order. */
  goBackwards?: boolean;
  /** `[batch, time]`, truthy = the step is used. A masked step keeps the states and repeats the previous output. */
  mask?: tf.Tensor | null;
  /** Also return the whole output sequence (default true). */
  returnSequences?: boolean;
  /** Output zeros at masked steps instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
}

/** What the loop returns. */
export interface RnnResult {
  /** The last element of the output sequence: `[batch, units]`. */
  lastOutput: tf.Tensor2D;
  /** `[batch, time, units]` in processing order, or null when `returnSequences` is false. */
  outputs: tf.Tensor3D | null;
  /** Final states, each `[batch, stateDim]`. */
  states: tf.Tensor2D[];
}

/** Splits `[n, ...]` into n tensors `[1, ...]` by halving: each level copies the data once. */
function splitHalving(x: tf.Tensor): tf.Tensor[] {
  const n = x.shape[0] as number;
  if (n === 1) return [x];
  const half = Math.floor(n / 2);
  const [a, b] = tf.split(x, [half, n - half], 0) as [tf.Tensor, tf.Tensor];
  return [...splitHalving(a), ...splitHalving(b)];
}

/**
 * Splits `[batch, time, feat]` into `time` tensors `[batch, feat]` (time-major transpose, then a halving
 * split). tfjs-wasm's slice copies its whole input on every call (`readSync`), so `unstack` of a long
 * sequence costs time x size; halving costs ~2 log2(time) x size. Gradients: concats.
 */
function timeSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  const [batch, time, feat] = x.shape;
  const major = tf.transpose(x, [1, 0, 2]); // [time, batch, feat]
  if (tf.getBackend() === 'wasm' && !gradientsRecorded() && x.dtype === 'float32') {
    // No gradient can flow here: read once and cut in JavaScript (2 copies of the data instead of ~2 log2(time)).
    const data = major.dataSync() as Float32Array;
    const n = batch * feat;
    return Array.from({ length: time }, (_, t) => tf.tensor2d(data.subarray(t * n, (t + 1) * n), [batch, feat]));
  }
  return splitHalving(major).map((t) => tf.reshape(t, [batch, feat]) as tf.Tensor2D); // time x [batch, feat]
}

/**
 * The time loop, with Keras's semantics (TensorFlow backend of Keras 2 and 3): runs `step` over the
 * time axis of `inputs` (`[batch, time, feat]`) from `initialStates`. With a mask, a masked step keeps
 * the previous states and outputs the previous output (zeros before the first unmasked step), or zeros
 * with `zeroOutputForMask`. With `goBackwards` the inputs and mask are reversed and the output sequence
 * is returned in processing order. Always a JavaScript loop (Keras `unroll` is accepted by the layers
 * for compatibility only). All intermediates are released; only the results stay alive.
 */
export function rnn(step: RnnStepFunction, inputs: tf.Tensor3D, initialStates: tf.Tensor2D[], opts: RnnOptions = {}): RnnResult {
  const { goBackwards = false, mask = null, returnSequences = true, zeroOutputForMask = false } = opts;
  if (inputs.rank !== 3) {
    throw new RnnkitError('INVALID_SHAPE', `Expected inputs of rank 3 [batch, time, features]. Received: shape=[${inputs.shape.join(',')}]`);
  }
  const [batch, time] = inputs.shape;
  if (time < 1) throw new RnnkitError('INVALID_SHAPE', `Expected at least one time step. Received: shape=[${inputs.shape.join(',')}]`);
  if (mask && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time)) {
    throw new RnnkitError('INVALID_SHAPE', `Expected mask of shape [${batch},${time}]. Received: shape=[${mask.shape.join(',')}]`);
  }
  const result: tf.Tensor[] = tf.tidy(() => {
    const xs = timeSteps(inputs); // time x [batch, feat]
    const ms = mask ? timeSteps(tf.reshape(tf.cast(mask, 'bool'), [batch, time, 1]) as tf.Tensor3D) : null; // time x [batch, 1]
    let states = initialStates;
    let prev: tf.Tensor2D | null = null;
    const outs: tf.Tensor2D[] = [];
    for (let k = 0; k < time; k++) {
      const t = goBackwards ? time - 1 - k : k;
      const r = step(xs[t] as tf.Tensor2D, states);
      let out = r.output; // [batch, units]
      let next = r.states;
      if (ms) {
        const m = ms[t] as tf.Tensor2D; // [batch, 1]
        const fallback = zeroOutputForMask || prev === null ? tf.zerosLike(out) : prev;
        out = tf.where(m, out, fallback);
        next = next.map((s, i) => tf.where(m, s, states[i] as tf.Tensor2D)); // [batch, stateDim]
      }
      prev = out;
      states = next;
      if (returnSequences) outs.push(out);
    }
    const kept: tf.Tensor[] = [prev as tf.Tensor2D, ...states];
    if (returnSequences) kept.push(tf.stack(outs, 1)); // [batch, time, units]
    return kept;
  });
  const n = initialStates.length;
  return {
    lastOutput: result[0] as tf.Tensor2D,
    states: result.slice(1, 1 + n) as tf.Tensor2D[],
    outputs: returnSequences ? (result[1 + n] as tf.Tensor3D) : null,
  };
}
