// Command-line parsing for rnnkit-translate: `--name value`, `--name=value`, flags, positionals.
import { RnnkitError } from '@rnnkit/core';

export interface ParsedArgs {
  command: 'translate' | 'eval' | 'train' | 'help' | 'version';
  options: Map<string, string>;
  positionals: string[];
}

const FLAGS = new Set(['help', 'version', 'no-replace-unk']);
const COMMANDS = new Set(['translate', 'eval', 'train']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h') options.set('help', 'true');
    else if (a === '-v' || a === '-V') options.set('version', 'true');
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) options.set(name, a.slice(eq + 1));
      else if (FLAGS.has(name)) options.set(name, 'true');
      else {
        const v = argv[i + 1];
        if (v === undefined) throw new RnnkitError('INVALID_ARGUMENT', `Expected a value after --${name}. Received: nothing`);
        options.set(name, v);
        i++;
      }
    } else positionals.push(a);
  }
  let command: ParsedArgs['command'] = 'translate';
  if (positionals.length > 0 && COMMANDS.has(positionals[0] as string)) command = positionals.shift() as ParsedArgs['command'];
  if (options.has('help')) command = 'help';
  else if (options.has('version')) command = 'version';
  return { command, options, positionals };
}

/** A positive integer option, or the default. */
export function intOption(o: Map<string, string>, name: string, fallback: number): number {
  const v = o.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RnnkitError('INVALID_ARGUMENT', `Expected --${name} to be a positive integer. Received: ${JSON.stringify(v)}`);
  return n;
}

export const HELP = `rnnkit-translate: attention encoder-decoder translation (default model: English -> French)

Usage:
  rnnkit-translate [options] "sentence" ...       translate the arguments
  rnnkit-translate [options] < input.txt          translate stdin, one sentence per line
  rnnkit-translate [options] --input FILE         translate a file, one sentence per line
  rnnkit-translate eval --src FILE --ref FILE     print BLEU (sacreBLEU default and lowercased tokenized)
  rnnkit-translate train --src FILE --tgt FILE --out DIR [--epochs N] [--merges N] [--hidden N] [--seed N]

Options:
  --model DIR        model folder (default: the model shipped in the package)
  --beam N           beam size (1 = greedy, default 1)
  --alpha X          beam search length-penalty alpha (default 0.6)
  --format FMT       text (default) or jsonl (with scores, tokens and attention)
  --batch N          sentences per batch (default 32)
  --no-replace-unk   keep <unk> instead of copying the most attended source unit
  -h, --help         show this help
  -v, --version      show the version

Exit codes: 0 success, 1 error (unreadable file, invalid model, invalid UTF-8), 2 usage error.`;
