// The CLIs' backend set-up: the kernels' second thread follows initBackend's default, except for texts given
// as arguments (too small a batch to split), where RNNKIT_THREADS still decides when set.
import { disableThreads, threadsEnabled } from '../kernels/threads';
import { logicalCpus } from '../kernels/workerHost';
import { setupCliBackend } from './backend';

describe('setupCliBackend', () => {
  const prev = process.env['RNNKIT_THREADS'];
  afterEach(() => {
    if (prev === undefined) delete process.env['RNNKIT_THREADS'];
    else process.env['RNNKIT_THREADS'] = prev;
    disableThreads();
  });

  it('keeps one thread for texts given as arguments and starts the default otherwise', async () => {
    delete process.env['RNNKIT_THREADS'];
    await expect(setupCliBackend(undefined, { fewTexts: true })).resolves.toBe('wasm');
    expect(threadsEnabled()).toBe(false);
    await setupCliBackend();
    expect(threadsEnabled()).toBe(logicalCpus() >= 2);
  });

  it('lets RNNKIT_THREADS decide when it is set, whatever the input', async () => {
    process.env['RNNKIT_THREADS'] = '2';
    await setupCliBackend(undefined, { fewTexts: true });
    expect(threadsEnabled()).toBe(true);
    process.env['RNNKIT_THREADS'] = '1';
    await setupCliBackend();
    expect(threadsEnabled()).toBe(false);
  });
});
