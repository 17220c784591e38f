// rnnkit-sentiment predict: texts from arguments, --input FILE or stdin, streamed in batches that
// close as soon as the input pauses (interactive use), one output line (or result) per input line.
import {
  checkInputFile, choice, EXIT, inputLines, LineWarnings, num, numberedLines, onlyOptions, str, streamBatches, threadsForBatch, UsageError, write,
} from '@rnnkit/core/cli';
import { MAX_TEXT_LENGTH } from '../textInput';
import { COMMON, type ParsedArgs } from './args';
import { loadModel } from './env';
import { formatResult, tsvHeader, type PredictFormat } from './output';

const NAME = 'rnnkit-sentiment';

export async function runPredict(args: ParsedArgs): Promise<number> {
  const { values, positionals } = args;
  onlyOptions(values, 'predict', [...COMMON, 'input', 'format', 'explain', 'batch-size', 'skip-empty']);
  const format = choice<PredictFormat>(values, 'format', ['text', 'json', 'jsonl', 'tsv'], 'text');
  const batchSize = num(values, 'batch-size', 256, { int: true, min: 1, max: 100000 });
  const explain = values.explain === true;
  const skipEmpty = values['skip-empty'] === true;
  const input = str(values, 'input');
  if (positionals.length > 0 && input !== undefined) throw new UsageError('Give texts as arguments or --input FILE, not both');
  if (positionals.length === 0 && input === undefined && process.stdin.isTTY) throw new UsageError('predict needs TEXT arguments, --input FILE or lines on stdin');

  // Check the input before loading the model, so a missing file fails fast.
  if (input !== undefined && input !== '-') await checkInputFile(input);
  const clf = await loadModel(values, { batched: true });
  const warnings = new LineWarnings(NAME, MAX_TEXT_LENGTH);
  // Cut at the classifier's own limit (bounded work before it), reading at most 4 bytes per character.
  const cap = { skipEmpty, maxLength: MAX_TEXT_LENGTH, onCut: (where: string) => warnings.truncated(where) };
  const lines = positionals.length > 0 ? numberedLines(positionals, { ...cap, label: 'argument' })
    : numberedLines(await inputLines(input ?? '-', { maxLineBytes: 4 * MAX_TEXT_LENGTH + 4 }), { ...cap, label: 'line' });

  let index = 0;
  try {
    if (format === 'json') await write('[\n');
    if (format === 'tsv') await write(tsvHeader(clf.labels, explain));
    for await (const batch of streamBatches(lines, batchSize)) {
      const texts = batch.filter((l) => l.text.trim() !== '').map((l) => l.text);
      await threadsForBatch(texts.length);
      const results = explain ? texts.map((t) => clf.explain(t)) : texts.length > 0 ? clf.predictBatch(texts) : [];
      let k = 0;
      let out = '';
      for (const l of batch) {
        const r = l.text.trim() === '' ? null : (results[k++] ?? null);
        if (r) warnings.check(l.where, r, l.cut);
        out += formatResult(format, l.text, r, index++, clf.labels);
      }
      await write(out);
    }
    if (format === 'json') await write(index === 0 ? ']\n' : '\n]\n');
  } finally {
    clf.dispose();
  }
  warnings.finish();
  if (index === 0) {
    process.stderr.write(`${NAME}: no text to classify\n`);
    return EXIT.INPUT;
  }
  return EXIT.OK;
}
