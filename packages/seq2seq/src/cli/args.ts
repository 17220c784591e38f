// rnnkit-translate's command line: its options and help, on core's shared parser and exit codes.
import { EXIT_CODES_HELP, parseCommandLine, type CommandLine, type OptionSpecs } from '@rnnkit/core/cli';

export type Command = 'translate' | 'eval' | 'train';

const OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  model: { type: 'string', short: 'm' },
  backend: { type: 'string' },
  beam: { type: 'string' },
  alpha: { type: 'string' },
  'length-penalty': { type: 'string' },
  format: { type: 'string', short: 'f' },
  'batch-size': { type: 'string' },
  input: { type: 'string', short: 'i' },
  'skip-empty': { type: 'boolean' },
  'no-replace-unk': { type: 'boolean' },
  src: { type: 'string' },
  ref: { type: 'string' },
  tgt: { type: 'string' },
  out: { type: 'string', short: 'o' },
  epochs: { type: 'string' },
  merges: { type: 'string' },
  hidden: { type: 'string' },
  embedding: { type: 'string' },
  attention: { type: 'string' },
  cell: { type: 'string' },
  'input-feeding': { type: 'boolean' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'boolean' },
};

/** Options every command accepts. */
export const COMMON = ['help', 'version', 'model', 'backend'] as const;

export function parse(argv: readonly string[]): CommandLine<Command> {
  return parseCommandLine<Command>(argv, { commands: ['translate', 'eval', 'train'], defaultCommand: 'translate', options: OPTIONS });
}

export const HELP = `rnnkit-translate: attention encoder-decoder translation (default model: English -> French)

Usage:
  rnnkit-translate [translate] [options] [--] TEXT...   translate each TEXT argument
  rnnkit-translate [translate] [options] < input.txt    translate stdin, line by line as lines arrive
  rnnkit-translate [translate] [options] --input FILE   translate a file, one text per line
  rnnkit-translate eval --src FILE --ref FILE           BLEU (sacreBLEU default and lowercased tokenized)
  rnnkit-translate train --src FILE --tgt FILE --out DIR [options]
  rnnkit-translate help | --help | --version

  Put -- before texts that start with "-" or that are a command word: rnnkit-translate -- help

Common options:
  -m, --model DIR      model folder (default: the English -> French model shipped in the package)
  --backend NAME       tfjs backend: wasm, cpu, tensorflow (default: the fastest available)
  -h, --help           this help;  -v, --version  the version

translate:
  --beam N             beam size, 1 = greedy (default 5)
  --length-penalty P   beam-search ranking: gnmt (default), average (log-probability / length) or none
  --alpha X            gnmt length-penalty alpha (default 0.6)
  -f, --format F       text (default) or jsonl (one JSON object per line with scores, tokens and attention)
  --batch-size N       texts per model call (default 32)
  -i, --input FILE     read texts from FILE, one per line ("-" = stdin)
  --skip-empty         drop empty input lines (default: an empty output line for each, so output lines
                       match input lines 1:1)
  --no-replace-unk     keep <unk> instead of copying the most attended source unit
  Control characters in the output are escaped (\\t, \\e, \\x07, ...). Lines longer than 10000 characters
  are cut, with a warning on stderr.

eval:
  --src FILE --ref FILE   parallel files, one sentence per line;  --beam N (5)  --batch-size N (32)
                          --length-penalty P (gnmt)  --alpha X (0.6)

train:
  --src FILE --tgt FILE  parallel training files, one sentence per line (the first 5% are held out
                         for validation)
  --out DIR              the best model (by validation loss) is saved here after each epoch
  --epochs N (10)  --merges N (2000)  --hidden N (256)  --embedding N (min(128, hidden))
  --attention bahdanau|dot|general|concat (general)  --cell gru|lstm (gru)  --input-feeding
  --lr X (0.001)  --batch-size N (64)  --seed N (0)
  --checkpoint DIR       resumable checkpoint folder (default: DIR.checkpoint beside --out), written
                         atomically every --checkpoint-every N steps (default 200), after each epoch
                         and on Ctrl-C / SIGTERM; removed when training completes
  --resume               continue from the checkpoint (same command line otherwise): same data order,
                         optimizer state and step counter

${EXIT_CODES_HELP}
  130 / 143: training stopped by Ctrl-C / SIGTERM after saving its checkpoint.
`;
