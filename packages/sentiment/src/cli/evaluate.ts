// rnnkit-sentiment eval: metrics of a model on a labelled file.
import type { DataOptions } from '../data';
import type { Evaluation } from '../metrics';
import { checkInputFile, choice, EXIT, onlyOptions, required, write, type OptionValues } from '@rnnkit/core/cli';
import { COMMON, DATA, type ParsedArgs } from './args';
import { loadModel } from './env';

/** The data options shared by eval and train. */
export function dataOptions(values: OptionValues): DataOptions {
  const col = (v: unknown) => (typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : v) : undefined);
  return {
    format: choice(values, 'data-format', ['auto', 'tsv', 'csv', 'jsonl', 'sst'] as const, 'auto'),
    textColumn: col(values['text-column']),
    labelColumn: col(values['label-column']),
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** A human-readable metrics report. */
export function formatEvaluation(ev: Evaluation): string {
  const w = Math.max(5, ...ev.labels.map((l) => l.length));
  const rows = ev.labels.map((l) => {
    const m = ev.perClass[l] as { precision: number; recall: number; f1: number; support: number };
    return `${l.padEnd(w)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall).padStart(7)}  ${pct(m.f1).padStart(7)}  ${String(m.support).padStart(7)}`;
  });
  const confusion = ev.labels.map((l, i) => `${l.padEnd(w)}  ${(ev.confusion[i] as number[]).map((n) => String(n).padStart(Math.max(6, w))).join(' ')}`);
  return [
    `examples  ${ev.count}`,
    `accuracy  ${pct(ev.accuracy)}`,
    `macro-F1  ${pct(ev.macroF1)}`,
    '',
    `${'class'.padEnd(w)}  precision   recall       F1  support`,
    ...rows,
    '',
    `confusion (rows: gold, columns: predicted)`,
    `${''.padEnd(w)}  ${ev.labels.map((l) => l.padStart(Math.max(6, w))).join(' ')}`,
    ...confusion,
    '',
  ].join('\n');
}

export async function runEval(args: ParsedArgs): Promise<number> {
  const { values } = args;
  onlyOptions(values, 'eval', [...COMMON, ...DATA, 'data', 'format']);
  const data = required(values, 'data', 'eval');
  const format = choice(values, 'format', ['text', 'json'] as const, 'text');
  const opts = dataOptions(values);
  await checkInputFile(data);
  const { loadExamples } = await import('../data');
  const examples = await loadExamples(data, opts);
  const clf = await loadModel(values);
  const ev = clf.evaluate(examples);
  clf.dispose();
  await write(format === 'json' ? `${JSON.stringify(ev, null, 2)}\n` : formatEvaluation(ev));
  return EXIT.OK;
}
