/**
 * The one error class of rnnkit. Every error that rnnkit raises on purpose is an `RnnkitError` with a
 * machine-readable `code`; tests assert on the code, not the message. Messages say what was expected
 * and what was received, e.g. `Expected units to be a positive integer. Received: units=12.5`.
 */
export type RnnkitErrorCode =
  /** An argument or config value has the wrong type or range. */
  | 'INVALID_ARGUMENT'
  /** A tensor or input has the wrong rank or shape. */
  | 'INVALID_SHAPE'
  /** A weight value does not fit the variable it is assigned to, or a weight is missing / extra. */
  | 'WEIGHT_MISMATCH'
  /** A model file names a layer class (or other serializable) that rnnkit does not know. */
  | 'UNKNOWN_CLASS'
  /** A model file or weights file is malformed, truncated or not a model at all. */
  | 'INVALID_MODEL'
  /** A file, folder or URL could not be read or written. */
  | 'IO_ERROR'
  /** The thing asked for is valid but not supported (yet) by rnnkit. */
  | 'UNSUPPORTED'
  /** A vocabulary, tokenizer or other artifact does not match the one a model was built with. */
  | 'MISMATCH'
  /** Input data (a text file, a row, a vector file) could not be parsed. */
  | 'PARSE_ERROR'
  /** The operation is not valid in the object's current state (e.g. stateful layer without batch size). */
  | 'INVALID_STATE'
  /** A model file names a file outside its folder (`..`, an absolute path, a symlink out) or a URL on another origin. */
  | 'UNSAFE_PATH'
  /** The kernels' WebAssembly memory could not grow to what a call needs (past 4 GiB, or refused by the engine). */
  | 'OUT_OF_MEMORY';

export interface RnnkitErrorOptions {
  cause?: unknown;
}

export class RnnkitError extends Error {
  readonly code: RnnkitErrorCode;

  constructor(code: RnnkitErrorCode, message: string, options: RnnkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RnnkitError';
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** True for an `RnnkitError`, optionally with the given code. Works across duplicate package copies. */
export function isRnnkitError(err: unknown, code?: RnnkitErrorCode): err is RnnkitError {
  if (err == null || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'RnnkitError' && typeof e.code === 'string' && (code === undefined || e.code === code);
}

/** Formats a value for an error message: arrays and objects as JSON, strings quoted. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
