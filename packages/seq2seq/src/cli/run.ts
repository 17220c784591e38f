// rnnkit-translate commands. `main` returns the exit code; all output goes through the given streams.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { initBackend, isRnnkitError, RnnkitError } from '@rnnkit/core';
import { Translator, type Translation } from '../translator';
import { corpusBleu, tokenizedBleu } from '../metrics/bleu';
import { toUnits } from '../preprocess';
import { HELP, intOption, parseArgs } from './args';
import { utf8Lines } from './lines';

export interface CliIo {
  stdin: AsyncIterable<Buffer | string>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** The default model folder and the package version. */
  defaultModel: string;
  version: string;
}

async function openLines(file: string): Promise<AsyncGenerator<string>> {
  try {
    await access(file);
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected a readable file. Received: ${file} (not found or not readable)`, { cause });
  }
  return utf8Lines(createReadStream(file), file);
}

function format(t: Translation, src: string, fmt: string): string {
  if (fmt === 'text') return t.text;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return JSON.stringify({ src, translation: t.text, score: round(t.score), logProb: round(t.logProb), srcTokens: t.srcTokens, tokens: t.tokens, attention: t.attention.map((r) => r.map(round)) });
}

async function loadModel(dir: string): Promise<Translator> {
  await initBackend();
  return Translator.load(dir);
}

async function translateCmd(o: Map<string, string>, positionals: string[], io: CliIo): Promise<void> {
  const fmt = o.get('format') ?? 'text';
  if (fmt !== 'text' && fmt !== 'jsonl') throw new RnnkitError('INVALID_ARGUMENT', `Expected --format text or jsonl. Received: ${JSON.stringify(fmt)}`);
  const opts = { beam: intOption(o, 'beam', 1), alpha: o.has('alpha') ? Number(o.get('alpha')) : 0.6, replaceUnk: !o.has('no-replace-unk') };
  const batch = intOption(o, 'batch', 32);
  const input = o.get('input');
  const lines: AsyncIterable<string> | string[] = positionals.length > 0 ? positionals : input ? await openLines(input) : utf8Lines(io.stdin, 'stdin');
  const translator = await loadModel(o.get('model') ?? io.defaultModel);
  let buf: string[] = [];
  const flush = () => {
    const out = translator.translate(buf, { ...opts, batchSize: batch });
    io.stdout.write(out.map((t, i) => format(t, buf[i] as string, fmt) + '\n').join(''));
    buf = [];
  };
  for await (const line of lines) {
    buf.push(line);
    if (buf.length >= batch) flush();
  }
  if (buf.length > 0) flush();
}

async function evalCmd(o: Map<string, string>, io: CliIo): Promise<void> {
  const src = o.get('src');
  const ref = o.get('ref');
  if (!src || !ref) throw new RnnkitError('INVALID_ARGUMENT', 'Expected --src FILE and --ref FILE. Received: ' + (src ? '--src only' : ref ? '--ref only' : 'neither'));
  const srcLines: string[] = [];
  for await (const l of await openLines(src)) srcLines.push(l);
  const refLines: string[] = [];
  for await (const l of await openLines(ref)) refLines.push(l);
  if (srcLines.length !== refLines.length) throw new RnnkitError('INVALID_ARGUMENT', `Expected --src and --ref with the same number of lines. Received: ${srcLines.length} and ${refLines.length}`);
  const translator = await loadModel(o.get('model') ?? io.defaultModel);
  const hyps = translator.translate(srcLines, { beam: intOption(o, 'beam', 1), batchSize: intOption(o, 'batch', 32) }).map((t) => t.text);
  const sacre = corpusBleu(hyps, [refLines]);
  const anchor = tokenizedBleu(hyps.map((h) => toUnits(h.toLowerCase(), null)), refLines.map((r) => [toUnits(r.toLowerCase(), null)]));
  io.stdout.write(`BLEU = ${sacre.score.toFixed(2)} ${sacre.precisions.map((p) => p.toFixed(1)).join('/')} (BP = ${sacre.bp.toFixed(3)} hyp_len = ${sacre.sysLen} ref_len = ${sacre.refLen}) [sacreBLEU default: 13a, exp]\n`);
  io.stdout.write(`BLEU (lowercased, tokenized, no smoothing) = ${anchor.toFixed(2)}\n`);
}

async function trainCmd(o: Map<string, string>, io: CliIo): Promise<void> {
  const { trainFromFiles } = await import('./train');
  await trainFromFiles(o, io.stderr);
}

/** Runs the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`rnnkit-translate: error: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    switch (parsed.command) {
      case 'help': io.stdout.write(HELP + '\n'); return 0;
      case 'version': io.stdout.write(io.version + '\n'); return 0;
      case 'eval': await evalCmd(parsed.options, io); return 0;
      case 'train': await trainCmd(parsed.options, io); return 0;
      default: await translateCmd(parsed.options, parsed.positionals, io); return 0;
    }
  } catch (e) {
    const code = isRnnkitError(e) ? e.code : 'ERROR';
    io.stderr.write(`rnnkit-translate: error [${code}]: ${(e as Error).message}\n`);
    return isRnnkitError(e, 'INVALID_ARGUMENT') ? 2 : 1;
  }
}
