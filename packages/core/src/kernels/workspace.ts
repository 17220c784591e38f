// One growable WebAssembly.Memory per kernel module, used as a bump arena: `reset()` at the start of
// each kernel call, `alloc()` for every buffer, then views. Memory grows to the largest call's need and
// never again, so repeated calls of the same sizes keep it flat. Regions a call `keep`s (a forward pass's
// saved activations, see savedBlocks.ts) survive resets: later calls allocate around them until released.
import { RnnkitError } from '../errors';
import type { KernelExports } from './wasm';

const ALIGN = 64;

/** A kept region [start, end) of the memory (bytes, 64-byte aligned). */
interface KeptRegion {
  start: number;
  end: number;
}

export class Workspace {
  protected top: number;
  protected readonly base: number;
  /** Kept regions, sorted by start; the bump allocation skips them. */
  private readonly kept: KeptRegion[] = [];
  private keptTotal = 0;

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
    const size = Math.ceil(Math.max(bytes, 0) / ALIGN) * ALIGN;
    const before = this.top;
    let p = this.top;
    // past every kept region the block would overlap (sorted by start, so one pass suffices)
    for (const r of this.kept) if (p < r.end && p + size > r.start) p = r.end;
    this.top = p + size;
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.k.memory.grow(Math.ceil(need / 65536));
      } catch (err) {
        this.top = before; // nothing allocated: the workspace stays usable for smaller calls
        throw new RnnkitError('OUT_OF_MEMORY', `Expected the kernels' WebAssembly memory to grow to ${Math.ceil((p + size) / 2 ** 20)} MiB (at most 4096). ` +
          `Received: ${(err as Error).message}; use a smaller batch or shorter sequences`, { cause: err });
      }
    }
    return p;
  }

  /**
   * Keeps [ptr, ptr + bytes), allocated in the current call, across resets until `unkeep(ptr)`. The
   * caller keeps the pointer; later growth of the memory leaves it valid.
   */
  keep(ptr: number, bytes: number): void {
    const r = { start: ptr, end: ptr + Math.ceil(Math.max(bytes, 0) / ALIGN) * ALIGN };
    let i = this.kept.length;
    while (i > 0 && (this.kept[i - 1] as KeptRegion).start > ptr) i--;
    this.kept.splice(i, 0, r);
    this.keptTotal += r.end - r.start;
  }

  /** Frees a region kept with `keep` (a no-op for one not kept). */
  unkeep(ptr: number): void {
    const i = this.kept.findIndex((r) => r.start === ptr);
    if (i < 0) return;
    const r = this.kept[i] as KeptRegion;
    this.keptTotal -= r.end - r.start;
    this.kept.splice(i, 1);
  }

  /** Bytes currently kept across resets. */
  get keptBytes(): number {
    return this.keptTotal;
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
