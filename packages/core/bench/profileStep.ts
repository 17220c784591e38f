// Profiling harness (run on demand, not a test): the LSTM training step of bench/vsNumpy.bench.ts
// (x [B=32, T, D=128] -> LSTM(H) -> Dense(1) -> MSE, Adam, model.trainOnBatch on wasm, as initBackend sets it up),
// run `--steps` times after a few untimed steps and profiled in-process (node:inspector, only the timed steps, so
// module loading stays out), to show where a step's time goes outside the GEMM.
//
//   npx tsx bench/profileStep.ts                                   # LSTM, T=64/H=128, 30 steps, 1 thread
//   npx tsx bench/profileStep.ts --threads --cells=gru --shape=64x128 --steps=30 --out=/tmp/step.cpuprofile
//   npx tsx bench/profileStep.ts --optimizer=rnnkit                # core's adam() instead of tf.train.adam
//
// Prints the top self-time functions (share of the profiled samples); wasm functions appear under their export
// name where they have one (`wasm#24` otherwise: internal, e.g. the GEMM micro-kernel). The .cpuprofile is
// written to --out (default /tmp/rnnkit-step.cpuprofile) for Chrome DevTools. `dispatch` is the profiler's own
// stop (node:inspector), not part of the step.
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { initBackend } from '../src/index';
import { enableThreads } from '../src/kernels/threads';
import { kernelFlavor } from '../src/kernels/wasm';
import { WASM_RELAXED_BASE64, WASM_SIMD_BASE64 } from '../src/kernels/generated/wasmBinaries';
import { arg, hasFlag } from './benchUtil';
import { STEP_BATCH, STEP_INPUT, stepBatch, stepModel, type StepCell, type StepOptimizer } from './trainingStep';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Function index -> export name, from the export section of a wasm binary. */
function wasmExportNames(bytes: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  let i = 8;
  const leb = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (i < bytes.length) {
    const id = bytes[i++] as number;
    const size = leb();
    const end = i + size;
    if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        const name = new TextDecoder().decode(bytes.subarray(i, i + len));
        i += len;
        const kind = bytes[i++] as number;
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    i = end;
  }
  return names;
}

/** Self time per function, largest first. */
function summarize(p: Profile, wasmNames: Map<number, string>, top: number): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // rnnkit's module: the wasm script with the largest single function (the GEMM micro-kernel); tfjs-wasm's
  // functions keep their index, tagged with their script
  const wasmSelf = new Map<number, number>();
  p.samples.forEach((id, i) => wasmSelf.set(id, (wasmSelf.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const ours = [...wasmSelf.entries()].map(([id, v]) => [byId.get(id) as ProfileNode, v] as const)
    .filter(([n]) => n.callFrame.functionName.startsWith('wasm-function')).sort((a, b) => b[1] - a[1])[0]?.[0].callFrame.url;
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const dt = p.timeDeltas[i] ?? 0;
    const wasm = /^wasm-function\[(\d+)\]$/.exec(functionName);
    const key = wasm ? (url === ours ? `rnnkit wasm ${wasmNames.get(Number(wasm[1])) ?? `#${wasm[1]}`}` : `other wasm #${wasm[1]} ${url}`)
      : `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  console.log(`${(total / 1000).toFixed(0)} ms of samples; self time:`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(5)} ms  ${k}`);
  }
}

function post<T>(s: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, (err, res) => (err ? reject(err) : resolve(res as T))));
}

async function main(): Promise<void> {
  const threads = hasFlag('threads');
  await initBackend({ threads: threads ? 2 : 1 }); // one thread unless --threads (initBackend's default would start two)
  if (threads && !enableThreads()) throw new Error('threads unavailable');
  const cell = arg('cells', 'lstm') as StepCell;
  const [T, H] = arg('shape', '64x128').split('x').map(Number) as [number, number];
  const steps = Number(arg('steps', '30'));
  const model = stepModel(cell, T, H, arg('optimizer', 'tf') as StepOptimizer);
  const { x, y } = stepBatch(T);
  for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const ms = (performance.now() - t0) / steps;
  const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
  session.disconnect();
  const out = arg('out', '/tmp/rnnkit-step.cpuprofile');
  writeFileSync(out, JSON.stringify(profile));
  console.log(`${cell} B=${STEP_BATCH} D=${STEP_INPUT} T=${T} H=${H}, kernels ${kernelFlavor()}${threads ? ', 2 threads' : ', 1 thread'}: ` +
    `${ms.toFixed(1)} ms/step (profiled), profile in ${out}`);
  const bytes = Buffer.from(kernelFlavor() === 'relaxed' ? WASM_RELAXED_BASE64 : WASM_SIMD_BASE64, 'base64');
  summarize(profile, wasmExportNames(bytes), Number(arg('top', '30')));
}

void main();
