import { RnnkitError, isRnnkitError } from './errors';

describe('RnnkitError', () => {
  it('carries a code and a cause and is an Error', () => {
    const cause = new Error('inner');
    const err = new RnnkitError('INVALID_ARGUMENT', 'Expected units to be a positive integer. Received: units=12.5', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(RnnkitError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('RnnkitError');
  });

  it('isRnnkitError checks the code', () => {
    const err = new RnnkitError('IO_ERROR', 'x');
    expect(isRnnkitError(err)).toBe(true);
    expect(isRnnkitError(err, 'IO_ERROR')).toBe(true);
    expect(isRnnkitError(err, 'INVALID_SHAPE')).toBe(false);
    expect(isRnnkitError(new Error('x'))).toBe(false);
    expect(isRnnkitError(null)).toBe(false);
  });
});
