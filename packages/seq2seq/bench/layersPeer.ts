// The peer of bench/compare.bench.ts: the shipped translator's architecture written in plain
// TensorFlow.js, the way a JavaScript developer would without rnnkit. `tf.layers` for the embeddings, the
// bidirectional GRU encoder (masked), the GRU decoder and the dense layers; plain tf ops for Luong
// `general` attention (tfjs has no attention layer); masked softmax cross-entropy, Adam, global-norm
// clipping; greedy and beam search stepping the decoder's own `GRUCell`, batched.
// Differences from rnnkit's model, none of which changes the amount of work: tfjs's GRU has no
// `resetAfter: true` (it throws), so the biases are [3u] instead of [2, 3u]; random weights (the shipped
// weights need reset-after GRUs); glorot-uniform recurrent kernels (tfjs's default orthogonal initializer is
// a slow JavaScript QR on matrices this size).
import * as tf from '@tensorflow/tfjs';

/**
 * How the embeddings are looked up: `gather` = `tf.layers.embedding` (its gradient needs the
 * UnsortedSegmentSum kernel, which the wasm backend does not register); `onehot` = the usual workaround,
 * one-hot ids times the same embedding matrix (a dense product over the whole vocabulary); `frozen` =
 * `tf.layers.embedding` left out of training (no embedding gradient at all: a lower bound of any workaround).
 */
export type PeerEmbedding = 'gather' | 'onehot' | 'frozen';

export interface PeerConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  embeddingDim: number;
  hiddenUnits: number;
  dropout: number;
  embedding: PeerEmbedding;
  seed?: number;
}

/** Padded ids; `tgtIn` starts with `<bos>`, `tgtOut` ends with `<eos>`; pad id 0. */
export interface PeerBatch {
  src: number[][];
  tgtIn: number[][];
  tgtOut: number[][];
}

export interface PeerHypothesis {
  tokens: number[];
  attention: number[][];
  score: number;
}

type GruLayer = ReturnType<typeof tf.layers.gru>;

interface Encoded {
  memory: tf.Tensor3D; // [batch, srcLen, H]
  keys: tf.Tensor3D; // [batch, srcLen, H] = memory Wa
  penalty: tf.Tensor3D; // [batch, 1, srcLen]: 0 on tokens, -1e9 on padding
  h0: tf.Tensor2D; // [batch, H]
}

function pad(rows: readonly (readonly number[])[]): tf.Tensor2D {
  const len = Math.max(1, ...rows.map((r) => r.length));
  const flat = new Int32Array(rows.length * len);
  rows.forEach((r, i) => flat.set(r, i * len));
  return tf.tensor2d(flat, [rows.length, len], 'int32');
}

/** Bidirectional GRU encoder + GRU decoder with Luong `general` attention, no input feeding. */
export class LayersSeq2Seq {
  readonly config: PeerConfig;
  private readonly srcEmb: tf.layers.Layer;
  private readonly tgtEmb: tf.layers.Layer;
  private readonly encoder: tf.layers.Layer;
  private readonly decoder: GruLayer;
  private readonly wa: tf.Variable; // [H, H]
  private readonly wc: tf.layers.Layer; // tanh(Wc [h; ctx]), no bias
  private readonly out: tf.layers.Layer;
  private readonly drop: tf.layers.Layer;
  private readonly optimizer: tf.Optimizer;

