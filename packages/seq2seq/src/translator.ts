// Owns the translator (OpenNMT-py `Translator`): text in, text out, through vocabularies, BPE, a decoding
// strategy (chosen once per call by decode/strategy.ts's createDecoder) and unknown-word replacement by
// attention.
import * as tf from '@tensorflow/tfjs';
import { assertTexts, coverageOf, describeReceived, padSequences, unseenLetterShare, vocabCharacters, type Vocab } from '@rnnkit/text';
import type { Seq2Seq } from './model';
import { createDecoder, type Decoder } from './decode/strategy';
import type { LengthPenaltyName } from './decode/penalties';
import type { Hypothesis } from './decode/types';
import { detokenize, fromUnits, toUnits } from './preprocess';
import { decodeLength, planText, readPiece, type SourcePiece } from './sourceText';
import { loadSeq2Seq, loadSeq2SeqFrom, loadSeq2SeqFromUrl, saveSeq2Seq, type SaveOptions, type Seq2SeqArtifacts } from './io';
import { ensureBackend, isModelUrl, locateShippedModel, RnnkitError, urlModelFiles, type FetchModelOptions } from '@rnnkit/core';

export interface TranslateOptions {
  /** Beams per sentence: 1 = greedy search, more = beam search. Default 5. */
  beamSize?: number;
  /** @deprecated The same as {@link beamSize} (kept for existing callers); `beamSize` wins when both are set. */
  beam?: number;
  /**
   * The length penalty beam search ranks hypotheses by: 'gnmt' (Wu et al. 2016, with `alpha`), 'average'
   * (log-probability / length) or 'none' (the raw log-probability). Default 'gnmt'.
   */
  lengthPenalty?: LengthPenaltyName;
  /** GNMT length-penalty alpha for beam search. Default 0.6. */
  alpha?: number;
  /**
   * Most output units per sentence. Default `min(MAX_DECODE_LENGTH, 2 x source units + 10)` with the
   * source units of the longest sentence in the batch (sentences are batched by length).
   */
  maxLength?: number;
  minLength?: number;
  /** Replace `<unk>` with the source unit of highest attention. Default true. */
  replaceUnk?: boolean;
  /** Sentences decoded together (all texts' sentences are pooled, sorted by length, then batched). Default 32. */
  batchSize?: number;
}

/** The input-contract flags of a result (the same meaning as in @rnnkit/sentiment). */
export interface TranslationFlags {
  /**
   * Share (0..1) of the source words the model knows: all their BPE subwords are in the source vocabulary
   * and the word is not spelled out in single characters. Words without letters count only when the text
   * has no word with a letter. 0 for empty text.
   */
  coverage: number;
  /**
   * `coverage` below 0.5 (`LOW_COVERAGE_THRESHOLD` of @rnnkit/text), or more than half of the letters
   * are characters no source unit contains (another script): the translation says little. False for empty text.
   */
  lowCoverage: boolean;
  /** Empty or whitespace-only text: no model call, an empty translation. */
  empty: boolean;
  /**
   * Part of the text was left out: it was longer than MAX_TEXT_LENGTH characters, had more than
   * MAX_SENTENCES sentences, or a piece had more than MAX_SOURCE_UNITS units.
   */
  truncated: boolean;
}

/**
 * One text's translation. A text of several sentences is translated sentence by sentence and re-joined
 * with the source's separators; the fields below then cover all its sentences in order.
 */
export interface Translation extends TranslationFlags {
  text: string;
  /** Source model units (pre-tokenized words / subwords), all sentences in order. */
  srcTokens: string[];
  /** Output model units, all sentences in order. */
  tokens: string[];
  /** Summed log-probability over the sentences. */
  logProb: number;
  /** The ranking score (beam search: length-normalized), averaged over the sentences. */
  score: number;
  /**
   * attention[i][j]: weight of source unit j when output unit i was produced (0 for the source units of
   * other sentences).
   */
  attention: number[][];
}

/** One decoded piece (a sentence or a part of a long one). */
interface PieceResult {
  units: string[];
  srcUnits: string[];
  logProb: number;
  score: number;
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

  /**
   * Translates texts: each is split into sentences (`segmentSentences` of @rnnkit/text), the sentences of
   * all texts are decoded together in batches of similar length, and each text's translations are
   * re-joined with its own separators (spaces, line breaks). Empty or whitespace-only texts give an empty
   * translation without a model call; every result carries `coverage`, `lowCoverage`, `empty` and
   * `truncated` ({@link TranslationFlags}). INVALID_ARGUMENT when `texts` is not an array of strings.
   */
  translate(texts: readonly string[], options: TranslateOptions = {}): Translation[] {
    assertTexts(texts);
    const o = checkOptions(options);
    const { srcVocab, srcBpe } = this.artifacts;
    const plans = texts.map((t) => planText(t));
    const pieces: SourcePiece[] = [];
    for (const plan of plans) for (const sentence of plan.pieces) for (const p of sentence) pieces.push(readPiece(p, srcVocab, srcBpe));
    const decoded = this.decodePieces(pieces, o);
    const seen = vocabCharacters(srcVocab);
    let next = 0;
    return plans.map((plan) => {
      if (plan.empty) return emptyTranslation();
      const mine = plan.pieces.map((sentence) => sentence.map(() => next++));
      const flat = mine.flat();
      const src = flat.map((i) => pieces[i] as SourcePiece);
      const flags: TranslationFlags = {
        ...coverageOf(src.reduce((n, p) => n + p.knownWords, 0), src.reduce((n, p) => n + p.words, 0), unseenLetterShare(src.flatMap((p) => p.units), seen)),
        empty: false,
        truncated: plan.truncated || src.some((p) => p.truncated),
      };
      const sentences = mine.map((ids) => ids.map((i) => this.pieceText(decoded[i] as PieceResult)).filter((t) => t.length > 0).join(' '));
      const text = sentences.reduce((acc, t, s) => (s === 0 ? t : acc + (plan.separators[s - 1] ?? ' ') + t), '');
      return { text, ...joinPieces(flat.map((i) => decoded[i] as PieceResult)), ...flags };
    });
  }

