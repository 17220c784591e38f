// Command-line parsing for both CLIs on node:util parseArgs (strict): a subcommand, options, `--`
// before literal text, `help` as a word, and typed option values with messages that say what was
// expected and what was received.
import { parseArgs } from 'node:util';
import { UsageError } from './exitCodes';

/** parseArgs option descriptors (string or boolean, optional short letter). */
export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string }>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandLine<C extends string> {
  /** The subcommand, `help` (asked for help), or the default command. */
  command: C | 'help';
  values: OptionValues;
  positionals: string[];
}

export interface CommandLineSpec<C extends string> {
  commands: readonly C[];
  /** Command when the first word is not a command (rnnkit-translate's `translate`); null: a command is required. */
  defaultCommand: C | null;
  options: OptionSpecs;
}

const NUMBER_LIKE = /^-(\d|\.\d|Infinity|NaN)/;

/**
 * Parses `argv`. A value that starts with `-` and looks like a number (`--batch-size -3`) is taken as
 * the option's value, so that its range check gives the message rather than parseArgs's "ambiguous".
 * Words after `--` are always text, never a command.
 */
export function parseCommandLine<C extends string>(argv: readonly string[], spec: CommandLineSpec<C>): CommandLine<C> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : a.length === 2 && a[0] === '-' ? Object.keys(spec.options).find((k) => spec.options[k]?.short === a[1]) : undefined;
    if (name !== undefined && spec.options[name]?.type === 'string' && next !== undefined && NUMBER_LIKE.test(next)) {
      args.push(`--${name}=${next}`);
      i++;
    } else args.push(a);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const option = /'([^']+)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) throw new UsageError(`Unknown option '${option}'. Put -- before text that starts with "-": -- ${JSON.stringify(option)}`);
    throw new UsageError((e.message.split('\n')[0] as string).trim());
  }
  const tokens = parsed.tokens ?? [];
  const terminator = tokens.find((t) => t.kind === 'option-terminator')?.index ?? Infinity;
  const firstPositional = tokens.find((t) => t.kind === 'positional');
  const values = parsed.values as OptionValues;
  const positionals = [...parsed.positionals];
  const first = firstPositional && firstPositional.index < terminator ? positionals[0] : undefined;
  if (first === 'help') return { command: 'help', values, positionals: positionals.slice(1) };
  if (first !== undefined && (spec.commands as readonly string[]).includes(first)) return { command: first as C, values, positionals: positionals.slice(1) };
  if (spec.defaultCommand !== null) return { command: spec.defaultCommand, values, positionals };
  if (first === undefined && positionals.length === 0) return { command: 'help', values, positionals };
  throw new UsageError(`Unknown command ${JSON.stringify(positionals[0])}. Expected ${spec.commands.join(', ')} or help`);
}

/** An option as a number in a range, or its default. */
export function num(values: OptionValues, name: string, fallback: number, opts: { int?: boolean; min?: number; max?: number } = {}): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || (opts.int && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    const kind = opts.int ? 'an integer' : 'a number';
    const range = opts.min !== undefined && opts.max !== undefined ? `${kind} from ${opts.min} to ${opts.max}` : `${kind}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}`;
    throw new UsageError(`Expected --${name} to be ${range}. Received: ${JSON.stringify(raw)}`);
  }
  return v;
}

/** An option restricted to some choices, or its default. */
export function choice<T extends string>(values: OptionValues, name: string, choices: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !choices.includes(raw as T)) throw new UsageError(`Expected --${name} to be one of ${choices.join(', ')}. Received: ${JSON.stringify(raw)}`);
  return raw as T;
}

/** A string option, or undefined; an empty value is a usage error. */
export function str(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw new UsageError(`Expected --${name} to be a non-empty value. Received: ${JSON.stringify(raw)}`);
  return raw;
}

/** A string option that must be given. */
export function required(values: OptionValues, name: string, command: string): string {
  const raw = str(values, name);
  if (raw === undefined) throw new UsageError(`${command} needs --${name}`);
  return raw;
}

/** Refuses options that `command` does not use (parseArgs knows only the union of all commands' options). */
export function onlyOptions(values: OptionValues, command: string, allowed: readonly string[]): void {
  for (const name of Object.keys(values)) {
    if (values[name] !== undefined && !allowed.includes(name)) throw new UsageError(`Unknown option '--${name}' for ${command}`);
  }
}
