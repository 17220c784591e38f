// Model file formats told apart by their first bytes, not their extension: real `.keras` files are
// sometimes HDF5 (tf.keras 2.x wrote HDF5 under any name) and Keras 3 often writes `.h5` files.

/** `keras-zip`: Keras 3 `.keras` (zip `PK\x03\x04`); `hdf5`: legacy full model (`\x89HDF\r\n\x1a\n`); `json`: model.json. */
export type ModelFileFormat = 'keras-zip' | 'hdf5' | 'json' | 'unknown';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** The format of a model file from its first bytes (8 are enough). */
export function detectModelFormat(bytes: Uint8Array): ModelFileFormat {
  if (startsWith(bytes, ZIP)) return 'keras-zip';
  if (startsWith(bytes, HDF5)) return 'hdf5';
  let i = 0;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) i = 3; // UTF-8 byte order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b ? 'json' : 'unknown';
}
