// tfjs ops over the fused sequence kernels, each one tf.customGrad: the forward runs the whole sequence
// in WebAssembly, the gradient runs BPTT there, so autodiff, tf.variableGrads, model.fit and optimizers
// use them unchanged. Data is read with dataSync (CPU backends); the outputs are new tensors.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { CELL_GATES, cellBiasShape, type RecurrentCellKind } from '../recurrence/gates';
import { gradientsRecorded } from '../tape';
import { lstmBackward, lstmForward } from './lstm';
import { gruBackward, gruForward } from './gru';
import { simpleRnnBackward, simpleRnnForward } from './simpleRnn';
import { f32Data, f32View } from './tensorData';
import {
  sequenceInputGradient, type SequenceDims, type SequenceGradients, type SequenceGrads, type SequenceOptions,
} from './sequence';

/** Options of the fused sequence ops (Keras semantics; see SequenceOptions). */
export interface FusedSequenceOptions {
  h0?: tf.Tensor; // [batch, units]
  c0?: tf.Tensor; // [batch, units] (LSTM)
  mask?: tf.Tensor; // [batch, time], bool or 0/1
  goBackwards?: boolean;
  inputDropoutMask?: tf.Tensor; // [batch, inputDim]
  recurrentDropoutMask?: tf.Tensor; // [batch, units]
  returnSequences?: boolean;
  zeroOutputForMask?: boolean;
  /**
   * The caller knows x is data (e.g. the model input), so its gradient is never used: the backward pass
   * skips that product (1/6 of an LSTM step's FLOPs) and returns zeros for x.
   */
  skipInputGradient?: boolean;
}

export interface FusedSequenceResult {
  /** [batch, time, units] when returnSequences, else the last output [batch, units]. */
  output: tf.Tensor;
  h: tf.Tensor2D;
  /** LSTM only. */
  c?: tf.Tensor2D;
}

type Cell = RecurrentCellKind;

interface Forward {
  outputs: Float32Array;
  h: Float32Array;
  c?: Float32Array;
  backward(g: SequenceGrads): SequenceGradients & { dC0?: Float32Array };
}

const f32 = f32Data;

function run(cell: Cell, resetAfter: boolean, x: Float32Array, w: [Float32Array, Float32Array, Float32Array], d: SequenceDims,
  o: SequenceOptions): Forward {
  const weights = { kernel: w[0], recurrentKernel: w[1], bias: w[2] };
  if (cell === 'lstm') {
    const f = lstmForward(x, weights, d, o);
    return { ...f, backward: (g) => lstmBackward(f.saved, g) };
  }
  if (cell === 'gru') {
    const f = gruForward(x, { ...weights, resetAfter }, d, o);
    return { ...f, backward: (g) => gruBackward(f.saved, g) };
  }
  const f = simpleRnnForward(x, weights, d, o);
  return { ...f, backward: (g) => simpleRnnBackward(f.saved, g) };
}

/** A forward pass and its gradients, one closure per input, each called only if tfjs needs that gradient. */
interface LazyGradForward {
  /** The outputs (at least two, so tfjs hands the gradient one dy per output). */
  value: tf.Tensor[];
  gradients(dys: tf.Tensor[]): Array<() => tf.Tensor>;
}

/**
 * Like `tf.customGrad`, but the gradient of each input is computed only when tfjs asks for it: the tape
 * calls an input's gradient closure only when that input lies on a path from the tensors being
 * differentiated (tfjs tape `getFilteredNodesXToY`). `tf.customGrad` computes every gradient up front.
 */
function lazyGradOp(inputs: tf.Tensor[], forward: () => LazyGradForward): tf.Tensor[] {
  let grads: LazyGradForward['gradients'] | null = null;
  const inputMap: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => {
    inputMap[i] = t;
  });
  const engine = tf.engine() as unknown as {
    runKernelFunc(p: { forwardFunc: () => tf.Tensor[]; backwardsFunc: (dys: tf.Tensor[]) => Record<string, () => tf.Tensor>; inputs: Record<string, tf.Tensor> }): tf.Tensor[];
  };
  return engine.runKernelFunc({
    forwardFunc: () => {
      const f = forward();
      grads = f.gradients;
      return f.value;
    },
    backwardsFunc: (dys) => {
      if (!grads) throw new RnnkitError('INVALID_STATE', 'Expected the forward pass to run before its gradient. Received: no forward pass');
      const map: Record<string, () => tf.Tensor> = {};
      grads(dys).forEach((g, i) => {
        map[i] = g;
      });
      return map;
    },
    inputs: inputMap,
  });
}

