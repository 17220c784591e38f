import { codeOf } from '../../test/errors';
import { gnmtLengthPenalty, LENGTH_PENALTIES, lengthPenalty, normalizedScore, type LengthPenaltyName } from './penalties';

describe('lengthPenalty', () => {
  it('gnmt divides by ((5 + length) / 6)^alpha, and alpha 0 leaves the log-probability', () => {
    expect(lengthPenalty('gnmt', 0.6)(-3, 7)).toBeCloseTo(-3 / (12 / 6) ** 0.6, 10);
    expect(lengthPenalty('gnmt', 0.6)(-3, 7)).toBe(normalizedScore(-3, 7, 0.6));
    expect(lengthPenalty('gnmt', 0)(-3, 7)).toBe(-3);
    expect(gnmtLengthPenalty(1, 2)).toBe(1);
  });

  it('average divides by the length (at least 1), none keeps the log-probability', () => {
    expect(lengthPenalty('average')(-3, 4)).toBe(-0.75);
    expect(lengthPenalty('average')(-3, 0)).toBe(-3);
    expect(lengthPenalty('none', 5)(-3, 40)).toBe(-3);
  });

  it('defaults to gnmt with alpha 0.6', () => {
    expect(lengthPenalty()(-2, 10)).toBe(normalizedScore(-2, 10, 0.6));
  });

  it('never lowers the score of a negative log-probability as the length grows (the stop rule relies on it)', () => {
    for (const name of LENGTH_PENALTIES) {
      const score = lengthPenalty(name, 1.5);
      for (const lp of [-0.001, -1, -37]) {
        for (let len = 0; len < 50; len++) expect(score(lp, len + 1)).toBeGreaterThanOrEqual(score(lp, len));
      }
    }
  });

  it('refuses an unknown name and a negative or non-finite alpha with INVALID_ARGUMENT', () => {
    expect(codeOf(() => lengthPenalty('wu' as LengthPenaltyName))).toBe('INVALID_ARGUMENT');
    expect(() => lengthPenalty('wu' as LengthPenaltyName)).toThrow('Expected lengthPenalty to be one of gnmt, average, none. Received: lengthPenalty=string "wu"');
    for (const alpha of [-0.1, Number.NaN, Infinity]) expect(codeOf(() => lengthPenalty('gnmt', alpha))).toBe('INVALID_ARGUMENT');
  });
});
