import { choice, num, onlyOptions, parseCommandLine, type OptionSpecs } from './args';
import { CliError, EXIT, exitCodeOf, UsageError } from './exitCodes';
import { RnnkitError } from '../errors';

const options: OptionSpecs = { beam: { type: 'string' }, 'batch-size': { type: 'string', short: 'b' }, help: { type: 'boolean', short: 'h' }, model: { type: 'string' } };
const translate = (argv: string[]) => parseCommandLine(argv, { commands: ['translate', 'eval'] as const, defaultCommand: 'translate', options });
const sentiment = (argv: string[]) => parseCommandLine(argv, { commands: ['predict', 'eval'] as const, defaultCommand: null, options });

describe('parseCommandLine', () => {
  it('finds the subcommand, or uses the default one', () => {
    expect(translate(['eval', '--beam', '3'])).toMatchObject({ command: 'eval', values: { beam: '3' }, positionals: [] });
    expect(translate(['Hello.', 'Bye.'])).toMatchObject({ command: 'translate', positionals: ['Hello.', 'Bye.'] });
    expect(sentiment(['predict', 'a fine film'])).toMatchObject({ command: 'predict', positionals: ['a fine film'] });
  });

  it('takes help as a word, but not after --', () => {
    expect(translate(['help']).command).toBe('help');
    expect(translate(['--', 'help'])).toMatchObject({ command: 'translate', positionals: ['help'] });
    expect(translate(['--', 'eval', '-x'])).toMatchObject({ command: 'translate', positionals: ['eval', '-x'] });
  });

  it('refuses unknown options, short ones included, and unknown commands', () => {
    expect(() => translate(['--bem', '5', 'x'])).toThrow(UsageError);
    expect(() => translate(['-x'])).toThrow(/Unknown option '-x'.*--/);
    expect(() => sentiment(['frobnicate'])).toThrow(/Unknown command "frobnicate"/);
  });

  it('hands a negative number to the option, so its range check speaks', () => {
    const a = translate(['--batch-size', '-3', 'x']);
    expect(a.values['batch-size']).toBe('-3');
    expect(() => num(a.values, 'batch-size', 32, { int: true, min: 1, max: 4096 })).toThrow('Expected --batch-size to be an integer from 1 to 4096. Received: "-3"');
    expect(translate(['-b', '-3']).values['batch-size']).toBe('-3');
  });

  it('checks values: numbers, choices, options of another command', () => {
    expect(num({ beam: '5' }, 'beam', 1, { int: true, min: 1 })).toBe(5);
    expect(() => num({ beam: '2.5' }, 'beam', 1, { int: true })).toThrow(UsageError);
    expect(() => num({ beam: '' }, 'beam', 1)).toThrow(UsageError);
    expect(choice({ format: 'jsonl' }, 'format', ['text', 'jsonl'], 'text')).toBe('jsonl');
    expect(() => choice({ format: 'xml' }, 'format', ['text', 'jsonl'], 'text')).toThrow(/one of text, jsonl/);
    expect(() => onlyOptions({ beam: '3' }, 'predict', ['model'])).toThrow("Unknown option '--beam' for predict");
  });
});

describe('exitCodeOf', () => {
  it('maps errors to the documented codes', () => {
    expect(exitCodeOf(new UsageError('x'))).toBe(EXIT.USAGE);
    expect(exitCodeOf(new RnnkitError('IO_ERROR', 'x'))).toBe(EXIT.INPUT);
    expect(exitCodeOf(new RnnkitError('PARSE_ERROR', 'x'))).toBe(EXIT.INPUT);
    expect(exitCodeOf(new RnnkitError('INVALID_MODEL', 'x'))).toBe(EXIT.MODEL);
    expect(exitCodeOf(new RnnkitError('UNSAFE_PATH', 'x'))).toBe(EXIT.MODEL);
    expect(exitCodeOf(new RnnkitError('INVALID_ARGUMENT', 'x'))).toBe(EXIT.USAGE);
    expect(exitCodeOf(new CliError(EXIT.MODEL, 'x'))).toBe(EXIT.MODEL);
    expect(exitCodeOf(new TypeError('x'))).toBe(EXIT.RUNTIME);
  });
});
