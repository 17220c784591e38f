// Owns the choice of decoding strategy: createDecoder turns a strategy name and its settings into one
// function that decodes a stepper, checking the settings once (the translator's single entry point).
import { RnnkitError } from '@rnnkit/core';
import { describeReceived } from '@rnnkit/text';
import { beamSearch, beamSettings } from './beamSearch';
import { greedySearch } from './greedy';
import { lengthPenalty } from './penalties';
import type { DecodeOptions, DecodeStrategy, Hypothesis, Stepper } from './types';

/** The decoding strategies by name. */
export const DECODE_STRATEGIES = ['greedy', 'beamSearch'] as const;
export type StrategyName = (typeof DECODE_STRATEGIES)[number];

const STRATEGIES: Readonly<Record<StrategyName, DecodeStrategy>> = { greedy: greedySearch, beamSearch };

/** What {@link createDecoder} takes: a strategy and its settings (the ids and lengths may come per call). */
export interface DecoderSpec extends Partial<DecodeOptions> {
  /** Default: 'beamSearch' when beamSize > 1, else 'greedy'. */
  strategy?: StrategyName;
}

/** Decodes every row of a stepper; `options` complete or override the spec's settings for this call. */
export type Decoder = (stepper: Stepper, options?: Partial<DecodeOptions>) => Hypothesis[][];

/**
 * A decoder for `spec`: greedy search, or beam search with `beamSize` beams ranked by the length penalty
 * `lengthPenalty` ('gnmt' with `alpha`, 'average', 'none'). The settings are checked here
 * (INVALID_ARGUMENT: an unknown strategy or length penalty, a bad beamSize / nBest / alpha);
 * `bosId` and `eosId` must be given here or with each call.
 */
export function createDecoder(spec: DecoderSpec = {}): Decoder {
  const { strategy: name = (spec.beamSize ?? 1) > 1 ? 'beamSearch' : 'greedy', ...settings } = spec;
  const strategy = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  if (!strategy) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected strategy to be one of ${DECODE_STRATEGIES.join(', ')}. Received: strategy=${describeReceived(name)}`);
  }
  lengthPenalty(settings.lengthPenalty, settings.alpha ?? 0.6); // checked for every strategy: a bad setting is an error even where unused
  if (name === 'beamSearch') beamSettings({ bosId: 0, eosId: 0, ...settings }); // checks the beam settings now
  return (stepper, options = {}) => {
    const o = { ...settings, ...options };
    if (typeof o.bosId !== 'number' || typeof o.eosId !== 'number') {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected bosId and eosId token ids. Received: bosId=${describeReceived(o.bosId)}, eosId=${describeReceived(o.eosId)}`);
    }
    return strategy(stepper, o as DecodeOptions);
  };
}
