// Reading tensors in place on cpu / wasm, and the fallbacks (other dtypes, data on another backend).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describeBackends } from '../../test/util/backends';
import { f32View, i32View } from './tensorData';
import { fusedEmbeddingLookup } from './embedding';

describeBackends('tensor data views', () => {
  it('read float32 and int32 values, converting other dtypes', () => {
    const f = tf.tensor1d([1.5, -2, 3]);
    const i = tf.tensor1d([4, 5], 'int32');
    expect(Array.from(f32View(f))).toEqual([1.5, -2, 3]);
    expect(Array.from(f32View(i))).toEqual([4, 5]);
    expect(Array.from(i32View(i))).toEqual([4, 5]);
    tf.dispose([f, i]);
  });
});

describe('tensor data views across backends', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  it('fall back to dataSync for a tensor whose data lives on another backend', async () => {
    await tf.setBackend('cpu');
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor1d([2, 0], 'int32');
    await tf.setBackend('wasm');
    expect(Array.from(f32View(table))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(i32View(ids))).toEqual([2, 0]);
    expect(Array.from(fusedEmbeddingLookup(table, ids).dataSync())).toEqual([5, 6, 1, 2]);
    tf.dispose([table, ids]);
  });
});
