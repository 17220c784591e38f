import * as tf from '@tensorflow/tfjs';
import { decodeStoredWeights } from './weights';
import { quantizeArtifacts, toFloat16Bits } from './quantize';

describe('toFloat16Bits', () => {
  it('encodes IEEE half precision (golden bit patterns)', () => {
    const golden: Array<[number, number]> = [[0, 0x0000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [1e6, 0x7c00], [6.103515625e-5, 0x0400], [5.960464477539063e-8, 0x0001], [0.333251953125, 0x3555]];
    for (const [v, bits] of golden) expect([v, toFloat16Bits(v)]).toEqual([v, bits]);
    expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('quantizeArtifacts', () => {
  const values = Float32Array.from([-1, -0.25, 0, 0.3, 0.999, 2]);
  const artifacts: tf.io.ModelArtifacts = {
    weightSpecs: [{ name: 'w', shape: [2, 3], dtype: 'float32' }, { name: 'i', shape: [1], dtype: 'int32' }],
    weightData: new Uint8Array([...new Uint8Array(values.buffer), ...new Uint8Array(Int32Array.from([7]).buffer)]).buffer,
  };

  it('mixed: uint8 for embedding matrices, float16 for the rest', () => {
    const a: tf.io.ModelArtifacts = {
      weightSpecs: [{ name: 'embedding/embeddings', shape: [2], dtype: 'float32' }, { name: 'dense/kernel', shape: [2], dtype: 'float32' }],
      weightData: Float32Array.from([0.1, 0.2, 0.3, 0.4]).buffer,
    };
    const q = quantizeArtifacts(a, 'mixed');
    expect(q.weightSpecs?.map((s) => s.quantization?.dtype)).toEqual(['uint8', 'float16']);
    expect((q.weightData as ArrayBuffer).byteLength).toBe(2 + 4);
  });

  it.each([['float16', 2e-3], ['uint8', 3 / 255 / 2 + 1e-6]] as const)('%s weights decode back within the format precision', (mode, tol) => {
    const q = quantizeArtifacts(artifacts, mode);
    const decoded = decodeStoredWeights(q.weightSpecs ?? [], q.weightData as ArrayBuffer);
    const got = Array.from((decoded.find((d) => d.name === 'w') as { tensor: tf.Tensor }).tensor.dataSync());
    got.forEach((g, i) => expect(Math.abs(g - (values[i] as number))).toBeLessThanOrEqual(tol));
    expect(Array.from((decoded.find((d) => d.name === 'i') as { tensor: tf.Tensor }).tensor.dataSync())).toEqual([7]);
    tf.dispose(decoded.map((d) => d.tensor));
  });
});
