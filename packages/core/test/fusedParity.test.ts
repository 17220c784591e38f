// The fused path (src/kernels through runRecurrence) against the composite path on the same layers,
// weights and dropout masks: outputs and gradients (weights, inputs, initial states) to 1e-5, on cpu and
// wasm, for Bidirectional, stacked cells, stateful runs, masks, dropout, initial states; no leaks in
// fused mode, model.fit included.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from './util/backends';
import { layers } from '../src/layers/index';
import { fusableCells } from '../src/recurrence/run';
import { LSTMCell } from '../src/layers/lstm';
import { getKernelMode, setKernelMode, type KernelMode } from '../src/kernels/index';
import * as sequence from '../src/kernels/sequence';

/** Math.random as a fixed LCG: same weights and dropout masks in every run of a case. */
function seedRandom(seed: number): void {
  let s = seed >>> 0;
  jest.spyOn(Math, 'random').mockImplementation(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  });
}

const MASK = [
  [1, 1, 0, 1, 1, 0], // holes, masked last step
  [0, 0, 1, 1, 0, 1], // leading masked steps
  [0, 0, 0, 0, 0, 0], // fully masked
  [1, 1, 1, 1, 1, 1],
];

interface Built {
  /** Trainable tensors whose gradients are compared (weights, and x / initial states as variables). */
  vars: tf.Variable[];
  forward(): tf.Tensor[];
  dispose(): void;
}

type Layer = tf.layers.Layer;

function apply(layer: Layer, x: tf.Tensor, kwargs: Record<string, unknown> = {}): tf.Tensor[] {
  return [layer.apply(x, { training: true, ...kwargs }) as tf.Tensor | tf.Tensor[]].flat();
}

/** A case on input x [4, 6, 3] (a variable, so dx is compared) and the bool mask above. */
function layerCase(make: () => Layer, kwargs: (t: { mask: tf.Tensor; states: tf.Variable[] }) => Record<string, unknown>,
  stateShapes: number[][] = []): () => Built {
  return () => {
    const x = tf.variable(tf.randomNormal([4, 6, 3], 0, 1, 'float32', 5), true, `x_${Math.random()}`);
    const mask = tf.tensor2d(MASK).cast('bool');
    const states = stateShapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 0.5, 'float32', 10 + i), true, `s${i}_${Math.random()}`));
    const layer = make();
    const args = kwargs({ mask, states });
    tf.dispose(apply(layer, x, args)); // build
    return {
      vars: [...layer.trainableWeights.map((w) => w.read() as tf.Variable), x, ...states],
      forward: () => apply(layer, x, args),
      dispose: () => {
        tf.dispose([x, mask, ...states]);
        layer.dispose();
      },
    };
  };
}

const noMask = () => ({});
const withMask = ({ mask }: { mask: tf.Tensor }) => ({ mask });

