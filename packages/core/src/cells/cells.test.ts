import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import cellCases from '../../test/fixtures/golden/cells.json';
import activationCases from '../../test/fixtures/golden/activations.json';
import { rnn, type RnnStepFunction } from '../rnn';
import { ACTIVATION_NAMES, canonicalActivationName, getActivation } from './activations';
import { RNN_DEFAULTS } from './defaults';
import { gruPrepare, gruProjectInputs, gruRecurrentStep, gruStep, type GruParams } from './gru';
import { lstmProjectInputs, lstmRecurrentStep, lstmStep, type LstmParams, type LstmState } from './lstm';
import { simpleRnnProjectInputs, simpleRnnRecurrentStep, simpleRnnStep, type SimpleRnnParams } from './simpleRnn';

type Nested = number | Nested[];
const t = (v: unknown) => tf.tensor(v as number[]);

/** Builds the step function and the per-step inputs of a case, with its dropout masks. */
function sequencePlan(c: (typeof cellCases)[number], params: [tf.Tensor2D, tf.Tensor2D, tf.Tensor | null], x: tf.Tensor3D, dp: tf.Tensor2D, rdp: tf.Tensor2D): { inputs: tf.Tensor3D; step: RnnStepFunction } {
  const [kernel, recurrentKernel, bias] = params;
  const opts = { recurrentDropoutMask: rdp };
  if (c.cell === 'lstm') {
    const p: LstmParams = { kernel, recurrentKernel, bias: bias as tf.Tensor1D };
    return { inputs: lstmProjectInputs(p, x, dp), step: (xp, s) => { const n = lstmRecurrentStep(p, xp, s as LstmState, opts); return { output: n[0], states: n }; } };
  }
  if (c.cell === 'gru') {
    const p = gruPrepare({ kernel, recurrentKernel, bias: bias as tf.Tensor2D, resetAfter: (c.config as { resetAfter: boolean }).resetAfter });
    return { inputs: gruProjectInputs(p, x, dp), step: (xp, s) => { const n = gruRecurrentStep(p, xp, [s[0] as tf.Tensor2D], opts); return { output: n[0], states: n }; } };
  }
  const p: SimpleRnnParams = { kernel, recurrentKernel, bias: bias as tf.Tensor1D };
  return { inputs: simpleRnnProjectInputs(p, x, dp), step: (xp, s) => { const n = simpleRnnRecurrentStep(p, xp, [s[0] as tf.Tensor2D], opts); return { output: n[0], states: n }; } };
}

describeBackends('pure cell step functions vs numpy reference', () => {
  for (const c of cellCases) {
    it(`${c.name}: one step with explicit dropout masks`, async () => {
      const [kernel, recurrentKernel, bias] = c.weights.map(t) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor];
      const x = t(c.x) as tf.Tensor2D;
      const state = c.state.map(t) as tf.Tensor2D[];
      const opts = { dropoutMask: t(c.dropoutMask) as tf.Tensor2D, recurrentDropoutMask: t(c.recurrentDropoutMask) as tf.Tensor2D };
      const run = () => {
        if (c.cell === 'lstm') return lstmStep({ kernel, recurrentKernel, bias: bias as tf.Tensor1D }, x, state as LstmState, opts);
        if (c.cell === 'gru') {
          const p: GruParams = { kernel, recurrentKernel, bias: bias as tf.Tensor2D, resetAfter: (c.config as { resetAfter: boolean }).resetAfter };
          return gruStep(p, x, [state[0] as tf.Tensor2D], opts);
        }
        return simpleRnnStep({ kernel, recurrentKernel, bias: bias as tf.Tensor1D }, x, [state[0] as tf.Tensor2D], opts);
      };
      const got = run();
      got.forEach((s, i) => expectClose(s, c.expected[i] as number[][], 1e-5));
      tf.dispose(got);
      await expectNoLeak(run, 3);
      tf.dispose([kernel, recurrentKernel, bias, x, ...state, opts.dropoutMask, opts.recurrentDropoutMask]);
    });

    it(`${c.name}: masked sequence with the same masks at every step (variational)`, () => {
      const w = c.weights.map(t) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor];
      const x = t(c.sequence.x) as tf.Tensor3D;
      const dp = t(c.dropoutMask) as tf.Tensor2D;
      const rdp = t(c.recurrentDropoutMask) as tf.Tensor2D;
      const mask = t(c.sequence.mask);
      const result = tf.tidy(() => {
        const plan = sequencePlan(c, w, x, dp, rdp);
        const zeros = c.sequence.states.map(() => tf.zeros([x.shape[0], 4]) as tf.Tensor2D);
        const r = rnn(plan.step, plan.inputs, zeros, { mask, returnSequences: true });
        return [r.outputs as tf.Tensor3D, ...r.states];
      });
      expectClose(result[0] as tf.Tensor, c.sequence.output as Nested as number[], 1e-5);
      result.slice(1).forEach((s, i) => expectClose(s, c.sequence.states[i] as number[][], 1e-5));
      tf.dispose([...result, ...w, x, dp, rdp, mask]);
    });
  }

  it('activations match Keras formulas (hard_sigmoid = Keras 2, hard_sigmoid_keras3 = Keras 3)', () => {
    const x = tf.tensor1d(activationCases.x);
    for (const [name, expected] of Object.entries(activationCases.outputs)) {
      const y = tf.tidy(() => getActivation(name)(x));
      expectClose(y, expected as number[], 2e-6);
      if (y !== x) y.dispose(); // linear returns its input
    }
    x.dispose();
    expect(canonicalActivationName('hard_sigmoid')).toBe('hardSigmoid');
    expect(canonicalActivationName('silu')).toBe('swish');
    expect(ACTIVATION_NAMES).toContain('exponential');
    expect(() => getActivation('nope')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('RNN_DEFAULTS', () => {
  it('equal Keras defaults', () => {
    expect(RNN_DEFAULTS).toEqual({
      activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'orthogonal', biasInitializer: 'zeros', unitForgetBias: true, resetAfter: true, dropout: 0,
      recurrentDropout: 0, returnSequences: false, returnState: false, goBackwards: false, stateful: false, unroll: false,
      zeroOutputForMask: false,
    });
    expect(Object.isFrozen(RNN_DEFAULTS)).toBe(true);
  });
});
