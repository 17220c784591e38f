// Relaxed SIMD is the default build of the kernels wherever the engine has it (on Node 20 through the V8
// flag, set on first kernel load), with plain SIMD kept as the fallback and the opt-out: setRelaxedSimd(false)
// and RNNKIT_RELAXED_SIMD=0, checked in fresh processes so no earlier test has turned anything on.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { kernelFlavor, resetKernels, setRelaxedSimd } from './wasm';
import { enableRelaxedSimdForTests } from './testing/relaxed';
import { SOURCE_CONDITION, TSX } from '../../test/util/cliProcess';

const ENGINE_HAS_RELAXED = enableRelaxedSimdForTests(); // V8 (Node 20+) has it behind a flag
const SCRIPT = `import { kernelFlavor, relaxedSimdSupported, setRelaxedSimd } from ${JSON.stringify(resolve(__dirname, 'wasm.ts'))};
const before = relaxedSimdSupported();
const first = kernelFlavor();
setRelaxedSimd(false);
const off = kernelFlavor();
setRelaxedSimd(true);
console.log(JSON.stringify({ before, first, off, on: kernelFlavor() }));`;

function fresh(env: Record<string, string>): { before: boolean; first: string; off: string; on: string } {
  const r = spawnSync(TSX, [SOURCE_CONDITION, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

describe('relaxed SIMD by default', () => {
  afterEach(() => {
    setRelaxedSimd(true);
    resetKernels();
  });

  it('a fresh Node process loads the relaxed build without any flag or call', () => {
    const r = fresh({ RNNKIT_RELAXED_SIMD: '' });
    expect(r.before).toBe(false); // Node 20: behind a flag until the kernels load
    expect(r.first).toBe(ENGINE_HAS_RELAXED ? 'relaxed' : 'simd');
    expect(r.off).toBe('simd');
    expect(r.on).toBe(r.first);
  });

  it('RNNKIT_RELAXED_SIMD=0 keeps the plain SIMD build (and the engine flag off)', () => {
    const r = fresh({ RNNKIT_RELAXED_SIMD: '0' });
    expect(r.first).toBe('simd');
    expect(r.off).toBe('simd');
    expect(r.on).toBe(ENGINE_HAS_RELAXED ? 'relaxed' : 'simd'); // an explicit call still wins
  });

  it('setRelaxedSimd switches the loaded build both ways', () => {
    resetKernels();
    expect(kernelFlavor()).toBe(ENGINE_HAS_RELAXED ? 'relaxed' : 'simd');
    setRelaxedSimd(false);
    expect(kernelFlavor()).toBe('simd');
    setRelaxedSimd(true);
    expect(kernelFlavor()).toBe(ENGINE_HAS_RELAXED ? 'relaxed' : 'simd');
  });
});
