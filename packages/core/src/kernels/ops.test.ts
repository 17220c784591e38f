// The fused tfjs ops against a composite implementation written with tf ops from Keras's formulas:
// outputs and gradients to 1e-5 on cpu and wasm, no tensor leaks, flat WebAssembly memory.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { fusedGruSequence, fusedLstmSequence, fusedSimpleRnnSequence, type FusedSequenceOptions, type FusedSequenceResult } from './ops';
import { fusedKernelsAvailable, getKernelMode, setKernelMode, shouldUseFusedKernels } from './mode';
import { kernels } from './wasm';

type Cell = 'lstm' | 'gru' | 'gruV1' | 'simpleRnn';
const GATES: Record<Cell, number> = { lstm: 4, gru: 3, gruV1: 3, simpleRnn: 1 };

/** Composite reference with tf ops (Keras formulas), one step at a time. */
function composite(cell: Cell, x: tf.Tensor, W: tf.Tensor, Uk: tf.Tensor, b: tf.Tensor, o: FusedSequenceOptions): FusedSequenceResult {
  const [B, T, I] = x.shape as [number, number, number];
  const u = Uk.shape[0] as number;
  const xs = o.inputDropoutMask ? tf.mul(x, tf.expandDims(o.inputDropoutMask, 1)) : x;
  let h: tf.Tensor = o.h0 ?? tf.zeros([B, u]);
  let c: tf.Tensor = o.c0 ?? tf.zeros([B, u]);
  let prev: tf.Tensor = tf.zeros([B, u]);
  const outs: tf.Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const t = o.goBackwards ? T - 1 - s : s;
    const xt = tf.reshape(tf.slice(xs, [0, t, 0], [B, 1, I]), [B, I]);
    const hd = o.recurrentDropoutMask ? tf.mul(h, o.recurrentDropoutMask) : h;
    let hn: tf.Tensor;
    let cn = c;
    if (cell === 'lstm') {
      const z = tf.add(tf.add(tf.matMul(xt, W), tf.matMul(hd, Uk)), b);
      const [i, f, g, og] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      cn = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      hn = tf.mul(tf.sigmoid(og), tf.tanh(cn));
    } else if (cell === 'gru') {
      const [bi, br] = tf.unstack(b) as [tf.Tensor, tf.Tensor];
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, W), bi), 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [rz, rr, rh] = tf.split(tf.add(tf.matMul(hd, Uk), br), 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const z = tf.sigmoid(tf.add(xz, rz));
      const hh = tf.tanh(tf.add(xh, tf.mul(tf.sigmoid(tf.add(xr, rr)), rh)));
      hn = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    } else if (cell === 'gruV1') {
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, W), b), 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [uz, ur, uh] = tf.split(Uk, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const z = tf.sigmoid(tf.add(xz, tf.matMul(hd, uz)));
      const r = tf.sigmoid(tf.add(xr, tf.matMul(hd, ur)));
      const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, hd), uh)));
      hn = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    } else {
      hn = tf.tanh(tf.add(tf.add(tf.matMul(xt, W), tf.matMul(hd, Uk)), b));
    }
    let out = hn;
    if (o.mask) {
      const m = tf.cast(tf.slice(o.mask, [0, t], [B, 1]), 'float32');
      const keep = tf.sub(1, m);
      h = tf.add(tf.mul(m, hn), tf.mul(keep, h));
      c = tf.add(tf.mul(m, cn), tf.mul(keep, c));
      out = tf.add(tf.mul(m, hn), o.zeroOutputForMask ? 0 : tf.mul(keep, prev));
    } else {
      h = hn;
      c = cn;
    }
    prev = out;
    outs.push(out);
  }
  const output = o.returnSequences ? tf.stack(outs, 1) : (outs[T - 1] as tf.Tensor);
  return { output, h: h as tf.Tensor2D, c: cell === 'lstm' ? (c as tf.Tensor2D) : undefined };
}

