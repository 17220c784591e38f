// The second thread: the kernels move to a build on a shared WebAssembly.Memory and one worker (Node's
// worker_threads, or a Web Worker in a cross-origin isolated browser context: workerHost.ts) instantiates
// the same build on that memory. The worker replays jobs: kernel calls recorded on the calling thread
// (`callRecorder`), run while the calling thread does its own share (`runWithWorker`), joined with Atomics
// (a short spin, then a wait; only the spin on a page's main thread, where Atomics.wait is not allowed).
// Jobs are the worker's rows of a large GEMM (`parallelGemm`) and of a whole per-step loop of a sequence
// kernel (rowSplit.ts): one hand-off per product or per loop, never per step. Each thread computes its
// rows exactly as one thread would.
import { RnnkitError } from '../errors';
import type { Workspace } from './workspace';
import { installKernels, onKernelsReset, preferredFlavor, sharedModule, type KernelExports, type SimdFlavor } from './wasm';
import { defaultWorkerHost, logicalCpus, nodeWorkerHost, type KernelWorker, type WorkerHost } from './workerHost';

interface Pool {
  k: KernelExports;
  worker: KernelWorker;
  ctrl: Int32Array; // [0] state (below), [1] byte offset of the job's calls, [2] their length in float64s, [3] memory pages
  /** Whether this thread may block in Atomics.wait while it joins (false on a page's main thread). */
  block: boolean;
  flavor: SimdFlavor;
}

// ctrl[0]: the worker's state. The calling thread moves IDLE -> JOB; the worker JOB -> DONE or FAILED; the
// calling thread, having joined, back to IDLE.
const [STARTING, IDLE, JOB, DONE, EXIT, FAILED] = [-1, 0, 1, 2, 3, 4];

let pool: Pool | null = null;
let starting: Promise<boolean> | null = null;
let jobs = 0;

/** Products at least this large (multiply-adds) are split across the two threads. */
export const PARALLEL_MIN_MACS = 4_000_000;

/**
 * The kernel functions a job may call, by index: a job is these calls recorded in order, each as
 * [function index, argument count, ...arguments] in float64 (pointers, sizes and the f32 scalars are exact).
 */
const REPLAYED = [
  'gemm', 'gemmPacked', 'mulRows', 'addMulRows', 'fillRows', 'lstmForwardStep', 'lstmBackwardStep', 'gruForwardStep',
  'gruBackwardStep', 'gruV1ForwardGates', 'gruV1ForwardOut', 'gruV1BackwardA', 'gruV1BackwardReset', 'rnnForwardStep',
  'rnnBackwardStep',
] as const satisfies ReadonlyArray<keyof KernelExports>;

/** The kernel calls a job (and a per-step loop, see rowSplit.ts) may make. */
export type StepKernels = Pick<KernelExports, (typeof REPLAYED)[number]>;

/** Atomics.load polls before sleeping in Atomics.wait (a futex wake-up costs tens of microseconds). */
const SPIN = 20000;

/** How long a worker may take to start before the kernels stay on one thread. */
export const START_TIMEOUT_MS = 10000;

// The worker (a function of workerHost.ts's WorkerData, the same on every platform): instantiate the module
// on the shared memory (its own edge tile), then replay jobs until told to exit. It spins briefly before
// sleeping, since jobs tend to come in bursts (a forward pass, then BPTT).
const WORKER_LOOP = `({ module, memory, ctrl, names, spin }) => {
const c = new Int32Array(ctrl);
let fns;
try {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  k.setTile(k.workerTile());
  fns = names.map((n) => k[n]);
} catch {
  Atomics.store(c, 0, ${FAILED}); // the calling thread stops waiting at once and stays on one thread
  Atomics.notify(c, 0);
  return;
}
Atomics.store(c, 0, ${IDLE});
Atomics.notify(c, 0);
for (;;) {
  let s = Atomics.load(c, 0);
  for (let i = 0; i < spin && s !== ${JOB} && s !== ${EXIT}; i++) s = Atomics.load(c, 0);
  while (s !== ${JOB} && s !== ${EXIT}) {
    Atomics.wait(c, 0, s);
    s = Atomics.load(c, 0);
  }
  if (s === ${EXIT}) break;
  let end = ${DONE};
  try {
    // The calling thread may have grown the memory just before: this thread sees the new size (its buffer
    // and its instance's bounds) once it has handled V8's grow interrupt, which loop back-edges do.
    for (let i = 0; memory.buffer.byteLength < c[3] * 65536; i++) if (i > 1e9) throw new Error('memory not grown');
    const calls = new Float64Array(memory.buffer, c[1], c[2]);
    for (let i = 0; i < calls.length;) {
      const n = calls[i + 1];
      fns[calls[i]].apply(null, calls.subarray(i + 2, i + 2 + n));
      i += 2 + n;
    }
  } catch {
    end = ${FAILED};
  }
  Atomics.store(c, 0, end);
  Atomics.notify(c, 0);
}
}`;

