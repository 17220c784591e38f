// @rnnkit/text/natural: natural's tokenizers (word, Treebank, word-punct, aggressive in 16 languages,
// case) with offsets, and its sentence splitter. natural is an optional peer dependency: `npm i natural`
// to use this entry (the main entry's treebankTokenizer needs no natural install).
export {
  NaturalTokenizer,
  SentenceSplitter,
  aggressiveTokenizer,
  naturalWordTokenizer,
  splitSentences,
  wordPunctTokenizer,
} from './tokenizers/natural';
export type { NaturalLanguage, NaturalTokenizerKind, NaturalTokenizerOptions, SentenceSplitterOptions } from './tokenizers/natural';
