// The decoder step fused for CPU backends (cpu, wasm, tfjs-node): after the encoder (tfjs, core's fused
// sequence kernels), the whole decode runs on core's WebAssembly kernels in a KernelArena, with the
// states in WebAssembly memory. One step = the cell (GRU / LSTM) + attention (scores, masked softmax,
// context, per row over its own source) + tanh(Wc [h; ctx]) + output projection + log-softmax, each a
// kernel call on all rows; no tfjs op and no copy of the [rows, vocab] log-probabilities (except where a
// batch's output projection runs on both threads: core's SharedPackedProduct, the same numbers). Beams are
// reordered by row gathers; the encoder's tensors are never gathered (each row indexes its source).
// The composite tfjs stepper (compositeStepper.ts) stays the path for GPU backends and the reference.
import * as tf from '@tensorflow/tfjs';
import { KernelArena, RnnkitError, SharedPackedProduct, shouldUseFusedKernels, type ArenaRows } from '@rnnkit/core';
import type { ResolvedConfig } from '../config';
import type { ModelParams } from '../params';
import { encode } from '../encoder';
import { loadDecoderWeights, weightsKey, type DecoderWeights } from './fusedWeights';
import type { Stepper, StepOutput } from './types';

/** True when decoding takes the fused path: core's kernel mode ('auto' on a CPU backend, or 'fused'). */
export function fusedDecodingAvailable(): boolean {
  return shouldUseFusedKernels() && KernelArena.supported();
}

/** What a row carries from step to step (two sets: a reorder gathers from one into the other). */
interface RowState {
  h: number; // [cap, H]
  c: number; // [cap, H], LSTM
  feed: number; // [cap, H] the attentional vector (fed back with input feeding)
  srcOf: number; // int32 [cap]
}

/** Per-step work buffers, sized for `cap` rows. */
interface Work {
  cap: number;
  tokens: number; // int32 [cap]
  ids: number; // int32 [cap]: new tokens of the step, or a reorder's row indices
  xg: number; // [cap, G]
  rec: number; // [cap, G]
  hc: number; // [cap, 2H]: h | ctx
  q: number; // [cap, H]: the projected query (additive attention)
  emb: number; // [cap, E]
  weights: number; // [cap, S]
  logits: number; // [cap, V]
}

const rows = (ptr: number, stride: number): ArenaRows => ({ ptr, stride });

/** Rows x vocabulary x units of the first step from which the output projection goes to both threads. */
const OUT_SPLIT_MIN_MACS = 16_000_000;

/** A {@link Stepper} whose steps run as fused WebAssembly kernels (see the file header). */
export class FusedStepper implements Stepper {
  readonly vocabSize: number;
  readonly srcLen: number;
  private readonly arena: KernelArena;
  private readonly w: DecoderWeights;
  private readonly memory: number; // [B, S, H]
  private readonly keys: number; // [B, S, H]
  private readonly mask: number; // [B, S]
  private nRows: number;
  private cur: RowState;
  private alt: RowState;
  private work: Work;
  /** Buffers of StepOutput.top: ids int32 and log-probabilities, `size` values each. */
  private top = { size: 0, ids: 0, logProbs: 0 };
  /** The output projection on both threads, for batches (null on one thread or for a few rows). */
  private out: SharedPackedProduct | null = null;
  private disposed = false;

