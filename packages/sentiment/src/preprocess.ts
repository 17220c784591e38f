// Text -> tokens -> ids, the same way at training and at prediction time, described by a JSON config
// that a saved model records (sentiment.json), so a model always reads text the way it was trained.
import { RnnkitError } from '@rnnkit/core';
import { createNormalizer, treebankTokenizer, UnicodeWordTokenizer, Vocab, WhitespaceTokenizer, type NormalizeStepName, type Tokenizer } from '@rnnkit/text';

/** Tokenizers a classifier can record by name. */
export type TokenizerName = 'treebank' | 'whitespace' | 'unicode';

/** How raw text becomes tokens. Stored in sentiment.json. */
export interface PreprocessConfig {
  /** Normalization steps of @rnnkit/text's `createNormalizer`, in order. */
  normalize: NormalizeStepName[];
  tokenizer: TokenizerName;
  /** Map Penn Treebank escapes (`-lrb-`, `-rrb-`, `\/`, `\*`) and double quotes to the forms SST uses. */
  ptbTokens: boolean;
  /** Longest token sequence fed to the model; longer texts are cut (the end is kept out). */
  maxLength: number;
  /**
   * Read common sentiment emoji as English words before normalizing (👍 -> "good", 👎 -> "bad", ❤️ -> "love",
   * 😡 -> "angry", ...), so a model of word vectors gets their meaning instead of an unknown token. Off unless a
   * model's config turns it on (a model reads text the way its config says; older configs lack the field).
   */
  emoji?: boolean;
}

/**
 * The emoji `emoji: true` reads, with the word each stands for: only those whose sentiment is not in doubt
 * (faces that can mean laughter at or with, fire, skulls and the like are left as they are).
 */
const EMOJI_WORDS: Readonly<Record<string, string>> = {
  '👍': 'good', '👌': 'good', '👏': 'great', '🙌': 'great', '🎉': 'great', '⭐': 'great', '🌟': 'great', '💯': 'great',
  '❤️': 'love', '❤': 'love', '💕': 'love', '💖': 'love', '💗': 'love', '😍': 'love', '🥰': 'love', '😘': 'love',
  '😀': 'happy', '😃': 'happy', '😄': 'happy', '😁': 'happy', '😊': 'happy', '🙂': 'happy', '☺️': 'happy', '☺': 'happy',
  '👎': 'bad', '💩': 'awful', '🤮': 'awful', '🤢': 'awful', '😡': 'angry', '😠': 'angry', '🤬': 'angry',
  '😞': 'disappointing', '😒': 'disappointing', '🙁': 'disappointing', '☹️': 'disappointing', '☹': 'disappointing',
  '😩': 'awful', '😫': 'awful', '😴': 'boring', '🥱': 'boring', '💤': 'boring',
};
const EMOJI_PATTERN = new RegExp(Object.keys(EMOJI_WORDS).sort((a, b) => b.length - a.length).join('|'), 'gu');

/** `text` with every emoji of {@link EMOJI_WORDS} replaced by its word, spaced apart from its neighbours. */
export function emojiToWords(text: string): string {
  return text.replace(EMOJI_PATTERN, (e) => ` ${EMOJI_WORDS[e] as string} `);
}

/** Default: NFKC + lowercase, Treebank tokens, PTB escapes unified (matches SST's tokenization). */
export const DEFAULT_PREPROCESS: Readonly<PreprocessConfig> = Object.freeze({
  normalize: ['loneSurrogates', 'controlChars', 'nfkc', 'spaces', 'zeroWidth', 'lowercase', 'collapseWhitespace'] as NormalizeStepName[],
  tokenizer: 'treebank' as TokenizerName,
  ptbTokens: true,
  maxLength: 100,
});

const PTB_MAP: Record<string, string> = {
  '-lrb-': '(', '-rrb-': ')', '-lsb-': '[', '-rsb-': ']', '-lcb-': '{', '-rcb-': '}',
  '\\/': '/', '\\*': '*', '"': "''", '``': "''", '`': "'", '“': "''", '”': "''", '‘': "'", '’': "'",
};

function makeTokenizer(name: TokenizerName): Tokenizer {
  switch (name) {
    case 'treebank':
      return treebankTokenizer();
    case 'whitespace':
      return new WhitespaceTokenizer();
    case 'unicode':
      return new UnicodeWordTokenizer();
    default:
      throw new RnnkitError('INVALID_ARGUMENT', `Expected tokenizer 'treebank', 'whitespace' or 'unicode'. Received: ${JSON.stringify(name)}`);
  }
}

/** A compiled {@link PreprocessConfig}: `tokens(text)` and `ids(text, vocab)`. */
export class Preprocessor {
  readonly config: PreprocessConfig;
  private readonly norm: (s: string) => string;
  private readonly tokenizer: Tokenizer;

  constructor(config: Partial<PreprocessConfig> = {}) {
    this.config = { ...DEFAULT_PREPROCESS, ...config, normalize: [...(config.normalize ?? DEFAULT_PREPROCESS.normalize)] };
    if (!Number.isInteger(this.config.maxLength) || this.config.maxLength < 1) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected maxLength to be a positive integer. Received: maxLength=${String(this.config.maxLength)}`);
    }
    this.norm = createNormalizer(this.config.normalize);
    this.tokenizer = makeTokenizer(this.config.tokenizer);
  }

  /** The model's tokens of a text (normalized, tokenized, PTB forms unified), at most maxLength. */
  tokens(text: string): string[] {
    return this.tokenize(text).tokens;
  }

  /** {@link tokens}, and whether the text had more than maxLength tokens (the rest were left out). */
  tokenize(text: string): { tokens: string[]; truncated: boolean } {
    const out: string[] = [];
    for (const t of this.tokenizer.tokenize(this.norm(this.config.emoji ? emojiToWords(text) : text))) {
      const s = this.config.ptbTokens ? (PTB_MAP[t.text] ?? t.text) : t.text;
      if (s.length === 0) continue;
      if (out.length >= this.config.maxLength) return { tokens: out, truncated: true };
      out.push(s);
    }
    return { tokens: out, truncated: false };
  }

  /** Token ids under `vocab` (unknown tokens map to `<unk>`). */
  ids(text: string, vocab: Vocab): number[] {
    return vocab.encode(this.tokens(text));
  }
}
