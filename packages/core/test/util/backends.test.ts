import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from './backends';

describeBackends('test utilities', (backend) => {
  it('activates the backend', () => {
    expect(tf.getBackend()).toBe(backend);
  });
  it('expectClose passes within tolerance and fails outside it', () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    expectClose(t, [[1, 2], [3, 4.000001]]);
    expect(() => expectClose(t, [[1, 2], [3, 4.1]])).toThrow(/tolerance/);
    expect(() => expectClose(t, [[1, 2, 3]])).toThrow();
    t.dispose();
  });
  it('expectNoLeak catches a leak', async () => {
    await expectNoLeak(() => tf.tidy(() => tf.ones([2]).add(1)));
    const kept: tf.Tensor[] = [];
    await expect(expectNoLeak(() => { kept.push(tf.ones([2])); })).rejects.toThrow();
    tf.dispose(kept);
  });
});
