// Model I/O and Keras import: public entry of src/io.
export { loadLayersModel, modelFromArtifacts } from './loadModel';
export type { ModelSource, LoadLayersModelOptions, CustomObjects } from './loadModel';
export { fileSystem, saveLayersModel, MODEL_JSON } from './fileSystem';
export { normalizeTopology, collectLayerClassNames } from './normalize';
export type { NormalizedTopology, TopologyFlavor, Json, JsonObject } from './normalize';
export { decodeStoredWeights, weightsByteLength } from './weights';
export type { StoredWeight } from './weights';
export { quantizeArtifacts, quantizeWeights, toFloat16Bits } from './quantize';
export type { Quantization } from './quantize';
export { installMaskedPredict, runMaskedGraph } from './maskedGraph';
export { folderModelFiles, urlModelFiles, isModelUrl, modelBaseUrl } from './modelFiles';
export type { ModelFiles, FetchModelOptions } from './modelFiles';
export { checkRelativePath, checkWeightsManifest, readManifestWeights } from './manifest';
export { MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_WEIGHT_ELEMENTS, parseModelJson } from './limits';
export { checkFiniteWeights } from './finite';
export { firstInvalidByte } from './utf8';
export { locateShippedModel, shippedAssets } from './shippedModel';
export type { ShippedModel } from './shippedModel';
