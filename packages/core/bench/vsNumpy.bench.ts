// Benchmark (run on demand, not a test): rnnkit's training step against the same step in numpy, alternated
// in one run.
//
//   npx tsx bench/vsNumpy.bench.ts                                  # LSTM, GRU, SimpleRNN at both shapes
//   npx tsx bench/vsNumpy.bench.ts --cells=lstm --shapes=64x128 --rounds=5
//   npx tsx bench/vsNumpy.bench.ts --optimizer=rnnkit               # core's adam() instead of tf.train.adam
//   RNNKIT_PYTHON=/path/to/python3 npx tsx bench/vsNumpy.bench.ts   # pick the Python (needs numpy)
//
// The step: x [B=32, T, D=128] -> RNN(H) -> Dense(1) -> MSE, Adam, float32; shapes T=64/H=128 and
// T=256/H=512. rnnkit: a tf.sequential with core's recurrent layer, model.trainOnBatch on the wasm backend,
// as a user gets it (initBackend). numpy: bench/numpy_rnn_step.py, the same formulas (forward, BPTT, Adam;
// no dx on either side: x is data), in persistent processes with OPENBLAS_NUM_THREADS=1 and =2.
// Each round times every column once (median of `--reps` steps, after one untimed step; the rnnkit columns
// in reverse order on odd rounds; every column starts after IDLE_MS idle); the table shows the median over rounds
// and the ratio numpy / rnnkit (> 1: rnnkit faster) against the faster numpy column.
// The Python is the first of $RNNKIT_PYTHON, `python3` on PATH, /usr/bin/python3 whose numpy links an
// optimized BLAS (OpenBLAS, MKL, BLIS...); else the first with numpy at all, flagged in the output.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { initBackend } from '../src/index';
import { kernelFlavor, relaxedSimdSupported, resetKernels } from '../src/kernels/wasm';
import { disableThreads, enableThreads, threadsEnabled, workerJobs } from '../src/kernels/threads';
import { arg } from './benchUtil';
import { STEP_BATCH, STEP_INPUT, stepBatch, stepModel, type StepCell, type StepOptimizer } from './trainingStep';

const CELLS = arg('cells', 'lstm,gru,simpleRNN').split(',') as StepCell[];
const SHAPES = arg('shapes', '64x128,256x512').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const ROUNDS = Number(arg('rounds', '3'));
const REPS = Number(arg('reps', '3'));
const OPTIMIZER = arg('optimizer', 'tf') as StepOptimizer;
const [B, D] = [STEP_BATCH, STEP_INPUT];
/** Idle time before each column, so threads that other columns left spinning have gone to sleep. */
const IDLE_MS = 300;
const SCRIPT = fileURLToPath(new URL('./numpy_rnn_step.py', import.meta.url));

// ---- the numpy side

interface PyInfo {
  python: string;
  numpy: string;
  blas: string;
  blasVersion: string;
}

const REFERENCE_BLAS = new Set(['blas', 'cblas', 'unknown', '']);

