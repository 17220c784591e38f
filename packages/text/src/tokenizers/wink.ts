// wink-tokenizer with offsets, its tags kept, and its `alien` failures on non-Latin scripts repaired.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../types/wink-tokenizer.d.ts" />
import winkTokenizer from 'wink-tokenizer';
import { alignPieces, repairTokens, tokenizeInChunks } from './align';
import { UnicodeWordTokenizer } from './simple';
import type { Token, Tokenizer } from './types';

/** The tags wink-tokenizer can detect; pass `false` to turn detection of one off (wink's `defineConfig`). */
export type WinkTag =
  | 'currency'
  | 'email'
  | 'emoji'
  | 'emoticon'
  | 'hashtag'
  | 'mention'
  | 'number'
  | 'ordinal'
  | 'punctuation'
  | 'quoted_phrase'
  | 'symbol'
  | 'time'
  | 'url'
  | 'word';

/** Options of {@link WinkTokenizer}. */
export interface WinkTokenizerOptions {
  /** Which tag detectors are on (wink's `defineConfig`); unlisted ones keep wink's defaults. */
  config?: Partial<Record<WinkTag, boolean>>;
  /** Split Han characters into one token each. Default true. */
  splitHan?: boolean;
}

/**
 * wink-tokenizer with exact offsets. Tokens keep wink's tags (`word`, `number`, `emoji`, `url`,
 * `email`, `mention`, `hashtag`, `punctuation`, ...). Words in scripts wink does not know (Cyrillic,
 * Greek, Arabic, CJK, Polish letters such as "ż") are tagged `word` instead of `alien` and are not split.
 */
export class WinkTokenizer implements Tokenizer {
  readonly name = 'wink';
  private readonly wink = winkTokenizer();
  private readonly splitHan: boolean;

  constructor(options: WinkTokenizerOptions = {}) {
    if (options.config) {
      const config: Record<string, boolean> = {};
      for (const [k, v] of Object.entries(options.config)) if (v !== undefined) config[k] = v;
      this.wink.defineConfig(config);
    }
    this.splitHan = options.splitHan ?? true;
  }

  tokenize(text: string): Token[] {
    if (text.length === 0) return [];
    return tokenizeInChunks(text, { maxChunk: 1024, maxRun: 256 }, (chunk) => this.tokenizeChunk(chunk), (run) => this.fallback.tokenize(run));
  }

  private readonly fallback = new UnicodeWordTokenizer();

  private tokenizeChunk(text: string): Token[] {
    const pieces = this.wink.tokenize(text).map((t) => ({ value: t.value, tag: t.tag }));
    return repairTokens(text, alignPieces(text, pieces), {
      fillDroppedLetters: true,
      splitHan: this.splitHan,
      unknownTags: ['alien'],
    });
  }
}

/** Creates a {@link WinkTokenizer}. */
export function winkWordTokenizer(options: WinkTokenizerOptions = {}): WinkTokenizer {
  return new WinkTokenizer(options);
}
