// A string tokenizer (text -> token strings, as natural's tokenizers give them) turned into an rnnkit
// Tokenizer with exact offsets, repaired for non-Latin text. Used by the Treebank tokenizer here and by
// natural's other tokenizers in the `@rnnkit/text/natural` entry.
import { alignPieces, repairTokens, tokenizeInChunks } from './align';
import { UnicodeWordTokenizer } from './simple';
import type { Token, Tokenizer } from './types';

/** Something that splits text into token strings (natural's tokenizer interface). */
export interface StringTokenizer {
  tokenize(text: string): string[] | null;
}

/** Options of {@link WrappedTokenizer}. */
export interface WrappedTokenizerOptions {
  /** Restore letters the inner tokenizer drops and re-join words it splits at non-ASCII letters. Default true. */
  unicodeFix?: boolean;
  /** Split Han characters into one token each. Default true. */
  splitHan?: boolean;
}

/**
 * A string tokenizer with exact offsets. With `unicodeFix` (default) letters natural-style ASCII/Latin-1
 * classes drop are restored and words split at a non-ASCII letter are re-joined, so "São" stays one
 * token and Greek, Arabic, Polish or emoji text is not lost or cut inside a character.
 */
export class WrappedTokenizer implements Tokenizer {
  private readonly unicodeFix: boolean;
  private readonly splitHan: boolean;
  private readonly fallback = new UnicodeWordTokenizer();

  constructor(readonly name: string, private readonly inner: StringTokenizer, options: WrappedTokenizerOptions = {}) {
    this.unicodeFix = options.unicodeFix ?? true;
    this.splitHan = options.splitHan ?? true;
  }

  tokenize(text: string): Token[] {
    if (text.length === 0) return [];
    return tokenizeInChunks(text, { maxChunk: 1024, maxRun: 256 }, (chunk) => this.tokenizeChunk(chunk), (run) => this.fallback.tokenize(run));
  }

  private tokenizeChunk(text: string): Token[] {
    const raw = this.inner.tokenize(text) ?? [];
    const aligned = alignPieces(text, raw.map((value) => ({ value })));
    return repairTokens(text, aligned, { fillDroppedLetters: this.unicodeFix, splitHan: this.unicodeFix && this.splitHan });
  }
}
