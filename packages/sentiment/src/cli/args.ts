// rnnkit-sentiment's command line: its options and help, on core's shared parser and exit codes. No
// tfjs here: `--help` and `--version` answer without loading the model stack.
import { EXIT_CODES_HELP, parseCommandLine, type CommandLine, type OptionSpecs } from '@rnnkit/core/cli';

export type Command = 'predict' | 'eval' | 'train';
export type ParsedArgs = CommandLine<Command>;

export const HELP = `rnnkit-sentiment: sentiment of English text with a recurrent neural network (TensorFlow.js)

Usage:
  rnnkit-sentiment predict [options] [--] [TEXT...]   classify TEXT, or lines of --input FILE, or of stdin
  rnnkit-sentiment eval --data FILE                   accuracy, per-class precision/recall/F1, confusion matrix
  rnnkit-sentiment train --train FILE --dev FILE --out DIR [options]
  rnnkit-sentiment help | --help | --version

  Put -- before texts that start with "-": rnnkit-sentiment predict -- "-1 stars"

Common options:
  -m, --model DIR    model folder (default: the English SST-2 model shipped in the package)
  --backend NAME     tfjs backend: wasm, cpu, tensorflow (default: the fastest available)
  -h, --help         this help;  -v, --version  the version

predict:
  -i, --input FILE   read texts from FILE, one per line ("-" = stdin); stdin is read line by line as
                     lines arrive, and each result is printed as soon as it is ready
  -f, --format F     text (default), tsv, jsonl ({"text","label","confidence","scores"} per line: the
                     streaming format), json (one array, complete only when the run ends)
  --explain          add per-token contributions (occlusion)
  --batch-size N     texts per model call (default 256)
  --skip-empty       drop empty input lines (default: an empty result for each, so output lines match
                     input lines 1:1: an empty line in text, empty cells in tsv, "empty":true in json)
  Control characters in text and tsv output are escaped (\\t, \\e, \\x07, ...). Texts longer than 5000
  characters (MAX_TEXT_LENGTH) are cut, and texts the model knows few words of (low coverage) are
  flagged as unreliable, each with a warning on stderr (line number included).

eval / train data:
  --data-format F    auto (default: by extension or content), tsv, csv, jsonl, sst ("label sentence")
  --text-column C    column name or 0-based index of the text;  --label-column C  of the label
  --format F         eval output: text (default) or json

train options:
  --epochs N (10)  --batch-size N (32)  --lr X (0.002)  --lr-schedule constant|linear|cosine (linear)
  --cell lstm|gru (lstm)  --units N (128)  --layers N (1)  --unidirectional  --pooling max|mean|last (max)
  --embedding-dim N (100)  --dropout X (0.5)  --clip-norm X (5)  --patience N (3)  --seed N (1)
  --class-weights balanced  --min-freq N (1)  --quantization none|float16|uint8|mixed (none)
  --checkpoint DIR        resumable checkpoint folder (default: DIR.checkpoint beside --out), written
                          atomically every --checkpoint-every N steps (default 500), after each epoch
                          and on Ctrl-C / SIGTERM; removed when training completes
  --resume                continue from the checkpoint (same command line otherwise): same data order,
                          optimizer state and step counter
  --out and every path are checked before the first step.

${EXIT_CODES_HELP}
  130 / 143: training stopped by Ctrl-C / SIGTERM after saving its checkpoint.
`;

const OPTIONS: OptionSpecs = {
  model: { type: 'string', short: 'm' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  input: { type: 'string', short: 'i' },
  format: { type: 'string', short: 'f' },
  explain: { type: 'boolean' },
  'skip-empty': { type: 'boolean' },
  'batch-size': { type: 'string' },
  data: { type: 'string' },
  'data-format': { type: 'string' },
  'text-column': { type: 'string' },
  'label-column': { type: 'string' },
  train: { type: 'string' },
  dev: { type: 'string' },
  out: { type: 'string', short: 'o' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  cell: { type: 'string' },
  units: { type: 'string' },
  layers: { type: 'string' },
  unidirectional: { type: 'boolean' },
  pooling: { type: 'string' },
  'embedding-dim': { type: 'string' },
  dropout: { type: 'string' },
  'clip-norm': { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  'class-weights': { type: 'string' },
  'min-freq': { type: 'string' },
  quantization: { type: 'string' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'boolean' },
};

/** Options every command accepts. */
export const COMMON = ['model', 'backend', 'help', 'version'] as const;
/** Options of the labelled-data readers (eval and train). */
export const DATA = ['data-format', 'text-column', 'label-column'] as const;

export function parseArguments(argv: readonly string[]): ParsedArgs {
  return parseCommandLine<Command>(argv, { commands: ['predict', 'eval', 'train'], defaultCommand: null, options: OPTIONS });
}
