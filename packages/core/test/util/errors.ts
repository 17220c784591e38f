// Asserts that a call throws an RnnkitError with the given code (tests assert on codes, not messages).
import { isRnnkitError, type RnnkitErrorCode } from '../../src/errors';

export function expectCode(fn: () => unknown, code: RnnkitErrorCode | string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isRnnkitError(caught)).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
}
