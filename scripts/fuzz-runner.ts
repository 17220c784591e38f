// Runs fuzz targets outside jest, for the long run (scripts/fuzz.mjs bundles this file with every fuzz
// test into one script, so a job starts in a second and needs no node_modules): the test files are
// loaded under a minimal describe / it / beforeAll shim, then one target (`it`) runs with FUZZ_RUNS and
// FUZZ_SEED from the environment, reporting to FUZZ_REPORT like the jest runs do.
//
//   node .fuzz/fuzz-runner.cjs list               -> one line per target: "<file> <index> <name>"
//   node .fuzz/fuzz-runner.cjs run <file> <index> -> runs that target; exit 1 if it fails
type Fn = () => unknown;
const tests: Array<{ name: string; fn: Fn }> = [];
const befores: Fn[] = [];
let prefix = '';
const g = globalThis as unknown as Record<string, unknown>;
g['describe'] = (name: string, fn: () => void) => {
  const outer = prefix;
  prefix = `${outer}${name} > `;
  fn();
  prefix = outer;
};
g['it'] = (name: string, fn: Fn) => void tests.push({ name: prefix + name, fn });
g['beforeAll'] = (fn: Fn) => void befores.push(fn);
g['afterAll'] = () => undefined;

// The fuzz test files, one entry per package (required lazily: each job loads only its own).
const FILES: Record<string, () => unknown> = {
  core: () => require('../packages/core/test/fuzz/modelJson.fuzz.test.ts'),
  text: () => require('../packages/text/test/fuzz/text.fuzz.test.ts'),
  sentiment: () => require('../packages/sentiment/test/fuzz/data.fuzz.test.ts'),
};

async function main(): Promise<number> {
  const [command, file, index] = process.argv.slice(2);
  if (command === 'list') {
    for (const name of Object.keys(FILES)) {
      tests.length = 0;
      FILES[name]?.();
      tests.forEach((t, i) => console.log(`${name} ${i} ${t.name}`));
    }
    return 0;
  }
  const load = FILES[file ?? ''];
  const test = load ? (load(), tests[Number(index)]) : undefined;
  if (command !== 'run' || !test) {
    console.error('usage: fuzz-runner (list | run <core|text|sentiment> <index>)');
    return 2;
  }
  for (const b of befores) await b();
  try {
    await test.fn();
    return 0;
  } catch (err) {
    console.error(`FAIL ${test.name} (FUZZ_SEED=${process.env['FUZZ_SEED']}, FUZZ_RUNS=${process.env['FUZZ_RUNS']})\n${String((err as Error)?.message ?? err).slice(0, 8000)}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
