// safetensors reader (https://github.com/huggingface/safetensors, format section of its README):
// 8 bytes little-endian u64 header length N, N bytes of JSON header
// `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then the
// data buffer, offsets relative to its start, row-major, little-endian. Written by hand: the format is
// a length, a JSON object and a byte buffer, and the npm packages for it either only write, pull in
// tfjs-node / onnx, or do not check offsets, which is the part that has to be strict.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { type FetchOptions, type ModelBytes, readBytes } from './bytes';

/** The dtypes read, their byte sizes and the tfjs dtype they become. */
const DTYPES: Record<string, { bytes: number; dtype: 'float32' | 'int32' }> = {
  F32: { bytes: 4, dtype: 'float32' },
  F16: { bytes: 2, dtype: 'float32' },
  BF16: { bytes: 2, dtype: 'float32' },
  F64: { bytes: 8, dtype: 'float32' },
  I64: { bytes: 8, dtype: 'int32' },
  I32: { bytes: 4, dtype: 'int32' },
};

/** The safetensors spec's limit on the header (100 MB). */
const MAX_HEADER = 100_000_000;

/** One entry of a safetensors header. */
export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

function corrupt(message: string): RnnkitError {
  return new RnnkitError('INVALID_MODEL', `Corrupt safetensors file: ${message}`);
}

/** The parsed header: entries by name, the metadata, and where the data buffer starts. */
export function parseSafetensorsHeader(bytes: Uint8Array): { entries: Map<string, SafetensorsEntry>; metadata: Record<string, string>; dataStart: number } {
  if (bytes.byteLength < 8) throw corrupt(`expected at least 8 bytes (the header length). Received ${bytes.byteLength}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.byteLength - 8))) {
    throw corrupt(`expected a header length of at most ${Math.min(MAX_HEADER, bytes.byteLength - 8)} bytes. Received ${n}.`);
  }
  const headerLength = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Corrupt safetensors file: expected a UTF-8 JSON header of ${headerLength} bytes. Received bytes that do not parse.`, { cause });
  }
  if (header == null || typeof header !== 'object' || Array.isArray(header)) throw corrupt(`expected the header to be a JSON object. Received ${describeValue(header)}.`.slice(0, 300));
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value);
      continue;
    }
    entries.set(name, checkEntry(name, value, dataLength));
  }
  checkCoverage(entries, dataLength);
  return { entries, metadata, dataStart };
}

