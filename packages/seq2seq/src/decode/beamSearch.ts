// Owns beam search (OpenNMT-py `BeamSearch`), batched: rows = sources x beams. Each step is a sequence of
// named parts, as OpenNMT's `advance()` / `update_finished()`: collectCandidates (the 2K best
// continuations of a source's beams), extendBeams (`<eos>` candidates become finished hypotheses, the
// others the next beams), sourceDone (the stop rule) and, at the end, bestHypotheses. Finished
// hypotheses are ranked by a length penalty chosen by name (penalties.ts); `<eos>` is blocked before
// minLength and forced at maxLength. A source stops when beamSize hypotheses have finished, or when no
// live beam can beat its nBest-th finished score any more.
import { RnnkitError } from '@rnnkit/core';
import { describeReceived } from '@rnnkit/text';
import { lengthPenalty, type ScoreFunction } from './penalties';
import type { DecodeOptions, Hypothesis, StepOutput, Stepper } from './types';

/** A live hypothesis of one source. */
export interface Beam {
  tokens: number[];
  attention: number[][];
  logProb: number;
}

/** A continuation of beam `beam` (its index among the source's beams) by `token`. */
export interface Candidate {
  score: number; // the beam's log-probability + the token's
  beam: number;
  token: number;
}

/** The beams of a source after a step, with each one's parent row and its new token (the next step's input). */
export interface Extension {
  beams: Beam[];
  parents: number[];
  tokens: number[];
}

/** {@link DecodeOptions} for beam search, checked, defaults filled in. */
export interface BeamSettings {
  beamSize: number;
  nBest: number;
  maxLength: number;
  minLength: number;
  bosId: number;
  eosId: number;
  /** The ranking score of a hypothesis (the length penalty). */
  score: ScoreFunction;
}

