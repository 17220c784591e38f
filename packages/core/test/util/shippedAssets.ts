// A package's src/shipped.ts names every file of its shipped model with its own `new URL('../model/<file>',
// import.meta.url)` (so bundlers emit each one): the list must be exactly what the model needs. Shared by the
// packages that ship a model (sentiment, seq2seq).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Declares the shipped-asset tests for the package whose root folder is `pkg`. */
export function describeShippedAssets(pkg: string): void {
  const listed = [...readFileSync(join(pkg, 'src/shipped.ts'), 'utf8').matchAll(/'([^']+)': new URL\('\.\.\/model\/([^']+)', import\.meta\.url\)/g)];
  const run = existsSync(join(pkg, 'model', 'model.json')) ? it : it.skip;

  describe('shipped model assets', () => {
    it('names each file by its own path', () => {
      expect(listed.length).toBeGreaterThan(2);
      for (const [, name, file] of listed) expect(name).toBe(file);
    });

    run('lists model.json, every weights file of its manifest and the JSON files beside it, all present', () => {
      const names = listed.map((m) => m[1] as string).sort();
      const json = JSON.parse(readFileSync(join(pkg, 'model', 'model.json'), 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
      const weights = json.weightsManifest.flatMap((g) => g.paths);
      const jsonFiles = readdirSync(join(pkg, 'model')).filter((f) => f.endsWith('.json'));
      expect(names).toEqual([...new Set([...jsonFiles, ...weights])].sort());
      for (const n of names) expect(existsSync(join(pkg, 'model', n))).toBe(true);
    });
  });
}
