// Kernel benchmark (run on demand): npx tsx bench/kernels.bench.ts [--quick] [--threads] [lstm gru simpleRNN]
// 1. GEMM GFLOP/s on the shapes of the reference training step (batch 32, 64 steps, in 128, units 128,
//    LSTM: 4 gates) and their transposed gradient products: plain SIMD vs relaxed SIMD (when the engine
//    has it) vs tfjs-wasm tf.matMul vs tfjs-cpu tf.matMul vs numpy/OpenBLAS (python3 subprocess).
// 2. One training step (forward + backward + Adam) of x [32, 64, 128] -> RNN(128) -> Dense(1), MSE:
//    the fused op vs tf.layers on the wasm backend, same run, as a ratio.
// 3. Inference (batch 256) and one-sentence latency (20 tokens), fused vs tf.layers predict, wasm.
// 4. A translator's output layer: Dense(10000) + softmax cross-entropy, fused vs tf ops.
// All figures from one run on a shared machine: compare the ratios, not absolute times across runs.
import * as v8 from 'node:v8';
v8.setFlagsFromString('--experimental-wasm-relaxed-simd'); // before any WebAssembly is compiled
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { instantiateKernels, kernelFlavor, relaxedSimdSupported, resetKernels, type KernelExports } from '../src/kernels/wasm';
import { workspaceOf } from '../src/kernels/gemm';
import { fusedGruSequence, fusedLstmSequence, fusedSimpleRnnSequence } from '../src/kernels/ops';
import { fusedEmbeddingLookup as embeddingLookup } from '../src/kernels/embedding';
import { fusedDenseSoftmaxCrossEntropy } from '../src/kernels/dense';
import { gemmShapes, type GemmShape } from './kernelShapes';
import { enableThreads } from '../src/kernels/threads';
import { lazyAdam } from '../src/training/lazyAdam';
import { adam } from '../src/training/adam';

const THREADS = process.argv.includes('--threads');

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const CELLS = args.filter((a) => !a.startsWith('--'));
const cells = (CELLS.length ? CELLS : ['lstm', 'gru', 'simpleRNN']) as ('lstm' | 'gru' | 'simpleRNN')[];
const [B, T, I, U] = [32, 64, 128, 128];

/** Median ms per call (after one warm-up call): robust to the other processes on a shared machine. */
function timeIt(fn: () => void, minMs: number, minReps = 2): number {
  fn();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < minReps || performance.now() - t0 < minMs) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function wasmGemmGflops(k: KernelExports, s: GemmShape): number {
  const ws = workspaceOf(k);
  ws.reset();
  const a = ws.alloc(s.M * s.K);
  const b = ws.alloc(s.K * s.N);
  const c = ws.alloc(s.M * s.N);
  const scratch = ws.allocBytes(k.gemmScratchBytes(s.M, s.N, s.K) + 64);
  ws.f32(a, s.M * s.K).fill(0.01);
  ws.f32(b, s.K * s.N).fill(0.02);
  const ms = timeIt(() => k.gemm(s.tA ? 1 : 0, s.tB ? 1 : 0, s.M, s.N, s.K, 1, a, s.tA ? s.M : s.K, b, s.tB ? s.K : s.N, 0, c, s.N, scratch), QUICK ? 100 : 300, 3);
  ws.reset();
  return (2 * s.M * s.N * s.K) / ms / 1e6;
}

async function tfGemmGflops(backend: string, s: GemmShape): Promise<number> {
  await tf.setBackend(backend);
  const a = tf.fill(s.tA ? [s.K, s.M] : [s.M, s.K], 0.01);
  const b = tf.fill(s.tB ? [s.N, s.K] : [s.K, s.N], 0.02);
  const ms = timeIt(() => tf.matMul(a, b, s.tA, s.tB).dispose(), backend === 'cpu' ? (QUICK ? 200 : 600) : (QUICK ? 100 : 300), 1);
  tf.dispose([a, b]);
  return (2 * s.M * s.N * s.K) / ms / 1e6;
}

