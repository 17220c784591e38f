import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { clipByGlobalNorm, clipByNorm, clipByValue, globalNorm, withGradientClipping, ClippedOptimizer } from './clip';
import { expectCode } from '../../test/util/errors';


describeBackends('clipByGlobalNorm', () => {
  // Hand-computed: |[3, 4]|^2 + |[12]|^2 = 9 + 16 + 144 = 169, global norm 13.
  it('scales every gradient by clipNorm / globalNorm when the norm exceeds clipNorm', () => {
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor2d([[12]]);
    const { grads, globalNorm: norm } = clipByGlobalNorm([a, b], 6.5);
    expectClose(norm, 13);
    expectClose(grads[0] as tf.Tensor, [1.5, 2]);
    expectClose(grads[1] as tf.Tensor, [[6]]);
    tf.dispose([a, b, norm, ...(grads as tf.Tensor[])]);
  });

  it('leaves gradients unchanged when the global norm is at most clipNorm', () => {
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor1d([12]);
    const { grads, globalNorm: norm } = clipByGlobalNorm([a, b], 13);
    expectClose(grads[0] as tf.Tensor, [3, 4]);
    expectClose(grads[1] as tf.Tensor, [12]);
    const r2 = clipByGlobalNorm([a, b], 100);
    expectClose(r2.grads[0] as tf.Tensor, [3, 4]);
    tf.dispose([a, b, norm, r2.globalNorm, ...(grads as tf.Tensor[]), ...(r2.grads as tf.Tensor[])]);
  });

  it('passes null gradients through and skips them in the norm (TF None)', () => {
    const a = tf.tensor1d([6, 8]);
    const { grads, globalNorm: norm } = clipByGlobalNorm([null, a, undefined], 5);
    expect(grads[0]).toBeNull();
    expect(grads[2]).toBeUndefined();
    expectClose(norm, 10);
    expectClose(grads[1] as tf.Tensor, [3, 4]);
    tf.dispose([a, norm, grads[1] as tf.Tensor]);
  });

  it('keeps the structure of a NamedTensorMap and of a { name, tensor } list', () => {
    const map = { 'dense/kernel': tf.tensor1d([0, 30]), 'dense/bias': tf.tensor1d([40]) };
    const r = clipByGlobalNorm(map, 5);
    expect(Object.keys(r.grads)).toEqual(['dense/kernel', 'dense/bias']);
    expectClose(r.grads['dense/kernel'] as tf.Tensor, [0, 3]);
    expectClose(r.grads['dense/bias'] as tf.Tensor, [4]);
    const list = [{ name: 'w', tensor: map['dense/kernel'] }];
    const r2 = clipByGlobalNorm(list, 3);
    expect(r2.grads[0]?.name).toBe('w');
    expectClose(r2.grads[0]?.tensor as tf.Tensor, [0, 3]);
    tf.dispose([...Object.values(map), ...Object.values(r.grads), r.globalNorm, r2.globalNorm, r2.grads[0]?.tensor as tf.Tensor]);
  });

  it('returns zero gradients unchanged (norm 0) and NaN for an infinite norm, as TF does', () => {
    const z = tf.zeros([2]);
    const r = clipByGlobalNorm([z], 1);
    expectClose(r.globalNorm, 0);
    expectClose(r.grads[0] as tf.Tensor, [0, 0]);
    const inf = tf.tensor1d([Infinity, 1]);
    const r2 = clipByGlobalNorm([inf], 1);
    expect(Array.from((r2.grads[0] as tf.Tensor).dataSync()).every(Number.isNaN)).toBe(true);
    tf.dispose([z, inf, r.globalNorm, r2.globalNorm, r.grads[0] as tf.Tensor, r2.grads[0] as tf.Tensor]);
  });

  it('rejects a clipNorm that is not a positive number', () => {
    const a = tf.tensor1d([1]);
    expectCode(() => clipByGlobalNorm([a], 0), 'INVALID_ARGUMENT');
    expectCode(() => clipByGlobalNorm([a], -1), 'INVALID_ARGUMENT');
    expectCode(() => clipByGlobalNorm([a], Number.NaN), 'INVALID_ARGUMENT');
    a.dispose();
  });

  it('leaks no tensors', async () => {
    const a = tf.tensor1d([3, 4]);
    await expectNoLeak(() => {
      const r = clipByGlobalNorm({ a }, 1);
      return [r.globalNorm, ...Object.values(r.grads)];
    });
    await expectNoLeak(() => globalNorm([a, null]));
    a.dispose();
  });
});

