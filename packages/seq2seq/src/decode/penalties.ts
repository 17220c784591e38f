// Owns the length penalties beam search ranks finished hypotheses by, chosen by name (OpenNMT-py
// `PenaltyBuilder`): 'gnmt' lp(Y) = ((5 + |Y|) / 6)^alpha (Wu et al. 2016, eq. 14; alpha = 0 leaves
// scores unnormalized), 'average' score / |Y| (OpenNMT-py's `avg`), 'none' the raw log-probability.
import { RnnkitError } from '@rnnkit/core';
import { describeReceived } from '@rnnkit/text';

/** The length penalties by name. */
export const LENGTH_PENALTIES = ['gnmt', 'average', 'none'] as const;
export type LengthPenaltyName = (typeof LENGTH_PENALTIES)[number];

/** The score of a hypothesis of summed log-probability `logProb` and `length` tokens (`<eos>` counted). */
export type ScoreFunction = (logProb: number, length: number) => number;

/** GNMT length penalty for a hypothesis of `length` tokens. */
export function gnmtLengthPenalty(length: number, alpha: number): number {
  return ((5 + length) / 6) ** alpha;
}

/** Average length penalty (score / length), as OpenNMT-py's `avg`. */
export function averageLengthPenalty(length: number): number {
  return Math.max(length, 1);
}

/** The GNMT-normalized score (beam search's default ranking). */
export function normalizedScore(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / gnmtLengthPenalty(length, alpha);
}

/**
 * The score function of the length penalty `name` (`alpha` is GNMT's exponent, unused by the others).
 * Each is non-decreasing in the length for a negative log-probability, which beam search's stop rule
 * relies on. INVALID_ARGUMENT for an unknown name or a negative or non-finite alpha.
 */
export function lengthPenalty(name: LengthPenaltyName = 'gnmt', alpha = 0.6): ScoreFunction {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected alpha to be a number >= 0. Received: alpha=${describeReceived(alpha)}`);
  }
  switch (name) {
    case 'gnmt':
      return (logProb, length) => normalizedScore(logProb, length, alpha);
    case 'average':
      return (logProb, length) => logProb / averageLengthPenalty(length);
    case 'none':
      return (logProb) => logProb;
    default:
      throw new RnnkitError('INVALID_ARGUMENT', `Expected lengthPenalty to be one of ${LENGTH_PENALTIES.join(', ')}. Received: lengthPenalty=${describeReceived(name)}`);
  }
}
