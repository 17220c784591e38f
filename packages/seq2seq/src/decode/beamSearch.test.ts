import { beamSearch, beamSettings, bestHypotheses, collectCandidates, extendBeams, sourceDone, type Beam } from './beamSearch';
import { greedySearch } from './greedy';
import { gnmtLengthPenalty } from './penalties';
import { BOS, EOS, TableStepper, V, type Table } from './testing/tableStepper';
import type { Hypothesis, StepOutput } from './types';

const ln = Math.log;
const opts = { bosId: BOS, eosId: EOS };

describe('beamSearch', () => {
  it('finds the sequence greedy search misses', () => {
    // greedy takes a (0.6) then a dead end; beam keeps b (0.4) whose continuation is certain
    const table = { '': { 3: ln(0.6), 4: ln(0.4) }, '3': { 3: ln(0.3), 4: ln(0.3), 5: ln(0.4) }, '4': { 5: ln(1) }, '3,5': { [EOS]: ln(1) }, '4,5': { [EOS]: ln(1) } };
    expect(greedySearch(new TableStepper(table), opts)[0]?.[0]?.tokens).toEqual([3, 5]);
    const best = beamSearch(new TableStepper(table), { ...opts, beamSize: 2, alpha: 0 })[0]?.[0];
    expect(best?.tokens).toEqual([4, 5]);
    expect(best?.logProb).toBeCloseTo(ln(0.4), 5);
  });

  it('with beam size 1 equals greedy search', () => {
    const table = { '': { 3: ln(0.6), 4: ln(0.4) }, '3': { 3: ln(0.3), 4: ln(0.3), 5: ln(0.4) }, '4': { 5: ln(1) }, '3,5': { [EOS]: 0 } };
    expect(beamSearch(new TableStepper(table), { ...opts, beamSize: 1 })[0]?.[0]?.tokens).toEqual([3, 5]);
  });

  it('prefers the short hypothesis without length normalization and the long one with a large alpha', () => {
    // "a <eos>" = 0.5 * 0.5 (2 tokens); "b c c <eos>" = 0.5 * 0.7^3 (4 tokens)
    const table = { '': { 3: ln(0.5), 4: ln(0.5) }, '3': { [EOS]: ln(0.5), 5: ln(0.1) }, '4': { 5: ln(0.7) }, '4,5': { 5: ln(0.7) }, '4,5,5': { [EOS]: ln(0.7) } };
    // a<eos> = ln .25 = -1.386; b c c <eos> = ln(.5*.343) = -1.765
    expect(beamSearch(new TableStepper(table), { ...opts, beamSize: 3, alpha: 0, nBest: 1 })[0]?.[0]?.tokens).toEqual([3]);
    const long = beamSearch(new TableStepper(table), { ...opts, beamSize: 3, alpha: 2, nBest: 1 })[0]?.[0];
    expect(long?.tokens).toEqual([4, 5, 5]);
    expect(long?.score).toBeCloseTo(long!.logProb / gnmtLengthPenalty(4, 2), 5);
  });

  it('blocks <eos> before minLength', () => {
    const table = { '': { [EOS]: ln(0.9), 3: ln(0.1) }, '3': { [EOS]: 0 } };
    expect(beamSearch(new TableStepper(table), { ...opts, beamSize: 2 })[0]?.[0]?.tokens).toEqual([]);
    expect(beamSearch(new TableStepper(table), { ...opts, beamSize: 2, minLength: 1 })[0]?.[0]?.tokens).toEqual([3]);
  });

  it('stops at maxLength and marks the hypothesis unfinished', () => {
    const table: Record<string, Record<number, number>> = {};
    let prefix: number[] = [];
    for (let i = 0; i < 10; i++) {
      table[prefix.join(',')] = { 3: ln(0.9), [EOS]: ln(0.1) };
      prefix = [...prefix, 3];
    }
    const h = beamSearch(new TableStepper(table), { ...opts, beamSize: 1, maxLength: 3, minLength: 5 })[0]?.[0];
    expect(h?.tokens).toEqual([3, 3, 3]);
    expect(h?.finished).toBe(false);
  });

  it('returns nBest hypotheses sorted by score, with one attention row per token', () => {
    const table = { '': { 3: ln(0.5), 4: ln(0.3), 5: ln(0.2) } };
    const hyps = beamSearch(new TableStepper(table), { ...opts, beamSize: 3, nBest: 3, alpha: 0 })[0] ?? [];
    expect(hyps.map((h) => h.tokens)).toEqual([[3], [4], [5]]);
    for (const h of hyps) expect(h.attention).toEqual([[1, 0]]);
  });

  it('decodes a batch of sources independently', () => {
    const table = { '': { 3: ln(0.6), 4: ln(0.4) }, '3': { 3: ln(0.3), 4: ln(0.3), 5: ln(0.4) }, '4': { 5: 0 }, '3,5': { [EOS]: 0 }, '4,5': { [EOS]: 0 } };
    const out = beamSearch(new TableStepper(table, 3), { ...opts, beamSize: 2, alpha: 0 });
    expect(out.map((h) => h[0]?.tokens)).toEqual([[4, 5], [4, 5], [4, 5]]);
  });

  it('steps one row per source first, then beamSize rows, and drops the rows of finished sources', () => {
    // source 0 ends after one token, source 1 after three
    const tables: Table[] = [{ '': { 3: ln(0.9), 4: ln(0.1) } }, { '': { 4: 0 }, '4': { 4: 0 }, '4,4': { 5: 0 } }];
    const stepper = new TableStepper(tables, 2);
    const out = beamSearch(stepper, { ...opts, beamSize: 2, alpha: 0 });
    expect(out.map((h) => h[0]?.tokens)).toEqual([[3], [4, 4, 5]]);
    expect(stepper.stepRows).toEqual([2, 4, 2, 2]);
  });
});