const CASES: Record<string, () => Built> = {
  'Bidirectional LSTM concat, masked, returnSequences': layerCase(
    () => layers.bidirectional({ layer: layers.lstm({ units: 5, returnSequences: true }), mergeMode: 'concat' }), withMask),
  'Bidirectional GRU (resetAfter false) sum, dropout + recurrentDropout': layerCase(
    () => layers.bidirectional({ layer: layers.gru({ units: 4, resetAfter: false, dropout: 0.3, recurrentDropout: 0.25 }), mergeMode: 'sum' }), withMask),
  'Bidirectional SimpleRNN ave, returnState, initial states': layerCase(
    () => layers.bidirectional({ layer: layers.simpleRNN({ units: 4, returnSequences: true, returnState: true }), mergeMode: 'ave' }),
    ({ mask, states }) => ({ mask, initialState: states }), [[4, 4], [4, 4]]),
  'stacked cells (LSTM, GRU, SimpleRNN), goBackwards, masked, returnState': layerCase(
    () => layers.rnn({ cell: [layers.lstmCell({ units: 4 }), layers.gruCell({ units: 5 }), layers.simpleRNNCell({ units: 3 })], returnSequences: true, returnState: true, goBackwards: true }),
    withMask),
  'stacked cells with dropout and recurrentDropout, initial states': layerCase(
    () => layers.rnn({ cell: [layers.gruCell({ units: 4, dropout: 0.2, recurrentDropout: 0.3 }), layers.lstmCell({ units: 3, dropout: 0.25, recurrentDropout: 0.2 })] }),
    ({ mask, states }) => ({ mask, initialState: states }), [[4, 4], [4, 3], [4, 3]]),
  'LSTM non-zero initial state, leading masked steps, zeroOutputForMask, returnState': layerCase(
    () => layers.lstm({ units: 5, returnSequences: true, returnState: true, zeroOutputForMask: true }),
    ({ mask, states }) => ({ mask, initialState: states }), [[4, 5], [4, 5]]),
  'LSTM goBackwards last output, initial state, masked, dropout': layerCase(
    () => layers.lstm({ units: 4, goBackwards: true, dropout: 0.3, recurrentDropout: 0.3 }),
    ({ mask, states }) => ({ mask, initialState: states }), [[4, 4], [4, 4]]),
  'GRU useBias false, goBackwards, initial state, masked': layerCase(
    () => layers.gru({ units: 4, useBias: false, goBackwards: true, returnSequences: true }),
    ({ mask, states }) => ({ mask, initialState: states }), [[4, 4]]),
  'GRU resetAfter, dropout + recurrentDropout, unmasked': layerCase(
    () => layers.gru({ units: 6, dropout: 0.2, recurrentDropout: 0.4, returnSequences: true }), noMask),
  'SimpleRNN dropout + recurrentDropout, masked, zeroOutputForMask': layerCase(
    () => layers.simpleRNN({ units: 5, dropout: 0.3, recurrentDropout: 0.3, returnSequences: true, zeroOutputForMask: true }), withMask),
  'stateful LSTM, two calls (second call starts from the first one\'s states)': () => {
    const x = tf.variable(tf.randomNormal([4, 6, 3], 0, 1, 'float32', 6), true, `x_${Math.random()}`);
    const x2 = tf.tidy(() => tf.reverse(tf.sin(x), 1));
    const layer = layers.lstm({ units: 4, stateful: true, batchInputShape: [4, 6, 3], returnSequences: true });
    tf.dispose(layer.apply(x) as tf.Tensor);
    return {
      vars: [...layer.trainableWeights.map((w) => w.read() as tf.Variable), x],
      forward: () => {
        layer.resetStates();
        const a = layer.apply(x) as tf.Tensor;
        const b = layer.apply(x2) as tf.Tensor;
        return [a, b];
      },
      dispose: () => {
        tf.dispose([x, x2]);
        layer.dispose();
      },
    };
  },
};

/** Outputs and gradients of one case in one mode, as plain arrays. */
function evaluate(mode: KernelMode, build: () => Built): { outputs: Float32Array[]; grads: Float32Array[] } {
  setKernelMode(mode);
  seedRandom(1234);
  const b = build();
  const outputs = tf.tidy(() => b.forward().map((t) => t.dataSync() as Float32Array));
  seedRandom(99); // same dropout masks for the gradient run in both modes
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
    const outs = b.forward();
    return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, tf.sin(tf.add(tf.range(0, o.size).reshape(o.shape), i)))))) as tf.Scalar;
  }), b.vars);
  const gradArrays = b.vars.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  b.dispose();
  jest.restoreAllMocks();
  return { outputs, grads: gradArrays };
}

