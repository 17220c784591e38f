// Keras 3's `.keras` format (keras/src/saving/saving_lib.py): a zip holding `metadata.json`
// (keras_version), `config.json` (the serialized model) and `model.weights.h5`, whose variables are
// stored by object path: `layers/<slot>/vars/<i>`, `layers/<slot>/cell/vars/<i>`, ... . Those paths
// are kept as weight names; ../kerasLayout.ts maps them to layer names when the model is built.
import type * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { RnnkitError } from '../../errors';
import { MAX_JSON_BYTES, parseModelJson } from '../limits';
import { type Json, type JsonObject, isJsonObject } from '../normalize';
import { kerasArtifacts } from './artifacts';
import { type H5Array, type H5File, openHdf5 } from './hdf5';
import { prepareKerasConfig } from './kerasConfig';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

/** Largest weights member inflated (2 GiB, about the largest ArrayBuffer engines allow). */
const MAX_WEIGHTS_BYTES = 2 ** 31;

function unzip(bytes: Uint8Array, label: string): Record<string, Uint8Array> {
  const tooLarge = (name: string, size: number, cap: number): RnnkitError =>
    new RnnkitError('INVALID_MODEL', `Expected ${name} in ${label} to inflate to at most ${cap} bytes. Received a declared size of ${size} bytes.`);
  try {
    // Only the three members rnnkit reads are inflated (assets/ and others are skipped), each within a
    // size cap checked on the zip's declared size before anything is allocated.
    return unzipSync(bytes, {
      filter: (file) => {
        if (file.name !== CONFIG && file.name !== METADATA && file.name !== WEIGHTS) return false;
        const cap = file.name === WEIGHTS ? MAX_WEIGHTS_BYTES : MAX_JSON_BYTES;
        if (file.originalSize > cap) throw tooLarge(file.name, file.originalSize, cap);
        return true;
      },
    });
  } catch (cause) {
    if (cause instanceof RnnkitError) throw cause;
    throw new RnnkitError('INVALID_MODEL', `Could not read ${label} as a zip archive: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

function json(member: Uint8Array, name: string, label: string): Json {
  return parseModelJson(new TextDecoder().decode(member), `${name} in ${label}`) as Json; // size and depth capped
}

/** Every dataset under `path`, depth first in the file's (name) order. */
function datasets(h5: H5File, path: string, into: H5Array[]): H5Array[] {
  for (const key of h5.keys(path)) {
    const child = path ? `${path}/${key}` : key;
    if (h5.isDataset(child)) into.push(h5.read(child));
    else datasets(h5, child, into);
  }
  return into;
}

/** Reads a Keras 3 `.keras` zip into model artifacts (weights named by their `layers/...` paths). */
export function readKerasArchive(bytes: Uint8Array, label = 'the .keras file'): tf.io.ModelArtifacts {
  const files = unzip(bytes, label);
  const configBytes = files[CONFIG];
  const weightBytes = files[WEIGHTS];
  if (!configBytes) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${label} to be a Keras 3 .keras archive with ${CONFIG}. Received a zip with: ${Object.keys(files).join(', ') || 'none of config.json, metadata.json, model.weights.h5'}.`);
  }
  const config = json(configBytes, CONFIG, label);
  if (!isJsonObject(config)) throw new RnnkitError('INVALID_MODEL', `Expected ${CONFIG} in ${label} to be a JSON object.`);
  const metadataBytes = files[METADATA];
  const metadata = metadataBytes ? json(metadataBytes, METADATA, label) : null;
  const version = isJsonObject(metadata) && typeof metadata['keras_version'] === 'string' ? metadata['keras_version'] : undefined;
  const arrays = weightBytes ? datasets(openHdf5(weightBytes, `${WEIGHTS} in ${label}`), '', []) : [];
  const named = arrays.map((array) => ({ name: array.path, array })); // `layers/lstm/cell/vars/0`, ...
  return kerasArtifacts(prepareKerasConfig(config as JsonObject), version, named);
}
