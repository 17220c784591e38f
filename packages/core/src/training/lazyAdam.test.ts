// LazyAdam against a float64 reference of TensorFlow Addons' LazyAdam (tf.train.adam's formula), and
// against tf.train.adam itself for dense gradients.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { expectCode } from '../../test/util/errors';
import { fusedEmbeddingLookup } from '../kernels/embedding';
import { LazyAdam, lazyAdam } from './lazyAdam';
import { withGradientClipping } from './clip';

/** Float64 LazyAdam: rows[] lists the rows each step touches (all rows when null). */
class RefLazyAdam {
  m: Float64Array;
  v: Float64Array;
  t = 0;
  constructor(readonly w: Float64Array, readonly D: number, readonly lr = 0.01, readonly b1 = 0.9, readonly b2 = 0.999, readonly eps = 1e-7) {
    this.m = new Float64Array(w.length);
    this.v = new Float64Array(w.length);
  }
  step(g: ArrayLike<number>, rows: number[] | null): void {
    this.t++;
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    const all = Array.from({ length: this.w.length / this.D }, (_, i) => i);
    for (const r of rows ?? all) {
      for (let j = r * this.D; j < (r + 1) * this.D; j++) {
        this.m[j] = this.b1 * this.m[j]! + (1 - this.b1) * g[j]!;
        this.v[j] = this.b2 * this.v[j]! + (1 - this.b2) * g[j]! ** 2;
        this.w[j] = this.w[j]! - (this.lr * this.m[j]! / c1) / (Math.sqrt(this.v[j]! / c2) + this.eps);
      }
    }
  }
}

const V = 12;
const D = 3;
const STEPS: number[][] = [[1, 3, 1], [0, 3], [5, 5, 5, 11], [3]];

function embeddingLoss(table: tf.Variable, ids: number[], r: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(fusedEmbeddingLookup(table, tf.tensor1d(ids, 'int32')), r)) as tf.Scalar;
}

