import { corpusChrf } from '../scripts/chrf';

// Expected values from sacreBLEU 2.6.0: CHRF().corpus_score(hyps, [refs]).score
describe('corpusChrf', () => {
  it('matches sacreBLEU chrF2 on a small corpus', () => {
    const hyps = ['Le chat est assis sur le tapis.', 'Je ne sais pas quoi faire.', 'Où est la gare ?'];
    const refs = ['Le chat était assis sur le tapis.', 'Je ne sais pas que faire.', 'Où se trouve la gare ?'];
    expect(corpusChrf(hyps, refs)).toBeCloseTo(66.7333025885006, 6);
  });

  it('is 100 for identical text and 0 without a shared character', () => {
    expect(corpusChrf(['Bonjour à tous'], ['Bonjour à tous'])).toBeCloseTo(100, 9);
    expect(corpusChrf(['abc'], ['xyz'])).toBe(0);
  });

  it('refuses hypotheses and references of different lengths', () => {
    expect(() => corpusChrf(['a'], [])).toThrow('Expected as many references as hypotheses');
  });
});
