import { beamSearch } from './beamSearch';
import { greedySearch } from './greedy';
import { gnmtLengthPenalty } from './penalties';
import { BOS, EOS, TableStepper, type Table } from './testing/tableStepper';

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
