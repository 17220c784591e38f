// The page's side of the worker: starts it, sends requests with ids, and for each kind of request
// keeps only the newest one waiting (typing fast and pressing Enter twice never queues stale work).
import type { ErrorStage, FromWorker, ModelName, SentimentResult, ToWorker, TranslationResult } from './protocol';

export interface ClientEvents {
  onBackend(info: Extract<FromWorker, { type: 'backend' }>): void;
  onProgress(model: ModelName, fraction: number): void;
  onLoaded(model: ModelName, ms: number): void;
  onTranslation(result: TranslationResult): void;
  onSentiment(result: SentimentResult): void;
  /** A failure: of a request (`id`), of loading a model (`model`), or of the worker itself (neither). */
  onError(error: { id: number | null; model: ModelName | null; stage: ErrorStage | 'worker'; code: string; message: string }): void;
}

type Request = { type: 'translate'; text: string; beam: number } | { type: 'classify'; text: string };

export class WorkerClient {
  private nextId = 1;
  private busy: Record<Request['type'], number | null> = { translate: null, classify: null };
  private waiting: Record<Request['type'], Request | null> = { translate: null, classify: null };

  constructor(private readonly worker: Worker, private readonly events: ClientEvents) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      events.onError({ id: null, model: null, stage: 'worker', code: 'WORKER', message: e.message || 'The inference worker could not start (this browser may not support module workers).' });
    });
  }

  init(models: Record<ModelName, string>, backend: string | null, threads: number | null = null): void {
    this.post({ type: 'init', models, backend, threads });
  }

  /** Sends the request now, or keeps it as the next one when a request of its kind is running. */
  request(r: Request): void {
    if (this.busy[r.type] !== null) {
      this.waiting[r.type] = r;
      return;
    }
    const id = this.nextId++;
    this.busy[r.type] = id;
    this.post(r.type === 'translate' ? { type: 'translate', id, text: r.text, beam: r.beam } : { type: 'classify', id, text: r.text });
  }

  private finished(kind: Request['type']): void {
    this.busy[kind] = null;
    const next = this.waiting[kind];
    this.waiting[kind] = null;
    if (next) this.request(next);
  }

  /** A model that failed to load answers nothing more: drop what waits for it. */
  private failModel(kind: Request['type']): void {
    this.waiting[kind] = null;
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'backend': this.events.onBackend(m); break;
      case 'progress': this.events.onProgress(m.model, m.fraction); break;
      case 'loaded': this.events.onLoaded(m.model, m.ms); break;
      case 'translation':
        this.finished('translate');
        this.events.onTranslation(m.result);
        break;
      case 'sentiment':
        this.finished('classify');
        this.events.onSentiment(m.result);
        break;
      case 'error':
        if (m.id !== null) this.finished(m.id === this.busy.classify ? 'classify' : 'translate');
        else if (m.model !== null) this.failModel(m.model === 'translator' ? 'translate' : 'classify');
        this.events.onError(m);
        break;
    }
  }
}
