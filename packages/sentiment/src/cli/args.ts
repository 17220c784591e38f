// Command-line parsing, help text and exit codes of rnnkit-sentiment. No tfjs here: `--help` and
// `--version` answer without loading the model stack.
import { parseArgs } from 'node:util';

/** Exit codes (documented in --help and the README). */
export const EXIT = {
  OK: 0,
  /** Unexpected runtime failure. */
  RUNTIME: 1,
  /** Bad command line: unknown command or option, missing or invalid value. */
  USAGE: 2,
  /** Bad input data: missing or unreadable file, not UTF-8, malformed row. */
  INPUT: 3,
  /** The model folder is not a sentiment model or does not match its vocabulary. */
  MODEL: 4,
} as const;

/** A command-line mistake: printed with a hint to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `rnnkit-sentiment: sentiment of English text with a recurrent neural network (TensorFlow.js)

Usage:
  rnnkit-sentiment predict [TEXT...]        classify TEXT, or lines of --input FILE, or lines of stdin
  rnnkit-sentiment eval --data FILE         accuracy, per-class precision/recall/F1, confusion matrix
  rnnkit-sentiment train --train FILE --dev FILE --out DIR [options]
  rnnkit-sentiment --help | --version

Common options:
  --model DIR        model folder (default: the English SST-2 model shipped in the package)
  --backend NAME     tfjs backend: wasm, cpu, tensorflow (default: the fastest available)
  -h, --help         this help;  -v, --version  the version

predict:
  --input FILE       read texts from FILE, one per line (streamed; "-" = stdin)
  --format F         text (default), json, jsonl ({"text","label","confidence","scores"} per line), tsv
  --explain          add per-token contributions (occlusion)
  --batch-size N     texts per model call (default 256)
  Empty lines are skipped (not echoed); their count is reported on stderr.

eval / train data:
  --data-format F    auto (default: by extension or content), tsv, csv, jsonl, sst ("label sentence")
  --text-column C    column name or 0-based index of the text;  --label-column C  of the label
  --format F         eval output: text (default) or json

train options:
  --epochs N (10)  --batch-size N (32)  --lr X (0.002)  --lr-schedule constant|linear|cosine (linear)
  --cell lstm|gru (lstm)  --units N (128)  --layers N (1)  --unidirectional  --pooling max|mean|last (max)
  --embedding-dim N (100)  --dropout X (0.5)  --clip-norm X (5)  --patience N (3)  --seed N (1)
  --class-weights balanced  --min-freq N (1)  --quantization none|float16|uint8|mixed (none)

Exit codes:
  0 success   1 runtime error   2 usage error   3 input error (missing file, not UTF-8, malformed row)
  4 model error (not a model folder, vocabulary mismatch)
`;

export type Command = 'predict' | 'eval' | 'train';

export interface ParsedArgs {
  command: Command | null;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const OPTIONS = {
  model: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  input: { type: 'string', short: 'i' },
  format: { type: 'string', short: 'f' },
  explain: { type: 'boolean' },
  'batch-size': { type: 'string' },
  data: { type: 'string' },
  'data-format': { type: 'string' },
  'text-column': { type: 'string' },
  'label-column': { type: 'string' },
  train: { type: 'string' },
  dev: { type: 'string' },
  out: { type: 'string', short: 'o' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  cell: { type: 'string' },
  units: { type: 'string' },
  layers: { type: 'string' },
  unidirectional: { type: 'boolean' },
  pooling: { type: 'string' },
  'embedding-dim': { type: 'string' },
  dropout: { type: 'string' },
  'clip-norm': { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  'class-weights': { type: 'string' },
  'min-freq': { type: 'string' },
  quantization: { type: 'string' },
} as const;

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] as string);
  }
  const [first, ...rest] = parsed.positionals;
  if (first === undefined) return { command: null, values: parsed.values, positionals: [] };
  if (first !== 'predict' && first !== 'eval' && first !== 'train') throw new UsageError(`Unknown command "${first}". Expected predict, eval or train`);
  return { command: first, values: parsed.values, positionals: rest };
}

/** An option as a number in a range, or its default. */
export function num(values: ParsedArgs['values'], name: string, fallback: number, opts: { int?: boolean; min?: number; max?: number } = {}): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || (opts.int && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    const range = `${opts.int ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}`;
    throw new UsageError(`Expected --${name} to be ${range}. Received: ${JSON.stringify(raw)}`);
  }
  return v;
}

/** An option restricted to some choices, or its default. */
export function choice<T extends string>(values: ParsedArgs['values'], name: string, choices: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !choices.includes(raw as T)) throw new UsageError(`Expected --${name} to be one of ${choices.join(', ')}. Received: ${JSON.stringify(raw)}`);
  return raw as T;
}

/** A string option that must be given. */
export function required(values: ParsedArgs['values'], name: string, command: string): string {
  const raw = values[name];
  if (typeof raw !== 'string' || raw === '') throw new UsageError(`${command} needs --${name}`);
  return raw;
}