  constructor(private readonly c: ResolvedConfig, p: ModelParams, src: tf.Tensor2D, srcMask: tf.Tensor2D) {
    this.vocabSize = c.tgtVocabSize;
    this.srcLen = src.shape[1];
    this.nRows = src.shape[0];
    const enc = tf.tidy(() => {
      const e = encode(c, p, src, srcMask);
      return { memory: e.memory, mask: e.mask, h: e.state[0], c: e.state[1] } as unknown as tf.TensorContainer;
    }) as unknown as { memory: tf.Tensor3D; mask: tf.Tensor2D; h: tf.Tensor2D; c?: tf.Tensor2D };
    const key = weightsKey(p);
    this.arena = KernelArena.acquire(key);
    try {
      this.w = this.arena.cached(key, () => loadDecoderWeights(this.arena, c, p));
      this.memory = this.arena.putTensor(enc.memory);
      this.keys = this.memory;
      if (this.w.wKeys) { // the keys of the score function, once per source batch (as `prepareKeys`)
        const n = enc.memory.shape[0] * this.srcLen;
        this.keys = this.arena.alloc(n * this.w.H);
        this.arena.gemm(n, this.w.H, this.w.H, rows(this.memory, this.w.H), this.w.wKeys, 0, rows(this.keys, this.w.H));
      }
      this.mask = this.arena.putTensor(enc.mask);
      this.work = this.allocWork(this.nRows);
      this.cur = this.allocState(this.nRows);
      this.alt = this.allocState(this.nRows);
      const H = this.w.H;
      this.arena.writeTensor(this.cur.h, enc.h);
      if (enc.c) this.arena.writeTensor(this.cur.c, enc.c);
      this.arena.f32(this.cur.feed, this.nRows * H).fill(0); // no attentional vector before the first step
      this.arena.i32(this.cur.srcOf, this.nRows).set(Int32Array.from({ length: this.nRows }, (_, i) => i));
      // a batch's output projection on the second thread too: worth the copy of the weights from ~16M
      // multiply-adds a step (e.g. 32 rows x 2,000 words x 256); a sentence's 5 beams stay in the arena
      if (this.nRows * this.w.V * H >= OUT_SPLIT_MIN_MACS) this.out = SharedPackedProduct.create(this.arena, this.w.out, H, this.w.V);
    } catch (e) {
      this.out?.dispose();
      this.arena.release();
      throw e;
    } finally {
      tf.dispose([enc.memory, enc.mask, enc.h, ...(enc.c ? [enc.c] : [])]);
    }
  }

  get rows(): number {
    return this.nRows;
  }

  step(tokens: Int32Array, topK?: number): StepOutput {
    this.checkLive();
    const R = this.nRows;
    if (tokens.length !== R) throw new RnnkitError('INVALID_SHAPE', `Expected ${R} tokens (one per row). Received: ${tokens.length}`);
    const { arena: a, w, work: t, cur: s } = this;
    const { H, G, V } = w;
    a.i32(t.tokens, R).set(tokens);
    this.fillTable(tokens);
    const xg = rows(t.xg, G);
    const hc = rows(t.hc, 2 * H);
    a.gatherRows(R, G, w.table, t.tokens, xg); // x Wemb + b_in
    if (w.kFeed) a.gemm(R, G, H, rows(s.feed, H), w.kFeed, 1, xg);
    if (this.c.attention === 'bahdanau') {
      this.attend(rows(s.h, H)); // query h_{t-1}; the context enters the RNN input
      a.gemm(R, G, H, rows(t.hc + H * 4, 2 * H), w.kCtx, 1, xg);
    }
    if (this.c.cell === 'gru') {
      a.gemm(R, G, H, rows(s.h, H), w.recurrent, 0, rows(t.rec, G));
      a.gruStep(R, H, xg, rows(t.rec, G), w.biasRec, s.h, hc);
    } else {
      a.gemm(R, G, H, rows(s.h, H), w.recurrent, 1, xg);
      a.lstmStep(R, H, xg, s.c, s.h, hc);
    }
    if (this.c.attention !== 'bahdanau') this.attend(hc); // Luong: query h_t
    const vec = rows(s.feed, H);
    a.gemm(R, H, 2 * H, hc, w.wc, 0, vec);
    a.tanh(R, H, vec);
    const logits = rows(t.logits, V);
    if (!this.out?.run(a, R, vec, logits)) a.gemm(R, V, H, vec, w.out, 0, logits);
    a.addRow(R, V, logits, w.outBias);
    a.logSoftmax(R, V, logits);
    const k = topK !== undefined && Number.isInteger(topK) && topK > 0 ? Math.min(topK, V) : 0;
    if (k > 0) {
      if (R * k > this.top.size) this.top = { size: R * k, ids: a.alloc(R * k), logProbs: a.alloc(R * k) };
      a.topK(R, V, logits, k, this.top.ids, this.top.logProbs);
    }
    const out: StepOutput = { logProbs: a.f32(t.logits, R * V), attention: a.f32(t.weights, R * this.srcLen) };
    if (k > 0) out.top = { k, ids: a.i32(this.top.ids, R * k), logProbs: a.f32(this.top.logProbs, R * k) };
    return out;
  }

