import {
  collapseWhitespace,
  createNormalizer,
  defaultNormalizer,
  lowercase,
  nfc,
  nfkc,
  normalizeSpaces,
  removeControlChars,
  removeZeroWidth,
  replaceLoneSurrogates,
  stripAccents,
  unescapeMoses,
} from './normalize';

describe('normalization steps', () => {
  it('NFC composes, NFKC folds compatibility forms', () => {
    expect(nfc('e\u0301')).toBe('é');
    expect(nfkc('ﬁ Ａ ²')).toBe('fi A 2');
  });

  it('lowercases any script', () => {
    expect(lowercase('ÉCOLE Straße ΣΟΦΙΑ ПРИВЕТ')).toBe('école straße σοφια привет');
  });

  it('strips accents but keeps base letters and non-Latin text', () => {
    expect(stripAccents('São Paulo, Zażółć, Ελληνικά, Привет, ё')).toBe('Sao Paulo, Zazołc, Ελληνικα, Привет, е');
  });

  it('replaces no-break spaces and removes zero-width spaces, keeps ZWJ', () => {
    expect(normalizeSpaces('a\u00a0b\u202fc\u2007d')).toBe('a b c d');
    expect(removeZeroWidth('a\u200bb\ufeffc\u2060d')).toBe('abcd');
    expect(removeZeroWidth('👨\u200d👩')).toBe('👨\u200d👩');
  });

  it('undoes Moses escapes in one pass (no double unescaping)', () => {
    expect(unescapeMoses('it &apos;s &quot;x&quot; &amp; a &#124; b &lt;c&gt; &#91;d&#93;')).toBe('it \'s "x" & a | b <c> [d]');
    expect(unescapeMoses('&amp;apos;')).toBe('&apos;');
  });

  it('removes control characters but keeps tab and newlines', () => {
    expect(removeControlChars('a\u0000b\u0007c\td\ne\u009f')).toBe('abc\td\ne');
  });

  it('replaces lone surrogates, keeps pairs', () => {
    expect(replaceLoneSurrogates('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
  });

  it('composes by name or function, left to right', () => {
    const n = createNormalizer(['unescapeMoses', 'nfkc', 'lowercase', 'stripAccents', (s) => s.replace(/!/g, '')]);
    expect(n('ÉTÉ &amp; Ｃafé!')).toBe('ete & cafe');
    expect(collapseWhitespace('  a \n\t b  ')).toBe('a b');
    expect(defaultNormalizer(' a\u00a0\u00a0b\u200b\u0000 ')).toBe('a b');
  });

  it('rejects an unknown step name', () => {
    expect(() => createNormalizer(['nope' as 'nfc'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
