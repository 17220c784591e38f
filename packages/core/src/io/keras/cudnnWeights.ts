// CuDNNLSTM / CuDNNGRU weights as LSTM / GRU weights. The formulas follow tf.keras 2.x's
// `hdf5_format._convert_rnn_weights` (what `load_model` does with such files):
// - input kernel [in, gates*units]: per gate, the stored block is the CuDNN [units, in] matrix in
//   the bytes of an [in, units] array; the Keras block is that matrix transposed
//   (`kernel.T.reshape(kernel.shape, order='F')` in tf.keras);
// - recurrent kernel [units, gates*units]: per gate, transposed;
// - LSTM bias [8*units] (input and recurrent biases): summed into [4*units];
// - GRU bias [6*units]: reshaped to [2, 3*units] (the reset_after form with split biases).
// Arrays whose bias already has the LSTM / GRU shape are returned as they are (a CuDNN layer
// saved after conversion).
import { RnnkitError, describeValue } from '../../errors';
import { CELL_GATES } from '../../recurrence/gates';
import type { H5Array } from './hdf5';

/** The per-gate blocks of a [rows, gates*units] matrix, transformed by `block`, joined again. */
function mapGateBlocks(a: H5Array, gates: number, block: (get: (r: number, c: number) => number, rows: number, units: number) => (r: number, c: number) => number): H5Array {
  const [rows, cols] = a.shape as [number, number];
  const units = cols / gates;
  const out = new Float32Array(a.values.length);
  for (let g = 0; g < gates; g++) {
    const get = (r: number, c: number): number => a.values[r * cols + g * units + c] as number;
    const value = block(get, rows, units);
    for (let r = 0; r < rows; r++) for (let c = 0; c < units; c++) out[r * cols + g * units + c] = value(r, c);
  }
  return { path: a.path, shape: [rows, cols], values: out };
}

/** Input kernel block: the stored [rows, units] bytes are a [units, rows] matrix; Keras wants its transpose. */
function inputKernel(a: H5Array, gates: number): H5Array {
  return mapGateBlocks(a, gates, (get, rows, units) => (r, c) => {
    const flat = c * rows + r; // element [c, r] of the [units, rows] matrix, in the block's row-major bytes
    return get(Math.floor(flat / units), flat % units);
  });
}

/** Recurrent kernel block [units, units]: transposed. */
function recurrentKernel(a: H5Array, gates: number): H5Array {
  return mapGateBlocks(a, gates, (get) => (r, c) => get(c, r));
}

function check(cond: boolean, layer: string, arrays: H5Array[], what: string): void {
  if (!cond) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected ${what} for CuDNN layer "${layer}". Received shapes ${describeValue(arrays.map((a) => a.shape))}.`);
  }
}

/** Converts the [kernel, recurrent_kernel, bias] of a CuDNNLSTM / CuDNNGRU to LSTM / GRU weights. */
export function convertCudnnWeights(kind: 'LSTM' | 'GRU', layer: string, arrays: H5Array[]): H5Array[] {
  const gates = CELL_GATES[kind === 'LSTM' ? 'lstm' : 'gru'];
  check(arrays.length === 3 && arrays.every((a, i) => a.shape.length === (i === 2 ? a.shape.length : 2)), layer, arrays, 'kernel, recurrent_kernel and bias');
  const [kernel, recurrent, bias] = arrays as [H5Array, H5Array, H5Array];
  const units = recurrent.shape[0] as number;
  check(recurrent.shape[1] === gates * units && kernel.shape[1] === gates * units, layer, arrays, `kernels with ${gates} * units columns`);
  const size = bias.values.length;
  if (size === gates * units) return arrays; // already in the LSTM / GRU(reset_before) layout
  if (kind === 'GRU' && bias.shape.length === 2) return arrays; // already [2, 3*units]
  check(size === 2 * gates * units, layer, arrays, `a bias of ${2 * gates * units} values (input and recurrent)`);
  const k = inputKernel(kernel, gates);
  const rk = recurrentKernel(recurrent, gates);
  if (kind === 'GRU') return [k, rk, { path: bias.path, shape: [2, gates * units], values: bias.values }];
  const half = gates * units;
  const summed = new Float32Array(half);
  for (let i = 0; i < half; i++) summed[i] = (bias.values[i] as number) + (bias.values[half + i] as number);
  return [k, rk, { path: bias.path, shape: [half], values: summed }];
}
