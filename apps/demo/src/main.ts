// The page: checks the browser, starts the inference worker, shows backend and loading progress, and
// wires the two tabs. Every model file comes from this site (models/…), fetched by the worker.
import './style.css';
import { missingFeatures, missingMessage } from './capabilities';
import { WorkerClient } from './client';
import { duration } from './display';
import type { ModelName } from './protocol';
import { setupSentimentView } from './sentimentView';
import { setupTabs } from './tabs';
import { setupTranslateView } from './translateView';

/** Figures the end-to-end test reads (time to first result, per-request times). */
interface DemoMetrics {
  backend: string | null;
  fusedKernels: boolean | null;
  kernelFlavor: string | null;
  /** Threads of the fused kernels (2 when the page is cross-origin isolated). */
  threads: number | null;
  /** Jobs the kernels' second thread had run after the latest request. */
  workerJobs: number;
  notes: string[];
  loadedMs: Partial<Record<ModelName, number>>;
  /** Progress updates received while each model downloaded. */
  progressEvents: Record<ModelName, number>;
  /** performance.now() (ms since navigation start) when the first translation was shown. */
  firstTranslationAt: number | null;
  translationMs: number[];
  sentimentMs: number[];
}

const metrics: DemoMetrics = { backend: null, fusedKernels: null, kernelFlavor: null, threads: null, workerJobs: 0, notes: [], loadedMs: {}, progressEvents: { translator: 0, sentiment: 0 }, firstTranslationAt: null, translationMs: [], sentimentMs: [] };
(window as unknown as { demoMetrics: DemoMetrics }).demoMetrics = metrics;

function el<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function fatal(message: string): void {
  const box = el<HTMLElement>('fatal');
  box.hidden = false;
  box.textContent = message;
  document.body.classList.add('failed');
}

const LABELS: Record<ModelName, string> = { translator: 'English→French model', sentiment: 'sentiment model' };
const PROGRESS: Record<ModelName, string> = { translator: 'translate', sentiment: 'sentiment' };

/** Models whose load failed: progress of their other files, still arriving, must not overwrite "failed". */
const failedModels = new Set<ModelName>();

function setProgress(model: ModelName, fraction: number, text?: string): void {
  if (failedModels.has(model) && text !== 'failed') return;
  const bar = el<HTMLProgressElement>(`${PROGRESS[model]}-progress`);
  bar.value = fraction;
  el<HTMLElement>(`${PROGRESS[model]}-progress-text`).textContent = text ?? `${Math.round(fraction * 100)}%`;
}

function start(): void {
  const missing = missingFeatures();
  if (missing.length > 0) {
    fatal(missingMessage(missing));
    el<HTMLElement>('backend').textContent = 'Not started.';
    return;
  }
  setupTabs(el('main').querySelector('[role="tablist"]') as HTMLElement);

  const params = new URLSearchParams(location.search);
  const models: Record<ModelName, string> = {
    translator: new URL('models/en-fr/', document.baseURI).href,
    sentiment: new URL('models/sentiment/', document.baseURI).href,
  };
  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'rnnkit-inference' });
  } catch (err) {
    fatal(`This browser could not start the inference worker (module workers are needed). ${(err as Error).message}`);
    return;
  }

  const client = new WorkerClient(worker, {
    onBackend(info) {
      metrics.backend = info.backend;
      metrics.fusedKernels = info.fusedKernels;
      metrics.kernelFlavor = info.kernelFlavor;
      metrics.threads = info.threads;
      metrics.notes = info.notes;
      const threads = info.threads > 1 ? `, ${info.threads} threads` : '';
      const kernels = info.fusedKernels ? ` · fused WebAssembly kernels (${info.kernelFlavor === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}${threads})` : '';
      const backend = el<HTMLElement>('backend');
      backend.textContent = [`Backend: ${info.backend}${kernels}`, ...info.notes].join(' · ');
      backend.dataset.backend = info.backend;
      backend.dataset.threads = String(info.threads);
    },
    onProgress(model, fraction) {
      metrics.progressEvents[model]++;
      setProgress(model, fraction);
    },
    onLoaded(model, ms) {
      metrics.loadedMs[model] = ms;
      setProgress(model, 1, `ready (${duration(ms)})`);
      el<HTMLElement>(`${PROGRESS[model]}-loading`).classList.add('done');
      (model === 'translator' ? translate : sentiment).setReady(true);
    },
    onTranslation(r) {
      if (metrics.firstTranslationAt === null) metrics.firstTranslationAt = performance.now();
      metrics.translationMs.push(r.ms);
      metrics.workerJobs = r.workerJobs;
      translate.show(r);
    },
    onSentiment(r) {
      metrics.sentimentMs.push(r.ms);
      metrics.workerJobs = r.workerJobs;
      sentiment.show(r);
    },
    onError(e) {
      const text = `${e.message} (${e.code})`;
      if (e.stage === 'worker' || e.stage === 'backend' || e.model === null) {
        fatal(e.stage === 'backend' ? `No TensorFlow.js backend could start in this browser (WebGPU, WebGL, WebAssembly and CPU were tried). ${text}` : `The inference worker failed: ${text}`);
        return;
      }
      const view = e.model === 'translator' ? translate : sentiment;
      if (e.stage === 'load') {
        failedModels.add(e.model);
        setProgress(e.model, 0, 'failed');
        view.showError(`The ${LABELS[e.model]} could not be loaded: ${text}`);
      } else {
        view.showError(`Something went wrong: ${text}`);
      }
    },
  });
  const translate = setupTranslateView((text, beam) => client.request({ type: 'translate', text, beam }));
  const sentiment = setupSentimentView((text) => client.request({ type: 'classify', text }));
  const threads = Number(params.get('threads'));
  client.init(models, params.get('backend'), Number.isInteger(threads) && threads > 0 ? threads : null);
}

start();