describeBackends('fused path vs composite path', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    setKernelMode('auto');
  });

  for (const [name, build] of Object.entries(CASES)) {
    it(`${name}: same outputs and gradients`, () => {
      const fused = evaluate('fused', build);
      const composite = evaluate('composite', build);
      expect(fused.outputs.length).toBe(composite.outputs.length);
      fused.outputs.forEach((o, i) => expectClose(o, composite.outputs[i] as Float32Array, 1e-5));
      expect(fused.grads.length).toBe(composite.grads.length);
      fused.grads.forEach((g, i) => expectClose(g, composite.grads[i] as Float32Array, 1e-5));
    });
  }

  it('leaks no tensor in fused mode (forward and gradients)', async () => {
    setKernelMode('fused');
    for (const build of Object.values(CASES)) {
      const b = build();
      await expectNoLeak(() => b.forward(), 3);
      await expectNoLeak(() => {
        const { value, grads } = tf.variableGrads(() => tf.addN(b.forward().map((o) => tf.sum(o))) as tf.Scalar, b.vars);
        return [value, ...Object.values(grads)];
      }, 3);
      b.dispose();
    }
  });

  it('model.fit (Masking -> LSTM with dropout -> Dense): same weights after training in both modes, no leaks', async () => {
    const fit = async (mode: KernelMode): Promise<Float32Array[]> => {
      setKernelMode(mode);
      seedRandom(7);
      const model = tf.sequential({
        layers: [
          tf.layers.masking({ maskValue: 0, inputShape: [7, 3] }),
          layers.lstm({ units: 6, dropout: 0.2, recurrentDropout: 0.2, returnSequences: true }),
          layers.gru({ units: 4 }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const x = tf.tidy(() => tf.mul(tf.randomNormal([16, 7, 3], 0, 1, 'float32', 3), tf.tensor3d(MASK.flatMap((r) => [[...r, 1], [1, ...r], [...r, 0], [0, ...r]]).map((r) => r.map((v) => [v, v, v])))));
      const y = tf.tidy(() => tf.reshape(tf.mean(x, [1, 2]), [16, 1]));
      await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      const before = tf.memory().numTensors;
      await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      expect(tf.memory().numTensors).toBe(before);
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      tf.dispose([x, y]);
      model.dispose();
      jest.restoreAllMocks();
      return weights;
    };
    const fused = await fit('fused');
    const composite = await fit('composite');
    fused.forEach((w, i) => expectClose(w, composite[i] as Float32Array, 1e-4));
  });

  it('computes the input gradient only when something upstream needs it', () => {
    setKernelMode('fused');
    const spy = jest.spyOn(sequence, 'sequenceInputGradient');
    const layer = layers.lstm({ units: 3 });
    const data = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 8);
    tf.dispose(layer.apply(data) as tf.Tensor);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = (x: tf.Tensor) => () => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar;
    const r1 = tf.variableGrads(loss(data), vars); // data input: no dx
    expect(spy).not.toHaveBeenCalled();
    const [dx] = tf.grads((x: tf.Tensor) => loss(x)())([data]); // d/dx asked: computed
    expect(spy).toHaveBeenCalledTimes(1);
    setKernelMode('composite');
    const [dxRef] = tf.grads((x: tf.Tensor) => loss(x)())([data]);
    expectClose(dx as tf.Tensor, dxRef as tf.Tensor, 1e-5);
    tf.dispose([data, r1.value, ...Object.values(r1.grads), dx as tf.Tensor, dxRef as tf.Tensor]);
    layer.dispose();
  });

  it("'auto' takes the fused path on this backend; other activations, subclasses and 'composite' do not", () => {
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const cell = (args: Record<string, unknown> = {}) => {
      const c = layers.lstmCell({ units: 2, ...args });
      c.build([2, 4]);
      return c;
    };
    class MyCell extends LSTMCell {}
    expect(getKernelMode()).toBe('auto');
    expect(fusableCells(cell(), x, null)).not.toBeNull();
    expect(fusableCells(layers.stackedRNNCells({ cells: [cell(), layers.gruCell({ units: 2 })] }), x, null)).not.toBeNull();
    expect(fusableCells(cell({ activation: 'relu' }), x, null)).toBeNull();
    expect(fusableCells(cell({ recurrentActivation: 'hardSigmoid' }), x, null)).toBeNull();
    expect(fusableCells(layers.stackedRNNCells({ cells: [cell(), cell({ activation: 'relu' })] }), x, null)).toBeNull();
    expect(fusableCells(new MyCell({ units: 2 }), x, null)).toBeNull();
    setKernelMode('composite');
    expect(fusableCells(cell(), x, null)).toBeNull();
    x.dispose();
  });
});
