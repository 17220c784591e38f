import type { ActivationName } from './activations';

/**
 * Keras's defaults for the recurrent cells and layers (Keras 2 and 3 agree), in tfjs identifiers.
 * tfjs's own defaults differ (hardSigmoid recurrent activation, glorotNormal kernel); rnnkit uses these.
 */
export const RNN_DEFAULTS = Object.freeze({
  activation: 'tanh' as ActivationName,
  recurrentActivation: 'sigmoid' as ActivationName,
  useBias: true,
  kernelInitializer: 'glorotUniform',
  recurrentInitializer: 'orthogonal',
  biasInitializer: 'zeros',
  unitForgetBias: true,
  resetAfter: true,
  dropout: 0,
  recurrentDropout: 0,
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  stateful: false,
  unroll: false,
  zeroOutputForMask: false,
});
