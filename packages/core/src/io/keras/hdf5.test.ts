// The contiguous-float fast path of openHdf5 gives exactly what jsfive's own (slow) reader gives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsfive from 'jsfive';
import { openHdf5 } from './hdf5';

const DIR = path.join(__dirname, '../../../test/fixtures/keras/native');

function datasets(file: jsfive.Group, at: string, out: string[]): string[] {
  for (const key of (at ? (file.get(at) as jsfive.Group) : file).keys) {
    const p = at ? `${at}/${key}` : key;
    if (file.get(p) instanceof jsfive.Dataset) out.push(p);
    else datasets(file, p, out);
  }
  return out;
}

describe('openHdf5', () => {
  it.each(['k2_cudnn.h5', 'k3_legacy.h5', 'k2_nested_bidi.h5'])('%s: every dataset equals jsfive\'s own decoding', (name) => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(DIR, name)));
    const h5 = openHdf5(bytes, name);
    const reference = new jsfive.File(bytes.slice().buffer, name);
    const paths = datasets(reference, '', []);
    expect(paths.length).toBeGreaterThan(3);
    for (const p of paths) {
      const ours = h5.read(p);
      const theirs = (reference.get(p) as jsfive.Dataset).value as ArrayLike<number>;
      expect(Array.from(ours.values)).toEqual(Array.from(theirs, (v) => Math.fround(v)));
    }
  });

  it('refuses bytes that are not HDF5', () => {
    expect(() => openHdf5(new Uint8Array(16), 'x')).toThrow(/HDF5/);
  });
});
