// The committed, generated wasm module must match the AssemblyScript sources (same hash as
// scripts/build-wasm.mjs computes); `node scripts/build-wasm.mjs` regenerates it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_HASH, WASM_RELAXED_BASE64, WASM_SIMD_BASE64 } from './generated/wasmBinaries';

const root = join(__dirname, '..', '..');

it('generated wasm is up to date with assembly/ (run node scripts/build-wasm.mjs)', () => {
  const script = readFileSync(join(root, 'scripts', 'build-wasm.mjs'), 'utf8');
  const flags = /const BASE_FLAGS = (\[[^\]]*\]);/.exec(script)?.[1];
  expect(flags).toBeDefined();
  const h = createHash('sha256');
  h.update((JSON.parse((flags as string).replace(/'/g, '"')) as string[]).join(' ') + '\n');
  // VARIANTS, evaluated as the script does (SHARED spread in)
  const shared = /const SHARED = (\[[^\]]*\]);/.exec(script)?.[1] as string;
  const variantsSrc = /const VARIANTS = (\{[^\n]*\});/.exec(script)?.[1] as string;
  const variants = new Function('SHARED', `return (${variantsSrc});`)(JSON.parse(shared.replace(/'/g, '"'))) as unknown;
  h.update(JSON.stringify(variants) + '\n');
  const dir = join(root, 'assembly');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    h.update(name + '\n');
    h.update(readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n'));
    h.update('\n');
  }
  expect(h.digest('hex').slice(0, 32)).toBe(SOURCE_HASH);
});

it('both embedded builds are valid WebAssembly SIMD modules', () => {
  expect(WebAssembly.validate(Buffer.from(WASM_SIMD_BASE64, 'base64'))).toBe(true);
  expect(Buffer.from(WASM_RELAXED_BASE64, 'base64').length).toBeGreaterThan(1000);
});
