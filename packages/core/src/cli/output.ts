// Output of the CLIs: writes to stdout that respect backpressure, the contract for a closed or failing
// stdout (EPIPE ends quietly with 0, any other write error is one clear message and 1), and escaping of
// control characters so that input text can never drive the terminal.
import { once } from 'node:events';
import { EXIT } from './exitCodes';

type Stream = NodeJS.WritableStream & { writableNeedDrain?: boolean };

/**
 * Installs the write-error contract on `stream` (default stdout): a closed pipe (EPIPE, `| head -1`)
 * exits 0 at once; another write error (ENOSPC on `> /dev/full`, EIO, ...) prints one line naming it
 * on stderr and exits 1. Without this the error surfaces as an uncaught exception inside whichever
 * library installed a global handler (tfjs-backend-wasm's Emscripten runtime rethrows it).
 */
export function guardOutput(name: string, stream: NodeJS.WritableStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT.OK);
    process.stderr.write(`${name}: could not write the output (${err.code ?? err.message}${err.code === 'ENOSPC' ? ': no space left on the device' : ''})\n`);
    process.exit(EXIT.RUNTIME);
  });
}

/** Writes `s` to `stream` (default stdout), waiting for 'drain' when it is full (constant memory on long runs). */
export async function write(s: string, stream: Stream = process.stdout): Promise<void> {
  if (s.length === 0) return;
  if (!stream.write(s)) await once(stream, 'drain');
}

// C0 controls, DEL, C1 controls, the line/paragraph separators and the bidirectional overrides/isolates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

/**
 * Escapes control characters for text and TSV output: tab, CR, LF and ESC as `\t`, `\r`, `\n`, `\e`,
 * the others as `\xNN` / `\uNNNN`. Printable text, including backslashes, is unchanged, so an
 * ordinary line prints as it was read.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A warning on stderr in the CLI's voice. */
export function warn(name: string, message: string): void {
  process.stderr.write(`${name}: warning: ${message}\n`);
}
