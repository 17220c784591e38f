// Batches from a stream of lines for the CLIs: as many lines as are already available, up to a
// maximum, so that a file is processed in full batches while an interactive stdin gets each answer as
// soon as its line arrives.

/** Resolves on the next macrotask: everything already buffered has been delivered by then. */
function nextMacrotask(): Promise<undefined> {
  return new Promise((resolve) => setImmediate(() => resolve(undefined)));
}

/**
 * Groups `items` into arrays of at most `maxBatch`. A batch is also closed whenever the next item is
 * not ready yet (the source is waiting for input), so `(echo a; sleep 3; echo b) | cli` prints a's
 * result before b arrives. Memory holds one batch at most.
 */
export async function* streamBatches<T>(items: AsyncIterable<T>, maxBatch: number): AsyncGenerator<T[], void, undefined> {
  const it = items[Symbol.asyncIterator]();
  const pull = () => {
    const p = it.next();
    p.catch(() => undefined); // rethrown where awaited; never an unhandled rejection if we stop early
    return p;
  };
  let batch: T[] = [];
  let next = pull();
  try {
    for (;;) {
      let r = batch.length > 0 ? await Promise.race([next, nextMacrotask()]) : await next;
      if (r === undefined) {
        yield batch; // the source is waiting: hand out what we have
        batch = [];
        r = await next;
      }
      if (r.done) break;
      batch.push(r.value);
      next = pull();
      if (batch.length >= maxBatch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await it.return?.();
  }
}
