// How a classifier reads one text under the library's input contract: bounded length, the empty case,
// and how much of the text the model knows (`coverage` / `lowCoverage`).
import { coverageOf, truncateText, unseenLetterShare, vocabCharacters, type Vocab } from '@rnnkit/text';

/**
 * Longest text, in UTF-16 code units, a classifier reads; the rest is ignored and the result says
 * `truncated: true`. The network itself reads at most `preprocess.maxLength` tokens (100 by default),
 * so 5,000 characters (about 900 English words) keeps the tokenizer's time and memory bounded without
 * changing any prediction of a text the network could read whole.
 */
export const MAX_TEXT_LENGTH = 5_000;

/** What the input contract adds to every result. */
export interface TextFlags {
  /** Share (0..1) of the text's tokens in the model's vocabulary; 0 for empty text. */
  coverage: number;
  /**
   * True when `coverage` is below 0.5 (`LOW_COVERAGE_THRESHOLD` of @rnnkit/text) or most letters are in
   * characters no vocabulary word contains (another script): the result says little. False for empty text.
   */
  lowCoverage: boolean;
  /** Empty or whitespace-only text: no model call, a neutral result (label '', confidence 0, uniform scores). */
  empty: boolean;
  /**
   * The text was longer than {@link MAX_TEXT_LENGTH} characters or had more tokens than the network reads
   * (`preprocess.maxLength`): only the beginning was used.
   */
  truncated: boolean;
}

/** One prediction. `scores` holds every label's probability; {@link TextFlags} say how far to trust it. */
export interface Prediction extends TextFlags {
  label: string;
  confidence: number;
  scores: Record<string, number>;
}

/** A text as the network sees it, with its flags. `ids` has at least one id (`<unk>` for no tokens). */
export interface ReadText extends TextFlags {
  tokens: string[];
  ids: number[];
}

/** Reads a (non-empty) text: cut to {@link MAX_TEXT_LENGTH}, tokenized, encoded, its coverage measured. */
export function readText(text: string, preprocessor: { tokenize(text: string): { tokens: string[]; truncated: boolean } }, vocab: Vocab): ReadText {
  const cut = truncateText(text, MAX_TEXT_LENGTH);
  const { tokens, truncated } = preprocessor.tokenize(cut.text);
  const ids = vocab.encode(tokens);
  const known = ids.reduce((n, id) => n + (id === vocab.unkId ? 0 : 1), 0);
  return {
    tokens,
    ids: ids.length > 0 ? ids : [vocab.unkId],
    ...coverageOf(known, tokens.length, unseenLetterShare(tokens, vocabCharacters(vocab))),
    empty: false,
    truncated: cut.truncated || truncated,
  };
}

/** The result for empty text: no label, confidence 0, every label equally likely. */
export function emptyResult(labels: readonly string[]): { label: string; confidence: number; scores: Record<string, number> } & TextFlags {
  const scores: Record<string, number> = {};
  for (const l of labels) scores[l] = 1 / labels.length;
  return { label: '', confidence: 0, scores, coverage: 0, lowCoverage: false, empty: true, truncated: false };
}
