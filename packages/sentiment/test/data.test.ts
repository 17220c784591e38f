// Data loading: each format, column selection, header detection, malformed rows with file and line,
// non-UTF-8 files and missing files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRnnkitError } from '@rnnkit/core';
import { loadExamples, parseExamples, readExamples, splitCsvRecord, type DataOptions, type Example } from '../src/index';
import { MAX_CSV_RECORD, MAX_LINE, utf8Lines } from '../src/data';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rnnkit-data-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parse(text: string, options: DataOptions & { path?: string } = {}): Promise<Example[]> {
  const out: Example[] = [];
  for await (const e of parseExamples(text, options)) out.push(e);
  return out;
}

async function parseError(text: string, options: DataOptions & { path?: string } = {}): Promise<{ code: string; message: string }> {
  try {
    await parse(text, options);
  } catch (err) {
    if (isRnnkitError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('TSV', () => {
  it('reads GLUE style `sentence<TAB>label` with a header, trimming the text', async () => {
    const rows = await parse('sentence\tlabel\nhide new secretions \t0\ngood fun \t1\n', { format: 'tsv' });
    expect(rows).toEqual([{ text: 'hide new secretions', label: '0', line: 2 }, { text: 'good fun', label: '1', line: 3 }]);
  });

  it('reads headerless `label<TAB>text` rows, guessing the columns', async () => {
    const rows = await parse('pos\ta fine film\nneg\ta dull film\n', { format: 'tsv' });
    expect(rows.map((r) => [r.label, r.text])).toEqual([['pos', 'a fine film'], ['neg', 'a dull film']]);
  });

  it('selects columns by name and by index, and renames labels', async () => {
    const text = 'id\treview\tstars\n1\tgreat\t5\n2\tawful\t1\n';
    const byName = await parse(text, { textColumn: 'review', labelColumn: 'stars', labelNames: { '5': 'pos', '1': 'neg' } });
    expect(byName.map((r) => [r.text, r.label])).toEqual([['great', 'pos'], ['awful', 'neg']]);
    const byIndex = await parse(text, { format: 'tsv', header: true, textColumn: 1, labelColumn: 2 });
    expect(byIndex.map((r) => r.label)).toEqual(['5', '1']);
  });

  it('names the source and line of a malformed row (PARSE_ERROR), or skips it on request', async () => {
    const bad = 'text\tlabel\ngood\tpos\nno label here\n';
    const err = await parseError(bad, { format: 'tsv', source: 'reviews.tsv' });
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(/^reviews\.tsv:3: /);
    const skipped: string[] = [];
    const rows = await parse(bad, { format: 'tsv', onInvalid: 'skip', onSkip: (e) => skipped.push(e.message) });
    expect(rows).toHaveLength(1);
    expect(skipped).toHaveLength(1);
  });

  it('refuses a column name that is not in the header', async () => {
    expect((await parseError('text\tlabel\na\tb\n', { textColumn: 'body' })).code).toBe('PARSE_ERROR');
  });
});

describe('CSV (RFC 4180)', () => {
  it('splits quoted fields with commas, doubled quotes and line breaks', async () => {
    expect(splitCsvRecord('"a, b","say ""hi""",c')).toEqual(['a, b', 'say "hi"', 'c']);
    expect(splitCsvRecord('"open')).toBeNull();
    const rows = await parse('text,label\n"good, really ""good""",pos\n"two\nlines",neg\nplain,pos\n', { format: 'csv' });
    expect(rows).toEqual([
      { text: 'good, really "good"', label: 'pos', line: 2 },
      { text: 'two\nlines', label: 'neg', line: 3 },
      { text: 'plain', label: 'pos', line: 5 },
    ]);
  });

  it('reports an unclosed quote at the line where its record starts', async () => {
    const err = await parseError('text,label\nok,pos\n"never closed,neg\nmore\n', { format: 'csv', source: 'x.csv' });
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(/^x\.csv:3: /);
  });

  it('a stray quote costs linear time: 40,000 lines after it in well under a second; records are capped at MAX_CSV_RECORD', async () => {
    const start = Date.now();
    const err = await parseError(`text,label\n"open,1\n${'a line of text,1\n'.repeat(40_000)}`, { format: 'csv' });
    expect(err.code).toBe('PARSE_ERROR');
    expect(Date.now() - start).toBeLessThan(3000); // was quadratic: 20,000 lines took minutes
    // past the cap the open record is a PARSE_ERROR at its first line; with onInvalid 'skip' reading goes on
    const long = `text,label\n"open,1\n${'x'.repeat(MAX_CSV_RECORD)}\nlater,2\n`;
    expect((await parseError(long, { format: 'csv' })).message).toMatch(/^<input>:2: .*closing double quote within/);
    expect(await parse(long, { format: 'csv', onInvalid: 'skip' })).toEqual([{ text: 'later', label: '2', line: 4 }]);
  });

  it('handles CRLF line endings and a BOM', async () => {
    const rows = await parse('\uFEFFtext,label\r\nfine,pos\r\n', { format: 'csv' });
    expect(rows).toEqual([{ text: 'fine', label: 'pos', line: 2 }]);
  });
});

describe('JSONL', () => {
  it('reads objects, with custom keys and numeric labels', async () => {
    const rows = await parse('{"text":"good","label":1}\n\n{"text":"bad","label":0}\n', { format: 'jsonl' });
    expect(rows.map((r) => [r.text, r.label, r.line])).toEqual([['good', '1', 1], ['bad', '0', 3]]);
    const custom = await parse('{"body":"ok","y":"pos"}\n', { format: 'jsonl', textColumn: 'body', labelColumn: 'y' });
    expect(custom[0]?.label).toBe('pos');
  });

  it('rejects an empty or blank label like the other formats do (found by the fuzz run)', async () => {
    for (const label of ['""', '"  "']) expect((await parseError(`{"text":"fine","label":${label}}`, { format: 'jsonl' })).code).toBe('PARSE_ERROR');
    expect(await parse('{"text":"fine","label":0}', { format: 'jsonl' })).toEqual([{ text: 'fine', label: '0', line: 1 }]);
  });

  it('rejects a line that is not JSON, or lacks the fields, with its line number', async () => {
    expect((await parseError('{"text":"a","label":"x"}\n{oops\n', { format: 'jsonl' })).message).toMatch(/^<input>:2: /);
    expect((await parseError('{"text":"a"}\n', { format: 'jsonl' })).code).toBe('PARSE_ERROR');
    expect((await parseError('[1,2]\n', { format: 'jsonl' })).code).toBe('PARSE_ERROR');
  });
});

describe('SST `label sentence`', () => {
  it('splits each line at its first space', async () => {
    const rows = await parse("1 a stirring , funny film\n0 it 's dull .\n", { format: 'sst', labelNames: { '0': 'negative', '1': 'positive' } });
    expect(rows).toEqual([{ text: 'a stirring , funny film', label: 'positive', line: 1 }, { text: "it 's dull .", label: 'negative', line: 2 }]);
  });

  it('rejects a line with a label only', async () => {
    expect((await parseError('1 fine\n0\n', { format: 'sst' })).message).toMatch(/:2: /);
  });
});

describe('files', () => {
  it('detects the format from the extension or the content', async () => {
    expect(await loadExamples(file('a.tsv', 'text\tlabel\ngood\tpos\n'))).toHaveLength(1);
    expect(await loadExamples(file('a.csv', 'text,label\n"good, fine",pos\n'))).toEqual([{ text: 'good, fine', label: 'pos', line: 2 }]);
    expect((await loadExamples(file('a.jsonl', '{"text":"x y","label":"pos"}\n')))[0]?.text).toBe('x y');
    expect((await loadExamples(file('a.train', '1 good film\n0 bad film\n'))).map((e) => e.label)).toEqual(['1', '0']);
  });

  it('detects SST\'s "label sentence" lines that hold commas, and says how it read a file it cannot parse', async () => {
    const sst = '1 a stirring , funny and finally transporting re-imagining\n0 apparently reassembled , from the floor .\n';
    expect((await loadExamples(file('part.txt', sst))).map((e) => [e.label, e.text.slice(0, 10)])).toEqual([['1', 'a stirring'], ['0', 'apparently']]);
    const err = await loadExamples(file('odd.txt', 'a,b\nno comma here\n')).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/format csv detected from the first line; set it with --data-format/);
  });

  it('streams a large file', async () => {
    const p = file('big.tsv', Array.from({ length: 20000 }, (_, i) => `sentence number ${i}\t${i % 2}`).join('\n'));
    let n = 0;
    let last: Example | undefined;
    for await (const e of readExamples(p)) {
      n++;
      last = e;
    }
    expect(n).toBe(20000);
    expect(last?.line).toBe(20000);
  });

  it('a line longer than MAX_LINE is PARSE_ERROR, not an out-of-memory', async () => {
    const chunks = (async function* () {
      for (let i = 0; i < 20; i++) yield new Uint8Array(MAX_LINE / 16).fill(0x61);
    })();
    let code: string | undefined;
    try {
      for await (const _ of utf8Lines(chunks, 'big.txt')) void _;
    } catch (err) {
      code = isRnnkitError(err) ? err.code : String(err);
    }
    expect(code).toBe('PARSE_ERROR');
  });

  it('names the exact line and byte of invalid UTF-8, across chunk boundaries', async () => {
    const messageOf = async (parts: number[][]): Promise<string> => {
      const chunks = (async function* () {
        for (const p of parts) yield Uint8Array.from(p);
      })();
      try {
        for await (const _ of utf8Lines(chunks, 'x.txt')) void _;
      } catch (err) {
        return isRnnkitError(err, 'PARSE_ERROR') ? err.message : `unexpected ${String(err)}`;
      }
      return 'no error';
    };
    const bytes = (s: string): number[] => [...Buffer.from(s)];
    // line 3 is "xé?" where é is two bytes and the bad byte is the 4th byte of the line
    expect(await messageOf([[...bytes('a\nb\nx\u00e9'), 0xff, ...bytes('z\n')]])).toContain('line 3 at byte 4 of the line');
    // the same line split over chunks: the bad byte arrives in the second chunk
    expect(await messageOf([bytes('a\nb\nx\u00e9'), [0xff, ...bytes('z\n')]])).toContain('line 3 at byte 4 of the line');
    expect(await messageOf([bytes('a\n'), [...bytes('b\nq'), 0xc3, 0x28]])).toContain('line 3 at byte 2 of the line');
  });

  it('a missing file is IO_ERROR; a non-UTF-8 file is PARSE_ERROR naming the file', async () => {
    await expect(loadExamples(join(dir, 'nope.tsv'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    const latin1 = file('latin1.tsv', Buffer.from([...Buffer.from('text\tlabel\ncaf'), 0xe9, ...Buffer.from('\tpos\n')]));
    const err = await loadExamples(latin1).catch((e: unknown) => e);
    expect(isRnnkitError(err, 'PARSE_ERROR')).toBe(true);
    expect((err as Error).message).toContain('latin1.tsv');
    expect((err as Error).message).toMatch(/UTF-8/);
  });
});
