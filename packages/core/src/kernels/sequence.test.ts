// Parity of the fused sequence kernels (float32, WebAssembly) with a float64 reference of the Keras
// formulas: outputs and states, and every gradient against central finite differences of the reference.
import { lstmBackward, lstmForward } from './lstm';
import { gruBackward, gruForward } from './gru';
import { simpleRnnBackward, simpleRnnForward } from './simpleRnn';
import { gatesOf, refForward, refGrad, type RefCell, type RefLossWeights, type RefOptions, type RefParams } from './testing/reference';
import type { SequenceDims, SequenceGrads, SequenceOptions } from './sequence';
import { kernelFlavor, relaxedSimdSupported, resetKernels, tryEnableRelaxedSimd } from './wasm';
import { enableRelaxedSimdForTests } from './testing/relaxed';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

interface Case {
  name: string;
  B: number; T: number; I: number; U: number;
  mask?: boolean; goBackwards?: boolean; dropout?: boolean; zeroOutputForMask?: boolean; states?: boolean;
}

const CASES: Case[] = [
  { name: 'plain', B: 2, T: 3, I: 3, U: 4 },
  { name: 'batch 1 (GEMV path), mask, goBackwards', B: 1, T: 4, I: 4, U: 9, states: true, mask: true, goBackwards: true },
  { name: 'all sizes 1', B: 1, T: 1, I: 1, U: 1, states: true },
  { name: 'units below one SIMD vector, dropout', B: 7, T: 2, I: 2, U: 3, states: true, dropout: true },
  { name: 'odd sizes (SIMD tails), initial states', B: 3, T: 4, I: 5, U: 7, states: true },
  { name: 'mask with holes', B: 3, T: 5, I: 4, U: 5, mask: true, states: true },
  { name: 'goBackwards + mask', B: 2, T: 5, I: 3, U: 6, mask: true, goBackwards: true },
  { name: 'dropout masks + mask + zeroOutputForMask', B: 2, T: 4, I: 4, U: 5, mask: true, dropout: true, zeroOutputForMask: true, states: true },
];

type Runner = (x: Float32Array, p: RefParams, d: SequenceDims, o: SequenceOptions, g: SequenceGrads) => {
  outputs: Float32Array; h: Float32Array; c?: Float32Array; grads: Record<keyof RefParams, Float32Array | undefined>;
};

const f32 = (a: Float64Array) => Float32Array.from(a);

const RUNNERS: Partial<Record<RefCell, Runner>> = {
  lstm: (x, p, d, o, g) => {
    const f = lstmForward(x, { kernel: f32(p.kernel), recurrentKernel: f32(p.recurrentKernel), bias: f32(p.bias) }, d, o);
    const b = lstmBackward(f.saved, g);
    return { outputs: f.outputs, h: f.h, c: f.c, grads: { x: b.dx, kernel: b.dKernel, recurrentKernel: b.dRecurrentKernel, bias: b.dBias, h0: b.dH0, c0: b.dC0 } };
  },
  gru: (x, p, d, o, g) => gruRun(true, x, p, d, o, g),
  gruV1: (x, p, d, o, g) => gruRun(false, x, p, d, o, g),
  simple: (x, p, d, o, g) => {
    const f = simpleRnnForward(x, { kernel: f32(p.kernel), recurrentKernel: f32(p.recurrentKernel), bias: f32(p.bias) }, d, o);
    const b = simpleRnnBackward(f.saved, g);
    return { outputs: f.outputs, h: f.h, grads: { x: b.dx, kernel: b.dKernel, recurrentKernel: b.dRecurrentKernel, bias: b.dBias, h0: b.dH0, c0: undefined } };
  },
};

function gruRun(resetAfter: boolean, x: Float32Array, p: RefParams, d: SequenceDims, o: SequenceOptions, g: SequenceGrads) {
  const f = gruForward(x, { kernel: f32(p.kernel), recurrentKernel: f32(p.recurrentKernel), bias: f32(p.bias), resetAfter }, d, o);
  const b = gruBackward(f.saved, g);
  return { outputs: f.outputs, h: f.h, grads: { x: b.dx, kernel: b.dKernel, recurrentKernel: b.dRecurrentKernel, bias: b.dBias, h0: b.dH0, c0: undefined } };
}

