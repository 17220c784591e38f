import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';

/** An element-wise activation function on tensors. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/**
 * Activation names understood by rnnkit: Keras's snake_case names and tfjs's camelCase identifiers.
 *
 * `hard_sigmoid` / `hardSigmoid` is the Keras 2 (and tfjs) formula `clip(0.2 x + 0.5, 0, 1)`; Keras 3
 * changed `hard_sigmoid` to `relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1)`, available here as
 * `hard_sigmoid_keras3` / `hardSigmoidKeras3` (a Keras 3 model file says `hard_sigmoid`; its loader
 * maps it to this name).
 */
export type ActivationName =
  | 'tanh' | 'sigmoid' | 'hard_sigmoid' | 'hardSigmoid' | 'hard_sigmoid_keras3' | 'hardSigmoidKeras3'
  | 'relu' | 'linear' | 'elu' | 'selu' | 'softsign' | 'softplus' | 'swish' | 'silu' | 'gelu' | 'exponential';

/** An activation given by name or as a function. */
export type ActivationIdentifier = ActivationName | ActivationFn;

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const FUNCTIONS: Record<string, ActivationFn> = {
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  hardSigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  hardSigmoidKeras3: (x) => tf.div(tf.clipByValue(tf.add(x, 3), 0, 6), 6),
  relu: (x) => tf.relu(x),
  linear: (x) => x,
  elu: (x) => tf.elu(x),
  selu: (x) => tf.mul(SELU_SCALE, tf.where(tf.greater(x, 0), x, tf.mul(SELU_ALPHA, tf.elu(x)))),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  softplus: (x) => tf.softplus(x),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
  exponential: (x) => tf.exp(x),
};

/** Keras / snake_case names and aliases → the canonical (tfjs-style camelCase) name. */
const ALIASES: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid',
  hard_sigmoid_keras3: 'hardSigmoidKeras3',
  silu: 'swish',
};

/** Names of all supported activations (canonical form). */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

/**
 * The canonical name for an activation name (`hard_sigmoid` → `hardSigmoid`, `silu` → `swish`), the
 * form written by `getConfig()` (so stock tfjs can read it back where it knows the activation).
 * Throws `INVALID_ARGUMENT` for an unknown name.
 */
export function canonicalActivationName(name: string): string {
  const canonical = ALIASES[name] ?? name;
  if (!(canonical in FUNCTIONS)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected activation to be one of ${ACTIVATION_NAMES.join(', ')}. Received: activation=${describeValue(name)}`);
  }
  return canonical;
}

/** The activation function for a name (or the function itself); `null`/`undefined` means linear. */
export function getActivation(identifier: ActivationIdentifier | string | null | undefined): ActivationFn {
  if (identifier == null) return FUNCTIONS.linear as ActivationFn;
  if (typeof identifier === 'function') return identifier;
  return FUNCTIONS[canonicalActivationName(identifier)] as ActivationFn;
}
