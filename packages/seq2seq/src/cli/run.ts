// rnnkit-translate's commands: translate (default), eval, train. `main` returns the exit code; errors
// become exit codes in core's runCli.
import type { Translation, Translator } from '../translator';
import {
  capText, checkInputFile, checkModelFolder, choice, CLI_MAX_TEXT_LENGTH, EXIT, escapeControl, inputLines, LineWarnings, num, numberedLines, onlyOptions,
  required, setupCliBackend, str, streamBatches, threadsForBatch, UsageError, write, type CliWorkload, type OptionValues,
} from '@rnnkit/core/cli';
import { LENGTH_PENALTIES, type LengthPenaltyName } from '../decode/penalties';
import { COMMON, HELP, parse } from './args';

const NAME = 'rnnkit-translate';

export interface CliContext {
  /** The shipped model's folder and the package version. */
  defaultModel: string;
  version: string;
}

async function loadModel(values: OptionValues, ctx: CliContext, workload: CliWorkload = {}): Promise<Translator> {
  const dir = str(values, 'model') ?? ctx.defaultModel;
  await checkModelFolder(dir, 'model.json');
  await setupCliBackend(str(values, 'backend'), workload);
  const { Translator } = await import('../translator');
  return Translator.load(dir);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function formatLine(t: Translation | null, src: string, fmt: 'text' | 'jsonl'): string {
  if (fmt === 'text') return `${escapeControl(t?.text ?? '')}\n`;
  if (t === null) return `${JSON.stringify({ src, translation: '', score: 0, logProb: 0, srcTokens: [], tokens: [], attention: [], empty: true })}\n`;
  return `${JSON.stringify({ src, translation: t.text, score: round(t.score), logProb: round(t.logProb), srcTokens: t.srcTokens, tokens: t.tokens, attention: t.attention.map((r) => r.map(round)) })}\n`;
}

/** --length-penalty: one of the decoders' length penalties (default gnmt). */
const lengthPenaltyOption = (values: OptionValues): LengthPenaltyName => choice(values, 'length-penalty', LENGTH_PENALTIES, 'gnmt');

async function translateCmd(values: OptionValues, positionals: string[], ctx: CliContext): Promise<number> {
  onlyOptions(values, 'translate', [...COMMON, 'beam', 'alpha', 'length-penalty', 'format', 'batch-size', 'input', 'skip-empty', 'no-replace-unk']);
  const fmt = choice(values, 'format', ['text', 'jsonl'] as const, 'text');
  const opts = { beam: num(values, 'beam', 5, { int: true, min: 1, max: 64 }), alpha: num(values, 'alpha', 0.6, { min: 0, max: 10 }), lengthPenalty: lengthPenaltyOption(values), replaceUnk: values['no-replace-unk'] !== true };
  const batchSize = num(values, 'batch-size', 32, { int: true, min: 1, max: 4096 });
  const input = str(values, 'input');
  const skipEmpty = values['skip-empty'] === true;
  if (positionals.length > 0 && input !== undefined) throw new UsageError('Give texts as arguments or --input FILE, not both');
  if (positionals.length === 0 && input === undefined && process.stdin.isTTY) throw new UsageError('translate needs TEXT arguments, --input FILE or lines on stdin');
  if (input !== undefined && input !== '-') await checkInputFile(input);
  const translator = await loadModel(values, ctx, { batched: true });
  const warnings = new LineWarnings(NAME, CLI_MAX_TEXT_LENGTH);
  const cap = { skipEmpty, maxLength: CLI_MAX_TEXT_LENGTH, onCut: (where: string) => warnings.truncated(where) };
  const source = positionals.length > 0 ? numberedLines(positionals, { ...cap, label: 'argument' })
    : numberedLines(await inputLines(input ?? '-', { maxLineBytes: 4 * CLI_MAX_TEXT_LENGTH + 4 }), { ...cap, label: 'line' });
  let count = 0;
  for await (const batch of streamBatches(source, batchSize)) {
    count += batch.length;
    const texts = batch.filter((l) => l.text.trim() !== '');
    await threadsForBatch(texts.length);
    const out = texts.length > 0 ? translator.translate(texts.map((l) => l.text), { ...opts, batchSize }) : [];
    let k = 0;
    let s = '';
    for (const l of batch) {
      const t = l.text.trim() === '' ? null : (out[k++] as Translation);
      if (t) warnings.check(l.where, t, l.cut);
      s += formatLine(t, l.text, fmt);
    }
    await write(s);
  }
  warnings.finish();
  if (count === 0) {
    process.stderr.write(`${NAME}: no text to translate\n`);
    return EXIT.INPUT;
  }
  return EXIT.OK;
}

async function readAllLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const l of await inputLines(file)) lines.push(l);
  return lines;
}

async function evalCmd(values: OptionValues, ctx: CliContext): Promise<number> {
  onlyOptions(values, 'eval', [...COMMON, 'src', 'ref', 'beam', 'alpha', 'length-penalty', 'batch-size']);
  const src = required(values, 'src', 'eval');
  const ref = required(values, 'ref', 'eval');
  const beam = num(values, 'beam', 5, { int: true, min: 1, max: 64 });
  const alpha = num(values, 'alpha', 0.6, { min: 0, max: 10 });
  const lengthPenalty = lengthPenaltyOption(values);
  const batchSize = num(values, 'batch-size', 32, { int: true, min: 1, max: 4096 });
  await checkInputFile(src);
  await checkInputFile(ref);
  const srcLines = await readAllLines(src);
  const refLines = await readAllLines(ref);
  if (srcLines.length !== refLines.length) throw new UsageError(`Expected --src and --ref with the same number of lines. Received: ${srcLines.length} and ${refLines.length}`);
  const translator = await loadModel(values, ctx);
  const { corpusBleu, tokenizedBleu } = await import('../metrics/bleu');
  const { toUnits } = await import('../preprocess');
  const hyps = translator.translate(srcLines.map((l) => capText(l).text), { beam, alpha, lengthPenalty, batchSize }).map((t) => t.text);
  const sacre = corpusBleu(hyps, [refLines]);
  const anchor = tokenizedBleu(hyps.map((h) => toUnits(h.toLowerCase(), null)), refLines.map((r) => [toUnits(r.toLowerCase(), null)]));
  await write(`BLEU = ${sacre.score.toFixed(2)} ${sacre.precisions.map((p) => p.toFixed(1)).join('/')} (BP = ${sacre.bp.toFixed(3)} hyp_len = ${sacre.sysLen} ref_len = ${sacre.refLen}) [sacreBLEU default: 13a, exp, beam ${beam}]\n`);
  await write(`BLEU (lowercased, tokenized, no smoothing) = ${anchor.toFixed(2)}\n`);
  return EXIT.OK;
}

/** Runs rnnkit-translate with `argv`; returns the exit code (errors are thrown to core's runCli). */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { command, values, positionals } = parse(argv);
  if (values.version === true) {
    await write(`${ctx.version}\n`);
    return EXIT.OK;
  }
  if (command === 'help' || values.help === true) {
    await write(HELP);
    return EXIT.OK;
  }
  if (command === 'eval' || command === 'train') {
    if (positionals.length > 0) throw new UsageError(`${command} takes no TEXT arguments. Received: ${JSON.stringify(positionals[0])}`);
    if (command === 'eval') return evalCmd(values, ctx);
    return (await import('./train')).trainCmd(values, NAME);
  }
  return translateCmd(values, positionals, ctx);
}
