// Where the kernels' second thread comes from, per platform: Node's worker_threads (the worker runs while
// the calling thread blocks, so it can start synchronously) and, in a cross-origin isolated page or
// worker, a Web Worker made from a Blob URL (it starts only after the calling thread returns to its event
// loop, so only asynchronously; a page's main thread may not block in Atomics.wait). Both run the same
// replay loop (threads.ts). No Node built-in is imported: Node's module is looked up at run time through
// process.getBuiltinModule, so the browser build stays free of `node:` imports.

/** What the worker receives: the kernel module, the shared memory, the control words, the replayed functions by index, the spin count. */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  names: readonly string[];
  spin: number;
}

/** A started worker. */
export interface KernelWorker {
  terminate(): void;
}

/** How a platform starts the worker. */
export interface WorkerHost {
  /** True when the worker starts while the calling thread blocks (Node); false where it needs the event loop (browsers). */
  readonly startsWhileBlocked: boolean;
  /** Whether the calling thread may block in Atomics.wait (false on a page's main thread: joins spin there). */
  canBlock(): boolean;
  /**
   * Starts a worker running `loop` (the source of a function taking {@link WorkerData}) on `data`.
   * Throws when the worker cannot be created; `onError` is called when it fails to load or run.
   */
  spawn(loop: string, data: WorkerData, onError: () => void): KernelWorker;
}

interface NodeWorker {
  unref(): void;
  on(event: 'error', fn: () => void): void;
  terminate(): Promise<number>;
}

type NodeWorkerClass = new (src: string, opts: { eval: boolean; workerData: WorkerData }) => NodeWorker;

/** Node's worker_threads, or null outside Node (or on a Node without process.getBuiltinModule). */
export function nodeWorkerHost(): WorkerHost | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const Worker = (proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: NodeWorkerClass } | undefined)?.Worker;
  if (!Worker) return null;
  return {
    startsWhileBlocked: true,
    canBlock: () => true,
    spawn(loop, data, onError) {
      const w = new Worker(`(${loop})(require('node:worker_threads').workerData);`, { eval: true, workerData: data });
      w.unref();
      w.on('error', onError); // without a listener, a worker that failed to start would throw in the process
      return { terminate: () => void w.terminate() };
    },
  };
}

interface WebWorker {
  onerror: ((e: { preventDefault?(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  postMessage(data: unknown): void;
  terminate(): void;
}

/** The browser globals the Web Worker host uses; `globalThis` unless a test passes others. */
export interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  Worker?: new (url: string, opts?: { name?: string }) => WebWorker;
  Blob?: new (parts: string[], opts?: { type?: string }) => unknown;
  URL?: { createObjectURL?(blob: unknown): string; revokeObjectURL?(url: string): void };
}

let mayBlock: boolean | null = null;

/** Whether Atomics.wait is allowed here: it throws on a page's main thread, and returns at once when the value differs. */
function atomicsWaitAllowed(): boolean {
  if (mayBlock === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      mayBlock = true;
    } catch {
      mayBlock = false;
    }
  }
  return mayBlock;
}

/**
 * A Web Worker from a Blob URL holding the loop, or null unless the context is cross-origin isolated
 * (shared memory and a WebAssembly.Module can then be posted to the worker) with Worker, Blob,
 * URL.createObjectURL, SharedArrayBuffer and Atomics.
 */
export function browserWorkerHost(g: BrowserGlobals = globalThis as BrowserGlobals): WorkerHost | null {
  const { Worker, Blob, URL } = g;
  if (g.crossOriginIsolated !== true || typeof Worker !== 'function' || typeof Blob !== 'function'
    || typeof URL?.createObjectURL !== 'function' || typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return null;
  }
  return {
    startsWhileBlocked: false,
    canBlock: atomicsWaitAllowed,
    spawn(loop, data, onError) {
      // the data arrives by message: the loop then runs inside that handler and never returns to the event loop
      const src = `self.onmessage = (e) => { self.onmessage = null; (${loop})(e.data); };`;
      const url = (URL.createObjectURL as (blob: unknown) => string)(new Blob([src], { type: 'text/javascript' }));
      const revoke = (): void => URL.revokeObjectURL?.(url);
      let w: WebWorker;
      try {
        w = new Worker(url, { name: 'rnnkit-kernels' });
      } catch (err) {
        revoke();
        throw err;
      }
      w.onerror = (e) => {
        e.preventDefault?.(); // the caller falls back to one thread: nothing to report on the console
        onError();
      };
      w.onmessageerror = onError;
      w.postMessage(data);
      return {
        terminate: () => {
          w.terminate();
          revoke();
        },
      };
    },
  };
}

/**
 * How many logical CPUs this process may use: Node's `os.availableParallelism()` (which follows the process's
 * CPU affinity), a browser's `navigator.hardwareConcurrency`; 1 when the platform does not say.
 */
export function logicalCpus(g: { process?: unknown; navigator?: { hardwareConcurrency?: number } } = globalThis): number {
  const proc = g.process as { getBuiltinModule?: (name: string) => unknown } | undefined;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
  const n = os ? os.availableParallelism?.() ?? os.cpus?.().length : g.navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/** The host of this platform: Node's worker_threads, else an isolated browser context's Web Workers, else none. */
export function defaultWorkerHost(): WorkerHost | null {
  return nodeWorkerHost() ?? browserWorkerHost();
}
