// How the translator reads text under the library's input contract: the empty case, bounded length,
// sentence splitting (with the separators kept to re-join the output), source units and coverage.
import { isBlank, segmentSentences, truncateText, type Bpe, type Vocab } from '@rnnkit/text';
import { pretokenize } from './preprocess';

/**
 * Longest text, in UTF-16 code units, one `translate` item reads; the rest is ignored and the result
 * says `truncated: true`. About 900 English words: a few paragraphs. Split longer documents yourself.
 */
export const MAX_TEXT_LENGTH = 5_000;
/** Most sentences translated per text (after {@link MAX_TEXT_LENGTH}); further ones are left out (`truncated`). */
export const MAX_SENTENCES = 256;
/**
 * Longest piece, in characters, decoded at once: a longer sentence (a run-on line without sentence
 * ends) is cut at a word boundary, preferably after `, ; :`, into pieces translated one by one and
 * joined with a space. Nothing is lost; the model was trained on sentences far shorter than this.
 */
export const MAX_SENTENCE_LENGTH = 400;
/** Most source units (BPE subwords) of one piece; more (only possible for text of unknown characters) are cut (`truncated`). */
export const MAX_SOURCE_UNITS = 256;
/** Upper bound of the decoding length: `maxLength = min(MAX_DECODE_LENGTH, 2 x source units + 10)` by default. */
export const MAX_DECODE_LENGTH = 300;

/** The default decoding length for a batch whose longest source has `srcUnits` units. */
export function decodeLength(srcUnits: number): number {
  return Math.min(MAX_DECODE_LENGTH, 2 * srcUnits + 10);
}

/** A text prepared for translation: its sentences, each as pieces, and the whitespace between them. */
export interface TextPlan {
  empty: boolean;
  truncated: boolean;
  /** pieces[s]: the pieces of sentence s (one, unless the sentence is longer than MAX_SENTENCE_LENGTH). */
  pieces: string[][];
  /** separators[s]: the source text between sentence s and s + 1 (whitespace, line breaks). */
  separators: string[];
}

const SOFT_CUT = /[,;:]\s+/g;

/** Cuts `s` into pieces of at most `max` characters at whitespace (after `, ; :` when one lies in the second half). */
export function splitLongSentence(s: string, max = MAX_SENTENCE_LENGTH): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    for (const m of window.matchAll(SOFT_CUT)) if ((m.index ?? 0) >= max / 2) cut = (m.index ?? 0) + 1;
    if (cut < 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max - (/[\uD800-\uDBFF]/.test(rest[max - 1] ?? '') ? 1 : 0); // no space at all: a hard cut
    const piece = rest.slice(0, cut).trim();
    if (piece.length > 0) out.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim().length > 0) out.push(rest.trim());
  return out;
}

/** Splits one text into sentences and pieces (see {@link TextPlan}); blank text is `empty`. */
export function planText(text: string): TextPlan {
  if (isBlank(text)) return { empty: true, truncated: false, pieces: [], separators: [] };
  const cut = truncateText(text, MAX_TEXT_LENGTH);
  const all = segmentSentences(cut.text);
  const spans = all.slice(0, MAX_SENTENCES);
  const separators = spans.slice(1).map((s, i) => cut.text.slice((spans[i] as { end: number }).end, s.start));
  return { empty: false, truncated: cut.truncated || all.length > spans.length, pieces: spans.map((s) => splitLongSentence(s.text)), separators };
}

/** A piece as the model reads it, with what coverage needs. */
export interface SourcePiece {
  units: string[];
  ids: number[];
  /** Words with a letter (all words when none has one), and how many of them the model knows. */
  words: number;
  knownWords: number;
  /** The pieces were cut to MAX_SOURCE_UNITS. */
  truncated: boolean;
}

const HAS_LETTER = /\p{L}/u;

/**
 * Shorter words spelled out letter by letter ("Hi", "OK") are common and translated fine; only longer ones
 * signal a word the model never learned.
 */
const SPELLED_OUT_MIN_LENGTH = 3;

/** One character (a BPE end-of-word marker aside). */
function isSingleChar(unit: string): boolean {
  const u = unit.endsWith('</w>') ? unit.slice(0, -4) : unit;
  return [...u].length <= 1;
}

/**
 * Units and ids of a piece, and its coverage counts: a word is known when all its BPE subwords are in
 * the source vocabulary and it is not spelled out in single characters (words under SPELLED_OUT_MIN_LENGTH
 * characters aside).
 */
export function readPiece(piece: string, vocab: Vocab, bpe: Bpe | null | undefined): SourcePiece {
  const words = pretokenize(piece);
  const units: string[] = [];
  let letterWords = 0;
  let knownLetterWords = 0;
  let known = 0;
  for (const w of words) {
    const parts = bpe ? bpe.encodeWord(w) : [w];
    const spelledOut = parts.length >= SPELLED_OUT_MIN_LENGTH && parts.every(isSingleChar);
    const ok = parts.every((p) => vocab.has(p)) && !spelledOut;
    if (ok) known++;
    if (HAS_LETTER.test(w)) {
      letterWords++;
      if (ok) knownLetterWords++;
    }
    for (const p of parts) units.push(p);
  }
  const truncated = units.length > MAX_SOURCE_UNITS;
  const kept = truncated ? units.slice(0, MAX_SOURCE_UNITS) : units;
  return {
    units: kept, ids: vocab.encode(kept), truncated,
    words: letterWords > 0 ? letterWords : words.length, knownWords: letterWords > 0 ? knownLetterWords : known,
  };
}
