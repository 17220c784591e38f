// Turns the strings a third-party tokenizer returns into offset tokens, and repairs its non-Latin failures.
import { UNICODE_WORD, UNICODE_WORD_HAN_RUNS, isSpace, classifyToken, codePointAt, codePointBefore, hasHan, isHanCodePoint, isInsideCluster, isWordCodePoint } from './unicode';
import type { Token } from './types';

/** A token as a third-party library returns it: its text and, when it has one, its tag. */
export interface RawPiece {
  value: string;
  tag?: string;
}

const SEARCH_WINDOW = 4096;
const FULL_SEARCH_MISSES = 16;

/**
 * Finds each piece in `text`, left to right, and returns offset tokens. Pieces that the library rewrote
 * (and so are not a substring at the cursor) are dropped; the repair step then restores dropped letters.
 * Linear in the text length: after a few misses, searches are limited to a window after the cursor.
 */
export function alignPieces(text: string, pieces: readonly RawPiece[]): Token[] {
  const out: Token[] = [];
  let cursor = 0;
  let misses = 0;
  for (const piece of pieces) {
    const value = piece.value;
    if (!value) continue;
    let at: number;
    let probe = cursor;
    while (probe < text.length && isSpace(text.charCodeAt(probe))) probe++;
    if (text.startsWith(value, probe)) {
      at = probe; // the usual case: the next token starts after the whitespace
    } else if (misses < FULL_SEARCH_MISSES) {
      at = text.indexOf(value, cursor);
    } else {
      const rel = text.slice(cursor, cursor + SEARCH_WINDOW + value.length).indexOf(value);
      at = rel < 0 ? -1 : cursor + rel;
    }
    if (at < 0) {
      misses++;
      continue;
    }
    const token: Token = { text: value, start: at, end: at + value.length };
    if (piece.tag !== undefined) token.type = piece.tag;
    out.push(token);
    cursor = at + value.length;
  }
  return out;
}

/** Options of {@link repairTokens}. */
export interface RepairOptions {
  /** Add back letters/digits that the library dropped (a word tokenizer never drops letters on purpose). */
  fillDroppedLetters: boolean;
  /** Split Han characters into one token each (as BERT does), since Chinese has no spaces. */
  splitHan: boolean;
  /** Tags that mean "the library did not understand this" and are replaced by a computed type. */
  unknownTags?: readonly string[];
}

function fillGaps(text: string, tokens: Token[]): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  const addLetters = (from: number, to: number) => {
    if (to <= from) return;
    let plain = true; // only ASCII non-alphanumerics: nothing to restore
    for (let i = from; i < to && plain; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) plain = false;
    }
    if (plain) return;
    const gap = text.slice(from, to);
    for (const m of gap.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
      const start = from + (m.index ?? 0);
      out.push({ text: m[0], start, end: start + m[0].length, type: 'word' });
    }
  };
  for (const t of tokens) {
    if (t.start < prevEnd) continue; // overlapping piece from a confused library: drop it
    addLetters(prevEnd, t.start);
    out.push(t);
    prevEnd = t.end;
  }
  addLetters(prevEnd, text.length);
  return out;
}

function shouldJoin(text: string, boundary: number): boolean {
  if (isInsideCluster(text, boundary)) return true;
  const prev = codePointBefore(text, boundary);
  const next = codePointAt(text, boundary);
  if (!isWordCodePoint(prev) || !isWordCodePoint(next)) return false;
  // Libraries with ASCII-only letter classes split words at their first non-ASCII letter.
  return prev >= 0x80 || next >= 0x80;
}

function splitHanToken(t: Token): Token[] {
  const out: Token[] = [];
  let runStart = t.start;
  let i = 0;
  const push = (from: number, to: number) => {
    if (to > from) {
      const s = t.text.slice(from - t.start, to - t.start);
      out.push({ text: s, start: from, end: to, type: classifyToken(s) });
    }
  };
  while (i < t.text.length) {
    const cp = t.text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    if (isHanCodePoint(cp)) {
      push(runStart, t.start + i);
      let j = i + width;
      while (j < t.text.length && isInsideCluster(t.text, j)) j++;
      push(t.start + i, t.start + j);
      runStart = t.start + j;
      i = j;
    } else {
      i += width;
    }
  }
  push(runStart, t.end);
  return out;
}

