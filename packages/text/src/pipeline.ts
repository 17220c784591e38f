// normalize → tokenize → (BPE) → ids, in the tokenizers.js shape: encode(text) -> { ids, tokens, ... }.
import { RnnkitError } from '@rnnkit/core';
import { END_OF_WORD } from './bpe/learn';
import type { Bpe } from './bpe/model';
import { padSequences } from './batching';
import type { PadOptions, PaddedBatch } from './batching';
import type { NormalizeStep } from './normalize';
import type { Tokenizer } from './tokenizers/types';
import type { Vocab } from './vocab';

/** Options of {@link TextPipeline}. */
export interface TextPipelineOptions {
  /** Applied before tokenizing; offsets refer to the normalized text. */
  normalizer?: NormalizeStep;
  tokenizer: Tokenizer;
  /** Split tokens into subwords. */
  bpe?: Bpe;
  /** Maps tokens (or subwords) to ids. */
  vocab: Vocab;
  /** Prepend `<bos>` to `ids`. Default false. */
  addBos?: boolean;
  /** Append `<eos>` to `ids`. Default false. */
  addEos?: boolean;
}

/** The result of {@link TextPipeline.encode}. */
export interface Encoding {
  ids: number[];
  /** Token strings, one per id (`<bos>`/`<eos>` included when added). */
  tokens: string[];
  /** `[start, end]` offsets into the normalized text, one per id (`[0, 0]` for `<bos>`/`<eos>`). */
  offsets: Array<[number, number]>;
  /** All ones, one per id (for symmetry with padded batches). */
  attentionMask: number[];
  /** The normalized text the offsets refer to. */
  normalized: string;
}

/** A complete text front end: normalizer, tokenizer, optional BPE and vocabulary. */
export class TextPipeline {
  readonly tokenizer: Tokenizer;
  readonly vocab: Vocab;
  readonly bpe: Bpe | undefined;
  private readonly normalizer: NormalizeStep;
  private readonly addBos: boolean;
  private readonly addEos: boolean;

  constructor(options: TextPipelineOptions) {
    if (!options?.tokenizer || !options.vocab) throw new RnnkitError('INVALID_ARGUMENT', 'Expected options with a tokenizer and a vocab. Received: ' + (options ? Object.keys(options).join(', ') : String(options)));
    this.tokenizer = options.tokenizer;
    this.vocab = options.vocab;
    this.bpe = options.bpe;
    this.normalizer = options.normalizer ?? ((s) => s);
    this.addBos = options.addBos ?? false;
    this.addEos = options.addEos ?? false;
  }

  /** Token (or subword) strings of `text`, after normalization. */
  tokenize(text: string): string[] {
    return this.encode(text).tokens.filter((_, i, a) => !((this.addBos && i === 0) || (this.addEos && i === a.length - 1)));
  }

  /** Encodes one text. Unknown tokens become `<unk>` and are counted by the vocabulary. */
  encode(text: string): Encoding {
    const normalized = this.normalizer(text);
    const pieces: string[] = [];
    const offsets: Array<[number, number]> = [];
    for (const t of this.tokenizer.tokenize(normalized)) {
      if (!this.bpe) {
        pieces.push(t.text);
        offsets.push([t.start, t.end]);
        continue;
      }
      let at = t.start;
      for (const sub of this.bpe.encodeWord(t.text)) {
        const len = sub.endsWith(END_OF_WORD) ? sub.length - END_OF_WORD.length : sub.length;
        pieces.push(sub);
        offsets.push([at, at + len]);
        at += len;
      }
    }
    const ids = this.vocab.encode(pieces, { addBos: this.addBos, addEos: this.addEos });
    const tokens = [...pieces];
    if (this.addBos) {
      tokens.unshift(this.vocab.specials.bos);
      offsets.unshift([0, 0]);
    }
    if (this.addEos) {
      tokens.push(this.vocab.specials.eos);
      offsets.push([normalized.length, normalized.length]);
    }
    return { ids, tokens, offsets, attentionMask: ids.map(() => 1), normalized };
  }

  /** Encodes texts and pads them into one batch (see {@link padSequences}; default post-padding here). */
  encodeBatch(texts: readonly string[], options: PadOptions = {}): PaddedBatch {
    return padSequences(
      texts.map((t) => this.encode(t).ids),
      { padding: 'post', truncating: 'post', ...options },
    );
  }

  /** Turns ids back into text: BPE subwords are joined, plain tokens joined with spaces; specials dropped. */
  decode(ids: Iterable<number>): string {
    const tokens = this.vocab.decode(ids, { skipSpecials: true });
    return this.bpe ? this.bpe.decode(tokens) : tokens.join(' ');
  }
}
