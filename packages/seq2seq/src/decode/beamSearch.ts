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
  stepper.select(Int32Array.from({ length: B * K }, (_, i) => Math.floor(i / K)));
  // only the first beam of each source is alive at the start (the others would duplicate it)
  let alive: Beam[][] = Array.from({ length: B }, () => Array.from({ length: K }, (_, k) => ({ tokens: [], attention: [], logProb: k === 0 ? 0 : -Infinity })));
  const finished: Hypothesis[][] = Array.from({ length: B }, () => []);
  const done = new Array<boolean>(B).fill(false);
  let tokens = new Int32Array(B * K).fill(bosId);
  const bound = (lp: number) => normalizedScore(lp, maxLength + 1, alpha); // best a live beam can still reach
  for (let t = 0; t <= maxLength && done.includes(false); t++) {
    const { logProbs, attention } = stepper.step(tokens);
    const parents = new Int32Array(B * K);
    const next = new Int32Array(B * K).fill(eosId);
    const nextAlive: Beam[][] = [];
    for (let b = 0; b < B; b++) {
      const beams = alive[b] as Beam[];
      const newBeams: Beam[] = [];
      if (!done[b]) {
        const top: Candidate[] = [];
        for (let k = 0; k < K; k++) {
          const beam = beams[k] as Beam;
          if (beam.logProb === -Infinity) continue;
          const row = b * K + k;
          for (let v = 0; v < V; v++) {
            if (v === bosId || (v === eosId && t < minLength && t < maxLength) || (v !== eosId && t === maxLength)) continue;
            const score = beam.logProb + (logProbs[row * V + v] as number);
            if (score > -Infinity) pushTop(top, { score, beam: k, token: v }, 2 * K);
          }
        }
        for (const cand of top) {
          const beam = beams[cand.beam] as Beam;
          const row = b * K + cand.beam;
          if (cand.token === eosId) {
            const len = beam.tokens.length + 1;
            finished[b]?.push({ tokens: beam.tokens, attention: beam.attention, logProb: cand.score, score: normalizedScore(cand.score, len, alpha), finished: t < maxLength });
          } else if (newBeams.length < K) {
            parents[b * K + newBeams.length] = row;
            next[b * K + newBeams.length] = cand.token;
            newBeams.push({ tokens: [...beam.tokens, cand.token], attention: [...beam.attention, Array.from(attention.subarray(row * S, (row + 1) * S))], logProb: cand.score });
          }
          if (newBeams.length === K) break;
        }
        const fin = finished[b] as Hypothesis[];
        const bestAlive = newBeams.reduce((m, h) => Math.max(m, bound(h.logProb)), -Infinity);
        // stop when beamSize hypotheses have finished (fairseq's rule), or earlier when no live beam can
        // still beat the nBest-th finished score even at maxLength (an exact bound)
        const kth = fin.length >= nBest ? fin.map((h) => h.score).sort((x, y) => y - x)[nBest - 1] as number : -Infinity;
        if (newBeams.length === 0 || fin.length >= K || (fin.length >= nBest && kth >= bestAlive)) done[b] = true;
      }
      for (let k = newBeams.length; k < K; k++) {
        parents[b * K + k] = b * K;
        newBeams.push({ tokens: [], attention: [], logProb: -Infinity });
      }
      nextAlive.push(newBeams);
    }
    alive = nextAlive;
    if (!done.includes(false)) break;
    stepper.select(parents);
    tokens = next;
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
