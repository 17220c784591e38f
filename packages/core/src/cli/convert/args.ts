// Command line of rnnkit-convert: parsing (node:util parseArgs, strict), help text and exit codes.
// No tfjs here: --help and --version answer without loading the model stack.
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../exitCodes';

/** Exit codes and the usage error: the rnnkit CLI contract shared with rnnkit-sentiment / rnnkit-translate. */
export { EXIT, UsageError };

export const HELP = `rnnkit-convert: Keras and PyTorch models to TensorFlow.js layers folders (model.json + weights)

Usage:
  rnnkit-convert MODEL OUT_DIR
      MODEL: a Keras 3 .keras file or a .h5 full model (Keras 2.x, tf.keras, Keras 3);
      the format is told by the file's first bytes, not its extension.
  rnnkit-convert --torch SPEC.json --weights MODEL.safetensors OUT_DIR
      SPEC.json lists the PyTorch modules in order, e.g.
      {"inputShape": [null], "inputDtype": "int32", "layers": [
        {"type": "embedding", "prefix": "emb", "maskZero": true},
        {"type": "recurrent", "prefix": "rnn", "mode": "GRU", "inputSize": 6, "hiddenSize": 5,
         "bidirectional": true, "batchFirst": true, "returnSequences": false},
        {"type": "linear", "prefix": "fc", "activation": "softmax"}]}
      recurrent modes: LSTM, GRU, RNN_TANH, RNN_RELU (options as torch.nn: numLayers, bias, ...)
  rnnkit-convert --help | --version

Options:
  --torch FILE      the PyTorch module spec (JSON); needs --weights
  --weights FILE    the PyTorch state dict as safetensors
  --float16         store the weights as float16 (half the size; loads back as float32)
  --force           replace a model already in OUT_DIR (the replacement is atomic)
  -h, --help        this help;  -v, --version  the version

The output loads with rnnkit's loadLayersModel everywhere, and with stock tf.loadLayersModel when
the model uses only layers stock tfjs has (GRU with reset_after=true, PyTorch's GRU, needs rnnkit).

Exit codes: 0 ok, 1 runtime error, 2 usage, 3 unreadable input, 4 not a convertible model.
`;

export interface ConvertArgs {
  values: { torch?: string; weights?: string; float16?: boolean; force?: boolean; help?: boolean; version?: boolean };
  positionals: string[];
}

/** Parses argv strictly; throws UsageError for unknown options and wrong argument counts. */
export function parseCommandLine(argv: string[]): ConvertArgs {
  let parsed: ConvertArgs;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        torch: { type: 'string' },
        weights: { type: 'string' },
        float16: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }) as ConvertArgs;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || values.version) return parsed;
  if ((values.torch === undefined) !== (values.weights === undefined)) {
    throw new UsageError('Expected --torch SPEC.json and --weights MODEL.safetensors together. Received only one of them.');
  }
  const wanted = values.torch === undefined ? 2 : 1;
  if (positionals.length !== wanted) {
    const what = wanted === 2 ? 'MODEL and OUT_DIR' : 'OUT_DIR (the model comes from --torch / --weights)';
    throw new UsageError(`Expected ${what}. Received ${positionals.length} argument(s): ${positionals.join(' ') || '(none)'}`);
  }
  return parsed;
}
