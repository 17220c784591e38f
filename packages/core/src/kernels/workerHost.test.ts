// The browser path of the second thread, in Node: a fake `Worker` runs the Blob URL's source in a
// worker_threads worker with a `self` that receives one message, as a Web Worker would. Checks the async
// start (startThreads), bit-identical results with a blocking and with a spinning join (a page's main
// thread may not Atomics.wait), and the silent fallbacks to one thread: no isolation, a refused worker,
// a worker that fails to load or to instantiate the kernels, a start time-out, RNNKIT_THREADS=1.
import { Blob } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';
import { disableThreads, enableThreadsOn, startThreads, startThreadsOn, threadsEnabled, workerJobs } from './threads';
import { lstmBackward, lstmForward } from './lstm';
import { instantiateKernels, kernelFlavor, kernels } from './wasm';
import { browserWorkerHost, nodeWorkerHost, type BrowserGlobals, type WorkerHost } from './workerHost';

function randArray(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

// What a dedicated worker's global scope gives the Blob source: `self` and one `onmessage` call per message.
const SELF_SHIM = "const { parentPort } = require('node:worker_threads'); globalThis.self = globalThis; parentPort.on('message', (data) => self.onmessage && self.onmessage({ data }));\n";

const blobs = new Map<string, Blob>();
const live = new Set<NodeWorker>();

/** A Web Worker on worker_threads; `mode` makes it fail to load or never start. */
function fakeWorkerClass(mode: 'ok' | 'load-error' | 'hang' = 'ok') {
  return class FakeWebWorker {
    onerror: ((e: { preventDefault?(): void }) => void) | null = null;
    onmessageerror: (() => void) | null = null;
    private queue: unknown[] = [];
    private w: NodeWorker | null = null;
    private dead = false;

    constructor(url: string) {
      const blob = blobs.get(url);
      if (!blob) throw new Error(`Expected a Blob URL. Received: ${url}`);
      void blob.text().then((src) => {
        if (this.dead) return;
        const body = mode === 'load-error' ? 'throw new Error("refused");' : mode === 'hang' ? 'self.onmessage = null;' : src;
        const w = new NodeWorker(SELF_SHIM + body, { eval: true });
        live.add(w);
        w.on('error', () => this.onerror?.({ preventDefault: () => undefined }));
        for (const m of this.queue) w.postMessage(m);
        this.w = w;
      });
    }

    postMessage(data: unknown): void {
      if (this.w) this.w.postMessage(data);
      else this.queue.push(data);
    }

    terminate(): void {
      this.dead = true;
      if (this.w) {
        live.delete(this.w);
        void this.w.terminate();
      }
    }
  };
}

function browser(overrides: Partial<BrowserGlobals> = {}): BrowserGlobals {
  return {
    crossOriginIsolated: true,
    Worker: fakeWorkerClass(),
    Blob: Blob as unknown as BrowserGlobals['Blob'],
    URL: {
      createObjectURL: (b: unknown) => {
        const url = `blob:fake/${blobs.size + 1}`;
        blobs.set(url, b as Blob);
        return url;
      },
      revokeObjectURL: (url: string) => void blobs.delete(url),
    },
    ...overrides,
  };
}

const host = (g: BrowserGlobals): WorkerHost => browserWorkerHost(g) as WorkerHost;

/** An LSTM forward + BPTT at batch 16 (split across the threads) on the current kernels or `k`. */
function lstmRun(k?: ReturnType<typeof instantiateKernels>) {
  const d = { batch: 16, time: 12, inputDim: 48, units: 40 };
  const x = randArray(16 * 12 * 48, 4);
  const w = { kernel: randArray(48 * 160, 5), recurrentKernel: randArray(40 * 160, 6), bias: randArray(160, 7) };
  const f = lstmForward(x, w, d, {}, k);
  const g = lstmBackward(f.saved, { dOutputs: f.outputs, dH: f.h }, k);
  return [f.outputs, g.dx, g.dKernel, g.dRecurrentKernel, g.dBias].map((a) => Array.from(a));
}

describe('the second thread through a Web Worker (browser path, imitated on worker_threads)', () => {
  let consoleCalls = 0;
  const spies: jest.SpyInstance[] = [];
  let single: ReturnType<typeof instantiateKernels>;

  beforeAll(() => {
    disableThreads();
    single = instantiateKernels(kernelFlavor());
    for (const m of ['error', 'warn', 'log'] as const) spies.push(jest.spyOn(console, m).mockImplementation(() => void consoleCalls++));
  });
  afterEach(() => disableThreads());
  afterAll(async () => {
    for (const s of spies) s.mockRestore();
    await Promise.all([...live].map((w) => w.terminate()));
  });

  it('is available only in a cross-origin isolated context with Worker, Blob and URL.createObjectURL', () => {
    expect(browserWorkerHost(browser())).not.toBeNull();
    expect(browserWorkerHost(browser({ crossOriginIsolated: false }))).toBeNull();
    expect(browserWorkerHost(browser({ crossOriginIsolated: undefined }))).toBeNull();
    expect(browserWorkerHost(browser({ Worker: undefined }))).toBeNull();
    expect(browserWorkerHost(browser({ URL: {} }))).toBeNull();
    expect(host(browser()).startsWhileBlocked).toBe(false);
  });

  it('starts asynchronously and gives bit-identical results on the shared memory', async () => {
    const expected = lstmRun(single);
    const start = startThreadsOn(host(browser()));
    expect(startThreadsOn(host(browser()))).toBe(start); // one start at a time
    await expect(start).resolves.toBe(true);
    expect(threadsEnabled()).toBe(true);
    expect(kernels().memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = workerJobs();
    expect(lstmRun()).toEqual(expected);
    expect(workerJobs()).toBeGreaterThan(before);
    expect(consoleCalls).toBe(0);
  });

  it('joins by spinning where this thread may not block (a page\'s main thread), with the same results', async () => {
    const expected = lstmRun(single);
    await expect(startThreadsOn({ ...host(browser()), canBlock: () => false })).resolves.toBe(true);
    const before = workerJobs();
    for (let i = 0; i < 3; i++) expect(lstmRun()).toEqual(expected);
    expect(workerJobs()).toBeGreaterThan(before);
  });

  it('stays on one thread, silently, when the worker is refused, fails to load or never starts', async () => {
    const refused = browser({
      Worker: class {
        constructor() {
          throw new Error('SecurityError: blob: workers refused by the Content-Security-Policy');
        }
      } as unknown as BrowserGlobals['Worker'],
    });
    await expect(startThreadsOn(host(refused))).resolves.toBe(false);
    expect(threadsEnabled()).toBe(false);
    const t0 = Date.now();
    await expect(startThreadsOn(host(browser({ Worker: fakeWorkerClass('load-error') })))).resolves.toBe(false);
    expect(Date.now() - t0).toBeLessThan(5000); // the error event ends the wait, not the time-out
    expect(threadsEnabled()).toBe(false);
    await expect(startThreadsOn(host(browser({ Worker: fakeWorkerClass('hang') })), 200)).resolves.toBe(false);
    expect(threadsEnabled()).toBe(false);
    await expect(startThreadsOn(null)).resolves.toBe(false);
    // a worker whose instance cannot link (a module that imports a function it is not given) says so at once
    const inner = host(browser());
    const unlinkable = new WebAssembly.Module(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 0x65, 0x6e, 0x76, 1, 0x66, 0, 0]));
    const t1 = Date.now();
    await expect(startThreadsOn({ ...inner, spawn: (loop, data, onError) => inner.spawn(loop, { ...data, module: unlinkable }, onError) })).resolves.toBe(false);
    expect(Date.now() - t1).toBeLessThan(5000); // not the 10 s time-out
    // the same in Node's synchronous start, where no error event can arrive while the calling thread blocks
    const node = nodeWorkerHost() as WorkerHost;
    const t2 = Date.now();
    expect(enableThreadsOn({ ...node, spawn: (loop, data, onError) => node.spawn(loop, { ...data, module: unlinkable }, onError) })).toBe(false);
    expect(Date.now() - t2).toBeLessThan(5000);
    expect(threadsEnabled()).toBe(false);
    expect(blobs.size).toBe(0); // every Blob URL was revoked
    expect(lstmRun()).toEqual(lstmRun(single));
    expect(consoleCalls).toBe(0);
  });

  it('keeps one thread with RNNKIT_THREADS=1; startThreads in Node starts worker_threads', async () => {
    const prev = process.env['RNNKIT_THREADS'];
    try {
      process.env['RNNKIT_THREADS'] = '1';
      await expect(startThreadsOn(host(browser()))).resolves.toBe(false);
      await expect(startThreads()).resolves.toBe(false);
      expect(threadsEnabled()).toBe(false);
    } finally {
      if (prev === undefined) delete process.env['RNNKIT_THREADS'];
      else process.env['RNNKIT_THREADS'] = prev;
    }
    await expect(startThreads()).resolves.toBe(true);
    expect(threadsEnabled()).toBe(true);
  });
});
