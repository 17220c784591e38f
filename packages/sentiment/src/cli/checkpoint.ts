// rnnkit-sentiment train's checkpoint folder: state.json (position, best so far, the settings it was
// made with) and checkpoint.bin (current weights, best weights, optimizer state), written atomically.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '@rnnkit/core';
import { writeFolderAtomic } from '@rnnkit/core/cli';
import type { TrainCheckpoint } from '../train';

const FORMAT = 'rnnkit-sentiment-checkpoint';
export const STATE_FILE = 'state.json';

type Position = Omit<TrainCheckpoint, 'weights' | 'bestWeights' | 'optimizer'>;

interface StateJson {
  format: typeof FORMAT;
  /** The settings and data sizes of the run; a resume with others is refused. */
  settings: Record<string, unknown>;
  position: Position;
  groups: { weights: number; best: number; optimizer: string[] };
  specs: tf.io.WeightsManifestEntry[];
}

export async function saveCheckpoint(dir: string, c: TrainCheckpoint, settings: Record<string, unknown>): Promise<void> {
  const { weights, bestWeights, optimizer, ...position } = c;
  const named = [
    ...weights.map((t, i) => ({ name: `w${i}`, tensor: t })),
    ...(bestWeights ?? []).map((t, i) => ({ name: `b${i}`, tensor: t })),
    ...optimizer.map((o, i) => ({ name: `o${i}`, tensor: o.tensor })),
  ];
  const { data, specs } = await tf.io.encodeWeights(named);
  const state: StateJson = { format: FORMAT, settings, position, groups: { weights: weights.length, best: bestWeights?.length ?? 0, optimizer: optimizer.map((o) => o.name) }, specs };
  await writeFolderAtomic(dir, { [STATE_FILE]: JSON.stringify(state), 'checkpoint.bin': new Uint8Array(data) });
}

function canonical(o: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** Reads a checkpoint written with the same `settings` (MISMATCH otherwise); dispose its tensors after use. */
export async function loadCheckpoint(dir: string, settings: Record<string, unknown>): Promise<TrainCheckpoint> {
  let state: StateJson;
  let bin: Buffer;
  try {
    state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as StateJson;
    bin = await readFile(join(dir, 'checkpoint.bin'));
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected a readable checkpoint in ${dir}. Received: ${(cause as Error).message}`, { cause });
  }
  if (state.format !== FORMAT) throw new RnnkitError('INVALID_MODEL', `Expected a ${FORMAT} in ${dir}. Received: format ${JSON.stringify(state.format)}`);
  if (canonical(state.settings) !== canonical(settings)) {
    throw new RnnkitError('MISMATCH', `Expected to resume with the settings of the checkpoint ${JSON.stringify(state.settings)}. Received: ${JSON.stringify(settings)}`);
  }
  const t = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer, state.specs);
  const take = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => t[`${prefix}${i}`] as tf.Tensor);
  return {
    ...state.position,
    weights: take('w', state.groups.weights),
    bestWeights: state.groups.best > 0 ? take('b', state.groups.best) : null,
    optimizer: state.groups.optimizer.map((name, i) => ({ name, tensor: t[`o${i}`] as tf.Tensor })),
  };
}

/** Disposes a loaded checkpoint's tensors. */
export function disposeCheckpoint(c: TrainCheckpoint): void {
  tf.dispose([...c.weights, ...(c.bestWeights ?? []), ...c.optimizer.map((o) => o.tensor)]);
}
