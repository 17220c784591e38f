// Owns greedy decoding (OpenNMT-py `GreedySearch` without sampling): the most probable allowed token at
// each step (bestToken), all sources in one batch; finished rows are dropped from the stepper.
import type { DecodeOptions, Hypothesis, StepOutput, Stepper } from './types';

/** Candidates asked of the stepper per row: the best token, and room for <bos> and <eos> when blocked. */
const TOP_K = 3;

/** Greedy search over every row of `stepper` (one hypothesis per source). */
export function greedySearch(stepper: Stepper, options: DecodeOptions): Hypothesis[][] {
  const maxLength = options.maxLength ?? 100;
  const minLength = options.minLength ?? 0;
  const { eosId, bosId } = options;
  const rows = stepper.rows;
  const V = stepper.vocabSize;
  const S = stepper.srcLen;
  const hyps: Hypothesis[] = Array.from({ length: rows }, () => ({ tokens: [], logProb: 0, score: 0, attention: [], finished: false }));
  // the hypothesis of each stepper row; finished rows are dropped from the stepper (stepper.select), so
  // the later steps only compute the unfinished ones (as OpenNMT-py's GreedySearch does)
  let live = Int32Array.from({ length: rows }, (_, r) => r);
  let tokens = new Int32Array(rows).fill(bosId);
  for (let t = 0; t < maxLength && live.length > 0; t++) {
    const out = stepper.step(tokens, TOP_K);
    const { attention } = out;
    const keep: number[] = [];
    const next: number[] = [];
    for (let r = 0; r < live.length; r++) {
      const h = hyps[live[r] as number] as Hypothesis;
      const { token: best, logProb: bestLp } = bestToken(out, r, V, t, minLength, options);
      h.logProb += bestLp;
      if (best === eosId) {
        h.finished = true;
      } else {
        h.tokens.push(best);
        h.attention.push(Array.from(attention.subarray(r * S, (r + 1) * S)));
        keep.push(r);
        next.push(best);
      }
    }
    if (keep.length === 0 || t + 1 === maxLength) break;
    if (keep.length < live.length) {
      stepper.select(Int32Array.from(keep));
      live = Int32Array.from(keep, (r) => live[r] as number);
    }
    tokens = Int32Array.from(next);
  }
  for (const h of hyps) h.score = h.logProb;
  return hyps.map((h) => [h]);
}

/**
 * The most probable token of row `r` of `out` at step `t` that is allowed (not `<bos>`, not `<eos>`
 * before minLength), from the stepper's top tokens when it gave them, else by scanning the row.
 */
export function bestToken(out: StepOutput, r: number, vocabSize: number, t: number, minLength: number, options: Pick<DecodeOptions, 'bosId' | 'eosId'>): { token: number; logProb: number } {
  const { bosId, eosId } = options;
  const { logProbs, top } = out;
  // the row's best tokens, best first: the first allowed one is the argmax (<bos> and an early <eos>
  // are the only tokens ever blocked, so TOP_K = 3 always holds it unless the row has fewer tokens)
  for (let j = 0; top && j < top.k; j++) {
    const id = top.ids[r * top.k + j] as number;
    if (id < 0) break;
    if (id === bosId || (id === eosId && t < minLength)) continue;
    return { token: id, logProb: top.logProbs[r * top.k + j] as number };
  }
  let best = -1;
  let bestLp = -Infinity;
  for (let v = 0, o = r * vocabSize; v < vocabSize; v++, o++) {
    if (v === bosId || (v === eosId && t < minLength)) continue;
    const lp = logProbs[o] as number;
    if (lp > bestLp) {
      bestLp = lp;
      best = v;
    }
  }
  return { token: best, logProb: bestLp };
}
