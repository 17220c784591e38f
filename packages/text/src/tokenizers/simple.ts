// Tokenizers that need no library: whitespace, characters, a regular expression, Unicode words.
import { RnnkitError } from '@rnnkit/core';
import { UNICODE_WORD, UNICODE_WORD_HAN_RUNS, classifyToken, isInsideCluster, isSpace } from './unicode';
import type { Token, Tokenizer } from './types';

function matchTokens(text: string, re: RegExp, typed: boolean): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    const start = m.index ?? 0;
    const token: Token = { text: m[0], start, end: start + m[0].length };
    if (typed) token.type = classifyToken(m[0]);
    out.push(token);
  }
  return out;
}

/** Splits on runs of whitespace (`\s`, including no-break spaces); every other character is kept. */
export class WhitespaceTokenizer implements Tokenizer {
  readonly name = 'whitespace';
  tokenize(text: string): Token[] {
    const out: Token[] = [];
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length || isSpace(text.charCodeAt(i))) {
        if (start >= 0) out.push({ text: text.slice(start, i), start, end: i });
        start = -1;
      } else if (start < 0) {
        start = i;
      }
    }
    return out;
  }
}

/** Options of {@link CharacterTokenizer}. */
export interface CharacterTokenizerOptions {
  /** `grapheme` (default): user-perceived characters (emoji with skin tones, letters with marks). `codePoint`: Unicode code points. */
  unit?: 'grapheme' | 'codePoint';
  /** Drop whitespace characters. Default false. */
  skipWhitespace?: boolean;
}

/** One token per character (grapheme cluster or code point); never splits a surrogate pair. */
export class CharacterTokenizer implements Tokenizer {
  readonly name = 'character';
  private readonly unit: 'grapheme' | 'codePoint';
  private readonly skipWhitespace: boolean;

  constructor(options: CharacterTokenizerOptions = {}) {
    this.unit = options.unit ?? 'grapheme';
    this.skipWhitespace = options.skipWhitespace ?? false;
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const push = (s: string, start: number) => {
      if (this.skipWhitespace && /^\s+$/u.test(s)) return;
      out.push({ text: s, start, end: start + s.length });
    };
    if (this.unit === 'grapheme') {
      // Code points, joined across combining marks, ZWJ, variation selectors, skin tones and flag pairs (linear).
      let start = 0;
      for (let i = 1; i <= text.length; i++) {
        if (i === text.length || !isInsideCluster(text, i)) {
          push(text.slice(start, i), start);
          start = i;
        }
      }
    } else {
      let i = 0;
      for (const ch of text) {
        push(ch, i);
        i += ch.length;
      }
    }
    return out;
  }
}

/** Options of {@link RegexpTokenizer} (natural's `RegexpTokenizer` options). */
export interface RegexpTokenizerOptions {
  /** The pattern: what separates tokens when `gaps` is true, what a token is when false. */
  pattern: RegExp;
  /** True (default, as in natural): the pattern matches the gaps between tokens. */
  gaps?: boolean;
}

/** A regular-expression tokenizer with natural's `{ pattern, gaps }` options, returning offsets. */
export class RegexpTokenizer implements Tokenizer {
  readonly name = 'regexp';
  private readonly re: RegExp;
  private readonly gaps: boolean;

  constructor(options: RegexpTokenizerOptions) {
    if (!(options?.pattern instanceof RegExp)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected pattern to be a RegExp. Received: pattern=${String(options?.pattern)}`);
    }
    const flags = options.pattern.flags.includes('g') ? options.pattern.flags : options.pattern.flags + 'g';
    this.re = new RegExp(options.pattern.source, flags);
    this.gaps = options.gaps ?? true;
  }

  tokenize(text: string): Token[] {
    if (!this.gaps) return matchTokens(text, this.re, false);
    const out: Token[] = [];
    let prev = 0;
    const push = (from: number, to: number) => {
      const s = text.slice(from, to);
      if (s.length > 0 && s !== ' ') out.push({ text: s, start: from, end: to });
    };
    for (const m of text.matchAll(this.re)) {
      const at = m.index ?? 0;
      if (m[0].length === 0) continue;
      push(prev, at);
      prev = at + m[0].length;
    }
    push(prev, text.length);
    return out;
  }
}


/** Options of {@link UnicodeWordTokenizer}. */
export interface UnicodeWordTokenizerOptions {
  /** Drop punctuation and symbols, like natural's `WordTokenizer`. Default false. */
  wordsOnly?: boolean;
  /** One token per Han character (default true); false keeps runs of Han together. */
  splitHan?: boolean;
}

/** A dependency-free word tokenizer on Unicode classes (`\p{L}\p{M}\p{N}`): words, emoji, single punctuation marks. */
export class UnicodeWordTokenizer implements Tokenizer {
  readonly name = 'unicode';
  private readonly wordsOnly: boolean;
  private readonly pattern: RegExp;

  constructor(options: UnicodeWordTokenizerOptions = {}) {
    this.wordsOnly = options.wordsOnly ?? false;
    this.pattern = (options.splitHan ?? true) ? UNICODE_WORD : UNICODE_WORD_HAN_RUNS;
  }

  tokenize(text: string): Token[] {
    const tokens = matchTokens(text, this.pattern, true);
    return this.wordsOnly ? tokens.filter((t) => t.type === 'word' || t.type === 'number') : tokens;
  }
}