function biasLength(cell: RefCell, U: number): number {
  return cell === 'gru' ? 6 * U : gatesOf(cell) * U;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function runCase(cell: RefCell, c: Case) {
  const r = rng(c.B * 1000 + c.T * 100 + c.U);
  const arr = (n: number, scale = 1) => Float64Array.from({ length: n }, () => r() * scale);
  const { B, T, I, U } = c;
  const G = gatesOf(cell) * U;
  const p: RefParams = {
    kernel: arr(I * G, 1.2), recurrentKernel: arr(U * G, 1.2), bias: arr(biasLength(cell, U), 0.6), x: arr(B * T * I, 2),
    h0: c.states ? arr(B * U) : new Float64Array(B * U), c0: c.states && cell === 'lstm' ? arr(B * U) : new Float64Array(B * U),
  };
  const o: RefOptions = { B, T, I, U, goBackwards: c.goBackwards, zeroOutputForMask: c.zeroOutputForMask };
  if (c.mask) {
    o.mask = Float64Array.from({ length: B * T }, (_, i) => ((i * 7 + 3) % 5 === 0 ? 0 : 1)); // holes, incl. first/last
    o.mask[0] = 0;
    o.mask[B * T - 1] = 0;
  }
  if (c.dropout) {
    o.inMask = Float64Array.from({ length: B * I }, (_, i) => (i % 3 === 1 ? 0 : 1.5));
    o.recMask = Float64Array.from({ length: B * U }, (_, i) => (i % 4 === 2 ? 0 : 1.25));
  }
  const w: RefLossWeights = { dOutputs: arr(B * T * U), dLast: arr(B * U), dH: arr(B * U), dC: arr(B * U) };
  const opts: SequenceOptions = {
    h0: c.states ? f32(p.h0) : undefined, c0: c.states && cell === 'lstm' ? f32(p.c0) : undefined,
    mask: o.mask && f32(o.mask), goBackwards: c.goBackwards, zeroOutputForMask: c.zeroOutputForMask,
    inputDropoutMask: o.inMask && f32(o.inMask), recurrentDropoutMask: o.recMask && f32(o.recMask),
  };
  const grads: SequenceGrads = { dOutputs: f32(w.dOutputs), dLast: f32(w.dLast), dH: f32(w.dH), dC: cell === 'lstm' ? f32(w.dC) : undefined };
  const run = RUNNERS[cell] as Runner;
  const got = run(f32(p.x), p, { batch: B, time: T, inputDim: I, units: U }, opts, grads);
  const ref = refForward(cell, p, o);
  expect(maxDiff(got.outputs, ref.outputs)).toBeLessThan(1e-5);
  expect(maxDiff(got.h, ref.h)).toBeLessThan(1e-5);
  if (cell === 'lstm') expect(maxDiff(got.c as Float32Array, ref.c)).toBeLessThan(1e-5);
  for (const name of ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'] as const) {
    if (name === 'c0' && cell !== 'lstm') continue;
    const fd = refGrad(cell, p, o, w, name);
    const err = maxDiff(got.grads[name] as Float32Array, fd);
    if (!(err < 1e-5)) throw new Error(`${cell} ${c.name}: d${name} differs by ${err}`);
  }
}

const RELAXED = enableRelaxedSimdForTests();

it('detects relaxed SIMD (after the V8 flag is set) and switches to the relaxed build', () => {
  expect(relaxedSimdSupported()).toBe(RELAXED);
  resetKernels('simd');
  expect(kernelFlavor()).toBe('simd');
  resetKernels();
  expect(kernelFlavor()).toBe(RELAXED ? 'relaxed' : 'simd');
  expect(tryEnableRelaxedSimd()).toBe(RELAXED);
});

for (const flavor of RELAXED ? (['simd', 'relaxed'] as const) : (['simd'] as const)) {
  const cells = Object.keys(RUNNERS) as RefCell[];
  describe(`fused sequence kernels vs float64 reference [${flavor}]`, () => {
    beforeAll(() => resetKernels(flavor));
    afterAll(() => resetKernels());
    for (const cell of cells) {
      for (const c of CASES) it(`${cell}: ${c.name}`, () => runCase(cell, c));
    }
  });
}

describe('fused sequence kernels: argument errors', () => {
  const d = { batch: 2, time: 3, inputDim: 4, units: 5 };
  const w = { kernel: new Float32Array(4 * 20), recurrentKernel: new Float32Array(5 * 20), bias: new Float32Array(20) };
  const x = new Float32Array(24);
  it('names the wrong shape', () => {
    expect(() => lstmForward(new Float32Array(23), w, d)).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    expect(() => lstmForward(x, { ...w, bias: new Float32Array(5) }, d)).toThrow(/Expected bias to have 20 values/);
    expect(() => lstmForward(x, w, d, { mask: new Float32Array(5) })).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    expect(() => gruForward(x, { kernel: new Float32Array(60), recurrentKernel: new Float32Array(75), bias: new Float32Array(15), resetAfter: true }, d))
      .toThrow(/Expected bias to have 30 values \(\[2, 15\]\)/);
  });
  it('rejects non-positive sizes', () => {
    expect(() => simpleRnnForward(new Float32Array(0), { kernel: new Float32Array(0), recurrentKernel: new Float32Array(0), bias: new Float32Array(0) },
      { batch: 0, time: 3, inputDim: 4, units: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('refuses a backward pass after a forward-only call', () => {
    const f = lstmForward(x, w, d, { forwardOnly: true });
    expect(f.outputs.length).toBe(30);
    expect(() => lstmBackward(f.saved, { dLast: new Float32Array(10) })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
