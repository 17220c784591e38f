// Error-code helpers for the tests (tests assert on codes, not messages).
import { isRnnkitError } from '@rnnkit/core';

/** The code of the RnnkitError `fn` throws (undefined if it returns; 'OTHER: ...' for other errors). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRnnkitError(e) ? e.code : `OTHER: ${String(e)}`;
  }
  return undefined;
}

/** {@link codeOf} for a promise; a value it resolves to that has `dispose()` is disposed. */
export async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    const v = await p;
    (v as { dispose?: () => void } | null)?.dispose?.();
  } catch (e) {
    return isRnnkitError(e) ? e.code : `OTHER: ${String(e)}`;
  }
  return undefined;
}
