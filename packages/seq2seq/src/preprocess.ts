// Text <-> model units: space normalization, a light punctuation pre-tokenizer, BPE, and the reverse.
import type { Bpe } from '@rnnkit/text';

/** Normalizes unusual spaces (U+00A0, U+202F, U+2009 to a space; U+200B removed) and trims. */
export function normalizeText(s: string): string {
  return s.replace(/[\u00A0\u202F\u2009]/g, ' ').replace(/\u200B/g, '').replace(/\s+/g, ' ').trim();
}

/** Splits punctuation from words (apostrophes stay attached to the word before: `l'`, `don't`). */
export function pretokenize(s: string): string[] {
  return normalizeText(s).replace(/([.,!?;:"«»()¿¡…])/g, ' $1 ').split(' ').filter((t) => t.length > 0);
}

/** Joins tokens back into text: no space before closing punctuation (except French `! ? ; :` keep theirs). */
export function detokenize(tokens: readonly string[]): string {
  return tokens.join(' ').replace(/ ([.,)…])/g, '$1').replace(/\( /g, '(').replace(/¿ /g, '¿').replace(/¡ /g, '¡').trim();
}

/** Model units of a sentence: pre-tokenized words, split into BPE subwords when a model is given. */
export function toUnits(s: string, bpe: Bpe | null | undefined): string[] {
  const words = pretokenize(s);
  return bpe ? bpe.encodeWords(words) : words;
}

/** Words of model units (BPE subwords merged back). */
export function fromUnits(units: readonly string[], bpe: Bpe | null | undefined): string[] {
  if (!bpe) return [...units];
  const text = bpe.decode(units);
  return text.split(' ').filter((t) => t.length > 0);
}
