// Reading tensor values on the CPU backends for the kernels, without the copy `dataSync` makes on `wasm`.
import * as tf from '@tensorflow/tfjs';

/** What this file uses of tfjs-wasm's BackendWasm (public methods of its class). */
interface WasmBackendLike {
  typedArrayFromHeap(t: { shape: number[]; dtype: tf.DataType; dataId: object }): ArrayLike<number>;
}

/** The active backend, when `t`'s data lives there (a tensor made before `tf.setBackend` lives elsewhere). */
function owningBackend(t: tf.Tensor): unknown {
  const b = tf.backend() as unknown as { dataIdMap?: { has(id: object): boolean }; data?: { has(id: object): boolean } };
  const store = b.dataIdMap ?? b.data;
  return typeof store?.has === 'function' && store.has(t.dataId) ? b : null;
}

/** float32 values of `t` (`dataSync`, which copies on `wasm`; converted when not float32). */
export function f32Data(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/**
 * float32 values of `t` to read at once and never keep: on `wasm` a view of the backend's heap (no copy;
 * invalid after the next tfjs operation, which may grow the heap), on `cpu` the backend's own array (must
 * not be written), elsewhere `dataSync()`.
 */
export function f32View(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const b = owningBackend(t) as Partial<WasmBackendLike> | null;
    if (typeof b?.typedArrayFromHeap === 'function') {
      const v = b.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
      if (v instanceof Float32Array && v.length === t.size) return v;
    }
  }
  return f32Data(t);
}

/** int32 ids of `t` to read at once and never keep (a heap view on `wasm`, as `f32View`). */
export function i32View(t: tf.Tensor): ArrayLike<number> {
  if (t.dtype === 'int32' && tf.getBackend() === 'wasm') {
    const b = owningBackend(t) as Partial<WasmBackendLike> | null;
    if (typeof b?.typedArrayFromHeap === 'function') {
      const v = b.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
      if (v instanceof Int32Array && v.length === t.size) return v;
    }
  }
  return t.dataSync() as ArrayLike<number>;
}
