import * as tf from '@tensorflow/tfjs';
import { Seq2Seq } from '../src/model';
import { trainSeq2Seq, makeBatch } from '../src/train';
import { greedySearch } from '../src/decode/greedy';
import { beamSearch } from '../src/decode/beamSearch';
import { TOY, reverseTask } from './toy';
import type { AttentionType, CellType } from '../src/config';

function accuracy(model: Seq2Seq, data: ReturnType<typeof reverseTask>, beam = 1): number {
  const b = makeBatch(data, data.map((_, i) => i), TOY);
  const stepper = model.stepper(b.src, b.srcMask);
  const opts = { bosId: TOY.bosId, eosId: TOY.eosId, maxLength: 8, beamSize: beam };
  const hyps = beam > 1 ? beamSearch(stepper, opts) : greedySearch(stepper, opts);
  stepper.dispose();
  tf.dispose(Object.values(b));
  return hyps.filter((h, i) => JSON.stringify(h[0]?.tokens) === JSON.stringify(data[i]?.tgt)).length / data.length;
}

describe('Seq2Seq learns to reverse digit sequences', () => {
  const cases: Array<[CellType, AttentionType, boolean]> = [['gru', 'general', false], ['lstm', 'bahdanau', true]];
  it.each(cases)('%s + %s attention (input feeding %s): loss drops, greedy output matches most targets', async (cell, attention, inputFeeding) => {
    const train = reverseTask(cell === 'gru' ? 384 : 512, 1);
    const test = reverseTask(40, 2);
    const model = new Seq2Seq({ srcVocabSize: TOY.vocabSize, tgtVocabSize: TOY.vocabSize, embeddingDim: 16, hiddenUnits: 48, cell, attention, inputFeeding, seed: 3 });
    const before = tf.memory().numTensors;
    const res = await trainSeq2Seq(model, train, { ...TOY, epochs: 12, batchSize: 32, learningRate: 0.01, seed: 1, validation: test });
    expect(tf.memory().numTensors).toBe(before); // no leak across training
    const first = res.history[0]?.valLoss as number;
    const last = res.history[res.history.length - 1]?.valLoss as number;
    expect(last).toBeLessThan(first / 3);
    expect(accuracy(model, test)).toBeGreaterThanOrEqual(0.8);
    expect(accuracy(model, test, 3)).toBeGreaterThanOrEqual(0.8);
    model.dispose();
  }, 400_000);
});
