// Once for every pack-check test file: packs each publishable package (`pnpm pack`), then installs the
// tarballs, tfjs (their peer dependency) and the three bundlers from the npm registry into a fresh npm
// project under the OS temp folder, outside the repository: what a user who runs `npm install` gets.
// The folder is handed to the tests in RNNKIT_PACK_WORK (tarballs in RNNKIT_PACK_TARBALLS).
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const repo = resolve(__dirname, '../../..');

/** Bundlers a user's web app would use, from the npm registry. */
const BUNDLERS = ['esbuild@0', 'vite@7', 'webpack@5', 'webpack-cli@6'];

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

function publishable() {
  return ['core', 'text', 'seq2seq', 'sentiment'].filter((name) => {
    try {
      return !JSON.parse(readFileSync(join(repo, 'packages', name, 'package.json'), 'utf8')).private;
    } catch {
      return false;
    }
  });
}

module.exports = async function globalSetup() {
  const work = mkdtempSync(join(tmpdir(), 'rnnkit-pack-'));
  const packDir = join(work, 'tarballs');
  const tarballs = {};
  for (const name of publishable()) {
    run('pnpm', ['pack', '--pack-destination', packDir], join(repo, 'packages', name));
    const file = readdirSync(packDir).find((f) => f.startsWith(`rnnkit-${name}-`) && !Object.values(tarballs).includes(join(packDir, f)));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[name] = join(packDir, file);
  }
  const app = join(work, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'rnnkit-pack-check-app', private: true, version: '1.0.0' }));
  const tfjsVersion = JSON.parse(readFileSync(join(repo, 'packages/core/package.json'), 'utf8')).devDependencies['@tensorflow/tfjs'];
  run('npm', ['install', '--no-audit', '--no-fund', `@tensorflow/tfjs@${tfjsVersion}`, ...BUNDLERS, ...Object.values(tarballs)], app);
  process.env.RNNKIT_PACK_WORK = work;
  process.env.RNNKIT_PACK_TARBALLS = JSON.stringify(tarballs);
  process.env.RNNKIT_PACK_TFJS = tfjsVersion;
};
