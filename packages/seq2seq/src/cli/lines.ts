// Reads UTF-8 lines from a stream in constant memory; invalid UTF-8 is an error (PARSE_ERROR) that
// names the line, never silently replaced.
import { RnnkitError } from '@rnnkit/core';

/** Yields the lines of `stream` (without `\n` / `\r\n`). */
export async function* utf8Lines(stream: AsyncIterable<Buffer | string>, name: string): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const decode = (bytes: Buffer): string => {
    lineNo++;
    try {
      const s = decoder.decode(bytes);
      return s.endsWith('\r') ? s.slice(0, -1) : s;
    } catch (cause) {
      throw new RnnkitError('PARSE_ERROR', `Expected UTF-8 text. Received: invalid UTF-8 on line ${lineNo} of ${name}`, { cause });
    }
  };
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let data = pending.length > 0 ? Buffer.concat([pending, buf]) : buf;
    let nl = data.indexOf(10);
    while (nl >= 0) {
      yield decode(data.subarray(0, nl));
      data = data.subarray(nl + 1);
      nl = data.indexOf(10);
    }
    pending = Buffer.from(data);
  }
  if (pending.length > 0) yield decode(pending);
}
