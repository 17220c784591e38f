// Runs every ```js block of docs/from-keras.md and docs/from-pytorch.md as written, in a temporary
// folder holding the files they name (copies of the test fixtures): each block's imports go on top of
// a generated module and the rest becomes the body of an async function (the blocks use top-level
// await, as ES modules do).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const DOCS = path.join(__dirname, '..', '..', '..', 'docs');
const FIXTURES = path.join(__dirname, 'fixtures');

/** The files the doc examples open, from the fixtures. */
const FILES: Record<string, string> = {
  'sentiment.keras': 'keras/native/k3_seq_lstm.keras',
  'custom.keras': 'keras/native/k3_custom_layer.keras',
  'classifier.safetensors': 'torch/classifier.safetensors',
  'encoder.safetensors': 'torch/lstm_stacked_bi_packed_h0.safetensors',
};

function jsBlocks(file: string): string[] {
  const markdown = fs.readFileSync(path.join(DOCS, file), 'utf8');
  return [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

function toModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `// @ts-nocheck\n${imports.join('\n')}\n\nexport async function run() {\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

async function runBlock(code: string, name: string): Promise<string[]> {
  const generated = path.join(__dirname, `docs-${name}.generated.ts`);
  fs.writeFileSync(generated, toModule(code));
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map((a) => JSON.stringify(a)).join(' ')));
  try {
    const mod = (await import(generated)) as { run: () => Promise<void> };
    await mod.run();
  } finally {
    spy.mockRestore();
    fs.rmSync(generated, { force: true });
  }
  return printed;
}

describe('docs: the JavaScript of From Keras and From PyTorch runs as written', () => {
  const cwd = process.cwd();
  let work: string;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnkit-docs-'));
    for (const [name, from] of Object.entries(FILES)) fs.copyFileSync(path.join(FIXTURES, from), path.join(work, name));
    process.chdir(work);
  });

  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('from-keras.md: load a .keras file, predict, fine-tune, save; customObjects', async () => {
    const blocks = jsBlocks('from-keras.md');
    expect(blocks.length).toBe(2);
    const main = (await runBlock(blocks[0] as string, 'keras-0')).join('\n');
    expect(main).toMatch(/"probabilities" \[2,3\]/);
    expect(main).toContain('"loss" 2');
    expect(main).toContain('"saved" ');
    expect(fs.existsSync(path.join(work, 'sentiment-tfjs', 'model.json'))).toBe(true);
    const custom = (await runBlock(blocks[1] as string, 'keras-1')).join('\n');
    expect(custom).toContain('"custom output" [null,2]');
  });

  it('from-pytorch.md: the classifier as a tf.sequential, and forward with lengths', async () => {
    const blocks = jsBlocks('from-pytorch.md');
    expect(blocks.length).toBe(2);
    const classifier = (await runBlock(blocks[0] as string, 'torch-0')).join('\n');
    expect(classifier).toContain('"logits" [2,3]');
    expect(classifier).toContain('"saved"');
    const forward = (await runBlock(blocks[1] as string, 'torch-1')).join('\n');
    expect(forward).toContain('"output" [5,3,8] "hN" [4,3,4] "cN" [4,3,4]');
  });
});
