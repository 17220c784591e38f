export { greedySearch } from './greedy';
export { beamSearch } from './beamSearch';
export { FusedStepper, fusedDecodingAvailable } from './fusedStepper';
export { gnmtLengthPenalty, averageLengthPenalty, normalizedScore } from './penalties';
export type { DecodeOptions, DecodeStrategy, Hypothesis, StepOutput, Stepper } from './types';
