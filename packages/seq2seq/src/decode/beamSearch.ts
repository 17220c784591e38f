// Beam search (OpenNMT-py `BeamSearch`), batched: rows = sources x beams. Finished hypotheses are ranked
// by GNMT length-normalized log-probability; `<eos>` is blocked before minLength and forced at maxLength.
// A source stops when beamSize hypotheses have finished, or when no live beam can beat its nBest-th
// finished score any more.
import { RnnkitError } from '@rnnkit/core';
import { normalizedScore } from './penalties';
import type { DecodeOptions, Hypothesis, Stepper } from './types';

interface Beam {
  tokens: number[];
  attention: number[][];
  logProb: number;
}

interface Candidate {
  score: number;
  beam: number;
  token: number;
}

/** Inserts `c` into `top` (sorted by descending score), keeping at most `n`. */
function pushTop(top: Candidate[], c: Candidate, n: number): void {
  if (top.length === n && (top[n - 1] as Candidate).score >= c.score) return;
  let i = top.length;
  top.push(c);
  while (i > 0 && (top[i - 1] as Candidate).score < c.score) {
    top[i] = top[i - 1] as Candidate;
    i--;
  }
  top[i] = c;
  if (top.length > n) top.pop();
}

/** Beam search over every row of `stepper` (each row one source); `nBest` hypotheses per source, best first. */
export function beamSearch(stepper: Stepper, options: DecodeOptions): Hypothesis[][] {
  const K = options.beamSize ?? 5;
  const nBest = options.nBest ?? 1;
  const alpha = options.alpha ?? 0.6;
  const maxLength = options.maxLength ?? 100;
  const minLength = options.minLength ?? 0;
  const { bosId, eosId } = options;
  if (!Number.isInteger(K) || K < 1 || nBest > K) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected a positive integer beamSize >= nBest. Received: beamSize=${K}, nBest=${nBest}`);
  }
  const B = stepper.rows;
  const V = stepper.vocabSize;
  const S = stepper.srcLen;
  // one beam per source at the start (more would duplicate it): the first step runs on the B rows as
  // they come, its select expands them to K rows per source
  const alive: Beam[][] = Array.from({ length: B }, () => [{ tokens: [], attention: [], logProb: 0 }]);
  const finished: Hypothesis[][] = Array.from({ length: B }, () => []);
  // the sources still searching, in the order of their row blocks (rows li*width .. li*width+width-1); a
  // finished source's rows are dropped from the stepper, so later steps compute only the live ones
  let live = Array.from({ length: B }, (_, b) => b);
  let width = 1; // rows per live source
  let tokens = new Int32Array(B).fill(bosId);
  const bound = (lp: number) => normalizedScore(lp, maxLength + 1, alpha); // best a live beam can still reach
  const cap = 2 * K;
  for (let t = 0; t <= maxLength && live.length > 0; t++) {
    const { logProbs, attention, top } = t < maxLength ? stepper.step(tokens, cap + 2) : stepper.step(tokens);
    const parents: number[] = [];
    const next: number[] = [];
    const stillLive: number[] = [];
    for (let li = 0; li < live.length; li++) {
      const b = live[li] as number;
      const beams = alive[b] as Beam[];
      const newBeams: Beam[] = [];
      const top2k: Candidate[] = [];
      let threshold = -Infinity; // a candidate must beat this once `top2k` is full (ties keep the earlier one)
      for (let k = 0; k < beams.length; k++) {
        const beam = beams[k] as Beam;
        if (beam.logProb === -Infinity) continue;
        const row = li * width + k;
        if (top && t < maxLength) {
          // the row's 2K + 2 best tokens, best first: its 2K best allowed ones (only <bos> and an early
          // <eos> are ever blocked), offered in the same order for equal scores as the full scan below
          for (let j = 0, o = row * top.k; j < top.k; j++, o++) {
            const v = top.ids[o] as number;
            const score = beam.logProb + (top.logProbs[o] as number);
            if (v < 0 || !(score > threshold)) break;
            if (v === bosId || (v === eosId && t < minLength)) continue;
            pushTop(top2k, { score, beam: k, token: v }, cap);
            if (top2k.length === cap) threshold = (top2k[cap - 1] as Candidate).score;
          }
          continue;
        }
        const [v0, v1] = t === maxLength ? [eosId, eosId + 1] : [0, V]; // only <eos> at maxLength
        for (let v = v0, o = row * V + v0; v < v1; v++, o++) {
          const score = beam.logProb + (logProbs[o] as number);
          if (!(score > threshold) || v === bosId || (v === eosId && t < minLength && t < maxLength)) continue;
          pushTop(top2k, { score, beam: k, token: v }, cap);
          if (top2k.length === cap) threshold = (top2k[cap - 1] as Candidate).score;
        }
      }
      for (const cand of top2k) {
        const beam = beams[cand.beam] as Beam;
        const row = li * width + cand.beam;
        if (cand.token === eosId) {
          const len = beam.tokens.length + 1;
          finished[b]?.push({ tokens: beam.tokens, attention: beam.attention, logProb: cand.score, score: normalizedScore(cand.score, len, alpha), finished: t < maxLength });
        } else if (newBeams.length < K) {
          parents.push(row);
          next.push(cand.token);
          newBeams.push({ tokens: [...beam.tokens, cand.token], attention: [...beam.attention, Array.from(attention.subarray(row * S, (row + 1) * S))], logProb: cand.score });
        }
        if (newBeams.length === K) break;
      }
      const fin = finished[b] as Hypothesis[];
      const bestAlive = newBeams.reduce((m, h) => Math.max(m, bound(h.logProb)), -Infinity);
      // stop when beamSize hypotheses have finished (fairseq's rule), or earlier when no live beam can
      // still beat the nBest-th finished score even at maxLength (an exact bound)
      const kth = fin.length >= nBest ? fin.map((h) => h.score).sort((x, y) => y - x)[nBest - 1] as number : -Infinity;
      const done = newBeams.length === 0 || fin.length >= K || (fin.length >= nBest && kth >= bestAlive);
      if (done) {
        parents.length -= newBeams.length;
        next.length -= newBeams.length;
      } else {
        stillLive.push(b);
        for (let k = newBeams.length; k < K; k++) {
          parents.push(li * width);
          next.push(eosId);
          newBeams.push({ tokens: [], attention: [], logProb: -Infinity });
        }
      }
      alive[b] = newBeams;
    }
    live = stillLive;
    if (live.length === 0) break;
    stepper.select(Int32Array.from(parents));
    width = K;
    tokens = Int32Array.from(next);
  }
  return finished.map((fin, b) => {
    const all = [...fin];
    if (all.length < nBest) {
      for (const beam of alive[b] as Beam[]) {
        if (beam.logProb > -Infinity) all.push({ ...beam, score: normalizedScore(beam.logProb, beam.tokens.length, alpha), finished: false });
      }
    }
    return all.sort((x, y) => y.score - x.score).slice(0, nBest);
  });
}
