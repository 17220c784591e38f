// PyTorch nn.LSTM / nn.GRU / nn.RNN state dicts as rnnkit layers, with PyTorch's semantics.
//
// Weight mapping (torch/nn/modules/rnn.py): per layer l and direction (suffix `_reverse`),
// weight_ih_l{l} [G*H, in], weight_hh_l{l} [G*H, H], bias_ih_l{l} / bias_hh_l{l} [G*H].
// - LSTM gates (i, f, g, o) are Keras's (i, f, c, o): kernel = W_ih^T, recurrent = W_hh^T, bias = b_ih + b_hh.
// - GRU gates (r, z, n) become Keras's (z, r, h), and PyTorch's n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   is Keras's reset_after form with the biases split: bias [2, 3H] = [input biases; recurrent biases].
// - RNN_TANH / RNN_RELU: SimpleRNN with tanh / relu, bias = b_ih + b_hh.
// `forward` runs the layers' cells with PyTorch's conventions: h0/c0 [layers*dirs, batch, H], outputs
// in time-major order unless batchFirst, and `lengths` as pack_padded_sequence gives them.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { Bidirectional } from '../layers/bidirectional';
import { GRU } from '../layers/gru';
import { LSTM } from '../layers/lstm';
import { SimpleRNN } from '../layers/simpleRnn';
import type { RNN } from '../layers/rnn';
import { CELL_GATES, type RecurrentCellKind } from '../recurrence/gates';
import { runRecurrence } from '../recurrence/run';
import { type StateDict, entry, positiveInt } from './stateDict';

/** PyTorch's recurrent module kinds (nn.LSTM, nn.GRU, nn.RNN with tanh / relu). */
export type TorchRecurrentMode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

/** The module's constructor arguments, as in PyTorch. */
export interface TorchRecurrentOptions {
  mode: TorchRecurrentMode;
  inputSize: number;
  hiddenSize: number;
  /** Default 1. */
  numLayers?: number;
  /** Default true. */
  bias?: boolean;
  /** Default false: `x` is [time, batch, features]. */
  batchFirst?: boolean;
  /** Default false. */
  bidirectional?: boolean;
  /** LSTM projections (proj_size > 0) are refused with `UNSUPPORTED`; 0 (the default) is accepted. */
  projSize?: number;
  /** Whether the last of `layers` returns the whole sequence (default true); false gives the last output (hN of the last layer, both directions concatenated). */
  returnSequences?: boolean;
}

/** Options of {@link TorchRecurrent.forward}. */
export interface TorchForwardOptions {
  /** [numLayers * dirs, batch, hiddenSize]; zeros when omitted. */
  h0?: tf.Tensor;
  /** LSTM only, same shape as h0. */
  c0?: tf.Tensor;
  /** Valid steps per sequence (right padding), as given to pack_padded_sequence; padded outputs are zero. */
  lengths?: number[] | tf.Tensor1D;
}

/** The result of {@link TorchRecurrent.forward}, in PyTorch's shapes. */
export interface TorchForwardResult {
  /** [time, batch, dirs * H], or [batch, time, dirs * H] with batchFirst. */
  output: tf.Tensor3D;
  /** [numLayers * dirs, batch, H]. */
  hN: tf.Tensor3D;
  /** LSTM only: [numLayers * dirs, batch, H]. */
  cN?: tf.Tensor3D;
}

/** What {@link recurrent} returns. */
export interface TorchRecurrent {
  /** One Keras-style layer per PyTorch layer (Bidirectional for bidirectional modules), weights set. */
  layers: tf.layers.Layer[];
  /** Runs the module as PyTorch does. */
  forward(x: tf.Tensor, options?: TorchForwardOptions): TorchForwardResult;
  /** Frees the layers' weights (when they were not handed to a model, which disposes them itself). */
  dispose(): void;
}

/** Disposes a layer's variables, also when it was never applied (tfjs's Layer.dispose refuses those). */
function disposeLayer(layer: tf.layers.Layer): void {
  try {
    layer.dispose();
  } catch {
    layer.weights.forEach((w) => w.dispose());
  }
}

/** The Keras cell each PyTorch mode becomes; its gate count comes from core's one table. */
const CELL_OF: Record<TorchRecurrentMode, RecurrentCellKind> = { LSTM: 'lstm', GRU: 'gru', RNN_TANH: 'simpleRnn', RNN_RELU: 'simpleRnn' };

/** Rows of [3H, ...] from PyTorch's (r, z, n) order to Keras's (z, r, h). */
function gruOrder(t: tf.Tensor, h: number): tf.Tensor {
  const [r, z, n] = tf.split(t, [h, h, h], 0);
  return tf.concat([z as tf.Tensor, r as tf.Tensor, n as tf.Tensor], 0);
}