  private pieceText(r: PieceResult): string {
    return detokenize(fromUnits(r.units, this.artifacts.tgtBpe));
  }

  /** Decodes pieces sorted by length in batches (a short piece is not padded to a long one's length). */
  private decodePieces(pieces: readonly SourcePiece[], o: ResolvedOptions): PieceResult[] {
    const out: PieceResult[] = pieces.map((p) => ({ units: [], srcUnits: p.units, logProb: 0, score: 0, attention: [] }));
    const order = pieces.map((_, i) => i).filter((i) => (pieces[i] as SourcePiece).ids.length > 0);
    order.sort((a, b) => (pieces[a] as SourcePiece).ids.length - (pieces[b] as SourcePiece).ids.length);
    for (let i = 0; i < order.length; i += o.batchSize) {
      const batch = order.slice(i, i + o.batchSize);
      const results = this.decodeBatch(batch.map((j) => pieces[j] as SourcePiece), o);
      batch.forEach((j, r) => (out[j] = results[r] as PieceResult));
    }
    return out;
  }

  private decodeBatch(pieces: readonly SourcePiece[], o: ResolvedOptions): PieceResult[] {
    const { srcVocab, tgtVocab } = this.artifacts;
    const padded = padSequences(pieces.map((p) => p.ids), { value: srcVocab.padId, padding: 'post' });
    const srcLen = padded.ids[0]?.length ?? 0;
    const src = tf.tensor2d(padded.ids.flat(), [pieces.length, srcLen], 'int32'); // [batch, srcLen]
    const mask = tf.tensor2d(padded.mask.flat(), [pieces.length, srcLen], 'float32'); // [batch, srcLen]
    const stepper = this.model.stepper(src, mask);
    tf.dispose([src, mask]);
    let hyps: Hypothesis[][];
    try {
      hyps = o.decoder(stepper, { bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, maxLength: o.maxLength ?? decodeLength(srcLen) });
    } finally {
      stepper.dispose();
    }
    return pieces.map((p, r) => {
      const h = (hyps[r] as Hypothesis[])[0] as Hypothesis;
      const units = o.replaceUnk ? replaceUnknown(h.tokens, h.attention, p.units, tgtVocab) : h.tokens.map((id) => tgtVocab.token(id));
      return { units, srcUnits: p.units, logProb: h.logProb, score: h.score, attention: h.attention.map((row) => row.slice(0, p.units.length)) };
    });
  }
}


/** {@link TranslateOptions} with defaults, checked. */
interface ResolvedOptions {
  /** The decoding strategy: greedy for beamSize 1, else beam search. */
  decoder: Decoder;
  maxLength: number | undefined;
  replaceUnk: boolean;
  batchSize: number;
}

function integer(name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be an integer >= ${min}. Received: ${describeReceived(v)}`);
  }
  return v;
}

function checkOptions(o: TranslateOptions): ResolvedOptions {
  if (o === null || typeof o !== 'object') throw new RnnkitError('INVALID_ARGUMENT', `Expected options to be an object. Received: ${describeReceived(o)}`);
  const beamSize = integer('beamSize', o.beamSize ?? o.beam, 5);
  const maxLength = o.maxLength === undefined ? undefined : integer('maxLength', o.maxLength, 0);
  const minLength = integer('minLength', o.minLength, 0, 0);
  const batchSize = integer('batchSize', o.batchSize, 32);
  return {
    // checks alpha and lengthPenalty too
    decoder: createDecoder({ strategy: beamSize > 1 ? 'beamSearch' : 'greedy', beamSize, alpha: o.alpha, lengthPenalty: o.lengthPenalty, minLength }),
    maxLength,
    replaceUnk: o.replaceUnk ?? true,
    batchSize,
  };
}

function emptyTranslation(): Translation {
  return { text: '', srcTokens: [], tokens: [], logProb: 0, score: 0, attention: [], coverage: 0, lowCoverage: false, empty: true, truncated: false };
}

/** The pieces of one text as one result: units concatenated, attention block-diagonal over the source units. */
function joinPieces(results: readonly PieceResult[]): Pick<Translation, 'srcTokens' | 'tokens' | 'logProb' | 'score' | 'attention'> {
  const width = results.reduce((n, r) => n + r.srcUnits.length, 0);
  const attention: number[][] = [];
  let offset = 0;
  for (const r of results) {
    for (const row of r.attention) {
      const full = new Array<number>(width).fill(0);
      row.forEach((w, j) => (full[offset + j] = w));
      attention.push(full);
    }
    offset += r.srcUnits.length;
  }
  const scored = results.filter((r) => r.units.length > 0 || r.logProb !== 0);
  return {
    srcTokens: results.flatMap((r) => r.srcUnits),
    tokens: results.flatMap((r) => r.units),
    logProb: results.reduce((n, r) => n + r.logProb, 0),
    score: scored.length === 0 ? 0 : scored.reduce((n, r) => n + r.score, 0) / scored.length,
    attention,
  };
}