  select(order: Int32Array): void {
    this.checkLive();
    const n = order.length;
    for (const r of order) {
      if (!(r >= 0 && r < this.nRows)) throw new RnnkitError('INVALID_ARGUMENT', `Expected row indices in [0, ${this.nRows}). Received: ${r}`);
    }
    let dst = this.alt;
    let spare = this.cur;
    if (n > this.work.cap) {
      this.work = this.allocWork(n);
      dst = this.allocState(n);
      spare = this.allocState(n);
    }
    const a = this.arena;
    const H = this.w.H;
    a.i32(this.work.ids, n).set(order);
    const gather = (from: number, to: number, cols: number) => a.gatherRows(n, cols, rows(from, cols), this.work.ids, rows(to, cols));
    gather(this.cur.h, dst.h, H);
    if (this.c.cell === 'lstm') gather(this.cur.c, dst.c, H);
    if (this.c.inputFeeding) gather(this.cur.feed, dst.feed, H);
    gather(this.cur.srcOf, dst.srcOf, 1); // int32 rows of one value: the copy is type-agnostic
    this.cur = dst;
    this.alt = spare;
    this.nRows = n;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.out?.dispose();
    this.arena.release();
  }

  /** Attention of every row with `query` [rows, H]: weights to work.weights, context to the ctx half of work.hc. */
  private attend(query: ArenaRows): void {
    const { arena: a, w, work: t } = this;
    const H = w.H;
    const additive = this.c.attention === 'concat' || this.c.attention === 'bahdanau';
    let q = query;
    if (additive) {
      q = rows(t.q, H);
      a.gemm(this.nRows, H, H, query, w.wq, 0, q); // query Wq
    }
    a.attention({
      rows: this.nRows, srcLen: this.srcLen, units: H, query: q, keys: this.keys, values: this.memory, srcOf: this.cur.srcOf,
      mask: this.mask, weights: rows(t.weights, this.srcLen), context: rows(t.hc + H * 4, 2 * H), ...(additive ? { additiveV: w.v } : {}),
    });
  }

  /** Computes the input-projection rows of tokens fed for the first time (one GEMM over the new ones). */
  private fillTable(tokens: Int32Array): void {
    const { arena: a, w, work: t } = this;
    for (const id of tokens) {
      if (!(id >= 0 && id < w.V)) throw new RnnkitError('INVALID_ARGUMENT', `Expected token ids in [0, ${w.V}). Received: ${id}`);
    }
    const ids = a.i32(t.ids, tokens.length);
    let n = 0;
    for (const id of tokens) {
      if (w.filled[id] === 0) {
        w.filled[id] = 1;
        ids[n++] = id;
      }
    }
    if (n === 0) return;
    a.gatherRows(n, w.E, w.embedding, t.ids, rows(t.emb, w.E));
    a.gemm(n, w.G, w.E, rows(t.emb, w.E), w.kEmb, 0, rows(t.rec, w.G)); // embedding Wemb
    a.addRow(n, w.G, rows(t.rec, w.G), w.biasIn);
    a.scatterRows(n, w.G, rows(t.rec, w.G), t.ids, w.table);
  }

  private allocState(cap: number): RowState {
    const a = this.arena;
    const H = this.w.H;
    return { h: a.alloc(cap * H), c: this.c.cell === 'lstm' ? a.alloc(cap * H) : 0, feed: a.alloc(cap * H), srcOf: a.alloc(cap) };
  }

  private allocWork(cap: number): Work {
    const a = this.arena;
    const { E, H, G, V } = this.w;
    return {
      cap, tokens: a.alloc(cap), ids: a.alloc(cap), xg: a.alloc(cap * G), rec: a.alloc(cap * G), hc: a.alloc(cap * 2 * H),
      q: a.alloc(cap * H), emb: a.alloc(cap * E), weights: a.alloc(cap * this.srcLen), logits: a.alloc(cap * V),
    };
  }

  private checkLive(): void {
    if (this.disposed) throw new RnnkitError('INVALID_STATE', 'Expected a live stepper. Received: one already disposed');
  }
}
