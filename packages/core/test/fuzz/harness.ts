// The fuzz suite's shared pieces (issue 16): hostile-input arbitraries, the "only RnnkitError" check and
// the run settings. In `pnpm test` every target runs a few hundred seeded inputs; `node scripts/fuzz.mjs`
// runs the same targets with FUZZ_RUNS=100000 and collects what each target ran (FUZZ_REPORT).
// Imported by the fuzz tests of every package (packages/*/test/fuzz/*.fuzz.test.ts).
import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { isRnnkitError } from '../../src/errors';

/** Inputs per target: FUZZ_RUNS, else the suite's default. */
export function fuzzRuns(suiteDefault = 200): number {
  const n = Number(process.env['FUZZ_RUNS']);
  return Number.isInteger(n) && n > 0 ? n : suiteDefault;
}

/** fast-check parameters: seeded (FUZZ_SEED, default 20261204) so a failure reproduces. */
export function fuzzParams(suiteDefault = 200): fc.Parameters<unknown> {
  const seed = Number(process.env['FUZZ_SEED'] ?? 20261204);
  return { seed, numRuns: fuzzRuns(suiteDefault) };
}

/** Records a target's run to FUZZ_REPORT (JSON lines) when set; throws fast-check's report on failure. */
function finish<T>(name: string, details: fc.RunDetails<T>, start: number): void {
  const report = process.env['FUZZ_REPORT'];
  const line = { target: name, inputs: details.numRuns, crashes: details.failed ? 1 : 0, ms: Math.round(performance.now() - start), seed: details.seed };
  if (report) appendFileSync(report, `${JSON.stringify(line)}\n`);
  if (details.failed) {
    const cause = details.errorInstance as Error | undefined;
    throw new Error(`fuzz target ${name}: ${fc.defaultReportMessage(details as fc.RunDetails<unknown>)}\nError: ${cause?.stack ?? String(cause)}`.slice(0, 20_000), { cause });
  }
}

/**
 * Runs one fuzz target: `property` over `arb`, `fuzzRuns()` seeded inputs. Records target, inputs and
 * time to FUZZ_REPORT when set. Throws fast-check's report (seed, path, counterexample) on failure.
 */
export function fuzzTarget<T>(name: string, arb: fc.Arbitrary<T>, property: (value: T) => void, suiteDefault = 200): void {
  const start = performance.now();
  finish(name, fc.check(fc.property(arb, property), fuzzParams(suiteDefault) as fc.Parameters<[T]>), start);
}

/** {@link fuzzTarget} for async properties. */
export async function fuzzTargetAsync<T>(name: string, arb: fc.Arbitrary<T>, property: (value: T) => Promise<void>, suiteDefault = 100): Promise<void> {
  const start = performance.now();
  finish(name, await fc.check(fc.asyncProperty(arb, property), fuzzParams(suiteDefault) as fc.Parameters<[T]>), start);
}

/** Runs `fn`; an `RnnkitError` is an accepted outcome (returns undefined), any other exception fails the property. */
export function onlyRnnkitErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (isRnnkitError(err)) return undefined;
    throw err;
  }
}

/** {@link onlyRnnkitErrors} for promises. */
export async function onlyRnnkitErrorsAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isRnnkitError(err)) return undefined;
    throw err;
  }
}

const char = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((c) => String.fromCodePoint(c));
const oneOfStrings = (...xs: string[]) => fc.constantFrom(...xs);

/** One piece of hostile text: each kind of trouble the issue lists, plus ordinary words to glue it to. */
export const hostilePiece: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z]{1,8}$/), weight: 6 }, // ordinary words
  { arbitrary: oneOfStrings(' ', '  ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u2028', '\u2029', '\u3000', '\u200b', '\ufeff', '\u0085'), weight: 4 },
  { arbitrary: oneOfStrings('.', ',', '!', '?', '"', "'", '...', '(', ')', '-', '--', ':', ';', '@', '#', '&amp;', '</w>', '<unk>', '\\', '/', '%', '$1'), weight: 3 },
  { arbitrary: char(0xd800, 0xdfff), weight: 2 }, // lone surrogates
  { arbitrary: char(0x0300, 0x036f), weight: 2 }, // combining marks (alone or stacked after a letter)
  { arbitrary: fc.oneof(char(0x05d0, 0x05ea), char(0x0621, 0x064a), oneOfStrings('\u200f', '\u200e', '\u202e', '\u202d', '\u2066', '\u2069')), weight: 2 }, // RTL
  { arbitrary: oneOfStrings('👨‍👩‍👧‍👦', '🏳️‍🌈', '👩🏽‍💻', '🇫🇷', '❤️', '\u200d', '\ufe0f', '😀'), weight: 2 }, // emoji, ZWJ sequences
  { arbitrary: fc.oneof(char(0x00, 0x1f), char(0x7f, 0x9f)), weight: 2 }, // control characters
  { arbitrary: fc.oneof(char(0x4e00, 0x9fff), char(0xac00, 0xd7a3), char(0x0e00, 0x0e7f), char(0x0900, 0x097f)), weight: 2 }, // CJK, Hangul, Thai, Devanagari
  { arbitrary: fc.oneof(fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)), fc.string({ unit: 'binary', maxLength: 4 })), weight: 2 }, // anything
  { arbitrary: oneOfStrings('12', '3.14', '-7', '1e309', 'NaN', 'http://x.y/z?q=1', 'a@b.co', '@user', '#tag', ":')", '<3'), weight: 2 },
);

/**
 * Hostile text: empty, short mixes of {@link hostilePiece}s, and now and then a huge one (up to `maxHuge`
 * code units; FUZZ_MAX_HUGE lowers the cap, as the long run does to spend its time on many inputs).
 */
export function hostileText(maxHuge = 200_000): fc.Arbitrary<string> {
  const cap = Number(process.env['FUZZ_MAX_HUGE']);
  if (Number.isInteger(cap) && cap > 0) maxHuge = Math.min(maxHuge, cap);
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 1 },
    { arbitrary: fc.array(hostilePiece, { maxLength: 40 }).map((xs) => xs.join('')), weight: 20 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 3 },
    {
      arbitrary: fc.tuple(fc.array(hostilePiece, { minLength: 1, maxLength: 6 }), fc.integer({ min: Math.min(1000, maxHuge), max: maxHuge })).map(([xs, n]) => {
        const unit = xs.join('') || 'x';
        return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      }),
      weight: 1,
    },
  );
}

/** Random bytes decoded as UTF-8 (invalid sequences become U+FFFD) or as Latin-1. */
export const randomBytesText: fc.Arbitrary<string> = fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.boolean()).map(([bytes, utf8]) =>
  utf8 ? new TextDecoder('utf-8').decode(bytes) : Array.from(bytes, (b) => String.fromCharCode(b)).join(''),
);

/** Any hostile input: {@link hostileText} or {@link randomBytesText}. */
export function anyText(maxHuge = 200_000): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: hostileText(maxHuge), weight: 5 }, { arbitrary: randomBytesText, weight: 1 });
}
