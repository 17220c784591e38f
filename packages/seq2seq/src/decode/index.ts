// Owns the public surface of decoding: the strategies, the steppers, the length penalties and the factory.
export { greedySearch } from './greedy';
export { beamSearch } from './beamSearch';
export { createDecoder, DECODE_STRATEGIES } from './strategy';
export type { Decoder, DecoderSpec, StrategyName } from './strategy';
export { CompositeStepper } from './compositeStepper';
export { FusedStepper, fusedDecodingAvailable } from './fusedStepper';
export { gnmtLengthPenalty, averageLengthPenalty, normalizedScore, lengthPenalty, LENGTH_PENALTIES } from './penalties';
export type { LengthPenaltyName, ScoreFunction } from './penalties';
export type { DecodeOptions, DecodeStrategy, Hypothesis, StepOutput, Stepper } from './types';
