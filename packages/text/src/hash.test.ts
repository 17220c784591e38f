// The two fingerprint hashes are pinned: saved models store their output (values computed by the
// implementations before the BPE one moved here from @rnnkit/seq2seq).
import { Bpe } from './bpe/model';
import { bpeFingerprint, hashStrings } from './hash';

it('bpeFingerprint is FNV-1a over the BPE JSON, unchanged', () => {
  const bpe = new Bpe(['a', 'b', 'c', 'é', '北'], [['a', 'b'], ['ab', 'c</w>'], ['é', '北']]);
  expect(bpeFingerprint(bpe)).toBe('bpe1-31f88c4a5b3b7b78');
  expect(bpeFingerprint(Bpe.fromJSON(JSON.stringify(bpe.toJSON())))).toBe('bpe1-31f88c4a5b3b7b78');
});

it('hashStrings separates parts', () => {
  expect(hashStrings(['ab', 'c'])).not.toBe(hashStrings(['a', 'bc']));
  expect(hashStrings(['ab', 'c'])).toMatch(/^[0-9a-f]{16}$/);
});