/** `RNNKIT_THREADS` as a thread count (1 forces one thread, 2 asks for two), or null when unset. */
export function threadsFromEnv(): number | null {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.RNNKIT_THREADS;
  const n = Number((env ?? '').trim());
  return env === undefined || env.trim() === '' || !Number.isInteger(n) || n < 1 ? null : n;
}

/** A pool whose worker has been spawned (state STARTING until the worker has instantiated the kernels). */
function spawnPool(host: WorkerHost, onError: () => void): Pool {
  const flavor: SimdFlavor = preferredFlavor();
  const module = sharedModule(flavor);
  // shared memory cannot move, so its maximum is reserved up front: the 4 GiB a single-thread module may reach
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const k = (exports.memory ? exports : { ...exports, memory }) as KernelExports;
  const ctrlBuf = new SharedArrayBuffer(4 * 4);
  const ctrl = new Int32Array(ctrlBuf);
  Atomics.store(ctrl, 0, STARTING);
  const worker = host.spawn(WORKER_LOOP, { module, memory, ctrl: ctrlBuf, names: REPLAYED, spin: SPIN }, onError);
  return { k, worker, ctrl, block: host.canBlock(), flavor };
}

function install(p: Pool): void {
  pool = p;
  installKernels(p.k, p.flavor);
  onKernelsReset(stopWorker); // resetKernels / a flavor switch drops the shared module: stop its worker too
}

const platformReady = (): boolean => typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';

/**
 * Starts the second thread synchronously (Node with worker_threads and SharedArrayBuffer). Returns false
 * where that is unavailable, in browsers (a Web Worker starts only once this thread returns to its event
 * loop: use {@link startThreads} there), and when the environment variable `RNNKIT_THREADS=1` forces one
 * thread; the kernels then stay single-threaded. Results are identical either way (the split is by rows,
 * each computed exactly as on one thread).
 */
export function enableThreads(): boolean {
  return enableThreadsOn(nodeWorkerHost());
}

/** {@link enableThreads} on a given host whose worker starts while this thread blocks (tests pass one). */
export function enableThreadsOn(host: WorkerHost | null): boolean {
  if (pool) return true;
  if (threadsFromEnv() === 1) return false;
  if (!host || !host.startsWhileBlocked || !platformReady()) return false;
  let p: Pool;
  try {
    p = spawnPool(host, () => undefined);
  } catch {
    return false;
  }
  Atomics.wait(p.ctrl, 0, STARTING, START_TIMEOUT_MS);
  if (Atomics.load(p.ctrl, 0) !== IDLE) { // still starting after the time-out, or failed to instantiate
    p.worker.terminate();
    return false;
  }
  install(p);
  return true;
}

/**
 * Starts the second thread where the platform allows, and resolves to whether two threads run: in Node
 * what {@link enableThreads} returns; in a browser context that is cross-origin isolated (a page served
 * with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, or a
 * worker of such a page), a Web Worker made from a Blob URL. Never rejects: without isolation, with a
 * Content-Security-Policy that refuses blob: workers, when the worker fails or takes more than 10 s to
 * start, and with `RNNKIT_THREADS=1`, it resolves to false and the kernels stay on one thread.
 */
export function startThreads(): Promise<boolean> {
  return startThreadsOn(defaultWorkerHost());
}

