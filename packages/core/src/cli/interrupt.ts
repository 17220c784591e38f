// Ctrl-C and SIGTERM during training: the first asks the loop to stop after the current step and save
// a checkpoint; a second one quits at once.

export interface InterruptFlag {
  /** The signal received, or null while none was. */
  readonly signal: NodeJS.Signals | null;
  /** Removes the handlers (Node's default behaviour again). */
  dispose(): void;
}

/** The exit code of a run stopped by `signal` (128 + its number, as shells report it). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/** Catches SIGINT and SIGTERM until `dispose()`; `name` prefixes the one message it prints. */
export function catchInterrupts(name: string, what = 'saving a checkpoint'): InterruptFlag {
  const flag = { signal: null as NodeJS.Signals | null, dispose };
  const handler = (signal: NodeJS.Signals) => {
    if (flag.signal !== null) process.exit(signalExitCode(signal)); // second signal: quit now
    flag.signal = signal;
    process.stderr.write(`\n${name}: ${signal} received: stopping after this step and ${what} (send it again to quit without saving)\n`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  function dispose(): void {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
  return flag;
}
