export { Embedding, embedding, registerEmbedding } from './layer';
export type { EmbeddingArgs, InitializerName, SerializedInitializer, TfInitializer } from './layer';
export { embeddingLookup } from './lookup';
export { WordVectors } from './vectors';
export type { Neighbour } from './vectors';
export { loadPretrainedVectors, loadWinkEmbeddings } from './pretrained';
export type { PretrainedOptions, VectorFormat, WinkEmbeddingsOptions } from './pretrained';
