// A tiny word-level model (digits reversed), trained for a few steps and saved, for CLI and io tests.
import { Vocab } from '@rnnkit/text';
import { Seq2Seq } from '../src/model';
import { Translator } from '../src/translator';
import { trainSeq2Seq } from '../src/train';
import { reverseTask } from './toy';

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export async function tinyTranslator(steps = 5): Promise<Translator> {
  const srcVocab = Vocab.fromTokens(DIGITS);
  const tgtVocab = Vocab.fromTokens(DIGITS);
  const model = new Seq2Seq({ srcVocabSize: srcVocab.size, tgtVocabSize: tgtVocab.size, embeddingDim: 8, hiddenUnits: 16, attention: 'dot', inputFeeding: false, seed: 1 });
  await trainSeq2Seq(model, reverseTask(64, 9), { bosId: 2, eosId: 3, batchSize: 16, maxSteps: steps, epochs: 1 });
  return new Translator(model, { srcVocab, tgtVocab, srcBpe: null, tgtBpe: null, meta: { test: true } });
}
