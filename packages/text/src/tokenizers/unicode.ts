// Character classes shared by the tokenizers. All tests work on code points, so surrogate pairs are never split.

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const MARK_OR_JOINER = /^[\p{M}\u200D\uFE0E\uFE0F\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]$/u;
const HAN = /\p{Script=Han}/u;

/** The code point that ends at offset `i` (the one before the boundary), or -1 at the start. */
export function codePointBefore(s: string, i: number): number {
  if (i <= 0) return -1;
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return lo;
}

/** The code point that starts at offset `i`, or -1 at the end. */
export function codePointAt(s: string, i: number): number {
  return i < s.length ? (s.codePointAt(i) ?? -1) : -1;
}

function cpString(cp: number): string {
  return cp < 0 ? '' : String.fromCodePoint(cp);
}

/** True for a letter, combining mark or digit of any script. */
export function isWordCodePoint(cp: number): boolean {
  if (cp < 0) return false;
  if (cp < 0x80) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // lone surrogate
  return WORD_CHAR.test(cpString(cp));
}

/** True for a code point that attaches to the one before it (combining mark, ZWJ, variation selector, skin tone, tag). */
export function isAttachingCodePoint(cp: number): boolean {
  if (cp < 0x300) return false;
  return MARK_OR_JOINER.test(cpString(cp));
}

/** True when the boundary at `i` would split a surrogate pair or a grapheme-like cluster. */
export function isInsideCluster(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const a = s.charCodeAt(i - 1);
  const b = s.charCodeAt(i);
  if (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff) return true;
  const next = codePointAt(s, i);
  if (isAttachingCodePoint(next)) return true;
  const prev = codePointBefore(s, i);
  if (prev === 0x200d) return true;
  return prev >= 0x1f1e6 && prev <= 0x1f1ff && next >= 0x1f1e6 && next <= 0x1f1ff;
}

/** True when `text` contains a Han (Chinese) character. */
export function hasHan(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x2e80) return HAN.test(text);
  return false;
}

/** True for a Han code point. */
export function isHanCodePoint(cp: number): boolean {
  return cp >= 0x2e80 && HAN.test(cpString(cp));
}

const NUMBER = /^[+-]?\p{N}+(?:[.,:/]\p{N}+)*%?$/u;
const HAS_LETTER = /[\p{L}\p{M}]/u;
const EMOJI = /^(?:\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}])/u;
const PUNCT = /^\p{P}+$/u;
const SPACE = /^\s+$/u;

/** A coarse type for a token's text: word, number, emoji, punctuation, space or symbol. */
export function classifyToken(text: string): string {
  // ASCII fast path: most tokens are plain words or numbers.
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++;
    else if (c >= 0x30 && c <= 0x39) digits++;
    else break;
  }
  if (letters === text.length && letters > 0) return 'word';
  if (digits === text.length && digits > 0) return 'number';
  if (NUMBER.test(text)) return 'number';
  if (HAS_LETTER.test(text)) return 'word';
  if (EMOJI.test(text)) return 'emoji';
  if (PUNCT.test(text)) return 'punctuation';
  if (SPACE.test(text)) return 'space';
  if (/\p{N}/u.test(text)) return 'number';
  return 'symbol';
}

// Han characters one by one; words: letters/marks/digits with inner apostrophes or hyphens; emoji sequences; any other single character.
const EMOJI_SEQ = String.raw`(?:\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}])(?:[\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]|\u200D(?:\p{Extended_Pictographic}|\p{Emoji_Component}))*`;
const WORD_NO_HAN = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}_])`;

/** Unicode word pattern (global): Han characters one by one, words with inner apostrophes/hyphens, emoji sequences, any other non-space character. */
export const UNICODE_WORD = new RegExp(String.raw`\p{Script=Han}\p{M}*|${WORD_NO_HAN}+(?:['’\-]${WORD_NO_HAN}+)*|${EMOJI_SEQ}|[^\s]`, 'gu');

/** Like {@link UNICODE_WORD} but a run of Han characters stays one token. */
export const UNICODE_WORD_HAN_RUNS = new RegExp(String.raw`[\p{L}\p{M}\p{N}_]+(?:['’\-][\p{L}\p{M}\p{N}_]+)*|${EMOJI_SEQ}|[^\s]`, 'gu');

/** True for a whitespace code unit (the same set as the regex `\s`). */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
