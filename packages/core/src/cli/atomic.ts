// The CLIs' atomic checkpoint folders: core's one folder writer (src/io/atomicFolder.ts), re-exported
// by name from @rnnkit/core so a CLI sees one RnnkitError class.
export { writeFolderAtomic } from '@rnnkit/core';
