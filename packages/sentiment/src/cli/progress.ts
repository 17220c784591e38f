// A progress bar with ETA on stderr (redrawn in place on a terminal, a line every 10% otherwise).
import type { TrainProgress } from '../train';

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** Returns an onProgress callback that draws to `stream`. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (p: TrainProgress) => void {
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  let lastDraw = 0;
  return (p) => {
    if (p.type === 'epoch') {
      if (tty) stream.write('\r\x1b[K');
      const dev = p.devAccuracy === null ? '' : `  dev accuracy ${(p.devAccuracy * 100).toFixed(2)}%  dev macro-F1 ${((p.devMacroF1 ?? 0) * 100).toFixed(2)}%${p.best ? '  (best)' : ''}`;
      stream.write(`epoch ${p.epoch + 1}/${p.epochs}  loss ${p.loss.toFixed(4)}${dev}  ${duration(p.elapsedMs)}\n`);
      lastDecile = -1;
      return;
    }
    const frac = p.step / p.stepsPerEpoch;
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 100 && p.step < p.stepsPerEpoch) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round(frac * width);
      stream.write(`\r\x1b[Kepoch ${p.epoch + 1}/${p.epochs} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%  loss ${p.loss.toFixed(4)}  ETA ${duration(p.etaMs)}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile === lastDecile || decile === 10) return;
      lastDecile = decile;
      stream.write(`epoch ${p.epoch + 1}/${p.epochs} ${String(decile * 10).padStart(3)}%  step ${p.step}/${p.stepsPerEpoch}  loss ${p.loss.toFixed(4)}  ETA ${duration(p.etaMs)}\n`);
    }
  };
}
