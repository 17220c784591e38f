// The exit-code contract shared by rnnkit-sentiment and rnnkit-translate, and the one mapping from
// an error to a code. Both `--help` texts end with EXIT_CODES_HELP.
import { isRnnkitError } from '../errors'; // name-based: works on errors of any copy of the package

/** Exit codes of every rnnkit command. */
export const EXIT = {
  OK: 0,
  /** Unexpected runtime failure (including a failed write to stdout). */
  RUNTIME: 1,
  /** Bad command line: unknown command or option, missing or invalid value. */
  USAGE: 2,
  /** Bad input data: missing or unreadable file, a directory, not UTF-8, malformed row. */
  INPUT: 3,
  /** The model folder is missing, not a model of this kind, or does not match its vocabulary. */
  MODEL: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit-code section of both CLIs' help. */
export const EXIT_CODES_HELP = `Exit codes:
  0 success   1 runtime error (including a failed write to stdout)   2 usage error (unknown command or
  option, bad value)   3 input error (missing file, a directory, not UTF-8, malformed row)
  4 model error (--model missing, not a model folder, vocabulary mismatch)
  Closing the output early (e.g. \`| head -1\`) ends quietly with 0.`;

/** A command-line mistake: printed with a hint to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error that already names its exit code (e.g. a missing --model folder, exit 4). */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

const INPUT_CODES = new Set(['IO_ERROR', 'PARSE_ERROR']);
// UNSAFE_PATH: a model whose manifest points outside its folder or origin is a bad model, not bad input.
const MODEL_CODES = new Set(['INVALID_MODEL', 'MISMATCH', 'UNKNOWN_CLASS', 'WEIGHT_MISMATCH', 'UNSAFE_PATH']);

/** The exit code for an error thrown by a command. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.USAGE;
  if (err instanceof CliError) return err.exitCode;
  if (isRnnkitError(err)) {
    if (INPUT_CODES.has(err.code)) return EXIT.INPUT;
    if (MODEL_CODES.has(err.code)) return EXIT.MODEL;
    if (err.code === 'INVALID_ARGUMENT') return EXIT.USAGE;
  }
  return EXIT.RUNTIME;
}