/** {@link startThreads} on a given host (tests pass one that imitates a browser). */
export function startThreadsOn(host: WorkerHost | null, timeoutMs = START_TIMEOUT_MS): Promise<boolean> {
  if (pool) return Promise.resolve(true);
  if (threadsFromEnv() === 1 || !host || !platformReady()) return Promise.resolve(false);
  if (host.startsWhileBlocked) return Promise.resolve(enableThreads());
  starting ??= startAsync(host, timeoutMs).finally(() => {
    starting = null;
  });
  return starting;
}

async function startAsync(host: WorkerHost, timeoutMs: number): Promise<boolean> {
  let failed = false;
  let p: Pool;
  try {
    p = spawnPool(host, () => {
      failed = true;
    });
  } catch {
    return false; // no shared memory, no SIMD, a CSP that refuses blob: workers (where it throws at once)
  }
  const started = await new Promise<boolean>((resolve) => {
    const t0 = Date.now();
    const poll = (): void => {
      const state = Atomics.load(p.ctrl, 0);
      if (state === IDLE) resolve(true);
      else if (state !== STARTING || failed || Date.now() - t0 >= timeoutMs) resolve(false);
      else setTimeout(poll, 2);
    };
    poll();
  });
  if (!started || failed || pool) {
    p.worker.terminate();
    return pool !== null; // a pool started meanwhile (enableThreads) serves as well
  }
  install(p);
  return true;
}

function stopWorker(): void {
  if (!pool) return;
  Atomics.store(pool.ctrl, 0, EXIT);
  Atomics.notify(pool.ctrl, 0);
  pool.worker.terminate();
  pool = null;
  onKernelsReset(null);
}

/**
 * Whether `initBackend()` starts the second thread when neither its `threads` option nor `RNNKIT_THREADS`
 * says, on a machine with at least two logical CPUs. On: on the 2-vCPU benchmark machine, idle, two threads
 * made the training step 1.1-1.6x faster at T=64/H=128 and 1.4-2.0x at T=256/H=512, and cost up to ~17%
 * (0.83-1.08x) with another process holding a core (core README, "Threads"); results are the same
 * bits either way, so only speed depends on it. `RNNKIT_THREADS=1` is the opt-out, as OMP_NUM_THREADS is for
 * OpenBLAS and PyTorch.
 */
export const THREADS_BY_DEFAULT = true;

/**
 * Whether threads are asked for: `RNNKIT_THREADS=1` never; else `threads` (a thread count from code, e.g.
 * `initBackend`'s option) when given; else `RNNKIT_THREADS=2`; else {@link THREADS_BY_DEFAULT} where the
 * process may use at least two logical CPUs (`cpus`, by default this machine's).
 */
export function threadsWanted(threads?: number, cpus: number = logicalCpus()): boolean {
  const env = threadsFromEnv();
  if (env === 1) return false;
  if (threads !== undefined) return threads >= 2;
  return env !== null ? env >= 2 : THREADS_BY_DEFAULT && cpus >= 2;
}

/**
 * Applies the thread choice (what `initBackend()` awaits): starts the second thread when
 * {@link threadsWanted} says so; stops it when `threads` is 1 or `RNNKIT_THREADS=1` (an explicit choice,
 * e.g. after a model loader's `initBackend()` started it); else leaves things as they are. Resolves to
 * whether two threads run.
 */
export async function applyThreadDefault(threads?: number): Promise<boolean> {
  if (threadsWanted(threads)) return startThreads();
  if (threads === 1 || threadsFromEnv() === 1) disableThreads();
  return threadsEnabled();
}

/** Stops the second thread; the next kernel call loads the single-thread module again. */
export function disableThreads(): void {
  if (!pool) return;
  stopWorker();
  installKernels(null, 'simd');
}

/** How many jobs the worker has been given since the process started (tests and benchmarks check the path ran). */
export function workerJobs(): number {
  return jobs;
}

export function threadsEnabled(): boolean {
  return pool !== null;
}

/** The pool serving kernel module `k`, if any. */
export function poolFor(k: KernelExports): boolean {
  return pool !== null && pool.k === k;
}

