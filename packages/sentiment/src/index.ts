// @rnnkit/sentiment public API. Named exports only, listed explicitly.

// --- classifier (src/classifier.ts)
export { SentimentClassifier } from './classifier';
export type { ClassifierOptions, ClassifierTrainOptions, Prediction, SaveOptions } from './classifier';

// --- input contract and load-time probe (src/textInput.ts, src/probe.ts)
export { MAX_TEXT_LENGTH } from './textInput';
export type { TextFlags } from './textInput';
export { assertFiniteOutputs } from './probe';
export type { Probeable } from './probe';

// --- network (src/model.ts)
export { buildNetwork, forwardPass, MaskedPooling, maskedPool, sentimentCustomObjects, DEFAULT_NETWORK } from './model';
export type { NetworkConfig, CellType, Pooling } from './model';

// --- preprocessing (src/preprocess.ts)
export { Preprocessor, DEFAULT_PREPROCESS, emojiToWords } from './preprocess';
export type { PreprocessConfig, TokenizerName } from './preprocess';

// --- data (src/data.ts)
export { parseExamples, readExamples, loadExamples, readUtf8Lines, utf8Lines, splitCsvRecord } from './data';
export type { Example, DataFormat, DataOptions } from './data';

// --- training and metrics (src/train.ts, src/metrics.ts)
export { trainLoop, bucketedBatches } from './train';
export type { TrainOptions, TrainProgress, TrainResult, TrainCheckpoint, LrSchedule, EncodedData } from './train';
export { classificationMetrics } from './metrics';
export type { Evaluation, ClassMetrics } from './metrics';

// --- explanations (src/explain.ts)
export { explainWithOcclusion } from './explain';
export type { Explanation, TokenContribution } from './explain';

// --- saving (src/io.ts, src/quantize.ts)
export { SENTIMENT_JSON } from './io';
export type { SentimentMeta } from './io';
export type { Quantization } from '@rnnkit/core';