/**
 * Repairs what Latin-only libraries get wrong: restores dropped letters, re-joins words split at a
 * non-ASCII letter (natural's "São" → "S", "o") and clusters split inside (surrogate pairs, combining
 * marks, ZWJ emoji), retypes tokens tagged as unknown (wink's `alien`), and optionally splits Han.
 */
export function repairTokens(text: string, tokens: Token[], options: RepairOptions): Token[] {
  const filled = options.fillDroppedLetters ? fillGaps(text, tokens) : tokens;
  const unknown = new Set(options.unknownTags ?? []);
  const merged: Token[] = [];
  for (const t of filled) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.end === t.start && shouldJoin(text, t.start)) {
      const sameType = last.type === t.type && !unknown.has(t.type ?? '');
      last.end = t.end;
      last.text = text.slice(last.start, last.end);
      if (!sameType) last.type = classifyToken(last.text);
    } else if (last !== undefined && t.start < last.end) {
      continue;
    } else {
      merged.push(t); // tokens are owned by the caller (fresh from alignPieces)
    }
  }
  const out: Token[] = [];
  for (const t of merged) {
    if (t.type !== undefined && unknown.has(t.type)) {
      // The library did not understand this stretch (wink's `alien`): re-split it on Unicode classes.
      for (const m of t.text.matchAll(options.splitHan ? UNICODE_WORD : UNICODE_WORD_HAN_RUNS)) {
        const start = t.start + (m.index ?? 0);
        out.push({ text: m[0], start, end: start + m[0].length, type: classifyToken(m[0]) });
      }
      continue;
    }
    if (t.type === undefined) t.type = classifyToken(t.text);
    if (options.splitHan && t.type === 'word' && t.text.length > 1 && hasHan(t.text)) out.push(...splitHanToken(t));
    else out.push(t);
  }
  return out;
}

/** Options of {@link tokenizeInChunks}. */
export interface ChunkOptions {
  /** Largest piece of text handed to the library at once. */
  maxChunk: number;
  /** Runs of non-space characters longer than this never reach the library (its regexes may be super-linear on them). */
  maxRun: number;
  /** Prefer to cut after a match of this pattern (e.g. sentence ends); default: any whitespace. */
  preferCut?: RegExp;
}

function cutPoint(text: string, from: number, to: number, preferCut: RegExp | undefined): number {
  if (preferCut) {
    const window = text.slice(from, to);
    let best = -1;
    for (const m of window.matchAll(preferCut)) best = (m.index ?? 0) + m[0].length;
    if (best > 0) return from + best;
  }
  for (let j = to - 1; j > from; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) return j + 1;
  }
  return to;
}

/**
 * Runs a third-party tokenizer on bounded pieces of the text, cut at whitespace, so its cost stays linear
 * in the text length whatever its regexes do; runs of more than `maxRun` non-space characters go to
 * `fallback` (a linear Unicode tokenizer) instead. Token offsets are shifted back to the whole text.
 */
export function tokenizeInChunks(text: string, options: ChunkOptions, tokenize: (chunk: string) => Token[], fallback: (run: string) => Token[]): Token[] {
  const runs = longRuns(text, options.maxRun);
  if (text.length <= options.maxChunk && runs.length === 0) return tokenize(text);
  const out: Token[] = [];
  const shift = (tokens: Token[], by: number) => {
    for (const t of tokens) {
      t.start += by;
      t.end += by;
      out.push(t);
    }
  };
  let pos = 0;
  const normal = (from: number, to: number) => {
    let i = from;
    while (i < to) {
      const end = Math.min(to, i + options.maxChunk);
      const cut = end === to ? to : cutPoint(text, i, end, options.preferCut);
      shift(tokenize(text.slice(i, cut)), i);
      i = cut;
    }
  };
  for (let r = 0; r < runs.length; r += 2) {
    const at = runs[r] as number;
    const end = runs[r + 1] as number;
    normal(pos, at);
    shift(fallback(text.slice(at, end)), at);
    pos = end;
  }
  normal(pos, text.length);
  return out;
}


/** [start, end, start, end, ...] of runs of more than `maxRun` non-space characters (one linear scan). */
function longRuns(text: string, maxRun: number): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text.charCodeAt(i));
    if (space) {
      if (start >= 0 && i - start > maxRun) out.push(start, i);
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return out;
}
