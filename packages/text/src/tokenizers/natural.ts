// natural's word tokenizers with offsets, repaired for non-Latin text, and its sentence splitter: the
// `@rnnkit/text/natural` entry, for apps that install natural (an optional peer dependency, so that
// `npm i @rnnkit/text` pulls in none of natural 8's database drivers).
// natural's tokenizer modules one by one (not its index, whose treebank and Japanese modules need
// Node's `util`): every module here runs in browsers; the treebank splitter is ./treebank.ts.
// The reference makes the module types part of every program that compiles this file (the other
// packages type-check text's sources through the `@rnnkit/source` export condition).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../types/natural-tokenizers.d.ts" />
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer.js';
import AggressiveTokenizerDe from 'natural/lib/natural/tokenizers/aggressive_tokenizer_de.js';
import AggressiveTokenizerEs from 'natural/lib/natural/tokenizers/aggressive_tokenizer_es.js';
import AggressiveTokenizerFa from 'natural/lib/natural/tokenizers/aggressive_tokenizer_fa.js';
import AggressiveTokenizerFr from 'natural/lib/natural/tokenizers/aggressive_tokenizer_fr.js';
import AggressiveTokenizerHi from 'natural/lib/natural/tokenizers/aggressive_tokenizer_hi.js';
import AggressiveTokenizerId from 'natural/lib/natural/tokenizers/aggressive_tokenizer_id.js';
import AggressiveTokenizerIt from 'natural/lib/natural/tokenizers/aggressive_tokenizer_it.js';
import AggressiveTokenizerNl from 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js';
import AggressiveTokenizerNo from 'natural/lib/natural/tokenizers/aggressive_tokenizer_no.js';
import AggressiveTokenizerPl from 'natural/lib/natural/tokenizers/aggressive_tokenizer_pl.js';
import AggressiveTokenizerPt from 'natural/lib/natural/tokenizers/aggressive_tokenizer_pt.js';
import AggressiveTokenizerRu from 'natural/lib/natural/tokenizers/aggressive_tokenizer_ru.js';
import AggressiveTokenizerSv from 'natural/lib/natural/tokenizers/aggressive_tokenizer_sv.js';
import AggressiveTokenizerUk from 'natural/lib/natural/tokenizers/aggressive_tokenizer_uk.js';
import AggressiveTokenizerVi from 'natural/lib/natural/tokenizers/aggressive_tokenizer_vi.js';
import CaseTokenizer from 'natural/lib/natural/tokenizers/tokenizer_case.js';
import regexpTokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import NaturalSentenceTokenizer from 'natural/lib/natural/tokenizers/sentence_tokenizer.js';
import { RnnkitError } from '@rnnkit/core';
import { alignPieces, tokenizeInChunks } from './align';
import { treebankWords } from './treebank';
import { WrappedTokenizer, type StringTokenizer } from './wrapped';
import type { Token, Tokenizer } from './types';

/** The natural tokenizer to wrap. */
export type NaturalTokenizerKind = 'word' | 'treebank' | 'wordPunct' | 'aggressive' | 'case';

/** Languages of natural's aggressive tokenizers (`en` is `AggressiveTokenizer`). */
export type NaturalLanguage = 'en' | 'de' | 'es' | 'fa' | 'fr' | 'hi' | 'id' | 'it' | 'nl' | 'no' | 'pl' | 'pt' | 'ru' | 'sv' | 'uk' | 'vi';

/** Options of {@link NaturalTokenizer}. */
export interface NaturalTokenizerOptions {
  /** Which natural tokenizer: WordTokenizer, TreebankWordTokenizer, WordPunctTokenizer, AggressiveTokenizer*. */
  kind: NaturalTokenizerKind;
  /** Language of the aggressive tokenizer. Default `en`. */
  language?: NaturalLanguage;
  /** Restore letters natural drops and re-join words it splits at non-ASCII letters. Default true. */
  unicodeFix?: boolean;
  /** Split Han characters into one token each. Default true. */
  splitHan?: boolean;
}

const AGGRESSIVE: Record<NaturalLanguage, new () => StringTokenizer> = {
  en: AggressiveTokenizer,
  de: AggressiveTokenizerDe,
  es: AggressiveTokenizerEs,
  fa: AggressiveTokenizerFa,
  fr: AggressiveTokenizerFr,
  hi: AggressiveTokenizerHi,
  id: AggressiveTokenizerId,
  it: AggressiveTokenizerIt,
  nl: AggressiveTokenizerNl,
  no: AggressiveTokenizerNo,
  pl: AggressiveTokenizerPl,
  pt: AggressiveTokenizerPt,
  ru: AggressiveTokenizerRu,
  sv: AggressiveTokenizerSv,
  uk: AggressiveTokenizerUk,
  vi: AggressiveTokenizerVi,
};

