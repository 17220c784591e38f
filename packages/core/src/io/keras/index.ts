// Keras file import: public entry of src/io/keras.
export { readKerasModel, kerasArtifactsFromSource, isModelBytes } from './source';
export type { ModelBytes, FetchOptions } from './source';
export { detectModelFormat } from './sniff';
export type { ModelFileFormat } from './sniff';