describeBackends('LazyAdam', () => {
  it('updates only the rows each batch used: weights and moments equal the float64 reference', async () => {
    const init = Float64Array.from({ length: V * D }, (_, i) => Math.sin(i + 1) * 0.3);
    const table = tf.variable(tf.tensor2d(Float32Array.from(init), [V, D]));
    const ref = new RefLazyAdam(Float64Array.from(Float32Array.from(init)), D);
    const opt = new LazyAdam({ learningRate: 0.01 });
    STEPS.forEach((ids, s) => {
      const r = tf.tensor2d(Float32Array.from({ length: ids.length * D }, (_, i) => Math.cos(i * 1.7 + s)), [ids.length, D]);
      const { value, grads } = tf.variableGrads(() => embeddingLoss(table, ids, r), [table]);
      const g = (grads[table.name] as tf.Tensor).dataSync();
      ref.step(g, [...new Set(ids)]);
      const before = table.dataSync().slice();
      opt.applyGradients(grads);
      const after = table.dataSync();
      for (let row = 0; row < V; row++) {
        if (ids.includes(row)) continue;
        expect(Array.from(after.slice(row * D, row * D + D))).toEqual(Array.from(before.slice(row * D, row * D + D)));
      }
      expectClose(table, Float32Array.from(ref.w), 1e-6);
      tf.dispose([r, value, ...Object.values(grads)]);
    });
    const w = await opt.getWeights();
    expect(w.map((x) => x.name)).toEqual(['iter', `${table.name}/m`, `${table.name}/v`]);
    expect(w[0]?.tensor.dataSync()[0]).toBe(STEPS.length);
    expectClose(w[1]?.tensor as tf.Tensor, Float32Array.from(ref.m), 1e-6);
    expectClose(w[2]?.tensor as tf.Tensor, Float32Array.from(ref.v), 1e-7);
    // untouched row 2: moments never written
    expect(Array.from((w[1]?.tensor as tf.Tensor).dataSync().slice(2 * D, 3 * D))).toEqual([0, 0, 0]);
    opt.dispose();
    table.dispose();
  });

  it('gives dense gradients the dense update of tf.train.adam', () => {
    const a = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]));
    const b = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]));
    const lazy = lazyAdam(0.05);
    const adam = tf.train.adam(0.05);
    const x = tf.tensor2d([[1, 2], [3, -1]]);
    for (let s = 0; s < 5; s++) {
      lazy.minimize(() => tf.sum(tf.square(tf.matMul(a, x))) as tf.Scalar);
      adam.minimize(() => tf.sum(tf.square(tf.matMul(b, x))) as tf.Scalar);
      expectClose(a, b, 1e-5); // float32 tensor ops vs float64 arithmetic
    }
    tf.dispose([a, b, x]);
    lazy.dispose();
    adam.dispose();
  });

  it('gives dense gradients tf.train.adam\'s weights bit for bit (its float32 operations, in the kernels)', () => {
    const init = Float32Array.from({ length: 37 * 5 }, (_, i) => Math.sin(i * 0.7) * 0.5);
    const a = tf.variable(tf.tensor2d(init, [37, 5]));
    const b = tf.variable(tf.tensor2d(init, [37, 5]));
    const lazy = lazyAdam(0.05, 0.85, 0.995);
    const adam = tf.train.adam(0.05, 0.85, 0.995);
    const x = tf.tensor2d(Float32Array.from({ length: 5 * 3 }, (_, i) => Math.cos(i)), [5, 3]);
    for (let s = 0; s < 6; s++) {
      lazy.minimize(() => tf.sum(tf.square(tf.matMul(a, x))) as tf.Scalar);
      adam.minimize(() => tf.sum(tf.square(tf.matMul(b, x))) as tf.Scalar);
    }
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(init));
    tf.dispose([a, b, x]);
    lazy.dispose();
    adam.dispose();
  });

  it('equals the dense update when every row is touched, and stays lazy behind withGradientClipping', () => {
    const init = tf.randomUniform([4, D], -1, 1, 'float32', 3);
    const t1 = tf.variable(init.clone());
    const t2 = tf.variable(init.clone());
    const lazy = lazyAdam(0.02);
    const adam = tf.train.adam(0.02);
    const r = tf.randomUniform([4, D], -1, 1, 'float32', 4);
    for (let s = 0; s < 3; s++) {
      lazy.minimize(() => embeddingLoss(t1, [0, 1, 2, 3], r));
      adam.minimize(() => embeddingLoss(t2, [0, 1, 2, 3], r));
    }
    expectClose(t1, t2, 1e-6);
    const clipped = withGradientClipping(lazyAdam(0.02), { clipNorm: 0.1 });
    const before = t1.dataSync().slice();
    clipped.minimize(() => embeddingLoss(t1, [2, 2], r.slice([0, 0], [2, D])));
    const after = t1.dataSync();
    for (const row of [0, 1, 3]) expect(Array.from(after.slice(row * D, row * D + D))).toEqual(Array.from(before.slice(row * D, row * D + D)));
    expect(after[2 * D]).not.toBe(before[2 * D]);
    tf.dispose([init, t1, t2, r]);
    [lazy, adam, clipped].forEach((o) => o.dispose());
  });

  it('trains a model with model.fit; untouched embedding rows do not move', async () => {
    const table = tf.variable(tf.randomUniform([V, D], -0.1, 0.1, 'float32', 5));
    const dense = tf.variable(tf.randomUniform([D, 1], -0.5, 0.5, 'float32', 6));
    const opt = lazyAdam(0.05);
    const ids = tf.tensor2d([[1, 4], [4, 7]], [2, 2], 'int32');
    const y = tf.tensor2d([[1], [0]]);
    const before = table.dataSync().slice();
    const loss = () => tf.losses.meanSquaredError(y, tf.matMul(tf.mean(fusedEmbeddingLookup(table, ids), 1), dense)) as tf.Scalar;
    await expectNoLeak(() => {
      opt.minimize(loss);
    }, 5);
    const after = table.dataSync();
    for (let row = 0; row < V; row++) {
      const same = Array.from(after.slice(row * D, row * D + D)).every((v, j) => v === before[row * D + j]);
      expect(same).toBe(![1, 4, 7].includes(row));
    }
    tf.dispose([table, dense, ids, y]);
    opt.dispose();
  });

  it('gives the weights new data: a clone keeps its values, a matMul of the table sees the new ones', () => {
    const table = tf.variable(tf.randomUniform([V, D], -0.1, 0.1, 'float32', 9));
    const opt = lazyAdam(0.1);
    const r = tf.ones([2, D]);
    opt.minimize(() => embeddingLoss(table, [0, 1], r)); // after this step the variable owns its data alone
    const snapshot = table.clone();
    const want = snapshot.dataSync().slice();
    opt.minimize(() => embeddingLoss(table, [0, 1], r));
    expect(Array.from(snapshot.dataSync())).toEqual(Array.from(want));
    expect(table.dataSync()[0]).not.toBe(want[0]);
    // tfjs-wasm packs a matMul's weights once per tensor id: a write in place would leave this product stale
    const x = tf.ones([1, V]);
    const before = tf.matMul(x, table);
    opt.minimize(() => embeddingLoss(table, [0, 1], r));
    const after = tf.matMul(x, table);
    const colSums = tf.sum(table, 0);
    expect(Array.from(after.dataSync())).toEqual(Array.from(colSums.dataSync()));
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(before.dataSync()));
    tf.dispose([table, snapshot, r, x, before, after, colSums]);
    opt.dispose();
  });

  it('round-trips its weights and config; rejects bad arguments', async () => {
    const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
    const opt = new LazyAdam({ learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    const saved = (await opt.getWeights()).map((x) => ({ name: x.name, tensor: x.tensor.clone() }));
    const copy = LazyAdam.fromConfig(LazyAdam, opt.getConfig()) as LazyAdam;
    expect(copy.getConfig()).toEqual({ learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    expect(copy.getClassName()).toBe('LazyAdam');
    await copy.setWeights(saved);
    expect(copy.iterations).toBe(1);
    // the restored optimizer takes the same next step as the original
    const w0 = w.clone();
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    const wA = w.clone();
    w.assign(w0);
    copy.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(Array.from(w.dataSync())).toEqual(Array.from(wA.dataSync()));
    expect(copy.iterations).toBe(2);
    tf.dispose([w0, wA]);
    tf.dispose(saved.map((x) => x.tensor));
    expectCode(() => new LazyAdam({ beta1: 1 }), 'INVALID_ARGUMENT');
    expectCode(() => new LazyAdam({ learningRate: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => opt.applyGradients({ [w.name]: tf.zeros([3]) }), 'INVALID_SHAPE');
    w.dispose();
    opt.dispose();
    copy.dispose();
  });
});
