// Messages between the page and the inference worker. All TensorFlow.js work happens in the worker, so
// a long translation or explanation never blocks the page.

/** The two shipped models. */
export type ModelName = 'translator' | 'sentiment';

/** One attention-annotated translation. */
export interface TranslationResult {
  text: string;
  /** Source and output model units (BPE pieces, `</w>` ends a word). */
  srcTokens: string[];
  tokens: string[];
  /** attention[i][j]: weight of source unit j when output unit i was produced. */
  attention: number[][];
  score: number;
  logProb: number;
  beam: number;
  /** Inference time in the worker, milliseconds. */
  ms: number;
  /** Live tensors in the worker after the request (flat across requests: no leak). */
  tensors: number;
  /** Jobs the kernels' second thread has run since the worker started (0 on one thread). */
  workerJobs: number;
}

export interface TokenScore {
  token: string;
  /** Probability change of the predicted label when the token is left out. */
  contribution: number;
  /** The same in log-odds (informative when the probability is near 1). */
  logOdds: number;
  unknown: boolean;
}

export interface SentimentResult {
  label: string;
  confidence: number;
  scores: Record<string, number>;
  tokens: TokenScore[];
  /** The model reads at most this many tokens; true when the text had more. */
  truncated: boolean;
  maxTokens: number;
  ms: number;
  tensors: number;
  /** Jobs the kernels' second thread has run since the worker started (0 on one thread). */
  workerJobs: number;
}

export interface BackendInfo {
  backend: string;
  /** @rnnkit/core's fused WebAssembly kernels are used on this backend. */
  fusedKernels: boolean;
  /** 'relaxed' or 'simd' when the kernels were compiled; null when they are not used. */
  kernelFlavor: string | null;
  /** Threads the fused kernels run on: 2 where the page is cross-origin isolated (and `?threads=1` is not set), else 1. */
  threads: number;
  /** Why the choice differs from the plain order, e.g. software WebGL ranked after WebAssembly. */
  notes: string[];
}

export type ToWorker =
  | { type: 'init'; models: Record<ModelName, string>; backend: string | null; threads: number | null }
  | { type: 'translate'; id: number; text: string; beam: number }
  | { type: 'classify'; id: number; text: string };

export type FromWorker =
  | ({ type: 'backend' } & BackendInfo)
  | { type: 'progress'; model: ModelName; fraction: number }
  | { type: 'loaded'; model: ModelName; ms: number }
  | { type: 'translation'; id: number; result: TranslationResult }
  | { type: 'sentiment'; id: number; result: SentimentResult }
  | { type: 'error'; id: number | null; model: ModelName | null; stage: ErrorStage; code: string; message: string };

/** Where a failure happened: choosing a backend, loading a model, or running a request. */
export type ErrorStage = 'backend' | 'load' | 'run';
