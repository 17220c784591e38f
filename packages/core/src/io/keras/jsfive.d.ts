// Types for the parts of jsfive (https://github.com/usnistgov/jsfive, public domain, no typings of its
// own) that src/io/keras/hdf5.ts uses.
declare module 'jsfive' {
  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset | null;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    readonly dtype: unknown;
    readonly value: ArrayLike<number | bigint>;
    readonly attrs: Record<string, unknown>;
  }
}
