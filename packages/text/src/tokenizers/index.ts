export type { Token, Tokenizer } from './types';
export { tokenTexts } from './types';
export { WinkTokenizer, winkWordTokenizer } from './wink';
export type { WinkTag, WinkTokenizerOptions } from './wink';
export {
  NaturalTokenizer,
  SentenceSplitter,
  aggressiveTokenizer,
  naturalWordTokenizer,
  splitSentences,
  treebankTokenizer,
  wordPunctTokenizer,
} from './natural';
export type { NaturalLanguage, NaturalTokenizerKind, NaturalTokenizerOptions, SentenceSplitterOptions } from './natural';
export { CharacterTokenizer, RegexpTokenizer, UnicodeWordTokenizer, WhitespaceTokenizer } from './simple';
export type { CharacterTokenizerOptions, RegexpTokenizerOptions, UnicodeWordTokenizerOptions } from './simple';
