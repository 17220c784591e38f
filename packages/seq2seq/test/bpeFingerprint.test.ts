// The BPE fingerprint (now @rnnkit/text's bpeFingerprint) computes exactly what the shipped en->fr
// model's model.json stores for its BPE models, so moving it changed no output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bpe, bpeFingerprint } from '@rnnkit/text';
import { bpeFingerprint as fromSeq2Seq } from '../src/index';

const dir = join(__dirname, '..', 'model');

it('matches the fingerprints stored in the shipped model', () => {
  const { fingerprints } = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { fingerprints: { srcBpe: string; tgtBpe: string } };
  const src = Bpe.fromJSON(readFileSync(join(dir, 'src_bpe.json'), 'utf8'));
  const tgt = Bpe.fromJSON(readFileSync(join(dir, 'tgt_bpe.json'), 'utf8'));
  expect(bpeFingerprint(src)).toBe(fingerprints.srcBpe);
  expect(bpeFingerprint(tgt)).toBe(fingerprints.tgtBpe);
  expect(fingerprints).toMatchObject({ srcBpe: 'bpe1-e630e2eb82a4eb55', tgtBpe: 'bpe1-85e9bf5d5e18709b' });
  expect(fromSeq2Seq).toBe(bpeFingerprint);
});
