export { Bpe, learnBpe, loadBpe, saveBpe } from './model';
export type { BpeJSON, BpeOptions } from './model';
export { END_OF_WORD, countWords, learnBpeMerges } from './learn';
export type { BpeLearnOptions, LearnedBpe } from './learn';
