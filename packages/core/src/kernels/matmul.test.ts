// fusedMatMul equals tf.matMul (values and gradients) for every transpose combination and a 3-D input.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { fusedMatMul } from './matmul';

describeBackends('fusedMatMul', () => {
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`transposeA=${tA} transposeB=${tB}: values and gradients equal tf.matMul`, () => {
      tf.tidy(() => {
        const a = tf.randomUniform(tA ? [9, 7] : [7, 9], -1, 1, 'float32', 1);
        const b = tf.randomUniform(tB ? [13, 9] : [9, 13], -1, 1, 'float32', 2);
        const r = tf.randomUniform([7, 13], -1, 1, 'float32', 3);
        expectClose(fusedMatMul(a, b, tA, tB), tf.matMul(a, b, tA, tB));
        const loss = (f: typeof fusedMatMul) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y, tA, tB), r));
        const want = tf.grads(loss((x, y, p, q) => tf.matMul(x, y, p, q)))([a, b]);
        const got = tf.grads(loss(fusedMatMul))([a, b]);
        want.forEach((g, i) => expectClose(got[i] as tf.Tensor, g));
      });
    });
  }
  it('flattens the leading dimensions of a 3-D input (dense over a sequence) and does not leak', async () => {
    const a = tf.randomUniform([2, 3, 5], -1, 1, 'float32', 4);
    const b = tf.randomUniform([5, 4], -1, 1, 'float32', 5);
    tf.tidy(() => {
      const y = fusedMatMul(a, b);
      expect(y.shape).toEqual([2, 3, 4]);
      expectClose(y, tf.reshape(tf.matMul(tf.reshape(a, [6, 5]), b), [2, 3, 4]));
      const [ga, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(fusedMatMul(x, w))))([a, b]);
      const [wa, wb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), w), [2, 3, 4]))))([a, b]);
      expectClose(ga as tf.Tensor, wa as tf.Tensor);
      expectClose(gb as tf.Tensor, wb as tf.Tensor);
    });
    await expectNoLeak(() => tf.tidy(() => tf.grads((x: tf.Tensor) => tf.sum(fusedMatMul(x, b)))([a])));
    expect(() => fusedMatMul(a, tf.ones([4, 4]))).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    tf.dispose([a, b]);
  });
});
