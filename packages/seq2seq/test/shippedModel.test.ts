import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Translator } from '../src/translator';

// The README's quick start and attention example, on the model shipped in model/ (when it is present).
const dir = join(__dirname, '..', 'model');
const run = existsSync(join(dir, 'model.json')) ? it : it.skip;

describe('shipped English -> French model', () => {
  run('loads, translates with greedy and beam search, and returns one attention row per output unit', async () => {
    const translator = await Translator.load(dir);
    const [greedy, beam] = [translator.translate(['I am hungry.'], { beamSize: 1 })[0], translator.translate(['I am hungry.'], { beam: 5 })[0]];
    for (const t of [greedy, beam]) {
      expect(t?.text.length).toBeGreaterThan(0);
      expect(t?.attention).toHaveLength(t?.tokens.length as number);
      for (const row of t?.attention ?? []) {
        expect(row).toHaveLength(t?.srcTokens.length as number);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
    }
    expect(Number.isFinite(beam?.score)).toBe(true);
    const bpeMeta = translator.artifacts.meta as { license?: string };
    expect(bpeMeta.license).toContain('CC BY 2.0');
    translator.model.dispose();
  });
});
