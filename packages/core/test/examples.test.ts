// The classic Keras example (examples/classic.ts): Keras's parameter counts, and training works.
import * as tf from '@tensorflow/tfjs';
import { describeBackends } from './util/backends';
import { CLASSIC_KINDS, KERAS_RECURRENT_PARAMS, buildClassicModel, fitClassicModel, makeClassicData } from '../examples/classicModels';

describeBackends('classic Keras example', () => {
  for (const kind of CLASSIC_KINDS) {
    it(`${kind}(64) on (10, 20) has Keras's parameter counts and its loss goes down`, async () => {
      const before = tf.memory().numTensors;
      const model = buildClassicModel(kind, 1e-2);
      expect(model.layers.map((l) => l.countParams())).toEqual([KERAS_RECURRENT_PARAMS[kind], 65]);
      const lines: string[] = [];
      const print = (line: string) => lines.push(line);
      model.summary(undefined, undefined, print);
      expect(lines.join('\n')).toContain(`Total params: ${KERAS_RECURRENT_PARAMS[kind] + 65}`);
      const data = makeClassicData(128, 3);
      const logs = await fitClassicModel(model, data, { epochs: 3 });
      expect(logs.map((l) => l.epoch)).toEqual([1, 2, 3]);
      expect((logs[2] as { loss: number }).loss).toBeLessThan((logs[0] as { loss: number }).loss);
      expect(logs.every((l) => Number.isFinite(l.accuracy))).toBe(true);
      tf.dispose([data.x, data.y]);
      model.optimizer.dispose(); // the optimizer instance passed to compile is not owned by the model
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
