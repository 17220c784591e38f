// The NaN / Infinity scan of loaded weights: a model whose weights are not finite can only produce
// garbage (or out-of-range token ids), so loaders refuse it with INVALID_MODEL. Reads the raw weight
// bytes (no tensors, any backend): float32 values, float16 bit patterns; int32 / bool / uint8 / uint16
// are finite by construction (their scale and min are checked with the manifest).
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Index of the first non-finite float32 in `count` values at `offset` of `view`, or -1. */
function firstNonFinite32(view: DataView, offset: number, count: number): number {
  if ((view.byteOffset + offset) % 4 === 0) {
    const values = new Float32Array(view.buffer, view.byteOffset + offset, count);
    for (let i = 0; i < count; i++) {
      const v = values[i] as number;
      if (v - v !== 0) return i; // NaN and +-Infinity give NaN
    }
    return -1;
  }
  for (let i = 0; i < count; i++) if (!Number.isFinite(view.getFloat32(offset + 4 * i, true))) return i;
  return -1;
}

/** Index of the first float16 with an all-ones exponent (Infinity / NaN), or -1. */
function firstNonFinite16(view: DataView, offset: number, count: number): number {
  for (let i = 0; i < count; i++) if ((view.getUint16(offset + 2 * i, true) & 0x7c00) === 0x7c00) return i;
  return -1;
}

/**
 * Throws `INVALID_MODEL` naming the first weight holding NaN or +-Infinity. `specs` must describe
 * `data` exactly (checked by the caller); entries are laid out one after another, as tfjs writes them.
 */
export function checkFiniteWeights(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer, where: string): void {
  const view = new DataView(data);
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const bytes = count * (BYTES[stored] ?? 0);
    if (offset + bytes > data.byteLength) return; // size mismatches are reported by the caller's length check
    const at = stored === 'float32' ? firstNonFinite32(view, offset, count) : stored === 'float16' ? firstNonFinite16(view, offset, count) : -1;
    if (at >= 0) {
      throw new RnnkitError('INVALID_MODEL', `Expected finite weights in ${where}. Received: NaN or Infinity in weight ${JSON.stringify(spec.name)} at element ${at}`);
    }
    offset += bytes;
  }
}
