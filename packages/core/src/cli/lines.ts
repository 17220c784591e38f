// Input lines for the CLIs: UTF-8 decoded in constant memory, errors that name the exact line and
// byte, `--input` checked before any model is loaded (a folder or a missing file is an input error).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { firstInvalidByte, RnnkitError } from '@rnnkit/core';

/** Bytes of a UTF-8 sequence left incomplete at the end of `bytes` (0 when it ends on a boundary). */
function incompleteTail(bytes: Uint8Array): number {
  for (let k = 1; k <= Math.min(4, bytes.length); k++) {
    const b = bytes[bytes.length - k] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: the sequence starts further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? k : 0;
  }
  return 0;
}

export interface Utf8LinesOptions {
  /**
   * Keep at most this many bytes of a line; the rest, up to the next line break, is skipped unread
   * (memory stays bounded on a line with no end). The cut falls on a character boundary. Default: no cap.
   */
  maxLineBytes?: number;
}

/**
 * Yields the lines of a byte stream (without `\n` / `\r\n`). Bytes that are not UTF-8 are a
 * PARSE_ERROR naming the source, the 1-based line and the 1-based byte within that line.
 */
export async function* utf8Lines(source: AsyncIterable<Uint8Array | string>, name: string, options: Utf8LinesOptions = {}): AsyncGenerator<string, void, undefined> {
  const maxLineBytes = options.maxLineBytes ?? Infinity;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Uint8Array = new Uint8Array(0);
  let cut = false; // the current line passed maxLineBytes: drop bytes until its end
  let lineNo = 0;
  const decode = (raw: Uint8Array): string => {
    lineNo++;
    const bytes = cut ? raw.subarray(0, raw.length - incompleteTail(raw)) : raw;
    cut = false;
    let s: string;
    try {
      s = decoder.decode(bytes);
    } catch (cause) {
      const at = firstInvalidByte(bytes);
      throw new RnnkitError('PARSE_ERROR', `${name}: expected UTF-8 text. Received: invalid UTF-8 on line ${lineNo} at byte ${at + 1} of the line (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})`, { cause });
    }
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  for await (const chunk of source) {
    let data: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let nl = data.indexOf(10);
    while (nl >= 0) {
      let line = cut ? pending : pending.length > 0 ? Buffer.concat([pending, data.subarray(0, nl)]) : data.subarray(0, nl);
      if (line.length > maxLineBytes) {
        line = line.subarray(0, maxLineBytes);
        cut = true;
      }
      yield decode(line);
      pending = new Uint8Array(0);
      data = data.subarray(nl + 1);
      nl = data.indexOf(10);
    }
    if (cut || data.length === 0) continue;
    const joined = pending.length > 0 ? Buffer.concat([pending, data]) : data;
    if (joined.length > maxLineBytes) cut = true;
    pending = Uint8Array.from(joined.subarray(0, maxLineBytes)); // a copy: the stream may reuse its chunk
  }
  if (pending.length > 0) yield decode(pending);
}

/** Checks that `path` is a readable regular file (IO_ERROR naming the problem otherwise). */
export async function checkInputFile(path: string, what = 'a readable file'): Promise<void> {
  let isDir = false;
  try {
    const st = await stat(path);
    isDir = st.isDirectory();
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new RnnkitError('IO_ERROR', `Expected ${what}. Received: ${path} (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (cause as Error).message})`, { cause });
  }
  if (isDir) throw new RnnkitError('IO_ERROR', `Expected ${what}. Received: ${path} (a directory)`);
}

/** Lines of a file (`-` = stdin), checked first; read errors become IO_ERROR. */
export async function inputLines(path: string, options: Utf8LinesOptions = {}, stdin: AsyncIterable<Uint8Array | string> = process.stdin): Promise<AsyncGenerator<string, void, undefined>> {
  if (path === '-') return utf8Lines(stdin, '<stdin>', options);
  await checkInputFile(path);
  return (async function* () {
    const stream = createReadStream(path);
    try {
      yield* utf8Lines(stream, path, options);
    } catch (err) {
      if (err instanceof RnnkitError) throw err;
      throw new RnnkitError('IO_ERROR', `Expected a readable file. Received: ${path} (${(err as Error).message})`, { cause: err });
    } finally {
      stream.destroy();
    }
  })();
}

/** Most characters of one input text the CLIs pass to a model; longer lines are cut with a warning. */
export const CLI_MAX_TEXT_LENGTH = 10_000;

/** `text` cut to `max` characters (not inside a surrogate pair), and whether it was cut. */
export function capText(text: string, max = CLI_MAX_TEXT_LENGTH): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return { text: text.slice(0, end), truncated: true };
}

/** One input text of a CLI run: where it came from (`line 3`, `argument 2`), the text, whether it was cut. */
export interface NumberedLine {
  where: string;
  text: string;
  cut: boolean;
}

/**
 * Numbers and caps the texts of a run: `label` names them (`line`, `argument`), empty ones are dropped
 * when `skipEmpty`, texts over `maxLength` are cut and reported to `onCut`.
 */
export async function* numberedLines(lines: AsyncIterable<string> | readonly string[], o: { label: string; skipEmpty: boolean; maxLength: number; onCut(where: string): void }): AsyncGenerator<NumberedLine, void, undefined> {
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (o.skipEmpty && raw.trim() === '') continue;
    const { text, truncated } = capText(raw, o.maxLength);
    const where = `${o.label} ${n}`;
    if (truncated) o.onCut(where);
    yield { where, text, cut: truncated };
  }
}
