// Which path the recurrent layers take: the fused WebAssembly sequence kernels or composite tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';

export type KernelMode = 'auto' | 'fused' | 'composite';

let mode: KernelMode = 'auto';

/** Backends that keep tensor data in CPU memory, where the fused kernels pay off. */
const CPU_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/** Forces the fused path ('fused'), the composite tfjs path ('composite'), or picks by backend ('auto'). */
export function setKernelMode(m: KernelMode): void {
  if (m !== 'auto' && m !== 'fused' && m !== 'composite') {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected kernel mode 'auto', 'fused' or 'composite'. Received: ${describeValue(m)}`);
  }
  mode = m;
}

export function getKernelMode(): KernelMode {
  return mode;
}

/** True when the fused kernels suit this backend: `cpu`, `wasm`, `tensorflow` (tfjs-node); not GPU backends. */
export function fusedKernelsAvailable(backendName: string = tf.getBackend()): boolean {
  return CPU_BACKENDS.has(backendName);
}

/** Cell configuration the fused kernels implement: Keras's defaults only. */
export interface FusedCellConfig {
  activation?: string;
  recurrentActivation?: string;
}

/** True when the fused kernels implement this activation pair (tanh / sigmoid; SimpleRNN: tanh). */
export function fusedActivationsSupported(cfg: FusedCellConfig): boolean {
  return (cfg.activation ?? 'tanh') === 'tanh' && (cfg.recurrentActivation ?? 'sigmoid') === 'sigmoid';
}

/**
 * The decision a layer makes per call: the fused path when the mode is 'fused', or 'auto' on a CPU
 * backend, and the cell's activations are the supported ones. Other activations always take the
 * composite path ('fused' mode included).
 */
export function shouldUseFusedKernels(cfg: FusedCellConfig = {}, backendName: string = tf.getBackend()): boolean {
  if (!fusedActivationsSupported(cfg)) return false;
  if (mode === 'composite') return false;
  return mode === 'fused' || fusedKernelsAvailable(backendName);
}