/** numpy/OpenBLAS sgemm GFLOP/s per shape (median call), with `threads` OpenBLAS threads (0 = its default). */
function numpyGflops(shapes: GemmShape[], threads: number): number[] | null {
  const py = `
import json, sys, time
import numpy as np
out = []
for M, N, K, tA, tB in json.loads(sys.argv[1]):
    a = np.full((K, M) if tA else (M, K), 0.01, np.float32); b = np.full((N, K) if tB else (K, N), 0.02, np.float32)
    f = lambda: (a.T if tA else a) @ (b.T if tB else b)
    f(); ts = []; t0 = time.perf_counter()
    while len(ts) < 5 or time.perf_counter() - t0 < 0.3:
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    ts.sort()
    out.append(2 * M * N * K / ts[len(ts) // 2] / 1e9)
print(json.dumps(out))`;
  try {
    const arg = JSON.stringify(shapes.map((s) => [s.M, s.N, s.K, s.tA ? 1 : 0, s.tB ? 1 : 0]));
    const env = { ...process.env };
    if (threads > 0) env['OPENBLAS_NUM_THREADS'] = String(threads);
    else delete env['OPENBLAS_NUM_THREADS'];
    return JSON.parse(execFileSync('python3', ['-c', py, arg], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] })) as number[];
  } catch {
    return null;
  }
}

const f1 = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));
const pct = (a: number, b: number | undefined) => (b === undefined ? '-' : `${((100 * a) / b).toFixed(0)}%`);

async function gemmTable(): Promise<void> {
  const shapes = [
    ...gemmShapes(B, T, I, U),
    ...gemmShapes(256, T, I, U).filter((s) => s.name === 'step h U').map((s) => ({ ...s, name: 'step h U, batch 256 (inference)' })),
  ];
  const plain = instantiateKernels('simd');
  const relaxed = relaxedSimdSupported() ? instantiateKernels('relaxed') : null;
  const np1 = numpyGflops(shapes, 1);
  const npAll = numpyGflops(shapes, 0);
  console.log(`\nGEMM GFLOP/s, median call (WebAssembly: 1 thread, relaxed SIMD ${relaxed ? 'available' : 'NOT available'}); numpy/OpenBLAS with 1 thread and with its default thread count`);
  console.log('| product | shape (M x N x K) | plain SIMD | relaxed SIMD | tfjs-wasm matMul | tfjs-cpu matMul | numpy 1 thread | numpy default threads | plain / numpy 1t | relaxed / numpy 1t | best / numpy default | best / tfjs-wasm |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [i, s] of shapes.entries()) {
    const p = wasmGemmGflops(plain, s);
    const r = relaxed ? wasmGemmGflops(relaxed, s) : undefined;
    const w = await tfGemmGflops('wasm', s);
    const c = s.M * s.N * s.K > 5e6 && QUICK ? undefined : await tfGemmGflops('cpu', s);
    const best = Math.max(p, r ?? 0);
    console.log(`| ${s.name} | ${s.M} x ${s.N} x ${s.K}${s.tA ? ' (A^T)' : ''}${s.tB ? ' (B^T)' : ''} | ${f1(p)} | ${f1(r)} | ${f1(w)} | ${f1(c)} | ` +
      `${f1(np1?.[i])} | ${f1(npAll?.[i])} | ${pct(p, np1?.[i])} | ${r === undefined ? '-' : pct(r, np1?.[i])} | ${pct(best, npAll?.[i])} | ${(best / w).toFixed(1)}x |`);
  }
}

type CellName = 'lstm' | 'gru' | 'simpleRNN';
const GATES: Record<CellName, number> = { lstm: 4, gru: 3, simpleRNN: 1 };

