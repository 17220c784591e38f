// Greedy decoding: the most probable token at each step, all sources in one batch.
import type { DecodeOptions, Hypothesis, Stepper } from './types';

/** Greedy search over every row of `stepper` (one hypothesis per source). */
export function greedySearch(stepper: Stepper, options: DecodeOptions): Hypothesis[][] {
  const maxLength = options.maxLength ?? 100;
  const minLength = options.minLength ?? 0;
  const { eosId, bosId } = options;
  const rows = stepper.rows;
  const V = stepper.vocabSize;
  const S = stepper.srcLen;
  const hyps: Hypothesis[] = Array.from({ length: rows }, () => ({ tokens: [], logProb: 0, score: 0, attention: [], finished: false }));
  let tokens = new Int32Array(rows).fill(bosId);
  for (let t = 0; t < maxLength && hyps.some((h) => !h.finished); t++) {
    const { logProbs, attention } = stepper.step(tokens);
    const next = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const h = hyps[r] as Hypothesis;
      if (h.finished) {
        next[r] = eosId;
        continue;
      }
      let best = -1;
      let bestLp = -Infinity;
      for (let v = 0; v < V; v++) {
        if (v === bosId || (v === eosId && t < minLength)) continue;
        const lp = logProbs[r * V + v] as number;
        if (lp > bestLp) {
          bestLp = lp;
          best = v;
        }
      }
      h.logProb += bestLp;
      if (best === eosId) {
        h.finished = true;
      } else {
        h.tokens.push(best);
        h.attention.push(Array.from(attention.subarray(r * S, (r + 1) * S)));
      }
      next[r] = best;
    }
    tokens = next;
  }
  for (const h of hyps) h.score = h.logProb;
  return hyps.map((h) => [h]);
}
