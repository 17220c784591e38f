// One growable WebAssembly.Memory per kernel module, used as a bump arena: `reset()` at the start of
// each kernel call, `alloc()` for every buffer, then views. Memory grows to the largest call's need and
// never again, so repeated calls of the same sizes keep it flat.
import type { KernelExports } from './wasm';

const ALIGN = 64;

export class Workspace {
  protected top: number;
  protected readonly base: number;

  constructor(readonly k: KernelExports) {
    this.base = k.heapBase();
    this.top = this.base;
  }

  /** Frees everything allocated since construction. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` (64-byte aligned), growing the memory if needed; returns the byte offset. */
  allocBytes(bytes: number): number {
    const p = this.top;
    this.top = Math.ceil((p + Math.max(bytes, 0)) / ALIGN) * ALIGN;
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) this.k.memory.grow(Math.ceil(need / 65536));
    return p;
  }

  /** Reserves room for `n` float32 values. */
  alloc(n: number): number {
    return this.allocBytes(n * 4);
  }

  /** Reserves room for `src` and copies it in. Take views only after all allocations of a call. */
  put(src: Float32Array): number {
    const p = this.alloc(src.length);
    this.f32(p, src.length).set(src);
    return p;
  }

  /** Reserves room for int32 `src` and copies it in. */
  putI32(src: Int32Array): number {
    const p = this.allocBytes(src.length * 4);
    new Int32Array(this.k.memory.buffer, p, src.length).set(src);
    return p;
  }

  /** A Float32Array view (invalidated by the next growth). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, n);
  }

  /** A copy of `n` floats at `ptr`. */
  read(ptr: number, n: number): Float32Array {
    return this.f32(ptr, n).slice();
  }

  zero(ptr: number, n: number): void {
    this.f32(ptr, n).fill(0);
  }

  /** Bytes of linear memory currently reserved by the engine. */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }
}