  constructor(config: PeerConfig, learningRate = 2e-3) {
    this.config = config;
    const { embeddingDim: E, hiddenUnits: H, seed = 1 } = config;
    const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
    const gru = (units: number, s: number) => ({
      units, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' as const, kernelInitializer: init(s), recurrentInitializer: init(s + 1),
    });
    this.srcEmb = tf.layers.embedding({ inputDim: config.srcVocabSize, outputDim: E, maskZero: true, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed }) });
    this.tgtEmb = tf.layers.embedding({ inputDim: config.tgtVocabSize, outputDim: E, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 }) });
    this.encoder = tf.layers.bidirectional({ layer: tf.layers.gru(gru(H / 2, 2)) as tf.RNN, mergeMode: 'concat' });
    this.decoder = tf.layers.gru(gru(H, 4));
    this.wa = tf.variable(init(6).apply([H, H]), true, `peer_wa_${seed}_${Math.random().toString(36).slice(2, 8)}`);
    this.wc = tf.layers.dense({ units: H, activation: 'tanh', useBias: false, kernelInitializer: init(7) });
    this.out = tf.layers.dense({ units: config.tgtVocabSize, kernelInitializer: init(8) });
    this.drop = tf.layers.dropout({ rate: config.dropout });
    this.optimizer = tf.train.adam(learningRate);
    tf.tidy(() => { // builds every layer (creates the weights) on a one-token batch
      const one = [[4]];
      for (const l of [this.srcEmb, this.tgtEmb]) l.apply(tf.tensor2d(one, [1, 1], 'int32'));
      this.loss({ src: one, tgtIn: one, tgtOut: one }, false);
    });
  }

  /** Trained variables (the layers' weights and Wa; without the embeddings when `frozen`). */
  get variables(): tf.Variable[] {
    const layers = [...(this.config.embedding === 'frozen' ? [] : [this.srcEmb, this.tgtEmb]), this.encoder, this.decoder, this.wc, this.out];
    return [...layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)), this.wa];
  }

  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  private embed(layer: tf.layers.Layer, ids: tf.Tensor2D): tf.Tensor3D {
    if (this.config.embedding !== 'onehot') return layer.apply(ids) as tf.Tensor3D; // [batch, T, E]
    const table = layer.trainableWeights[0]?.read() as tf.Tensor2D; // [vocab, E]
    const [batch, T] = ids.shape;
    const oneHot = tf.oneHot(tf.reshape(ids, [-1]) as tf.Tensor1D, table.shape[0]); // [batch*T, vocab]
    return tf.reshape(tf.matMul(tf.cast(oneHot, 'float32'), table), [batch, T, -1]) as tf.Tensor3D; // [batch, T, E]
  }

  private encode(src: tf.Tensor2D, training: boolean): Encoded {
    const H = this.config.hiddenUnits;
    let x = this.embed(this.srcEmb, src); // [batch, S, E]
    if (training) x = this.drop.apply(x, { training: true }) as tf.Tensor3D;
    const mask = tf.notEqual(src, 0); // [batch, S] bool
    const [memory, hFw, hBw] = this.encoder.apply(x, { mask }) as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D]; // [batch, S, H], [batch, H/2] x 2
    const keys = tf.reshape(tf.matMul(tf.reshape(memory, [-1, H]) as tf.Tensor2D, this.wa), memory.shape) as tf.Tensor3D; // [batch, S, H]
    const penalty = tf.expandDims(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9), 1) as tf.Tensor3D; // [batch, 1, S]
    return { memory, keys, penalty, h0: tf.concat([hFw, hBw], -1) };
  }

  /** Luong attention for queries [batch, Tq, H]: attentional vectors [batch, Tq, H] and weights [batch, Tq, S]. */
  private attend(enc: Encoded, q: tf.Tensor3D, training: boolean): { vec: tf.Tensor3D; weights: tf.Tensor3D } {
    const scores = tf.add(tf.matMul(q, enc.keys, false, true), enc.penalty); // [batch, Tq, S]
    const weights = tf.softmax(scores) as tf.Tensor3D;
    const ctx = tf.matMul(weights, enc.memory); // [batch, Tq, H]
    let vec = this.wc.apply(tf.concat([q, ctx], -1)) as tf.Tensor3D; // [batch, Tq, H]
    if (training) vec = this.drop.apply(vec, { training: true }) as tf.Tensor3D;
    return { vec, weights };
  }

  /** Mean cross-entropy over the target tokens (padding masked), teacher forcing. */
  loss(b: PeerBatch, training = true): tf.Scalar {
    return tf.tidy(() => {
      const src = pad(b.src);
      const tgtIn = pad(b.tgtIn);
      const tgtOut = pad(b.tgtOut);
      const enc = this.encode(src, training);
      let y = this.embed(this.tgtEmb, tgtIn); // [batch, T, E]
      if (training) y = this.drop.apply(y, { training: true }) as tf.Tensor3D;
      const [hs] = this.decoder.apply(y, { initialState: [enc.h0] }) as tf.Tensor[]; // [batch, T, H]
      const { vec } = this.attend(enc, hs as tf.Tensor3D, training);
      const logits = this.out.apply(vec) as tf.Tensor3D; // [batch, T, V]
      const mask = tf.cast(tf.notEqual(tgtOut, 0), 'float32'); // [batch, T]
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tgtOut, this.config.tgtVocabSize), logits, mask) as tf.Scalar;
    });
  }

  /** One Adam step with global-norm clipping; returns the loss. */
  trainStep(b: PeerBatch, clipNorm = 5): number {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(b, true), this.variables);
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor)))));
      const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
      const clipped: tf.NamedTensorMap = {};
      for (const n of names) clipped[n] = tf.mul(grads[n] as tf.Tensor, scale);
      this.optimizer.applyGradients(clipped);
      return value.dataSync()[0] as number;
    });
  }

  /** One decoder step for every row: next hidden state, log-probabilities [rows, V], attention [rows, S]. */
  private step(enc: Encoded, tokens: Int32Array, h: tf.Tensor2D): { h: tf.Tensor2D; logp: tf.Tensor2D; weights: tf.Tensor2D } {
    return tf.tidy(() => {
      const y = tf.reshape(this.embed(this.tgtEmb, tf.tensor2d(tokens, [tokens.length, 1], 'int32')), [tokens.length, -1]); // [rows, E]
      const [h1] = this.decoder.cell.call([y, h], {}) as tf.Tensor[]; // [rows, H]
      const { vec, weights } = this.attend(enc, tf.expandDims(h1 as tf.Tensor, 1) as tf.Tensor3D, false);
      const logits = this.out.apply(tf.squeeze(vec, [1])) as tf.Tensor2D; // [rows, V]
      return { h: h1 as tf.Tensor2D, logp: tf.logSoftmax(logits), weights: tf.squeeze(weights, [1]) as tf.Tensor2D };
    });
  }

  private encodeForSearch(src: readonly (readonly number[])[], repeat: number): Encoded {
    return tf.tidy(() => {
      const e = this.encode(pad(src), false);
      if (repeat === 1) return e as unknown as tf.TensorContainer;
      const idx = tf.tensor1d(Int32Array.from({ length: src.length * repeat }, (_, i) => Math.floor(i / repeat)), 'int32');
      return { memory: tf.gather(e.memory, idx), keys: tf.gather(e.keys, idx), penalty: tf.gather(e.penalty, idx), h0: tf.gather(e.h0, idx) } as unknown as tf.TensorContainer;
    }) as unknown as Encoded;
  }

  /**
   * Greedy search, all sources in one batch. `steps` forces the number of decoder steps (the benchmark
   * gives the peer's random weights the same number of steps the trained model took); otherwise until
   * every row produced `<eos>` or `maxLength`.
   */
  greedy(src: readonly (readonly number[])[], o: { bosId: number; eosId: number; maxLength: number; steps?: number }): PeerHypothesis[] {
    const enc = this.encodeForSearch(src, 1);
    const rows = src.length;
    const S = enc.memory.shape[1];
    const hyps: Array<PeerHypothesis & { done: boolean }> = src.map(() => ({ tokens: [], attention: [], score: 0, done: false }));
    let h = enc.h0;
    let tokens = new Int32Array(rows).fill(o.bosId);
    const steps = o.steps ?? o.maxLength;
    for (let t = 0; t < steps && (o.steps !== undefined || hyps.some((x) => !x.done)); t++) {
      const s = this.step(enc, tokens, h);
      const [best, bestLp] = tf.tidy(() => [tf.argMax(s.logp, -1), tf.max(s.logp, -1)]);
      const ids = (best as tf.Tensor).dataSync() as Int32Array;
      const lps = (bestLp as tf.Tensor).dataSync() as Float32Array;
      const att = s.weights.dataSync() as Float32Array;
      tf.dispose([best as tf.Tensor, bestLp as tf.Tensor, s.logp, s.weights]);
      if (h !== enc.h0) h.dispose();
      h = s.h;
      hyps.forEach((x, r) => {
        if (x.done) return;
        x.score += lps[r] as number;
        if (ids[r] === o.eosId) x.done = true;
        else {
          x.tokens.push(ids[r] as number);
          x.attention.push(Array.from(att.subarray(r * S, (r + 1) * S)));
        }
      });
      tokens = Int32Array.from(ids);
    }
    if (h !== enc.h0) h.dispose();
    tf.dispose([enc.memory, enc.keys, enc.penalty, enc.h0]);
    return hyps.map(({ tokens: tk, attention, score }) => ({ tokens: tk, attention, score }));
  }

  /**
   * Beam search (GNMT length penalty), batched: rows = sources x beams, top 2K candidates per source on
   * the device (`tf.topk`), `<eos>` candidates finish a hypothesis. `steps` as in {@link greedy}.
   */
  beam(src: readonly (readonly number[])[], o: { bosId: number; eosId: number; maxLength: number; beamSize: number; alpha?: number; steps?: number }): PeerHypothesis[] {
    const K = o.beamSize;
    const B = src.length;
    const V = this.config.tgtVocabSize;
    const alpha = o.alpha ?? 0.6;
    const norm = (lp: number, len: number) => lp / Math.pow((5 + len) / 6, alpha);
    const enc = this.encodeForSearch(src, K);
    const S = enc.memory.shape[1];
    type Beam = { tokens: number[]; attention: number[][]; lp: number };
    let alive: Beam[] = Array.from({ length: B * K }, (_, i) => ({ tokens: [], attention: [], lp: i % K === 0 ? 0 : -Infinity }));
    const finished: PeerHypothesis[][] = Array.from({ length: B }, () => []);
    let h = enc.h0;
    let tokens = new Int32Array(B * K).fill(o.bosId);
    const steps = o.steps ?? o.maxLength + 1;
    for (let t = 0; t < steps; t++) {
      const s = this.step(enc, tokens, h);
      const prev = tf.tensor2d(Float32Array.from(alive, (b) => b.lp), [B * K, 1]);
      const top = tf.tidy(() => tf.topk(tf.reshape(tf.add(s.logp, prev), [B, K * V]), 2 * K)); // [B, 2K]
      const values = top.values.dataSync() as Float32Array;
      const indices = top.indices.dataSync() as Int32Array;
      const att = s.weights.dataSync() as Float32Array;
      tf.dispose([prev, top.values, top.indices, s.logp, s.weights]);
      const parents = new Int32Array(B * K);
      const nextTokens = new Int32Array(B * K).fill(o.eosId);
      const next: Beam[] = [];
      for (let b = 0; b < B; b++) {
        const kept: Beam[] = [];
        for (let c = 0; c < 2 * K && kept.length < K; c++) {
          const score = values[b * 2 * K + c] as number;
          if (score === -Infinity) break;
          const idx = indices[b * 2 * K + c] as number;
          const row = b * K + Math.floor(idx / V);
          const token = idx % V;
          const parent = alive[row] as Beam;
          if (token === o.eosId) {
            finished[b]?.push({ tokens: parent.tokens, attention: parent.attention, score: norm(score, parent.tokens.length + 1) });
            continue;
          }
          parents[b * K + kept.length] = row;
          nextTokens[b * K + kept.length] = token;
          kept.push({ tokens: [...parent.tokens, token], attention: [...parent.attention, Array.from(att.subarray(row * S, (row + 1) * S))], lp: score });
        }
        while (kept.length < K) {
          parents[b * K + kept.length] = b * K;
          kept.push({ tokens: [], attention: [], lp: -Infinity });
        }
        next.push(...kept);
      }
      alive = next;
      const idx = tf.tensor1d(parents, 'int32');
      const h1 = tf.gather(s.h, idx);
      tf.dispose([idx, s.h]);
      if (h !== enc.h0) h.dispose();
      h = h1;
      tokens = nextTokens;
      if (o.steps === undefined && finished.every((f) => f.length >= K)) break;
    }
    if (h !== enc.h0) h.dispose();
    tf.dispose([enc.memory, enc.keys, enc.penalty, enc.h0]);
    return finished.map((fin, b) => {
      const all = [...fin, ...alive.slice(b * K, b * K + K).filter((x) => x.lp > -Infinity).map((x) => ({ tokens: x.tokens, attention: x.attention, score: norm(x.lp, x.tokens.length) }))];
      return all.sort((x, y) => y.score - x.score)[0] ?? { tokens: [], attention: [], score: -Infinity };
    });
  }

  dispose(): void {
    for (const l of [this.srcEmb, this.tgtEmb, this.encoder, this.decoder, this.wc, this.out]) l.dispose();
    this.wa.dispose();
    this.optimizer.dispose();
  }
}