/** Kernel calls recorded for the worker, in {@link REPLAYED}'s encoding: the worker's half of a job. */
export interface CallRecorder extends StepKernels {
  readonly calls: number[];
}

/** A recorder whose methods append each call (the worker's half is "run" against it, then replayed). */
export function callRecorder(): CallRecorder {
  const calls: number[] = [];
  const rec: Record<string, unknown> = { calls };
  REPLAYED.forEach((name, i) => {
    rec[name] = (...args: number[]): void => void calls.push(i, args.length, ...args);
  });
  return rec as unknown as CallRecorder;
}

/**
 * Runs `here` on this thread while the worker replays `rec`'s calls, and returns when both are done.
 * The calls are copied into the workspace (shared memory), so the worker reads them where it runs them.
 */
export function runWithWorker(ws: Workspace, rec: CallRecorder, here: () => void): void {
  const p = pool;
  if (!p || ws.k !== p.k) throw new RnnkitError('INVALID_STATE', 'Expected the thread pool to be running. Received: threads disabled');
  const n = rec.calls.length;
  const ptr = ws.allocBytes(n * 8);
  new Float64Array(p.k.memory.buffer, ptr, n).set(rec.calls);
  const c = p.ctrl;
  c[1] = ptr;
  c[2] = n;
  c[3] = p.k.memory.buffer.byteLength / 65536;
  Atomics.store(c, 0, JOB);
  Atomics.notify(c, 0);
  jobs++;
  let end = IDLE;
  try {
    here();
  } finally {
    end = join(c, p.block);
  }
  if (end === FAILED) throw new RnnkitError('INVALID_STATE', 'Expected the worker thread to finish its job. Received: a kernel call that failed');
}

/**
 * Waits for the worker to finish its job (spinning first, and only spinning where this thread may not
 * block), sets it idle, and returns how the job ended.
 */
function join(c: Int32Array, block: boolean): number {
  let s = Atomics.load(c, 0);
  for (let i = 0; (i < SPIN || !block) && s === JOB; i++) s = Atomics.load(c, 0);
  while (s === JOB) {
    Atomics.wait(c, 0, JOB);
    s = Atomics.load(c, 0);
  }
  Atomics.store(c, 0, IDLE);
  return s;
}

/**
 * C = alpha op(A) op(B) + beta C on two threads. Each thread packs all of op(B) for its rows, or all of op(A)
 * for its columns, so the split goes the other way from the larger operand: by columns when N > M (the weight
 * gradients, whose op(B) has B*T rows, would otherwise be packed twice), columns [0, n1) here and [n1, N) on
 * the worker, n1 a multiple of the micro-kernel's 8-column panels; else by rows, [0, m1) here and [m1, M) on
 * the worker, m1 a multiple of its 6-row tile. Every element is computed as on one thread either way. The
 * worker's scratch is allocated here; `scratch` is this thread's.
 */
export function parallelGemm(ws: Workspace, tA: number, tB: number, M: number, N: number, K: number, alpha: number,
  A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number, scratch: number): void {
  const rec = callRecorder();
  const k = ws.k;
  if (N > M) {
    const n1 = Math.ceil(N / 2 / 8) * 8;
    const colB = tB ? ldb * 4 : 4; // column j of op(B): row j of B when transposed
    const scratch2 = ws.allocBytes(k.gemmScratchBytes(M, N - n1, K) + 64);
    rec.gemm(tA, tB, M, N - n1, K, alpha, A, lda, B + n1 * colB, ldb, beta, C + n1 * 4, ldc, scratch2);
    runWithWorker(ws, rec, () => k.gemm(tA, tB, M, n1, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch));
    return;
  }
  const m1 = Math.ceil(M / 2 / 6) * 6;
  const rowA = tA ? 4 : lda * 4;
  const scratch2 = ws.allocBytes(k.gemmScratchBytes(M - m1, N, K) + 64);
  rec.gemm(tA, tB, M - m1, N, K, alpha, A + m1 * rowA, lda, B, ldb, beta, C + m1 * ldc * 4, ldc, scratch2);
  runWithWorker(ws, rec, () => k.gemm(tA, tB, m1, N, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch));
}
