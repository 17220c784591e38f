import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capText, inputLines, utf8Lines } from './lines';
import { isRnnkitError } from '../errors';

async function collect(chunks: Array<Uint8Array | string>, maxLineBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const l of utf8Lines((async function* () { yield* chunks; })(), 'in', { maxLineBytes })) out.push(l);
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('utf8Lines', () => {
  it('splits LF and CRLF, keeps empty lines, and joins characters split across chunks', async () => {
    const euro = Buffer.from('€');
    expect(await collect([Buffer.from('a\r\n\nb'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\nlast')])])).toEqual(['a', '', 'b€', 'last']);
  });

  it('names the exact line and byte of invalid UTF-8, in any chunking', async () => {
    const bytes = Buffer.concat([Buffer.from('ok\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from('!\n')]);
    for (const cut of [1, 5, 9, 11, bytes.length]) {
      const e = await errorOf(collect([bytes.subarray(0, cut), bytes.subarray(cut)]));
      expect(isRnnkitError(e, 'PARSE_ERROR')).toBe(true);
      expect(e.message).toContain('line 3 at byte 4 of the line (0xe9)');
    }
  });

  it('cuts a line past maxLineBytes on a character boundary and continues with the next line', async () => {
    const long = 'é'.repeat(100); // 200 bytes
    const lines = await collect([long.slice(0, 30), long.slice(30), '\nnext\n'], 41);
    expect(lines).toEqual(['é'.repeat(20), 'next']);
  });
});

describe('inputLines', () => {
  it('refuses a directory and a missing file with IO_ERROR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-lines-'));
    try {
      expect((await errorOf(inputLines(dir))).message).toMatch(/\(a directory\)/);
      expect((await errorOf(inputLines(join(dir, 'nope.txt')))).message).toMatch(/no such file/);
      writeFileSync(join(dir, 'a.txt'), 'x\ny\n');
      const out: string[] = [];
      for await (const l of await inputLines(join(dir, 'a.txt'))) out.push(l);
      expect(out).toEqual(['x', 'y']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('capText', () => {
  it('cuts long text without splitting a surrogate pair', () => {
    expect(capText('abc', 5)).toEqual({ text: 'abc', truncated: false });
    expect(capText('ab😀cd', 3)).toEqual({ text: 'ab', truncated: true });
  });
});
