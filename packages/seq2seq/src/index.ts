// @rnnkit/seq2seq public API. Named exports only, listed explicitly.

// --- model (config, encoder, attention, decoder)
export { Seq2Seq, seq2seq } from './model';
export type { Seq2SeqBatch, LossOptions } from './model';
export { SEQ2SEQ_DEFAULTS, resolveConfig } from './config';
export type { Seq2SeqConfig, ResolvedConfig, CellType, AttentionType } from './config';
export { encode } from './encoder';
export type { EncoderOutput } from './encoder';
export { attend, prepareKeys } from './attention';
export type { AttentionKeys, AttentionResult } from './attention';
export { decoderStep, teacherForce, initialDecoderState, canVectorize, outputLogits } from './decoder';
export type { DecoderState, DecoderStepOutput } from './decoder';

// --- decoding strategies
export {
  greedySearch, beamSearch, createDecoder, DECODE_STRATEGIES, gnmtLengthPenalty, averageLengthPenalty, normalizedScore, lengthPenalty, LENGTH_PENALTIES,
  CompositeStepper, FusedStepper, fusedDecodingAvailable,
} from './decode/index';
export type { DecodeOptions, DecodeStrategy, Decoder, DecoderSpec, StrategyName, LengthPenaltyName, ScoreFunction, Hypothesis, StepOutput, Stepper } from './decode/index';

// --- translator, io, text units
export { Translator, replaceUnknown } from './translator';
export type { TranslateOptions, Translation, TranslationFlags } from './translator';
export { MAX_TEXT_LENGTH, MAX_SENTENCES, MAX_SENTENCE_LENGTH, MAX_SOURCE_UNITS, MAX_DECODE_LENGTH, decodeLength, splitLongSentence } from './sourceText';
export { assertFiniteOutputs } from './probe';
export { saveSeq2Seq, loadSeq2Seq, loadSeq2SeqFromUrl, loadSeq2SeqFrom, MODEL_FORMAT } from './io';
// the BPE fingerprint model.json stores lives in @rnnkit/text beside the vocabulary's; kept here for existing imports
export { bpeFingerprint } from '@rnnkit/text';
export type { Seq2SeqArtifacts, LoadedSeq2Seq, SaveOptions } from './io';
export { normalizeText, pretokenize, detokenize, toUnits, fromUnits } from './preprocess';

// --- training
export { trainSeq2Seq, evaluateLoss, makeBatch, loadCheckpointWeights } from './train';
export type { ParallelIds, TrainOptions, TrainResult, EpochReport, Progress } from './train';

// --- metrics
export { corpusBleu, sentenceBleu, tokenizedBleu, computeBleu, tokenize13a } from './metrics/bleu';
export type { BleuOptions, BleuScore, SmoothMethod, BleuTokenize, TokenizedBleuOptions } from './metrics/bleu';
export { perplexity } from './metrics/perplexity';
