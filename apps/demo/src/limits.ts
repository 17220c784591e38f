// Input limits: the page cuts long input (with a notice) before it reaches the models, so a pasted
// novel can never keep the worker busy for minutes.

/** Longest English sentence sent to the translator, in characters (the model learned from short sentences). */
export const MAX_TRANSLATE_CHARS = 200;
/** Longest text sent to the sentiment classifier, in characters (the model reads at most 100 tokens). */
export const MAX_SENTIMENT_CHARS = 1000;

export interface CappedText {
  text: string;
  /** Characters (code points) of the input before cutting. */
  length: number;
  cut: boolean;
}

/** The first `max` code points of `input` (never half a surrogate pair), trimmed; `cut` when something was dropped. */
export function capText(input: string, max: number): CappedText {
  const chars = Array.from(input.trim());
  if (chars.length <= max) return { text: chars.join(''), length: chars.length, cut: false };
  let kept = chars.slice(0, max).join('');
  // end at a word boundary when one is near, so the last word is not cut in half
  const space = kept.lastIndexOf(' ');
  if (space >= max * 0.8) kept = kept.slice(0, space);
  return { text: kept.trimEnd(), length: chars.length, cut: true };
}

/** Length of `input` in code points (what the counters show). */
export function charCount(input: string): number {
  return Array.from(input).length;
}
