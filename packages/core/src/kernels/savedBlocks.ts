// Activations a forward pass saves for its backward pass, kept where the forward computed them in the
// kernel module's WebAssembly memory (kept regions of its Workspace) instead of copied out and back in:
// the backward pass reads them in place and frees them. A forward whose backward never runs (a gradient
// tfjs does not need, a tape dropped) frees them when its `saved` object is garbage collected; above a cap
// on what is kept at once the forward copies out as before, so memory stays bounded either way.
import { RnnkitError } from '../errors';
import type { Workspace } from './workspace';

/** Bytes kept at once (all forward passes of a kernel module) above which a forward copies instead. */
let capBytes = 256 * 1024 * 1024;

/** Sets the cap on bytes of saved activations kept in WebAssembly memory; returns the previous cap (tests). */
export function setSavedInMemoryCap(bytes: number): number {
  const prev = capBytes;
  capBytes = Math.max(0, bytes);
  return prev;
}

/** A saved buffer in the workspace: pointer and length in floats. */
export type SavedBlock = readonly [ptr: number, n: number];

/** The blocks of one forward pass, live until `release`. */
export class KeptActivations<K extends string = string> {
  private live = true;

  constructor(readonly ws: Workspace, private readonly blocks: Record<K, SavedBlock>) {}

  /** Where block `name` is; throws once released (a second backward pass over the same forward). */
  ptr(name: K): number {
    if (!this.live) {
      throw new RnnkitError('INVALID_STATE',
        'Expected saved activations not yet used by a backward pass. Received: a second backward pass over one forward pass');
    }
    return this.blocks[name][0];
  }

  /** Copies of the blocks (to move them to another kernel module's memory). */
  read(): Record<K, Float32Array> {
    const out = {} as Record<K, Float32Array>;
    for (const name of Object.keys(this.blocks) as K[]) out[name] = this.ws.read(this.ptr(name), this.blocks[name][1]);
    return out;
  }

  get released(): boolean {
    return !this.live;
  }

  release(): void {
    if (!this.live) return;
    this.live = false;
    registry.unregister(this);
    for (const [p] of Object.values<SavedBlock>(this.blocks)) this.ws.unkeep(p);
  }

  /** Frees the blocks when `owner` (the saved object that holds this) is garbage collected. */
  watch(owner: object): void {
    registry.register(owner, this, this);
  }
}

const registry = new FinalizationRegistry<KeptActivations>((kept) => kept.release());

const EMPTY = new Float32Array(0);

/** What a forward pass hands its backward pass: copies, or empty arrays and the kept blocks. */
export interface SavedActivations<K extends string> {
  arrays: Record<K, Float32Array>;
  kept?: KeptActivations<K>;
}

/**
 * The forward pass's saved buffers `blocks` (in `ws`, allocated in this call): nothing when forward-only,
 * kept in place when `inMemory` and under the cap, else copied out.
 */
export function saveActivations<K extends string>(ws: Workspace, forwardOnly: boolean | undefined, inMemory: boolean | undefined,
  blocks: Record<K, SavedBlock>): SavedActivations<K> {
  const names = Object.keys(blocks) as K[];
  const arrays = {} as Record<K, Float32Array>;
  if (forwardOnly) {
    for (const name of names) arrays[name] = EMPTY;
    return { arrays };
  }
  const bytes = names.reduce((s, name) => s + blocks[name][1] * 4, 0);
  if (inMemory && ws.keptBytes + bytes <= capBytes) {
    for (const name of names) {
      ws.keep(blocks[name][0], blocks[name][1] * 4);
      arrays[name] = EMPTY;
    }
    return { arrays, kept: new KeptActivations(ws, blocks) };
  }
  for (const name of names) arrays[name] = ws.read(blocks[name][0], blocks[name][1]);
  return { arrays };
}
