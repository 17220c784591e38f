// Word vectors in a vocabulary's order: a [vocab, dim] matrix, coverage, tensors and cosine neighbours.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '@rnnkit/core';

/** One neighbour found by {@link WordVectors.nearest}. */
export interface Neighbour {
  word: string;
  id: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** A `[vocab, dim]` float matrix whose row `i` is the vector of `words[i]`, plus how it was filled. */
export class WordVectors {
  /** Row-major `[words.length, dim]`. */
  readonly matrix: Float32Array;
  readonly dim: number;
  readonly words: readonly string[];
  /** Rows filled from the pretrained source. */
  readonly found: number;
  /** Rows that were looked up (the vocabulary minus `<pad>` and the other specials that were skipped). */
  readonly total: number;
  /** Words that had no pretrained vector (initialized randomly or with zeros). */
  readonly missing: readonly string[];
  private readonly index: Map<string, number>;
  private norms: Float32Array | null = null;

  constructor(words: readonly string[], matrix: Float32Array, dim: number, found = words.length, total = words.length, missing: readonly string[] = []) {
    if (matrix.length !== words.length * dim) {
      throw new RnnkitError('INVALID_SHAPE', `Expected a matrix of ${words.length} x ${dim} = ${words.length * dim} values. Received: ${matrix.length}`);
    }
    this.words = words;
    this.matrix = matrix;
    this.dim = dim;
    this.found = found;
    this.total = total;
    this.missing = missing;
    this.index = new Map();
    words.forEach((w, i) => {
      if (!this.index.has(w)) this.index.set(w, i);
    });
  }

  /** Share of looked-up words that were found, in [0, 1]. */
  get coverage(): number {
    return this.total === 0 ? 0 : this.found / this.total;
  }

  /** "found N of M words (P%)". */
  get report(): string {
    return `found ${this.found} of ${this.total} words (${(this.coverage * 100).toFixed(1)}%)`;
  }

  /** The vector of `word` (a copy), or undefined. */
  vector(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.matrix.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** The matrix as a `[vocab, dim]` tensor (caller disposes), e.g. for `embedding({ weights: [t] })`. */
  toTensor(): tf.Tensor2D {
    return tf.tensor2d(this.matrix, [this.words.length, this.dim], 'float32');
  }

  /** The `k` words closest to a word or a vector by cosine similarity (the query word itself excluded). */
  nearest(query: string | ArrayLike<number>, k = 10): Neighbour[] {
    let q: ArrayLike<number>;
    let self = -1;
    if (typeof query === 'string') {
      const i = this.index.get(query);
      if (i === undefined) throw new RnnkitError('INVALID_ARGUMENT', `Expected a word in the vocabulary. Received: ${JSON.stringify(query)}`);
      self = i;
      q = this.matrix.subarray(i * this.dim, (i + 1) * this.dim);
    } else {
      if (query.length !== this.dim) throw new RnnkitError('INVALID_SHAPE', `Expected a query vector of length ${this.dim}. Received: length ${query.length}`);
      q = query;
    }
    const norms = this.rowNorms();
    let qn = 0;
    for (let d = 0; d < this.dim; d++) qn += (q[d] as number) * (q[d] as number);
    qn = Math.sqrt(qn);
    const out: Neighbour[] = [];
    for (let i = 0; i < this.words.length; i++) {
      if (i === self) continue;
      const n = norms[i] as number;
      if (n === 0 || qn === 0) continue;
      let dot = 0;
      const off = i * this.dim;
      for (let d = 0; d < this.dim; d++) dot += (this.matrix[off + d] as number) * (q[d] as number);
      const similarity = dot / (n * qn);
      if (out.length < k || similarity > (out[out.length - 1] as Neighbour).similarity) {
        out.push({ word: this.words[i] as string, id: i, similarity });
        out.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
        if (out.length > k) out.pop();
      }
    }
    return out;
  }

  private rowNorms(): Float32Array {
    if (this.norms) return this.norms;
    const norms = new Float32Array(this.words.length);
    for (let i = 0; i < this.words.length; i++) {
      let s = 0;
      for (let d = 0; d < this.dim; d++) {
        const v = this.matrix[i * this.dim + d] as number;
        s += v * v;
      }
      norms[i] = Math.sqrt(s);
    }
    this.norms = norms;
    return norms;
  }
}
