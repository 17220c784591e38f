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

/** The code of the RnnkitError `fn` throws (undefined if it returns; a description for other errors). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRnnkitError(e) ? e.code : `not an RnnkitError: ${String(e)}`;
  }
  return undefined;
}

/** {@link codeOf} for a promise. */
export async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isRnnkitError(e) ? e.code : `not an RnnkitError: ${String(e)}`;
  }
  return undefined;
}
