// @rnnkit/text public API. Named exports only, listed explicitly.

// --- tokenizers (src/tokenizers)
export {
  CharacterTokenizer,
  RegexpTokenizer,
  UnicodeWordTokenizer,
  WhitespaceTokenizer,
  WinkTokenizer,
  WrappedTokenizer,
  tokenTexts,
  treebankTokenizer,
  treebankWords,
  winkWordTokenizer,
} from './tokenizers/index';
export type {
  CharacterTokenizerOptions,
  RegexpTokenizerOptions,
  StringTokenizer,
  Token,
  Tokenizer,
  UnicodeWordTokenizerOptions,
  WinkTag,
  WinkTokenizerOptions,
  WrappedTokenizerOptions,
} from './tokenizers/index';
// natural's word, word-punct, aggressive and case tokenizers and its sentence splitter: `@rnnkit/text/natural`.

// --- sentences (src/sentences.ts)
export { DEFAULT_ABBREVIATIONS, segmentSentences } from './sentences';
export type { SegmentSentencesOptions, SentenceSpan } from './sentences';

// --- input contract shared by the libraries (src/input.ts)
export { LOW_COVERAGE_THRESHOLD, assertText, assertTexts, coverageOf, describeReceived, isBlank, truncateText, unseenLetterShare, vocabCharacters } from './input';

// --- normalization (src/normalize.ts)
export {
  collapseWhitespace,
  createNormalizer,
  defaultNormalizer,
  lowercase,
  nfc,
  nfd,
  nfkc,
  normalizeSpaces,
  removeControlChars,
  removeZeroWidth,
  replaceLoneSurrogates,
  stripAccents,
  unescapeMoses,
} from './normalize';
export type { NormalizeStep, NormalizeStepName } from './normalize';

// --- vocabulary (src/vocab.ts)
export { DEFAULT_SPECIALS, Vocab, assertVocabMatches, loadVocab, saveVocab } from './vocab';
export type { VocabBuildOptions, VocabDecodeOptions, VocabEncodeOptions, VocabJSON, VocabSpecials } from './vocab';

// --- subwords (src/bpe)
export { Bpe, END_OF_WORD, countWords, learnBpe, learnBpeMerges, loadBpe, saveBpe } from './bpe/index';
export type { BpeJSON, BpeLearnOptions, BpeOptions, LearnedBpe } from './bpe/index';
export { bpeFingerprint } from './hash';

// --- pipeline (src/pipeline.ts)
export { TextPipeline } from './pipeline';
export type { Encoding, TextPipelineOptions } from './pipeline';

// --- batching (src/batching.ts, src/random.ts)
export { batchToTensors, bucketByLength, makeBatches, padSequences, paddingFraction, readLines, streamBatches } from './batching';
export type { BucketOptions, MakeBatchesOptions, PadOptions, PaddedBatch, ReadLinesOptions, StreamBatchesOptions } from './batching';
export { createRng, shuffle } from './random';
export type { Rng } from './random';

// --- embeddings (src/embeddings)
export { Embedding, WordVectors, embedding, embeddingLookup, loadPretrainedVectors, loadWinkEmbeddings, registerEmbedding } from './embeddings/index';
export type {
  EmbeddingArgs,
  InitializerName,
  Neighbour,
  PretrainedOptions,
  SerializedInitializer,
  TfInitializer,
  VectorFormat,
  WinkEmbeddingsOptions,
} from './embeddings/index';
