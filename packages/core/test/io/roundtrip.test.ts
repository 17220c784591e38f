// Models built with rnnkit's layers: saved by rnnkit, reloaded bit for bit; the stock-layer ones
// stay loadable by stock tf.loadLayersModel.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installMaskedPredict, loadLayersModel, saveLayersModel } from '../../src/io';
import { layers } from '../../src/layers/index';

const ids = () => tf.tensor2d([[3, 1, 0, 4, 2, 0], [5, 6, 7, 0, 0, 0]], undefined, 'int32');

function rnnkitFunctional(): tf.LayersModel {
  const input = tf.input({ shape: [6], dtype: 'int32' });
  const emb = tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(input) as tf.SymbolicTensor;
  const seq = layers
    .bidirectional({ layer: layers.gru({ units: 3, returnSequences: true }), mergeMode: 'concat' })
    .apply(emb) as tf.SymbolicTensor;
  const att = layers.attention({ useScale: true, scoreMode: 'concat' }).apply([seq, seq]) as tf.SymbolicTensor;
  const add = layers.additiveAttention({ useScale: true }).apply([att, seq]) as tf.SymbolicTensor;
  const last = layers.lstm({ units: 2 }).apply(add) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1 }).apply(last) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function rnnkitSequential(): tf.LayersModel {
  const model = tf.sequential();
  model.add(layers.simpleRNN({ units: 4, returnSequences: true, inputShape: [5, 3] }));
  model.add(layers.gru({ units: 3, resetAfter: false, returnSequences: true }));
  model.add(layers.lstm({ units: 2 }));
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}

function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

describe('rnnkit models: save and reload', () => {
  let root: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'rnnkit-rt-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reloads Bidirectional GRU(resetAfter) + Attention + AdditiveAttention + LSTM bit for bit', async () => {
    const model = rnnkitFunctional();
    installMaskedPredict(model); // the same mask-correct inference the loader installs
    const dir = join(root, 'functional');
    await saveLayersModel(model, dir);
    const loaded = await loadLayersModel(dir);
    expect(loaded.getWeights().map(bits)).toEqual(model.getWeights().map(bits));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    const x = ids();
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(bits(b)).toEqual(bits(a));
    tf.dispose([x, a, b]);
    loaded.dispose();
    model.dispose();
  });

  it('loads stock tf.layers models (tfjs defaults: hardSigmoid, resetAfter false) with the same outputs', async () => {
    const stock = tf.sequential();
    stock.add(tf.layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6 }));
    stock.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true }) as tf.RNN, mergeMode: 'sum' }));
    stock.add(tf.layers.simpleRNN({ units: 3, returnSequences: true }));
    stock.add(tf.layers.lstm({ units: 2 }));
    stock.add(tf.layers.dense({ units: 1 }));
    let artifacts: tf.io.ModelArtifacts | undefined;
    await stock.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const ours = await loadLayersModel(artifacts!);
    expect(ours.getWeights().map(bits)).toEqual(stock.getWeights().map(bits));
    const x = ids();
    const a = stock.predict(x) as tf.Tensor;
    const b = ours.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    ours.dispose();
    stock.dispose();
  });

  it('concurrent loads leave the tfjs class map as it was', async () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const stockLstm = map['LSTM'];
    const dir = join(__dirname, '..', 'fixtures', 'keras');
    const models = await Promise.all(['k2_lstm_dropout', 'k3_bidi_gru_ave', 'k3h5_attention_embedding'].map((c) => loadLayersModel(join(dir, c))));
    expect(map['LSTM']).toBe(stockLstm);
    expect(map['Attention']).toBeUndefined();
    models.forEach((m) => m.dispose());
  });

  it('rnnkit SimpleRNN / GRU(resetAfter false) / LSTM models stay loadable by stock tf.loadLayersModel', async () => {
    const model = rnnkitSequential();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const stock = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(stock.getWeights().map(bits)).toEqual(model.getWeights().map(bits));
    const ours = await loadLayersModel(artifacts!);
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 4);
    const y = model.predict(x) as tf.Tensor;
    const ys = stock.predict(x) as tf.Tensor;
    const yo = ours.predict(x) as tf.Tensor;
    expect(bits(yo)).toEqual(bits(y));
    const diff = tf.max(tf.abs(tf.sub(ys, y))).dataSync()[0] as number;
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, y, ys, yo]);
    [stock, ours, model].forEach((m) => m.dispose());
  });
});
