// Builds the site unless dist/ is newer than everything it is built from (the demo's sources, its
// config, and the built packages and model files it bundles). turbo builds before `test` anyway; this
// keeps `pnpm --filter demo test` correct when run on its own.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const stamp = join(root, 'dist', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) if (name !== 'node_modules') t = Math.max(t, newest(join(path, name)));
  return t;
}

const pkgDir = (name, from = require) => dirname(from.resolve(`${name}/package.json`));
const seq2seq = pkgDir('@rnnkit/seq2seq');
const packages = [pkgDir('@rnnkit/core'), seq2seq, pkgDir('@rnnkit/sentiment'), pkgDir('@rnnkit/text', createRequire(join(seq2seq, 'package.json')))];
const inputs = [
  ...['src', 'index.html', 'vite.config.ts', 'vite.plugins.ts', 'package.json'].map((f) => join(root, f)),
  ...packages.flatMap((d) => [join(d, 'dist'), join(d, 'model')]),
];
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = inputs.filter((f) => newest(f) > built);
if (built > 0 && changed.length === 0) {
  console.log('demo: dist/ is up to date');
} else {
  console.log(built === 0 ? 'demo: building the site (no dist/)' : `demo: rebuilding the site (${changed.length} inputs changed)`);
  const r = spawnSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