/** Keras weights [kernel, recurrentKernel, bias?] of one layer and direction. */
function kerasWeights(weights: StateDict, prefix: string, suffix: string, mode: TorchRecurrentMode, input: number, h: number, bias: boolean): tf.Tensor[] {
  const g = CELL_GATES[CELL_OF[mode]] * h;
  const wih = entry(weights, prefix, `weight_ih${suffix}`, [g, input]);
  const whh = entry(weights, prefix, `weight_hh${suffix}`, [g, h]);
  const bih = bias ? entry(weights, prefix, `bias_ih${suffix}`, [g]) : null;
  const bhh = bias ? entry(weights, prefix, `bias_hh${suffix}`, [g]) : null;
  return tf.tidy(() => {
    const order = (t: tf.Tensor): tf.Tensor => (mode === 'GRU' ? gruOrder(t, h) : t);
    const out = [tf.transpose(order(wih)), tf.transpose(order(whh))]; // [in, G*H], [H, G*H]
    if (bih && bhh) out.push(mode === 'GRU' ? tf.stack([order(bih), order(bhh)]) : tf.add(bih, bhh)); // [2, 3H] or [G*H]
    return out;
  });
}

function makeLayer(mode: TorchRecurrentMode, h: number, bias: boolean, returnSequences: boolean, name: string): RNN {
  const common = { units: h, useBias: bias, returnSequences, name, kernelInitializer: 'zeros', recurrentInitializer: 'zeros' } as const;
  if (mode === 'LSTM') return new LSTM({ ...common, unitForgetBias: false });
  if (mode === 'GRU') return new GRU({ ...common, resetAfter: true });
  return new SimpleRNN({ ...common, activation: mode === 'RNN_RELU' ? 'relu' : 'tanh' });
}

interface Checked {
  mode: TorchRecurrentMode;
  input: number;
  h: number;
  layers: number;
  dirs: number;
  bias: boolean;
  batchFirst: boolean;
  returnSequences: boolean;
}

function checkOptions(opts: TorchRecurrentOptions): Checked {
  if (opts == null || !(opts.mode in CELL_OF)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected mode to be one of ${Object.keys(CELL_OF).join(', ')}. Received: mode=${describeValue(opts?.mode)}`);
  }
  if ((opts.projSize ?? 0) !== 0) {
    throw new RnnkitError('UNSUPPORTED', `Expected projSize 0: LSTM projections (proj_size) have no Keras layer in rnnkit. Received: projSize=${describeValue(opts.projSize)}`);
  }
  return {
    mode: opts.mode,
    input: positiveInt('inputSize', opts.inputSize),
    h: positiveInt('hiddenSize', opts.hiddenSize),
    layers: positiveInt('numLayers', opts.numLayers ?? 1),
    dirs: opts.bidirectional ? 2 : 1,
    bias: opts.bias ?? true,
    batchFirst: opts.batchFirst ?? false,
    returnSequences: opts.returnSequences ?? true,
  };
}

/** [batch, time] mask, true at steps < length. */
function lengthMask(lengths: number[] | tf.Tensor1D, batch: number, time: number): tf.Tensor2D {
  const values = Array.isArray(lengths) ? lengths : Array.from(lengths.dataSync());
  if (values.length !== batch || values.some((n) => !Number.isInteger(n) || n < 1 || n > time)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected lengths to be ${batch} integers in [1, ${time}]. Received: ${describeValue(values)}`);
  }
  return tf.tidy(() => tf.less(tf.range(0, time, 1, 'int32').expandDims(0), tf.tensor1d(values, 'int32').expandDims(1)) as tf.Tensor2D);
}

function checkState(name: string, t: tf.Tensor | undefined, shape: number[]): void {
  if (t !== undefined && (t.rank !== 3 || t.shape.some((d, i) => d !== shape[i]))) {
    throw new RnnkitError('INVALID_SHAPE', `Expected ${name} of shape ${describeValue(shape)}. Received ${describeValue(t.shape)}.`);
  }
}

/**
 * `torchLayers.recurrent(weights, prefix, options)`: the nn.LSTM / nn.GRU / nn.RNN whose state-dict
 * entries are `prefix.weight_ih_l0`, ... (`prefix` '' reads `weight_ih_l0`, ...) as rnnkit layers
 * (copies of the weights; `weights` stay the caller's) and a PyTorch-style `forward`.
 */
