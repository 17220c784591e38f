// Test-only: turns on relaxed SIMD in this V8 (Node 20 needs the flag) so both kernel builds get tested.
import * as v8 from 'node:v8';
import { relaxedSimdSupported } from '../wasm';

/** Sets --experimental-wasm-relaxed-simd when needed; true when relaxed SIMD is then available. */
export function enableRelaxedSimdForTests(): boolean {
  if (!relaxedSimdSupported()) {
    try {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // not V8
    }
  }
  return relaxedSimdSupported();
}
