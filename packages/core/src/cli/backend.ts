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

/** Activates `preferred` (refused with a usage error when it is not available) or the fastest backend (wasm in Node). */
export async function setupCliBackend(preferred?: string): Promise<string> {
  quietTfjsBanner();
  const name = await initBackend(preferred);
  if (preferred !== undefined && name !== preferred) throw new UsageError(`Expected --backend ${preferred} to be available. Received: it is not installed (available: ${name})`);
  return name;
}
