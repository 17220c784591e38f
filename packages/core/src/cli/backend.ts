// The tfjs backend of a CLI run, chosen before any tensor exists, with tfjs's Node.js banner ("Hi,
// looks like you are running TensorFlow.js in Node.js ...") filtered out: a successful run prints
// nothing on stderr.
import { initBackend, startThreads, threadsEnabled, threadsWanted } from '@rnnkit/core';
import { UsageError } from './exitCodes';

const BANNER = 'looks like you are running TensorFlow.js in Node.js';
let filtered = false;

/** Drops tfjs's install-tfjs-node banner from console.warn (once per process; other warnings pass). */
export function quietTfjsBanner(): void {
  if (filtered) return;
  filtered = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (args.some((a) => typeof a === 'string' && a.includes(BANNER))) return;
    warn(...args);
  };
}

/** How a command uses the kernels' second thread. */
export interface CliWorkload {
  /**
   * The command reads its texts in batches and calls {@link threadsForBatch} before each: the second thread
   * then starts only once a batch is large enough to be split, so a call with a few texts never waits for
   * the worker to start (~30 ms in plain Node). Without it, `initBackend()`'s default applies at once.
   */
  batched?: boolean;
}

/**
 * Activates `preferred` (refused with a usage error when it is not available) or the fastest backend (wasm in
 * Node), with the kernels' second thread as `initBackend()` decides it, or deferred to {@link threadsForBatch}
 * for a `batched` command (unless `RNNKIT_THREADS` is set: it then decides at once).
 */
export async function setupCliBackend(preferred?: string, workload: CliWorkload = {}): Promise<string> {
  quietTfjsBanner();
  const envSet = (process.env['RNNKIT_THREADS'] ?? '').trim() !== '';
  const name = await initBackend(preferred, workload.batched === true && !envSet ? { threads: 1 } : {});
  if (preferred !== undefined && name !== preferred) throw new UsageError(`Expected --backend ${preferred} to be available. Received: it is not installed (available: ${name})`);
  return name;
}

/** Batches of at least this many texts are split across the kernels' two threads (rowSplit.ts's minimum). */
const SPLIT_BATCH = 8;

/**
 * Starts the kernels' second thread, in the background, at the first batch of at least 8 texts, where
 * `initBackend()`'s default or `RNNKIT_THREADS` wants it; a no-op otherwise. The batch does not wait for the
 * worker (30-50 ms to start in Node): it runs on one thread, and the batches after it on two once the worker
 * is up (it is installed between kernel calls, which are synchronous). Waiting cost more than two threads
 * gained on inputs of a few hundred lines (`rnnkit-translate` on 300 Tatoeba lines: 1.11-1.20 s against
 * 1.00-1.13 s on one thread; started in the background, 0.99-1.20 s against 1.05-1.14 s).
 */
export async function threadsForBatch(size: number): Promise<void> {
  if (size >= SPLIT_BATCH && !threadsEnabled() && threadsWanted()) void startThreads();
}