describeBackends('clipByNorm and clipByValue', () => {
  it('clipByNorm clips each gradient to its own norm (TF clip_by_norm)', () => {
    const a = tf.tensor1d([3, 4]); // norm 5
    const b = tf.tensor1d([0.3, 0.4]); // norm 0.5
    const z = tf.zeros([3]);
    const out = clipByNorm([a, b, z, null], 1);
    expectClose(out[0] as tf.Tensor, [0.6, 0.8]);
    expectClose(out[1] as tf.Tensor, [0.3, 0.4]);
    expectClose(out[2] as tf.Tensor, [0, 0, 0]);
    expect(out[3]).toBeNull();
    tf.dispose([a, b, z, ...(out.filter((t) => t != null) as tf.Tensor[])]);
  });

  it('clipByValue clips elements to [-clipValue, clipValue]', () => {
    const a = tf.tensor2d([[-3, 0.5], [2, -0.25]]);
    const out = clipByValue({ a }, 1);
    expectClose(out['a'] as tf.Tensor, [[-1, 0.5], [1, -0.25]]);
    tf.dispose([a, out['a'] as tf.Tensor]);
    expectCode(() => clipByValue([a], -1), 'INVALID_ARGUMENT');
  });

  it('leaks no tensors', async () => {
    const a = tf.tensor1d([3, 4]);
    await expectNoLeak(() => clipByNorm([a], 1));
    await expectNoLeak(() => clipByValue([a], 1));
    a.dispose();
  });
});

describeBackends('withGradientClipping', () => {
  it('is a tf.Optimizer whose applyGradients clips first (SGD, lr 1)', () => {
    const v = tf.variable(tf.zeros([2]));
    const opt = withGradientClipping(tf.train.sgd(1), { globalClipNorm: 5 });
    expect(opt).toBeInstanceOf(tf.Optimizer);
    // d/dv sum(v * [30, 40]) = [30, 40], norm 50 -> clipped to [3, 4].
    const c = tf.tensor1d([30, 40]);
    const cost = opt.minimize(() => tf.sum(tf.mul(v, c)), true, [v]);
    expectClose(v, [-3, -4]);
    expect(opt.iterations).toBe(1);
    tf.dispose([v, c, cost as tf.Scalar]);
    opt.dispose();
  });

  it('supports clipValue and clipNorm like Keras optimizers', () => {
    const v = tf.variable(tf.zeros([2]));
    const c = tf.tensor1d([30, -0.5]);
    const byValue = withGradientClipping(tf.train.sgd(1), { clipValue: 1 });
    byValue.applyGradients({ [v.name]: c });
    expectClose(v, [-1, 0.5]);
    v.assign(tf.zeros([2]));
    const byNorm = withGradientClipping(tf.train.sgd(1), { clipNorm: 0.5 });
    const g = tf.tensor1d([3, 4]);
    byNorm.applyGradients([{ name: v.name, tensor: g }]);
    expectClose(v, [-0.3, -0.4]);
    // the caller's gradients are not disposed
    expect(c.isDisposed).toBe(false);
    tf.dispose([v, c, g]);
  });

  it('rejects zero or several clipping options and non-optimizers', () => {
    expectCode(() => withGradientClipping(tf.train.sgd(1), {}), 'INVALID_ARGUMENT');
    expectCode(() => withGradientClipping(tf.train.sgd(1), { clipNorm: 1, clipValue: 1 }), 'INVALID_ARGUMENT');
    expectCode(() => withGradientClipping(tf.train.sgd(1), { globalClipNorm: -2 }), 'INVALID_ARGUMENT');
    expectCode(() => new ClippedOptimizer({} as tf.Optimizer, { clipNorm: 1 }), 'INVALID_ARGUMENT');
  });

  it('is used by model.fit: one SGD step moves the weights by exactly lr * globalClipNorm', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'ones' })] });
    model.compile({ optimizer: withGradientClipping(tf.train.sgd(0.1), { globalClipNorm: 1 }), loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 3], 0, 1, 'float32', 1);
    const y = tf.mul(tf.sum(x, 1, true), 100); // large targets: gradient norm >> 1
    const w0 = model.getWeights().map((w) => w.clone());
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const deltas = model.getWeights().map((w, i) => tf.sub(w, w0[i] as tf.Tensor));
    const norm = globalNorm(deltas);
    expectClose(norm, 0.1, 1e-5);
    tf.dispose([x, y, norm, ...w0, ...deltas]);
    model.dispose();
  });

  it('trains with adam in model.fit and leaks no tensors', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    const opt = withGradientClipping(tf.train.adam(1e-2), { globalClipNorm: 1 });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 3], 0, 1, 'float32', 2);
    const y = tf.sum(x, 1, true);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.history['loss']?.length).toBe(3);
    expect(opt.iterations).toBe(8);
    expect((await opt.getWeights()).length).toBe(1 + 2 * 2); // iterations + m and v of kernel and bias
    tf.dispose([x, y]);
    model.dispose();
    opt.dispose();
  });
});
