// Keras file import: public entry of src/io/keras.
export { readKerasModel, kerasArtifactsFromSource } from './source';
export type { ModelBytes, FetchOptions } from '../bytes';
export { detectModelFormat } from './sniff';
export type { ModelFileFormat } from './sniff';
