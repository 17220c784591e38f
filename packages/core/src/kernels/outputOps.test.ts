// Dense + softmax cross-entropy and embedding lookup against composite tf ops, cpu and wasm.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { fusedDenseSoftmaxCrossEntropy } from './dense';
import { embeddingGradRows, fusedEmbeddingLookup as embeddingLookup } from './embedding';

function composite(h: tf.Tensor, W: tf.Tensor, b: tf.Tensor, labels: tf.Tensor, V: number, weights?: tf.Tensor, sum = false): tf.Scalar {
  const D = h.shape[h.rank - 1] as number;
  const logits = tf.add(tf.matMul(tf.reshape(h, [-1, D]), W), b);
  const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.reshape(labels, [-1]), V)), 1));
  if (!weights) return (sum ? tf.sum(nll) : tf.mean(nll)) as tf.Scalar;
  const w = tf.reshape(weights, [-1]);
  const tot = tf.sum(tf.mul(nll, w));
  return (sum ? tot : tf.div(tot, tf.sum(w))) as tf.Scalar;
}

describeBackends('fused dense + softmax cross-entropy', () => {
  for (const [name, shape, V, weighted, sum] of [
    ['2-D, mean', [5, 7], 11, false, false], ['3-D, weighted mean (padding mask)', [2, 3, 6], 13, true, false],
    ['sum, vocab a multiple of 4', [4, 8], 16, false, true],
  ] as const) {
    it(`${name}: loss and gradients equal composite ops`, () => {
      tf.tidy(() => {
        const D = shape[shape.length - 1] as number;
        const N = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const h = tf.randomUniform([...shape], -2, 2, 'float32', 1);
        const W = tf.randomUniform([D, V], -1, 1, 'float32', 2);
        const b = tf.randomUniform([V], -1, 1, 'float32', 3);
        const labels = tf.tensor(Array.from({ length: N }, (_, i) => (i * 5 + 2) % V), shape.slice(0, -1) as number[], 'int32');
        const weights = weighted ? tf.tensor(Array.from({ length: N }, (_, i) => (i % 4 === 3 ? 0 : 1)), shape.slice(0, -1) as number[]) : undefined;
        const opts = { weights, reduction: sum ? ('sum' as const) : ('mean' as const) };
        expectClose(fusedDenseSoftmaxCrossEntropy(h, W, b, labels, opts), composite(h, W, b, labels, V, weights, sum));
        const gf = tf.grads((x: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => tf.mul(fusedDenseSoftmaxCrossEntropy(x, w, bb, labels, opts), 3))([h, W, b]);
        const gc = tf.grads((x: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => tf.mul(composite(x, w, bb, labels, V, weights, sum), 3))([h, W, b]);
        gc.forEach((g, i) => expectClose(gf[i] as tf.Tensor, g));
      });
    });
  }
  it('rejects labels out of range and does not leak', async () => {
    const h = tf.ones([2, 3]);
    const W = tf.ones([3, 4]);
    const b = tf.zeros([4]);
    expect(() => fusedDenseSoftmaxCrossEntropy(h, W, b, tf.tensor1d([0, 4], 'int32'))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const lab = tf.tensor1d([1, 2], 'int32');
    await expectNoLeak(() => tf.tidy(() => tf.grads((x: tf.Tensor) => fusedDenseSoftmaxCrossEntropy(x, W, b, lab))([h])));
    tf.dispose([h, W, b, lab]);
  });
});

describeBackends('embedding lookup with a row-sparse gradient', (backend) => {
  it('gathers rows and scatters the gradient into the used rows only', () => {
    tf.tidy(() => {
      const table = tf.randomUniform([10, 4], -1, 1, 'float32', 5);
      const ids = tf.tensor2d([[1, 3, 1], [0, 9, 3]], [2, 3], 'int32');
      const out = embeddingLookup(table, ids);
      expect(out.shape).toEqual([2, 3, 4]);
      expectClose(out, tf.gather(table, ids));
      const r = tf.randomUniform([2, 3, 4], -1, 1, 'float32', 6);
      const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), r)))([table]);
      const want = new Float32Array(40);
      const rv = r.dataSync();
      [1, 3, 1, 0, 9, 3].forEach((id, i) => { for (let j = 0; j < 4; j++) want[id * 4 + j] = (want[id * 4 + j] as number) + (rv[i * 4 + j] as number); });
      expectClose(g as tf.Tensor, want);
      if (backend === 'cpu') expectClose(g as tf.Tensor, (tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), r)))([table]))[0] as tf.Tensor);
    });
  });
  it('copies the rows exactly (1-d and 3-d ids), throws for ids out of range, and does not leak', async () => {
    const table = tf.randomUniform([50, 7], -1, 1, 'float32', 8);
    const ids = tf.tensor3d([[[0, 49], [7, 7]]], [1, 2, 2], 'int32');
    await expectNoLeak(() => tf.tidy(() => {
      expect(Array.from(embeddingLookup(table, ids).dataSync())).toEqual(Array.from(tf.gather(table, ids).dataSync()));
      expect(Array.from(embeddingLookup(table, tf.tensor1d([3], 'int32')).dataSync())).toEqual(Array.from(table.dataSync().slice(21, 28)));
    }));
    for (const bad of [50, -1]) {
      expect(() => tf.tidy(() => embeddingLookup(table, tf.tensor1d([1, bad], 'int32')))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    tf.dispose([table, ids]);
  });
  it('sums repeated ids in the sparse form', () => {
    const g = embeddingGradRows([2, 5, 2], new Float32Array([1, 2, 3, 4, 5, 6]), 2, 8);
    expect(Array.from(g.rows)).toEqual([2, 5]);
    expect(Array.from(g.values)).toEqual([6, 8, 3, 4]);
  });
});
