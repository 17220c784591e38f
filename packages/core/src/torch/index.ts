// PyTorch import: state-dict entries (from readSafetensors) as rnnkit / tfjs layers.
import { embedding, linear } from './feedForward';
import { recurrent } from './recurrent';
import { checkTorchSpec, torchSequential } from './spec';

export { recurrent, embedding, linear, torchSequential, checkTorchSpec };
export type { TorchModelSpec, TorchModuleSpec } from './spec';
export type { TorchRecurrentMode, TorchRecurrentOptions, TorchForwardOptions, TorchForwardResult, TorchRecurrent } from './recurrent';
export type { TorchEmbeddingOptions, TorchLinearOptions } from './feedForward';
export type { StateDict } from './stateDict';

/** `torchLayers.recurrent / embedding / linear`: PyTorch modules' state-dict entries as layers. */
export const torchLayers = { recurrent, embedding, linear };
