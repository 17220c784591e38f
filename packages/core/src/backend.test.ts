import * as tf from '@tensorflow/tfjs';
import { BackendHost, NODE_BACKEND_ORDER, BROWSER_BACKEND_ORDER, initBackend, selectBackend, type InitBackendOptions } from './backend';
import { isRnnkitError } from './errors';
import { disableThreads, threadsEnabled } from './kernels/threads';
import { logicalCpus } from './kernels/workerHost';

/** A fake environment: `registered` backends exist, `packages` can be imported and register `registers`. */
function fakeHost(opts: { node?: boolean; registered: string[]; packages?: Record<string, string>; failing?: string[] }) {
  const registered = new Set(opts.registered);
  const calls: string[] = [];
  const host: BackendHost = {
    isNode: () => opts.node ?? true,
    isRegistered: (n) => registered.has(n),
    importPackage: async (p) => {
      calls.push(`import ${p}`);
      const registers = opts.packages?.[p];
      if (registers === undefined) throw new Error(`Cannot find module '${p}'`);
      registered.add(registers);
    },
    setBackend: async (n) => {
      calls.push(`set ${n}`);
      if (opts.failing?.includes(n)) {
        if (n === 'webgpu') throw new Error('no adapter');
        return false;
      }
      return true;
    },
  };
  return { host, calls };
}

/** Runs `fn`, then puts RNNKIT_THREADS back as it was and stops the kernels' second thread. */
async function withThreadsEnv(fn: () => Promise<void>): Promise<void> {
  const prev = process.env['RNNKIT_THREADS'];
  try {
    await fn();
  } finally {
    if (prev === undefined) delete process.env['RNNKIT_THREADS'];
    else process.env['RNNKIT_THREADS'] = prev;
    disableThreads();
  }
}

describe('selectBackend', () => {
  it('prefers tfjs-node when the application registered it', async () => {
    const { host } = fakeHost({ registered: ['tensorflow', 'cpu'], packages: { '@tensorflow/tfjs-backend-wasm': 'wasm' } });
    await expect(selectBackend(NODE_BACKEND_ORDER, host)).resolves.toBe('tensorflow');
  });

  it('loads the optional wasm package on demand when tfjs-node is absent', async () => {
    const { host, calls } = fakeHost({ registered: ['cpu'], packages: { '@tensorflow/tfjs-backend-wasm': 'wasm' } });
    await expect(selectBackend(NODE_BACKEND_ORDER, host)).resolves.toBe('wasm');
    expect(calls).toEqual(['import @tensorflow/tfjs-backend-wasm', 'set wasm']);
  });

  it('falls back to cpu without throwing when the wasm package is not installed', async () => {
    const { host, calls } = fakeHost({ registered: ['cpu'] });
    await expect(selectBackend(NODE_BACKEND_ORDER, host)).resolves.toBe('cpu');
    expect(calls).toEqual(['import @tensorflow/tfjs-backend-wasm', 'set cpu']);
  });

  it('falls back when a registered backend fails to initialize (returns false or throws)', async () => {
    const { host } = fakeHost({ node: false, registered: ['webgpu', 'webgl', 'wasm', 'cpu'], failing: ['webgpu', 'webgl'] });
    await expect(selectBackend(BROWSER_BACKEND_ORDER, host)).resolves.toBe('wasm');
  });

  it('uses webgpu first in browsers when it is registered', async () => {
    const { host } = fakeHost({ node: false, registered: ['webgpu', 'webgl', 'cpu'] });
    await expect(selectBackend(BROWSER_BACKEND_ORDER, host)).resolves.toBe('webgpu');
  });

  it('throws UNSUPPORTED only when no candidate initializes at all', async () => {
    const { host } = fakeHost({ registered: [] });
    const err = await selectBackend(['webgl'], host).catch((e: unknown) => e);
    expect(isRnnkitError(err, 'UNSUPPORTED')).toBe(true);
  });
});

describe('initBackend (real tfjs, Node)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('picks wasm in Node when tfjs-node is absent and the wasm package is installed', async () => {
    await expect(initBackend()).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('honours a preferred backend', async () => {
    await expect(initBackend('cpu')).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('never throws for a preferred backend that is missing, falling back to the default order', async () => {
    await expect(initBackend(['webgpu', 'tensorflow'])).resolves.toBe('wasm');
  });

  it('starts the kernels\' second thread with RNNKIT_THREADS=2 and keeps one with RNNKIT_THREADS=1', async () => {
    await withThreadsEnv(async () => {
      process.env['RNNKIT_THREADS'] = '1';
      await initBackend();
      expect(threadsEnabled()).toBe(false);
      process.env['RNNKIT_THREADS'] = '2';
      await initBackend();
      expect(threadsEnabled()).toBe(true);
    });
  });

  it('awaits the second thread when the threads option asks for it; RNNKIT_THREADS=1 still keeps one', async () => {
    await withThreadsEnv(async () => {
      await initBackend(undefined, { threads: 1 });
      expect(threadsEnabled()).toBe(false);
      process.env['RNNKIT_THREADS'] = '1';
      await initBackend(undefined, { threads: 2 });
      expect(threadsEnabled()).toBe(false);
      delete process.env['RNNKIT_THREADS'];
      await initBackend(undefined, { threads: 2 });
      expect(threadsEnabled()).toBe(true);
    });
  });

  it('starts the second thread by default where the process may use two CPUs, and stops it on an explicit threads: 1', async () => {
    await withThreadsEnv(async () => {
      delete process.env['RNNKIT_THREADS'];
      await initBackend();
      expect(threadsEnabled()).toBe(logicalCpus() >= 2);
      await initBackend({ threads: 2 });
      expect(threadsEnabled()).toBe(true);
      await initBackend({ threads: 1 });
      expect(threadsEnabled()).toBe(false);
      await initBackend({ threads: 2 });
      process.env['RNNKIT_THREADS'] = '1';
      await initBackend();
      expect(threadsEnabled()).toBe(false);
    });
  });

  it('takes the options alone as the one argument, and refuses malformed arguments with INVALID_ARGUMENT', async () => {
    await withThreadsEnv(async () => {
      delete process.env['RNNKIT_THREADS'];
      await expect(initBackend({ threads: 2 })).resolves.toBe('wasm');
      expect(threadsEnabled()).toBe(true);
    });
    for (const bad of [() => initBackend({ threads: true as unknown as number }), () => initBackend({ threads: 0 }),
      () => initBackend(undefined, { threads: 1.5 }), () => initBackend(42 as unknown as string), () => initBackend(['wasm', 3] as unknown as string[]),
      () => initBackend(undefined, null as unknown as InitBackendOptions)]) {
      await expect(bad()).rejects.toMatchObject({ name: 'RnnkitError', code: 'INVALID_ARGUMENT' });
    }
  });

  it('picks tensorflow when a backend of that name is registered (as @tensorflow/tfjs-node does)', async () => {
    const cpu = tf.findBackend('cpu') as tf.KernelBackend;
    const Ctor = cpu.constructor as new () => tf.KernelBackend;
    tf.registerBackend('tensorflow', () => new Ctor(), 0);
    try {
      await expect(initBackend()).resolves.toBe('tensorflow');
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('tensorflow');
    }
  });
});
