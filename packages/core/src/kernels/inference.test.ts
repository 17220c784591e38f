// The forward-only (inference) variants of the sequence kernels equal the training forward bit for bit:
// per-step input projection vs the whole projection, last output only vs all outputs, h read in place.
import { lstmForward } from './lstm';
import { gruForward } from './gru';
import { simpleRnnForward } from './simpleRnn';
import { projectsPerStep, PER_STEP_PROJECTION_FLOATS, type SequenceDims, type SequenceOptions } from './sequence';
import { resetKernels } from './wasm';
import { workspaceOf } from './gemm';
import { enableRelaxedSimdForTests } from './testing/relaxed';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

type Cell = 'lstm' | 'gru' | 'gruV1' | 'simple';
const GATES: Record<Cell, number> = { lstm: 4, gru: 3, gruV1: 3, simple: 1 };

function forward(cell: Cell, x: Float32Array, w: { kernel: Float32Array; recurrentKernel: Float32Array; bias: Float32Array }, d: SequenceDims,
  o: SequenceOptions): { outputs: Float32Array; h: Float32Array; c?: Float32Array } {
  if (cell === 'lstm') return lstmForward(x, w, d, o);
  if (cell === 'simple') return simpleRnnForward(x, w, d, o);
  return gruForward(x, { ...w, resetAfter: cell === 'gru' }, d, o);
}

interface Case { name: string; B: number; T: number; I: number; U: number; mask?: boolean; dropout?: boolean; goBackwards?: boolean; states?: boolean; zeroOutputForMask?: boolean }

const CASES: Case[] = [
  { name: 'plain', B: 5, T: 6, I: 7, U: 9 },
  { name: 'batch 1 (GEMV)', B: 1, T: 5, I: 6, U: 8, states: true },
  { name: 'mask, goBackwards, initial states', B: 4, T: 7, I: 5, U: 6, mask: true, goBackwards: true, states: true },
  { name: 'mask + zeroOutputForMask', B: 3, T: 5, I: 4, U: 5, mask: true, zeroOutputForMask: true },
  { name: 'dropout masks', B: 6, T: 4, I: 8, U: 12, dropout: true, states: true },
];

function run(cell: Cell, c: Case): void {
  const r = rng(c.B * 131 + c.T * 17 + c.U);
  const arr = (n: number, scale = 1) => Float32Array.from({ length: n }, () => r() * scale);
  const { B, T, I, U } = c;
  const G = GATES[cell] * U;
  const d: SequenceDims = { batch: B, time: T, inputDim: I, units: U };
  const w = { kernel: arr(I * G, 1.2), recurrentKernel: arr(U * G, 1.2), bias: arr(cell === 'gru' ? 2 * G : G, 0.6) };
  const x = arr(B * T * I, 2);
  const base: SequenceOptions = { goBackwards: c.goBackwards, zeroOutputForMask: c.zeroOutputForMask };
  if (c.states) {
    base.h0 = arr(B * U);
    if (cell === 'lstm') base.c0 = arr(B * U);
  }
  if (c.mask) {
    base.mask = Float32Array.from({ length: B * T }, (_, i) => ((i * 7 + 3) % 5 === 0 ? 0 : 1));
    base.mask[0] = 0;
    base.mask[B * T - 1] = 0;
  }
  if (c.dropout) {
    base.inputDropoutMask = Float32Array.from({ length: B * I }, (_, i) => (i % 3 === 1 ? 0 : 1.5));
    base.recurrentDropoutMask = Float32Array.from({ length: B * U }, (_, i) => (i % 4 === 2 ? 0 : 1.25));
  }
  const full = forward(cell, x, w, d, base);
  const last = new Float32Array(B * U);
  for (let b = 0; b < B; b++) last.set(full.outputs.subarray((b * T + T - 1) * U, (b * T + T) * U), b * U);
  for (const projection of ['whole', 'perStep'] as const) {
    for (const lastOutputOnly of [false, true]) {
      const got = forward(cell, x, w, d, { ...base, forwardOnly: true, projection, lastOutputOnly });
      expect(got.outputs).toEqual(lastOutputOnly ? last : full.outputs);
      expect(got.h).toEqual(full.h);
      if (cell === 'lstm') expect(got.c).toEqual(full.c);
    }
  }
  // lastOutputOnly in a training forward too (its saved activations are unchanged)
  expect(forward(cell, x, w, d, { ...base, lastOutputOnly: true }).outputs).toEqual(last);
}

const RELAXED = enableRelaxedSimdForTests();

for (const flavor of RELAXED ? (['simd', 'relaxed'] as const) : (['simd'] as const)) {
  describe(`forward-only sequence kernels equal the training forward [${flavor}]`, () => {
    beforeAll(() => resetKernels(flavor));
    afterAll(() => resetKernels());
    for (const cell of Object.keys(GATES) as Cell[]) {
      for (const c of CASES) it(`${cell}: ${c.name}`, () => run(cell, c));
    }
  });
}

describe('per-step projection', () => {
  const d: SequenceDims = { batch: 256, time: 64, inputDim: 128, units: 128 };
  it('is chosen for large forward-only calls only', () => {
    expect(projectsPerStep(d, { forwardOnly: true }, 512)).toBe(true);
    expect(projectsPerStep(d, {}, 512)).toBe(false);
    expect(projectsPerStep({ ...d, batch: 1, time: 20 }, { forwardOnly: true }, 512)).toBe(false);
    expect(projectsPerStep(d, { forwardOnly: true, projection: 'whole' }, 512)).toBe(false);
    expect(projectsPerStep({ ...d, batch: 1 }, { forwardOnly: true, projection: 'perStep' }, 8)).toBe(true);
    expect(PER_STEP_PROJECTION_FLOATS).toBe(1 << 18);
  });

  it('keeps the workspace small: no [batch, time, gates*units] buffers', () => {
    const r = rng(7);
    const [B, T, I, U] = [64, 64, 32, 32];
    const arr = (n: number) => Float32Array.from({ length: n }, () => r() * 0.5);
    const w = { kernel: arr(I * 4 * U), recurrentKernel: arr(U * 4 * U), bias: arr(4 * U) };
    const dims = { batch: B, time: T, inputDim: I, units: U };
    resetKernels();
    const ws = workspaceOf();
    lstmForward(arr(B * T * I), w, dims, { forwardOnly: true, lastOutputOnly: true, projection: 'perStep' });
    const small = ws.memoryBytes;
    lstmForward(arr(B * T * I), w, dims, {});
    expect(small).toBeLessThan(ws.memoryBytes);
  });
});
