// matMul as a tfjs op whose forward and gradients (dy B^T, A^T dy) run on the WebAssembly GEMM: on the
// wasm backend tfjs's transposed products fall back to a scalar loop (0.4-2.3 GFLOP/s).
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { kernels } from './wasm';
import { largeGemm, workspaceOf } from './gemm';

function data(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/** Row-major product of op(a) [M, K] and op(b) [K, N] on the WebAssembly GEMM (Float32Arrays in, out). */
function product(a: Float32Array, b: Float32Array, M: number, N: number, K: number, tA: boolean, tB: boolean): Float32Array {
  const k = kernels();
  const ws = workspaceOf(k);
  ws.reset();
  const pa = ws.put(a);
  const pb = ws.put(b);
  const pc = ws.alloc(M * N);
  const scratch = ws.allocBytes(k.gemmScratchBytes(M, N, K) + 64);
  largeGemm(k, ws, tA ? 1 : 0, tB ? 1 : 0, M, N, K, 1, pa, tA ? M : K, pb, tB ? K : N, 0, pc, N, scratch);
  const out = ws.read(pc, M * N);
  ws.reset();
  return out;
}

/**
 * a [..., M, K] (or [K, M] with transposeA, rank 2 only) times b [K, N] (or [N, K] with transposeB), as
 * tf.matMul; leading dimensions of a rank > 2 `a` are flattened into M (a dense layer over a sequence).
 */
export function fusedMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (b.rank !== 2 || a.rank < 2 || (transposeA && a.rank !== 2)) {
    throw new RnnkitError('INVALID_SHAPE', `Expected a of rank >= 2 (rank 2 when transposed) and b of rank 2. ` +
      `Received: ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}`);
  }
  const aK = transposeA ? (a.shape[0] as number) : (a.shape[a.rank - 1] as number);
  const M = a.size / aK;
  const [K, N] = transposeB ? [b.shape[1] as number, b.shape[0] as number] : [b.shape[0] as number, b.shape[1] as number];
  if (aK !== K) {
    throw new RnnkitError('INVALID_SHAPE', `Expected inner dimensions to match. Received: ${aK} and ${K}`);
  }
  const outShape = transposeA ? [M, N] : [...a.shape.slice(0, -1), N];
  const op = tf.customGrad((...args: unknown[]) => {
    const [ta, tb] = args as [tf.Tensor, tf.Tensor];
    const av = data(ta);
    const bv = data(tb);
    return {
      value: tf.tensor(product(av, bv, M, N, K, transposeA, transposeB), outShape),
      gradFunc: (dy: tf.Tensor) => {
        const g = data(dy); // [M, N]
        // d op(A) = dy op(B)^T [M, K]; d op(B) = op(A)^T dy [K, N]; transposed back to the stored layouts
        const dA = transposeA ? product(bv, g, K, M, N, transposeB, true) : product(g, bv, M, K, N, false, !transposeB);
        const dB = transposeB ? product(g, av, N, K, M, true, transposeA) : product(av, g, K, N, M, !transposeA, false);
        return [tf.tensor(dA, a.shape), tf.tensor(dB, b.shape)];
      },
    };
  });
  return op(a, b);
}
