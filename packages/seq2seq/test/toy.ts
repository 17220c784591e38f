// A tiny synthetic task shared by the tests: reverse a short digit sequence. Ids: 0 <pad>, 1 <unk>,
// 2 <bos>, 3 <eos>, digits 0-9 are ids 4-13.
import { createRng } from '@rnnkit/text';
import type { ParallelIds } from '../src/train';

export const TOY = { bosId: 2, eosId: 3, padId: 0, vocabSize: 14 };

export function reverseTask(n: number, seed: number, minLen = 2, maxLen = 5): ParallelIds[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const len = minLen + Math.floor(rng() * (maxLen - minLen + 1));
    const src = Array.from({ length: len }, () => 4 + Math.floor(rng() * 10));
    return { src, tgt: [...src].reverse() };
  });
}
