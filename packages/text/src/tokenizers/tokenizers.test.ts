import winkTokenizer from 'wink-tokenizer';
import * as nt from 'natural/lib/natural/tokenizers/index.js';
import { CharacterTokenizer, RegexpTokenizer, UnicodeWordTokenizer, WhitespaceTokenizer, WinkTokenizer, tokenTexts, treebankTokenizer } from './index';
import { NaturalTokenizer, SentenceSplitter, aggressiveTokenizer, naturalWordTokenizer, wordPunctTokenizer } from '../natural';
import type { Token, Tokenizer } from './index';

const SAMPLES: Record<string, string> = {
  French: "L'été à São Paulo, c'est très agréable : où est la gare ?",
  Spanish: '¿Dónde está el niño? ¡Mañana jugaré al fútbol con Iñigo!',
  German: 'Die Straße in München ist schön; Größe und Übermaß.',
  Polish: 'Zażółć gęślą jaźń, powiedział Łukasz.',
  Russian: 'Привет, мир! Съешь ещё этих мягких французских булок.',
  Greek: 'Καλημέρα κόσμε, τι κάνεις;',
  Chinese: '我爱北京天安门。你好，世界！',
  Arabic: 'مرحبا بالعالم، كيف حالك؟',
  emoji: 'I love it 😀👍🏽 family: 👨‍👩‍👧 flag 🇫🇷 ok',
};

function expectExactOffsets(text: string, tokens: Token[]): void {
  let prevEnd = 0;
  for (const t of tokens) {
    expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(t.start).toBeGreaterThanOrEqual(prevEnd);
    expect(t.text.length).toBeGreaterThan(0);
    prevEnd = t.end;
  }
}

function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

const ALL: Tokenizer[] = [
  new WinkTokenizer(),
  naturalWordTokenizer(),
  treebankTokenizer(),
  wordPunctTokenizer(),
  aggressiveTokenizer('en'),
  aggressiveTokenizer('fr'),
  new NaturalTokenizer({ kind: 'case' }),
  new WhitespaceTokenizer(),
  new CharacterTokenizer(),
  new UnicodeWordTokenizer(),
  new RegexpTokenizer({ pattern: /[\s,.!?]+/ }),
];

describe.each(ALL.map((t) => [t.name, t] as const))('%s', (_name, tokenizer) => {
  it.each(Object.entries(SAMPLES))('gives exact offsets and never splits a character: %s', (_lang, text) => {
    const tokens = tokenizer.tokenize(text);
    expect(tokens.length).toBeGreaterThan(0);
    expectExactOffsets(text, tokens);
    for (const t of tokens) expect(hasLoneSurrogate(t.text)).toBe(false);
  });

  it('returns [] for an empty string', () => {
    expect(tokenizer.tokenize('')).toEqual([]);
  });
});

describe('word tokenizers keep every letter of non-Latin words', () => {
  const wordTokenizers = [new WinkTokenizer(), naturalWordTokenizer(), treebankTokenizer(), wordPunctTokenizer(), aggressiveTokenizer('en'), aggressiveTokenizer('ru'), new UnicodeWordTokenizer()];
  const words: Record<string, string[]> = {
    French: ['été', 'São', 'Paulo', 'très', 'agréable', 'où'],
    Spanish: ['Dónde', 'está', 'niño', 'Mañana', 'jugaré', 'fútbol', 'Iñigo'],
    German: ['Straße', 'München', 'schön', 'Größe', 'Übermaß'],
    Polish: ['Zażółć', 'gęślą', 'jaźń', 'powiedział', 'Łukasz'],
    Russian: ['Привет', 'мир', 'Съешь', 'ещё', 'французских', 'булок'],
    Greek: ['Καλημέρα', 'κόσμε', 'τι', 'κάνεις'],
    Chinese: ['我', '爱', '北', '京', '你', '好', '世', '界'],
    Arabic: ['مرحبا', 'بالعالم', 'كيف', 'حالك'],
  };
  it.each(wordTokenizers.map((t) => [t.name, t] as const))('%s', (_n, tokenizer) => {
    for (const [lang, expected] of Object.entries(words)) {
      const texts = tokenTexts(tokenizer, SAMPLES[lang] as string);
      for (const w of expected) expect({ lang, texts, has: texts.includes(w) || texts.includes(`L'${w}`) || texts.includes(`l'${w}`) }).toMatchObject({ has: true });
    }
  });
});

describe('the library failures this package repairs', () => {
  it('natural WordTokenizer alone splits "São" into "S", "o"; ours does not', () => {
    expect(new nt.WordTokenizer().tokenize('São Paulo')).toEqual(['S', 'o', 'Paulo']);
    expect(tokenTexts(naturalWordTokenizer(), 'São Paulo')).toEqual(['São', 'Paulo']);
  });

  it('wink alone tags Cyrillic, Polish and CJK as alien; ours tags them word', () => {
    const raw = winkTokenizer().tokenize('Привет zażółć 北京');
    expect(raw.some((t) => t.tag === 'alien')).toBe(true);
    const ours = new WinkTokenizer().tokenize('Привет zażółć 北京');
    expect(ours.map((t) => [t.text, t.type])).toEqual([
      ['Привет', 'word'],
      ['zażółć', 'word'],
      ['北', 'word'],
      ['京', 'word'],
    ]);
  });

  it('Treebank alone splits emoji into surrogate halves; ours keeps whole emoji', () => {
    expect(new nt.TreebankWordTokenizer().tokenize('ok 😀')).toEqual(['ok', '\ud83d', '\ude00']);
    expect(tokenTexts(treebankTokenizer(), 'ok 😀 👍🏽')).toEqual(['ok', '😀', '👍🏽']);
  });
});

