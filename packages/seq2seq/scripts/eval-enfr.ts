// Evaluates a model folder on the Tatoeba en->fr test split of train-tatoeba-enfr.ts (same seed), or on
// its validation split with --split val:
//   npx tsx scripts/eval-enfr.ts [--model DIR] [--seed 13] [--split test|val] [--limit N] [--beams 1,5]
//     [--alpha 0.6] [--length-penalty gnmt|average|none] [--out FILE.json]
// Single sentences, and the same sentences joined three at a time (sources and references each joined
// with a space, in a seeded order): sacreBLEU (13a, default settings), chrF (sacreBLEU's chrF2), the
// output/reference length ratio (13a tokens) and speed. Three-at-a-time inputs are translated both as
// one sequence by the model ("plain") and through Translator.translate (which splits them into sentences
// once @rnnkit/seq2seq does so).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initBackend, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Translator, corpusBleu, tokenizedBleu, toUnits, type LengthPenaltyName } from '../src/index';
import { translatePlain } from './plainDecode';
import { corpusChrf } from './chrf';
import { parseArgs, type Pair } from './common';
import { joinPairs, tatoebaSplit } from './tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
tryEnableRelaxedSimd();
const backend = await initBackend();
const seed = Number(args['seed'] ?? 13);
const split = tatoebaSplit(seed);
const which = args['split'] === 'val' ? 'val' : 'test';
const lines = split[which].slice(0, args['limit'] ? Number(args['limit']) : undefined);
const triples = joinPairs(lines, 3, seed + 100);
const modelDir = args['model'] ?? resolve(import.meta.dirname ?? '.', '../model');
const translator = await Translator.load(modelDir);
const beams = (args['beams'] ?? '5').split(',').map(Number);

// Beam search's ranking (the translator's defaults unless given): chosen on --split val, never on test.
const penalty = { alpha: args['alpha'] === undefined ? undefined : Number(args['alpha']), lengthPenalty: args['length-penalty'] as LengthPenaltyName | undefined };
const plain = (texts: readonly string[], o: { beam: number; batchSize: number }) => translatePlain(translator, texts, { ...o, ...penalty });

function score(pairs: readonly Pair[], hyps: readonly string[], secs: number): Record<string, number> {
  const refs = pairs.map((p) => p.tgt);
  const b = corpusBleu(hyps, [refs]);
  return {
    sacreBleu: Number(b.score.toFixed(2)), chrF: Number(corpusChrf(hyps, refs).toFixed(2)), lengthRatio: Number((b.sysLen / b.refLen).toFixed(3)),
    lowercaseTokenizedBleu: Number(tokenizedBleu(hyps.map((h) => toUnits(h.toLowerCase(), null)), pairs.map((p) => [toUnits(p.tgt.toLowerCase(), null)])).toFixed(2)),
    inputsPerSecond: Number((pairs.length / secs).toFixed(1)),
  };
}

function timed(f: () => string[]): { hyps: string[]; secs: number } {
  const t0 = Date.now();
  const hyps = f();
  return { hyps, secs: (Date.now() - t0) / 1000 };
}

const result: Record<string, unknown> = { model: modelDir, backend, split: which, ...penalty, lines: lines.length, sources: split.sources[which], triples: triples.length };
for (const beam of beams) {
  const o = { beam, batchSize: beam > 1 ? 32 : 64 };
  const single = timed(() => plain(lines.map((p) => p.src), o));
  result[`beam${beam}Single`] = score(lines, single.hyps, single.secs);
  const joined = timed(() => plain(triples.map((p) => p.src), o));
  result[`beam${beam}ThreePlain`] = score(triples, joined.hyps, joined.secs);
  const viaTranslate = timed(() => translator.translate(triples.map((p) => p.src), { ...o, ...penalty }).map((t) => t.text));
  result[`beam${beam}ThreeTranslate`] = score(triples, viaTranslate.hyps, viaTranslate.secs);
  console.error(JSON.stringify({ beam, examples: triples.slice(0, 2).map((p, i) => ({ src: p.src, ref: p.tgt, plain: joined.hyps[i], translate: viaTranslate.hyps[i] })) }));
}
console.log(JSON.stringify(result));
if (args['out']) writeFileSync(args['out'], JSON.stringify(result, null, 2));
translator.dispose();
