// Loads the embedded WebAssembly kernels: relaxed SIMD (fused multiply-add) by default when the engine
// validates a tiny relaxed-SIMD module (on Node 20, whose V8 keeps it behind a flag, the flag is turned on
// before the first kernel compiles), plain SIMD otherwise or when switched off (`setRelaxedSimd(false)`,
// `RNNKIT_RELAXED_SIMD=0`). Synchronous instantiation on first use (Node, workers);
// browsers' main threads should `await initKernels()` once first (sync compile of large modules is limited).
import {
  WASM_RELAXED_BASE64, WASM_RELAXED_SHARED_BASE64, WASM_SIMD_BASE64, WASM_SIMD_SHARED_BASE64,
} from './generated/wasmBinaries';

/** The raw exports of the kernel module (pointers are byte offsets into `memory`). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  workerTile(): number;
  setTile(p: number): void;
  gemm(transA: number, transB: number, M: number, N: number, K: number, alpha: number, A: number, lda: number,
    B: number, ldb: number, beta: number, C: number, ldc: number, scratch: number): void;
  gemmPacked(transA: number, M: number, N: number, K: number, alpha: number, A: number, lda: number, packedB: number,
    beta: number, C: number, ldc: number, scratch: number): void;
  packB(transB: number, K: number, N: number, B: number, ldb: number, dst: number): void;
  packedBBytes(K: number, N: number): number;
  gemmScratchBytes(M: number, N: number, K: number): number;
  mulRows(rows: number, cols: number, dst: number, dstStride: number, src: number, srcStride: number, mask: number,
    maskStride: number): void;
  addMulRows(rows: number, cols: number, dst: number, dstStride: number, src: number, srcStride: number, mask: number,
    maskStride: number): void;
  fillRows(rows: number, cols: number, dst: number, dstStride: number, row: number): void;
  colSum(rows: number, cols: number, src: number, srcStride: number, dst: number, accumulate: number): void;
  lstmForwardStep(B: number, U: number, gates: number, gStride: number, c: number, h: number, cSave: number,
    cStride: number, out: number, prevOut: number, oStride: number, mask: number, mStride: number, zeroOut: number): void;
  lstmBackwardStep(B: number, U: number, gates: number, dG: number, gStride: number, cNew: number, cStride: number,
    cPrev: number, cpStride: number, dOut: number, dStride: number, gH: number, gC: number, gO: number, mask: number,
    mStride: number, zeroOut: number): void;
  gruForwardStep(B: number, U: number, xg: number, xStride: number, rec: number, rStride: number, bRec: number, h: number,
    hSave: number, hStride: number, out: number, prevOut: number, oStride: number, mask: number, mStride: number,
    zeroOut: number): void;
  gruBackwardStep(B: number, U: number, xg: number, dX: number, xStride: number, rec: number, dR: number, rStride: number,
    hPrev: number, hpStride: number, dOut: number, dStride: number, gH: number, gO: number, mask: number, mStride: number,
    zeroOut: number): void;
  gruV1ForwardGates(B: number, U: number, xg: number, xStride: number, rec: number, rStride: number, hd: number,
    hdStride: number): void;
  gruV1ForwardOut(B: number, U: number, xg: number, xStride: number, h: number, hSave: number, hStride: number,
    out: number, prevOut: number, oStride: number, mask: number, mStride: number, zeroOut: number): void;
  gruV1BackwardA(B: number, U: number, xg: number, dX: number, xStride: number, hPrev: number, hpStride: number,
    dOut: number, dStride: number, gH: number, gO: number, mask: number, mStride: number, zeroOut: number): void;
  gruV1BackwardReset(B: number, U: number, xg: number, dX: number, xStride: number, hd: number, hdStride: number,
    dRhd: number, gHd: number): void;
  rnnForwardStep(B: number, U: number, pre: number, pStride: number, h: number, hSave: number, hStride: number,
    out: number, prevOut: number, oStride: number, mask: number, mStride: number, zeroOut: number): void;
  softmaxXentRows(N: number, V: number, logits: number, ld: number, labels: number, weights: number, loss: number,
    scale: number): number;
  rnnBackwardStep(B: number, U: number, act: number, dA: number, aStride: number, dOut: number, dStride: number,
    gH: number, gO: number, mask: number, mStride: number, zeroOut: number): void;
  adamUpdate(n: number, w: number, g: number, m: number, v: number, b1: number, omb1: number, b2: number, omb2: number,
    c1: number, c2: number, eps: number, negLr: number): void;
}

/** The function exports of a kernel interface (memory and other non-functions left out) and their parameter counts. */
export type ExportArities<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer P) => unknown ? P['length'] : never;
};

