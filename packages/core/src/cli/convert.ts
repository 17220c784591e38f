#!/usr/bin/env node
// Entry point of the rnnkit-convert command (package.json "bin" -> dist/convert.cjs). Node only; not
// part of the package's main entry. See src/cli/convert/args.ts for usage.
import { main } from './convert/main';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rnnkit-convert: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
