// The CLIs' backend set-up: the kernels' second thread follows initBackend's default, or, for a batched
// command, starts (in the background) at the first batch large enough to be split; RNNKIT_THREADS decides when set.
import { disableThreads, startThreads, threadsEnabled } from '../kernels/threads';
import { logicalCpus } from '../kernels/workerHost';
import { setupCliBackend, threadsForBatch } from './backend';

describe('setupCliBackend and threadsForBatch', () => {
  const prev = process.env['RNNKIT_THREADS'];
  afterEach(() => {
    if (prev === undefined) delete process.env['RNNKIT_THREADS'];
    else process.env['RNNKIT_THREADS'] = prev;
    disableThreads();
  });

  it('starts the default at once for a command that is not batched', async () => {
    delete process.env['RNNKIT_THREADS'];
    await expect(setupCliBackend()).resolves.toBe('wasm');
    expect(threadsEnabled()).toBe(logicalCpus() >= 2);
  });

  it('defers the second thread of a batched command to its first batch of at least 8 texts', async () => {
    delete process.env['RNNKIT_THREADS'];
    await setupCliBackend(undefined, { batched: true });
    expect(threadsEnabled()).toBe(false);
    await threadsForBatch(3);
    expect(threadsEnabled()).toBe(false);
    await threadsForBatch(8); // starts the worker without waiting for it
    await startThreads(); // the start under way
    expect(threadsEnabled()).toBe(logicalCpus() >= 2);
  });

  it('lets RNNKIT_THREADS decide when it is set', async () => {
    process.env['RNNKIT_THREADS'] = '2';
    await setupCliBackend(undefined, { batched: true });
    expect(threadsEnabled()).toBe(true);
    disableThreads();
    process.env['RNNKIT_THREADS'] = '1';
    await setupCliBackend();
    await threadsForBatch(64);
    expect(threadsEnabled()).toBe(false);
  });
});
