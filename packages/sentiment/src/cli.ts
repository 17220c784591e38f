// Entry point of the rnnkit-sentiment command (package.json "bin"). See src/cli/args.ts for usage.
import { main } from './cli/main';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0); // output closed early (e.g. `| head`): not an error
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rnnkit-sentiment: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
