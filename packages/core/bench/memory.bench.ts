// Benchmark (run on demand, not a test): peak memory of a training run, rnnkit's recurrent layers against
// tf.layers' on the wasm backend, each variant in its own process (peak RSS is per process).
//
//   npx tsx --conditions=@rnnkit/source bench/memory.bench.ts --markdown   # all cells, both shapes, 20 steps
//   npx tsx --conditions=@rnnkit/source bench/memory.bench.ts --cells=lstm --shapes=64x128 --steps=5
//
// The run: x [B=32, T, D=128] -> RNN(H) -> Dense(1) -> MSE, Adam, `model.trainOnBatch` for `--steps` steps;
// shapes T=64/H=128 and T=256/H=512. Both sides get Keras's sigmoid recurrent activation and a glorotUniform
// recurrent kernel; GRU is resetAfter false on both sides (tf.layers.gru has no resetAfter: true).
// The parent re-invokes this file with `--child=...` under the same loader and conditions, one child per
// variant and one baseline child that only runs initBackend(), so the table's RSS can be read net of the
// runtime. A child reports:
//   peak RSS        process.resourceUsage().maxRSS at the end of the run (whole process, incl. wasm heaps)
//   peak tfjs       the largest tf.memory().numBytes seen after building and after each step (sampled between
//                   steps, so the transient activations held inside a step are in RSS but not here)
//   tfjs wasm heap  the tfjs wasm backend's WebAssembly heap at the end: it only grows, so it is the high-water
//                   mark of tfjs's tensor storage, transients included (capped at 4 GiB by tfjs-backend-wasm)
//   kernel wasm     rnnkit's kernel module's WebAssembly.Memory (its workspace); '-' where it never loads
//   leaked tensors  tf.memory().numTensors after the last step minus after the first (the first step
//                   creates Adam's slot variables, which are not leaks)
//   ms/step         median over all steps
// A run that dies inside tfjs (the wasm heap limit aborts the module) is reported with the step it died in
// and the figures up to then.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, layers } from '../src/index';
import { kernelFlavor, kernels } from '../src/kernels/wasm';
import { arg, hasFlag } from './benchUtil';

type Cell = 'lstm' | 'gru' | 'simpleRNN';
type Lib = 'tf.layers' | 'rnnkit';
const CELLS = arg('cells', 'lstm,gru,simpleRNN').split(',') as Cell[];
const SHAPES = arg('shapes', '64x128,256x512').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const STEPS = Number(arg('steps', '20'));
const [B, D] = [32, 128];
const MB = 1024 * 1024;

/** What a child prints as its last stdout line (after `RESULT `). */
interface Report {
  backend: string;
  maxRssKb: number;
  peakTfBytes: number;
  tfWasmHeapBytes: number;
  kernelWasmBytes: number | null;
  kernelFlavor: string | null;
  leakedTensors: number | null;
  msPerStep: number | null;
  error?: string;
}

/** The tfjs wasm backend's heap size (its Emscripten module is the backend's `wasm` field). */
function tfWasmHeap(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1] as number;

// ---- the child: one variant per process

function rnnLayer(lib: Lib, cell: Cell, H: number): tf.layers.Layer {
  const common = { units: H, recurrentInitializer: 'glorotUniform' } as const;
  if (lib === 'tf.layers') {
    const args = { ...common, recurrentActivation: 'sigmoid' } as const;
    return cell === 'lstm' ? tf.layers.lstm(args) : cell === 'gru' ? tf.layers.gru(args) : tf.layers.simpleRNN(common);
  }
  return cell === 'lstm' ? layers.lstm(common) : cell === 'gru' ? layers.gru({ ...common, resetAfter: false }) : layers.simpleRNN(common);
}

