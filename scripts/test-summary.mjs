// Sums the jest results that each workspace package's `test` script wrote (.jest-results.json) and
// prints one closing line, "N passed, N failed, N skipped". Exits non-zero when a package has no
// results, any test failed, or no test ran at all.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const clean = process.argv.includes('--clean');
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = [];
for (const group of ['packages', 'apps', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkgFile = join(dir, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.test) continue;
    const resultFile = join(dir, name, '.jest-results.json');
    if (clean) {
      rmSync(resultFile, { force: true });
      continue;
    }
    if (!existsSync(resultFile)) {
      missing.push(pkg.name);
      continue;
    }
    const r = JSON.parse(readFileSync(resultFile, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    console.log(`${pkg.name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  }
}
if (clean) process.exit(0);
if (missing.length) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
