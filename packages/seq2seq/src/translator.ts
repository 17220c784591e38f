// The translator (OpenNMT-py `Translator`): text in, text out, through vocabularies, BPE, a decoding
// strategy and unknown-word replacement by attention.
import * as tf from '@tensorflow/tfjs';
import { padSequences, type Vocab } from '@rnnkit/text';
import type { Seq2Seq } from './model';
import { beamSearch } from './decode/beamSearch';
import { greedySearch } from './decode/greedy';
import type { DecodeOptions, Hypothesis } from './decode/types';
import { detokenize, fromUnits, toUnits } from './preprocess';
import { loadSeq2Seq, loadSeq2SeqFrom, loadSeq2SeqFromUrl, saveSeq2Seq, type SaveOptions, type Seq2SeqArtifacts } from './io';
import { ensureBackend, isModelUrl, locateShippedModel, RnnkitError, urlModelFiles, type FetchModelOptions } from '@rnnkit/core';

export interface TranslateOptions {
  /** 1 = greedy search (default), more = beam search. */
  beam?: number;
  /** GNMT length-penalty alpha for beam search. Default 0.6. */
  alpha?: number;
  /** Default: 2 x source units + 10. */
  maxLength?: number;
  minLength?: number;
  /** Replace `<unk>` with the source unit of highest attention. Default true. */
  replaceUnk?: boolean;
  /** Sentences per batch. Default 32. */
  batchSize?: number;
}

export interface Translation {
  text: string;
  /** Source model units (pre-tokenized words / subwords). */
  srcTokens: string[];
  /** Output model units. */
  tokens: string[];
  /** Summed log-probability and the ranking score. */
  logProb: number;
  score: number;
  /** attention[i][j]: weight of source unit j when output unit i was produced. */
  attention: number[][];
}

/**
 * Output units of `ids`, each `<unk>` replaced by the source unit with the highest attention weight when
 * it was produced (Luong et al. 2015's unknown-word replacement).
 */
export function replaceUnknown(ids: readonly number[], attention: readonly (readonly number[])[], srcUnits: readonly string[], vocab: Vocab): string[] {
  return ids.map((id, t) => {
    if (id !== vocab.unkId) return vocab.token(id);
    const att = (attention[t] ?? []).slice(0, srcUnits.length);
    const j = att.indexOf(Math.max(...att));
    return j >= 0 ? (srcUnits[j] as string) : vocab.token(id);
  });
}

/** A model with its vocabularies and BPE models. */
export class Translator {
  constructor(readonly model: Seq2Seq, readonly artifacts: Seq2SeqArtifacts) {}

  /**
   * Loads a translator. With no `source`, the English->French model shipped in this package (its
   * `model/` folder, found from the module's own location: a folder in Node from any working directory,
   * assets your bundler emits in a web app). Otherwise a saved translator: a folder path in Node, or a
   * URL (http(s) anywhere; in browsers and workers also a path relative to the page, e.g.
   * `Translator.load('models/en-fr/')` for a copy of `node_modules/@rnnkit/seq2seq/model/` you serve
   * yourself), read with `fetch`.
   */
  static async load(source?: string | URL, options: FetchModelOptions = {}): Promise<Translator> {
    await ensureBackend();
    if (source === undefined) {
      const { shippedModelAssets } = await import('./shipped');
      const shipped = await locateShippedModel(shippedModelAssets());
      if (shipped.kind === 'folder') return Translator.load(shipped.dir, options);
      const l = await loadSeq2SeqFrom(urlModelFiles(shipped.base, options, shipped.assets));
      return new Translator(l.model, l);
    }
    if (source instanceof URL) return Translator.fromUrl(source, options);
    if (typeof source !== 'string') {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected source to be a folder path, a URL or nothing (the shipped model). Received: ${typeof source}`);
    }
    if (isModelUrl(source)) return Translator.fromUrl(source, options);
    const l = await loadSeq2Seq(source);
    return new Translator(l.model, l);
  }

  /** Loads a saved translator from a base URL with `fetch` (injectable), reporting progress. */
  static async fromUrl(url: string | URL, options: FetchModelOptions = {}): Promise<Translator> {
    await ensureBackend();
    const l = await loadSeq2SeqFromUrl(url, options);
    return new Translator(l.model, l);
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }

  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    await saveSeq2Seq(dir, this.model, this.artifacts, options);
  }

  /** Source ids of a sentence (no `<bos>`/`<eos>` on the source side). */
  encodeSource(s: string): { units: string[]; ids: number[] } {
    const units = toUnits(s, this.artifacts.srcBpe);
    return { units, ids: this.artifacts.srcVocab.encode(units) };
  }

  /** Target ids of a sentence (without `<bos>`/`<eos>`). */
  encodeTarget(s: string): number[] {
    return this.artifacts.tgtVocab.encode(toUnits(s, this.artifacts.tgtBpe));
  }

  /** Translates sentences (batched); empty sentences give empty translations. */
  translate(sentences: readonly string[], options: TranslateOptions = {}): Translation[] {
    const bs = options.batchSize ?? 32;
    const out: Translation[] = [];
    for (let i = 0; i < sentences.length; i += bs) out.push(...this.translateBatch(sentences.slice(i, i + bs), options));
    return out;
  }

  private translateBatch(sentences: readonly string[], o: TranslateOptions): Translation[] {
    const { srcVocab, tgtVocab, tgtBpe } = this.artifacts;
    const enc = sentences.map((s) => this.encodeSource(s));
    const result: Translation[] = sentences.map(() => ({ text: '', srcTokens: [], tokens: [], logProb: 0, score: 0, attention: [] }));
    const live = enc.map((e, i) => (e.ids.length > 0 ? i : -1)).filter((i) => i >= 0);
    if (live.length === 0) return result;
    const padded = padSequences(live.map((i) => (enc[i] as { ids: number[] }).ids), { value: srcVocab.padId, padding: 'post' });
    const srcLen = padded.ids[0]?.length ?? 0;
    const src = tf.tensor2d(padded.ids.flat(), [live.length, srcLen], 'int32');
    const mask = tf.tensor2d(padded.mask.flat(), [live.length, srcLen], 'float32');
    const stepper = this.model.stepper(src, mask);
    tf.dispose([src, mask]);
    const dopts: DecodeOptions = {
      bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, beamSize: o.beam ?? 1, alpha: o.alpha ?? 0.6,
      maxLength: o.maxLength ?? 2 * srcLen + 10, minLength: o.minLength ?? 0,
    };
    let hyps: Hypothesis[][];
    try {
      hyps = (o.beam ?? 1) > 1 ? beamSearch(stepper, dopts) : greedySearch(stepper, dopts);
    } finally {
      stepper.dispose();
    }
    live.forEach((i, r) => {
      const h = (hyps[r] as Hypothesis[])[0] as Hypothesis;
      const e = enc[i] as { units: string[]; ids: number[] };
      const units = (o.replaceUnk ?? true) ? replaceUnknown(h.tokens, h.attention, e.units, tgtVocab) : h.tokens.map((id) => tgtVocab.token(id));
      result[i] = {
        text: detokenize(fromUnits(units, tgtBpe)), srcTokens: e.units, tokens: units, logProb: h.logProb, score: h.score,
        attention: h.attention.map((row) => row.slice(0, e.units.length)),
      };
    });
    return result;
  }
}