async function child(spec: string): Promise<Report> {
  const backend = await initBackend();
  if (spec === 'baseline') {
    return { backend, maxRssKb: process.resourceUsage().maxRSS, peakTfBytes: tf.memory().numBytes, tfWasmHeapBytes: tfWasmHeap(), kernelWasmBytes: null, kernelFlavor: null, leakedTensors: null, msPerStep: null };
  }
  const [lib, cell, shape] = spec.split(':') as [Lib, Cell, string];
  const [T, H] = shape.split('x').map(Number) as [number, number];
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [T, D] }));
  model.add(rnnLayer(lib, cell, H));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomUniform([B, T, D], -1, 1, 'float32', 1); // [B, T, D]
  const y = tf.randomUniform([B, 1], -1, 1, 'float32', 2); // [B, 1]
  let peak = tf.memory().numBytes;
  let afterFirst = 0;
  const ms: number[] = [];
  let error: string | undefined;
  for (let s = 0; s < STEPS && !error; s++) {
    const t0 = performance.now();
    try {
      await model.trainOnBatch(x, y);
    } catch (e) {
      error = `died in step ${s + 1}: ${(e as Error).message}`;
    }
    ms.push(performance.now() - t0);
    peak = Math.max(peak, tf.memory().numBytes);
    if (s === 0) afterFirst = tf.memory().numTensors;
  }
  const leaked = error ? null : tf.memory().numTensors - afterFirst;
  // Only read on the rnnkit side: kernels() would instantiate the module in a tf.layers child.
  const k = lib === 'rnnkit' ? kernels() : null;
  return {
    backend, maxRssKb: process.resourceUsage().maxRSS, peakTfBytes: peak, tfWasmHeapBytes: tfWasmHeap(), kernelWasmBytes: k ? k.memory.buffer.byteLength : null,
    kernelFlavor: k ? kernelFlavor() : null, leakedTensors: leaked, msPerStep: median(ms), ...(error ? { error } : {}),
  };
}

// ---- the parent: one child per variant, in sequence (they would share the 2 cores otherwise)

function runChild(spec: string): Promise<Report> {
  const file = fileURLToPath(import.meta.url);
  const argv = [...process.execArgv, file, `--child=${spec}`, `--steps=${STEPS}`];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`child ${spec} exited with ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as Report);
    });
  });
}

const mb = (bytes: number): string => (bytes / MB).toFixed(1);

async function parent(): Promise<void> {
  const markdown = hasFlag('markdown');
  const load0 = loadavg();
  const t0 = performance.now();
  console.log(`node ${process.version}, @tensorflow/tfjs ${tf.version.tfjs}, ${new Date().toISOString()}, ` +
    `${STEPS} steps, B=${B}, D=${D}, load average at start ${load0.map((v) => v.toFixed(2)).join(' ')}`);
  const header = ['variant', 'T / H', 'peak RSS MB', 'peak tfjs MB', 'tfjs wasm heap MB', 'kernel wasm MB', 'leaked tensors', 'ms/step', 'RSS rnnkit / tf.layers'];
  const rows: string[][] = [];
  const print = (r: string[]): void => console.log(markdown ? `| ${r.join(' | ')} |` : r.join('  '));
  const base = await runChild('baseline');
  if (base.backend !== 'wasm') throw new Error(`Expected the wasm backend. Received: ${base.backend}`);
  rows.push(['baseline (initBackend only)', '-', (base.maxRssKb / 1024).toFixed(1), mb(base.peakTfBytes), mb(base.tfWasmHeapBytes), '-', '-', '-', '-']);
  for (const cell of CELLS) {
    for (const [T, H] of SHAPES) {
      const got: Partial<Record<Lib, Report>> = {};
      for (const lib of ['tf.layers', 'rnnkit'] as Lib[]) {
        const r = await runChild(`${lib}:${cell}:${T}x${H}`);
        got[lib] = r;
        const label = `${lib} ${cell}${cell === 'gru' ? ' (resetAfter false)' : ''}${r.kernelFlavor ? ` (${r.kernelFlavor} kernels)` : ''}`;
        // Against a tf.layers run that died, its RSS is a lower bound, so the ratio is an upper bound.
        const tfr = got['tf.layers'];
        const ratio = lib === 'rnnkit' && tfr ? `${tfr.error ? '<= ' : ''}${(r.maxRssKb / tfr.maxRssKb).toFixed(2)}x` : '';
        rows.push([label, `${T} / ${H}`, (r.maxRssKb / 1024).toFixed(1), mb(r.peakTfBytes), mb(r.tfWasmHeapBytes), r.kernelWasmBytes === null ? '-' : mb(r.kernelWasmBytes),
          r.leakedTensors === null ? '-' : String(r.leakedTensors), r.error ?? (r.msPerStep as number).toFixed(1), ratio]);
        console.error(`  done ${lib} ${cell} ${T}x${H} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
  }
  console.log('');
  if (markdown) {
    print(header);
    console.log(`|---|---|${header.slice(2).map(() => '---:').join('|')}|`);
  } else print(header);
  rows.forEach(print);
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(0)} s, load average at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}

const childSpec = arg('child', '');
(childSpec ? child(childSpec).then((r) => console.log(`RESULT ${JSON.stringify(r)}`)) : parent()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
