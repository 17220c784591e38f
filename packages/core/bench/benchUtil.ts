// Pieces shared by the layer benchmarks: `--name=value` flags and a minimal Embedding layer over
// core's kernels (the same lookup and gradient as @rnnkit/text's Embedding on cpu / wasm).
import * as tf from '@tensorflow/tfjs';
import { fusedEmbeddingLookup } from '../src/kernels/index';

const argv = process.argv.slice(2);

/** The value of `--name=value` on the command line, or `dflt`. */
export const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;

/** Whether the bare flag `--name` is on the command line. */
export const hasFlag = (name: string): boolean => argv.includes(`--${name}`);

/**
 * Embedding(vocab, dim): `fusedEmbeddingLookup` (row copy, row-sparse gradient) when `fused`, otherwise
 * tfjs's gather with a scatterND gradient (the composite path; tf.layers.embedding's UnsortedSegmentSum
 * gradient is missing on wasm).
 */
export class BenchEmbedding extends tf.layers.Layer {
  static className = 'BenchEmbedding';
  private table: tf.LayerVariable | null = null;
  constructor(private readonly fused: boolean, private readonly vocab: number, private readonly dim: number) {
    super({ batchInputShape: [null, null] });
  }
  override build(): void {
    this.table = this.addWeight('embeddings', [this.vocab, this.dim], 'float32', tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }));
    this.built = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return [...(s as tf.Shape), this.dim];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, 'int32'); // [batch, time]
      const table = (this.table as tf.LayerVariable).read();
      if (this.fused) return fusedEmbeddingLookup(table, ids);
      const flat = tf.reshape(ids, [-1]);
      const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
        (args[2] as tf.GradSaveFunc)([args[1] as tf.Tensor]);
        return {
          value: tf.gather(args[0] as tf.Tensor, args[1] as tf.Tensor), // [tokens, dim]
          gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
            tf.scatterND(tf.reshape(saved[0] as tf.Tensor, [-1, 1]), dy as tf.Tensor, [this.vocab, this.dim]), tf.zerosLike(saved[0] as tf.Tensor),
          ],
        };
      });
      return tf.reshape(op(table, flat) as tf.Tensor, [...ids.shape, this.dim]);
    });
  }
}