/**
 * {@link KernelExports} as data, for generated.test.ts to compare with the compiled modules: the compiler
 * checks this table against the interface (every function, its parameter count, nothing extra), the test
 * checks the modules against the table, so a renamed, removed or re-shaped export fails one of them.
 */
export const KERNEL_EXPORT_ARITIES = {
  heapBase: 0, workerTile: 0, setTile: 1, gemm: 14, gemmPacked: 12, packB: 6, packedBBytes: 2, gemmScratchBytes: 3,
  mulRows: 8, addMulRows: 8, fillRows: 5, colSum: 6, lstmForwardStep: 14, lstmBackwardStep: 17, gruForwardStep: 16,
  gruBackwardStep: 17, gruV1ForwardGates: 8, gruV1ForwardOut: 13, gruV1BackwardA: 14, gruV1BackwardReset: 9,
  rnnForwardStep: 13, softmaxXentRows: 8, rnnBackwardStep: 12, adamUpdate: 13,
} as const satisfies ExportArities<KernelExports>;

export type SimdFlavor = 'relaxed' | 'simd';

// (module (func (result v128) v128.const 0 v128.const 0 v128.const 0 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // func 0 has type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code: 1 body, 59 bytes, no locals
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b,
]);

/** True when this engine accepts relaxed SIMD (Node 20: `--experimental-wasm-relaxed-simd`). */
export function relaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE as BufferSource);
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array {
  const g = globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array }; atob?: (s: string) => string };
  if (g.Buffer) return new Uint8Array(g.Buffer.from(s, 'base64'));
  const bin = (g.atob as (s: string) => string)(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let loaded: { exports: KernelExports; flavor: SimdFlavor } | null = null;
let forced: SimdFlavor | null = null;
let beforeReset: (() => void) | null = null;

/** Registers what must happen before the loaded module is dropped (the thread pool stops its worker). */
export function onKernelsReset(fn: (() => void) | null): void {
  beforeReset = fn;
}

function dropLoaded(): void {
  beforeReset?.();
  loaded = null;
}

/** `setRelaxedSimd`'s choice; null = the default (on unless RNNKIT_RELAXED_SIMD is 0 / false / off). */
let relaxedChoice: boolean | null = null;

function relaxedWanted(): boolean {
  if (relaxedChoice !== null) return relaxedChoice;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.RNNKIT_RELAXED_SIMD;
  return !['0', 'false', 'off'].includes((env ?? '').trim().toLowerCase());
}

/**
 * Node only: turns on V8's relaxed SIMD where it is still behind a flag (Node 20:
 * `--experimental-wasm-relaxed-simd`; on without flags in Node 22+ and current browsers) through
 * `v8.setFlagsFromString`. False where that is not possible (browsers without relaxed SIMD, Node
 * without `process.getBuiltinModule`).
 */
function enableEngineRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
  if (!v8?.setFlagsFromString) return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return relaxedSimdSupported();
}

function pickFlavor(): SimdFlavor {
  if (forced) return forced;
  return relaxedWanted() && enableEngineRelaxedSimd() ? 'relaxed' : 'simd';
}

