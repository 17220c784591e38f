// rnnkit-sentiment predict: texts from arguments, --input FILE or stdin, streamed in batches.
import { utf8Lines, readUtf8Lines } from '../data';
import type { SentimentClassifier } from '../classifier';
import { choice, EXIT, num, UsageError, type ParsedArgs } from './args';
import { defaultModelDir, setupBackend } from './env';
import { formatResult, tsvHeader, write, type PredictFormat } from './output';

async function* fromArgs(texts: string[]): AsyncGenerator<string, void, undefined> {
  yield* texts;
}

/** Loads the model named by --model (or the shipped one). */
export async function loadModel(values: ParsedArgs['values']): Promise<SentimentClassifier> {
  const { SentimentClassifier } = await import('../classifier');
  return SentimentClassifier.load(typeof values.model === 'string' ? values.model : defaultModelDir());
}

export async function runPredict(args: ParsedArgs): Promise<number> {
  const { values, positionals } = args;
  const format = choice<PredictFormat>(values, 'format', ['text', 'json', 'jsonl', 'tsv'], 'text');
  const batchSize = num(values, 'batch-size', 256, { int: true, min: 1, max: 100000 });
  const explain = values.explain === true;
  const input = typeof values.input === 'string' ? values.input : undefined;
  if (positionals.length > 0 && input !== undefined) throw new UsageError('Give texts as arguments or --input FILE, not both');
  if (positionals.length === 0 && input === undefined && process.stdin.isTTY) throw new UsageError('predict needs TEXT arguments, --input FILE or lines on stdin');

  // Check the input before loading the model, so a missing file fails fast.
  if (input !== undefined && input !== '-') {
    const { stat } = await import('node:fs/promises');
    await stat(input).catch((cause: unknown) => {
      throw Object.assign(new Error(`Expected a readable file. Received: ${input} (${(cause as { code?: string }).code === 'ENOENT' ? 'no such file' : (cause as Error).message})`), { code: 'IO_ERROR' });
    });
  }
  await setupBackend(values);
  const clf = await loadModel(values);
  const lines = positionals.length > 0 ? fromArgs(positionals)
    : input !== undefined && input !== '-' ? readUtf8Lines(input)
    : utf8Lines(process.stdin as AsyncIterable<Buffer>, '<stdin>');

  let index = 0;
  let empty = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const results = explain ? batch.map((t) => clf.explain(t)) : clf.predictBatch(batch);
    let out = '';
    results.forEach((r, i) => (out += formatResult(format, batch[i] as string, r, index++, clf.labels)));
    batch = [];
    await write(out);
  };
  if (format === 'json') await write('[\n');
  if (format === 'tsv') await write(tsvHeader(clf.labels, explain));
  for await (const line of lines) {
    if (line.trim() === '') {
      empty++;
      continue;
    }
    batch.push(line);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (format === 'json') await write(index === 0 ? ']\n' : '\n]\n');
  clf.dispose();
  if (empty > 0) process.stderr.write(`rnnkit-sentiment: skipped ${empty} empty line${empty === 1 ? '' : 's'}\n`);
  if (index === 0) {
    process.stderr.write('rnnkit-sentiment: no text to classify\n');
    return EXIT.INPUT;
  }
  return EXIT.OK;
}
