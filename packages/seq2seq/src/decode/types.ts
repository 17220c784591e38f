// Owns the interfaces between decoding strategies and steppers (OpenNMT-py `DecodeStrategy`): a strategy
// (greedy.ts, beamSearch.ts) drives a Stepper (compositeStepper.ts, fusedStepper.ts), which scores the
// next token for every row (a source, or one beam of a source).
import type { LengthPenaltyName } from './penalties';

/**
 * Next-token scores of every row. The arrays may be views of the stepper's own memory (the fused
 * stepper's are): read them before the next `step`, `select` or `dispose`, and copy what you keep.
 */
export interface StepOutput {
  /** Log-probabilities [rows, vocabSize], row-major. */
  logProbs: Float32Array;
  /** Attention weights over the source [rows, srcLen], row-major. */
  attention: Float32Array;
  /**
   * When `step` was asked for `topK`: each row's k most probable tokens, best first (ties: lower id), as
   * ids [rows, k] and their log-probabilities [rows, k]; a row with fewer tokens above -Infinity is
   * padded with id -1. Optional: a stepper may leave it out, the strategies then scan `logProbs`.
   */
  top?: { k: number; ids: Int32Array; logProbs: Float32Array };
}

/** A decoder advanced one token at a time over `rows` parallel hypotheses. */
export interface Stepper {
  readonly rows: number;
  readonly vocabSize: number;
  readonly srcLen: number;
  /**
   * Feeds one token per row (the previous output, `<bos>` first) and scores the next one; `topK` asks for
   * {@link StepOutput.top} (a hint: the strategies need only that many candidates per row).
   */
  step(tokens: Int32Array, topK?: number): StepOutput;
  /**
   * Keeps rows `rows[i]` (in this order, repeats allowed): reorders and expands beams, and drops finished
   * rows (the strategies do, so later steps compute only the unfinished ones).
   */
  select(rows: Int32Array): void;
  dispose(): void;
}

/** Options shared by the strategies. */
export interface DecodeOptions {
  bosId: number;
  eosId: number;
  /** Most tokens generated per hypothesis, `<eos>` excluded. Default 100. */
  maxLength?: number;
  /** Fewest tokens before `<eos>` is allowed. Default 0. */
  minLength?: number;
  /** Beam search: beams per source. Default 5. */
  beamSize?: number;
  /**
   * Beam search: the length penalty finished hypotheses are ranked by (penalties.ts): 'gnmt' (Wu et al.
   * 2016, exponent `alpha`), 'average' (log-probability / length) or 'none'. Default 'gnmt'.
   */
  lengthPenalty?: LengthPenaltyName;
  /** Beam search: GNMT length-penalty alpha (0 = raw log-probability). Default 0.6. */
  alpha?: number;
  /** Beam search: hypotheses returned per source. Default 1. */
  nBest?: number;
}

/** One output hypothesis. */
export interface Hypothesis {
  /** Generated token ids, without `<bos>` and `<eos>`. */
  tokens: number[];
  /** Summed log-probability, `<eos>` included when it was generated. */
  logProb: number;
  /** The score the strategy ranked by (beam search: length-normalized). */
  score: number;
  /** Attention over the source for each token of `tokens` ([tokens.length][srcLen]). */
  attention: number[][];
  /** True when the hypothesis ended with `<eos>` (false: cut at maxLength). */
  finished: boolean;
}

/** A decoding strategy: hypotheses for each source row of the stepper (best first). */
export type DecodeStrategy = (stepper: Stepper, options: DecodeOptions) => Hypothesis[][];
