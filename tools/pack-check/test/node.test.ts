// The shipped models are the defaults in Node: `load()` with no argument, from a working folder that is
// neither the package nor the project, as ESM and as CommonJS, with nothing on stderr (no tfjs banner:
// the packages depend on the wasm backend and pick it first).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, work } from './work';

const elsewhere = join(work, 'elsewhere');

const BODY = `
  const clf = await SentimentClassifier.load();
  const p = clf.predict('a fine film , warm and funny');
  const tr = await Translator.load();
  const [t] = await tr.translate(['I am hungry.']);
  console.log(JSON.stringify({ label: p.label, translation: t.text }));`;

function runIn(file: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(app, file)], { cwd: elsewhere, encoding: 'utf8', timeout: 180_000 });
}

describe('shipped models in Node, no path', () => {
  beforeAll(() => {
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(app, 'default-load.mjs'), `import { SentimentClassifier } from '@rnnkit/sentiment';\nimport { Translator } from '@rnnkit/seq2seq';\n${BODY}\n`);
    writeFileSync(join(app, 'default-load.cjs'), `const { SentimentClassifier } = require('@rnnkit/sentiment');\nconst { Translator } = require('@rnnkit/seq2seq');\n(async () => {${BODY}\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
  });

  it.each(['default-load.mjs', 'default-load.cjs'])('%s loads both models from another folder, silently', (file) => {
    const r = runIn(file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { label: string; translation: string };
    expect(out.label).toBe('positive');
    expect(out.translation).toMatch(/faim/i);
  });
});
