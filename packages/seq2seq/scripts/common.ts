// Shared by the training scripts: argument parsing, logging, BPE + vocabulary building, and the
// train / evaluate loop around trainSeq2Seq with BLEU on a validation sample.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Bpe, Vocab } from '@rnnkit/text';
import { initBackend, kernelFlavor, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Seq2Seq, Translator, corpusBleu, tokenizedBleu, trainSeq2Seq, toUnits, type Seq2SeqConfig, type ParallelIds } from '../src/index';

export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) out[k] = v;
      else if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) out[k] = argv[++i] as string;
      else out[k] = 'true';
    }
  }
  return out;
}

export function makeLogger(file: string): (msg: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (msg: string) => {
    const line = `${new Date().toISOString()} ${msg}`;
    console.log(line);
    appendFileSync(file, line + '\n');
  };
}

export interface Pair {
  src: string;
  tgt: string;
}

export interface RunSpec {
  name: string;
  train: Pair[];
  val: Pair[];
  test: Pair[];
  config: Omit<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>;
  merges: number;
  epochs: number;
  batchSize: number;
  maxTokens?: number;
  learningRate: number;
  labelSmoothing: number;
  seed: number;
  out: string;
  checkpoint: string;
  log: (m: string) => void;
  meta: Record<string, unknown>;
  bleuSample: number;
  lowercaseAnchor?: boolean;
}

/** Separate source / target BPE models and vocabularies (tokens seen twice or more), deterministic. */
export function buildTextModels(train: readonly Pair[], merges: number): { srcBpe: Bpe; tgtBpe: Bpe; srcVocab: Vocab; tgtVocab: Vocab } {
  const srcBpe = Bpe.learn(train.map((p) => toUnits(p.src, null).join(' ')), { numMerges: merges });
  const tgtBpe = Bpe.learn(train.map((p) => toUnits(p.tgt, null).join(' ')), { numMerges: merges });
  const srcVocab = Vocab.build(train.map((p) => toUnits(p.src, srcBpe)), { minFreq: 2 });
  const tgtVocab = Vocab.build(train.map((p) => toUnits(p.tgt, tgtBpe)), { minFreq: 2 });
  return { srcBpe, tgtBpe, srcVocab, tgtVocab };
}

export async function run(spec: RunSpec): Promise<void> {
  const { log } = spec;
  const relaxed = tryEnableRelaxedSimd(); // before any WebAssembly module is compiled
  const backend = await initBackend();
  log(`backend ${backend}, fused kernels ${relaxed ? kernelFlavor() : 'simd'}; train ${spec.train.length}, val ${spec.val.length}, test ${spec.test.length} pairs`);
  const t0 = Date.now();
  const { srcBpe, tgtBpe, srcVocab, tgtVocab } = buildTextModels(spec.train, spec.merges);
  log(`BPE ${spec.merges} merges each side; vocab src ${srcVocab.size}, tgt ${tgtVocab.size} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const model = new Seq2Seq({ ...spec.config, srcVocabSize: srcVocab.size, tgtVocabSize: tgtVocab.size, seed: spec.seed });
  log(`model ${JSON.stringify(model.getConfig())}, ${model.countParams()} parameters (${(model.countParams() * 4 / 1e6).toFixed(1)} MB float32)`);
  const meta = { ...spec.meta, seed: spec.seed, bpeMerges: spec.merges };
  const translator = new Translator(model, { srcVocab, tgtVocab, srcBpe, tgtBpe, meta });
  const ids = (pairs: Pair[]): ParallelIds[] => pairs.map((p) => ({ src: translator.encodeSource(p.src).ids, tgt: translator.encodeTarget(p.tgt) }));
  const trainIds = ids(spec.train);
  const valIds = ids(spec.val);
  const valSample = spec.val.slice(0, spec.bleuSample);
  const bleuOf = (pairs: Pair[], beam = 1) => {
    const hyps = translator.translate(pairs.map((p) => p.src), { beam, batchSize: 64 }).map((t) => t.text);
    return { sacre: corpusBleu(hyps, [pairs.map((p) => p.tgt)]).score, anchor: tokenizedBleu(hyps.map((h) => toUnits(h.toLowerCase(), null)), pairs.map((p) => [toUnits(p.tgt.toLowerCase(), null)])), hyps };
  };
  let lastLog = 0;
  const res = await trainSeq2Seq(model, trainIds, {
    epochs: spec.epochs, batchSize: spec.batchSize, maxTokens: spec.maxTokens, learningRate: spec.learningRate, labelSmoothing: spec.labelSmoothing,
    seed: spec.seed, bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, padId: tgtVocab.padId, validation: valIds,
    bleu: () => bleuOf(valSample).sacre, earlyStopping: { metric: 'bleu', patience: 3 },
    checkpointDir: spec.checkpoint, checkpointEvery: 200,
    onProgress: (p) => {
      if (Date.now() - lastLog > 30000) {
        lastLog = Date.now();
        log(`epoch ${p.epoch + 1} step ${p.step} loss ${p.loss.toFixed(3)} ${p.tokensPerSecond.toFixed(0)} tgt tok/s lr ${p.learningRate.toExponential(2)} ETA ${(p.etaSeconds / 60).toFixed(1)} min`);
      }
    },
    onEpoch: (r) => log(`epoch ${r.epoch + 1} done: train loss ${r.trainLoss.toFixed(3)} val loss ${r.valLoss?.toFixed(3)} ppl ${r.valPerplexity?.toFixed(2)} val BLEU(${spec.bleuSample}) ${r.valBleu?.toFixed(2)} (${r.seconds.toFixed(0)} s)`),
    onBest: async (r) => {
      await translator.save(spec.out);
      log(`saved best model (epoch ${r.epoch + 1}, val BLEU ${r.valBleu?.toFixed(2)}) to ${spec.out}`);
    },
  });
  log(`training finished after ${res.steps} steps (stopped early: ${res.stoppedEarly})`);
  const best = await Translator.load(spec.out);
  const evalOn = (name: string, pairs: Pair[]) => {
    const r = evaluatePairs(best, pairs);
    log(`${name}: ${JSON.stringify(r)}`);
    return r;
  };
  const figures = { val: evalOn('val', spec.val), test: evalOn('test', spec.test) };
  best.artifacts.meta = { ...meta, figures };
  await best.save(spec.out);
  log(`final model with figures saved to ${spec.out}`);
}

/** BLEU of a translator on pairs, greedy and beam 5, sacreBLEU's way and the anchor's (lowercased, tokenized, torchtext-style). */
export function evaluatePairs(translator: Translator, pairs: readonly Pair[]): { greedySacreBleu: number; beam5SacreBleu: number; greedyAnchorBleu: number; beam5AnchorBleu: number } {
  const hyps = translator.translate(pairs.map((p) => p.src), { beam: 1, batchSize: 64 }).map((t) => t.text);
  const beamHyps = translator.translate(pairs.map((p) => p.src), { beam: 5, batchSize: 32 }).map((t) => t.text);
  const refs = [pairs.map((p) => p.tgt)];
  const anchor = (h: string[]) => tokenizedBleu(h.map((x) => toUnits(x.toLowerCase(), null)), pairs.map((p) => [toUnits(p.tgt.toLowerCase(), null)]));
  return { greedySacreBleu: corpusBleu(hyps, refs).score, beam5SacreBleu: corpusBleu(beamHyps, refs).score, greedyAnchorBleu: anchor(hyps), beam5AnchorBleu: anchor(beamHyps) };
}
