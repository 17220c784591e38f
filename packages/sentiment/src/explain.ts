// Per-token explanations by occlusion: drop each token in turn and measure how much the probability of
// the predicted class falls (positive contribution = the token supports the decision).
import type { Vocab } from '@rnnkit/text';
import { readText, type Prediction } from './textInput';

/** One token's share in the decision. */
export interface TokenContribution {
  token: string;
  /** p(predicted class | text) - p(predicted class | text without this token). */
  contribution: number;
  /** The same in log-odds of the predicted class: still informative when the probability is saturated near 1. */
  logOdds: number;
  /** The token is not in the model's vocabulary. */
  unknown: boolean;
}

/** What `explain` returns: the prediction and each token's contribution. */
export interface Explanation extends Prediction {
  tokens: TokenContribution[];
}

/** What occlusion needs from a classifier. */
export interface Explainable {
  readonly labels: readonly string[];
  readonly vocab: Vocab;
  readonly preprocessor: { tokenize(text: string): { tokens: string[]; truncated: boolean } };
  probabilities(seqs: readonly number[][]): Float32Array;
}

/**
 * Occlusion explanation of one text: one batched forward pass over the text and its n one-token-shorter
 * variants (n at most the preprocessor's maxLength). The text is read as `predict` reads it (cut to
 * MAX_TEXT_LENGTH, coverage measured); empty text is the caller's case.
 */
export function explainWithOcclusion(model: Explainable, text: string): Explanation {
  const vocab = model.vocab;
  const { tokens, ids: full, ...flags } = readText(text, model.preprocessor, vocab);
  const ids = full.slice(0, tokens.length);
  const variants = [full, ...ids.map((_, i) => { const v = [...ids.slice(0, i), ...ids.slice(i + 1)]; return v.length > 0 ? v : [vocab.unkId]; })];
  const k = model.labels.length;
  const probs = model.probabilities(variants);
  let best = 0;
  const scores: Record<string, number> = {};
  model.labels.forEach((l, c) => {
    scores[l] = probs[c] as number;
    if ((probs[c] as number) > (probs[best] as number)) best = c;
  });
  const base = probs[best] as number;
  const logit = (p: number) => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));
  return {
    label: model.labels[best] as string,
    confidence: base,
    scores,
    ...flags,
    tokens: tokens.map((token, i) => {
      const without = probs[(i + 1) * k + best] as number;
      return { token, contribution: base - without, logOdds: logit(base) - logit(without), unknown: ids[i] === vocab.unkId };
    }),
  };
}
