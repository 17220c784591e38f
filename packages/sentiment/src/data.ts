// Labelled text data: TSV, CSV (RFC 4180 quoting), JSONL and the SST `label sentence` format, read as a
// stream of lines (constant memory), with column selection, header detection and PARSE_ERRORs that
// name the file and line.
import { firstInvalidByte, nodeModules, RnnkitError } from '@rnnkit/core';

/** One labelled example. `line` is the 1-based line where its record starts. */
export interface Example {
  text: string;
  label: string;
  line?: number;
}

export type DataFormat = 'auto' | 'tsv' | 'csv' | 'jsonl' | 'sst';

/** How to read a data file or string. */
export interface DataOptions {
  /** Default 'auto': by file extension (.tsv, .csv, .jsonl/.ndjson), else SST if the first line is `label text`, else TSV. */
  format?: DataFormat;
  /** Column (name, or 0-based index) holding the text. Default: text / sentence / review / content, else the longer field. */
  textColumn?: string | number;
  /** Column (name, or 0-based index) holding the label. Default: label / sentiment / class / polarity / target. */
  labelColumn?: string | number;
  /** Whether the first row is a header. Default 'auto' (it is when it names a known or the requested column). */
  header?: boolean | 'auto';
  /** Rename labels, e.g. `{ '0': 'negative', '1': 'positive' }`. */
  labelNames?: Record<string, string>;
  /** Malformed rows throw PARSE_ERROR ('error', default) or are skipped and counted ('skip'). */
  onInvalid?: 'error' | 'skip';
  /** Called for each skipped row with its error. */
  onSkip?: (error: RnnkitError) => void;
  /** Name used in error messages (defaults to the path, or `<input>`). */
  source?: string;
}

const TEXT_NAMES = ['text', 'sentence', 'review', 'content', 'document', 'phrase', 'tweet'];
const LABEL_NAMES = ['label', 'sentiment', 'class', 'polarity', 'target', 'y', 'category'];

function parseError(source: string, line: number, message: string): RnnkitError {
  return new RnnkitError('PARSE_ERROR', `${source}:${line}: ${message}`);
}

/** A CSV record being read, line by line: the fields so far and where the scanner is. */
interface CsvScan {
  fields: string[];
  field: string;
  quoted: boolean;
  atStart: boolean;
  /** Characters taken so far (to cap records whose quote never closes). */
  length: number;
}

const newCsvScan = (): CsvScan => ({ fields: [], field: '', quoted: false, atStart: true, length: 0 });

/** Scans `text` (one line, or a whole record) into `st`, continuing where the previous line stopped. */
function scanCsv(st: CsvScan, text: string, delimiter: string): void {
  st.length += text.length;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (st.quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          st.field += '"';
          i += 2;
          continue;
        }
        st.quoted = false;
        i++;
        continue;
      }
      st.field += ch;
      i++;
      continue;
    }
    if (ch === '"' && st.atStart) {
      st.quoted = true;
      st.atStart = false;
      i++;
      continue;
    }
    if (ch === delimiter) {
      st.fields.push(st.field);
      st.field = '';
      st.atStart = true;
      i++;
      continue;
    }
    st.field += ch;
    st.atStart = false;
    i++;
  }
}

/** Splits one CSV record (may span lines, already joined) into fields; returns null when a quote is still open. */
export function splitCsvRecord(record: string, delimiter = ','): string[] | null {
  const st = newCsvScan();
  scanCsv(st, record, delimiter);
  return st.quoted ? null : [...st.fields, st.field];
}

/**
 * Longest CSV record (characters, all its lines) read while looking for a closing quote: 1 MiB. A stray
 * quote would otherwise take the rest of the file into one field.
 */
export const MAX_CSV_RECORD = 1 << 20;

/** Longest line {@link utf8Lines} holds in memory: 16 Mi characters (a file without newlines is not read whole). */
export const MAX_LINE = 1 << 24;

/**
 * The 1-based line and byte within that line of the first invalid sequence in `chunk`, given the lines
 * already complete before it and the start of the current line carried over from earlier chunks. Byte
 * 0x0A never occurs inside a multi-byte sequence, so newlines are counted on the bytes.
 */
function invalidUtf8Position(chunk: Uint8Array, linesBefore: number, carried: string): { line: number; byte: number; at: number } {
  const at = Math.max(0, firstInvalidByte(chunk)); // 0: the bad sequence began in an earlier chunk
  const lastNl = chunk.subarray(0, at).lastIndexOf(10);
  let newlines = 0;
  for (let k = 0; k < at; k++) if (chunk[k] === 10) newlines++;
  const lineStartBytes = lastNl >= 0 ? at - lastNl - 1 : new TextEncoder().encode(carried).length + at;
  return { line: linesBefore + newlines + 1, byte: lineStartBytes + 1, at };
}

