// Saved activations kept in WebAssembly memory (`savedInMemory`) give the gradients of the copying path bit
// for bit, survive other kernel calls between the forward and the backward pass (the arena allocates around
// them), are freed by the backward pass (which then cannot run twice), by garbage collection of `saved`, or
// not kept above the cap; and training keeps WebAssembly memory flat, with one thread and with two.
import * as tf from '@tensorflow/tfjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describeBackends } from '../../test/util/backends';
import { layers } from '../index';
import { lstmBackward, lstmForward } from './lstm';
import { gruBackward, gruForward } from './gru';
import { simpleRnnBackward, simpleRnnForward } from './simpleRnn';
import { gemm, workspaceOf } from './gemm';
import { setSavedInMemoryCap } from './savedBlocks';
import { sequenceInputGradient, type SequenceOptions } from './sequence';
import { disableThreads, enableThreads } from './threads';
import { randArray } from './testing/random';
import { gatesOf, type RefCell } from './testing/reference';
import { twoThreadsAgainstOne } from './testing/threads';
import { instantiateKernels, kernelFlavor, kernels, type KernelExports } from './wasm';
import { fusedLstmSequence } from './ops';

const [T, I, U] = [6, 5, 7];

interface Pass {
  saved: { kept?: unknown };
  backward(): Float32Array[];
  outputs: Float32Array[];
}

function forward(cell: RefCell, B: number, opts: SequenceOptions, seed = 1, k?: KernelExports, kb = k): Pass {
  const d = { batch: B, time: T, inputDim: I, units: U };
  const G = gatesOf(cell) * U;
  const x = randArray(B * T * I, seed);
  const w = { kernel: randArray(I * G, seed + 1), recurrentKernel: randArray(U * G, seed + 2), bias: randArray(cell === 'gru' ? 2 * G : G, seed + 3) };
  const grads = { dOutputs: randArray(B * T * U, 5), dH: randArray(B * U, 6), dLast: randArray(B * U, 7) };
  if (cell === 'lstm') {
    const f = lstmForward(x, w, d, opts, k);
    return { saved: f.saved, outputs: [f.outputs, f.h, f.c], backward: () => {
      const g = lstmBackward(f.saved, { ...grads, dC: randArray(B * U, 8) }, kb);
      return [g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0, g.dC0];
    } };
  }
  if (cell === 'simple') {
    const f = simpleRnnForward(x, w, d, opts, k);
    return { saved: f.saved, outputs: [f.outputs, f.h], backward: () => {
      const g = simpleRnnBackward(f.saved, grads, kb);
      return [g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0];
    } };
  }
  const f = gruForward(x, { ...w, resetAfter: cell === 'gru' }, d, opts, k);
  return { saved: f.saved, outputs: [f.outputs, f.h], backward: () => {
    const g = gruBackward(f.saved, grads, kb);
    return [g.dx, g.dKernel, g.dRecurrentKernel, g.dBias, g.dH0];
  } };
}

const bits = (a: Float32Array[]): number[][] => a.map((v) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)));

const OPTS: SequenceOptions = {
  mask: randArray(9 * T, 14, true), goBackwards: true,
  inputDropoutMask: randArray(9 * I, 15, true).map((v) => v * 1.25),
  recurrentDropoutMask: randArray(9 * U, 16, true).map((v) => v * 1.5),
};

