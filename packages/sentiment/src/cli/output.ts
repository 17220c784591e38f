// The predict formats. Text and TSV escape control characters (input text never drives the terminal);
// an empty input line gets an empty result so output lines match input lines.
import { escapeControl } from '@rnnkit/core/cli';
import type { Explanation } from '../explain';
import type { Prediction } from '../classifier';

export type PredictFormat = 'text' | 'json' | 'jsonl' | 'tsv';

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function roundScores(scores: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(scores)) out[k] = round(v);
  return out;
}

/** One result as the JSON object of the json / jsonl formats (null: an empty line). */
export function resultObject(text: string, p: Prediction | Explanation | null): Record<string, unknown> {
  if (p === null) return { text, label: null, confidence: null, scores: null, empty: true };
  const o: Record<string, unknown> = { text, label: p.label, confidence: round(p.confidence), scores: roundScores(p.scores) };
  if ('tokens' in p) o.tokens = p.tokens.map((t) => ({ token: t.token, contribution: round(t.contribution), logOdds: round(t.logOdds) }));
  return o;
}

/** Formats one result (null: an empty input line); `index` is its position in the output (for json's separators). */
export function formatResult(format: PredictFormat, text: string, p: Prediction | Explanation | null, index: number, labels: readonly string[]): string {
  switch (format) {
    case 'jsonl':
      return `${JSON.stringify(resultObject(text, p))}\n`;
    case 'json':
      return `${index === 0 ? '' : ',\n'}  ${JSON.stringify(resultObject(text, p))}`;
    case 'tsv': {
      if (p === null) return `${'\t'.repeat(labels.length + 2)}${escapeControl(text)}\n`;
      const cells = [p.label, p.confidence.toFixed(4), ...labels.map((l) => (p.scores[l] ?? 0).toFixed(4))];
      if ('tokens' in p) cells.push(p.tokens.map((t) => `${escapeControl(t.token)}:${t.contribution.toFixed(3)}`).join(' '));
      return `${cells.join('\t')}\t${escapeControl(text)}\n`;
    }
    default: {
      if (p === null) return '\n';
      let s = `${p.label.padEnd(Math.max(...labels.map((l) => l.length)))}  ${p.confidence.toFixed(3)}  ${escapeControl(text)}\n`;
      if ('tokens' in p) s += `  ${p.tokens.map((t) => `${escapeControl(t.token)}(${t.logOdds >= 0 ? '+' : ''}${t.logOdds.toFixed(2)})`).join(' ')}   (log-odds change when the token is removed)\n`;
      return s;
    }
  }
}

/** The tsv header line. */
export function tsvHeader(labels: readonly string[], explain: boolean): string {
  return `${['label', 'confidence', ...labels.map((l) => `p_${l}`), ...(explain ? ['contributions'] : []), 'text'].join('\t')}\n`;
}
