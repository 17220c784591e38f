import { isRnnkitError } from '@rnnkit/core';
import { assertText, assertTexts, coverageOf, describeReceived, isBlank, truncateText, unseenLetterShare, vocabCharacters } from './input';
import { Vocab } from './vocab';

function codeAndMessage(fn: () => unknown): [string | undefined, string] {
  try {
    fn();
  } catch (e) {
    return [isRnnkitError(e) ? e.code : 'OTHER', (e as Error).message];
  }
  return [undefined, ''];
}

describe('input contract', () => {
  it('names what was received', () => {
    expect(describeReceived(42)).toBe('number 42');
    expect(describeReceived(null)).toBe('null');
    expect(describeReceived(undefined)).toBe('undefined');
    expect(describeReceived([1, 2])).toBe('array of 2');
    expect(describeReceived({ a: 1 })).toBe('object');
    expect(describeReceived(new Map())).toBe('object Map');
  });

  it('assertText / assertTexts throw INVALID_ARGUMENT', () => {
    expect(codeAndMessage(() => assertText(42))).toEqual(['INVALID_ARGUMENT', 'Expected text to be a string. Received: number 42']);
    expect(codeAndMessage(() => assertText('ok'))[0]).toBeUndefined();
    expect(codeAndMessage(() => assertTexts('ok'))[0]).toBe('INVALID_ARGUMENT');
    const [code, message] = codeAndMessage(() => assertTexts(['a', null]));
    expect(code).toBe('INVALID_ARGUMENT');
    expect(message).toContain('texts[1]');
  });

  it('isBlank', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \n\t\u00a0')).toBe(true);
    expect(isBlank(' a ')).toBe(false);
  });

  it('truncateText cuts at whitespace near the limit and never inside a surrogate pair', () => {
    expect(truncateText('short', 10)).toEqual({ text: 'short', truncated: false });
    expect(truncateText('aaaa bbbbbbbbbbbb', 12)).toEqual({ text: 'aaaa bbbbbbb', truncated: true }); // no space in the last tenth
    expect(truncateText('aaaaaaaaaaa bbbbbbbbbbbb', 12)).toEqual({ text: 'aaaaaaaaaaa', truncated: true });
    const emoji = 'x'.repeat(9) + '😀😀';
    expect(truncateText(emoji, 10).text).toBe('x'.repeat(9));
  });

  it('coverage measures', () => {
    const seen = vocabCharacters(Vocab.fromTokens(['hello</w>', 'world']));
    expect(seen.has('<')).toBe(false);
    expect(seen.has('/')).toBe(false);
    expect(unseenLetterShare(['hello', '!!'], seen)).toBe(0);
    expect(unseenLetterShare(['我爱你'], seen)).toBe(1);
    expect(unseenLetterShare(['123'], seen)).toBe(0);
    expect(coverageOf(3, 4, 0)).toEqual({ coverage: 0.75, lowCoverage: false });
    expect(coverageOf(1, 4, 0)).toEqual({ coverage: 0.25, lowCoverage: true });
    expect(coverageOf(4, 4, 0.9)).toEqual({ coverage: 1, lowCoverage: true });
    expect(coverageOf(0, 0, 0).coverage).toBe(0);
  });
});
