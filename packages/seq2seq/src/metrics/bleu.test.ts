import { computeBleu, corpusBleu, sentenceBleu, tokenize13a, tokenizedBleu } from './bleu';
import { perplexity } from './perplexity';
import { isRnnkitError } from '@rnnkit/core';

// Figures hand-copied from sacreBLEU's own tests (github.com/mjpost/sacrebleu, test/test_bleu.py and
// test/test_sentence_bleu.py): inputs and expected scores only.
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpusBleu matches sacreBLEU (test_bleu.py test_corpus_bleu_cases)', () => {
  it('default settings (13a, exp smoothing): 48.530827', () => {
    expect(Math.abs(corpusBleu(HYPS, REFS).score - 48.530827)).toBeLessThan(1e-6);
  });
  it('tokenize none: 49.1919566', () => {
    expect(Math.abs(corpusBleu(HYPS, REFS, { tokenize: 'none' }).score - 49.1919566)).toBeLessThan(1e-6);
  });
  it('smooth none: 48.530827', () => {
    expect(Math.abs(corpusBleu(HYPS, REFS, { smoothMethod: 'none' }).score - 48.530827)).toBeLessThan(1e-6);
  });
  it('empty hypotheses are kept and score 0', () => {
    expect(corpusBleu(['', '', ''], REFS).score).toBe(0);
  });
});

describe('sacreBLEU statistics and scoring cases (test_bleu.py)', () => {
  it('test_case_statistics: counts [4,2,1,0], totals [6,5,4,3]', () => {
    const s = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']]);
    expect(s.counts).toEqual([4, 2, 1, 0]);
    expect(s.totals).toEqual([6, 5, 4, 3]);
  });
  it('test_case_scoring: compute_bleu([9,7,5,3],[10,8,6,4],11,11) = 0.8375922397', () => {
    expect(Math.abs(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, { smoothMethod: 'none' }).score / 100 - 0.8375922397)).toBeLessThan(1e-8);
  });
  it('test_raw_bleu_cases with floor 0.01 (raw_corpus_bleu = tokenize none)', () => {
    const o = { tokenize: 'none' as const, smoothMethod: 'floor' as const, smoothValue: 0.01 };
    // (the case ['this is a test', 'another test'] vs ['ref1', 'ref2'] = 0.0038 predates sacreBLEU's
    // early stop for no matches at all (#141), which the current compute_bleu applies: it scores 0 now)
    expect(corpusBleu(['this is a test', 'another test'], [['ref1', 'ref2']], o).score).toBe(0);
    expect(Math.abs(corpusBleu(['this is a fest'], [['this is a test']], o).score / 100 - 0.223606797749979)).toBeLessThan(1e-8);
  });
  it('test_case_effective_order', () => {
    const o = { tokenize: 'none' as const, smoothMethod: 'floor' as const, smoothValue: 0.01, effectiveOrder: true };
    expect(Math.abs(corpusBleu(['test'], [['a test']], o).score / 100 - 0.3678794411714425)).toBeLessThan(1e-8);
    expect(Math.abs(corpusBleu(['a little test'], [['a test']], o).score / 100 - 0.03218297948685433)).toBeLessThan(1e-8);
  });
});

describe('sentenceBleu matches sacreBLEU (test_sentence_bleu.py, issue #98 example)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  it.each([
    ['exp', undefined, '13a', 8.493],
    ['none', undefined, '13a', 0.0],
    ['floor', 0.5, '13a', 10.1],
    ['add-k', 2, '13a', 21.389],
    ['exp', undefined, 'none', 7.347],
  ] as const)('%s %s %s -> %f', (smoothMethod, smoothValue, tokenize, expected) => {
    const opts = smoothValue === undefined ? { smoothMethod, tokenize } : { smoothMethod, smoothValue, tokenize };
    expect(Math.abs(sentenceBleu(SYS, [REF], opts).score - expected)).toBeLessThan(1e-3);
  });
  it('no match at all scores 0 (issue #141 example)', () => {
    expect(sentenceBleu('this is a cat', ['okay thanks']).score).toBe(0);
  });
});

describe('tokenize13a', () => {
  it('splits punctuation, keeps decimals and unescapes entities', () => {
    expect(tokenize13a('Hello, world! It costs 3.50 &amp; 1,000 (approx.)')).toEqual(
      ['Hello', ',', 'world', '!', 'It', 'costs', '3.50', '&', '1,000', '(', 'approx', '.', ')']);
    // the apostrophe (U+0027) is outside 13a's symbol ranges, so it stays inside the word
    expect(tokenize13a("wasn't 2-3 a/b")).toEqual(["wasn't", '2', '-', '3', 'a', '/', 'b']);
  });
});

describe('tokenizedBleu (the anchor: torchtext bleu_score)', () => {
  it('reproduces the torchtext docstring example 0.8408964276504517 (= 0.5 ** 0.25 by hand)', () => {
    // torchtext.data.metrics.bleu_score docstring: precisions 4/6, 3/4, 2/2, 1/1; c = r = 6
    const score = tokenizedBleu([['My', 'full', 'pytorch', 'test'], ['Another', 'Sentence']],
      [[['My', 'full', 'pytorch', 'test'], ['Completely', 'Different']], [['No', 'Match']]], { lowercase: false });
    expect(Math.abs(score / 100 - 0.8408964276504517)).toBeLessThan(1e-7); // torchtext sums in float32
    expect(Math.abs(score / 100 - 0.5 ** 0.25)).toBeLessThan(1e-12);
  });
  it('hand-computed: one exact 4-gram match is 100, no smoothing gives 0 when an order has no match', () => {
    expect(tokenizedBleu(['a b c d'], [['a b c d']])).toBeCloseTo(100, 10);
    expect(tokenizedBleu(['a b c x'], [['a b c d']])).toBe(0);
  });
  it('hand-computed: brevity penalty with lowercasing', () => {
    // cand "The cat sat on" (4) vs ref "the cat sat on the mat" (6): all precisions 1, bp = exp(1 - 6/4)
    expect(tokenizedBleu(['The cat sat on'], [['the cat sat on the mat']])).toBeCloseTo(100 * Math.exp(-0.5), 10);
  });
});

describe('perplexity', () => {
  it('is exp of the mean NLL', () => {
    expect(perplexity(Math.log(25.6) * 10, 10)).toBeCloseTo(25.6, 10);
  });
  it('refuses zero tokens with INVALID_ARGUMENT', () => {
    let err: unknown;
    try { perplexity(1, 0); } catch (e) { err = e; }
    expect(isRnnkitError(err, 'INVALID_ARGUMENT')).toBe(true);
  });
});
