import { classificationMetrics } from './metrics';

describe('classificationMetrics', () => {
  it('matches hand-computed precision, recall, F1 and the confusion matrix', () => {
    // gold:      a a a b b c
    // predicted: a a b b c c
    const ev = classificationMetrics([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ['a', 'b', 'c']);
    expect(ev.accuracy).toBeCloseTo(4 / 6, 10);
    expect(ev.confusion).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    expect(ev.perClass.a).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(ev.perClass.b?.precision).toBeCloseTo(0.5, 10);
    expect(ev.perClass.c?.f1).toBeCloseTo(2 / 3, 10);
    expect(ev.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
  });

  it('gives 0 (not NaN) for a class never predicted or absent', () => {
    const ev = classificationMetrics([0, 0], [0, 0], ['x', 'y']);
    expect(ev.perClass.y).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});
