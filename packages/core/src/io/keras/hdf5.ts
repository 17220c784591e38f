// HDF5 reading for Keras files, on jsfive.
//
// Why jsfive and not h5wasm (compared on the 0.4.2 / 0.10.3 releases):
// - size: jsfive is plain JavaScript, 190 kB unminified with its inflate (pako) included, ~60 kB
//   gzipped in a bundle; h5wasm ships the HDF5 C library as WebAssembly, a 3.4 MB package.
// - browser and CJS: jsfive runs anywhere from an ArrayBuffer and has ESM + CJS builds; h5wasm is
//   ESM-only (no `require`, which rnnkit's CJS build needs), needs its wasm module initialized
//   asynchronously and, in browsers, a virtual file system to write the bytes into first.
// - speed: jsfive's own reader returns plain JS arrays element by element (1.4 s for an 11.8 MB
//   .keras); contiguous little-endian float datasets, what Keras writes, are therefore copied here
//   straight out of the file's bytes (see `contiguousFloats`), and jsfive decodes only the rest
//   (chunked / compressed / other dtypes).
// - license: jsfive is public domain (after pyfive, BSD); h5wasm is under the HDF5 (BSD-style) license.
// - limits: jsfive reads but cannot write (rnnkit never writes HDF5) and throws plain strings on
//   unsupported features; every call here is wrapped so they surface as `RnnkitError`s.
// The reference makes jsfive's types part of every program that compiles this file (the other
// packages type-check core's sources through the `@rnnkit/source` export condition).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./jsfive.d.ts" />
import * as jsfive from 'jsfive';
import { RnnkitError } from '../../errors';

/** One numeric dataset read as float32: its path in the file, shape and values. */
export interface H5Array {
  path: string;
  shape: number[];
  values: Float32Array;
}

/** An opened HDF5 file with the few reads Keras files need. */
export interface H5File {
  /** An attribute of the group at `path` ('' = root) as a string / string list / number, or undefined. */
  attr(path: string, name: string): unknown;
  /** The child names of the group at `path`, or [] when there is no such group. */
  keys(path: string): string[];
  /** True if `path` names a dataset. */
  isDataset(path: string): boolean;
  /** Reads the dataset at `path` as float32. */
  read(path: string): H5Array;
}

/** The jsfive 0.4.2 internals `contiguousFloats` reads (the version is pinned in package.json). */
interface DatasetInternals {
  dtype: unknown;
  _dataobjects?: {
    find_msg_type(type: number): Array<{ get(key: string): number }>;
    _get_data_message_properties(offset: number): [number, number, number, number];
  };
}

/** HDF5's data layout message type and its contiguous layout class. */
const LAYOUT_MESSAGE = 8;
const CONTIGUOUS = 1;

/**
 * A contiguous `<f4` / `<f8` dataset copied straight from the file bytes as float32, or null when the
 * dataset is stored otherwise (or jsfive's internals are not as expected): then jsfive decodes it.
 */
function contiguousFloats(node: jsfive.Dataset, size: number, file: ArrayBuffer): Float32Array | null {
  try {
    const internals = node as unknown as DatasetInternals;
    const dtype = internals.dtype;
    const objects = internals._dataobjects;
    if ((dtype !== '<f4' && dtype !== '<f8') || !objects) return null;
    const message = objects.find_msg_type(LAYOUT_MESSAGE)[0];
    if (!message) return null;
    const [, , layout, properties] = objects._get_data_message_properties(message.get('offset_to_message'));
    if (layout !== CONTIGUOUS) return null;
    const start = Number(new DataView(file).getBigUint64(properties, true));
    const bytes = size * (dtype === '<f4' ? 4 : 8);
    if (!Number.isSafeInteger(start) || start + bytes > file.byteLength) return null;
    const copy = file.slice(start, start + bytes);
    return dtype === '<f4' ? new Float32Array(copy) : Float32Array.from(new Float64Array(copy));
  } catch {
    return null;
  }
}

function fail(what: string, cause: unknown): RnnkitError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RnnkitError('INVALID_MODEL', `${what}: ${detail}`, { cause });
}

/** Strips the NUL padding of fixed-length HDF5 strings (h5py writes numpy `S` arrays so). */
function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\0+$/, '');
  if (Array.isArray(value)) return value.map(clean);
  return value;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Opens HDF5 bytes. Throws `INVALID_MODEL` when they are not a readable HDF5 file. */
export function openHdf5(bytes: Uint8Array, label: string): H5File {
  if (!HDF5_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${label} to be an HDF5 file (signature \\x89HDF). Received other bytes.`);
  }
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
  let file: jsfive.File;
  try {
    file = new jsfive.File(buffer, label);
  } catch (cause) {
    throw fail(`Could not read ${label} as HDF5`, cause);
  }
  const get = (path: string): jsfive.Group | jsfive.Dataset | null => {
    if (path === '' || path === '/') return file;
    try {
      return file.get(path);
    } catch {
      return null;
    }
  };
  return {
    attr(path, name) {
      const node = get(path);
      if (node == null) return undefined;
      try {
        return clean(node.attrs[name]);
      } catch (cause) {
        throw fail(`Could not read attribute "${name}" of "${path || '/'}" in ${label}`, cause);
      }
    },
    keys(path) {
      const node = get(path);
      return node instanceof jsfive.Group ? node.keys : [];
    },
    isDataset(path) {
      return get(path) instanceof jsfive.Dataset;
    },
    read(path) {
      const node = get(path);
      if (!(node instanceof jsfive.Dataset)) {
        throw new RnnkitError('INVALID_MODEL', `Expected a dataset at "${path}" in ${label}. Received ${node == null ? 'nothing' : 'a group'}.`);
      }
      let shape: number[];
      try {
        shape = [...node.shape];
      } catch (cause) {
        throw fail(`Could not read the shape of dataset "${path}" of ${label}`, cause);
      }
      const size = shape.reduce((a, b) => a * b, 1);
      const fast = contiguousFloats(node, size, buffer);
      if (fast) return { path, shape, values: fast };
      let raw: ArrayLike<number | bigint>;
      try {
        raw = node.value;
      } catch (cause) {
        throw fail(`Could not read dataset "${path}" of ${label}`, cause);
      }
      if (raw == null || raw.length !== size || (raw.length > 0 && typeof raw[0] !== 'number')) {
        throw new RnnkitError('UNSUPPORTED', `Expected dataset "${path}" of ${label} to hold ${size} numbers (float or int). Received ${describeRaw(raw)}.`);
      }
      return { path, shape, values: Float32Array.from(raw as ArrayLike<number>) };
    },
  };
}

function describeRaw(raw: ArrayLike<unknown> | null | undefined): string {
  if (raw == null) return 'no data';
  return `${raw.length} values of type ${typeof raw[0]}`;
}
