// rnnkit's Adam against tf.train.adam: the same weights and moments bit for bit, step after step,
// through a state round trip and a model.fit, and with a matMul that tfjs-wasm caches by tensor id.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectNoLeak } from '../../test/util/backends';
import { expectCode } from '../../test/util/errors';
import * as optim from '../kernels/optim';
import { Adam, adam } from './adam';

const SHAPES = [[3, 5], [7], [16, 33], [1]];

function makeVars(tag: string, shapes = SHAPES): tf.Variable[] {
  return shapes.map((s, i) => {
    const n = s.reduce((a, b) => a * b, 1);
    const init = tf.tensor(Float32Array.from({ length: n }, (_, j) => Math.sin(j * 0.37 + i) * 0.5), s);
    const v = tf.variable(init, true, `${tag}_${i}`);
    init.dispose(); // the variable is then the data's one holder, as a layer's weights are
    return v;
  });
}

/** A gradient per variable for step `t`, with zeros, tiny and large values, and some rows untouched. */
function grads(vars: tf.Variable[], t: number): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  vars.forEach((v, i) => {
    out[v.name] = tf.tensor(Float32Array.from({ length: v.size }, (_, j) => {
      if ((j + t) % 11 === 0) return 0;
      if ((j + t) % 13 === 0) return 1e-30 * (j + 1);
      return Math.cos(j * 1.3 + t * 0.7 + i) * ((j % 5) + 1) ** 3;
    }), v.shape);
  });
  return out;
}

/** Both optimizers' variables after the same steps: values, then moments (getWeights' order), equal exactly. */
async function expectSameState(a: tf.Variable[], b: tf.Variable[], oa: tf.Optimizer, ob: tf.Optimizer): Promise<void> {
  a.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from((b[i] as tf.Variable).dataSync())));
  const wa = await oa.getWeights();
  const wb = await ob.getWeights();
  expect(wa.map((w) => w.name.replace(/^[^_]*_/, ''))).toEqual(wb.map((w) => w.name.replace(/^[^_]*_/, '')));
  wa.forEach((w, i) => expect(Array.from(w.tensor.dataSync())).toEqual(Array.from((wb[i] as { tensor: tf.Tensor }).tensor.dataSync())));
  tf.dispose([wa[0]?.tensor, wb[0]?.tensor] as tf.Tensor[]); // the iteration scalars are fresh; the rest are the moments
}

function step(vars: tf.Variable[], opt: tf.Optimizer, t: number): void {
  const g = grads(vars, t);
  opt.applyGradients(g);
  tf.dispose(Object.values(g));
}

let tagN = 0;
const tag = (s: string) => `${s}${tagN++}`;

