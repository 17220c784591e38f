// Composable text normalization steps. Offsets of tokens refer to the normalized text.
import { RnnkitError } from '@rnnkit/core';

/** A normalization step: a pure function from string to string. */
export type NormalizeStep = (text: string) => string;

/** Names of the built-in steps, usable in {@link createNormalizer}. */
export type NormalizeStepName =
  | 'nfc'
  | 'nfkc'
  | 'nfd'
  | 'lowercase'
  | 'stripAccents'
  | 'spaces'
  | 'zeroWidth'
  | 'collapseWhitespace'
  | 'unescapeMoses'
  | 'controlChars'
  | 'loneSurrogates';

/** Unicode canonical composition (NFC): "e" + U+0301 becomes "é". */
export const nfc: NormalizeStep = (text) => text.normalize('NFC');
/** Unicode compatibility composition (NFKC): "ﬁ" becomes "fi", full-width "Ａ" becomes "A". */
export const nfkc: NormalizeStep = (text) => text.normalize('NFKC');
/** Unicode canonical decomposition (NFD). */
export const nfd: NormalizeStep = (text) => text.normalize('NFD');
/** Lowercases with the root locale (`toLowerCase`). */
export const lowercase: NormalizeStep = (text) => text.toLowerCase();

/** Removes accents and other nonspacing marks: "São Paulo, Ελληνικά" → "Sao Paulo, Ελληνικα". Result is NFC. */
export const stripAccents: NormalizeStep = (text) => text.normalize('NFD').replace(/\p{Mn}+/gu, '').normalize('NFC');

/** Replaces no-break and other Unicode spaces (U+00A0, U+2007, U+202F, U+2000–U+200A, U+3000, ...) with " ". */
export const normalizeSpaces: NormalizeStep = (text) => text.replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ');

/** Removes zero-width spaces and the BOM (U+200B, U+2060, U+FEFF); keeps ZWJ/ZWNJ, which carry meaning in emoji and Persian. */
export const removeZeroWidth: NormalizeStep = (text) => text.replace(/[\u200B\u2060\uFEFF]/g, '');

/** Collapses runs of whitespace into one space and trims both ends. */
export const collapseWhitespace: NormalizeStep = (text) => text.replace(/\s+/g, ' ').trim();

const MOSES: Record<string, string> = {
  '&apos;': "'",
  '&quot;': '"',
  '&amp;': '&',
  '&#124;': '|',
  '&lt;': '<',
  '&gt;': '>',
  '&#91;': '[',
  '&#93;': ']',
};

/** Undoes the Moses tokenizer's escapes (`&apos;` `&quot;` `&amp;` `&#124;` `&lt;` `&gt;` `&#91;` `&#93;`) in one pass. */
export const unescapeMoses: NormalizeStep = (text) => text.replace(/&(?:apos|quot|amp|lt|gt|#124|#91|#93);/g, (m) => MOSES[m] ?? m);

/** Removes C0/C1 control characters except tab, line feed and carriage return. */
export const removeControlChars: NormalizeStep = (text) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');

/** Replaces unpaired UTF-16 surrogates (invalid text) with U+FFFD, so the string is well-formed. */
export const replaceLoneSurrogates: NormalizeStep = (text) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const STEPS: Record<NormalizeStepName, NormalizeStep> = {
  nfc,
  nfkc,
  nfd,
  lowercase,
  stripAccents,
  spaces: normalizeSpaces,
  zeroWidth: removeZeroWidth,
  collapseWhitespace,
  unescapeMoses,
  controlChars: removeControlChars,
  loneSurrogates: replaceLoneSurrogates,
};

/**
 * Composes steps, applied left to right. Steps are names of the built-ins or your own functions:
 * `createNormalizer(['unescapeMoses', 'nfkc', 'lowercase', 'stripAccents'])`.
 */
export function createNormalizer(steps: ReadonlyArray<NormalizeStepName | NormalizeStep>): NormalizeStep {
  const fns = steps.map((s) => {
    if (typeof s === 'function') return s;
    const fn = STEPS[s];
    if (!fn) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected a normalization step name (${Object.keys(STEPS).join(', ')}) or a function. Received: ${JSON.stringify(s)}`);
    }
    return fn;
  });
  return (text) => fns.reduce((acc, fn) => fn(acc), text);
}

/** A sensible default for model input: well-formed, no control chars, NFKC, plain spaces, no zero-width, collapsed. */
export const defaultNormalizer: NormalizeStep = createNormalizer(['loneSurrogates', 'controlChars', 'nfkc', 'spaces', 'zeroWidth', 'collapseWhitespace']);
