// Corpus BLEU two ways: sacreBLEU's default (13a tokenization, `exp` smoothing, closest reference
// length, multiple references) and the "anchor's way" of the PyTorch tutorial (torchtext `bleu_score`:
// already tokenized, lowercased, whitespace split, no smoothing, 0 when any n-gram order has no match).
import { RnnkitError } from '@rnnkit/core';

/** Smoothing methods of sacreBLEU (Chen & Cherry 2014): `exp` is its default (mteval-v13a's NIST smoothing). */
export type SmoothMethod = 'exp' | 'none' | 'floor' | 'add-k';

/** Tokenizers: `13a` (sacreBLEU's default, mteval-v13a) or `none` (split on whitespace only). */
export type BleuTokenize = '13a' | 'none';

/** Options of {@link corpusBleu}; the defaults are sacreBLEU's. */
export interface BleuOptions {
  tokenize?: BleuTokenize;
  lowercase?: boolean;
  smoothMethod?: SmoothMethod;
  /** For `floor` (default 0.1) and `add-k` (default 1). */
  smoothValue?: number;
  maxNgramOrder?: number;
  /** Stop at the highest n-gram order the hypothesis has (sentence-level BLEU). Default false. */
  effectiveOrder?: boolean;
}

/** A BLEU score with its sufficient statistics, as sacreBLEU reports them. Scores are 0..100. */
export interface BleuScore {
  score: number;
  /** Matched n-grams per order. */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** n-gram precisions (0..100), smoothed. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sysLen: number;
  refLen: number;
}

// Python's str.split() whitespace (str.isspace), which sacreBLEU uses after the regexps.
// eslint-disable-next-line no-control-regex -- Python's isspace() includes U+001C..U+001F
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

