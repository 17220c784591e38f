// The tfjs backend of a CLI run, chosen before any tensor exists, with tfjs's Node.js banner ("Hi,
// looks like you are running TensorFlow.js in Node.js ...") filtered out: a successful run prints
// nothing on stderr.
import { initBackend } from '@rnnkit/core';
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

/** How a command's input sizes the run: `fewTexts` for texts given on the command line. */
export interface CliWorkload {
  fewTexts?: boolean;
}

/**
 * Activates `preferred` (refused with a usage error when it is not available) or the fastest backend (wasm in
 * Node). The kernels' second thread starts as `initBackend()` decides, except for `fewTexts` (texts given as
 * arguments): their batches are too small to split, so starting the worker (~30 ms in plain Node) would only
 * delay the answer; `RNNKIT_THREADS` still decides when set.
 */
export async function setupCliBackend(preferred?: string, workload: CliWorkload = {}): Promise<string> {
  quietTfjsBanner();
  const envSet = (process.env['RNNKIT_THREADS'] ?? '').trim() !== '';
  const name = await initBackend(preferred, workload.fewTexts === true && !envSet ? { threads: 1 } : {});
  if (preferred !== undefined && name !== preferred) throw new UsageError(`Expected --backend ${preferred} to be available. Received: it is not installed (available: ${name})`);
  return name;
}
