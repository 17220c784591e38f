// rnnkit-convert: reads a Keras file or a PyTorch spec + safetensors, builds the model with rnnkit's
// layers, saves it as a TensorFlow.js layers folder. The one place errors become a one-line message
// and an exit code.
import { EXIT, HELP, UsageError, parseCommandLine, type ConvertArgs } from './args';

declare const __RNNKIT_VERSION__: string;

function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT.USAGE;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'IO_ERROR' || code === 'PARSE_ERROR') return EXIT.INPUT;
  if (code === 'INVALID_MODEL' || code === 'UNKNOWN_CLASS' || code === 'WEIGHT_MISMATCH' || code === 'UNSUPPORTED' || code === 'INVALID_SHAPE') return EXIT.MODEL;
  if (code === 'INVALID_ARGUMENT') return EXIT.USAGE;
  return EXIT.RUNTIME;
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => undefined; // tfjs prints an "install tfjs-node" banner on Node (errors still reach stderr below)
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function refuseExisting(outDir: string, force: boolean): Promise<void> {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (!force && existsSync(join(outDir, 'model.json'))) {
    throw new UsageError(`Expected OUT_DIR without a model. Received "${outDir}", which holds a model.json (pass --force to replace it).`);
  }
}

async function readSpec(file: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const { RnnkitError } = await import('../../errors');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected a readable spec file "${file}". Received: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new RnnkitError('PARSE_ERROR', `Expected "${file}" to hold JSON. Received text that does not parse: ${(cause as Error).message}`, { cause });
  }
}

async function convert(args: ConvertArgs): Promise<string> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const { loadLayersModel } = await import('../../io/loadModel');
  const { fileSystem } = await import('../../io/fileSystem');
  const { quantizeArtifacts } = await import('../../io/quantize');
  const outDir = args.positionals[args.positionals.length - 1] as string;
  await refuseExisting(outDir, args.values.force === true);
  let model: import('@tensorflow/tfjs').LayersModel;
  if (args.values.torch !== undefined) {
    const { readSafetensors } = await import('../../io/safetensors');
    const { torchSequential, checkTorchSpec } = await import('../../torch/index');
    const spec = checkTorchSpec(await readSpec(args.values.torch));
    const weights = await readSafetensors(args.values.weights as string);
    try {
      model = torchSequential(weights, spec);
    } finally {
      tf.dispose(Object.values(weights));
    }
  } else {
    const source = args.positionals[0] as string;
    const { existsSync, statSync } = await import('node:fs');
    const { RnnkitError } = await import('../../errors');
    if (!existsSync(source) || !statSync(source).isFile()) throw new RnnkitError('IO_ERROR', `Expected MODEL to be a readable .keras or .h5 file. Received "${source}", which is not a file.`);
    model = await loadLayersModel(source);
  }
  const handler = fileSystem(outDir);
  const quantization = args.values.float16 ? 'float16' : 'none';
  await model.save(tf.io.withSaveHandler((artifacts) => (handler.save as (a: typeof artifacts) => Promise<import('@tensorflow/tfjs').io.SaveResult>)(quantizeArtifacts(artifacts, quantization))));
  const summary = `${model.layers.length} layers, ${model.countParams()} parameters`;
  model.dispose();
  return `rnnkit-convert: wrote ${outDir}/model.json (${summary}${quantization === 'float16' ? ', float16 weights' : ''})\n`;
}

/** Runs the CLI; returns the exit code (never throws). */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (args.values.version) {
      process.stdout.write(`${typeof __RNNKIT_VERSION__ === 'string' ? __RNNKIT_VERSION__ : 'unknown'}\n`);
      return EXIT.OK;
    }
    if (args.values.help) {
      process.stdout.write(HELP);
      return EXIT.OK;
    }
    process.stdout.write(await quietly(() => convert(args)));
    return EXIT.OK;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof UsageError ? ' (see rnnkit-convert --help)' : '';
    process.stderr.write(`rnnkit-convert: ${(message.split('\n')[0] ?? '').trim()}${hint}\n`);
    if (process.env.RNNKIT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
}