describeBackends('Adam', () => {
  afterEach(() => jest.restoreAllMocks());

  it('equals tf.train.adam bit for bit over steps, with the learning rate changed between steps', async () => {
    const a = makeVars(tag('ours'));
    const b = makeVars(tag('tfjs'));
    const oa = adam(0.01);
    const ob = tf.train.adam(0.01);
    const fused = jest.spyOn(optim, 'adamUpdateVectors');
    for (let t = 0; t < 6; t++) {
      if (t === 3) {
        (oa as unknown as { learningRate: number }).learningRate = 0.003;
        (ob as unknown as { learningRate: number }).learningRate = 0.003;
      }
      step(a, oa, t);
      step(b, ob, t);
    }
    expect(oa.iterations).toBe(6);
    expect(fused).toHaveBeenCalledTimes(6 * SHAPES.length); // each variable's update ran in the kernels
    await expectSameState(a, b, oa, ob);
    // the weights moved (the comparison is not of two untouched copies)
    expect(Array.from((a[2] as tf.Variable).dataSync())).not.toEqual(Array.from(makeVars(tag('init'))[2]?.dataSync() ?? []));
    tf.dispose([...a, ...b]);
    oa.dispose();
    ob.dispose();
  });

  it('gives each variable new data: a matMul sees the new weights, a tensor sharing the old data keeps it', () => {
    const [w] = makeVars(tag('mm'), [[6, 1]]) as [tf.Variable];
    const x = tf.ones([4, 6]);
    const before = tf.matMul(x, w); // tfjs-wasm packs w for this product and keeps it by tensor id
    const holder = tf.reshape(w, [6]); // shares w's data on both backends
    const old = Array.from(holder.dataSync());
    const o = adam(0.5);
    const g = tf.ones([6, 1]);
    o.applyGradients({ [w.name]: g });
    const after = tf.matMul(x, w);
    const sum = tf.sum(w);
    expect(after.dataSync()[0]).toBe(sum.dataSync()[0]);
    expect(after.dataSync()[0]).not.toBe(before.dataSync()[0]);
    expect(Array.from(holder.dataSync())).toEqual(old);
    tf.dispose([w, x, before, holder, g, after, sum]);
    o.dispose();
  });

  it('continues from getWeights / setWeights exactly as the uninterrupted optimizer (and tf.train.adam) does', async () => {
    const a = makeVars(tag('ra'));
    const b = makeVars(tag('rb'));
    const oa = adam(0.01);
    const ob = tf.train.adam(0.01); // never interrupted
    // 20 steps: where beta2^21 as a power and as the step-by-step product differ in the last bit
    for (let t = 0; t < 20; t++) {
      step(a, oa, t);
      step(b, ob, t);
    }
    const sa = (await oa.getWeights()).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    const oa2 = adam(0.01);
    await oa2.setWeights(sa);
    tf.dispose(sa.map((w) => w.tensor)); // as a loader does
    for (let t = 20; t < 25; t++) {
      step(a, oa2, t);
      step(b, ob, t);
    }
    await expectSameState(a, b, oa2, ob);
    tf.dispose([...a, ...b]);
    [oa, ob, oa2].forEach((o) => o.dispose());
  });

  it('trains a model with model.fit to the same weights as tf.train.adam', async () => {
    const build = () => {
      const m = tf.sequential();
      m.add(tf.layers.lstm({ units: 6, inputShape: [5, 4] }));
      m.add(tf.layers.dense({ units: 1 }));
      return m;
    };
    const ma = build();
    const mb = build();
    mb.setWeights(ma.getWeights());
    ma.compile({ optimizer: adam(0.01), loss: 'meanSquaredError' });
    mb.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor3d(Float32Array.from({ length: 8 * 5 * 4 }, (_, i) => Math.sin(i)), [8, 5, 4]);
    const y = tf.tensor2d(Float32Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);
    await ma.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    await mb.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const wa = ma.getWeights();
    const wb = mb.getWeights();
    wa.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from((wb[i] as tf.Tensor).dataSync())));
    expect(Array.from(wa[0]?.dataSync() ?? [])).not.toEqual(Array.from(build().getWeights()[0]?.dataSync() ?? []));
    tf.dispose([x, y]);
    ma.dispose();
    mb.dispose();
  });

  it('leaves no tensor behind', async () => {
    const a = makeVars(tag('leak'));
    const o = adam();
    let t = 0;
    await expectNoLeak(() => step(a, o, t++), 5);
    tf.dispose(a);
    o.dispose();
  });

  it('rejects bad arguments and gradients with codes', () => {
    expectCode(() => new Adam(-1), 'INVALID_ARGUMENT');
    expectCode(() => new Adam(0.1, 1), 'INVALID_ARGUMENT');
    expectCode(() => new Adam(0.1, 0.9, Number.NaN), 'INVALID_ARGUMENT');
    expectCode(() => new Adam(0.1, 0.9, 0.999, -1), 'INVALID_ARGUMENT');
    const [v] = makeVars(tag('bad'), [[2, 3]]) as [tf.Variable];
    const o = adam();
    const wrong = tf.zeros([3, 2, 1]);
    const nothing = tf.zeros([2, 3]);
    expectCode(() => o.applyGradients({ [v.name]: wrong }), 'INVALID_SHAPE');
    expectCode(() => o.applyGradients({ 'no such variable': nothing }), 'INVALID_ARGUMENT');
    tf.dispose([v, wrong, nothing]);
    o.dispose();
  });
});
