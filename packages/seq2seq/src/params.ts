// Owns the model's variables: created once from the config with a seeded uniform(-0.1, 0.1) initializer
// (OpenNMT-py's default `param_init 0.1`), LSTM forget-gate bias 1, other biases 0. Shapes follow core's
// gate table (Keras layout, GRU with resetAfter).
import * as tf from '@tensorflow/tfjs';
import { CELL_GATES, cellBiasShape } from '@rnnkit/core';
import type { ResolvedConfig } from './config';

/** Weights of one recurrent layer, in Keras layout (core's `CellWeights`; GRU with resetAfter, bias [2, 3u]). */
export interface RnnWeights {
  kernel: tf.Variable<tf.Rank.R2>; // [in, G*u]
  recurrentKernel: tf.Variable<tf.Rank.R2>; // [u, G*u]
  bias: tf.Variable; // GRU [2, 3u], LSTM [4u]
}

/** All variables by name, in a fixed order (the save order). */
export type ParamMap = Map<string, tf.Variable>;

export interface ModelParams {
  srcEmbedding: tf.Variable; // [srcVocab, E]
  tgtEmbedding: tf.Variable; // [tgtVocab, E]
  /** encoder[layer] = [forward, backward]; each direction has hiddenUnits / 2 units. */
  encoder: Array<[RnnWeights, RnnWeights]>;
  decoder: RnnWeights; // units = hiddenUnits
  /** general: Wa [H, H]; concat/bahdanau: Wq [H, H], Wk [H, H], v [H]. */
  attn: { wa?: tf.Variable; wq?: tf.Variable; wk?: tf.Variable; v?: tf.Variable };
  /** Attentional vector tanh(Wc [h; ctx]): [2H, H]. */
  wc: tf.Variable;
  /** Output projection [H, tgtVocab] (absent when tied) and bias [tgtVocab]. */
  outKernel?: tf.Variable;
  outBias: tf.Variable;
  all: ParamMap;
}

/** Decoder input size: embedding, plus the fed attentional vector, plus the Bahdanau context. */
export function decoderInputDim(c: ResolvedConfig): number {
  return c.embeddingDim + (c.inputFeeding ? c.hiddenUnits : 0) + (c.attention === 'bahdanau' ? c.hiddenUnits : 0);
}

/** The shapes of every variable, by name (also the save manifest's order). */
export function paramShapes(c: ResolvedConfig): Array<[string, number[]]> {
  const H = c.hiddenUnits;
  const half = H / 2;
  const g = CELL_GATES[c.cell];
  const bias = (u: number) => cellBiasShape(c.cell, u);
  const shapes: Array<[string, number[]]> = [['src_embedding', [c.srcVocabSize, c.embeddingDim]], ['tgt_embedding', [c.tgtVocabSize, c.embeddingDim]]];
  for (let l = 0; l < c.encoderLayers; l++) {
    const inDim = l === 0 ? c.embeddingDim : H;
    for (const dir of ['fw', 'bw']) {
      shapes.push([`encoder_${l}_${dir}_kernel`, [inDim, g * half]], [`encoder_${l}_${dir}_recurrent_kernel`, [half, g * half]], [`encoder_${l}_${dir}_bias`, bias(half)]);
    }
  }
  shapes.push(['decoder_kernel', [decoderInputDim(c), g * H]], ['decoder_recurrent_kernel', [H, g * H]], ['decoder_bias', bias(H)]);
  if (c.attention === 'general') shapes.push(['attn_wa', [H, H]]);
  if (c.attention === 'concat' || c.attention === 'bahdanau') shapes.push(['attn_wq', [H, H]], ['attn_wk', [H, H]], ['attn_v', [H]]);
  shapes.push(['attn_wc', [2 * H, H]]);
  if (!c.tieEmbeddings) shapes.push(['out_kernel', [H, c.tgtVocabSize]]);
  shapes.push(['out_bias', [c.tgtVocabSize]]);
  return shapes;
}

function initValue(name: string, shape: number[], c: ResolvedConfig, seed: number): tf.Tensor {
  if (name.endsWith('_bias')) {
    if (c.cell === 'lstm' && (name.startsWith('encoder') || name.startsWith('decoder'))) {
      const u = (shape[0] as number) / 4;
      return tf.concat([tf.zeros([u]), tf.ones([u]), tf.zeros([2 * u])]); // unit forget bias
    }
    return tf.zeros(shape);
  }
  return tf.randomUniform(shape, -0.1, 0.1, 'float32', seed);
}

/** Creates the variables (values from `values` when given, e.g. on load). */
export function createParams(c: ResolvedConfig, values?: Map<string, tf.Tensor>): ModelParams {
  const all: ParamMap = new Map();
  paramShapes(c).forEach(([name, shape], i) => {
    const v = values?.get(name);
    const init = v ?? tf.tidy(() => initValue(name, shape, c, c.seed * 1000 + i + 1));
    all.set(name, tf.variable(init, true, `seq2seq/${name}/${Math.random().toString(36).slice(2, 8)}`));
    if (!v) init.dispose();
  });
  const get = (n: string): tf.Variable => all.get(n) as tf.Variable;
  const get2 = (n: string) => get(n) as tf.Variable<tf.Rank.R2>; // created with the 2-D shapes of paramShapes
  const rnnW = (p: string): RnnWeights => ({ kernel: get2(`${p}_kernel`), recurrentKernel: get2(`${p}_recurrent_kernel`), bias: get(`${p}_bias`) });
  const encoder: Array<[RnnWeights, RnnWeights]> = [];
  for (let l = 0; l < c.encoderLayers; l++) encoder.push([rnnW(`encoder_${l}_fw`), rnnW(`encoder_${l}_bw`)]);
  const attn: ModelParams['attn'] = {};
  if (all.has('attn_wa')) attn.wa = get('attn_wa');
  if (all.has('attn_wq')) {
    attn.wq = get('attn_wq');
    attn.wk = get('attn_wk');
    attn.v = get('attn_v');
  }
  const p: ModelParams = {
    srcEmbedding: get('src_embedding'), tgtEmbedding: get('tgt_embedding'), encoder, decoder: rnnW('decoder'), attn,
    wc: get('attn_wc'), outBias: get('out_bias'), all,
  };
  if (all.has('out_kernel')) p.outKernel = get('out_kernel');
  return p;
}
