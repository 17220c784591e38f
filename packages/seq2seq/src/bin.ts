// The `rnnkit-translate` executable (dist/cli.js): loads the CommonJS build of the CLI (dist/cli.cjs), so
// TensorFlow.js and its dependencies load through require(); importing them from ES modules makes Node lex
// ~2 MB of CommonJS source for named exports (~0.1 s of a one-sentence run), as in @rnnkit/sentiment.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./cli.cjs');
