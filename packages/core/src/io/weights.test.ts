// Weight-name matching: every naming scheme, order-independence, fallbacks and mismatch errors.
import * as tf from '@tensorflow/tfjs';
import { modelFromArtifacts } from './loadModel';
import { decodeStoredWeights } from './weights';
import { isRnnkitError } from '../errors';

function model(): tf.LayersModel {
  const m = tf.sequential({ name: 'sequential' });
  m.add(tf.layers.lstm({ units: 2, inputShape: [3, 5], name: 'lstm' }));
  m.add(tf.layers.dense({ units: 1, name: 'dense' }));
  return m;
}

/** Distinct values per weight so a wrong assignment shows. */
function values(m: tf.LayersModel): tf.Tensor[] {
  return m.weights.map((w, i) => tf.fill(w.shape as number[], i + 1));
}

async function artifacts(m: tf.LayersModel, entries: Array<[string, tf.Tensor]>): Promise<tf.io.ModelArtifacts> {
  const { data, specs } = await tf.io.encodeWeights(entries.map(([name, tensor]) => ({ name, tensor })));
  return { modelTopology: m.toJSON(null, false) as object, weightSpecs: specs, weightData: data };
}

async function loadedValues(entries: Array<[string, number]>, vals: tf.Tensor[]): Promise<number[]> {
  const m = model();
  const a = await artifacts(m, entries.map(([name, i]) => [name, vals[i] as tf.Tensor]));
  const loaded = await modelFromArtifacts(a);
  const firsts = loaded.getWeights().map((w) => w.dataSync()[0] as number);
  loaded.dispose();
  m.dispose();
  return firsts;
}

describe('weight matching', () => {
  let vals: tf.Tensor[];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const m = model();
    vals = values(m);
    m.dispose();
  });
  afterAll(() => tf.dispose(vals));

  const expected = [1, 2, 3, 4, 5]; // lstm kernel, recurrent_kernel, bias, dense kernel, bias

  it.each([
    ['tfjs / Keras <= 2.4', ['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias']],
    ['tf.keras 2.x', ['lstm/lstm_cell/kernel', 'lstm/lstm_cell/recurrent_kernel', 'lstm/lstm_cell/bias', 'dense/kernel', 'dense/bias']],
    ['model-prefixed with :0', ['sequential/lstm/lstm_cell/kernel:0', 'sequential/lstm/lstm_cell/recurrent_kernel:0', 'sequential/lstm/lstm_cell/bias:0', 'sequential/dense/kernel:0', 'sequential/dense/bias:0']],
    ['Keras 3 .keras vars', ['layers/lstm/cell/vars/0', 'layers/lstm/cell/vars/1', 'layers/lstm/cell/vars/2', 'layers/dense/vars/0', 'layers/dense/vars/1']],
  ])('loads %s names', async (_, names) => {
    expect(await loadedValues(names.map((n, i) => [n, i]), vals)).toEqual(expected);
  });

  it('does not depend on the manifest order (roles, var numbers)', async () => {
    expect(await loadedValues([['dense/bias', 4], ['lstm/lstm_cell/bias', 2], ['dense/kernel', 3], ['lstm/lstm_cell/recurrent_kernel', 1], ['lstm/lstm_cell/kernel', 0]], vals)).toEqual(expected);
    expect(await loadedValues([['layers/dense/vars/1', 4], ['layers/lstm/cell/vars/2', 2], ['layers/lstm/cell/vars/0', 0], ['layers/dense/vars/0', 3], ['layers/lstm/cell/vars/1', 1]], vals)).toEqual(expected);
  });

  it('skips optimizer variables and falls back to model order when no name matches a layer', async () => {
    const names = ['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias'];
    const withOptimizer: Array<[string, number]> = [...names.map((n, i) => [n, i] as [string, number]), ['optimizer/vars/0', 4]];
    expect(await loadedValues(withOptimizer, vals)).toEqual(expected);
    const renamed = ['lstm_7/kernel', 'lstm_7/recurrent_kernel', 'lstm_7/bias', 'dense_9/kernel', 'dense_9/bias'];
    expect(await loadedValues(renamed.map((n, i) => [n, i]), vals)).toEqual(expected);
  });

  it('WEIGHT_MISMATCH for extra, missing or misshapen weights, with nothing left behind', async () => {
    const cases: Array<Array<[string, tf.Tensor]>> = [
      [['lstm/kernel', vals[0]!], ['lstm/recurrent_kernel', vals[1]!], ['lstm/bias', vals[2]!], ['dense/kernel', vals[3]!]],
      [['lstm/kernel', vals[0]!], ['lstm/recurrent_kernel', vals[1]!], ['lstm/bias', vals[2]!], ['dense/kernel', vals[3]!], ['dense/bias', vals[4]!], ['other/kernel', vals[4]!]],
      [['lstm/kernel', vals[1]!], ['lstm/recurrent_kernel', vals[0]!], ['lstm/bias', vals[2]!], ['dense/kernel', vals[3]!], ['dense/bias', vals[4]!]],
    ];
    for (const entries of cases) {
      const m = model();
      const a = await artifacts(m, entries);
      const tensors = tf.memory().numTensors;
      const vars = Object.keys(tf.engine().registeredVariables).length;
      let err: unknown;
      try {
        await modelFromArtifacts(a);
      } catch (e) {
        err = e;
      }
      expect(isRnnkitError(err, 'WEIGHT_MISMATCH')).toBe(true);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Object.keys(tf.engine().registeredVariables).length).toBe(vars);
      m.dispose();
    }
  });

  it('decodeStoredWeights dequantizes converter-quantized weights (uint8 / float16)', () => {
    const specs: tf.io.WeightsManifestEntry[] = [
      { name: 'q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'q16', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
    ];
    const data = new Uint8Array([0, 2, 4, 0x00, 0x3c]); // uint8 0,2,4 -> -1,0,1; float16 0x3c00 = 1
    const out = decodeStoredWeights(specs, data.buffer);
    expect(out.map((w) => Array.from(w.tensor.dataSync()))).toEqual([[-1, 0, 1], [1]]);
    out.forEach((w) => w.tensor.dispose());
  });

  it('decodeStoredWeights keeps duplicate names and checks the byte count', () => {
    const specs: tf.io.WeightsManifestEntry[] = [
      { name: 'a', shape: [2], dtype: 'float32' },
      { name: 'a', shape: [1], dtype: 'int32' },
    ];
    const data = new Uint8Array(12);
    new Float32Array(data.buffer, 0, 2).set([1.5, 2.5]);
    new Int32Array(data.buffer, 8, 1).set([7]);
    const out = decodeStoredWeights(specs, data.buffer);
    expect(out.map((w) => Array.from(w.tensor.dataSync()))).toEqual([[1.5, 2.5], [7]]);
    out.forEach((w) => w.tensor.dispose());
    expect(() => decodeStoredWeights(specs, data.buffer.slice(0, 10))).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
    expect(() => decodeStoredWeights(specs, [data.buffer.slice(0, 8), data.buffer.slice(8)])).not.toThrow();
  });
});
