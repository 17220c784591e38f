export type { Token, Tokenizer } from './types';
export { tokenTexts } from './types';
export { WinkTokenizer, winkWordTokenizer } from './wink';
export type { WinkTag, WinkTokenizerOptions } from './wink';
// natural's other tokenizers are the `@rnnkit/text/natural` entry (src/natural.ts): natural is an optional peer.
export { treebankTokenizer, treebankWords } from './treebank';
export { WrappedTokenizer } from './wrapped';
export type { StringTokenizer, WrappedTokenizerOptions } from './wrapped';
export { CharacterTokenizer, RegexpTokenizer, UnicodeWordTokenizer, WhitespaceTokenizer } from './simple';
export type { CharacterTokenizerOptions, RegexpTokenizerOptions, UnicodeWordTokenizerOptions } from './simple';
