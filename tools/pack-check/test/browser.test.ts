// A small web app that classifies and translates with the shipped models (`load()` with no argument),
// bundled from the installed tarballs by esbuild, Vite and webpack 5 with no externals, aliases or
// shims in its config, served on localhost and run in headless Chromium (Debian's, never downloaded).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../apps/demo/test/browser';
import { serveStatic } from '../../../apps/demo/test/server';
import { app, run } from './work';

const web = join(app, 'web');

// Two entry modules, each reporting on window; esbuild needs them apart (below).
const SENTIMENT = `import { SentimentClassifier } from '@rnnkit/sentiment';
SentimentClassifier.load()
  .then((clf) => { const p = clf.predict('a fine film , warm and funny'); window.__sentiment = { ok: true, label: p.label }; })
  .catch((e) => { window.__sentiment = { ok: false, error: String((e && e.stack) || e) }; });
`;
const TRANSLATE = `import { Translator } from '@rnnkit/seq2seq';
Translator.load()
  .then(async (tr) => { const [t] = await tr.translate(['I am hungry.']); window.__translate = { ok: true, text: t.text }; })
  .catch((e) => { window.__translate = { ok: false, error: String((e && e.stack) || e) }; });
`;
const page = (scripts: string[]) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>rnnkit</title></head><body>${scripts.map((s) => `<script type="module" src="${s}"></script>`).join('')}</body></html>`;

const bin = (name: string) => join(app, 'node_modules/.bin', name);

/** Builds the app with each bundler; returns the folder to serve. */
const builds: Record<string, () => string> = {
  esbuild: () => {
    // esbuild leaves `new URL('../model/…', import.meta.url)` as it is (it emits no such assets), so each
    // package's model/ is copied one level above its bundle, as the packages' READMEs say.
    const out = join(web, 'dist-esbuild');
    for (const [dir, entry, pkg] of [['s', 'sentiment', 'sentiment'], ['t', 'translate', 'seq2seq']] as const) {
      run(bin('esbuild'), [`src/${entry}.js`, '--bundle', '--platform=browser', '--format=esm', `--outdir=${join(out, dir, 'js')}`, '--log-level=error'], web);
      cpSync(join(app, 'node_modules/@rnnkit', pkg, 'model'), join(out, dir, 'model'), { recursive: true });
    }
    writeFileSync(join(out, 'index.html'), page(['s/js/sentiment.js', 't/js/translate.js']));
    return out;
  },
  vite: () => {
    // unminified (here and for webpack): minifying tfjs costs minutes on a small machine and tests nothing
    run(bin('vite'), ['build', '--outDir', 'dist-vite', '--emptyOutDir', '--minify', 'false', '--logLevel', 'error'], web);
    return join(web, 'dist-vite');
  },
  webpack: () => {
    run(bin('webpack'), ['--config', 'webpack.config.cjs'], web);
    writeFileSync(join(web, 'dist-webpack', 'index.html'), page(['sentiment.js', 'translate.js']));
    return join(web, 'dist-webpack');
  },
};

describe('browser bundles of the packed packages', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(join(web, 'src'), { recursive: true });
    writeFileSync(join(web, 'src/sentiment.js'), SENTIMENT);
    writeFileSync(join(web, 'src/translate.js'), TRANSLATE);
    writeFileSync(join(web, 'index.html'), page(['./src/sentiment.js', './src/translate.js'])); // Vite's entry
    writeFileSync(join(web, 'webpack.config.cjs'), `module.exports = {
  mode: 'production',
  entry: { sentiment: './src/sentiment.js', translate: './src/translate.js' },
  output: { path: require('node:path').join(__dirname, 'dist-webpack'), filename: '[name].js', clean: true },
  performance: { hints: false },
  optimization: { minimize: false },
};
`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.keys(builds))('%s: builds with no externals and classifies and translates in Chromium', async (bundler) => {
    const t0 = Date.now();
    const root = (builds[bundler] as () => string)();
    const built = Date.now();
    const server = await serveStatic(root);
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    try {
      await tab.goto(`${server.origin}/`);
      await tab.waitForFunction(() => (window as unknown as Record<string, unknown>).__sentiment && (window as unknown as Record<string, unknown>).__translate, undefined, { timeout: 180_000 });
      const result = await tab.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return { sentiment: w.__sentiment, translate: w.__translate };
      });
      process.stdout.write(`${bundler}: build ${((built - t0) / 1000).toFixed(1)} s, page ${((Date.now() - built) / 1000).toFixed(1)} s\n`);
      expect(errors).toEqual([]);
      expect(result.sentiment).toEqual({ ok: true, label: 'positive' });
      expect(result.translate).toMatchObject({ ok: true });
      expect((result.translate as { text: string }).text).toMatch(/faim/i);
    } finally {
      await tab.close();
      await server.close();
    }
  });
});
