// The committed, generated wasm modules must match the AssemblyScript sources (scripts/build-wasm.mjs's
// own sourceHash(); `node scripts/build-wasm.mjs` regenerates them), and every build must export exactly
// the functions the TypeScript side types by hand (KernelExports, StepKernelExports), with the same
// parameter counts: the compiler ties the arity tables to those interfaces, this test ties them to the
// modules, so a renamed, removed or re-shaped export fails.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  SOURCE_HASH, WASM_RELAXED_BASE64, WASM_RELAXED_SHARED_BASE64, WASM_SIMD_BASE64, WASM_SIMD_SHARED_BASE64,
} from './generated/wasmBinaries';
import { KERNEL_EXPORT_ARITIES } from './wasm';
import { STEP_KERNEL_EXPORT_ARITIES } from './arena';
import { enableRelaxedSimdForTests } from './testing/relaxed';

const script = join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs');

it('generated wasm is up to date with assembly/ (run node scripts/build-wasm.mjs)', () => {
  // The script is an ES module and jest runs CommonJS here: a child Node imports it and calls sourceHash().
  const code = `import { sourceHash } from ${JSON.stringify(pathToFileURL(script).href)}; process.stdout.write(sourceHash());`;
  const hash = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  expect(hash).toBe(SOURCE_HASH);
});

it('both embedded builds are valid WebAssembly SIMD modules', () => {
  expect(WebAssembly.validate(Buffer.from(WASM_SIMD_BASE64, 'base64'))).toBe(true);
  expect(Buffer.from(WASM_RELAXED_BASE64, 'base64').length).toBeGreaterThan(1000);
});

describe('exports of every build match the typed interfaces', () => {
  const RELAXED = enableRelaxedSimdForTests();
  const typed: Record<string, number> = { ...KERNEL_EXPORT_ARITIES, ...STEP_KERNEL_EXPORT_ARITIES };
  const builds = [
    { name: 'simd', base64: WASM_SIMD_BASE64, relaxed: false, shared: false },
    { name: 'relaxed', base64: WASM_RELAXED_BASE64, relaxed: true, shared: false },
    { name: 'simd, shared memory', base64: WASM_SIMD_SHARED_BASE64, relaxed: false, shared: true },
    { name: 'relaxed, shared memory', base64: WASM_RELAXED_SHARED_BASE64, relaxed: true, shared: true },
  ];
  for (const build of builds) {
    // relaxed SIMD builds compile only where the engine has relaxed SIMD
    (build.relaxed && !RELAXED ? it.skip : it)(build.name, () => {
      const module = new WebAssembly.Module(Buffer.from(build.base64, 'base64'));
      const exports = WebAssembly.Module.exports(module);
      expect(exports.filter((e) => e.kind === 'function').map((e) => e.name).sort()).toEqual(Object.keys(typed).sort());
      expect(exports.filter((e) => e.kind !== 'function')).toEqual([{ name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.imports(module)).toEqual(build.shared ? [{ module: 'env', name: 'memory', kind: 'memory' }] : []);
      const imports: WebAssembly.Imports = build.shared ? { env: { memory: new WebAssembly.Memory({ initial: 32, maximum: 16384, shared: true }) } } : {};
      const instance = new WebAssembly.Instance(module, imports);
      const arities = Object.fromEntries(Object.keys(typed).map((name) => [name, (instance.exports[name] as (...args: number[]) => number).length]));
      expect(arities).toEqual(typed);
      expect(instance.exports.memory).toBeInstanceOf(WebAssembly.Memory);
    });
  }
});