function fused(cell: Cell, x: tf.Tensor, W: tf.Tensor, Uk: tf.Tensor, b: tf.Tensor, o: FusedSequenceOptions): FusedSequenceResult {
  if (cell === 'lstm') return fusedLstmSequence(x, W, Uk, b, o);
  if (cell === 'simpleRnn') return fusedSimpleRnnSequence(x, W, Uk, b, o);
  return fusedGruSequence(x, W, Uk, b, { ...o, resetAfter: cell === 'gru' });
}

interface Setup { B: number; T: number; I: number; U: number; opts: (r: () => tf.Tensor[]) => FusedSequenceOptions; name: string; states: boolean }

function rand(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.mul(tf.randomUniform(shape, -1, 1, 'float32', seed), scale);
}

const SETUPS: Setup[] = [
  { name: 'returnSequences, mask, dropout, initial states', B: 3, T: 5, I: 4, U: 6, states: true, opts: () => ({
    returnSequences: true,
    mask: tf.tensor2d([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 1, 1]], [3, 5], 'bool'),
    inputDropoutMask: tf.tensor2d([[1.5, 0, 1.5, 1.5], [0, 1.5, 1.5, 1.5], [1.5, 1.5, 1.5, 0]]),
    recurrentDropoutMask: tf.mul(tf.cast(tf.greater(rand([3, 6], 9), -0.5), 'float32'), 1.25),
  }) },
  { name: 'last output, goBackwards, zeroOutputForMask', B: 2, T: 4, I: 3, U: 5, states: false, opts: () => ({
    goBackwards: true, zeroOutputForMask: true, mask: tf.tensor2d([[1, 0, 1, 1], [1, 1, 1, 0]]),
  }) },
];

function lossOf(r: FusedSequenceResult, seed: number): tf.Scalar {
  let l = tf.sum(tf.mul(r.output, rand(r.output.shape, seed)));
  l = tf.add(l, tf.sum(tf.mul(r.h, rand(r.h.shape, seed + 1))));
  if (r.c) l = tf.add(l, tf.sum(tf.mul(r.c, rand(r.c.shape, seed + 2))));
  return l as tf.Scalar;
}

describeBackends('fused sequence ops vs composite tf ops', () => {
  for (const cell of ['lstm', 'gru', 'gruV1', 'simpleRnn'] as const) {
    for (const s of SETUPS) {
      it(`${cell}: ${s.name}: outputs and gradients`, () => {
        tf.tidy(() => {
          const G = GATES[cell] * s.U;
          const x = rand([s.B, s.T, s.I], 1, 2);
          const W = rand([s.I, G], 2, 0.8);
          const Uk = rand([s.U, G], 3, 0.8);
          const b = rand(cell === 'gru' ? [2, G] : [G], 4, 0.5);
          const h0 = rand([s.B, s.U], 5);
          const c0 = rand([s.B, s.U], 6);
          const base = s.opts(() => []);
          const withStates = (h: tf.Tensor, c: tf.Tensor): FusedSequenceOptions => (s.states ? { ...base, h0: h, c0: cell === 'lstm' ? c : undefined } : base);
          const ins = s.states ? (cell === 'lstm' ? [x, W, Uk, b, h0, c0] : [x, W, Uk, b, h0]) : [x, W, Uk, b];
          const f = (impl: typeof fused) => (...a: tf.Tensor[]) => lossOf(impl(cell, a[0]!, a[1]!, a[2]!, a[3]!, withStates(a[4] ?? h0, a[5] ?? c0)), 7);
          const want = composite(cell, x, W, Uk, b, withStates(h0, c0));
          const got = fused(cell, x, W, Uk, b, withStates(h0, c0));
          expectClose(got.output, want.output);
          expect(got.output.shape).toEqual(want.output.shape);
          expectClose(got.h, want.h);
          if (cell === 'lstm') expectClose(got.c as tf.Tensor, want.c as tf.Tensor);
          const gw = tf.grads(f(composite))(ins);
          const gg = tf.grads(f(fused))(ins);
          gw.forEach((g, i) => expectClose(gg[i] as tf.Tensor, g));
        });
      });
    }
  }

  it('skipInputGradient: same weight gradients, zero input gradient', () => {
    tf.tidy(() => {
      const x = rand([2, 4, 3], 31);
      const ws = [rand([3, 20], 32), rand([5, 20], 33), rand([20], 34)];
      const f = (skip: boolean) => (...a: tf.Tensor[]) => tf.sum(tf.square(fusedLstmSequence(a[0]!, a[1]!, a[2]!, a[3]!, { skipInputGradient: skip }).output));
      const full = tf.grads(f(false))([x, ...ws]);
      const skipped = tf.grads(f(true))([x, ...ws]);
      for (let i = 1; i < 4; i++) expectClose(skipped[i] as tf.Tensor, full[i] as tf.Tensor);
      expectClose(skipped[0] as tf.Tensor, tf.zerosLike(x));
    });
  });

  it('trains with tf.variableGrads and Adam without leaking tensors', async () => {
    const W = tf.variable(rand([4, 24], 11, 0.5));
    const Uk = tf.variable(rand([6, 24], 12, 0.5));
    const b = tf.variable(tf.zeros([24]));
    const x = rand([3, 5, 4], 13);
    const opt = tf.train.adam(0.01);
    const step = () => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(fusedLstmSequence(x, W, Uk, b).output)) as tf.Scalar);
      opt.applyGradients(grads as tf.NamedTensorMap as never);
      return value.dataSync()[0] as number;
    });
    const first = step();
    await expectNoLeak(() => {
      step();
    }, 30);
    expect(step()).toBeLessThan(first);
    tf.dispose([W, Uk, b, x]);
    opt.dispose();
  });
});

