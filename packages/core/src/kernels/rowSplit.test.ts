// The per-step loops split by batch rows across two threads give the numbers of one thread bit for bit:
// every cell, forward and backward, with masks, goBackwards, dropout masks, initial states, odd batch
// sizes and the forward-only per-step projection; and the worker really ran its half.
import { lstmBackward, lstmForward } from './lstm';
import { gruBackward, gruForward } from './gru';
import { simpleRnnBackward, simpleRnnForward } from './simpleRnn';
import type { SequenceDims, SequenceOptions } from './sequence';
import { workerJobs } from './threads';
import { setMinSplitBatch } from './rowSplit';
import { randArray } from './testing/random';
import { gatesOf, type RefCell } from './testing/reference';
import { twoThreadsAgainstOne } from './testing/threads';
import type { KernelExports } from './wasm';

interface Case {
  name: string;
  B: number;
  opts: (d: SequenceDims) => SequenceOptions;
}

const T = 6;
const [I, U] = [5, 7];

const CASES: Case[] = [
  { name: 'plain', B: 8, opts: () => ({}) },
  { name: 'batch 1 (not split)', B: 1, opts: () => ({}) },
  { name: 'batch 7, mask, goBackwards, h0/c0', B: 7, opts: (d) => ({
    mask: randArray(d.batch * T, 11, true), goBackwards: true,
    h0: randArray(d.batch * U, 12), c0: randArray(d.batch * U, 13),
  }) },
  { name: 'batch 33, dropout masks, mask, zeroOutputForMask', B: 33, opts: (d) => ({
    mask: randArray(d.batch * T, 14, true), zeroOutputForMask: true,
    inputDropoutMask: randArray(d.batch * I, 15, true).map((v) => v * 1.25),
    recurrentDropoutMask: randArray(d.batch * U, 16, true).map((v) => v * 1.5),
  }) },
];

function run(cell: RefCell, B: number, opts: SequenceOptions, k?: KernelExports): Float32Array[] {
  const d = { batch: B, time: T, inputDim: I, units: U };
  const G = gatesOf(cell) * U;
  const x = randArray(B * T * I, 1);
  const bias = randArray(cell === 'gru' ? 2 * G : G, 4);
  const w = { kernel: randArray(I * G, 2), recurrentKernel: randArray(U * G, 3), bias };
  const grads = { dOutputs: randArray(B * T * U, 5), dH: randArray(B * U, 6), dLast: randArray(B * U, 7) };
  if (cell === 'lstm') {
    const f = lstmForward(x, w, d, opts, k);
    const g = lstmBackward(f.saved, { ...grads, dC: randArray(B * U, 8) }, k);
    return [f.outputs, f.h, f.c, g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0, g.dC0];
  }
  if (cell === 'simple') {
    const f = simpleRnnForward(x, w, d, opts, k);
    const g = simpleRnnBackward(f.saved, grads, k);
    return [f.outputs, f.h, g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0];
  }
  const f = gruForward(x, { ...w, resetAfter: cell === 'gru' }, d, opts, k);
  const g = gruBackward(f.saved, grads, k);
  return [f.outputs, f.h, g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0];
}

function forwardOnly(cell: RefCell, B: number, opts: SequenceOptions, k?: KernelExports): Float32Array[] {
  const d = { batch: B, time: T, inputDim: I, units: U };
  const G = gatesOf(cell) * U;
  const x = randArray(B * T * I, 1);
  const w = { kernel: randArray(I * G, 2), recurrentKernel: randArray(U * G, 3), bias: randArray(cell === 'gru' ? 2 * G : G, 4) };
  const o = { ...opts, forwardOnly: true };
  if (cell === 'lstm') {
    const f = lstmForward(x, w, d, o, k);
    return [f.outputs, f.h, f.c];
  }
  const f = cell === 'simple' ? simpleRnnForward(x, w, d, o, k) : gruForward(x, { ...w, resetAfter: cell === 'gru' }, d, o, k);
  return [f.outputs, f.h];
}

const bits = (a: Float32Array[]): number[][] => a.map((v) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)));

describe('sequence kernels split by batch rows over two threads', () => {
  const singleThread = twoThreadsAgainstOne();

  for (const cell of ['lstm', 'gru', 'gruV1', 'simple'] as const) {
    for (const c of CASES) {
      it(`${cell}, ${c.name}: forward and backward equal one thread`, () => {
        const opts = c.opts({ batch: c.B, time: T, inputDim: I, units: U });
        const before = workerJobs();
        const two = run(cell, c.B, opts);
        expect(workerJobs() - before).toBe(c.B >= 2 ? 2 : 0);
        expect(bits(two)).toEqual(bits(run(cell, c.B, opts, singleThread())));
      });
    }
    it(`${cell}, forward-only with the per-step projection and lastOutputOnly equals one thread`, () => {
      const opts: SequenceOptions = { projection: 'perStep', lastOutputOnly: true, mask: randArray(9 * T, 17, true),
        recurrentDropoutMask: randArray(9 * U, 18) };
      const before = workerJobs();
      const two = forwardOnly(cell, 9, opts);
      expect(workerJobs() - before).toBe(1);
      expect(bits(two)).toEqual(bits(forwardOnly(cell, 9, opts, singleThread())));
      expect(bits(forwardOnly(cell, 9, { projection: 'perStep' }))).toEqual(bits(forwardOnly(cell, 9, { projection: 'perStep' }, singleThread())));
    });
  }

  it('keeps batches below the minimum on one thread', () => {
    setMinSplitBatch(8);
    const before = workerJobs();
    run('lstm', 7, {});
    expect(workerJobs()).toBe(before);
    setMinSplitBatch(2);
  });
});
