import { codeOf } from '../../test/errors';
import { beamSearch } from './beamSearch';
import { greedySearch } from './greedy';
import { createDecoder, type StrategyName } from './strategy';
import { BOS, EOS, TableStepper } from './testing/tableStepper';
import type { LengthPenaltyName } from './penalties';

const ln = Math.log;
const ids = { bosId: BOS, eosId: EOS };
// greedy takes a (0.6) then a dead end; beam search keeps b (0.4) whose continuation is certain
const table = { '': { 3: ln(0.6), 4: ln(0.4) }, '3': { 3: ln(0.3), 4: ln(0.3), 5: ln(0.4) }, '4': { 5: ln(1) }, '3,5': { [EOS]: ln(1) }, '4,5': { [EOS]: ln(1) } };

describe('createDecoder', () => {
  it('is greedy search for beamSize 1 (the default) and beam search above', () => {
    expect(createDecoder(ids)(new TableStepper(table))).toEqual(greedySearch(new TableStepper(table), ids));
    expect(createDecoder({ ...ids, beamSize: 2 })(new TableStepper(table))[0]?.[0]?.tokens).toEqual([4, 5]);
    expect(createDecoder({ ...ids, beamSize: 2, strategy: 'greedy' })(new TableStepper(table))[0]?.[0]?.tokens).toEqual([3, 5]);
    expect(createDecoder({ strategy: 'beamSearch', beamSize: 1 })(new TableStepper(table), ids)).toEqual(beamSearch(new TableStepper(table), { ...ids, beamSize: 1 }));
  });

  it('passes the length penalty to beam search by name', () => {
    // "a <eos>": ln .25 over 2 tokens; "b c c <eos>": ln(.5 * .343) over 4: the raw score prefers the short one, the average the long one
    const t = { '': { 3: ln(0.5), 4: ln(0.5) }, '3': { [EOS]: ln(0.5), 5: ln(0.1) }, '4': { 5: ln(0.7) }, '4,5': { 5: ln(0.7) }, '4,5,5': { [EOS]: ln(0.7) } };
    const run = (lengthPenalty: LengthPenaltyName) => createDecoder({ beamSize: 3, lengthPenalty })(new TableStepper(t), ids)[0]?.[0];
    expect(run('none')?.tokens).toEqual([3]);
    const avg = run('average');
    expect(avg?.tokens).toEqual([4, 5, 5]);
    expect(avg?.score).toBeCloseTo(avg!.logProb / 4, 6);
  });

  it('takes per-call options over the spec (the translator sets maxLength per batch)', () => {
    const decode = createDecoder({ ...ids, maxLength: 1 });
    expect(decode(new TableStepper(table))[0]?.[0]?.tokens).toEqual([3]);
    expect(decode(new TableStepper(table), { maxLength: 5 })[0]?.[0]?.tokens).toEqual([3, 5]);
  });

  it('checks its settings when created, and the token ids when called, with INVALID_ARGUMENT', () => {
    expect(codeOf(() => createDecoder({ strategy: 'sampling' as StrategyName }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createDecoder({ strategy: 'toString' as StrategyName }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createDecoder({ lengthPenalty: 'wu' as LengthPenaltyName }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createDecoder({ alpha: -1 }))).toBe('INVALID_ARGUMENT');
    for (const bad of [{ beamSize: 0 }, { beamSize: 2.5 }, { beamSize: 2, nBest: 3 }, { beamSize: 2, nBest: 0 }]) {
      expect(codeOf(() => createDecoder({ strategy: 'beamSearch', ...bad }))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => createDecoder()(new TableStepper(table)))).toBe('INVALID_ARGUMENT');
  });
});