function makeNatural(kind: NaturalTokenizerKind, language: NaturalLanguage): StringTokenizer {
  switch (kind) {
    case 'word':
      return new (regexpTokenizers.WordTokenizer as new () => StringTokenizer)();
    case 'treebank':
      return { tokenize: treebankWords };
    case 'wordPunct':
      return new (regexpTokenizers.WordPunctTokenizer as new () => StringTokenizer)();
    case 'case':
      return new CaseTokenizer();
    case 'aggressive': {
      const Ctor = AGGRESSIVE[language];
      if (!Ctor) {
        throw new RnnkitError('INVALID_ARGUMENT', `Expected language to be one of ${Object.keys(AGGRESSIVE).join(', ')}. Received: language=${JSON.stringify(language)}`);
      }
      return new Ctor();
    }
    default:
      throw new RnnkitError('INVALID_ARGUMENT', `Expected kind to be word, treebank, wordPunct, aggressive or case. Received: kind=${JSON.stringify(kind)}`);
  }
}

/**
 * One of natural's word tokenizers with exact offsets. With `unicodeFix` (default) letters natural's
 * ASCII/Latin-1 classes drop are restored and words split at a non-ASCII letter are re-joined, so
 * "São" stays one token and Greek, Arabic, Polish or emoji text is not lost or cut inside a character.
 */
export class NaturalTokenizer extends WrappedTokenizer {
  constructor(options: NaturalTokenizerOptions) {
    const language = options.language ?? 'en';
    super(options.kind === 'aggressive' ? `natural:aggressive:${language}` : `natural:${options.kind}`, makeNatural(options.kind, language), options);
  }
}

/** natural's `WordTokenizer` (letters/digits only, punctuation dropped), Unicode-fixed. */
export function naturalWordTokenizer(): NaturalTokenizer {
  return new NaturalTokenizer({ kind: 'word' });
}

/** natural's `WordPunctTokenizer` (words and each punctuation mark), Unicode-fixed. */
export function wordPunctTokenizer(): NaturalTokenizer {
  return new NaturalTokenizer({ kind: 'wordPunct' });
}

/** natural's per-language `AggressiveTokenizer*`, Unicode-fixed. */
export function aggressiveTokenizer(language: NaturalLanguage = 'en'): NaturalTokenizer {
  return new NaturalTokenizer({ kind: 'aggressive', language });
}

/** Options of {@link SentenceSplitter}. */
export interface SentenceSplitterOptions {
  /** Abbreviations that do not end a sentence (natural's list), with their full stop, e.g. `["Mr.", "Dr.", "e.g."]`. */
  abbreviations?: string[];
}

/** Splits text into sentences (natural's `SentenceTokenizer`), each a token of type `sentence` with offsets. */
export class SentenceSplitter implements Tokenizer {
  readonly name = 'natural:sentence';
  private readonly inner: StringTokenizer;

  constructor(options: SentenceSplitterOptions = {}) {
    this.inner = new (NaturalSentenceTokenizer as unknown as new (abbreviations: string[]) => StringTokenizer)(options.abbreviations ?? []);
  }

  tokenize(text: string): Token[] {
    if (text.trim().length === 0) return [];
    const parts = tokenizeInChunks(
      text,
      { maxChunk: 2048, maxRun: 256, preferCut: /[.!?。！？]\s+/g },
      (chunk) => this.tokenizeChunk(chunk),
      (run) => [{ text: run, start: 0, end: run.length, type: 'sentence' }],
    );
    // A long run (or a chunk cut) inside a sentence is joined to its neighbours when no sentence end lies between.
    const out: Token[] = [];
    for (const t of parts) {
      const last = out[out.length - 1];
      if (last && !/[.!?。！？]["'”’)\]]*$/.test(last.text)) {
        last.end = t.end;
        last.text = text.slice(last.start, last.end);
      } else {
        out.push({ ...t });
      }
    }
    return out;
  }

  private tokenizeChunk(text: string): Token[] {
    if (text.trim().length === 0) return [];
    const raw = this.inner.tokenize(text) ?? [];
    const aligned = alignPieces(text, raw.map((value) => ({ value: value.trim(), tag: 'sentence' })));
    // Whatever natural rewrote or skipped is appended to the previous sentence so no text is lost.
    const out: Token[] = [];
    let prevEnd = 0;
    for (const t of aligned) {
      const gap = text.slice(prevEnd, t.start);
      const last = out[out.length - 1];
      if (gap.trim().length > 0) {
        if (last) last.end = t.start;
        else t.start = prevEnd;
      }
      out.push({ ...t });
      prevEnd = t.end;
    }
    const tail = text.slice(prevEnd);
    if (tail.trim().length > 0) out.push({ text: '', start: prevEnd, end: text.length, type: 'sentence' });
    for (const t of out) {
      while (t.end > t.start && /\s/.test(text[t.end - 1] ?? '')) t.end--;
      while (t.start < t.end && /\s/.test(text[t.start] ?? '')) t.start++;
      t.text = text.slice(t.start, t.end);
    }
    return out.filter((t) => t.text.length > 0);
  }
}

/** Splits `text` into sentence strings with natural's sentence tokenizer. */
export function splitSentences(text: string, options: SentenceSplitterOptions = {}): Token[] {
  return new SentenceSplitter(options).tokenize(text);
}
