// Sentence segmentation for translation input: Unicode sentence boundaries (UAX #29, through
// Intl.Segmenter, in Node 20 and every current browser) corrected for what UAX #29 gets wrong on English
// (titles such as "Mr." before a name, "?"/"!" inside a quotation followed by a lowercase word), and a
// line break always ends a sentence. Every span keeps exact offsets, so the text between sentences
// (spaces, line breaks) can be put back unchanged.
//
// Why Intl.Segmenter rather than natural's SentenceTokenizer (`SentenceSplitter` in `@rnnkit/text/natural`): the
// latter splits "e.g.", "p.m.", "U.S." and "3.5" inside sentences and ignores line breaks; UAX #29 keeps
// abbreviations, decimals and initialisms whole and breaks at line ends (see sentences.test.ts).

/** One sentence of a text: `text === source.slice(start, end)`, with no leading or trailing whitespace. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

/** Options of {@link segmentSentences}. */
export interface SegmentSentencesOptions {
  /** BCP 47 locale of the segmenter. Default 'en'. */
  locale?: string;
  /**
   * Abbreviations (with their final period, case-insensitive) after which a sentence never ends.
   * Default {@link DEFAULT_ABBREVIATIONS}.
   */
  abbreviations?: readonly string[];
}

/** Titles and abbreviations that UAX #29 takes for sentence ends when a capitalized word follows. */
export const DEFAULT_ABBREVIATIONS: readonly string[] = Object.freeze([
  'mr.', 'mrs.', 'ms.', 'mx.', 'dr.', 'prof.', 'st.', 'sr.', 'jr.', 'rev.', 'gen.', 'col.', 'lt.', 'sgt.', 'capt.', 'gov.', 'sen.', 'rep.',
  'vs.', 'etc.', 'e.g.', 'i.e.', 'cf.', 'approx.', 'no.', 'vol.', 'fig.', 'inc.', 'ltd.', 'co.', 'corp.', 'mt.', 'ft.',
  'jan.', 'feb.', 'mar.', 'apr.', 'aug.', 'sept.', 'sep.', 'oct.', 'nov.', 'dec.',
]);

interface Segmenter {
  segment(text: string): Iterable<{ segment: string; index: number }>;
}

function makeSegmenter(locale: string): Segmenter | null {
  const Ctor = (Intl as unknown as { Segmenter?: new (l: string, o: { granularity: 'sentence' }) => Segmenter }).Segmenter;
  return Ctor ? new Ctor(locale, { granularity: 'sentence' }) : null;
}

// Without Intl.Segmenter (older runtimes): a break after . ! ? … (and closing quotes/brackets) followed by
// whitespace and a character that is not a lowercase letter or digit, and after every line break.
const FALLBACK_BREAK = /[.!?…]+["'”’)\]»]*\s+(?=[^\s\p{Ll}\p{N}])|\n/gu;

function* fallbackSegments(text: string): Iterable<{ segment: string; index: number }> {
  let start = 0;
  for (const m of text.matchAll(FALLBACK_BREAK)) {
    const end = (m.index ?? 0) + m[0].length;
    yield { segment: text.slice(start, end), index: start };
    start = end;
  }
  if (start < text.length) yield { segment: text.slice(start), index: start };
}

/** Raw boundaries: [start, end) pieces covering the whole text, split at every line break as well. */
function rawPieces(text: string, locale: string): Array<[number, number]> {
  const seg = makeSegmenter(locale);
  const out: Array<[number, number]> = [];
  for (const s of seg ? seg.segment(text) : fallbackSegments(text)) {
    // UAX #29 ends a sentence at a paragraph separator but not at every line break inside a segment
    // (it does for \n, not for \r alone or U+2028): split there too.
    let from = s.index;
    const end = s.index + s.segment.length;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) && text.charCodeAt(i + 1) !== 0x0a) {
        out.push([from, i + 1]);
        from = i + 1;
      }
    }
    if (from < end) out.push([from, end]);
  }
  return out;
}

const LAST_WORD = /(\S+)\s*$/u;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * True when the break between two pieces must be undone: an abbreviation, or ?/! in a quotation before a
 * lowercase word. `tail` and `head` are the pieces' last and first 64 characters (the regexes stay linear).
 */
function isFalseBreak(tail: string, head: string, abbreviations: ReadonlySet<string>): boolean {
  if (LINE_BREAK.test(tail.slice(tail.trimEnd().length))) return false;
  const word = LAST_WORD.exec(tail)?.[1]?.toLowerCase();
  if (word === undefined) return false;
  // "(Mr." or "“Dr." : leading punctuation does not hide the abbreviation
  const bare = word.replace(/^[("'“‘[«]+/u, '');
  if (abbreviations.has(bare)) return true;
  return /[?!]["'”’»)]+$/u.test(word) && /^\s*\p{Ll}/u.test(head);
}

/**
 * Splits `text` into sentences (see the file comment for the method). Whitespace-only pieces are dropped;
 * the text between two spans (`source.slice(a.end, b.start)`) is the original separator.
 */
export function segmentSentences(text: string, options: SegmentSentencesOptions = {}): SentenceSpan[] {
  const abbreviations = new Set((options.abbreviations ?? DEFAULT_ABBREVIATIONS).map((a) => a.toLowerCase()));
  const pieces = rawPieces(text, options.locale ?? 'en');
  const merged: Array<[number, number]> = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (last && isFalseBreak(text.slice(Math.max(last[0], last[1] - 64), last[1]), text.slice(p[0], Math.min(p[1], p[0] + 64)), abbreviations)) last[1] = p[1];
    else merged.push([p[0], p[1]]);
  }
  const out: SentenceSpan[] = [];
  for (const [from, to] of merged) {
    let start = from;
    let end = to;
    while (start < end && /\s/u.test(text[start] as string)) start++;
    while (end > start && /\s/u.test(text[end - 1] as string)) end--;
    if (end > start) out.push({ text: text.slice(start, end), start, end });
  }
  return out;
}
