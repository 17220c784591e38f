// Backend setup inside the worker, in @rnnkit/core's browser order (WebGPU, WebGL, WebAssembly, CPU),
// with one refinement: a GPU backend counts only on a real GPU. Software rendering (SwiftShader,
// llvmpipe; e.g. Chromium with --disable-gpu) ran this translator 10-30x slower than WebAssembly with
// the fused kernels, so there WebAssembly goes first. The tfjs WebAssembly binaries are bundled assets
// of this site: nothing is fetched from another origin. Where the site is served cross-origin isolated,
// the fused kernels run on two threads (core's startThreads(): a nested Web Worker on shared memory).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BROWSER_BACKEND_ORDER, fusedKernelsAvailable, initBackend, initKernels, setKernelMode, startThreads } from '@rnnkit/core';
import type { BackendInfo } from './protocol';

const absolute = (url: string): string => new URL(url, self.location.href).href;

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer's name, or null without WebGL (an OffscreenCanvas: this runs in a worker). */
export function webglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; description?: string; architecture?: string };
}

/** True when WebGPU has a hardware adapter (a fallback/software adapter does not count). */
async function hardwareWebGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return false;
    return !(adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter || SOFTWARE_RENDERER.test(adapter.info?.description ?? ''));
  } catch {
    return false;
  }
}

/**
 * Registers the optional backends and activates the first that initializes: `preferred` (from the
 * page's `?backend=`) first. The fused kernels get their second thread where the context is cross-origin
 * isolated, unless `threads` (the page's `?threads=`) is 1; otherwise they are compiled asynchronously
 * (browsers refuse large synchronous compiles) for one thread, and switched off when WebAssembly SIMD is
 * missing, so CPU still works there.
 */
export async function setupBackend(preferred: string | null, threads: number | null = null): Promise<BackendInfo> {
  const notes: string[] = [];
  setWasmPaths({
    'tfjs-backend-wasm.wasm': absolute(wasmPlain),
    'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
    'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreaded),
  });
  // tfjs-wasm's own multi-threaded build starts its pthread workers from a script it expects to reload by
  // URL, which a bundled worker is not: under cross-origin isolation every one of them failed
  // ("e is not defined") and the backend never finished initializing. Its single-threaded SIMD build is
  // what non-isolated pages get anyway; the fused kernels bring their own second thread.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const forced = preferred !== null && BROWSER_BACKEND_ORDER.includes(preferred as never) ? preferred : null;
  let webgpu = false;
  if (forced === 'webgpu' || (forced === null && (await hardwareWebGpu()))) {
    try {
      await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu'; a separate chunk, fetched only here
      webgpu = true;
    } catch {
      notes.push('WebGPU backend unavailable');
    }
  }
  let order: string[] | undefined = forced ? [forced] : undefined;
  if (!forced) {
    const renderer = webglRenderer();
    const software = renderer?.match(SOFTWARE_RENDERER)?.[0];
    if (software) {
      order = [...(webgpu ? ['webgpu'] : []), 'wasm', 'webgl', 'cpu'];
      notes.push(`software WebGL (${software}) ranked after WebAssembly`);
    }
  }
  // ?threads=1 must reach initBackend too: it starts the second thread by default where the page is isolated
  const backend = await initBackend(order, threads === 1 ? { threads: 1 } : {});
  let kernelFlavor: string | null = null;
  let twoThreads = false;
  if (fusedKernelsAvailable(backend)) {
    // resolves false (one thread, nothing thrown) without cross-origin isolation or where blob: workers are refused
    twoThreads = threads !== 1 && await startThreads();
    try {
      kernelFlavor = await initKernels();
    } catch {
      setKernelMode('composite'); // no WebAssembly SIMD: per-step tfjs ops instead
      notes.push('no WebAssembly SIMD: fused kernels off');
    }
  }
  tf.enableProdMode();
  return { backend, fusedKernels: kernelFlavor !== null, kernelFlavor, threads: twoThreads && kernelFlavor !== null ? 2 : 1, notes };
}
