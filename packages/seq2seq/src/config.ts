// The model's configuration: exactly the constructor's arguments (Keras `getConfig` convention).
import { RnnkitError } from '@rnnkit/core';

export type CellType = 'gru' | 'lstm';
/** `bahdanau` (additive, query h_{t-1}, context fed to the RNN), Luong `dot`, `general`, `concat` (query h_t). */
export type AttentionType = 'bahdanau' | 'dot' | 'general' | 'concat';

/** Constructor arguments of {@link Seq2Seq}. */
export interface Seq2SeqConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  /** Embedding size (source and target). Default 128. */
  embeddingDim?: number;
  /** Decoder units; each encoder direction has `hiddenUnits / 2`. Default 256. */
  hiddenUnits?: number;
  /** Stacked bidirectional encoder layers. Default 1. */
  encoderLayers?: number;
  cell?: CellType;
  attention?: AttentionType;
  /** Feed the previous attentional vector into the next decoder input (Luong et al. 2015). Default true. */
  inputFeeding?: boolean;
  /** Tie the output projection to the target embedding (needs `embeddingDim === hiddenUnits`). Default false. */
  tieEmbeddings?: boolean;
  /** Dropout on embeddings and attentional vectors during training. Default 0. */
  dropout?: number;
  /** Seed of the weight initializers. Default 0. */
  seed?: number;
}

export type ResolvedConfig = Required<Seq2SeqConfig>;

export const SEQ2SEQ_DEFAULTS = Object.freeze({
  embeddingDim: 128, hiddenUnits: 256, encoderLayers: 1, cell: 'gru' as CellType, attention: 'general' as AttentionType,
  inputFeeding: true, tieEmbeddings: false, dropout: 0, seed: 0,
});

function posInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive integer. Received: ${name}=${JSON.stringify(v)}`);
  }
  return v;
}

/** Fills the defaults and checks every field (INVALID_ARGUMENT naming the field). */
export function resolveConfig(c: Seq2SeqConfig): ResolvedConfig {
  const r: ResolvedConfig = { ...SEQ2SEQ_DEFAULTS, ...c } as ResolvedConfig;
  for (const k of ['srcVocabSize', 'tgtVocabSize', 'embeddingDim', 'hiddenUnits', 'encoderLayers'] as const) posInt(k, r[k]);
  if (r.hiddenUnits % 2 !== 0) throw new RnnkitError('INVALID_ARGUMENT', `Expected hiddenUnits to be even (two encoder directions). Received: hiddenUnits=${r.hiddenUnits}`);
  if (r.cell !== 'gru' && r.cell !== 'lstm') throw new RnnkitError('INVALID_ARGUMENT', `Expected cell "gru" or "lstm". Received: cell=${JSON.stringify(r.cell)}`);
  if (!['bahdanau', 'dot', 'general', 'concat'].includes(r.attention)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected attention "bahdanau", "dot", "general" or "concat". Received: attention=${JSON.stringify(r.attention)}`);
  }
  if (r.tieEmbeddings && r.embeddingDim !== r.hiddenUnits) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected embeddingDim === hiddenUnits with tieEmbeddings. Received: embeddingDim=${r.embeddingDim}, hiddenUnits=${r.hiddenUnits}`);
  }
  if (!(r.dropout >= 0 && r.dropout < 1)) throw new RnnkitError('INVALID_ARGUMENT', `Expected dropout in [0, 1). Received: dropout=${r.dropout}`);
  return r;
}