describe('saved activations kept in WebAssembly memory', () => {
  for (const cell of ['lstm', 'gru', 'gruV1', 'simple'] as const) {
    it(`${cell}: equal the copied ones, across other kernel calls, and are freed by the backward pass`, () => {
      const ws = workspaceOf();
      const ref = forward(cell, 9, OPTS);
      const refGrads = ref.backward();
      const a = forward(cell, 9, { ...OPTS, savedInMemory: true });
      const b = forward(cell, 4, { savedInMemory: true }, 21); // kept beside a's blocks
      expect(a.saved.kept).toBeDefined();
      expect(ws.keptBytes).toBeGreaterThan(0);
      const refB = forward(cell, 4, {}, 21).backward(); // the arena's own calls in between
      gemm(randArray(300 * 200, 3), randArray(200 * 100, 4), 300, 100, 200);
      expect(bits(a.outputs)).toEqual(bits(ref.outputs));
      expect(bits(b.backward())).toEqual(bits(refB));
      expect(bits(a.backward())).toEqual(bits(refGrads));
      expect(ws.keptBytes).toBe(0);
      expect(() => a.backward()).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    });
  }

  it('moves to another kernel module when the backward pass runs there', () => {
    const other = instantiateKernels(kernelFlavor());
    const ref = forward('lstm', 9, OPTS);
    const moved = forward('lstm', 9, { ...OPTS, savedInMemory: true }, 1, kernels(), other);
    expect(bits(moved.backward())).toEqual(bits(ref.backward()));
    expect(workspaceOf().keptBytes).toBe(0);
  });

  it('keeps dProj for a deferred dx in memory: dx equals the undeferred one, and the block is freed', () => {
    const d = { batch: 9, time: T, inputDim: I, units: U };
    const [x, kernel, recurrentKernel, bias] = [randArray(9 * T * I, 1), randArray(I * 4 * U, 2), randArray(U * 4 * U, 3), randArray(4 * U, 4)];
    const w = { kernel, recurrentKernel, bias };
    const grads = { dOutputs: randArray(9 * T * U, 5) };
    const ref = lstmBackward(lstmForward(x, w, d, OPTS).saved, grads);
    const g = lstmBackward(lstmForward(x, w, d, { ...OPTS, savedInMemory: true }).saved,
      { ...grads, deferInputGradient: true, dProjInMemory: true });
    expect(g.dProj).toBeUndefined();
    expect(g.dProjKept).toBeDefined();
    expect(workspaceOf().keptBytes).toBeGreaterThanOrEqual(9 * T * 4 * U * 4);
    gemm(randArray(300 * 200, 3), randArray(200 * 100, 4), 300, 100, 200);
    const dx = sequenceInputGradient(g.dProjKept as NonNullable<typeof g.dProjKept>, kernel, d, 4 * U, OPTS.inputDropoutMask);
    expect(bits([dx, g.dKernel])).toEqual(bits([ref.dx, ref.dKernel]));
    expect(workspaceOf().keptBytes).toBe(0);
  });

  it('copies instead above the cap', () => {
    const prev = setSavedInMemoryCap(1000);
    try {
      const f = forward('lstm', 9, { savedInMemory: true });
      expect(f.saved.kept).toBeUndefined();
      expect(workspaceOf().keptBytes).toBe(0);
      expect(bits(f.backward())).toEqual(bits(forward('lstm', 9, {}).backward()));
    } finally {
      setSavedInMemoryCap(prev);
    }
  });

  it('are freed when the saved object is garbage collected (a backward pass that never runs)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ws = workspaceOf();
    for (let i = 0; i < 5; i++) forward('gru', 9, { savedInMemory: true });
    expect(ws.keptBytes).toBeGreaterThan(0);
    for (let i = 0; i < 10 && ws.keptBytes > 0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(ws.keptBytes).toBe(0);
  });

  describe('with two threads', () => {
    const singleThread = twoThreadsAgainstOne();

    for (const cell of ['lstm', 'gru', 'simple'] as const) {
      it(`${cell}: the worker reads the kept blocks; equal to one thread`, () => {
        const two = forward(cell, 9, { ...OPTS, savedInMemory: true });
        const other = forward(cell, 8, { savedInMemory: true }, 31);
        expect(workspaceOf().keptBytes).toBeGreaterThan(0);
        other.backward();
        expect(bits(two.backward())).toEqual(bits(forward(cell, 9, OPTS, 1, singleThread()).backward()));
        expect(workspaceOf().keptBytes).toBe(0);
      });
    }
  });
});

describeBackends('training with saved activations in WebAssembly memory', () => {
  async function trainFlat(cell: 'lstm' | 'gru' | 'simpleRNN', steps: number): Promise<number[]> {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [8, 6] }));
    const rnn = cell === 'lstm' ? layers.lstm : cell === 'gru' ? layers.gru : layers.simpleRNN;
    model.add(rnn({ units: 10, returnSequences: true }));
    model.add(rnn({ units: 12 }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const x = tf.randomUniform([16, 8, 6], -1, 1, 'float32', 1);
    const y = tf.randomUniform([16, 1], -1, 1, 'float32', 2);
    const sizes: number[] = [];
    const kept = workspaceOf().keptBytes; // blocks of an earlier test that garbage collection has not freed yet
    for (let i = 0; i < steps; i++) {
      await model.trainOnBatch(x, y);
      expect(workspaceOf().keptBytes).toBeLessThanOrEqual(kept);
      sizes.push(kernels().memory.buffer.byteLength);
    }
    tf.dispose([x, y]);
    model.dispose();
    return sizes;
  }

  it('keeps memory flat over 200 trainOnBatch steps, nothing left kept by a step', async () => {
    for (const cell of ['lstm', 'gru', 'simpleRNN'] as const) {
      const sizes = await trainFlat(cell, cell === 'lstm' ? 200 : 30);
      expect(new Set(sizes.slice(3)).size).toBe(1);
    }
  });

  it('keeps memory flat with two threads', async () => {
    expect(enableThreads()).toBe(true);
    try {
      const sizes = await trainFlat('lstm', 100);
      expect(new Set(sizes.slice(3)).size).toBe(1);
    } finally {
      disableThreads();
    }
  });

  it('bounds memory when a recorded forward pass never gets its gradient', () => {
    const x = tf.randomUniform([4, 8, 6], -1, 1, 'float32', 1);
    const w = [tf.variable(tf.randomUniform([6, 40], -0.3, 0.3)), tf.variable(tf.randomUniform([10, 40], -0.3, 0.3)),
      tf.variable(tf.zeros([40]))] as const;
    const unrelated = tf.variable(tf.scalar(2));
    const prev = setSavedInMemoryCap(64 * 1024);
    const sizes: number[] = [];
    try {
      for (let i = 0; i < 300; i++) {
        // the op is recorded on the tape, but the loss does not depend on it: its gradient never runs
        const { value, grads } = tf.variableGrads(() => {
          fusedLstmSequence(x, w[0], w[1], w[2]);
          return tf.square(unrelated) as tf.Scalar;
        }, [unrelated]);
        tf.dispose([value, ...Object.values(grads)]);
        expect(workspaceOf().keptBytes).toBeLessThanOrEqual(64 * 1024);
        sizes.push(kernels().memory.buffer.byteLength);
      }
    } finally {
      setSavedInMemoryCap(prev);
    }
    expect(new Set(sizes.slice(100)).size).toBe(1);
    tf.dispose([x, ...w, unrelated]);
  });
});
