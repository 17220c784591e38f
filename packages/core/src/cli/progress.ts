// Training progress for both CLIs: a cli-progress bar with ETA redrawn in place on a terminal, plain
// lines (every 10% and at the end) when stderr is a file or a pipe, and log lines (epoch summaries)
// that never tear the bar.
import { SingleBar } from 'cli-progress';

export interface TrainingProgress {
  /** After each optimizer step: `done` of `total` steps, a label (`epoch 2/10`) and details (`loss 0.41`). */
  step(done: number, total: number, label: string, info: string): void;
  /** A whole line above the bar (an epoch summary, a saved checkpoint). */
  log(line: string): void;
  /** Ends the bar (always call it: the bar holds a redraw timer). */
  stop(): void;
}

/** `1h02m`, `3m05s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** Progress on `stream` (default stderr): a bar on a TTY, plain lines otherwise. */
export function trainingProgress(stream: NodeJS.WriteStream = process.stderr): TrainingProgress {
  if (stream.isTTY !== true) return plainProgress(stream);
  const bar = new SingleBar({
    stream, format: '{label} [{bar}] {percentage}% | ETA {eta_formatted} | {info}', barsize: 30, hideCursor: false,
    gracefulExit: false, forceRedraw: true, etaBuffer: 50, etaAsynchronousUpdate: true, clearOnComplete: true,
  });
  let started = false;
  return {
    step(done, total, label, info) {
      if (!started) {
        bar.start(total, done, { label, info });
        started = true;
      }
      if (bar.getTotal() !== total) bar.setTotal(total);
      bar.update(done, { label, info });
    },
    log(line) {
      // ESC 7 saves the cursor on the bar's new line: cli-progress restores the saved position on stop.
      stream.write(`\r\x1b[K${line}\n${started ? '\x1b7' : ''}`);
      if (started) bar.render();
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** One line each time another 10% of the steps is done, with the same ETA the bar shows. */
function plainProgress(stream: NodeJS.WritableStream): TrainingProgress {
  let start = 0;
  let startDone = 0;
  let lastDecile = -1;
  return {
    step(done, total, label, info) {
      if (start === 0) {
        start = Date.now();
        startDone = done - 1; // the first step is already done
      }
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (decile === lastDecile && done < total) return;
      lastDecile = decile;
      const elapsed = Date.now() - start;
      const eta = (elapsed / Math.max(1, done - startDone)) * (total - done);
      stream.write(`${label}  step ${done}/${total} (${Math.floor((done / Math.max(1, total)) * 100)}%)  ETA ${formatDuration(eta)}  ${info}\n`);
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    stop() {
      lastDecile = -1;
    },
  };
}
