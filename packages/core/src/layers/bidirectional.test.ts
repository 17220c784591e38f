// Tests of bidirectional.ts: the shared layer test per merge mode, explicit backward layers, masks,
// initial and stateful states, serialization and reload, errors, leaks.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { runLayerTest } from '../../test/layerTestUtil';
import { codeOf } from '../../test/util/errors';
import { Bidirectional, bidirectional, type BidirectionalLayerArgs } from './bidirectional';
import { layers } from './index';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { SimpleRNN } from './simpleRnn';
import { modelFromArtifacts } from '../io/loadModel';
import { resetStates } from './resetStates';

describeBackends('Bidirectional', () => {
  it('is in the layers namespace and passes the shared layer test for each merge mode', async () => {
    expect(layers.bidirectional).toBe(bidirectional);
    const cases: Array<[BidirectionalLayerArgs['mergeMode'], number[] | number[][]]> = [
      ['concat', [2, 5, 8]], ['sum', [2, 5, 4]], ['mul', [2, 5, 4]], ['ave', [2, 5, 4]], [null, [[2, 5, 4], [2, 5, 4]]],
    ];
    for (const [mergeMode, expectedOutputShape] of cases) {
      await runLayerTest({
        factory: (a: BidirectionalLayerArgs) => bidirectional({ ...a, layer: new LSTM({ units: 4, returnSequences: true }) }),
        args: { layer: { className: 'LSTM', config: {} }, mergeMode },
        inputShape: [2, 5, 3],
        expectedOutputShape,
        expectedWeightShapes: [[3, 16], [4, 16], [16], [3, 16], [4, 16], [16]],
      });
    }
  });

  it('returns outputs, then forward states, then backward states with returnState', async () => {
    await runLayerTest({
      factory: bidirectional,
      args: { layer: new LSTM({ units: 4, returnState: true }) },
      inputShape: [2, 5, 3],
      expectedOutputShape: [[2, 8], [2, 4], [2, 4], [2, 4], [2, 4]],
    });
    await runLayerTest({
      factory: bidirectional,
      args: { layer: new GRU({ units: 4, returnState: true, returnSequences: true }), mergeMode: null },
      inputShape: [2, 5, 3],
      expectedOutputShape: [[2, 5, 4], [2, 5, 4], [2, 4], [2, 4]],
    });
  });

  it('makes the backward layer a goBackwards copy named backward_*, and forces zeroOutputForMask = returnSequences', () => {
    const inner = new LSTM({ units: 3, returnSequences: true, name: 'enc' });
    const b = new Bidirectional({ layer: inner });
    expect(b.forwardLayer).not.toBe(inner);
    expect([b.forwardLayer.name, b.backwardLayer.name]).toEqual(['forward_enc', 'backward_enc']);
    expect([b.forwardLayer.goBackwards, b.backwardLayer.goBackwards]).toEqual([false, true]);
    expect((b.forwardLayer as LSTM).zeroOutputForMask).toBe(true);
    expect((b.backwardLayer as LSTM).zeroOutputForMask).toBe(true);
    const last = new Bidirectional({ layer: new GRU({ units: 3, zeroOutputForMask: true, name: 'forward_g' }) });
    expect((last.forwardLayer as GRU).zeroOutputForMask).toBe(false);
    expect(last.forwardLayer.name).toBe('forward_g'); // Keras strips an existing prefix
    const flipped = new Bidirectional({ layer: new SimpleRNN({ units: 2, goBackwards: true }) });
    expect([flipped.forwardLayer.goBackwards, flipped.backwardLayer.goBackwards]).toEqual([true, false]);
  });

  it('names the weights of the two directions apart, inside the wrapper scope', () => {
    const model = tf.sequential({ layers: [bidirectional({ layer: new LSTM({ units: 2, name: 'lstm' }), name: 'bi', inputShape: [4, 3] })] });
    const names = model.weights.map((w) => w.originalName);
    expect(names).toEqual(['bi/forward_lstm/kernel', 'bi/forward_lstm/recurrent_kernel', 'bi/forward_lstm/bias', 'bi/backward_lstm/kernel', 'bi/backward_lstm/recurrent_kernel', 'bi/backward_lstm/bias']);
    model.dispose();
  });

  it('wraps a generic RNN over stacked cells (Keras Bidirectional(RNN([cell, cell])))', () => {
    const bi = bidirectional({ layer: layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2 })], returnSequences: true }), mergeMode: 'sum' });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4, 3] }), bi] });
    expect(model.outputShape).toEqual([null, 4, 2]);
    const names = model.weights.map((w) => w.originalName);
    expect(new Set(names).size).toBe(names.length);
    expect(bi.getConfig().layer).toMatchObject({ className: 'RNN' });
    const x = tf.ones([2, 4, 3]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 2]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('validates its arguments as Keras does', () => {
    const lstm = (a: object = {}) => new LSTM({ units: 2, ...a });
    expect(codeOf(() => bidirectional({ layer: lstm(), mergeMode: 'max' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: tf.layers.dense({ units: 2 }) as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: undefined as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: lstm(), backwardLayer: lstm() }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: lstm(), backwardLayer: lstm({ goBackwards: true, returnSequences: true }) }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: lstm(), backwardLayer: lstm({ goBackwards: true, returnState: true }) }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bidirectional({ layer: { className: 'NoSuchRNN', config: {} } }))).toBe('UNKNOWN_CLASS');
    const b = bidirectional({ layer: lstm() });
    const x = tf.ones([1, 3, 2]);
    expect(codeOf(() => b.apply(x, { initialState: [tf.zeros([1, 2])] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => b.resetStates())).toBe('INVALID_STATE');
    x.dispose();
  });

  it('uses an explicit backward layer as given and serializes it; round-trips through a saved model', async () => {
    const back = new LSTM({ units: 3, goBackwards: true, activation: 'relu', returnSequences: true, name: 'rev' });
    const model = tf.sequential({
      layers: [
        tf.layers.masking({ maskValue: 0, inputShape: [5, 2] }),
        bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), backwardLayer: back, mergeMode: 'sum' }),
        bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'ave' }),
      ],
    });
    const bi = model.layers[1] as Bidirectional;
    expect(bi.backwardLayer).toBe(back);
    expect(back.name).toBe('backward_rev');
    const config = bi.getConfig();
    expect((config.backwardLayer as unknown as { config: { activation: string } }).config.activation).toBe('relu');
    expect((model.layers[2] as Bidirectional).getConfig().backwardLayer).toBeUndefined();

    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const saved = artifacts as unknown as tf.io.ModelArtifacts;
    const reloaded = await modelFromArtifacts(saved);
    const weights = tf.io.decodeWeights(saved.weightData as ArrayBuffer, saved.weightSpecs ?? []);
    reloaded.loadWeights(weights); // tfjs's strict by-name load: the saved names are the reloaded names
    const asJson = (c: unknown) => JSON.parse(JSON.stringify(c, (_k, v: unknown) => (v === null ? undefined : v))) as unknown; // null ~ undefined
    expect(asJson((reloaded.layers[1] as Bidirectional).getConfig())).toEqual(asJson(config));
    const x = tf.tensor3d([[[1, 2], [0, 0], [3, -1], [0.5, 0.5], [0, 0]]]); // a masked hole and a masked end
    const a = model.predict(x) as tf.Tensor;
    const b = reloaded.predict(x) as tf.Tensor;
    expectClose(b, a, 0);
    tf.dispose([x, a, b, ...Object.values(weights)]);
    model.dispose();
    reloaded.dispose();
  });

  it('has Keras parameter counts in model.summary() and trains with model.fit', async () => {
    const model = tf.sequential({
      layers: [bidirectional({ layer: new LSTM({ units: 64, recurrentInitializer: 'glorotUniform' }), inputShape: [10, 20] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    expect(model.layers[0]?.countParams()).toBe(2 * 21760);
    expect(model.layers[0]?.outputShape).toEqual([null, 128]);
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'binaryCrossentropy' });
    const x = tf.randomNormal([8, 10, 20], 0, 1, 'float32', 3);
    const y = tf.cast(tf.greater(tf.mean(x, [1, 2]), 0), 'float32').reshape([8, 1]);
    const before = model.getWeights().map((w) => w.clone());
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const after = model.getWeights();
    expect(after.every((w, i) => tf.any(tf.notEqual(w, before[i] as tf.Tensor)).dataSync()[0] === 1)).toBe(true);
    tf.dispose([x, y, ...before]);
    model.dispose();
  });

  it('accepts symbolic initial states in a functional model (first half forward, second half backward)', () => {
    const x = tf.input({ shape: [4, 3] });
    const states = [0, 1, 2, 3].map(() => tf.input({ shape: [2] }));
    const bi = bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }), mergeMode: 'concat' });
    const y = bi.apply(x, { initialState: states }) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 4, 4]);
    const model = tf.model({ inputs: [x, ...states], outputs: y });
    const xv = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5);
    const sv = [0, 1, 2, 3].map((i) => tf.randomNormal([2, 2], 0, 1, 'float32', 10 + i));
    const viaModel = model.predict([xv, ...sv]) as tf.Tensor;
    const eager = bi.apply(xv, { initialState: sv }) as tf.Tensor;
    expectClose(viaModel, eager, 1e-6);
    const fwd = bi.forwardLayer.apply(xv, { initialState: sv.slice(0, 2) }) as tf.Tensor; // [2, 4, 2]
    expectClose(tf.slice(eager, [0, 0, 0], [2, 4, 2]), fwd, 1e-6);
    tf.dispose([xv, ...sv, viaModel, eager, fwd]);
    model.dispose();
  });

  it('is stateful like its layer: carries states across batches until resetStates(model)', () => {
    const model = tf.sequential({
      layers: [bidirectional({ layer: new GRU({ units: 2, stateful: true, returnSequences: true }), batchInputShape: [2, 3, 2] })],
    });
    const bi = model.layers[0] as Bidirectional;
    expect(bi.stateful).toBe(true);
    const x = tf.randomNormal([2, 6, 2], 0, 1, 'float32', 7);
    const [a, b] = tf.split(x, 2, 1) as [tf.Tensor, tf.Tensor];
    const y1 = model.predict(a) as tf.Tensor;
    const y2 = model.predict(b) as tf.Tensor;
    expect(bi.states?.length).toBe(2);
    // The forward half of chunked calls equals one forward pass over the whole sequence.
    const whole = new GRU({ units: 2, returnSequences: true });
    whole.apply(x);
    whole.setWeights(bi.forwardLayer.getWeights());
    const full = whole.apply(x) as tf.Tensor; // [2, 6, 2]
    expectClose(tf.concat([tf.slice(y1, [0, 0, 0], [2, 3, 2]), tf.slice(y2, [0, 0, 0], [2, 3, 2])], 1), full, 1e-5);
    expect(resetStates(model)).toBe(1);
    const y3 = model.predict(a) as tf.Tensor;
    expectClose(y3, y1, 1e-6);
    tf.dispose([x, a, b, y1, y2, y3, full]);
    whole.dispose();
    model.dispose();
  });

  it('resetStates(model) resets nested stateful layers and skips stateless ones', () => {
    const inner = tf.sequential({ layers: [new LSTM({ units: 2, stateful: true, returnSequences: true, batchInputShape: [1, 2, 2] })] });
    const outer = tf.sequential({ layers: [inner, new SimpleRNN({ units: 2 }), tf.layers.dense({ units: 1 })] });
    const x = tf.ones([1, 2, 2]);
    const y1 = outer.predict(x) as tf.Tensor;
    const y2 = outer.predict(x) as tf.Tensor;
    expect(Math.abs((y1.dataSync()[0] as number) - (y2.dataSync()[0] as number))).toBeGreaterThan(0);
    expect(resetStates(outer)).toBe(1);
    const y3 = outer.predict(x) as tf.Tensor;
    expectClose(y3, y1, 1e-6);
    tf.dispose([x, y1, y2, y3]);
    outer.dispose();
  });

  it('propagates trainable and frees every variable on dispose', () => {
    const start = tf.memory().numTensors;
    const bi = bidirectional({ layer: new LSTM({ units: 2 }) });
    const x = tf.ones([1, 3, 2]);
    tf.dispose(bi.apply(x) as tf.Tensor);
    bi.trainable = false;
    expect(bi.trainableWeights.length).toBe(0);
    expect(bi.nonTrainableWeights.length).toBe(6);
    expect(bi.forwardLayer.trainable).toBe(false);
    bi.trainable = true;
    expect(bi.trainableWeights.length).toBe(6);
    x.dispose();
    expect(bi.dispose().numDisposedVariables).toBe(6);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('leaks no tensors in predict with a mask', async () => {
    const model = tf.sequential({ layers: [tf.layers.masking({ inputShape: [4, 2] }), bidirectional({ layer: new GRU({ units: 3, returnSequences: true }), mergeMode: 'mul' })] });
    const x = tf.tensor3d([[[1, 1], [0, 0], [2, 1], [0, 0]]]);
    await expectNoLeak(() => model.predict(x) as tf.Tensor, 5);
    x.dispose();
    model.dispose();
  });
});