/** The fused layer; x is the model input, so (as tfjs's own backprop does) no gradient is computed for it. */
function fusedCall(cell: CellName, x: tf.Tensor, W: tf.Tensor, Uk: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const o = { skipInputGradient: true };
  if (cell === 'lstm') return fusedLstmSequence(x, W, Uk, b, o).output;
  if (cell === 'gru') return fusedGruSequence(x, W, Uk, b, { ...o, resetAfter: false }).output;
  return fusedSimpleRnnSequence(x, W, Uk, b, o).output;
}

async function trainTable(): Promise<void> {
  await tf.setBackend('wasm');
  const x = tf.randomUniform([B, T, I], -1, 1, 'float32', 1);
  const y = tf.randomUniform([B, 1], -1, 1, 'float32', 2);
  console.log('\nTraining step, x [32, 64, 128] -> RNN(128) -> Dense(1), MSE, Adam; samples/s (same run)');
  console.log('| cell | tf.layers (wasm) | fused, plain SIMD (wasm) | fused, relaxed SIMD (wasm) | fused, relaxed (cpu backend) | plain / tf.layers | best / tf.layers | best GFLOP/s (matrix products) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const cell of cells) {
    const G = GATES[cell] * U;
    const flop = 2 * B * T * G * (2 * I + 3 * U); // x W, h U, dW, dU, dh (no dx: x is data, as in tfjs)
    // tf.layers (wasm); GRU: tfjs has resetAfter false only, the fused GRU runs the same variant
    await tf.setBackend('wasm');
    const opts = { units: U, recurrentActivation: 'sigmoid', kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform' } as const;
    const model = tf.sequential({ layers: [
      cell === 'lstm' ? tf.layers.lstm({ ...opts, inputShape: [T, I] }) : cell === 'gru' ? tf.layers.gru({ ...opts, inputShape: [T, I] })
        : tf.layers.simpleRNN({ units: U, inputShape: [T, I], recurrentInitializer: 'glorotUniform' }),
      tf.layers.dense({ units: 1 }),
    ] });
    const optL = tf.train.adam(1e-3);
    const layerStep = () => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
      optL.applyGradients(grads as never);
      value.dataSync();
    });
    const msLayers = timeIt(layerStep, QUICK ? 1500 : 4000, 2);
    // fused op with tfjs variables, Dense and Adam around it: plain and relaxed SIMD on wasm, cpu backend
    const fusedMs: number[] = [];
    const variants: [string, 'simd' | 'relaxed'][] = [['wasm', 'simd'], ['wasm', 'relaxed'], ['cpu', 'relaxed']];
    for (const [backend, flavor] of variants) {
      if (flavor === 'relaxed' && !relaxedSimdSupported()) {
        fusedMs.push(NaN);
        continue;
      }
      resetKernels(flavor);
      if (THREADS) enableThreads();
      await tf.setBackend(backend);
      const W = tf.variable(tf.randomUniform([I, G], -0.1, 0.1, 'float32', 3));
      const Uk = tf.variable(tf.randomUniform([U, G], -0.1, 0.1, 'float32', 4));
      const b = tf.variable(tf.zeros([G]));
      const Wd = tf.variable(tf.randomUniform([U, 1], -0.1, 0.1, 'float32', 5));
      const bd = tf.variable(tf.zeros([1]));
      const xb = tf.tensor(x.dataSync(), x.shape);
      const yb = tf.tensor(y.dataSync(), y.shape);
      const opt = tf.train.adam(1e-3);
      const step = () => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(yb, tf.add(tf.matMul(fusedCall(cell, xb, W, Uk, b), Wd), bd)) as tf.Scalar);
        opt.applyGradients(grads as never);
        value.dataSync();
      });
      fusedMs.push(timeIt(step, QUICK ? 1000 : 3000, 3));
      tf.dispose([W, Uk, b, Wd, bd, xb, yb]);
      opt.dispose();
    }
    resetKernels();
    if (THREADS) enableThreads();
    await tf.setBackend('wasm');
    model.dispose();
    optL.dispose();
    const sps = (ms: number) => (B * 1000) / ms;
    const [fp, fr, fc] = fusedMs as [number, number, number];
    const best = Math.min(fp, Number.isNaN(fr) ? Infinity : fr);
    console.log(`| ${cell} | ${sps(msLayers).toFixed(1)} | ${sps(fp).toFixed(1)} | ${sps(fr).toFixed(1)} | ${sps(fc).toFixed(1)} | ` +
      `${(msLayers / fp).toFixed(1)}x | ${(msLayers / best).toFixed(1)}x | ${(flop / best / 1e6).toFixed(1)} |`);
  }
  tf.dispose([x, y]);
}

