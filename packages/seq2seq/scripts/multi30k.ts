// Reads a Multi30k task-1 split (raw, untokenized) as German -> English pairs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalizeText } from '../src/index';
import type { Pair } from './common';

/** `name` is train, val, test_2017_flickr or test_2017_mscoco; lines empty on either side are skipped. */
export function multi30kSplit(rawDir: string, name: string): Pair[] {
  const de = readFileSync(resolve(rawDir, `${name}.de`), 'utf8').split('\n');
  const en = readFileSync(resolve(rawDir, `${name}.en`), 'utf8').split('\n');
  const out: Pair[] = [];
  de.forEach((d, i) => {
    const e = en[i];
    if (d.trim() && e?.trim()) out.push({ src: normalizeText(d), tgt: normalizeText(e) });
  });
  return out;
}
