// Decoding that treats each input as ONE sequence, whatever it holds: no sentence splitting (which
// Translator.translate does) and no unknown-word replacement. Used to measure what the model itself does
// with long inputs, and for validation during training (the same procedure at every epoch).
import * as tf from '@tensorflow/tfjs';
import { padSequences } from '@rnnkit/text';
import { beamSearch, detokenize, fromUnits, greedySearch, type LengthPenaltyName, type Translator } from '../src/index';

/**
 * Translates every source as ONE sequence, whatever it holds (no sentence splitting, no unknown-word
 * replacement): what the model itself does with a long input. Batches of similar length.
 */
export function translatePlain(translator: Translator, texts: readonly string[], o: { beam: number; batchSize: number; alpha?: number; lengthPenalty?: LengthPenaltyName }): string[] {
  const { srcVocab, tgtVocab, tgtBpe } = translator.artifacts;
  const enc = texts.map((t) => translator.encodeSource(t).ids);
  const order = enc.map((_, i) => i).sort((x, y) => (enc[x] as number[]).length - (enc[y] as number[]).length);
  const out: string[] = texts.map(() => '');
  for (let b = 0; b < order.length; b += o.batchSize) {
    const rows = order.slice(b, b + o.batchSize).filter((i) => (enc[i] as number[]).length > 0);
    if (rows.length === 0) continue;
    const padded = padSequences(rows.map((i) => enc[i] as number[]), { value: srcVocab.padId, padding: 'post' });
    const srcLen = padded.ids[0]?.length ?? 0;
    const src = tf.tensor2d(padded.ids.flat(), [rows.length, srcLen], 'int32');
    const mask = tf.tensor2d(padded.mask.flat(), [rows.length, srcLen], 'float32');
    const stepper = translator.model.stepper(src, mask);
    tf.dispose([src, mask]);
    const d = { bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, beamSize: o.beam, maxLength: 2 * srcLen + 10, alpha: o.alpha, lengthPenalty: o.lengthPenalty };
    try {
      const hyps = o.beam > 1 ? beamSearch(stepper, d) : greedySearch(stepper, d);
      rows.forEach((i, r) => {
        const h = hyps[r]?.[0];
        out[i] = h ? detokenize(fromUnits(h.tokens.map((id) => tgtVocab.token(id)), tgtBpe)) : '';
      });
    } finally {
      stepper.dispose();
    }
  }
  return out;
}