/**
 * The reference model with the fused ops: Embedding(10000, 128) -> LSTM(128) -> Dense(1), with
 * tf.train.adam (dense update of the whole [10000, 128] table), LazyAdam (the rows the batch used) and core's
 * adam() (tf.train.adam's update in the kernels),
 * measured in alternating rounds.
 */
async function embeddingRow(): Promise<void> {
  const V = 10000;
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const ids = tf.randomUniform([B, T], 0, V, 'int32', 7);
    const y = tf.randomUniform([B, 1], -1, 1, 'float32', 2);
    const vars = () => ({
      table: tf.variable(tf.randomUniform([V, I], -0.05, 0.05, 'float32', 8)),
      W: tf.variable(tf.randomUniform([I, 4 * U], -0.1, 0.1, 'float32', 3)),
      Uk: tf.variable(tf.randomUniform([U, 4 * U], -0.1, 0.1, 'float32', 4)),
      b: tf.variable(tf.zeros([4 * U])),
      Wd: tf.variable(tf.randomUniform([U, 1], -0.1, 0.1, 'float32', 5)),
    });
    const runs = [{ name: 'tf.train.adam', v: vars(), opt: tf.train.adam(1e-3) as tf.Optimizer }, { name: 'LazyAdam', v: vars(), opt: lazyAdam(1e-3) as tf.Optimizer },
      { name: "core's adam()", v: vars(), opt: adam(1e-3) as tf.Optimizer }];
    const step = (r: (typeof runs)[number]) => () => tf.tidy(() => {
      const { table, W, Uk, b, Wd } = r.v;
      const { value, grads } = tf.variableGrads(() =>
        tf.losses.meanSquaredError(y, tf.matMul(fusedLstmSequence(embeddingLookup(table, ids), W, Uk, b).output, Wd)) as tf.Scalar);
      r.opt.applyGradients(grads as never);
      value.dataSync();
    });
    const ms = runs.map(() => [] as number[]);
    for (let round = 0; round < (QUICK ? 2 : 4); round++) runs.forEach((r, i) => (ms[i] as number[]).push(timeIt(step(r), QUICK ? 500 : 1000, 2)));
    const med = ms.map((m) => m.sort((p, q) => p - q)[m.length >> 1] as number);
    console.log(`Embedding(10000,128) -> fused LSTM(128) -> Dense(1), ${backend} backend, ${kernelFlavor()} kernels: ` +
      runs.map((r, i) => `${r.name} ${((B * 1000) / (med[i] as number)).toFixed(1)} samples/s`).join(', ') +
      ` (LazyAdam ${((med[0] as number) / (med[1] as number)).toFixed(2)}x, core's adam() ${((med[0] as number) / (med[2] as number)).toFixed(2)}x)`);
    runs.forEach((r) => {
      tf.dispose(Object.values(r.v));
      r.opt.dispose();
    });
    tf.dispose([ids, y]);
  }
}

