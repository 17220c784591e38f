// Keras import: every fixture written by test/reference/gen_keras_models.py (tensorflowjs_converter
// layouts for Keras 2.x and 3.x) loads with loadLayersModel and predicts the numpy reference's
// outputs to 1e-5, on cpu and wasm, without leaking tensors.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadLayersModel } from '../../src/io';
import { describeBackends, expectClose, expectNoLeak } from '../util/backends';

const FIXTURES = join(__dirname, '..', 'fixtures', 'keras');
// Converter-output fixtures (a model.json per folder); native/ holds Keras's own files (kerasFiles.test.ts).
const CASES = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory() && existsSync(join(FIXTURES, d, 'model.json'))).sort();

interface Expected {
  inputs: unknown[];
  dtypes: Array<'float32' | 'int32'>;
  outputs: unknown[];
}

type Nested = number | Nested[];

function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

function inputsOf(e: Expected): tf.Tensor[] {
  return e.inputs.map((x, i) => tf.tensor(x as number[], undefined, e.dtypes[i]));
}

describe('Keras fixtures', () => {
  it('cover Keras 2 and Keras 3 formats, and every layer kind the issue lists', () => {
    expect(CASES.filter((c) => c.startsWith('k2')).length).toBeGreaterThanOrEqual(8);
    expect(CASES.filter((c) => c.startsWith('k3')).length).toBeGreaterThanOrEqual(8);
    const text = CASES.map((c) => readFileSync(join(FIXTURES, c, 'model.json'), 'utf8')).join('\n');
    for (const cls of ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'StackedRNNCells', 'Embedding', 'Masking', 'Dense', 'Dropout', 'Attention', 'AdditiveAttention']) {
      expect(text).toContain(`"class_name": "${cls}"`);
    }
    for (const marker of ['"batch_input_shape"', '"batch_shape"', '"reset_after": true', '"reset_after": false', '"backward_layer"', '"__keras_tensor__"', '"DTypePolicy"', 'lstm/lstm_cell/kernel', '/vars/0', 'sequential/bidirectional/forward_lstm/lstm_cell/kernel']) {
      expect(text).toContain(marker);
    }
  });
});

describe('Keras fixture -> rnnkit save -> reload', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const name of CASES) {
    it(`${name}: reloads bit for bit`, async () => {
      const e = expected(name);
      const model = await loadLayersModel(join(FIXTURES, name));
      let artifacts: tf.io.ModelArtifacts | undefined;
      await model.save(tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
      const again = await loadLayersModel(artifacts!);
      const xs = inputsOf(e);
      const outs = [model.predict(xs), again.predict(xs)].map((o) => (Array.isArray(o) ? o : [o]));
      const bits = (t: tf.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
      expect(outs[1]!.map(bits)).toEqual(outs[0]!.map(bits));
      tf.dispose([...xs, ...outs.flat()]);
      again.dispose();
      model.dispose();
    });
  }
});

describeBackends('loadLayersModel(Keras fixture)', () => {
  for (const name of CASES) {
    it(`${name}: predict matches the numpy reference to 1e-5`, async () => {
      const e = expected(name);
      const model = await loadLayersModel(join(FIXTURES, name));
      const xs = inputsOf(e);
      const out = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
      const outs = Array.isArray(out) ? out : [out];
      expect(outs.length).toBe(e.outputs.length);
      outs.forEach((y, i) => expectClose(y, e.outputs[i] as Nested, 1e-5));
      tf.dispose([...xs, ...outs]);
      model.dispose();
    });
  }

  it('loading and predicting leaves no tensors behind', async () => {
    const name = CASES.find((c) => c.includes('bidi')) as string;
    const e = expected(name);
    await expectNoLeak(async () => {
      const model = await loadLayersModel(join(FIXTURES, name));
      const xs = inputsOf(e);
      const y = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
      tf.dispose([xs, y]);
      model.dispose();
      return undefined;
    }, 3);
  });
});
