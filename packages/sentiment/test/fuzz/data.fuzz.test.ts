// Fuzz suite (issue 16) for the data readers of @rnnkit/sentiment (TSV, CSV, JSONL, SST; UTF-8 byte
// streams): hostile text and random bytes, random formats and options. Properties: no exception other
// than RnnkitError (PARSE_ERROR for bad rows and bytes), every example has a non-empty text and label,
// CSV quoting round trips. Seeded; the long run is `node scripts/fuzz.mjs` (FUZZ_RUNS=100000).
import fc from 'fast-check';
import { anyText, fuzzTarget, fuzzTargetAsync, hostilePiece, hostileText, onlyRnnkitErrorsAsync } from '../../../core/test/fuzz/harness';
import { parseExamples, splitCsvRecord, utf8Lines } from '../../src/data';
import type { DataOptions, Example } from '../../src/data';

const column = fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 5 }), fc.constantFrom('text', 'label', 'sentence', 'nope', '1', ''), hostileText(20));
const dataOptions: fc.Arbitrary<DataOptions> = fc.record(
  {
    format: fc.constantFrom('auto', 'tsv', 'csv', 'jsonl', 'sst'),
    textColumn: column,
    labelColumn: column,
    header: fc.constantFrom(true, false, 'auto'),
    onInvalid: fc.constantFrom('error', 'skip'),
    labelNames: fc.constantFrom(undefined, { 0: 'negative', 1: 'positive' }, { __proto__: 'x' } as Record<string, string>),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<DataOptions>;

/** A field as a CSV writer would quote it (RFC 4180). */
const csvQuote = (f: string) => (/[",\n\r]/.test(f) || f.startsWith(' ') ? `"${f.replace(/"/g, '""')}"` : f);

/** Rows that look like data (so parsing gets past the first line), in each format, with hostile fields. */
const field = fc.oneof(hostileText(200), fc.constantFrom('0', '1', 'positive', 'negative', '"', '""', '"a,b"', '\t', '{'));
const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 12 });
const dataText: fc.Arbitrary<string> = fc.oneof(
  anyText(100_000),
  rows.map((rs) => rs.map((r) => r.join('\t')).join('\n')),
  rows.map((rs) => ['text,label', ...rs.map((r) => r.map(csvQuote).join(','))].join('\r\n')),
  rows.map((rs) => rs.map((r) => r.join(',')).join('\n')), // unquoted: stray quotes, open records
  rows.map((rs) => rs.map((r) => (r.length > 1 ? JSON.stringify({ text: r[0], label: r[1] }) : (r[0] as string))).join('\n')),
  rows.map((rs) => rs.map((r) => r.join(' ')).join('\n')),
  fc.array(fc.oneof(hostilePiece, fc.constantFrom('"', '\n', ',', '\t', '{"text":', '"label":1}')), { maxLength: 80 }).map((xs) => xs.join('')),
);

async function collect(lines: string | AsyncIterable<string>, options: DataOptions): Promise<Example[]> {
  const out: Example[] = [];
  for await (const e of parseExamples(lines, options)) out.push(e);
  return out;
}

describe('data readers', () => {
  it('parseExamples: only RnnkitError; examples have text and label', async () => {
    await fuzzTargetAsync('sentiment/parseExamples', fc.tuple(dataText, dataOptions), async ([text, options]) => {
      const examples = await onlyRnnkitErrorsAsync(() => collect(text, options));
      for (const e of examples ?? []) {
        if (typeof e.text !== 'string' || e.text.length === 0 || typeof e.label !== 'string' || e.label.length === 0) throw new Error(`bad example ${JSON.stringify(e).slice(0, 200)}`);
      }
    }, 300);
  });

  it('utf8Lines over random byte chunks: only RnnkitError; valid UTF-8 comes back line for line', async () => {
    const chunks = fc.oneof(
      fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
      anyText(5000).chain((s) => {
        const bytes = new TextEncoder().encode(s);
        return fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 4 }).map((cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          return at.slice(1).map((end, i) => bytes.slice(at[i], end));
        });
      }),
    );
    await fuzzTargetAsync('sentiment/utf8Lines', chunks, async (parts) => {
      const source = (async function* () {
        yield* parts;
      })();
      const lines: string[] = [];
      const done = await onlyRnnkitErrorsAsync(async () => {
        for await (const l of utf8Lines(source, '<fuzz>')) lines.push(l);
        return true;
      });
      if (!done) return;
      // valid UTF-8 (TextDecoder would keep it exactly): the lines are the text split at \n, \r stripped
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      const text = new TextDecoder('utf-8').decode(all);
      const raw = text.split('\n');
      if (raw.at(-1) === '') raw.pop(); // a final newline ends the last line; it does not start an empty one
      const want = raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      const bom = text.startsWith('\ufeff');
      if (!bom && JSON.stringify(lines) !== JSON.stringify(want)) throw new Error('lines differ from the decoded text');
    }, 300);
  });

  it('splitCsvRecord: quoting round trips; random records give fields or null', () => {
    fuzzTarget('sentiment/splitCsvRecord', fc.tuple(fc.array(hostileText(300), { minLength: 1, maxLength: 6 }), anyText(10_000)), ([fields, random]) => {
      const quoted = fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
      const back = splitCsvRecord(quoted);
      if (JSON.stringify(back) !== JSON.stringify(fields)) throw new Error(`round trip ${JSON.stringify(fields).slice(0, 200)} -> ${JSON.stringify(back).slice(0, 200)}`);
      const r = splitCsvRecord(random);
      if (r !== null && !(Array.isArray(r) && r.every((f) => typeof f === 'string'))) throw new Error('not fields');
    }, 300);
  });
});