/** Decodes a byte stream as UTF-8 lines (LF or CRLF); bytes that are not UTF-8, or a line over {@link MAX_LINE}, are a PARSE_ERROR naming `name`. */
export async function* utf8Lines(source: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let offset = 0;
  let lineNo = 0;
  for await (const chunk of source) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (cause) {
      const { line, byte, at } = invalidUtf8Position(chunk, lineNo, rest);
      throw new RnnkitError('PARSE_ERROR', `${name}: expected UTF-8 text. Received: invalid UTF-8 on line ${line} at byte ${byte} of the line (file byte ${offset + 1 + at})`, { cause });
    }
    offset += chunk.length;
    rest += text;
    let start = 0;
    let nl = rest.indexOf('\n', start);
    while (nl >= 0) {
      const line = rest.slice(start, nl);
      start = nl + 1;
      lineNo++;
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      nl = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
    if (rest.length > MAX_LINE) {
      throw new RnnkitError('PARSE_ERROR', `${name}: expected lines of at most ${MAX_LINE} characters. Received: a longer line (line ${lineNo + 1})`);
    }
  }
  try {
    rest += decoder.decode();
  } catch (cause) {
    throw new RnnkitError('PARSE_ERROR', `${name}: expected UTF-8 text. Received: a truncated UTF-8 sequence at the end`, { cause });
  }
  if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Reads a file as UTF-8 lines, streaming: IO_ERROR when it cannot be read, PARSE_ERROR when it is not UTF-8. */
export async function* readUtf8Lines(path: string): AsyncGenerator<string, void, undefined> {
  const { fs } = await nodeModules();
  try {
    const st = await fs.promises.stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new RnnkitError('IO_ERROR', `Expected a readable file. Received: ${path} (${what})`, { cause: err });
  }
  const stream = fs.createReadStream(path);
  try {
    yield* utf8Lines(stream as AsyncIterable<Buffer>, path);
  } catch (err) {
    if (err instanceof RnnkitError) throw err;
    throw new RnnkitError('IO_ERROR', `Expected a readable file. Received: ${path} (${(err as Error).message})`, { cause: err });
  } finally {
    stream.destroy();
  }
}

async function* linesOf(input: string | Iterable<string> | AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  if (typeof input === 'string') {
    for (const l of input.split('\n')) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    return;
  }
  yield* input as AsyncIterable<string>;
}

function detectFormat(first: string, path?: string): Exclude<DataFormat, 'auto'> {
  const ext = path?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'tsv') return 'tsv';
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (first.trimStart().startsWith('{')) return 'jsonl';
  if (first.includes('\t')) return 'tsv';
  // SST's files: a numeric label, a space, a tokenized sentence (commas included: "1 a stirring , funny ...")
  if (/^-?\d{1,2} \S/.test(first)) return 'sst';
  if (/^\S{1,20} \S/.test(first) && !first.includes(',')) return 'sst';
  return first.includes(',') ? 'csv' : 'sst';
}

function resolveColumn(spec: string | number | undefined, header: string[] | null, fallbackNames: string[], what: string, source: string): number | null {
  if (typeof spec === 'number') return spec;
  const lower = header?.map((h) => h.trim().toLowerCase()) ?? null;
  if (typeof spec === 'string') {
    if (/^\d+$/.test(spec)) return Number(spec);
    const i = lower ? lower.indexOf(spec.toLowerCase()) : -1;
    if (i < 0) throw parseError(source, 1, `expected a ${what} column named ${JSON.stringify(spec)}. Received: header ${JSON.stringify(header ?? [])}`);
    return i;
  }
  if (!lower) return null;
  for (const n of fallbackNames) {
    const i = lower.indexOf(n);
    if (i >= 0) return i;
  }
  return null;
}

/** Text and label column of a headerless row: the label is the short field without spaces. */
function guessColumns(fields: string[]): { text: number; label: number } {
  if (fields.length >= 2 && !/\s/.test((fields[0] as string).trim()) && /\s/.test((fields[1] as string).trim())) return { text: 1, label: 0 };
  return { text: 0, label: fields.length - 1 };
}

/**
 * Streams labelled examples from lines (a file path goes through {@link readExamples}). Empty lines are
 * skipped; malformed rows throw PARSE_ERROR with source and line number (or are skipped, see `onInvalid`).
 */