function splitPy(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

/** mteval-v13a tokenization as sacreBLEU's `Tokenizer13a` does it; returns the tokens. */
export function tokenize13a(line: string): string[] {
  let s = line.replace(/<skipped>/g, '').replace(/-\n/g, '').replace(/\n/g, ' ');
  s = s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 '); // punctuation and symbols
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 '); // period and comma unless preceded by a digit
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2'); // period and comma unless followed by a digit
  s = s.replace(/([0-9])(-)/g, '$1 $2 '); // dash after a digit
  return splitPy(s);
}

/** Counts of all n-grams of orders 1..maxN, keyed by the tokens joined with U+0001. */
function ngramCounts(tokens: readonly string[], maxN: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxN; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = tokens.slice(i, i + n).join('\u0001');
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/** Sufficient statistics of one segment against its references (already tokenized). */
interface SegmentStats {
  hypLen: number;
  refLen: number;
  correct: number[];
  total: number[];
}

function closestRefLen(hypLen: number, refLens: readonly number[], tiesToShorter: boolean): number {
  let best = -1;
  let bestDiff = -1;
  for (const r of refLens) {
    const diff = Math.abs(hypLen - r);
    if (bestDiff === -1 || diff < bestDiff || (tiesToShorter && diff === bestDiff && r < best)) {
      bestDiff = diff;
      best = r;
    }
  }
  return best;
}

function segmentStats(hyp: readonly string[], refs: ReadonlyArray<readonly string[]>, maxN: number, tiesToShorter: boolean): SegmentStats {
  const refMax: Map<string, number>[] = Array.from({ length: maxN }, () => new Map());
  for (const ref of refs) {
    ngramCounts(ref, maxN).forEach((m, n) => {
      const target = refMax[n] as Map<string, number>;
      for (const [k, c] of m) target.set(k, Math.max(target.get(k) ?? 0, c));
    });
  }
  const correct = new Array<number>(maxN).fill(0);
  const total = new Array<number>(maxN).fill(0);
  ngramCounts(hyp, maxN).forEach((m, n) => {
    const ref = refMax[n] as Map<string, number>;
    for (const [k, c] of m) {
      total[n] = (total[n] as number) + c;
      const r = ref.get(k);
      if (r !== undefined) correct[n] = (correct[n] as number) + Math.min(c, r);
    }
  });
  return { hypLen: hyp.length, refLen: closestRefLen(hyp.length, refs.map((r) => r.length), tiesToShorter), correct, total };
}

const myLog = (x: number): number => (x === 0 ? -9999999999 : Math.log(x));

/**
 * BLEU from its sufficient statistics, as sacreBLEU's `BLEU.compute_bleu` (scores 0..100).
 * Exported for tests against sacreBLEU's scoring cases.
 */
export function computeBleu(correctIn: readonly number[], totalIn: readonly number[], sysLen: number, refLen: number,
  options: Pick<BleuOptions, 'smoothMethod' | 'smoothValue' | 'effectiveOrder' | 'maxNgramOrder'> = {}): BleuScore {
  const method = options.smoothMethod ?? 'exp';
  const maxN = options.maxNgramOrder ?? 4;
  const smoothValue = options.smoothValue ?? (method === 'floor' ? 0.1 : 1);
  const correct = [...correctIn];
  const total = [...totalIn];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxN).fill(0);
  const result = (score: number): BleuScore => ({ score, counts: correct, totals: total, precisions, bp, sysLen, refLen });
  if (!correct.some((c) => c !== 0)) return result(0);
  let smoothMteval = 1;
  let effOrder = maxN;
  for (let n = 1; n <= maxN; n++) {
    if (method === 'add-k' && n > 1) {
      correct[n - 1] = (correct[n - 1] as number) + smoothValue;
      total[n - 1] = (total[n - 1] as number) + smoothValue;
    }
    const t = total[n - 1] as number;
    if (t === 0) break;
    if (options.effectiveOrder) effOrder = n;
    const c = correct[n - 1] as number;
    if (c === 0) {
      if (method === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (method === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += myLog(precisions[i] as number);
  return result(bp * Math.exp(logSum / effOrder));
}

function checkStreams(hyps: readonly unknown[], refStreams: ReadonlyArray<readonly unknown[]>): void {
  if (refStreams.length === 0) throw new RnnkitError('INVALID_ARGUMENT', 'Expected at least one reference stream. Received: none');
  refStreams.forEach((s, i) => {
    if (s.length !== hyps.length) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected every reference stream to have ${hyps.length} lines (one per hypothesis). Received: stream ${i} has ${s.length}`);
    }
  });
}

/**
 * Corpus BLEU with sacreBLEU's defaults (`sacrebleu.corpus_bleu(hyps, refStreams)`): 13a tokenization,
 * case-sensitive, `exp` smoothing, 4-grams, brevity penalty against the closest reference length (ties
 * to the shorter). `refStreams[k][i]` is the k-th reference of hypothesis i; an empty or missing
 * reference in a stream is skipped, as sacreBLEU does for uneven reference counts.
 */
export function corpusBleu(hyps: readonly string[], refStreams: ReadonlyArray<ReadonlyArray<string | null | undefined>>, options: BleuOptions = {}): BleuScore {
  checkStreams(hyps, refStreams);
  const maxN = options.maxNgramOrder ?? 4;
  const tok = (s: string): string[] => {
    const t = options.lowercase ? s.toLowerCase() : s;
    return (options.tokenize ?? '13a') === '13a' ? tokenize13a(t.trimEnd()) : splitPy(t.trimEnd());
  };
  const correct = new Array<number>(maxN).fill(0);
  const total = new Array<number>(maxN).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hyps.forEach((hyp, i) => {
    const refs = refStreams.map((s) => s[i]).filter((r): r is string => typeof r === 'string' && r.length > 0).map(tok);
    const st = segmentStats(tok(hyp), refs, maxN, true);
    sysLen += st.hypLen;
    refLen += st.refLen;
    st.correct.forEach((c, n) => (correct[n] = (correct[n] as number) + c));
    st.total.forEach((c, n) => (total[n] = (total[n] as number) + c));
  });
  return computeBleu(correct, total, sysLen, refLen, options);
}

/** Sentence BLEU as sacreBLEU's `sentence_bleu` (effective order on, `exp` smoothing). */
export function sentenceBleu(hyp: string, refs: readonly string[], options: BleuOptions = {}): BleuScore {
  return corpusBleu([hyp], refs.map((r) => [r]), { effectiveOrder: true, ...options });
}

/** Options of {@link tokenizedBleu}. */
export interface TokenizedBleuOptions {
  maxN?: number;
  /** Lowercase tokens first. Default true (the anchor's data is lowercased). */
  lowercase?: boolean;
}

/**
 * The anchor's BLEU (torchtext `bleu_score`, used by the PyTorch seq2seq tutorial): candidates and
 * references already tokenized (strings are split on whitespace), uniform weights, no smoothing (0 when
 * some n-gram order has no match), brevity penalty `exp(min(0, 1 - r/c))` with the closest reference
 * length (ties to the first). Returned on the 0..100 scale (torchtext returns 0..1).
 */
export function tokenizedBleu(candidates: ReadonlyArray<string | readonly string[]>, references: ReadonlyArray<ReadonlyArray<string | readonly string[]>>,
  options: TokenizedBleuOptions = {}): number {
  if (candidates.length !== references.length) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected as many reference lists as candidates (${candidates.length}). Received: ${references.length}`);
  }
  const maxN = options.maxN ?? 4;
  const lower = options.lowercase ?? true;
  const toks = (x: string | readonly string[]): string[] => {
    const t = typeof x === 'string' ? x.split(/\s+/).filter((w) => w.length > 0) : [...x];
    return lower ? t.map((w) => w.toLowerCase()) : t;
  };
  const clipped = new Array<number>(maxN).fill(0);
  const total = new Array<number>(maxN).fill(0);
  let c = 0;
  let r = 0;
  candidates.forEach((cand, i) => {
    const st = segmentStats(toks(cand), (references[i] ?? []).map(toks), maxN, false);
    c += st.hypLen;
    r += st.refLen;
    st.correct.forEach((v, n) => (clipped[n] = (clipped[n] as number) + v));
    st.total.forEach((v, n) => (total[n] = (total[n] as number) + v));
  });
  if (Math.min(...clipped) === 0) return 0;
  let logSum = 0;
  for (let n = 0; n < maxN; n++) logSum += Math.log((clipped[n] as number) / (total[n] as number)) / maxN;
  const bp = Math.exp(Math.min(1 - r / c, 0));
  return 100 * bp * Math.exp(logSum);
}
