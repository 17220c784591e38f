// Keras's own files, no converter: Keras 3 `.keras` zips and legacy `.h5` full models (Keras 2.x,
// tf.keras 2.x, Keras 3), read from a path, bytes, a Blob and a URL, checked against the float64
// numpy reference of test/fixtures/keras/native (make_fixtures.py wrote the files and the expected
// outputs; reference.py has the formulas).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModel } from '../../src/io';
import { detectModelFormat, readKerasModel } from '../../src/io/keras/index';
import { describeBackends } from '../util/backends';
import { zipSync } from 'fflate';
import { codeOfAsync } from '../util/errors';

const DIR = path.join(__dirname, '../fixtures/keras/native');
const file = (name: string): string => path.join(DIR, name);

function expected(name: string): { inputs: tf.Tensor[]; outputs: number[][] } {
  const data = JSON.parse(fs.readFileSync(file(`${name}.expected.json`), 'utf8')) as { inputs: unknown[]; outputs: unknown[] };
  return {
    inputs: data.inputs.map((x) => tf.tensor(x as number[])),
    outputs: data.outputs.map((y) => (y as number[]).flat(3) as number[]),
  };
}

async function expectMatches(model: tf.LayersModel, name: string, tol = 1e-5): Promise<void> {
  const { inputs, outputs } = expected(name);
  const got = tf.tidy(() => {
    const y = model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs);
    return (Array.isArray(y) ? y : [y]).map((t) => Array.from(t.dataSync()));
  });
  inputs.forEach((t) => t.dispose());
  expect(got.length).toBe(outputs.length);
  got.forEach((values, i) => {
    const want = outputs[i] as number[];
    expect(values.length).toBe(want.length);
    const worst = Math.max(...values.map((v, j) => Math.abs(v - (want[j] as number))));
    expect(worst).toBeLessThan(tol);
  });
}

const CASES: Array<[string, string]> = [
  ['k3_seq_lstm.keras', 'k3_seq_lstm'],
  ['k3_func_multi.keras', 'k3_func_multi'],
  ['k3_encdec.keras', 'k3_encdec'],
  ['k2_seq_bare.h5', 'k2_seq_bare'],
  ['k2_cudnn.h5', 'k2_cudnn'],
  ['k2_tfkeras_func.h5', 'k2_tfkeras_func'],
  ['k3_legacy.h5', 'k3_legacy'],
  ['k3_legacy_h5_named.keras', 'k3_legacy'],
  ['k2_nested_bidi.h5', 'k2_nested_bidi'],
  ['k3_nested_bidi.keras', 'k3_nested_bidi'],
];

describeBackends('Keras files loaded from a path', () => {
  it.each(CASES)('%s matches the float64 reference', async (name, ref) => {
    const before = tf.memory().numTensors;
    const model = await loadLayersModel(file(name));
    await expectMatches(model, ref);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Keras files from other sources', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reads bytes, ArrayBuffers and Blobs, telling the format from the first bytes', async () => {
    const bytes = new Uint8Array(fs.readFileSync(file('k3_legacy_h5_named.keras')));
    expect(detectModelFormat(bytes)).toBe('hdf5');
    expect(detectModelFormat(new Uint8Array(fs.readFileSync(file('k3_seq_lstm.keras'))))).toBe('keras-zip');
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      const model = await loadLayersModel(source);
      await expectMatches(model, 'k3_legacy');
      model.dispose();
    }
  });

  it('fetches a URL once and reads it as a Keras file', async () => {
    const bytes = fs.readFileSync(file('k3_seq_lstm.keras'));
    const urls: string[] = [];
    const fetchFunc = (async (url: string) => {
      urls.push(url);
      return new Response(bytes);
    }) as unknown as typeof fetch;
    const model = await loadLayersModel('https://example.test/models/m.keras', { fetchFunc });
    await expectMatches(model, 'k3_seq_lstm');
    model.dispose();
    expect(urls).toEqual(['https://example.test/models/m.keras']);
  });

  it('refuses a custom layer class with UNKNOWN_CLASS naming it, and takes it from customObjects', async () => {
    const before = tf.memory().numTensors;
    const err = await loadLayersModel(file('k3_custom_layer.keras')).catch((e: Error) => e);
    expect((err as { code?: string }).code).toBe('UNKNOWN_CLASS');
    expect((err as Error).message).toContain('MyAttentionPool');
    expect(tf.memory().numTensors).toBe(before);

    class MyAttentionPool extends tf.layers.Layer {
      static className = 'MyAttentionPool';
      override computeOutputShape(shape: tf.Shape): tf.Shape {
        return [shape[0] ?? null, shape[2] ?? null];
      }
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
        return tf.mean(x, 1); // [batch, units]
      }
    }
    const model = await loadLayersModel(file('k3_custom_layer.keras'), {
      customObjects: { MyAttentionPool: [MyAttentionPool, tf.serialization.Serializable.fromConfig] } as never,
    });
    expect(model.outputs[0]?.shape).toEqual([null, 2]);
    model.dispose();
  });

  it('refuses corrupt files with codes', async () => {
    const good = new Uint8Array(fs.readFileSync(file('k3_seq_lstm.keras')));
    expect(await codeOfAsync(loadLayersModel(good.slice(0, 200)))).toBe('INVALID_MODEL');
    const h5 = new Uint8Array(fs.readFileSync(file('k3_legacy.h5')));
    expect(await codeOfAsync(loadLayersModel(h5.slice(0, 600)))).toBe('INVALID_MODEL');
    expect(await codeOfAsync(loadLayersModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])))).toBe('INVALID_MODEL');
    expect(() => readKerasModel(new TextEncoder().encode('{"modelTopology": {}}'))).toThrow(/JSON/);
    // A zip whose central directory declares a 4 GB config.json: refused before inflating anything.
    const bomb = zipSync({ 'config.json': new TextEncoder().encode('{}') });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i + 4 <= bomb.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 0xfffffff0, true);
    expect(await codeOfAsync(loadLayersModel(bomb))).toBe('INVALID_MODEL');
    expect(() => readKerasModel(bomb)).toThrow(/inflate to at most/);
  });
});