export async function* parseExamples(input: string | Iterable<string> | AsyncIterable<string>, options: DataOptions & { path?: string } = {}): AsyncGenerator<Example, void, undefined> {
  const source = options.source ?? options.path ?? '<input>';
  let format: Exclude<DataFormat, 'auto'> | null = options.format && options.format !== 'auto' ? options.format : null;
  const detected = format === null;
  let textCol: number | null = null;
  let labelCol: number | null = null;
  let first = true;
  let lineNo = 0;
  let csv: CsvScan | null = null; // a CSV record whose quoted field continues on the next line
  let pendingStart = 0;
  const rename = (label: string) => options.labelNames?.[label] ?? label;
  const fail = (line: number, message: string): RnnkitError | null => {
    const err = parseError(source, line, message);
    if (options.onInvalid === 'skip') {
      options.onSkip?.(err);
      return null;
    }
    throw err;
  };

  for await (const raw of linesOf(input)) {
    lineNo++;
    let line = raw;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1); // BOM
    if (csv === null && line.trim() === '') continue;
    if (format === null) format = detectFormat(line, options.path);

    if (format === 'sst') {
      const i = line.indexOf(' ');
      const label = i > 0 ? line.slice(0, i).trim() : '';
      const text = i > 0 ? line.slice(i + 1).trim() : '';
      if (!label || !text) {
        fail(lineNo, `expected "<label> <text>". Received: ${JSON.stringify(line.slice(0, 60))}`);
        continue;
      }
      yield { text, label: rename(label), line: lineNo };
      continue;
    }

    if (format === 'jsonl') {
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        fail(lineNo, `expected a JSON object. Received: ${JSON.stringify(line.slice(0, 60))}`);
        continue;
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        fail(lineNo, `expected a JSON object. Received: ${JSON.stringify(line.slice(0, 60))}`);
        continue;
      }
      const o = obj as Record<string, unknown>;
      const keys = Object.keys(o);
      const tk = typeof options.textColumn === 'string' ? options.textColumn : typeof options.textColumn === 'number' ? keys[options.textColumn] : TEXT_NAMES.find((k) => k in o);
      const lk = typeof options.labelColumn === 'string' ? options.labelColumn : typeof options.labelColumn === 'number' ? keys[options.labelColumn] : LABEL_NAMES.find((k) => k in o);
      const text = tk === undefined ? undefined : o[tk];
      const label = lk === undefined ? undefined : o[lk];
      if (typeof text !== 'string' || text.trim() === '' || (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') || String(label).trim() === '') {
        fail(lineNo, `expected a non-empty string "${tk ?? 'text'}" and a non-empty string or number "${lk ?? 'label'}". Received: keys ${JSON.stringify(keys)}`);
        continue;
      }
      yield { text: text.trim(), label: rename(String(label)), line: lineNo };
      continue;
    }

    // TSV / CSV
    let fields: string[];
    if (format === 'csv') {
      // scanned once, line by line (re-splitting the joined record per line was quadratic)
      if (csv === null) {
        pendingStart = lineNo;
        csv = newCsvScan();
      } else {
        csv.field += '\n';
      }
      scanCsv(csv, line, ',');
      if (csv.quoted) {
        if (csv.length > MAX_CSV_RECORD) {
          csv = null;
          fail(pendingStart, `expected a closing double quote within ${MAX_CSV_RECORD} characters. Received: a longer quoted field`);
        }
        continue;
      }
      fields = [...csv.fields, csv.field];
      csv = null;
    } else {
      pendingStart = lineNo;
      fields = line.split('\t');
    }
    const at = pendingStart;

    if (first) {
      first = false;
      const names = fields.map((f) => f.trim().toLowerCase());
      const named = [options.textColumn, options.labelColumn].some((c) => typeof c === 'string' && !/^\d+$/.test(c) && names.includes(c.toLowerCase()));
      const isHeader = options.header === true || (options.header !== false && (named || names.some((n) => TEXT_NAMES.includes(n) || LABEL_NAMES.includes(n))));
      const header = isHeader ? fields : null;
      textCol = resolveColumn(options.textColumn, header, TEXT_NAMES, 'text', source);
      labelCol = resolveColumn(options.labelColumn, header, LABEL_NAMES, 'label', source);
      if (textCol === null || labelCol === null) {
        const g = guessColumns(fields);
        textCol ??= g.text;
        labelCol ??= g.label;
      }
      if (isHeader) continue;
    }
    const need = Math.max(textCol as number, labelCol as number) + 1;
    const text = fields[textCol as number]?.trim();
    const label = fields[labelCol as number]?.trim();
    if (fields.length < need || !text || !label) {
      fail(at, `expected at least ${need} ${format === 'csv' ? 'comma' : 'tab'}-separated fields with a non-empty text (column ${textCol}) and label (column ${labelCol}). Received: ${fields.length} field(s)${detected ? ` (format ${format} detected from the ${/\.(tsv|csv)$/i.test(options.path ?? '') ? 'extension' : 'first line'}; set it with --data-format, or the format option)` : ''}`);
      continue;
    }
    yield { text, label: rename(label), line: at };
  }
  if (csv !== null) fail(pendingStart, 'expected a closing double quote. Received: end of input inside a quoted field');
}

/** Streams labelled examples from a file (constant memory). IO_ERROR for a missing file, PARSE_ERROR for bad rows or non-UTF-8 bytes. */
export function readExamples(path: string, options: DataOptions = {}): AsyncGenerator<Example, void, undefined> {
  return parseExamples(readUtf8Lines(path), { ...options, path, source: options.source ?? path });
}

/** Reads all examples of a file into memory. */
export async function loadExamples(path: string, options: DataOptions = {}): Promise<Example[]> {
  const out: Example[] = [];
  for await (const e of readExamples(path, options)) out.push(e);
  return out;
}
