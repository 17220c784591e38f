// The input contract the text libraries share (@rnnkit/sentiment, @rnnkit/seq2seq): type checks with
// messages that name what was received, length caps that never cut a surrogate pair, and the
// "how much of this text does the model know" measures behind `coverage` / `lowCoverage`.
import { RnnkitError } from '@rnnkit/core';
import type { Vocab } from './vocab';

/** `coverage` below this marks a result `lowCoverage` (most of the text is unknown to the model). */
export const LOW_COVERAGE_THRESHOLD = 0.5;

/** Names a value for an error message: its type and a short preview (`number 42`, `null`, `array of 3`). */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'object': {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `object ${name}` : 'object';
    }
    default:
      return typeof value;
  }
}

/** Throws INVALID_ARGUMENT unless `value` is a string: "Expected text to be a string. Received: number 42". */
export function assertText(value: unknown, what = 'text'): asserts value is string {
  if (typeof value !== 'string') throw new RnnkitError('INVALID_ARGUMENT', `Expected ${what} to be a string. Received: ${describeReceived(value)}`);
}

/** Throws INVALID_ARGUMENT unless `value` is an array of strings (naming the first item that is not). */
export function assertTexts(value: unknown, what = 'texts'): asserts value is readonly string[] {
  if (!Array.isArray(value)) throw new RnnkitError('INVALID_ARGUMENT', `Expected ${what} to be an array of strings. Received: ${describeReceived(value)}`);
  value.forEach((v: unknown, i) => assertText(v, `${what}[${i}]`));
}

/** True for text with nothing but whitespace (or nothing at all). */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * `text` cut to at most `max` UTF-16 units, at the last whitespace of the final tenth when there is one
 * (so a word is not cut in half), never inside a surrogate pair. `truncated` says whether it was cut.
 */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let cut = max;
  const floor = Math.floor(max * 0.9);
  for (let i = max; i > floor; i--) {
    if (/\s/u.test(text[i] as string)) {
      cut = i;
      break;
    }
  }
  const c = text.charCodeAt(cut - 1);
  if (cut === max && c >= 0xd800 && c <= 0xdbff) cut--; // a high surrogate whose pair is past the cut
  return { text: text.slice(0, cut), truncated: true };
}

const vocabChars = new WeakMap<Vocab, ReadonlySet<string>>();

/** The characters of a vocabulary's tokens (subwords' `</w>` and the four specials left out); cached per vocabulary. */
export function vocabCharacters(vocab: Vocab): ReadonlySet<string> {
  let seen = vocabChars.get(vocab);
  if (!seen) {
    const set = new Set<string>();
    for (const u of vocab.tokens.slice(4)) for (const ch of u.endsWith('</w>') ? u.slice(0, -4) : u) set.add(ch);
    seen = set;
    vocabChars.set(vocab, seen);
  }
  return seen;
}

/** Share (0..1) of the letters (\p{L}) of `units` that are not in `seen`; 0 when there are no letters. */
export function unseenLetterShare(units: readonly string[], seen: ReadonlySet<string>): number {
  let letters = 0;
  let unseen = 0;
  for (const u of units) {
    for (const ch of u) {
      if (!/\p{L}/u.test(ch)) continue;
      letters++;
      if (!seen.has(ch)) unseen++;
    }
  }
  return letters === 0 ? 0 : unseen / letters;
}

/**
 * `coverage` (known / total, 0 when total is 0) and `lowCoverage`: coverage below
 * {@link LOW_COVERAGE_THRESHOLD}, or more than half of the letters in characters the model never saw.
 */
export function coverageOf(known: number, total: number, unseenLetters: number): { coverage: number; lowCoverage: boolean } {
  const coverage = total === 0 ? 0 : known / total;
  return { coverage, lowCoverage: coverage < LOW_COVERAGE_THRESHOLD || unseenLetters > 0.5 };
}
