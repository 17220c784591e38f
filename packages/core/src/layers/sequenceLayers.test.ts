// Tests of the Keras sequence layers SimpleRNN, LSTM and GRU (simpleRnn.ts, lstm.ts, gru.ts on rnn.ts)
// through the layers barrel: the shared layer test, Keras parameter counts and defaults, initial and
// stateful states, masks, dropout, training, save/reload with rnnkit's and stock loaders, class names, errors.
import * as tf from '@tensorflow/tfjs';
import { runLayerTest } from '../../test/layerTestUtil';
import { describeBackends } from '../../test/util/backends';
import { GRU, LSTM, RNN, SimpleRNN, layers, rnnkitLayerClasses, withRnnkitLayers } from './index';
import { expectCode } from '../../test/util/errors';


describeBackends('SimpleRNN / LSTM / GRU layers', () => {
  const shape = [2, 5, 3];
  const cases: [string, (a: never) => tf.layers.Layer, Record<string, unknown>, number[][], number[] | number[][], number[]?][] = [
    ['simpleRNN', layers.simpleRNN, { units: 4 }, [[3, 4], [4, 4], [4]], [2, 4]],
    ['simpleRNN seq, no bias', layers.simpleRNN, { units: 4, useBias: false, returnSequences: true }, [[3, 4], [4, 4]], [2, 5, 4]],
    ['lstm', layers.lstm, { units: 4 }, [[3, 16], [4, 16], [16]], [2, 4]],
    ['lstm returnState + seq', layers.lstm, { units: 4, returnSequences: true, returnState: true }, [[3, 16], [4, 16], [16]], [[2, 5, 4], [2, 4], [2, 4]]],
    ['lstm with regularizers/constraints/dropout', layers.lstm, { units: 4, kernelRegularizer: 'l1l2', recurrentConstraint: 'maxNorm', dropout: 0.2, recurrentDropout: 0.1, activation: 'relu', recurrentActivation: 'hard_sigmoid' }, [[3, 16], [4, 16], [16]], [2, 4]],
    ['gru resetAfter', layers.gru, { units: 4 }, [[3, 12], [4, 12], [2, 12]], [2, 4]],
    ['gru resetBefore backwards', layers.gru, { units: 4, resetAfter: false, goBackwards: true, returnSequences: true }, [[3, 12], [4, 12], [12]], [2, 5, 4]],
    ['gru stateful', layers.gru, { units: 4, stateful: true, batchInputShape: [2, 5, 3] }, [[3, 12], [4, 12], [2, 12]], [2, 4]],
    ['rnn(stacked cells)', (a: never) => layers.rnn({ ...(a as object), cell: [layers.lstmCell({ units: 4 }), layers.gruCell({ units: 2 })] }), { returnState: true }, [[3, 16], [4, 16], [16], [4, 6], [2, 6], [2, 6]], [[2, 2], [2, 4], [2, 4], [2, 2]]],
    ['lstmCell alone (one step)', layers.lstmCell, { units: 4 }, [[3, 16], [4, 16], [16]], [[2, 4], [2, 4], [2, 4]], [2, 3]],
    ['simpleRNNCell alone', layers.simpleRNNCell, { units: 4, activation: 'relu' }, [[3, 4], [4, 4], [4]], [[2, 4], [2, 4]], [2, 3]],
    ['gruCell alone', layers.gruCell, { units: 4, resetAfter: true }, [[3, 12], [4, 12], [2, 12]], [[2, 4], [2, 4]], [2, 3]],
    ['stackedRNNCells alone', (a: never) => layers.stackedRNNCells({ ...(a as object), cells: [layers.gruCell({ units: 4, resetAfter: false }), layers.simpleRNNCell({ units: 2 })] }), {}, [[3, 12], [4, 12], [12], [4, 2], [2, 2], [2]], [[2, 2], [2, 4], [2, 2]], [2, 3]],
    ['rnn(simpleRNNCell)', (a: never) => layers.rnn({ ...(a as object), cell: layers.simpleRNNCell({ units: 3 }) }), { returnSequences: true }, [[3, 3], [3, 3], [3]], [2, 5, 3]],
  ];
  for (const [name, factory, args, weights, out, inputShape] of cases) {
    it(`passes the layer test: ${name}`, async () => {
      await runLayerTest({ factory, args: args as never, inputShape: inputShape ?? shape, expectedWeightShapes: weights, expectedOutputShape: out });
    });
  }

  it('has Keras parameter counts (classic example: input (10, 20), 64 units)', () => {
    const counts = [layers.simpleRNN, layers.lstm, layers.gru].map((f) => {
      const m = tf.sequential({ layers: [f({ units: 64, inputShape: [10, 20] } as never)] });
      const n = m.countParams();
      m.dispose();
      return n;
    });
    expect(counts).toEqual([5440, 21760, 16512]);
  });

  it('initializes LSTM bias with unit forget bias and Keras defaults', () => {
    const l = layers.lstm({ units: 2 });
    tf.dispose(l.apply(tf.zeros([1, 2, 3])) as tf.Tensor);
    expect(Array.from(l.getWeights()[2]!.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const config = l.getConfig();
    expect(config.activation).toBe('tanh');
    expect(config.recurrentActivation).toBe('sigmoid');
    expect((config.kernelInitializer as { config: { distribution: string } }).config.distribution).toBe('uniform');
    expect((config.recurrentInitializer as { className: string }).className).toBe('Orthogonal');
    expect(layers.gru({ units: 2 }).getConfig().resetAfter).toBe(true);
    l.dispose();
  });

  it('takes initialState eagerly and symbolically (tf.model) and gives the same numbers', () => {
    const layer = layers.lstm({ units: 3, returnSequences: true });
    const x = tf.randomNormal([2, 4, 5]);
    const h0 = tf.randomNormal([2, 3]);
    const c0 = tf.randomNormal([2, 3]);
    const eager = layer.apply(x, { initialState: [h0, c0] }) as tf.Tensor;
    const inp = tf.input({ shape: [4, 5] });
    const sh = tf.input({ shape: [3] });
    const sc = tf.input({ shape: [3] });
    const model = tf.model({ inputs: [inp, sh, sc], outputs: layer.apply(inp, { initialState: [sh, sc] }) as tf.SymbolicTensor });
    const sym = model.predict([x, h0, c0]) as tf.Tensor;
    expect(sym.shape).toEqual([2, 4, 3]);
    expect(tf.max(tf.abs(tf.sub(sym, eager))).dataSync()[0]).toBeLessThan(1e-6);
    const zero = layer.apply(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(zero, eager))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, h0, c0, eager, sym, zero]);
    model.dispose();
  });

  it('uses the mask of Embedding(maskZero) and Masking in a model', () => {
    const ids = tf.tensor2d([[3, 0, 5, 0], [0, 0, 0, 0]], [2, 4], 'int32');
    const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputLength: 4 }), layers.gru({ units: 2, returnSequences: true })] });
    const out = model.predict(ids) as tf.Tensor3D;
    const v = out.arraySync();
    expect(v[0]![1]).toEqual(v[0]![0]); // masked step repeats the previous output
    expect(v[1]!.flat()).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // all-masked row stays zero
    const masking = tf.sequential({ layers: [tf.layers.masking({ maskValue: 0, inputShape: [3, 2] }), layers.simpleRNN({ units: 2, returnSequences: true, zeroOutputForMask: true })] });
    const o2 = (masking.predict(tf.tensor3d([[[1, 1], [0, 0], [2, 2]]])) as tf.Tensor3D).arraySync();
    expect(o2[0]![1]).toEqual([0, 0]);
    tf.dispose([ids, out]);
    model.dispose();
    masking.dispose();
  });

  it('trains in tf.sequential with model.fit (dropout active) and resets states model-wide', async () => {
    const model = tf.sequential({ layers: [layers.lstm({ units: 4, dropout: 0.3, recurrentDropout: 0.3, stateful: true, batchInputShape: [2, 3, 2] }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = tf.randomNormal([2, 3, 2]);
    const y = tf.randomNormal([2, 1]);
    const h = await model.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss!.length).toBe(2);
    const a = model.predict(x) as tf.Tensor;
    model.resetStates();
    const b = model.predict(x) as tf.Tensor;
    const c = model.predict(x) as tf.Tensor;
    model.resetStates();
    const d = model.predict(x) as tf.Tensor;
    expect(Array.from(d.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(tf.max(tf.abs(tf.sub(c, b))).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, y, a, b, c, d]);
    model.dispose();
  });

  it('resetStates(values) sets the states of a stateful layer (same as passing initialState)', () => {
    const stateful = layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 4, 2] });
    const plain = layers.lstm({ units: 3 });
    const x = tf.randomNormal([2, 4, 2]);
    tf.dispose([stateful.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor]);
    plain.setWeights(stateful.getWeights());
    const s0 = [tf.randomNormal([2, 3]), tf.randomNormal([2, 3])];
    stateful.resetStates(s0);
    const a = stateful.apply(x) as tf.Tensor;
    const b = plain.apply(x, { initialState: s0 }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    expect(() => stateful.resetStates([tf.zeros([2, 3])])).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    tf.dispose([x, a, b, ...s0]);
    stateful.dispose();
    plain.dispose();
  });

  it('applies dropout only in training, with one mask per sequence', () => {
    const l = layers.simpleRNN({ units: 3, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
    const x = tf.ones([4, 3, 2]);
    const infer1 = l.apply(x) as tf.Tensor;
    const infer2 = l.apply(x, { training: false }) as tf.Tensor;
    expect(Array.from(infer1.dataSync())).toEqual(Array.from(infer2.dataSync()));
    const train = l.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(train, infer1))).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, infer1, infer2, train]);
    l.dispose();
  });

  it('round-trips a model through modelFromJSON inside withRnnkitLayers, leaving the tfjs map as it was', async () => {
    const model = tf.sequential({ layers: [layers.gru({ units: 3, inputShape: [4, 2], returnSequences: true }), layers.lstm({ units: 2 }), tf.layers.dense({ units: 1 })] });
    const json = model.toJSON(null, false) as tf.serialization.ConfigDict;
    const loaded = await withRnnkitLayers(() => tf.models.modelFromJSON({ modelTopology: json }));
    expect(loaded.layers.map((l) => l.constructor)).toEqual([GRU, LSTM, tf.layers.dense({ units: 1 }).constructor]);
    loaded.setWeights(model.getWeights());
    const x = tf.randomNormal([2, 4, 2]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.serialization.SerializationMap.getMap().classNameMap.LSTM?.[0]).not.toBe(LSTM);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('saves models that stock tf.loadLayersModel reloads with the same outputs', async () => {
    const model = tf.sequential({ layers: [layers.lstm({ units: 3, inputShape: [4, 2], returnSequences: true }), layers.gru({ units: 3, resetAfter: false, returnSequences: true }), layers.simpleRNN({ units: 2 })] });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const stock = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(stock.layers.map((l) => l.constructor)).not.toContain(LSTM);
    const x = tf.randomNormal([2, 4, 2]);
    const a = model.predict(x) as tf.Tensor;
    const b = stock.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    model.dispose();
    stock.dispose();
  });

  it('reloads a functional model with symbolic initial states and a stacked RNN (rnnkit and stock loaders)', async () => {
    const inp = tf.input({ shape: [4, 2] });
    const h0 = tf.input({ shape: [3] });
    const seq = layers.gru({ units: 3, resetAfter: false, returnSequences: true }).apply(inp, { initialState: h0 }) as tf.SymbolicTensor;
    const out = layers.rnn({ cell: [layers.lstmCell({ units: 2 }), layers.simpleRNNCell({ units: 2 })] }).apply(seq) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [inp, h0], outputs: out });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const ours = await withRnnkitLayers(() => tf.loadLayersModel(tf.io.fromMemory(artifacts!)));
    const stock = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const feed = [tf.randomNormal([2, 4, 2]), tf.randomNormal([2, 3])];
    const a = model.predict(feed) as tf.Tensor;
    for (const m of [ours, stock]) {
      const b = m.predict(feed) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
      b.dispose();
    }
    expect(ours.layers.some((l) => l instanceof RNN)).toBe(true);
    tf.dispose([a, ...feed]);
    [model, ours, stock].forEach((m) => m.dispose());
  });

  it('keeps the Keras class names', () => {
    expect([SimpleRNN, LSTM, GRU, RNN].map((c) => c.className)).toEqual(['SimpleRNN', 'LSTM', 'GRU', 'RNN']);
    expect(Object.keys(rnnkitLayerClasses())).toEqual(expect.arrayContaining(['LSTMCell', 'GRUCell', 'SimpleRNNCell', 'StackedRNNCells']));
  });

  it('rejects bad arguments and inputs with RnnkitError and leaves no tensors', () => {
    expectCode(() => layers.lstm({ units: 12.5 }), 'INVALID_ARGUMENT');
    expectCode(() => layers.gru({ units: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => layers.gru({ units: 2, dropout: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => layers.lstm({ units: 2, activation: 'nope' as never }), 'INVALID_ARGUMENT');
    const l = layers.lstm({ units: 2 });
    const x2 = tf.zeros([2, 3]);
    const x3 = tf.zeros([2, 3, 4]);
    const bad = [tf.zeros([2, 3]), tf.zeros([2, 2])];
    const before = tf.memory().numTensors;
    expectCode(() => l.apply(x2), 'INVALID_SHAPE');
    expectCode(() => l.apply(x3, { initialState: bad }), 'INVALID_SHAPE');
    expectCode(() => l.apply(x3, { initialState: [bad[1] as tf.Tensor] }), 'INVALID_SHAPE');
    expectCode(() => layers.gru({ units: 2, stateful: true }).apply(tf.input({ shape: [3, 4] })), 'INVALID_STATE');
    expectCode(() => l.resetStates(), 'INVALID_STATE');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x2, x3, ...bad]);
    const g = layers.gru({ units: 2 });
    tf.dispose(g.apply(tf.zeros([1, 2, 3])) as tf.Tensor);
    const w = g.getWeights(); // the variables themselves: not disposed here
    const wrong = tf.zeros([6]);
    expectCode(() => g.setWeights([w[0]!, w[1]!, wrong]), 'WEIGHT_MISMATCH');
    expectCode(() => g.setWeights([w[0]!, w[1]!]), 'WEIGHT_MISMATCH');
    wrong.dispose();
    g.dispose();
  });
});
