// Tests of orthogonal.ts: orthonormal columns/rows at a gain for several shapes, serialization as tfjs
// Orthogonal, and speed on a 64-unit LSTM recurrent kernel.
import * as tf from '@tensorflow/tfjs';
import { describeBackends } from '../../test/util/backends';
import { resolveInitializer } from './layerConfig';
import { orthogonalValues } from './orthogonal';

function maxOffIdentity(v: Float32Array, rows: number, cols: number, gain: number): number {
  // rows >= cols: columns orthonormal; rows < cols: rows orthonormal.
  const [n, len, at] = rows >= cols ? [cols, rows, (k: number, i: number) => v[i * cols + k] as number] : [rows, cols, (k: number, i: number) => v[k * cols + i] as number];
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(dot / (gain * gain) - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describeBackends('orthogonal initializer (fast, Keras formula)', () => {
  it.each([[16, 4], [4, 16], [64, 256], [7, 7]])('gives orthonormal columns/rows for [%i, %i]', (rows, cols) => {
    expect(maxOffIdentity(orthogonalValues([rows, cols], 1.5, 3), rows, cols, 1.5)).toBeLessThan(1e-5);
  });

  it('serializes as tfjs Orthogonal and initializes a 64-unit LSTM recurrent kernel quickly', () => {
    const init = resolveInitializer('orthogonal');
    expect(init?.getClassName()).toBe('Orthogonal');
    expect(init?.getConfig()).toEqual(tf.initializers.orthogonal({ gain: 1 }).getConfig());
    const t0 = Date.now();
    const w = init!.apply([64, 256]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(w.shape).toEqual([64, 256]);
    w.dispose();
  });
});
