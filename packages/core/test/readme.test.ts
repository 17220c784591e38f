// Runs the README's Usage block as written: its imports go on top of a generated module and the rest
// becomes the body of an async function (the block uses top-level await, as an ES module would).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const README = path.join(__dirname, '..', 'README.md');
const GENERATED = path.join(__dirname, 'readme-usage.generated.ts');

/** The first ```ts block after the `## Usage` heading. */
function usageBlock(markdown: string): string {
  const usage = markdown.slice(markdown.indexOf('\n## Usage'));
  const match = /```ts\n([\s\S]*?)```/.exec(usage);
  if (!match?.[1]) throw new Error('README.md has no ```ts block under ## Usage');
  return match[1];
}

/** Turns the block into a module exporting `run()`. */
function toModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\n\nexport async function run(): Promise<void> {\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

describe('README Usage block', () => {
  afterAll(async () => {
    fs.rmSync(GENERATED, { force: true });
    await tf.setBackend('cpu');
  });

  it('runs as written: picks a backend, prints the summary with Keras counts, trains', async () => {
    const code = usageBlock(fs.readFileSync(README, 'utf8'));
    expect(code).toContain("from '@rnnkit/core'");
    fs.writeFileSync(GENERATED, toModule(code));
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    try {
      const mod = (await import(GENERATED)) as { run: () => Promise<void> };
      await mod.run();
    } finally {
      spy.mockRestore();
    }
    const out = printed.join('\n');
    expect(out).toContain('backend: wasm');
    expect(out).toMatch(/bidirectional.*3200/);
    const losses = (printed[printed.length - 1] ?? '').split(',').map(Number);
    expect(losses.length).toBe(3);
    expect(losses.every(Number.isFinite)).toBe(true);
  });
});
