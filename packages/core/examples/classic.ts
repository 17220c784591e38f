// The classic Keras RNN example with rnnkit: `pnpm --filter @rnnkit/core example`
// (or `npx tsx examples/classic.ts` in packages/core). Prints each model's summary (Keras's
// parameter counts) and a short fit on generated data.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { CLASSIC_KINDS, buildClassicModel, fitClassicModel, makeClassicData } from './classicModels';

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`TensorFlow.js backend: ${backend}`);
  const train = makeClassicData(1024, 1);
  for (const kind of CLASSIC_KINDS) {
    console.log(`\n=== ${kind}(64) -> Dense(1, sigmoid) ===`);
    const model = buildClassicModel(kind);
    model.summary();
    await fitClassicModel(model, train, {
      epochs: 5,
      onEpoch: ({ epoch, loss, accuracy }) => console.log(`epoch ${epoch}/5 - loss: ${loss.toFixed(4)} - accuracy: ${accuracy.toFixed(4)}`),
    });
    model.optimizer.dispose();
    model.dispose();
  }
  tf.dispose([train.x, train.y]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
