// The inference worker: picks the backend, loads both shipped models from this site with progress,
// and answers translation and sentiment requests. One request runs at a time; the page stays free.
import * as tf from '@tensorflow/tfjs';
import { isRnnkitError, workerJobs } from '@rnnkit/core';
import { Preprocessor, SentimentClassifier } from '@rnnkit/sentiment';
import { Translator } from '@rnnkit/seq2seq';
import { setupBackend } from './backend';
import type { ErrorStage, FromWorker, ModelName, SentimentResult, ToWorker, TranslationResult } from './protocol';

const scope = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (m: FromWorker): void => scope.postMessage(m);

let translator: Promise<Translator> | null = null;
let classifier: Promise<SentimentClassifier> | null = null;

function report(err: unknown, id: number | null, model: ModelName | null, stage: ErrorStage): void {
  const code = isRnnkitError(err) ? err.code : 'ERROR';
  const message = err instanceof Error ? err.message : String(err);
  post({ type: 'error', id, model, stage, code, message });
}

/** The loaded model, or null after reporting (for request `id`) that it could not be loaded. */
async function ready<T>(model: Promise<T> | null, id: number, name: ModelName): Promise<T | null> {
  try {
    if (!model) throw new Error('Expected the worker to be initialized. Received: a request before init');
    return await model;
  } catch (err) {
    report(err, id, name, 'load');
    return null;
  }
}

async function load<T>(model: ModelName, run: (onProgress: (f: number) => void) => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await run((fraction) => post({ type: 'progress', model, fraction }));
  post({ type: 'loaded', model, ms: Math.round(performance.now() - t0) });
  return value;
}

async function init(models: Record<ModelName, string>, backend: string | null, threads: number | null): Promise<void> {
  const backendReady = setupBackend(backend, threads).then((info) => {
    post({ type: 'backend', ...info });
  });
  translator = backendReady.then(() => load('translator', (onProgress) => Translator.fromUrl(models.translator, { onProgress })));
  // the sentiment model loads after the translator (one download at a time on slow links), even if that failed
  classifier = backendReady.then(() => translator?.catch(() => undefined)).then(() => load('sentiment', (onProgress) => SentimentClassifier.fromUrl(models.sentiment, { onProgress })));
  backendReady.catch((err) => report(err, null, null, 'backend'));
  translator.catch((err) => report(err, null, 'translator', 'load'));
  classifier.catch((err) => report(err, null, 'sentiment', 'load'));
}

async function translate(id: number, text: string, beam: number): Promise<void> {
  const t = await ready(translator, id, 'translator');
  if (!t) return;
  const t0 = performance.now();
  const [r] = t.translate([text], { beam });
  const ms = performance.now() - t0;
  if (!r) throw new Error('Expected one translation. Received: none');
  const result: TranslationResult = {
    text: r.text, srcTokens: r.srcTokens, tokens: r.tokens, attention: r.attention, score: r.score, logProb: r.logProb, beam, ms, tensors: tf.memory().numTensors, workerJobs: workerJobs(),
  };
  post({ type: 'translation', id, result });
}

async function classify(id: number, text: string): Promise<void> {
  const clf = await ready(classifier, id, 'sentiment');
  if (!clf) return;
  const t0 = performance.now();
  const e = clf.explain(text);
  const ms = performance.now() - t0;
  const maxTokens = clf.preprocessor.config.maxLength;
  // the model reads the first maxLength tokens: count one more to tell whether the text had more
  const truncated = e.tokens.length >= maxTokens && new Preprocessor({ ...clf.preprocessor.config, maxLength: maxTokens + 1 }).tokens(text).length > maxTokens;
  const result: SentimentResult = { label: e.label, confidence: e.confidence, scores: e.scores, tokens: e.tokens, truncated, maxTokens, ms, tensors: tf.memory().numTensors, workerJobs: workerJobs() };
  post({ type: 'sentiment', id, result });
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'init') void init(m.models, m.backend, m.threads);
  else if (m.type === 'translate') translate(m.id, m.text, m.beam).catch((err) => report(err, m.id, 'translator', 'run'));
  else if (m.type === 'classify') classify(m.id, m.text).catch((err) => report(err, m.id, 'sentiment', 'run'));
};