/** A translator's output layer: Dense(10000) + softmax cross-entropy over 32 x 20 target tokens, d 256. */
async function outputLayerRow(): Promise<void> {
  const [N, D, V] = [640, 256, 10000];
  console.log(`\nOutput layer, h [${N}, ${D}] -> Dense(${V}) -> softmax cross-entropy, loss + gradients (ms, median)`);
  console.log('| backend | tf ops (matMul + logSoftmax + grads) | fused | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const h = tf.randomUniform([N, D], -1, 1, 'float32', 1);
    const W = tf.randomUniform([D, V], -0.05, 0.05, 'float32', 2);
    const b = tf.zeros([V]);
    const labels = tf.randomUniform([N], 0, V, 'int32', 3);
    const composite = (x: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
      tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.add(tf.matMul(x, w), bb)), tf.oneHot(labels, V)), 1))) as tf.Scalar;
    const run = (f: (x: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => tf.Scalar) => () => tf.tidy(() => {
      tf.grads(f)([h, W, b]).forEach((g) => g.dataSync());
    });
    const msC = timeIt(run(composite), QUICK ? 1000 : 3000, 2);
    const msF = timeIt(run((x, w, bb) => fusedDenseSoftmaxCrossEntropy(x, w, bb, labels)), QUICK ? 1000 : 3000, 3);
    console.log(`| ${backend} | ${msC.toFixed(1)} | ${msF.toFixed(1)} | ${(msC / msF).toFixed(1)}x |`);
    tf.dispose([h, W, b, labels]);
  }
}

async function inferTable(): Promise<void> {
  await tf.setBackend('wasm');
  console.log(`\nInference on wasm (${kernelFlavor()} kernels): batch 256 x 64 steps (samples/s) and one 20-token sentence (ms), RNN(128) + Dense(1)`);
  console.log('| cell | tf.layers samples/s | fused samples/s | ratio | tf.layers latency ms | fused latency ms | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const cell of cells) {
    const G = GATES[cell] * U;
    const lstmOpts: Parameters<typeof tf.layers.lstm>[0] = { units: U, recurrentActivation: 'sigmoid', inputShape: [null, I] };
    const model = tf.sequential({ layers: [
      cell === 'lstm' ? tf.layers.lstm(lstmOpts) : cell === 'gru' ? tf.layers.gru(lstmOpts)
        : tf.layers.simpleRNN({ units: U, inputShape: [null, I] }),
      tf.layers.dense({ units: 1 }),
    ] });
    const W = tf.randomUniform([I, G], -0.1, 0.1, 'float32', 3);
    const Uk = tf.randomUniform([U, G], -0.1, 0.1, 'float32', 4);
    const b = tf.zeros([G]);
    const Wd = tf.randomUniform([U, 1], -0.1, 0.1, 'float32', 5);
    const row: number[] = [];
    for (const [bs, steps] of [[256, T], [1, 20]] as const) {
      const x = tf.randomUniform([bs, steps, I], -1, 1, 'float32', 6);
      const msL = timeIt(() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()), QUICK ? 1000 : 3000, 2);
      const msF = timeIt(() => tf.tidy(() => tf.matMul(fusedCall(cell, x, W, Uk, b), Wd).dataSync()), QUICK ? 1000 : 3000, 3);
      row.push(bs === 1 ? msL : (bs * 1000) / msL, bs === 1 ? msF : (bs * 1000) / msF);
      x.dispose();
    }
    const [sL, sF, lL, lF] = row as [number, number, number, number];
    console.log(`| ${cell} | ${sL.toFixed(0)} | ${sF.toFixed(0)} | ${(sF / sL).toFixed(1)}x | ${lL.toFixed(2)} | ${lF.toFixed(2)} | ${(lL / lF).toFixed(1)}x |`);
    tf.dispose([W, Uk, b, Wd]);
    model.dispose();
  }
}

async function main(): Promise<void> {
  await tf.ready();
  if (THREADS) console.log(`two-thread GEMM for the fused kernels: ${enableThreads() ? 'on' : 'unavailable'}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (!args.includes('--no-gemm')) await gemmTable();
  if (!args.includes('--no-train')) {
    if (!args.includes('--no-train-table')) await trainTable();
    await embeddingRow();
  }
  if (!args.includes('--no-infer')) await inferTable();
  if (!args.includes('--no-output')) await outputLayerRow();
}

void main();
