import { greedySearch } from './greedy';
import { BOS, EOS, TableStepper, type Table } from './testing/tableStepper';

const opts = { bosId: BOS, eosId: EOS };

describe('greedySearch', () => {
  it('drops finished rows from the stepper and keeps each hypothesis with its source', () => {
    const tables: Table[] = [{ '': { 3: 0 }, '3': { 4: 0 } }, { '': { 5: 0 } }, { '': { 4: 0 }, '4': { 4: 0 }, '4,4': { 3: 0 } }];
    const stepper = new TableStepper(tables, 3);
    const out = greedySearch(stepper, opts);
    expect(out.map((h) => h[0]?.tokens)).toEqual([[3, 4], [5], [4, 4, 3]]);
    expect(out.map((h) => h[0]?.attention.length)).toEqual([2, 1, 3]);
    expect(stepper.stepRows).toEqual([3, 3, 2, 1]);
  });

  it('cuts hypotheses at maxLength, unfinished', () => {
    const table = { '': { 3: 0 }, '3': { 3: 0 }, '3,3': { 3: 0 } };
    const h = greedySearch(new TableStepper(table, 2), { ...opts, maxLength: 2 });
    expect(h.map((x) => [x[0]?.tokens, x[0]?.finished])).toEqual([[[3, 3], false], [[3, 3], false]]);
  });
});
