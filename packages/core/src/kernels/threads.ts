// Opt-in second thread for the large matrix products (Node only): the kernels move to a build on a shared
// WebAssembly.Memory, a worker_threads worker instantiates the same build on that memory, and a large
// GEMM is split by rows between the calling thread and the worker, synchronised with Atomics. Per-step
// products and the gate math stay on one thread (too small to pay for the hand-off).
import { RnnkitError } from '../errors';
import { installKernels, onKernelsReset, preferredFlavor, sharedModule, type KernelExports, type SimdFlavor } from './wasm';

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}

interface Pool {
  k: KernelExports;
  worker: NodeWorker;
  ctrl: Int32Array; // [0] state: -1 starting, 0 idle, 1 job, 2 done, 3 exit; [1..12] int args
  args: Float32Array; // [16] alpha, [17] beta (same buffer)
}

let pool: Pool | null = null;

/** Products at least this large (multiply-adds) are split across the two threads. */
export const PARALLEL_MIN_MACS = 4_000_000;

// The worker: instantiate the module on the shared memory, then serve GEMM jobs until told to exit.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
k.setTile(k.workerTile());
const c = new Int32Array(ctrl);
const f = new Float32Array(ctrl);
Atomics.store(c, 0, 0);
Atomics.notify(c, 0);
for (;;) {
  let s;
  while ((s = Atomics.load(c, 0)) === 0 || s === 2) Atomics.wait(c, 0, s);
  if (s === 3) break;
  k.gemm(c[1], c[2], c[3], c[4], c[5], f[16], c[6], c[7], c[8], c[9], f[17], c[10], c[11], c[12]);
  Atomics.store(c, 0, 2);
  Atomics.notify(c, 0);
}
`;

function nodeWorkerThreads(): { Worker: new (src: string, opts: object) => NodeWorker } | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: new (src: string, opts: object) => NodeWorker } | undefined;
  return wt?.Worker ? { Worker: wt.Worker } : null;
}

/**
 * Starts the second thread (Node with worker_threads and SharedArrayBuffer). Returns false where that is
 * unavailable; the kernels then stay single-threaded. Results are identical either way (the split is by
 * rows, each computed exactly as on one thread).
 */
export function enableThreads(): boolean {
  if (pool) return true;
  const wt = nodeWorkerThreads();
  if (!wt || typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  const flavor: SimdFlavor = preferredFlavor();
  const module = sharedModule(flavor);
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 16384, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const k = (exports.memory ? exports : { ...exports, memory }) as KernelExports;
  const ctrlBuf = new SharedArrayBuffer(32 * 4);
  const ctrl = new Int32Array(ctrlBuf);
  Atomics.store(ctrl, 0, -1);
  const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl: ctrlBuf } });
  worker.unref();
  if (Atomics.wait(ctrl, 0, -1, 10000) === 'timed-out' && Atomics.load(ctrl, 0) === -1) {
    void worker.terminate();
    return false;
  }
  pool = { k, worker, ctrl, args: new Float32Array(ctrlBuf) };
  installKernels(k, flavor);
  onKernelsReset(stopWorker); // resetKernels / a flavor switch drops the shared module: stop its worker too
  return true;
}

function stopWorker(): void {
  if (!pool) return;
  Atomics.store(pool.ctrl, 0, 3);
  Atomics.notify(pool.ctrl, 0);
  void pool.worker.terminate();
  pool = null;
  onKernelsReset(null);
}

/** Stops the second thread; the next kernel call loads the single-thread module again. */
export function disableThreads(): void {
  if (!pool) return;
  stopWorker();
  installKernels(null, 'simd');
}

export function threadsEnabled(): boolean {
  return pool !== null;
}

/** The pool serving kernel module `k`, if any. */
export function poolFor(k: KernelExports): boolean {
  return pool !== null && pool.k === k;
}

/**
 * C = alpha op(A) op(B) + beta C on two threads: rows [0, m1) here, [m1, M) on the worker, each with its
 * own scratch (`scratch2` for the worker, gemmScratchBytes(M - m1, N, K) + 64 bytes).
 */
export function parallelGemm(tA: number, tB: number, M: number, N: number, K: number, alpha: number, A: number,
  lda: number, B: number, ldb: number, beta: number, C: number, ldc: number, scratch: number, scratch2: number): void {
  const p = pool;
  if (!p) throw new RnnkitError('INVALID_STATE', 'Expected the thread pool to be running. Received: threads disabled');
  const m1 = Math.ceil(M / 2 / 6) * 6;
  const c = p.ctrl;
  const rowA = tA ? 4 : lda * 4;
  c.set([tA, tB, M - m1, N, K, A + m1 * rowA, lda, B, ldb, C + m1 * ldc * 4, ldc, scratch2], 1);
  p.args[16] = alpha;
  p.args[17] = beta;
  Atomics.store(c, 0, 1);
  Atomics.notify(c, 0);
  p.k.gemm(tA, tB, m1, N, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch);
  while (Atomics.load(c, 0) === 1) Atomics.wait(c, 0, 1);
  Atomics.store(c, 0, 0);
  Atomics.notify(c, 0);
}