/** Checks `options` and fills in the defaults (beamSize 5, nBest 1, gnmt with alpha 0.6, maxLength 100). */
export function beamSettings(options: DecodeOptions): BeamSettings {
  const beamSize = options.beamSize ?? 5;
  const nBest = options.nBest ?? 1;
  if (!Number.isInteger(beamSize) || beamSize < 1 || !Number.isInteger(nBest) || nBest < 1 || nBest > beamSize) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected a positive integer beamSize >= nBest >= 1. Received: beamSize=${describeReceived(beamSize)}, nBest=${describeReceived(nBest)}`);
  }
  return {
    beamSize, nBest, maxLength: options.maxLength ?? 100, minLength: options.minLength ?? 0, bosId: options.bosId, eosId: options.eosId,
    score: lengthPenalty(options.lengthPenalty, options.alpha ?? 0.6),
  };
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

/**
 * The 2 x beamSize best continuations of one source's `beams` (rows `firstRow + k` of `out`) at step `t`,
 * best first; for equal scores the earlier beam, then the lower token. `<bos>` is never a candidate,
 * `<eos>` not before minLength; at maxLength `<eos>` is the only one. Dead beams (-Infinity) give none.
 */
export function collectCandidates(beams: readonly Beam[], firstRow: number, out: StepOutput, t: number, s: BeamSettings, vocabSize: number): Candidate[] {
  const { logProbs, top } = out;
  const { bosId, eosId, minLength, maxLength } = s;
  const cap = 2 * s.beamSize;
  const best: Candidate[] = [];
  let threshold = -Infinity; // a candidate must beat this once `best` is full (ties keep the earlier one)
  const offer = (score: number, beam: number, token: number) => {
    pushTop(best, { score, beam, token }, cap);
    if (best.length === cap) threshold = (best[cap - 1] as Candidate).score;
  };
  for (let k = 0; k < beams.length; k++) {
    const beam = beams[k] as Beam;
    if (beam.logProb === -Infinity) continue;
    const row = firstRow + k;
    if (top && t < maxLength) {
      // the row's best tokens, best first (the stepper's topK): its 2K best allowed ones (only <bos> and
      // an early <eos> are ever blocked), offered in the same order for equal scores as the full scan below
      for (let j = 0, o = row * top.k; j < top.k; j++, o++) {
        const v = top.ids[o] as number;
        const score = beam.logProb + (top.logProbs[o] as number);
        if (v < 0 || !(score > threshold)) break;
        if (v === bosId || (v === eosId && t < minLength)) continue;
        offer(score, k, v);
      }
      continue;
    }
    const [v0, v1] = t === maxLength ? [eosId, eosId + 1] : [0, vocabSize]; // only <eos> at maxLength
    for (let v = v0, o = row * vocabSize + v0; v < v1; v++, o++) {
      const score = beam.logProb + (logProbs[o] as number);
      if (!(score > threshold) || v === bosId || (v === eosId && t < minLength && t < maxLength)) continue;
      offer(score, k, v);
    }
  }
  return best;
}

/**
 * OpenNMT's `update_finished` + the beam update of `advance`: walks `candidates` best first; an `<eos>`
 * one becomes a finished hypothesis (pushed to `finished`, unfinished when forced at maxLength), the
 * others extend their beam (its attention row of `out` appended) until beamSize beams are live.
 */
export function extendBeams(candidates: readonly Candidate[], beams: readonly Beam[], firstRow: number, out: StepOutput, srcLen: number, t: number, s: BeamSettings, finished: Hypothesis[]): Extension {
  const next: Extension = { beams: [], parents: [], tokens: [] };
  for (const cand of candidates) {
    const beam = beams[cand.beam] as Beam;
    const row = firstRow + cand.beam;
    if (cand.token === s.eosId) {
      finished.push({ tokens: beam.tokens, attention: beam.attention, logProb: cand.score, score: s.score(cand.score, beam.tokens.length + 1), finished: t < s.maxLength });
    } else if (next.beams.length < s.beamSize) {
      const attention = Array.from(out.attention.subarray(row * srcLen, (row + 1) * srcLen));
      next.beams.push({ tokens: [...beam.tokens, cand.token], attention: [...beam.attention, attention], logProb: cand.score });
      next.parents.push(row);
      next.tokens.push(cand.token);
    }
    if (next.beams.length === s.beamSize) break;
  }
  return next;
}

/**
 * The stop rule of a source: no live beam left; beamSize hypotheses finished (fairseq's rule); or no
 * live beam can still beat the nBest-th finished score, even at maxLength (an exact bound, since every
 * length penalty is non-decreasing in the length for a negative log-probability).
 */
export function sourceDone(finished: readonly Hypothesis[], beams: readonly Beam[], s: BeamSettings): boolean {
  if (beams.length === 0 || finished.length >= s.beamSize) return true;
  if (finished.length < s.nBest) return false;
  const kth = finished.map((h) => h.score).sort((x, y) => y - x)[s.nBest - 1] as number;
  const bestAlive = beams.reduce((m, b) => Math.max(m, s.score(b.logProb, s.maxLength + 1)), -Infinity);
  return kth >= bestAlive;
}

/** The nBest hypotheses of a source, best first: its finished ones, topped up with live beams if too few. */
export function bestHypotheses(finished: readonly Hypothesis[], alive: readonly Beam[], s: BeamSettings): Hypothesis[] {
  const all = [...finished];
  if (all.length < s.nBest) {
    for (const beam of alive) {
      if (beam.logProb > -Infinity) all.push({ ...beam, score: s.score(beam.logProb, beam.tokens.length), finished: false });
    }
  }
  return all.sort((x, y) => y.score - x.score).slice(0, s.nBest);
}

/** A dead beam: keeps a source's block of rows beamSize wide; it never gives a candidate. */
const deadBeam = (): Beam => ({ tokens: [], attention: [], logProb: -Infinity });

/** Beam search over every row of `stepper` (each row one source); `nBest` hypotheses per source, best first. */
export function beamSearch(stepper: Stepper, options: DecodeOptions): Hypothesis[][] {
  const s = beamSettings(options);
  const K = s.beamSize;
  const B = stepper.rows;
  // one beam per source at the start (more would duplicate it): the first step runs on the B rows as
  // they come, its select expands them to K rows per source
  const alive: Beam[][] = Array.from({ length: B }, () => [{ tokens: [], attention: [], logProb: 0 }]);
  const finished: Hypothesis[][] = Array.from({ length: B }, () => []);
  // the sources still searching, in the order of their row blocks (rows li*width .. li*width+width-1); a
  // finished source's rows are dropped from the stepper, so later steps compute only the live ones
  let live = Array.from({ length: B }, (_, b) => b);
  let width = 1; // rows per live source
  let tokens = new Int32Array(B).fill(s.bosId);
  for (let t = 0; t <= s.maxLength && live.length > 0; t++) {
    const out = t < s.maxLength ? stepper.step(tokens, 2 * K + 2) : stepper.step(tokens);
    const parents: number[] = [];
    const next: number[] = [];
    const stillLive: number[] = [];
    live.forEach((b, li) => {
      const firstRow = li * width;
      const beams = alive[b] as Beam[];
      const fin = finished[b] as Hypothesis[];
      const ext = extendBeams(collectCandidates(beams, firstRow, out, t, s, stepper.vocabSize), beams, firstRow, out, stepper.srcLen, t, s, fin);
      alive[b] = ext.beams;
      if (sourceDone(fin, ext.beams, s)) return;
      stillLive.push(b);
      parents.push(...ext.parents);
      next.push(...ext.tokens);
      for (let k = ext.beams.length; k < K; k++) {
        parents.push(firstRow);
        next.push(s.eosId);
        ext.beams.push(deadBeam());
      }
    });
    live = stillLive;
    if (live.length === 0) break;
    stepper.select(Int32Array.from(parents));
    width = K;
    tokens = Int32Array.from(next);
  }
  return finished.map((fin, b) => bestHypotheses(fin, alive[b] as Beam[], s));
}
