// Reading PyTorch state-dict entries (`rnn.weight_ih_l0`, `fc.bias`, ...) out of a name -> tensor
// record such as readSafetensors returns.
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';

/** PyTorch state-dict entries by name (readSafetensors's result, or any record of tensors). */
export type StateDict = Record<string, tf.Tensor>;

/** `prefix.name`, or `name` for the empty prefix. */
export function keyOf(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** The entry `prefix.name`, checked against `shape`; `WEIGHT_MISMATCH` when missing or of another shape. */
export function entry(weights: StateDict, prefix: string, name: string, shape: number[]): tf.Tensor {
  const key = keyOf(prefix, name);
  const t = weights[key];
  if (t === undefined) {
    const near = Object.keys(weights).filter((k) => prefix === '' || k.startsWith(`${prefix}.`)).slice(0, 12);
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected a state-dict entry "${key}". Received none; entries${prefix ? ` under "${prefix}."` : ''}: ${describeValue(near)}`);
  }
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected "${key}" to have shape ${describeValue(shape)}. Received ${describeValue(t.shape)}.`);
  }
  return t;
}

/** Checks an option is a positive integer (`INVALID_ARGUMENT` otherwise). */
export function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive integer. Received: ${name}=${describeValue(value)}`);
  }
  return value;
}
