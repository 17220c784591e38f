import { capText, charCount, MAX_TRANSLATE_CHARS } from './limits';

describe('capText', () => {
  it('keeps short text (trimmed) and says nothing was cut', () => {
    expect(capText('  The cat is black.  ', 200)).toEqual({ text: 'The cat is black.', length: 17, cut: false });
  });

  it('cuts long text at a word boundary near the limit, and reports the original length', () => {
    const long = 'word '.repeat(100); // 500 characters
    const c = capText(long, MAX_TRANSLATE_CHARS);
    expect(c.cut).toBe(true);
    expect(c.length).toBe(499);
    expect(charCount(c.text)).toBeLessThanOrEqual(MAX_TRANSLATE_CHARS);
    expect(c.text.endsWith('word')).toBe(true);
  });

  it('counts code points and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(10);
    const c = capText(emoji, 5);
    expect(c).toEqual({ text: '😀'.repeat(5), length: 10, cut: true });
    expect(charCount('😀a')).toBe(2);
  });

  it('cuts text without spaces at the limit exactly', () => {
    const c = capText('x'.repeat(300), 200);
    expect(c.text.length).toBe(200);
  });
});
