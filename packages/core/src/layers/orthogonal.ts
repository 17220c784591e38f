// Owns the fast orthogonal initializer (Keras's formula in float64 JavaScript instead of tfjs's
// op-by-op QR), serialized as tfjs's `Orthogonal`.
import * as tf from '@tensorflow/tfjs';

/**
 * Keras's orthogonal initializer without tfjs's slow path: tfjs runs its QR as thousands of small tensor
 * ops (and warns above 2,000 elements); this orthonormalizes the columns of a normal matrix with
 * modified Gram-Schmidt in float64 JavaScript, which gives Keras's `q * sign(diag(r))` exactly.
 * Serializes as tfjs's `Orthogonal` (`{ gain, seed }`), so saved models stay loadable by stock tfjs.
 */
export function orthogonalValues(shape: number[], gain = 1, seed?: number): Float32Array {
  const cols = shape[shape.length - 1] ?? 1;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', seed).dataSync()); // [m, n] row-major
  const q = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) q[i] = a[i] as number;
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += (q[i * n + k] as number) * (q[i * n + j] as number);
        for (let i = 0; i < m; i++) q[i * n + j] = (q[i * n + j] as number) - dot * (q[i * n + k] as number);
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += (q[i * n + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) q[i * n + j] = (q[i * n + j] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows >= cols: q is [rows, cols]; otherwise q is [cols, rows] and the result is its transpose.
      out[r * cols + c] = gain * (rows >= cols ? (q[r * n + c] as number) : (q[c * n + r] as number));
    }
  }
  return out;
}

/** A tfjs initializer (the type layerConfig.ts names `Initializer`; not imported, layerConfig imports this file). */
type Initializer = ReturnType<typeof tf.initializers.zeros>;

type OrthogonalClass = new (args: { gain?: number; seed?: number }) => Initializer;

let fastClass: OrthogonalClass | null = null;

/** A tfjs `Orthogonal` initializer (same class name and config) whose `apply` is `orthogonalValues`. */
export function fastOrthogonal(config: { gain?: number; seed?: number }): Initializer {
  if (!fastClass) {
    const base = tf.serialization.SerializationMap.getMap().classNameMap.Orthogonal?.[0] as unknown as OrthogonalClass;
    fastClass = class FastOrthogonal extends base {
      override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
        const { gain, seed } = this.getConfig() as { gain?: number; seed?: number };
        return tf.tensor(orthogonalValues(shape, gain ?? 1, seed ?? undefined), shape, dtype ?? 'float32');
      }
    } as OrthogonalClass;
  }
  return new fastClass(config);
}
