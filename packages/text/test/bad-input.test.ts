// Bad input: empty strings, 1 MB strings, lone surrogates, control characters. Defined results, never a hang.
import {
  Bpe,
  CharacterTokenizer,
  RegexpTokenizer,
  UnicodeWordTokenizer,
  Vocab,
  WhitespaceTokenizer,
  WinkTokenizer,
  defaultNormalizer,
  treebankTokenizer,
} from '../src/index';
import type { Tokenizer } from '../src/index';
import { NaturalTokenizer, SentenceSplitter, aggressiveTokenizer, naturalWordTokenizer, wordPunctTokenizer } from '../src/natural';

jest.setTimeout(20000);
const MB = 1 << 20;
const tokenizers: Tokenizer[] = [
  new WinkTokenizer(),
  naturalWordTokenizer(),
  treebankTokenizer(),
  wordPunctTokenizer(),
  aggressiveTokenizer('de'),
  new NaturalTokenizer({ kind: 'case' }),
  new WhitespaceTokenizer(),
  new CharacterTokenizer(),
  new UnicodeWordTokenizer(),
  new RegexpTokenizer({ pattern: /\s+/ }),
  new SentenceSplitter(),
];

const big: Record<string, string> = {
  prose: 'Zażółć gęślą jaźń, São Paulo! Привет 北京 😀 mail a@b.com https://x.org/p?q=1. '.repeat(MB / 80),
  'one huge word': 'a'.repeat(MB),
  'non-Latin word (256 KB)': 'ж'.repeat(MB / 4),
  'punctuation (256 KB)': '.!?@#:/'.repeat(MB / 28),
  'near-misses for url/email regexes': 'a@b.c@d:/'.repeat(MB / 9),
};

function checkOffsets(text: string, tokens: { text: string; start: number; end: number }[]): void {
  for (const t of tokens) if (text.slice(t.start, t.end) !== t.text) throw new Error(`bad offsets for ${JSON.stringify(t.text.slice(0, 20))}`);
}

describe.each(tokenizers.map((t) => [t.name, t] as const))('%s on bad input', (_n, tokenizer) => {
  it.each(Object.keys(big))('1 MB of %s in < 5 s, exact offsets', (kind) => {
    const text = big[kind] as string;
    const t0 = Date.now();
    const tokens = tokenizer.tokenize(text);
    expect(Date.now() - t0).toBeLessThan(5000);
    checkOffsets(text, tokens);
  });

  it('empty and whitespace-only strings give []', () => {
    expect(tokenizer.tokenize('')).toEqual([]);
    expect(tokenizer.tokenize('   \n\t ').filter((t) => t.text.trim().length > 0)).toEqual([]);
  });

  it('lone surrogates and control characters: no throw, exact offsets', () => {
    const text = 'ok \ud800 x\udc00y \u0000\u0007 bell\u001b[31m 😀 \ud83d';
    const tokens = tokenizer.tokenize(text);
    checkOffsets(text, tokens);
  });
});

describe('normalizer, vocabulary and BPE on bad input', () => {
  it('the default normalizer makes any string well-formed text', () => {
    expect(defaultNormalizer('a\ud800b\u0000c\u200b d')).toBe('a\ufffdbc d');
    const t0 = Date.now();
    expect(defaultNormalizer(big.prose as string).length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('BPE encodes a 1 MB word and empty input', () => {
    const bpe = Bpe.learn(['ab ab abc abc'], { numMerges: 5 });
    expect(bpe.encode('')).toEqual([]);
    const t0 = Date.now();
    const pieces = bpe.encode('ab'.repeat(50_000));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(bpe.decode(pieces)).toBe('ab'.repeat(50_000));
    expect(bpe.decode(bpe.encode('\ud800 x'))).toBe('\ud800 x');
  });

  it('vocabulary encodes empty and odd tokens', () => {
    const v = Vocab.build([['a', '\u0000', '\ud800']]);
    expect(v.encode([])).toEqual([]);
    expect(v.decode(v.encode(['\ud800', '\u0000']))).toEqual(['\ud800', '\u0000']);
  });
});