function fusedSequence(cell: Cell, resetAfter: boolean, x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor,
  bias: tf.Tensor, opts: FusedSequenceOptions): FusedSequenceResult {
  if (x.rank !== 3) {
    throw new RnnkitError('INVALID_SHAPE', `Expected x of rank 3 [batch, time, inputDim]. Received: shape ${JSON.stringify(x.shape)}`);
  }
  const [batch, time, inputDim] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0] as number;
  const d: SequenceDims = { batch, time, inputDim, units };
  const lstm = cell === 'lstm';
  const G = CELL_GATES[cell] * units;
  const biasShape = cellBiasShape(cell, units, resetAfter);
  for (const [name, t, want] of [['kernel', kernel, [inputDim, G]], ['recurrentKernel', recurrentKernel, [units, G]],
    ['bias', bias, biasShape]] as const) {
    if (t.shape.length !== want.length || t.shape.some((v, i) => v !== want[i])) {
      throw new RnnkitError('INVALID_SHAPE', `Expected ${name} of shape ${JSON.stringify(want)}. Received: ${JSON.stringify(t.shape)}`);
    }
  }
  const seq = opts.returnSequences ?? false;
  const so: SequenceOptions = {
    mask: opts.mask && f32(opts.mask), goBackwards: opts.goBackwards, zeroOutputForMask: opts.zeroOutputForMask,
    lastOutputOnly: !seq,
    inputDropoutMask: opts.inputDropoutMask && f32(opts.inputDropoutMask),
    recurrentDropoutMask: opts.recurrentDropoutMask && f32(opts.recurrentDropoutMask),
  };
  // Forward-only (inference) when no gradient is being recorded: skip saving the activations. Otherwise
  // they stay in WebAssembly memory until the gradient runs (tfjs calls it at most once per recorded op).
  so.forwardOnly = !gradientsRecorded();
  so.savedInMemory = true;
  const inputs: tf.Tensor[] = [x, kernel, recurrentKernel, bias];
  const hasH0 = opts.h0 !== undefined;
  const hasC0 = lstm && opts.c0 !== undefined;
  if (opts.h0) inputs.push(opts.h0);
  if (hasC0 && opts.c0) inputs.push(opts.c0);

  const forward = (): LazyGradForward => {
    const o: SequenceOptions = { ...so };
    // Inference reads the inputs in place (no copy on wasm): nothing keeps them past `run`, which calls no
    // tfjs op. A training forward copies the ones its backward pass reads later.
    const read = so.forwardOnly ? f32View : f32;
    let i = 4;
    if (hasH0) o.h0 = read(inputs[i++] as tf.Tensor);
    if (hasC0) o.c0 = read(inputs[i++] as tf.Tensor);
    const kernelData = read(kernel);
    const weights: [Float32Array, Float32Array, Float32Array] = [kernelData, read(recurrentKernel), read(bias)];
    // x itself is read only by the forward pass (it copies x in before anything else runs; the backward
    // reads its own saved copy), so a view is enough in training too; taken last, after every other read.
    const fwd = run(cell, resetAfter, f32View(x), weights, d, o);
    // One tensor per output, not one packed tensor sliced apart: no slices forward, no pads and adds back.
    const value = [tf.tensor(fwd.outputs, seq ? [batch, time, units] : [batch, units]), tf.tensor2d(fwd.h, [batch, units])];
    if (fwd.c) value.push(tf.tensor2d(fwd.c, [batch, units]));
    const gradients = (dys: tf.Tensor[]): Array<() => tf.Tensor> => {
      // read in place: the backward pass copies them into its workspace before any tfjs op runs (tfjs
      // hands zeros for an output nothing depends on)
      const [dOut, dH] = [f32View(dys[0] as tf.Tensor), f32View(dys[1] as tf.Tensor)];
      const skip = opts.skipInputGradient ?? false;
      const dC0 = lstm ? f32View(dys[2] as tf.Tensor) : undefined;
      // dx is deferred: tfjs asks for it only when x depends on something being differentiated (a model
      // input fed with data never does), so its product is skipped whenever it is not needed.
      const flags = { skipInputGradient: skip, deferInputGradient: !skip, dProjInMemory: true };
      const grads = fwd.backward(seq ? { dOutputs: dOut, dH, dC: dC0, ...flags } : { dLast: dOut, dH, dC: dC0, ...flags });
      // dProj stays in WebAssembly memory for dx. tfjs calls the input closures synchronously right after
      // this one (tape backpropagateGradients), so a microtask frees it when dx was not asked for.
      const dProj = grads.dProjKept ?? grads.dProj;
      const kept = grads.dProjKept;
      if (kept) queueMicrotask(() => kept.release());
      const dx = (): tf.Tensor => (skip || !dProj ? tf.zeros(x.shape)
        : tf.tensor(sequenceInputGradient(dProj, kernelData, d, G, so.inputDropoutMask), x.shape));
      const res: Array<() => tf.Tensor> = [
        dx, () => tf.tensor(grads.dKernel, kernel.shape),
        () => tf.tensor(grads.dRecurrentKernel, recurrentKernel.shape), () => tf.tensor(grads.dBias, bias.shape),
      ];
      if (hasH0) res.push(() => tf.tensor(grads.dH0, [batch, units]));
      if (hasC0) res.push(() => tf.tensor(grads.dC0 as Float32Array, [batch, units]));
      return res;
    };
    return { value, gradients };
  };

  const [output, h, c] = lazyGradOp(inputs, forward) as [tf.Tensor, tf.Tensor2D, tf.Tensor2D?];
  return lstm ? { output, h, c } : { output, h };
}

/** Fused LSTM: kernel [in, 4u], recurrentKernel [u, 4u], bias [4u] (Keras gates i, f, c, o). */
export function fusedLstmSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor,
  opts: FusedSequenceOptions = {}): FusedSequenceResult {
  return fusedSequence('lstm', false, x, kernel, recurrentKernel, bias, opts);
}

/** Fused GRU: kernel [in, 3u], recurrentKernel [u, 3u], bias [2, 3u] (resetAfter, default) or [3u]. */
export function fusedGruSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor,
  opts: FusedSequenceOptions & { resetAfter?: boolean } = {}): FusedSequenceResult {
  return fusedSequence('gru', opts.resetAfter ?? true, x, kernel, recurrentKernel, bias, opts);
}

/** Fused SimpleRNN (tanh): kernel [in, u], recurrentKernel [u, u], bias [u]. */
export function fusedSimpleRnnSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor,
  opts: FusedSequenceOptions = {}): FusedSequenceResult {
  return fusedSequence('simpleRnn', false, x, kernel, recurrentKernel, bias, opts);
}
