import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../test/util/backends';
import { isRnnkitError } from './errors';
import { rnn, type RnnStepFunction } from './rnn';

// A step whose output is the running sum: h_t = h_{t-1} + x_t, output = h_t.
const sum: RnnStepFunction = (x, [h]) => {
  const next = tf.add(h as tf.Tensor2D, x) as tf.Tensor2D;
  return { output: next, states: [next] };
};

describeBackends('rnn() time loop', () => {
  const x = () => tf.tensor3d([[[1], [2], [3], [4]], [[10], [20], [30], [40]]]); // [2, 4, 1]
  const h0 = () => [tf.zeros([2, 1]) as tf.Tensor2D];

  it('runs forwards and returns all outputs, the last output and the states', () => {
    const r = rnn(sum, x(), h0());
    expectClose(r.outputs as tf.Tensor, [[[1], [3], [6], [10]], [[10], [30], [60], [100]]]);
    expectClose(r.lastOutput, [[10], [100]]);
    expectClose(r.states[0] as tf.Tensor, [[10], [100]]);
  });

  it('goBackwards reverses the inputs and returns the sequence in processing order', () => {
    const r = rnn(sum, x(), h0(), { goBackwards: true });
    expectClose(r.outputs as tf.Tensor, [[[4], [7], [9], [10]], [[40], [70], [90], [100]]]);
  });

  it('a masked step keeps the state and repeats the previous output (zeros before the first step)', () => {
    const mask = tf.tensor2d([[0, 1, 0, 1], [1, 1, 1, 0]]);
    const r = rnn(sum, x(), h0(), { mask });
    expectClose(r.outputs as tf.Tensor, [[[0], [2], [2], [6]], [[10], [30], [60], [60]]]);
    expectClose(r.lastOutput, [[6], [60]]);
    expectClose(r.states[0] as tf.Tensor, [[6], [60]]);
    const z = rnn(sum, x(), h0(), { mask, zeroOutputForMask: true });
    expectClose(z.outputs as tf.Tensor, [[[0], [2], [0], [6]], [[10], [30], [60], [0]]]);
    expectClose(z.lastOutput, [[6], [0]]);
    expectClose(z.states[0] as tf.Tensor, [[6], [60]]);
  });

  it('goBackwards reverses the mask too', () => {
    const mask = tf.tensor2d([[1, 1, 0, 0], [0, 0, 0, 0]], [2, 4], 'bool');
    const r = rnn(sum, x(), [tf.ones([2, 1]) as tf.Tensor2D], { mask, goBackwards: true });
    expectClose(r.outputs as tf.Tensor, [[[0], [0], [3], [4]], [[0], [0], [0], [0]]]);
    expectClose(r.states[0] as tf.Tensor, [[4], [1]]);
  });

  it('passes gradients to the inputs (odd length, through the halving split)', () => {
    const inputs = tf.tensor3d([[[1], [2], [3], [4], [5]]]); // [1, 5, 1]
    const g = tf.grad((x: tf.Tensor) => tf.sum(rnn(sum, x as tf.Tensor3D, [tf.zeros([1, 1]) as tf.Tensor2D]).outputs as tf.Tensor))(inputs);
    expectClose(g, [[[5], [4], [3], [2], [1]]]);
    const gb = tf.grad((x: tf.Tensor) => tf.sum(rnn(sum, x as tf.Tensor3D, [tf.zeros([1, 1]) as tf.Tensor2D], { goBackwards: true }).outputs as tf.Tensor))(inputs);
    expectClose(gb, [[[1], [2], [3], [4], [5]]]);
    tf.dispose([inputs, g, gb]);
  });

  it('returnSequences: false gives no sequence', () => {
    const r = rnn(sum, x(), h0(), { returnSequences: false });
    expect(r.outputs).toBeNull();
    expectClose(r.lastOutput, [[10], [100]]);
  });

  it('leaves no tensors behind', async () => {
    const inputs = x();
    const s = h0();
    const mask = tf.tensor2d([[0, 1, 0, 1], [1, 1, 1, 0]]);
    await expectNoLeak(() => {
      const r = rnn(sum, inputs, s, { mask, goBackwards: true });
      return [r.lastOutput, r.outputs as tf.Tensor, ...r.states];
    });
    tf.dispose([inputs, mask, ...s]);
  });

  it('rejects bad shapes with RnnkitError', () => {
    const bad = tf.zeros([2, 3]) as unknown as tf.Tensor3D;
    expect(() => rnn(sum, bad, h0())).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    let err: unknown;
    try {
      rnn(sum, x(), h0(), { mask: tf.ones([2, 3]) });
    } catch (e) {
      err = e;
    }
    expect(isRnnkitError(err, 'INVALID_SHAPE')).toBe(true);
  });
});