describe('beam search steps', () => {
  // two beams of one source, rows 0 and 1 of a step output over the 6-token table vocabulary
  const beams: Beam[] = [{ tokens: [3], attention: [[1, 0]], logProb: ln(0.5) }, { tokens: [4], attention: [[0, 1]], logProb: ln(0.25) }];
  const rowProbs = [[0, 0.05, 0.4, 0.3, 0.2, 0.04], [0, 0.5, 0.1, 0.1, 0.1, 0.2]];
  const out = (withTop = false): StepOutput => {
    const o: StepOutput = { logProbs: Float32Array.from(rowProbs.flat(), ln), attention: Float32Array.from([0.3, 0.7, 0.6, 0.4]) };
    if (!withTop) return o;
    const k = V;
    const ids = Int32Array.from(rowProbs.flatMap((p) => p.map((_, v) => v).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b)));
    return { ...o, top: { k, ids, logProbs: Float32Array.from(ids, (v, i) => ln(rowProbs[Math.floor(i / k)]?.[v] as number)) } };
  };
  const settings = (over: Partial<Parameters<typeof beamSettings>[0]> = {}) => beamSettings({ bosId: BOS, eosId: EOS, beamSize: 2, alpha: 0, ...over });
  const fmt = (cs: ReturnType<typeof collectCandidates>) => cs.map((c) => [c.beam, c.token]);

  it('collectCandidates keeps the 2K best continuations, best first, and never <bos>', () => {
    const cs = collectCandidates(beams, 0, out(), 1, settings(), V);
    // scores: beam 0: eos .2, a .15, b .1, c .02; beam 1: c .05, a/b/eos .025 (bos .125 blocked)
    expect(fmt(cs)).toEqual([[0, EOS], [0, 3], [0, 4], [1, 5]]);
    expect(cs[0]?.score).toBeCloseTo(ln(0.2), 6);
    expect(fmt(collectCandidates(beams, 0, out(true), 1, settings(), V))).toEqual(fmt(cs)); // the stepper's top tokens give the same
  });

  it('collectCandidates blocks <eos> before minLength, offers only <eos> at maxLength and skips dead beams', () => {
    expect(fmt(collectCandidates(beams, 0, out(), 1, settings({ minLength: 2 }), V))).toEqual([[0, 3], [0, 4], [1, 5], [1, 3]]);
    expect(fmt(collectCandidates(beams, 0, out(), 3, settings({ maxLength: 3, minLength: 9 }), V))).toEqual([[0, EOS], [1, EOS]]);
    const dead: Beam = { tokens: [], attention: [], logProb: -Infinity };
    expect(fmt(collectCandidates([dead, beams[1] as Beam], 0, out(), 1, settings(), V))).toEqual([[1, 5], [1, 2], [1, 3], [1, 4]]);
  });

  it('extendBeams finishes <eos> candidates and extends the others until beamSize beams live', () => {
    const finished: Hypothesis[] = [];
    const s = settings({ lengthPenalty: 'average' });
    const ext = extendBeams(collectCandidates(beams, 0, out(), 1, s, V), beams, 0, out(), 2, 1, s, finished);
    expect(finished).toEqual([{ tokens: [3], attention: [[1, 0]], logProb: expect.closeTo(ln(0.2), 6), score: expect.closeTo(ln(0.2) / 2, 6), finished: true }]);
    expect(ext.beams.map((b) => b.tokens)).toEqual([[3, 3], [3, 4]]);
    expect(ext.beams[0]?.attention).toEqual([[1, 0], [expect.closeTo(0.3, 6), expect.closeTo(0.7, 6)]]);
    expect(ext.parents).toEqual([0, 0]);
    expect(ext.tokens).toEqual([3, 4]);
  });

  it('sourceDone stops at beamSize finished, or when no live beam can beat the nBest-th finished score', () => {
    const s = settings({ maxLength: 10 });
    const hyp = (score: number): Hypothesis => ({ tokens: [], attention: [], logProb: score, score, finished: true });
    expect(sourceDone([], [], s)).toBe(true);
    expect(sourceDone([hyp(-9), hyp(-9)], beams, s)).toBe(true);
    expect(sourceDone([hyp(-0.1)], beams, s)).toBe(true); // live beams are at ln .5 already
    expect(sourceDone([hyp(-1)], beams, s)).toBe(false);
    expect(sourceDone([hyp(-0.1)], beams, settings({ maxLength: 10, nBest: 2 }))).toBe(false);
  });

  it('bestHypotheses tops up too few finished hypotheses with live beams, best first', () => {
    const s = settings({ nBest: 2 });
    const fin: Hypothesis = { tokens: [5], attention: [[1, 0]], logProb: -2, score: -2, finished: true };
    const best = bestHypotheses([fin], beams, s);
    expect(best.map((h) => [h.tokens, h.finished])).toEqual([[[3], false], [[4], false]]);
    expect(bestHypotheses([fin], beams, settings()).map((h) => h.tokens)).toEqual([[5]]);
  });
});
