/** One token: its text and its UTF-16 offsets into the original string (`text === source.slice(start, end)`). */
export interface Token {
  /** The token's text, always equal to `source.slice(start, end)`. */
  text: string;
  /** Offset of the first UTF-16 code unit in the source string. */
  start: number;
  /** Offset one past the last UTF-16 code unit in the source string. */
  end: number;
  /**
   * What kind of token it is, when the tokenizer knows: wink-tokenizer's tags (`word`, `number`, `emoji`,
   * `url`, `email`, `mention`, `hashtag`, `punctuation`, `symbol`, ...) or `word` / `punctuation` / `space`.
   */
  type?: string;
}

/** Splits text into tokens with exact character offsets. */
export interface Tokenizer {
  /** A short name, e.g. `"wink"`, `"natural:treebank"`, `"whitespace"`. */
  readonly name: string;
  /** Splits `text` into tokens in source order; offsets index into `text` itself. */
  tokenize(text: string): Token[];
}

/** Returns only the texts of a tokenizer's tokens. */
export function tokenTexts(tokenizer: Tokenizer, text: string): string[] {
  return tokenizer.tokenize(text).map((t) => t.text);
}
