// Entry point of the rnnkit-sentiment command (package.json "bin"). See src/cli/args.ts for usage.
import { runCli } from '@rnnkit/core/cli';
import { main } from './cli/main';

void runCli('rnnkit-sentiment', () => main(process.argv.slice(2)));
