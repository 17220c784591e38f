// readSafetensors: every dtype of a file written by the real `safetensors` package (fixture
// test/fixtures/torch/dtypes.*, see make_torch_fixtures.py), and corrupt files refused with codes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeSafetensors, readSafetensors } from './safetensors';
import { codeOf, codeOfAsync } from '../../test/util/errors';

const DIR = path.join(__dirname, '../../test/fixtures/torch');

/** A safetensors file from a header object and a data buffer (as the format's spec lays it out). */
function build(header: object, data: Uint8Array): Uint8Array {
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(new TextEncoder().encode(text), 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('readSafetensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reads F32, F16, BF16, F64, I64, I32, scalars and empty tensors with their shapes and values', async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'dtypes.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
    const before = tf.memory().numTensors;
    const tensors = await readSafetensors(path.join(DIR, 'dtypes.safetensors'));
    expect(Object.keys(tensors).sort()).toEqual(['bf16', 'empty', 'f16', 'f32', 'f64', 'i32', 'i64', 'scalar']);
    for (const [name, t] of Object.entries(tensors)) {
      const want = expected[name] as { shape: number[]; values: number[] };
      expect(t.shape).toEqual(want.shape);
      expect(t.dtype).toBe(name.startsWith('i') ? 'int32' : 'float32');
      const got = Array.from(t.dataSync());
      want.values.forEach((v, i) => expect(got[i]).toBeCloseTo(Math.fround(v), name === 'f64' ? 2 : 6));
    }
    tf.dispose(Object.values(tensors));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads bytes, ArrayBuffers and Blobs the same way', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(DIR, 'lstm_batch_first.safetensors')));
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      const tensors = await readSafetensors(source);
      expect(tensors['rnn.weight_ih_l0']?.shape).toEqual([16, 3]);
      tf.dispose(Object.values(tensors));
    }
  });

  it('refuses corrupt files with codes and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const data = new Uint8Array(8);
    const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    const good = decodeSafetensors(build(ok, data));
    expect(Object.keys(good)).toEqual(['a']);
    tf.dispose(Object.values(good));
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(4), 'INVALID_MODEL'], // shorter than the length field
      [build(ok, data).slice(0, 20), 'INVALID_MODEL'], // header cut
      [build({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data), 'INVALID_MODEL'], // size != shape
      [build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, data), 'INVALID_MODEL'], // past the end
      [build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data), 'INVALID_MODEL'], // hole
      [build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data), 'INVALID_MODEL'], // overlap
      [build({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, data), 'INVALID_MODEL'],
      [build({ __metadata__: { n: 1 }, ...ok }, data), 'INVALID_MODEL'],
      [build({ a: { dtype: 'U16', shape: [4], data_offsets: [0, 8] } }, data), 'UNSUPPORTED'],
      [build({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0])), 'UNSUPPORTED'], // 2^32: not int32
    ];
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 2n ** 62n, true);
    cases.push([bad, 'INVALID_MODEL']);
    for (const [bytes, code] of cases) expect(codeOf(() => decodeSafetensors(bytes))).toBe(code);
    expect(await codeOfAsync(readSafetensors(path.join(DIR, 'no-such-file.safetensors')))).toBe('IO_ERROR');
    expect(await codeOfAsync(readSafetensors(42 as unknown as string))).toBe('INVALID_ARGUMENT');
    expect(tf.memory().numTensors).toBe(before);
  });
});
