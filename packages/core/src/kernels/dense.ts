// Dense + softmax cross-entropy fused: logits = h W + b (one GEMM), log-softmax and the loss per row in
// WebAssembly, and the gradient computed in the same pass (the loss is a scalar, so its gradient only
// scales): dlogits = (softmax - onehot) * w / denominator, dW = h^T dlogits, db, dh = dlogits W^T.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { gradientsRecorded } from '../tape';
import { kernels, type KernelExports } from './wasm';
import { largeGemm, workspaceOf } from './gemm';

export interface SoftmaxXentOptions {
  /** Per-row weights [N] (e.g. a padding mask); rows of weight 0 do not count. */
  weights?: Float32Array;
  /** 'mean' (default): sum(w l) / sum(w) (N without weights); 'sum': sum(w l). */
  reduction?: 'mean' | 'sum';
  /** Skip the gradient (inference / evaluation). */
  forwardOnly?: boolean;
}

export interface SoftmaxXentResult {
  loss: number;
  /** d loss / d h [N, D], d kernel [D, V], d bias [V] (absent when forwardOnly). */
  dH?: Float32Array;
  dKernel?: Float32Array;
  dBias?: Float32Array;
}

/** Fused dense + sparse softmax cross-entropy on Float32Arrays: h [N, D], kernel [D, V], bias [V]. */
export function denseSoftmaxCrossEntropy(h: Float32Array, kernel: Float32Array, bias: Float32Array, labels: Int32Array,
  N: number, D: number, V: number, opts: SoftmaxXentOptions = {}, k: KernelExports = kernels()): SoftmaxXentResult {
  if (h.length !== N * D || kernel.length !== D * V || bias.length !== V || labels.length !== N) {
    throw new RnnkitError('INVALID_SHAPE', `Expected h [${N}, ${D}], kernel [${D}, ${V}], bias [${V}], labels [${N}]. ` +
      `Received lengths ${h.length}, ${kernel.length}, ${bias.length}, ${labels.length}`);
  }
  if (opts.weights && opts.weights.length !== N) {
    throw new RnnkitError('INVALID_SHAPE', `Expected weights of length ${N}. Received: ${opts.weights.length}`);
  }
  for (let i = 0; i < N; i++) {
    const l = labels[i] as number;
    if (!(l >= 0 && l < V)) throw new RnnkitError('INVALID_ARGUMENT', `Expected labels in [0, ${V}). Received: ${l} at ${i}`);
  }
  let denom = N;
  if (opts.reduction === 'sum') denom = 1;
  else if (opts.weights) denom = opts.weights.reduce((a, b) => a + b, 0);
  const scale = denom === 0 ? 0 : 1 / denom;
  const ws = workspaceOf(k);
  ws.reset();
  const pH = ws.put(h);
  const pW = ws.put(kernel);
  const pB = ws.put(bias);
  const pL = ws.putI32(labels);
  const pWt = opts.weights ? ws.put(opts.weights) : 0;
  const pLoss = ws.alloc(N);
  const pZ = ws.alloc(N * V);
  const pdW = ws.alloc(D * V);
  const pdb = ws.alloc(V);
  const pdH = ws.alloc(N * D);
  const scratch = ws.allocBytes(Math.max(k.gemmScratchBytes(N, V, D), k.gemmScratchBytes(D, V, N), k.gemmScratchBytes(N, D, V)) + 64);
  k.fillRows(N, V, pZ, V, pB);
  largeGemm(k, ws, 0, 0, N, V, D, 1, pH, D, pW, V, 1, pZ, V, scratch);
  const total = k.softmaxXentRows(N, V, pZ, V, pL, pWt, pLoss, scale);
  const res: SoftmaxXentResult = { loss: total * scale };
  if (!opts.forwardOnly) {
    k.colSum(N, V, pZ, V, pdb, 0);
    largeGemm(k, ws, 1, 0, D, V, N, 1, pH, D, pZ, V, 0, pdW, V, scratch);
    largeGemm(k, ws, 0, 1, N, D, V, 1, pZ, V, pW, V, 0, pdH, D, scratch);
    res.dH = ws.read(pdH, N * D);
    res.dKernel = ws.read(pdW, D * V);
    res.dBias = ws.read(pdb, V);
  }
  ws.reset();
  return res;
}

/**
 * tfjs op: the scalar loss of softmax(h kernel + bias) against integer labels, with a fused gradient for
 * h, kernel and bias. h [N, D] or [B, T, D]; labels int32 of N (or B x T) entries; weights likewise.
 */
export function fusedDenseSoftmaxCrossEntropy(h: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, labels: tf.Tensor,
  opts: { weights?: tf.Tensor; reduction?: 'mean' | 'sum' } = {}): tf.Scalar {
  const D = h.shape[h.rank - 1] as number;
  const N = h.size / D;
  const V = kernel.shape[1] as number;
  const lab = Int32Array.from(labels.dataSync() as ArrayLike<number>);
  const w = opts.weights ? Float32Array.from(opts.weights.dataSync() as ArrayLike<number>) : undefined;
  const forwardOnly = !gradientsRecorded();
  const op = tf.customGrad((...args: unknown[]) => {
    const [th, tk, tb] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const r = denseSoftmaxCrossEntropy(th.dataSync() as Float32Array, tk.dataSync() as Float32Array, tb.dataSync() as Float32Array,
      lab, N, D, V, { weights: w, reduction: opts.reduction, forwardOnly });
    return {
      value: tf.scalar(r.loss),
      gradFunc: (dy: tf.Tensor) => {
        if (!r.dH) throw new RnnkitError('INVALID_STATE', 'Expected a forward pass recorded for gradients. Received: forwardOnly');
        const g = dy.dataSync()[0] as number;
        const s = (a: Float32Array) => (g === 1 ? a : a.map((v) => v * g));
        return [tf.tensor(s(r.dH), h.shape), tf.tensor(s(r.dKernel as Float32Array), kernel.shape), tf.tensor(s(r.dBias as Float32Array), bias.shape)];
      },
    };
  });
  return op(h, kernel, bias) as tf.Scalar;
}