function checkMetadata(value: unknown): Record<string, string> {
  if (value == null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw corrupt(`expected "__metadata__" to map strings to strings. Received ${describeValue(value)}.`.slice(0, 300));
  }
  return value as Record<string, string>;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function checkEntry(name: string, value: unknown, dataLength: number): SafetensorsEntry {
  const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (v == null || typeof v !== 'object') throw corrupt(`expected tensor "${name}" to be {dtype, shape, data_offsets}. Received ${describeValue(value)}.`);
  if (typeof v.dtype !== 'string') throw corrupt(`expected a dtype string for "${name}". Received ${describeValue(v.dtype)}.`);
  if (!Array.isArray(v.shape) || !v.shape.every(isCount)) throw corrupt(`expected the shape of "${name}" to be a list of non-negative integers. Received ${describeValue(v.shape)}.`);
  const given = v.data_offsets;
  const ok = Array.isArray(given) && given.length === 2 && given.every(isCount);
  const [begin, end] = ok ? (given as [number, number]) : [0, -1];
  if (!ok || begin > end || end > dataLength) {
    throw corrupt(`expected data_offsets [begin, end] of "${name}" within the ${dataLength}-byte data buffer. Received ${describeValue(given)}.`);
  }
  const spec = DTYPES[v.dtype];
  if (!spec) {
    throw new RnnkitError('UNSUPPORTED', `Expected tensor "${name}" to have dtype ${Object.keys(DTYPES).join(', ')}. Received ${v.dtype}.`);
  }
  const size = (v.shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== size * spec.bytes) {
    throw corrupt(`expected "${name}" (${v.dtype} ${describeValue(v.shape)}) to take ${size * spec.bytes} bytes. Received offsets spanning ${end - begin}.`);
  }
  return { dtype: v.dtype, shape: [...(v.shape as number[])], dataOffsets: [begin, end] };
}

/** The spec: tensors may not overlap and the data buffer has no holes. */
function checkCoverage(entries: Map<string, SafetensorsEntry>, dataLength: number): void {
  const spans = [...entries].map(([name, e]) => ({ name, b: e.dataOffsets[0], e: e.dataOffsets[1] })).filter((s) => s.e > s.b).sort((x, y) => x.b - y.b);
  let at = 0;
  for (const s of spans) {
    if (s.b < at) throw corrupt(`tensor "${s.name}" overlaps the previous tensor (bytes ${s.b}-${s.e}, previous ends at ${at}).`);
    if (s.b > at) throw corrupt(`the data buffer has a hole at bytes ${at}-${s.b} before "${s.name}".`);
    at = s.e;
  }
  if (at !== dataLength) throw corrupt(`expected the tensors to fill the ${dataLength}-byte data buffer. They end at byte ${at}.`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The values of one entry as float32 or int32 (I64 must fit in int32). */
function decode(name: string, entry: SafetensorsEntry, data: DataView): Float32Array | Int32Array {
  const [begin, end] = entry.dataOffsets;
  const spec = DTYPES[entry.dtype] as { bytes: number; dtype: 'float32' | 'int32' };
  const count = (end - begin) / spec.bytes;
  const out = spec.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = begin + i * spec.bytes;
    switch (entry.dtype) {
      case 'F32': out[i] = data.getFloat32(at, true); break;
      case 'F64': out[i] = data.getFloat64(at, true); break;
      case 'F16': out[i] = halfToFloat(data.getUint16(at, true)); break;
      case 'BF16': out[i] = new Float32Array(new Uint32Array([data.getUint16(at, true) << 16]).buffer)[0] as number; break;
      case 'I32': out[i] = data.getInt32(at, true); break;
      default: {
        const v = data.getBigInt64(at, true);
        if (v < -2147483648n || v > 2147483647n) {
          throw new RnnkitError('UNSUPPORTED', `Expected the I64 values of "${name}" to fit in int32 (tfjs has no int64). Received ${v}.`);
        }
        out[i] = Number(v);
      }
    }
  }
  return out;
}

/**
 * Decodes safetensors bytes into tensors by name: F32, F16, BF16 and F64 as float32, I64 (when the
 * values fit) and I32 as int32. Validates the header, dtypes, shapes and offsets (no overlaps, no
 * holes): `INVALID_MODEL` for corrupt files, `UNSUPPORTED` for other dtypes. The caller owns (and
 * disposes) the tensors.
 */
export function decodeSafetensors(bytes: Uint8Array): Record<string, tf.Tensor> {
  const { entries, dataStart } = parseSafetensorsHeader(bytes);
  const data = new DataView(bytes.buffer, bytes.byteOffset + dataStart, bytes.byteLength - dataStart);
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const [name, entry] of entries) {
      const values = decode(name, entry, data);
      out[name] = tf.tensor(values, entry.shape, DTYPES[entry.dtype]?.dtype);
    }
  } catch (err) {
    Object.values(out).forEach((t) => t.dispose());
    throw err;
  }
  return out;
}

/**
 * Reads a safetensors file (PyTorch / Hugging Face weights) from bytes, a Blob, a Node path or an
 * http(s) URL into a `Record<string, tf.Tensor>`; see {@link decodeSafetensors}.
 */
export async function readSafetensors(source: ModelBytes | string, options: FetchOptions = {}): Promise<Record<string, tf.Tensor>> {
  return decodeSafetensors(await readBytes(source, options, 'safetensors file'));
}
