// The decoder's weights inside a KernelArena for the fused decoding step: read once from the model's
// variables, matrices packed for the GEMM, kept by the arena for the next translate call as long as the
// variables hold the same data (a variable's data id changes when it is assigned, e.g. by training).
import type * as tf from '@tensorflow/tfjs';
import { CELL_GATES, type ArenaRows, type KernelArena } from '@rnnkit/core';
import type { ResolvedConfig } from '../config';
import type { ModelParams } from '../params';

/** Pointers into the arena (0 = absent); packed matrices are ready for `arena.gemm`. */
export interface DecoderWeights {
  E: number;
  H: number;
  /** Gate width: 3H (GRU) or 4H (LSTM). */
  G: number;
  V: number;
  /** Target embedding [V, E]. */
  embedding: ArenaRows;
  /** Decoder kernel rows of the embedding [E, G], of the fed attentional vector and of the Bahdanau context [H, G]. */
  kEmb: number;
  kFeed: number;
  kCtx: number;
  /** GRU input bias (bias row 0) or LSTM bias [G]. */
  biasIn: number;
  /** GRU recurrent bias (bias row 1) [G]; 0 for LSTM. */
  biasRec: number;
  /** Recurrent kernel [H, G]. */
  recurrent: number;
  /** The keys' projection of the memory, general: Wa, additive: Wk [H, H]; 0 for dot (keys = memory). */
  wKeys: number;
  /** Additive attention: Wq [H, H] and the score vector v [H]. */
  wq: number;
  v: number;
  /** tanh(Wc [h; ctx]): [2H, H]. */
  wc: number;
  /** Output projection [H, V] (the embedding transposed when tied) and bias [V]. */
  out: number;
  outBias: number;
  /**
   * The input projection of each target token, embedding[v] Wemb + biasIn [V, G], computed the first time
   * the token is fed (`filled[v]`) and kept.
   */
  table: ArenaRows;
  filled: Uint8Array;
}

/** The variables the fused step reads, in a fixed order. */
function used(p: ModelParams): tf.Variable[] {
  const vs: Array<tf.Variable | undefined> = [
    p.tgtEmbedding, p.decoder.kernel, p.decoder.recurrentKernel, p.decoder.bias, p.attn.wa, p.attn.wk, p.attn.wq, p.attn.v, p.wc,
    p.outKernel, p.outBias,
  ];
  return vs.filter((v): v is tf.Variable => v !== undefined);
}

/** What identifies loaded weights: the params object and the data of every variable read. */
export function weightsKey(p: ModelParams): unknown[] {
  return [p, ...used(p).map((v) => v.dataId)];
}

/**
 * Reads and packs the decoder's weights into `arena` (call through `arena.cached`). What the steps read is
 * allocated first; the raw matrices are copied in above it, packed into place and freed.
 */
export function loadDecoderWeights(arena: KernelArena, c: ResolvedConfig, p: ModelParams): DecoderWeights {
  const E = c.embeddingDim;
  const H = c.hiddenUnits;
  const G = CELL_GATES[c.cell] * H;
  const V = c.tgtVocabSize;
  const additive = c.attention === 'concat' || c.attention === 'bahdanau';
  const keyKernel = c.attention === 'general' ? p.attn.wa : additive ? p.attn.wk : undefined;
  const packed = (K: number, N: number) => arena.allocBytes(arena.packedBytes(K, N));
  const emb = arena.putTensor(p.tgtEmbedding);
  const bias = arena.putTensor(p.decoder.bias); // GRU [2, G], LSTM [G]
  const w: DecoderWeights = {
    E, H, G, V,
    embedding: { ptr: emb, stride: E },
    kEmb: packed(E, G),
    kFeed: c.inputFeeding ? packed(H, G) : 0,
    kCtx: c.attention === 'bahdanau' ? packed(H, G) : 0,
    biasIn: bias,
    biasRec: c.cell === 'gru' ? bias + G * 4 : 0,
    recurrent: packed(H, G),
    wKeys: keyKernel ? packed(H, H) : 0,
    wq: additive ? packed(H, H) : 0,
    v: additive ? arena.putTensor(p.attn.v as tf.Variable) : 0,
    wc: packed(2 * H, H),
    out: packed(H, V),
    outBias: arena.putTensor(p.outBias),
    table: { ptr: arena.alloc(V * G), stride: G },
    filled: new Uint8Array(V),
  };
  const keep = arena.mark();
  const kernel = arena.putTensor(p.decoder.kernel); // [E (+H feed) (+H ctx), G]
  arena.packB(false, E, G, kernel, G, w.kEmb);
  if (w.kFeed) arena.packB(false, H, G, kernel + E * G * 4, G, w.kFeed);
  if (w.kCtx) arena.packB(false, H, G, kernel + (E + (c.inputFeeding ? H : 0)) * G * 4, G, w.kCtx);
  arena.packB(false, H, G, arena.putTensor(p.decoder.recurrentKernel), G, w.recurrent);
  if (keyKernel) arena.packB(false, H, H, arena.putTensor(keyKernel), H, w.wKeys);
  if (additive) arena.packB(false, H, H, arena.putTensor(p.attn.wq as tf.Variable), H, w.wq);
  arena.packB(false, 2 * H, H, arena.putTensor(p.wc), H, w.wc);
  if (p.outKernel) arena.packB(false, H, V, arena.putTensor(p.outKernel), V, w.out);
  else arena.packB(true, H, V, emb, E, w.out); // tied: the embedding transposed
  arena.resetTo(keep);
  return w;
}
