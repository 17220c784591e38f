// The two-thread kernels give bit-identical results to one thread (rows are split, each row is computed
// the same way), through the GEMM and the fused LSTM, keep memory flat, and RNNKIT_THREADS=1 keeps one thread.
import { disableThreads, enableThreads, threadsEnabled, threadsFromEnv, threadsWanted, workerJobs } from './threads';
import { logicalCpus } from './workerHost';
import { gemm } from './gemm';
import { lstmBackward, lstmForward } from './lstm';
import { instantiateKernels, kernelFlavor, kernels, resetKernels } from './wasm';

function randArray(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

describe('two-thread GEMM (worker_threads, shared memory)', () => {
  let single: ReturnType<typeof instantiateKernels>;
  beforeAll(() => {
    expect(enableThreads()).toBe(true);
    single = instantiateKernels(kernelFlavor());
  });
  afterAll(() => disableThreads());

  it('runs the kernels on the shared-memory build', () => {
    expect(threadsEnabled()).toBe(true);
    expect(kernels().memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('matches one thread bit for bit on large products split by columns (N > M) and by rows, all transposes', () => {
    for (const [M, N, K] of [[203, 300, 301], [300, 203, 301], [7, 3001, 400]] as const) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = randArray(M * K, 1 + K);
          const b = randArray(K * N, 2 + N);
          const c = randArray(M * N, 3);
          const opts = { transposeA, transposeB, alpha: 0.5, beta: 2, c };
          const jobs = workerJobs();
          expect(Array.from(gemm(a, b, M, N, K, opts))).toEqual(Array.from(gemm(a, b, M, N, K, opts, single)));
          expect(workerJobs()).toBe(jobs + 1);
        }
      }
    }
  });

  it('stops the worker when the kernels are reset, and starts again', () => {
    resetKernels();
    expect(threadsEnabled()).toBe(false);
    expect(kernels().memory.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(enableThreads()).toBe(true);
    expect(kernels().memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('stays on one thread when RNNKIT_THREADS=1', () => {
    const prev = process.env['RNNKIT_THREADS'];
    disableThreads();
    try {
      process.env['RNNKIT_THREADS'] = '1';
      expect(threadsFromEnv()).toBe(1);
      expect(enableThreads()).toBe(false);
      expect(threadsEnabled()).toBe(false);
      process.env['RNNKIT_THREADS'] = '2';
      expect(threadsFromEnv()).toBe(2);
      process.env['RNNKIT_THREADS'] = 'many';
      expect(threadsFromEnv()).toBeNull();
    } finally {
      if (prev === undefined) delete process.env['RNNKIT_THREADS'];
      else process.env['RNNKIT_THREADS'] = prev;
    }
    expect(enableThreads()).toBe(true);
  });

  it('asks for two threads by default only where the process may use two CPUs; code and RNNKIT_THREADS decide first', () => {
    const prev = process.env['RNNKIT_THREADS'];
    try {
      delete process.env['RNNKIT_THREADS'];
      expect([threadsWanted(undefined, 1), threadsWanted(undefined, 2), threadsWanted(undefined, 8)]).toEqual([false, true, true]);
      expect([threadsWanted(1, 8), threadsWanted(2, 1)]).toEqual([false, true]);
      process.env['RNNKIT_THREADS'] = '2';
      expect(threadsWanted(undefined, 1)).toBe(true);
      process.env['RNNKIT_THREADS'] = '1';
      expect([threadsWanted(undefined, 8), threadsWanted(2, 8)]).toEqual([false, false]);
    } finally {
      if (prev === undefined) delete process.env['RNNKIT_THREADS'];
      else process.env['RNNKIT_THREADS'] = prev;
    }
  });

  it('counts the logical CPUs from Node\'s os module or a browser\'s navigator, 1 when neither says', () => {
    expect(logicalCpus()).toBeGreaterThanOrEqual(1);
    const os = (n: number) => ({ getBuiltinModule: (name: string) => (name === 'node:os' ? { availableParallelism: () => n } : undefined) });
    expect(logicalCpus({ process: os(6) })).toBe(6);
    expect(logicalCpus({ navigator: { hardwareConcurrency: 4 } })).toBe(4);
    expect([logicalCpus({}), logicalCpus({ navigator: {} }), logicalCpus({ navigator: { hardwareConcurrency: 0 } })]).toEqual([1, 1, 1]);
  });

  it('lets the worker see memory grown just before its job (a fresh pool, then a call that grows it)', () => {
    // Before the worker waited for V8's grow interrupt, ~1% of these calls failed (a stale memory size).
    const d = { batch: 32, time: 16, inputDim: 64, units: 64 };
    const x = randArray(32 * 16 * 64, 8);
    const w = { kernel: randArray(64 * 256, 9), recurrentKernel: randArray(64 * 256, 10), bias: randArray(256, 11) };
    const expected = lstmForward(x, w, d, {}, single).outputs;
    for (let i = 0; i < 40; i++) {
      disableThreads();
      expect(enableThreads()).toBe(true);
      const f = lstmForward(x, w, d);
      lstmBackward(f.saved, { dOutputs: f.outputs });
      expect(f.outputs).toEqual(expected);
    }
  });

  it('gives the fused LSTM the same outputs and gradients, with flat memory', () => {
    const d = { batch: 16, time: 16, inputDim: 64, units: 64 };
    const x = randArray(16 * 16 * 64, 4);
    const w = { kernel: randArray(64 * 256, 5), recurrentKernel: randArray(64 * 256, 6), bias: randArray(256, 7) };
    const run = (k?: ReturnType<typeof instantiateKernels>) => {
      const f = lstmForward(x, w, d, {}, k);
      return { f, g: lstmBackward(f.saved, { dOutputs: f.outputs, dH: f.h }, k) };
    };
    const mt = run();
    const st = run(single);
    expect(Array.from(mt.f.outputs)).toEqual(Array.from(st.f.outputs));
    for (const key of ['dx', 'dKernel', 'dRecurrentKernel', 'dBias', 'dH0', 'dC0'] as const) {
      expect(Array.from(mt.g[key])).toEqual(Array.from(st.g[key]));
    }
    const bytes = kernels().memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) run();
    expect(kernels().memory.buffer.byteLength).toBe(bytes);
  });
});