describe('WinkTokenizer', () => {
  it("keeps wink's tags", () => {
    const tokens = new WinkTokenizer().tokenize('Mail a@b.com or visit https://x.org, @bob #nlp 42 😀 !');
    const byText = Object.fromEntries(tokens.map((t) => [t.text, t.type]));
    expect(byText).toMatchObject({
      Mail: 'word',
      'a@b.com': 'email',
      'https://x.org': 'url',
      '@bob': 'mention',
      '#nlp': 'hashtag',
      '42': 'number',
      '😀': 'emoji',
      '!': 'punctuation',
    });
  });

  it('can turn a detector off (wink defineConfig)', () => {
    const tokens = new WinkTokenizer({ config: { mention: false } }).tokenize('hi @bob');
    expect(tokens.find((t) => t.type === 'mention')).toBeUndefined();
  });

  it('keeps Han runs whole with splitHan: false', () => {
    expect(tokenTexts(new WinkTokenizer({ splitHan: false }), '北京 ok')).toEqual(['北京', 'ok']);
  });
});

describe('natural tokenizers', () => {
  it('Treebank splits contractions like natural does', () => {
    expect(tokenTexts(treebankTokenizer(), "I can't go.")).toEqual(['I', 'ca', "n't", 'go', '.']);
  });

  it('rejects an unknown aggressive language', () => {
    expect(() => new NaturalTokenizer({ kind: 'aggressive', language: 'xx' as 'en' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('can run without the Unicode fix (raw natural behaviour, offsets still exact)', () => {
    const tokens = new NaturalTokenizer({ kind: 'word', unicodeFix: false }).tokenize('São Paulo');
    expect(tokens.map((t) => t.text)).toEqual(['S', 'o', 'Paulo']);
    expectExactOffsets('São Paulo', tokens);
  });
});

describe('SentenceSplitter', () => {
  it('splits sentences with exact offsets', () => {
    const text = 'Hello there. How are you?  Fine!  Привет, мир. Всё хорошо?';
    const s = new SentenceSplitter().tokenize(text);
    expect(s.map((t) => t.text)).toEqual(['Hello there.', 'How are you?', 'Fine!', 'Привет, мир.', 'Всё хорошо?']);
    expectExactOffsets(text, s);
  });

  it('respects abbreviations', () => {
    const s = new SentenceSplitter({ abbreviations: ['Mr.'] }).tokenize('I met Mr. Smith. He waved.');
    expect(s.map((t) => t.text)).toEqual(['I met Mr. Smith.', 'He waved.']);
  });

  it('returns [] for blank text and one sentence without a full stop', () => {
    expect(new SentenceSplitter().tokenize('   ')).toEqual([]);
    expect(new SentenceSplitter().tokenize('no stop here').map((t) => t.text)).toEqual(['no stop here']);
  });
});

describe('simple tokenizers', () => {
  it('whitespace splits on any whitespace incl. no-break space', () => {
    expect(tokenTexts(new WhitespaceTokenizer(), ' a\u00a0b\tc\n d ')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('character tokenizer: graphemes or code points', () => {
    expect(tokenTexts(new CharacterTokenizer(), 'e\u0301👍🏽')).toEqual(['e\u0301', '👍🏽']);
    expect(tokenTexts(new CharacterTokenizer({ unit: 'codePoint' }), 'e\u0301👍🏽')).toEqual(['e', '\u0301', '👍', '🏽']);
    expect(tokenTexts(new CharacterTokenizer({ skipWhitespace: true }), 'a b')).toEqual(['a', 'b']);
  });

  it('regexp tokenizer: gaps and matches, like natural', () => {
    expect(tokenTexts(new RegexpTokenizer({ pattern: /,\s*/ }), 'a, b,c')).toEqual(['a', 'b', 'c']);
    expect(tokenTexts(new RegexpTokenizer({ pattern: /\d+/, gaps: false }), 'a1b22c333')).toEqual(['1', '22', '333']);
    expect(() => new RegexpTokenizer({ pattern: 'x' as unknown as RegExp })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('unicode word tokenizer keeps inner apostrophes and ZWJ emoji, can drop punctuation', () => {
    expect(tokenTexts(new UnicodeWordTokenizer(), "l'été, 👨‍👩‍👧!")).toEqual(["l'été", ',', '👨‍👩‍👧', '!']);
    expect(tokenTexts(new UnicodeWordTokenizer({ wordsOnly: true }), "l'été, 3 ok!")).toEqual(["l'été", '3', 'ok']);
  });
});
