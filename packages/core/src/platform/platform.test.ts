import { nodeModules as nodeBuild } from './node';
import { nodeModules as browserBuild } from './browser';
import { isRnnkitError } from '../errors';

describe('platform', () => {
  it('gives Node built-ins in the Node build', async () => {
    const m = await nodeBuild();
    expect(typeof m.fsp.readFile).toBe('function');
    expect(typeof m.readline.createInterface).toBe('function');
    expect(m.path.join('a', 'b')).toBe(`a${m.path.sep}b`);
  });

  it('refuses with UNSUPPORTED in the browser build', async () => {
    const err = await browserBuild().catch((e: unknown) => e);
    expect(isRnnkitError(err, 'UNSUPPORTED')).toBe(true);
  });
});