/**
 * Relaxed SIMD on (the default) or off for the kernels loaded from now on; the module in use is dropped
 * when its flavor no longer matches, so the next kernel call loads the other build. Both builds compute
 * the same math; relaxed SIMD fuses multiply and add (one rounding instead of two), so results differ in
 * the last bits. The environment variable `RNNKIT_RELAXED_SIMD=0` turns it off without code.
 */
export function setRelaxedSimd(on: boolean): void {
  relaxedChoice = on;
  if (loaded && !forced && loaded.flavor !== pickFlavor()) dropLoaded();
}

function bytesOf(flavor: SimdFlavor): BufferSource {
  return decodeBase64(flavor === 'relaxed' ? WASM_RELAXED_BASE64 : WASM_SIMD_BASE64) as BufferSource;
}

let compiledShared: { flavor: SimdFlavor; module: WebAssembly.Module } | null = null;

/**
 * The build of `flavor` that imports a shared memory (`env.memory`), for the thread pool. The last one
 * compiled is kept: turning threads off and on again then reuses its compiled (and tiered-up) code.
 */
export function sharedModule(flavor: SimdFlavor): WebAssembly.Module {
  if (compiledShared?.flavor !== flavor) {
    const bytes = decodeBase64(flavor === 'relaxed' ? WASM_RELAXED_SHARED_BASE64 : WASM_SIMD_SHARED_BASE64);
    compiledShared = { flavor, module: new WebAssembly.Module(bytes as BufferSource) };
  }
  return compiledShared.module;
}

/** Makes `exports` the shared kernel module (used by the thread pool); null restores lazy loading. */
export function installKernels(exports: KernelExports | null, flavor: SimdFlavor): void {
  loaded = exports ? { exports, flavor } : null;
}

/** The flavor the next load would pick (forced, else detected). */
export function preferredFlavor(): SimdFlavor {
  return pickFlavor();
}

let compiled: { flavor: SimdFlavor; module: WebAssembly.Module } | null = null;

/** The compiled (not instantiated) kernel module of a flavor; the last one compiled is kept. */
export function kernelModule(flavor: SimdFlavor): WebAssembly.Module {
  if (compiled?.flavor !== flavor) compiled = { flavor, module: new WebAssembly.Module(bytesOf(flavor)) };
  return compiled.module;
}

/** Instantiates a fresh, independent kernel module of the given flavor (benchmarks and tests). */
export function instantiateKernels(flavor: SimdFlavor): KernelExports {
  return new WebAssembly.Instance(kernelModule(flavor), {}).exports as unknown as KernelExports;
}

/** The shared kernel module, instantiated synchronously on first use. */
export function kernels(): KernelExports {
  if (!loaded) {
    const flavor = pickFlavor();
    loaded = { exports: instantiateKernels(flavor), flavor };
  }
  return loaded.exports;
}

/** Compiles and instantiates the kernels asynchronously (call once in browsers before training). */
export async function initKernels(): Promise<SimdFlavor> {
  if (!loaded) {
    const flavor = pickFlavor();
    const { instance } = await WebAssembly.instantiate(bytesOf(flavor), {});
    if (!loaded) loaded = { exports: instance.exports as unknown as KernelExports, flavor };
  }
  return loaded.flavor;
}

/** Which build is in use ('relaxed' = fused multiply-add), loading it if needed. */
export function kernelFlavor(): SimdFlavor {
  kernels();
  return (loaded as { flavor: SimdFlavor }).flavor;
}

/**
 * Turns relaxed SIMD on now (`setRelaxedSimd(true)` plus, on Node 20, the V8 flag) and returns whether
 * the engine has it. Relaxed SIMD is the default, so this is only needed after `setRelaxedSimd(false)` or
 * to learn early whether the fused multiply-add build will be used.
 */
export function tryEnableRelaxedSimd(): boolean {
  if (!enableEngineRelaxedSimd()) return false;
  setRelaxedSimd(true);
  return true;
}

/** Forces a flavor for the next load and drops the current module (tests, benchmarks). */
export function resetKernels(flavor: SimdFlavor | null = null): void {
  forced = flavor;
  dropLoaded();
}
