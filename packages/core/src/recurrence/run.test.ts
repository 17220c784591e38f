// The weights-level entry (runCellSequence, runCellStep) against core's layers and pure cells on the same
// weights, in both kernel modes: masks, goBackwards in both output orders, initial states, bad input, leaks.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { layers } from '../layers/index';
import { gruStep, lstmStep } from '../index';
import { getKernelMode, setKernelMode, type KernelMode } from '../kernels/mode';
import { CELL_GATES, cellBiasShape, type RecurrentCellKind } from './gates';
import { runCellSequence, runCellStep } from './run';
import type { CellWeights } from './composite';

const MASK = [
  [1, 1, 0, 1, 1],
  [0, 0, 1, 1, 1],
  [1, 1, 1, 1, 1],
];

function makeLayer(kind: RecurrentCellKind, goBackwards: boolean): tf.layers.Layer {
  const args = { units: 4, returnSequences: true, returnState: true, goBackwards };
  return kind === 'lstm' ? layers.lstm(args) : kind === 'gru' ? layers.gru(args) : layers.simpleRNN(args);
}

function weightsOf(layer: tf.layers.Layer): CellWeights {
  const [kernel, recurrentKernel, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor2D, tf.Tensor];
  return { kernel, recurrentKernel, bias };
}

describe('gate table', () => {
  it('pins the Keras gate counts and bias shapes', () => {
    expect(CELL_GATES).toEqual({ simpleRnn: 1, lstm: 4, gru: 3 });
    expect(cellBiasShape('gru', 5)).toEqual([2, 15]);
    expect(cellBiasShape('gru', 5, false)).toEqual([15]);
    expect(cellBiasShape('lstm', 5)).toEqual([20]);
    expect(cellBiasShape('simpleRnn', 5)).toEqual([5]);
  });
});

describeBackends('runCellSequence', () => {
  let saved: KernelMode;
  beforeAll(() => {
    saved = getKernelMode();
  });
  afterAll(() => setKernelMode(saved));

  for (const mode of ['fused', 'composite'] as const) {
    for (const kind of ['lstm', 'gru', 'simpleRnn'] as const) {
      for (const goBackwards of [false, true]) {
        it(`equals the ${kind} layer (${mode}, goBackwards=${goBackwards}) with a mask and initial states`, () => {
          setKernelMode(mode);
          const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 3) as tf.Tensor3D;
          const mask = tf.tensor2d(MASK);
          const states = (kind === 'lstm' ? [0, 1] : [0]).map((i) => tf.randomNormal([3, 4], 0, 0.5, 'float32', 7 + i) as tf.Tensor2D);
          const layer = makeLayer(kind, goBackwards);
          const [seq, ...finals] = layer.apply(x, { mask: tf.cast(mask, 'bool'), initialState: states }) as tf.Tensor[];
          const w = weightsOf(layer);
          const opts = { mask, goBackwards, h0: states[0] as tf.Tensor2D, ...(kind === 'lstm' ? { c0: states[1] as tf.Tensor2D } : {}) };
          const r = runCellSequence(kind, w, x, opts);
          expectClose(r.outputs as tf.Tensor, seq as tf.Tensor);
          expectClose(r.h, finals[0] as tf.Tensor);
          if (kind === 'lstm') expectClose(r.c as tf.Tensor, finals[1] as tf.Tensor);
          else expect(r.c).toBeUndefined();
          const inInputOrder = runCellSequence(kind, w, x, { ...opts, outputOrder: 'input' });
          expectClose(inInputOrder.outputs as tf.Tensor, goBackwards ? tf.reverse(seq as tf.Tensor, 1) : (seq as tf.Tensor));
          const last = runCellSequence(kind, w, x, { ...opts, returnSequences: false });
          expect(last.outputs).toBeNull();
          expectClose(last.lastOutput, r.lastOutput);
          tf.dispose([x, mask, ...states, seq, ...finals, r as never, inInputOrder as never, last as never]);
          layer.dispose();
        });
      }
    }

    it(`leaks no tensor (${mode})`, async () => {
      setKernelMode(mode);
      const layer = makeLayer('gru', false);
      const x = tf.randomNormal([2, 4, 2]) as tf.Tensor3D;
      tf.dispose(layer.apply(x) as tf.Tensor[]);
      const w = weightsOf(layer);
      const xt = tf.zeros([2, 2]) as tf.Tensor2D;
      const h = tf.zeros([2, 4]) as tf.Tensor2D;
      await expectNoLeak(() => {
        const r = runCellSequence('gru', w, x, { goBackwards: true, outputOrder: 'input' });
        tf.dispose([r.outputs as tf.Tensor, r.lastOutput, r.h]);
        tf.dispose(runCellStep('gru', w, xt, [h]));
      });
      tf.dispose([x, xt, h]);
      layer.dispose();
    });
  }

  it('runCellStep equals the pure cell steps', () => {
    const lstm = layers.lstm({ units: 3 });
    const gru = layers.gru({ units: 3 });
    const x = tf.randomNormal([2, 4, 5]) as tf.Tensor3D;
    tf.dispose([lstm.apply(x), gru.apply(x)] as tf.Tensor[]);
    const xt = tf.randomNormal([2, 5]) as tf.Tensor2D;
    const h = tf.randomNormal([2, 3]) as tf.Tensor2D;
    const c = tf.randomNormal([2, 3]) as tf.Tensor2D;
    const lw = weightsOf(lstm);
    const gw = weightsOf(gru);
    expectClose(tf.stack(runCellStep('lstm', lw, xt, [h, c])), tf.stack(lstmStep({ kernel: lw.kernel, recurrentKernel: lw.recurrentKernel, bias: lw.bias as tf.Tensor1D }, xt, [h, c])));
    expectClose(tf.stack(runCellStep('gru', gw, xt, [h])), tf.stack(gruStep({ kernel: gw.kernel, recurrentKernel: gw.recurrentKernel, bias: gw.bias as tf.Tensor2D, resetAfter: true }, xt, [h])));
    lstm.dispose();
    gru.dispose();
  });

  it('reports bad input with a code', () => {
    const x = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    const w = { kernel: tf.zeros([3, 8]) as tf.Tensor2D, recurrentKernel: tf.zeros([2, 8]) as tf.Tensor2D };
    expect(() => runCellSequence('lstm', w, x)).not.toThrow();
    expect(() => runCellSequence('bogus' as RecurrentCellKind, w, x)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => runCellSequence('lstm', { kernel: null } as never, x)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => runCellSequence('lstm', w, tf.zeros([2, 3]) as unknown as tf.Tensor3D)).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    expect(() => runCellStep('lstm', w, tf.zeros([1, 3]) as tf.Tensor2D, [tf.zeros([1, 2]) as tf.Tensor2D])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