describe('kernel selection', () => {
  afterEach(() => setKernelMode('auto'));
  it('uses the fused kernels on CPU backends only', () => {
    expect(fusedKernelsAvailable('cpu')).toBe(true);
    expect(fusedKernelsAvailable('wasm')).toBe(true);
    expect(fusedKernelsAvailable('tensorflow')).toBe(true);
    expect(fusedKernelsAvailable('webgl')).toBe(false);
    expect(fusedKernelsAvailable('webgpu')).toBe(false);
  });
  it('honours the global switch and falls back for other activations', () => {
    expect(getKernelMode()).toBe('auto');
    expect(shouldUseFusedKernels({}, 'wasm')).toBe(true);
    expect(shouldUseFusedKernels({}, 'webgl')).toBe(false);
    setKernelMode('fused');
    expect(shouldUseFusedKernels({}, 'webgl')).toBe(true);
    expect(shouldUseFusedKernels({ recurrentActivation: 'hardSigmoid' }, 'cpu')).toBe(false);
    setKernelMode('composite');
    expect(shouldUseFusedKernels({}, 'cpu')).toBe(false);
    expect(() => setKernelMode('gpu' as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('names a weight of the wrong shape', () => {
    tf.tidy(() => {
      const x = tf.ones([2, 3, 4]);
      expect(() => fusedLstmSequence(x, tf.ones([5, 16]), tf.ones([5, 20]), tf.ones([20]))).toThrow(/Expected kernel of shape \[4,20\]/);
      expect(() => fusedGruSequence(x, tf.ones([4, 15]), tf.ones([5, 15]), tf.ones([15]))).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
      expect(() => fusedSimpleRnnSequence(tf.ones([2, 4]), tf.ones([4, 5]), tf.ones([5, 5]), tf.ones([5]))).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    });
  });
  it('keeps WebAssembly memory flat over repeated op calls', () => {
    const x = rand([4, 6, 5], 21);
    const W = rand([5, 28], 22);
    const Uk = rand([7, 28], 23);
    const b = rand([28], 24);
    const run = () => tf.tidy(() => tf.grads((a: tf.Tensor) => tf.sum(fusedLstmSequence(a, W, Uk, b, { returnSequences: true }).output))([x]));
    tf.dispose(run());
    const bytes = kernels().memory.buffer.byteLength;
    for (let i = 0; i < 200; i++) tf.dispose(run());
    expect(kernels().memory.buffer.byteLength).toBe(bytes);
    tf.dispose([x, W, Uk, b]);
  });
});
