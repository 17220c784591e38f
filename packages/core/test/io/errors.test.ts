// The "Errors" bullet end to end: wrong input rank, a non-integer units value, a weight of the
// wrong shape, an unknown layer class in a model file, a truncated weights file. Each is an
// RnnkitError with a code, says what was expected and what was received, and leaves no tensors.
import * as tf from '@tensorflow/tfjs';
import { loadLayersModel } from '../../src/io';
import { layers } from '../../src/layers/index';
import { isRnnkitError, type RnnkitErrorCode } from '../../src/errors';

async function expectError(fn: () => unknown, code: RnnkitErrorCode, message: RegExp): Promise<void> {
  const tensors = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().registeredVariables).length;
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  if (!isRnnkitError(err)) throw new Error(`expected an RnnkitError ${code}, got ${String(err)}`);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
}

async function savedLstm(): Promise<tf.io.ModelArtifacts> {
  const model = tf.sequential();
  model.add(layers.lstm({ units: 3, inputShape: [4, 2] }));
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  return artifacts!;
}

describe('errors: clear messages, codes, nothing left behind', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('wrong input rank -> INVALID_SHAPE', async () => {
    const layer = layers.lstm({ units: 2 });
    const x = tf.zeros([3, 4]);
    await expectError(() => layer.apply(x), 'INVALID_SHAPE', /Expected.*Received/s);
    x.dispose();
  });

  it('units not a positive integer -> INVALID_ARGUMENT naming the value', async () => {
    await expectError(() => layers.gru({ units: 12.5 }), 'INVALID_ARGUMENT', /Expected units to be a positive integer.*Received.*12\.5/s);
  });

  it('weight of the wrong shape in a model file -> WEIGHT_MISMATCH with both shapes', async () => {
    const a = await savedLstm();
    const topology = JSON.parse(JSON.stringify(a.modelTopology)) as { config: { layers: Array<{ config: { units: number } }> } };
    topology.config.layers[0]!.config.units = 2;
    await expectError(() => loadLayersModel({ ...a, modelTopology: topology }), 'WEIGHT_MISMATCH', /expects shape \[2,8\]\. Received \[2,12\]/);
  });

  it('unknown layer class -> UNKNOWN_CLASS naming it and the supported ones', async () => {
    const a = await savedLstm();
    const topology = JSON.parse(JSON.stringify(a.modelTopology).replace('"LSTM"', '"PeepholeLSTM"'));
    await expectError(() => loadLayersModel({ ...a, modelTopology: topology }), 'UNKNOWN_CLASS', /PeepholeLSTM.*Expected one of.*GRU.*LSTM/s);
  });

  it('truncated weights -> INVALID_MODEL with expected and received byte counts', async () => {
    const a = await savedLstm();
    const data = (a.weightData as ArrayBuffer).slice(0, 50);
    await expectError(() => loadLayersModel({ ...a, weightData: data }), 'INVALID_MODEL', /expected 288 bytes.*received 50 bytes/);
  });
});
