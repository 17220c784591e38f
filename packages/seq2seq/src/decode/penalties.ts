// Length and coverage penalties (OpenNMT-py `PenaltyBuilder`): GNMT length normalization
// lp(Y) = ((5 + |Y|) / 6)^alpha (Wu et al. 2016, eq. 14); alpha = 0 leaves scores unnormalized.

/** GNMT length penalty for a hypothesis of `length` tokens. */
export function gnmtLengthPenalty(length: number, alpha: number): number {
  return ((5 + length) / 6) ** alpha;
}

/** Average length penalty (score / length), as OpenNMT-py's `avg`. */
export function averageLengthPenalty(length: number): number {
  return Math.max(length, 1);
}

/** The normalized score beam search ranks finished hypotheses by. */
export function normalizedScore(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / gnmtLengthPenalty(length, alpha);
}
