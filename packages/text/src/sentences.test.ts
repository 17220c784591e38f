import { segmentSentences, type SentenceSpan } from './sentences';

const texts = (s: SentenceSpan[]) => s.map((x) => x.text);

function expectExact(text: string, spans: SentenceSpan[]): void {
  for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  for (let i = 1; i < spans.length; i++) expect((spans[i] as SentenceSpan).start).toBeGreaterThanOrEqual((spans[i - 1] as SentenceSpan).end);
}

describe('segmentSentences', () => {
  it('splits at . ! ? and … with exact offsets', () => {
    const text = 'Hello. How are you? Fine! Wait… what?';
    const s = segmentSentences(text);
    expect(texts(s)).toEqual(['Hello.', 'How are you?', 'Fine!', 'Wait… what?']);
    expectExact(text, s);
  });

  it('keeps abbreviations, initialisms and decimals inside a sentence', () => {
    expect(texts(segmentSentences('Mr. Smith paid $3.50 for e.g. apples. He left!'))).toEqual(['Mr. Smith paid $3.50 for e.g. apples.', 'He left!']);
    expect(texts(segmentSentences('I met Dr. Brown at 5 p.m. yesterday. It was fun.'))).toEqual(['I met Dr. Brown at 5 p.m. yesterday.', 'It was fun.']);
    expect(texts(segmentSentences('The U.S. economy grew 3.5% in Q1. Analysts cheered.'))).toEqual(['The U.S. economy grew 3.5% in Q1.', 'Analysts cheered.']);
  });

  it('handles quotations', () => {
    expect(texts(segmentSentences('He said "Stop." Then he left.'))).toEqual(['He said "Stop."', 'Then he left.']);
    expect(texts(segmentSentences('“Are you coming?” she asked. “Yes.”'))).toEqual(['“Are you coming?” she asked.', '“Yes.”']);
  });

  it('ends a sentence at every line break and keeps the separators recoverable', () => {
    const text = 'First line\nSecond line\r\n\r\nThird.  Fourth.';
    const s = segmentSentences(text);
    expect(texts(s)).toEqual(['First line', 'Second line', 'Third.', 'Fourth.']);
    expectExact(text, s);
    expect(text.slice((s[1] as SentenceSpan).end, (s[2] as SentenceSpan).start)).toBe('\r\n\r\n');
  });

  it('returns [] for blank text and the whole text when it has no sentence end', () => {
    expect(segmentSentences('  \n ')).toEqual([]);
    expect(texts(segmentSentences('  no stop here '))).toEqual(['no stop here']);
  });

  it('takes custom abbreviations', () => {
    expect(texts(segmentSentences('See Abb. Two here.', { abbreviations: ['abb.'] }))).toEqual(['See Abb. Two here.']);
    expect(texts(segmentSentences('See Abb. Two here.'))).toEqual(['See Abb.', 'Two here.']);
  });

  it('stays linear on long text without sentence ends', () => {
    const text = `${'word '.repeat(40_000)}end. Next one.`;
    const s = segmentSentences(text);
    expect(s).toHaveLength(2);
    expectExact(text, s);
  });

  it('falls back to a regex segmenter where Intl.Segmenter is missing', () => {
    const intl = Intl as unknown as { Segmenter?: unknown };
    const saved = intl.Segmenter;
    delete intl.Segmenter;
    try {
      const text = 'Mr. Smith paid 3.50 for e.g. apples. He left!\nNext line? yes. “Quoted.” Done';
      const s = segmentSentences(text);
      expect(texts(s)).toEqual(['Mr. Smith paid 3.50 for e.g. apples.', 'He left!', 'Next line? yes.', '“Quoted.”', 'Done']);
      expectExact(text, s);
    } finally {
      intl.Segmenter = saved;
    }
  });
});
