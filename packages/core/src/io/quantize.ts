// Post-training weight quantization in the TensorFlow.js converter's format (`quantization` in the
// weight spec), which tfjs and @rnnkit/core's loader dequantize to float32 on load.
import type * as tf from '@tensorflow/tfjs';

/** 'mixed': uint8 for embedding matrices (most of the weights), float16 for the rest. */
export type Quantization = 'none' | 'float16' | 'uint8' | 'mixed';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of a float32 value (round to nearest even). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow -> 0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  if ((half & 0x7c00) === 0x7c00) e = 0x1f; // rounding carried into inf; still correct bits
  return sign | half;
}

/** Rewrites float32 weights of `artifacts` as float16 or uint8 (affine per tensor), in place of the originals. */
export function quantizeArtifacts(artifacts: tf.io.ModelArtifacts, mode: Quantization): tf.io.ModelArtifacts {
  if (mode === 'none' || !artifacts.weightSpecs || !artifacts.weightData) return artifacts;
  const data = artifacts.weightData;
  const source = Array.isArray(data) ? concat(data as ArrayBuffer[]) : (data as ArrayBuffer);
  const { specs, data: out } = quantizeWeights(artifacts.weightSpecs, source, mode);
  return { ...artifacts, weightSpecs: specs, weightData: out };
}

/**
 * Quantizes an encoded weight buffer (`tf.io.encodeWeights` output): float32 entries become float16 or
 * uint8 (affine per tensor; 'mixed' = uint8 for `.../embeddings`, float16 for the rest); other entries
 * are copied. `tf.io.decodeWeights` and rnnkit's loaders dequantize to float32.
 */
export function quantizeWeights(weightSpecs: readonly tf.io.WeightsManifestEntry[], source: ArrayBuffer, mode: Quantization): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  if (mode === 'none') return { specs: [...weightSpecs], data: source };
  const parts: Uint8Array[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 * n : spec.dtype === 'bool' ? n : 4 * n;
    if (spec.dtype !== 'float32' || spec.quantization) {
      parts.push(new Uint8Array(source.slice(offset, offset + bytes)));
      specs.push(spec);
      offset += bytes;
      continue;
    }
    const values = new Float32Array(source.slice(offset, offset + bytes));
    offset += bytes;
    const as = mode === 'mixed' ? (/embeddings$/.test(spec.name) ? 'uint8' : 'float16') : mode;
    if (as === 'float16') {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = toFloat16Bits(values[i] as number);
      parts.push(new Uint8Array(out.buffer));
      specs.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (!Number.isFinite(min)) min = max = 0;
      const scale = max > min ? (max - min) / 255 : 1;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.round(((values[i] as number) - min) / scale);
      parts.push(out);
      specs.push({ ...spec, quantization: { dtype: 'uint8', scale, min } });
    }
  }
  return { specs, data: concat(parts.map((p) => p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength) as ArrayBuffer)) };
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}