function probe(python: string): PyInfo | null {
  const r = spawnSync(python, [SCRIPT], { input: '{"info": true}\n', encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) return null;
  try {
    return { python, ...(JSON.parse(r.stdout.trim()) as Omit<PyInfo, 'python'>) };
  } catch {
    return null;
  }
}

function pickPython(): PyInfo | null {
  const candidates = [process.env['RNNKIT_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  const found = candidates.map(probe).filter((p): p is PyInfo => p !== null);
  return found.find((p) => !REFERENCE_BLAS.has(p.blas.toLowerCase())) ?? found[0] ?? null;
}

/** A persistent numpy process with a fixed OpenBLAS thread count. */
class NumpyWorker {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: Array<(line: string) => void> = [];

  constructor(python: string, readonly threads: number) {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
    this.proc = spawn(python, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (l) => this.pending.shift()?.(l));
  }

  /** Per-step milliseconds of `reps` steps (the first request of a shape builds the model and warms up). */
  run(cell: StepCell, T: number, H: number, reps: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push((l) => {
        try {
          resolve((JSON.parse(l) as { ms: number[] }).ms);
        } catch (e) {
          reject(e as Error);
        }
      });
      this.proc.stdin.write(`${JSON.stringify({ cell, B, T, D, H, reps })}\n`);
    });
  }

  close(): void {
    this.proc.stdin.end();
  }
}

// ---- the rnnkit side

/** An rnnkit column: the settings it runs under (applied before each of its timings). */
interface Variant {
  name: string;
  apply(): void;
}

function variants(): Variant[] {
  const flavor = kernelFlavor();
  const out: Variant[] = [{ name: `rnnkit default (${flavor}${threadsEnabled() ? ', 2 threads' : ''})`, apply: () => undefined }];
  const dflt = { flavor, threads: threadsEnabled() };
  const restore = (): void => {
    if (kernelFlavor() !== dflt.flavor) resetKernels(dflt.flavor);
    if (dflt.threads && !threadsEnabled()) enableThreads();
    if (!dflt.threads && threadsEnabled()) disableThreads();
  };
  out[0] = { ...(out[0] as Variant), apply: restore };
  if (flavor === 'relaxed') {
    out.push({ name: 'rnnkit plain SIMD, 1 thread', apply: () => { disableThreads(); resetKernels('simd'); } });
  }
  if (!dflt.threads && enableThreads()) {
    disableThreads();
    out.push({ name: `rnnkit ${flavor}, 2 threads`, apply: () => { restore(); enableThreads(); } });
  } else if (dflt.threads) {
    out.push({ name: `rnnkit ${flavor}, 1 thread`, apply: () => { restore(); disableThreads(); } });
  }
  return out;
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1] as number;

async function main(): Promise<void> {
  const backend = await initBackend();
  const py = pickPython();
  console.log(`node ${process.version}, tfjs backend ${backend}, kernels ${kernelFlavor()} (relaxed SIMD ${relaxedSimdSupported() ? 'available' : 'unavailable'}), ` +
    `${new Date().toISOString()}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (!py) console.log('numpy: no python3 with numpy found (set RNNKIT_PYTHON): rnnkit columns only');
  else {
    console.log(`numpy ${py.numpy} (${py.python}), BLAS ${py.blas} ${py.blasVersion}` +
      (REFERENCE_BLAS.has(py.blas.toLowerCase()) ? ' -- a reference BLAS, NOT an optimized one: the numpy figures understate numpy' : ''));
  }
  const nps = py ? [new NumpyWorker(py.python, 1), new NumpyWorker(py.python, 2)] : [];
  const vs = variants();
  const header = [...vs.map((v) => v.name), ...nps.map((n) => `numpy ${n.threads} thread${n.threads > 1 ? 's' : ''}`)];
  console.log(`\nTraining step ms (median over ${ROUNDS} rounds of the median of ${REPS} steps), B=${B}, D=${D}, optimizer ${OPTIMIZER === 'rnnkit' ? "core's adam()" : 'tf.train.adam'}`);
  console.log(`| cell | T / H | ${header.join(' | ')} |${nps.length ? ' best numpy / rnnkit default |' : ''}`);
  console.log(`|---|---|${header.map(() => '---:').join('|')}|${nps.length ? '---:|' : ''}`);
  try {
    for (const cell of CELLS) {
      for (const [T, H] of SHAPES) {
        const model = stepModel(cell, T, H, OPTIMIZER);
        const { x, y } = stepBatch(T);
        const step = async (): Promise<void> => void (await model.trainOnBatch(x, y));
        const cols: number[][] = header.map(() => []);
        let jobsPerStep = 0;
        for (const v of vs) {
          v.apply();
          await step(); // warm-up per setting (kernel module, packing, workspace growth)
          if (threadsEnabled()) {
            const j0 = workerJobs();
            await step();
            jobsPerStep = workerJobs() - j0; // shows that the two-thread column splits the per-step loops too
          }
        }
        for (let r = 0; r < ROUNDS; r++) {
          // Odd rounds run the rnnkit columns in reverse order, and each column gets one untimed step after
          // its settings switch (a new kernel module re-packs the weights), so no column pays for its place.
          const order = [...vs.entries()];
          if (r % 2 === 1) order.reverse();
          for (const [i, v] of order) {
            v.apply();
            // OpenBLAS's threads busy-wait for ~2^28 cycles (~0.1 s) after each call before they sleep: right
            // after the numpy 2-thread column, one of them would hold the second core through this column's
            // first steps (measured: the two-thread column's steps were then the slowest of the round).
            await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
            await step();
            const ms: number[] = [];
            for (let k = 0; k < REPS; k++) {
              const t0 = performance.now();
              await step();
              ms.push(performance.now() - t0);
            }
            (cols[i] as number[]).push(median(ms));
          }
          for (const [j, n] of nps.entries()) {
            await new Promise((resolve) => setTimeout(resolve, IDLE_MS)); // every column starts from the same idle machine
            (cols[vs.length + j] as number[]).push(median(await n.run(cell, T, H, REPS)));
          }
        }
        (vs[0] as Variant).apply();
        const med = cols.map(median);
        const best = nps.length ? Math.min(...med.slice(vs.length)) : NaN;
        console.log(`| ${cell} | ${T} / ${H} | ${med.map((m) => m.toFixed(1)).join(' | ')} |${nps.length ? ` ${(best / (med[0] as number)).toFixed(2)}x |` : ''}` +
          (jobsPerStep ? ` (2 threads: ${jobsPerStep} worker jobs per step)` : ''));
        tf.dispose([x, y]);
        model.dispose();
      }
    }
  } finally {
    nps.forEach((n) => n.close());
  }
}

void main();