export function recurrent(weights: StateDict, prefix: string, options: TorchRecurrentOptions): TorchRecurrent {
  const c = checkOptions(options);
  const base = (prefix || c.mode.toLowerCase()).replace(/\W+/g, '_');
  const layers: tf.layers.Layer[] = [];
  const cells: RNN[][] = [];
  try {
    for (let l = 0; l < c.layers; l++) {
      const input = l === 0 ? c.input : c.h * c.dirs;
      const returnSequences = l < c.layers - 1 || c.returnSequences;
      const forward = makeLayer(c.mode, c.h, c.bias, returnSequences, `${base}_l${l}`);
      const values = [kerasWeights(weights, prefix, `_l${l}`, c.mode, input, c.h, c.bias)];
      if (c.dirs === 2) values.push(kerasWeights(weights, prefix, `_l${l}_reverse`, c.mode, input, c.h, c.bias));
      const layer = c.dirs === 2 ? new Bidirectional({ layer: forward, mergeMode: 'concat', name: `${base}_l${l}_bidirectional` }) : forward;
      layer.build([null, null, input]);
      const flat = values.flat();
      layer.setWeights(flat);
      flat.forEach((t) => t.dispose());
      layers.push(layer);
      cells.push(layer instanceof Bidirectional ? [layer.forwardLayer as unknown as RNN, layer.backwardLayer as unknown as RNN] : [layer as RNN]);
    }
  } catch (err) {
    layers.forEach(disposeLayer);
    throw err;
  }
  return { layers, forward: (x, opts = {}) => forward(c, cells, x, opts), dispose: () => layers.forEach(disposeLayer) };
}

function forward(c: Checked, cells: RNN[][], x: tf.Tensor, opts: TorchForwardOptions): TorchForwardResult {
  if (x.rank !== 3 || x.shape[2] !== c.input) {
    throw new RnnkitError('INVALID_SHAPE', `Expected x of shape [${c.batchFirst ? 'batch, time' : 'time, batch'}, ${c.input}]. Received ${describeValue(x.shape)}.`);
  }
  const batch = (c.batchFirst ? x.shape[0] : x.shape[1]) as number;
  const time = (c.batchFirst ? x.shape[1] : x.shape[0]) as number;
  const stateShape = [c.layers * c.dirs, batch, c.h];
  checkState('h0', opts.h0, stateShape);
  checkState('c0', opts.c0, stateShape);
  if (opts.c0 !== undefined && c.mode !== 'LSTM') throw new RnnkitError('INVALID_ARGUMENT', `Expected c0 only for LSTM. Received c0 for ${c.mode}.`);
  return tf.tidy(() => {
    const mask = opts.lengths === undefined ? null : lengthMask(opts.lengths, batch, time); // [batch, time]
    let h: tf.Tensor3D = (c.batchFirst ? x : tf.transpose(x, [1, 0, 2])) as tf.Tensor3D; // [batch, time, in]
    const hN: tf.Tensor2D[] = [];
    const cN: tf.Tensor2D[] = [];
    cells.forEach((dirs, l) => {
      const outputs = dirs.map((layer, d) => {
        const i = l * c.dirs + d;
        const zeros = tf.zeros([batch, c.h]) as tf.Tensor2D;
        const h0 = opts.h0 ? (tf.squeeze(tf.slice(opts.h0, [i, 0, 0], [1, batch, c.h]), [0]) as tf.Tensor2D) : zeros;
        const c0 = opts.c0 ? (tf.squeeze(tf.slice(opts.c0, [i, 0, 0], [1, batch, c.h]), [0]) as tf.Tensor2D) : zeros;
        const goBackwards = d === 1;
        const result = runRecurrence(layer.cell, h, c.mode === 'LSTM' ? [h0, c0] : [h0], { mask, training: false, goBackwards, returnSequences: true, zeroOutputForMask: true });
        hN.push(result.states[0] as tf.Tensor2D);
        if (c.mode === 'LSTM') cN.push(result.states[1] as tf.Tensor2D);
        const seq = result.outputs as tf.Tensor3D; // [batch, time, H] in processing order
        return goBackwards ? tf.reverse(seq, 1) : seq;
      });
      h = (outputs.length === 1 ? outputs[0] : tf.concat(outputs, 2)) as tf.Tensor3D; // [batch, time, dirs * H]
    });
    const output = (c.batchFirst ? h : tf.transpose(h, [1, 0, 2])) as tf.Tensor3D;
    const out: TorchForwardResult = { output, hN: tf.stack(hN) as tf.Tensor3D };
    if (c.mode === 'LSTM') out.cN = tf.stack(cN) as tf.Tensor3D;
    return out as unknown as tf.TensorContainerObject;
  }) as unknown as TorchForwardResult;
}
