// SentimentClassifier: text in, label + class probabilities out. Owns the vocabulary, labels,
// preprocessing and the network; trains, evaluates, explains, saves and loads.
import * as tf from '@tensorflow/tfjs';
import { ensureBackend, isModelUrl, locateShippedModel, RnnkitError, type FetchModelOptions, type Quantization } from '@rnnkit/core';
import { assertText, assertTexts, isBlank, Vocab, type WordVectors } from '@rnnkit/text';
import type { Example } from './data';
import { explainWithOcclusion, type Explanation } from './explain';
import { readClassifierFromUrl, readMeta, readNetwork, writeClassifier, type SentimentMeta } from './io';
import { classificationMetrics, type Evaluation } from './metrics';
import { buildNetwork, DEFAULT_NETWORK, forwardPass, type NetworkConfig } from './model';
import { Preprocessor, type PreprocessConfig } from './preprocess';
import { assertFiniteOutputs } from './probe';
import { emptyResult, readText, type Prediction, type TextFlags } from './textInput';

import type { EncodedData, TrainOptions, TrainResult } from './train';

export type { Prediction };

/** Options of a new classifier: the architecture, preprocessing and vocabulary. */
export interface ClassifierOptions extends Partial<Omit<NetworkConfig, 'vocabSize' | 'numClasses'>> {
  preprocess?: Partial<PreprocessConfig>;
  /** Keep words seen at least this often in the training data. Default 1. */
  minFreq?: number;
  /** Largest vocabulary (specials included). Default 50,000. */
  maxVocab?: number;
  /** Label order; default: sorted labels of the training data. */
  labels?: string[];
  /** Pretrained vectors for the vocabulary, e.g. `(v) => loadWinkEmbeddings(v)` from @rnnkit/text. */
  pretrained?: (vocab: Vocab) => Promise<WordVectors> | WordVectors;
  /** Words to add to the vocabulary besides the training words (e.g. those with pretrained vectors). */
  extraWords?: readonly string[];
  /** Seed of the weight initialization. Default 1. */
  seed?: number;
}

/** Full training options: {@link TrainOptions} plus a dev set. */
export interface ClassifierTrainOptions extends TrainOptions {
  dev?: readonly Example[];
}

/** Options of `save`. */
export interface SaveOptions {
  /** Store weights as float16, uint8, or 'mixed' (uint8 embeddings, float16 rest): smaller files, dequantized on load. Default 'none'. */
  quantization?: Quantization;
  /** Facts recorded in sentiment.json (`info`). */
  info?: Record<string, unknown>;
}

const INFER_BATCH = 128;

export class SentimentClassifier {
  private model: tf.LayersModel | null = null;
  private vocabulary: Vocab | null = null;
  private labelList: string[] = [];
  private network: NetworkConfig | null = null;
  readonly preprocessor: Preprocessor;
  private readonly options: ClassifierOptions;
  private meta: Record<string, unknown> = {};

  constructor(options: ClassifierOptions = {}) {
    this.options = options;
    this.preprocessor = new Preprocessor(options.preprocess);
  }

  /** Labels in output order (known after the first `train` or `load`). */
  get labels(): readonly string[] {
    return this.labelList;
  }

  get vocab(): Vocab {
    return this.ready().vocab;
  }

  /** The network config (after `train` or `load`). */
  get config(): NetworkConfig {
    return this.ready().network;
  }

  /** The tf.LayersModel (after `train` or `load`). */
  get layersModel(): tf.LayersModel {
    return this.ready().model;
  }

  /** Facts stored with the model (`info` of sentiment.json). */
  get info(): Record<string, unknown> {
    return this.meta;
  }

  private ready(): { model: tf.LayersModel; vocab: Vocab; network: NetworkConfig } {
    if (!this.model || !this.vocabulary || !this.network) throw new RnnkitError('INVALID_STATE', 'Expected a trained or loaded classifier. Received: call train() or SentimentClassifier.load() first');
    return { model: this.model, vocab: this.vocabulary, network: this.network };
  }

  /** Builds vocabulary, labels and network from training data (done by the first `train`). */
  async build(trainData: readonly Example[]): Promise<void> {
    if (this.model) return;
    const o = this.options;
    const labels = o.labels ? [...o.labels] : [...new Set(trainData.map((e) => e.label))].sort();
    if (labels.length < 2) throw new RnnkitError('INVALID_ARGUMENT', `Expected at least 2 distinct labels in the training data. Received: ${JSON.stringify(labels)}`);
    const counts = new Map<string, number>();
    for (const e of trainData) for (const t of this.preprocessor.tokens(e.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const w of o.extraWords ?? []) if (!counts.has(w)) counts.set(w, o.minFreq ?? 1);
    const vocab = Vocab.fromCounts(counts, { minFreq: o.minFreq ?? 1, maxSize: o.maxVocab ?? 50_000 });
    const network: NetworkConfig = { ...DEFAULT_NETWORK, ...stripUndefined(o), vocabSize: vocab.size, numClasses: labels.length };
    let pretrained: tf.Tensor2D | undefined;
    if (o.pretrained) {
      const vectors = await o.pretrained(vocab);
      pretrained = vectors.toTensor();
      if (pretrained.shape[0] !== vocab.size || pretrained.shape[1] !== network.embeddingDim) {
        const got = pretrained.shape;
        pretrained.dispose();
        throw new RnnkitError('INVALID_SHAPE', `Expected pretrained vectors of shape [${vocab.size}, ${network.embeddingDim}]. Received: [${got.join(', ')}]`);
      }
    }
    try {
      this.model = buildNetwork(network, { pretrained, seed: o.seed ?? 1 });
    } finally {
      pretrained?.dispose();
    }
    this.vocabulary = vocab;
    this.labelList = labels;
    this.network = network;
  }

  private encode(data: readonly Example[]): EncodedData {
    const { vocab } = this.ready();
    const ids: number[][] = [];
    const y: number[] = [];
    for (const e of data) {
      const c = this.labelList.indexOf(e.label);
      if (c < 0) throw new RnnkitError('INVALID_ARGUMENT', `Expected a label among ${JSON.stringify(this.labelList)}. Received: ${JSON.stringify(e.label)}${e.line ? ` (line ${e.line})` : ''}`);
      ids.push(this.idsOf(e.text, vocab));
      y.push(c);
    }
    return { ids, y };
  }

  private idsOf(text: string, vocab: Vocab): number[] {
    const ids = this.preprocessor.ids(text, vocab);
    return ids.length > 0 ? ids : [vocab.unkId]; // an empty text still gets one (unknown) step
  }

  /** The network's forward pass (class probabilities `[batch, classes]`). */
  forward(ids: tf.Tensor2D, training = false): tf.Tensor2D {
    return forwardPass(this.ready().model, ids, training);
  }

  /** Probabilities for already encoded sequences, in chunks; returns a flat [n * classes] array. */
  probabilities(seqs: readonly number[][]): Float32Array {
    const k = this.labelList.length;
    const out = new Float32Array(seqs.length * k);
    const order = seqs.map((_, i) => i).sort((a, b) => (seqs[a] as number[]).length - (seqs[b] as number[]).length);
    for (let s = 0; s < order.length; s += INFER_BATCH) {
      const chunk = order.slice(s, s + INFER_BATCH);
      const maxLen = Math.max(1, ...chunk.map((i) => (seqs[i] as number[]).length));
      const buf = new Int32Array(chunk.length * maxLen);
      chunk.forEach((i, r) => buf.set(seqs[i] as number[], r * maxLen));
      const probs = tf.tidy(() => this.forward(tf.tensor2d(buf, [chunk.length, maxLen], 'int32'), false));
      const data = probs.dataSync();
      probs.dispose();
      chunk.forEach((i, r) => out.set(data.subarray(r * k, (r + 1) * k), i * k));
    }
    return out;
  }

  private toPrediction(p: ArrayLike<number>, flags: TextFlags): Prediction {
    let best = 0;
    const scores: Record<string, number> = {};
    this.labelList.forEach((l, c) => {
      scores[l] = p[c] as number;
      if ((p[c] as number) > (p[best] as number)) best = c;
    });
    return { label: this.labelList[best] as string, confidence: p[best] as number, scores, ...flags };
  }

  /**
   * Label, confidence and all class probabilities of one text, with `coverage`, `lowCoverage`, `empty`
   * and `truncated` (see {@link TextFlags}). INVALID_ARGUMENT when `text` is not a string.
   */
  predict(text: string): Prediction {
    assertText(text);
    return this.predictBatch([text])[0] as Prediction;
  }

  /** Predictions for many texts (batched, order kept); empty texts get the empty result without a model call. */
  predictBatch(texts: readonly string[]): Prediction[] {
    assertTexts(texts);
    const { vocab } = this.ready();
    const k = this.labelList.length;
    const read = texts.map((t) => (isBlank(t) ? null : readText(t, this.preprocessor, vocab)));
    const live = read.filter((r) => r !== null);
    const probs = this.probabilities(live.map((r) => r.ids));
    let j = 0;
    return read.map((r) => {
      if (r === null) return emptyResult(this.labelList);
      const p = this.toPrediction(probs.subarray(j * k, (j + 1) * k), { coverage: r.coverage, lowCoverage: r.lowCoverage, empty: false, truncated: r.truncated });
      j++;
      return p;
    });
  }

  /** Accuracy, per-class precision / recall / F1 / support, macro F1 and the confusion matrix. */
  evaluate(data: readonly Example[]): Evaluation {
    const enc = this.encode(data);
    return this.evaluateEncoded(enc);
  }

  /** {@link evaluate} on encoded data. */
  evaluateEncoded(enc: EncodedData): Evaluation {
    const k = this.labelList.length;
    const probs = this.probabilities(enc.ids);
    const predicted = enc.y.map((_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if ((probs[i * k + c] as number) > (probs[i * k + best] as number)) best = c;
      return best;
    });
    return classificationMetrics(enc.y, predicted, this.labelList);
  }

  /** Trains (building the network first if needed); early-stops on `dev` accuracy and keeps the best weights. */
  async train(trainData: readonly Example[], options: ClassifierTrainOptions = {}): Promise<TrainResult> {
    await this.build(trainData);
    const { trainLoop } = await import('./train');
    const train = this.encode(trainData);
    const dev = options.dev && options.dev.length > 0 ? this.encode(options.dev) : null;
    return trainLoop(
      {
        model: this.ready().model,
        numClasses: this.labelList.length,
        labels: this.labelList,
        forward: (ids, training) => this.forward(ids, training),
        evaluateEncoded: (d) => this.evaluateEncoded(d),
      },
      train,
      dev,
      options,
    );
  }

  /** Per-token contributions to the predicted class (occlusion); the same input contract as {@link predict}. */
  explain(text: string): Explanation {
    assertText(text);
    this.ready();
    return isBlank(text) ? { ...emptyResult(this.labelList), tokens: [] } : explainWithOcclusion(this, text);
  }

  /** Saves to a folder (atomically): model.json, weights, sentiment.json. */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    const { model, vocab, network } = this.ready();
    this.meta = { ...this.meta, ...options.info };
    const meta: SentimentMeta = {
      format: 'rnnkit-sentiment', version: 1, labels: [...this.labelList], network, preprocess: this.preprocessor.config,
      vocabFingerprint: vocab.fingerprint, vocab: vocab.toJSON(), info: this.meta,
    };
    await writeClassifier(dir, model, meta, options.quantization ?? 'none');
  }

  /**
   * Loads a classifier. With no `source`, the English model shipped in this package (its `model/`
   * folder, found from the module's own location: a folder in Node from any working directory, assets
   * your bundler emits in a web app). Otherwise a saved classifier: a folder path in Node, or a URL
   * (http(s) anywhere; in browsers and workers also a path relative to the page, e.g. a copy of
   * `node_modules/@rnnkit/sentiment/model/` you serve yourself), read with `fetch`. INVALID_MODEL for a
   * folder or URL that is not one, MISMATCH for a vocabulary that does not match, IO_ERROR when it
   * cannot be read.
   */
  static async load(source?: string | URL, options: FetchModelOptions = {}): Promise<SentimentClassifier> {
    await ensureBackend();
    if (source === undefined) {
      const { shippedModelAssets } = await import('./shipped');
      const shipped = await locateShippedModel(shippedModelAssets());
      if (shipped.kind === 'folder') return SentimentClassifier.load(shipped.dir, options);
      const { meta, vocab, model } = await readClassifierFromUrl(shipped.base, options, shipped.assets);
      return SentimentClassifier.fromParts(meta, vocab, model);
    }
    if (source instanceof URL) return SentimentClassifier.fromUrl(source, options);
    if (typeof source !== 'string') {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected source to be a folder path, a URL or nothing (the shipped model). Received: ${typeof source}`);
    }
    if (isModelUrl(source)) return SentimentClassifier.fromUrl(source, options);
    const { meta, vocab } = await readMeta(source);
    return SentimentClassifier.fromParts(meta, vocab, await readNetwork(source, meta));
  }

  /** Loads a saved classifier from a base URL with `fetch` (injectable), reporting progress. */
  static async fromUrl(url: string | URL, options: FetchModelOptions = {}): Promise<SentimentClassifier> {
    await ensureBackend();
    const { meta, vocab, model } = await readClassifierFromUrl(url, options);
    return SentimentClassifier.fromParts(meta, vocab, model);
  }

  private static fromParts(meta: SentimentMeta, vocab: Vocab, model: tf.LayersModel): SentimentClassifier {
    let clf: SentimentClassifier;
    try {
      clf = new SentimentClassifier({ preprocess: meta.preprocess });
    } catch (err) {
      model.dispose();
      throw err;
    }
    clf.model = model;
    clf.vocabulary = vocab;
    clf.labelList = [...meta.labels];
    clf.network = { ...meta.network };
    clf.meta = meta.info ?? {};
    try {
      assertFiniteOutputs(clf); // both load paths pass here: refuse a model whose outputs are NaN/Infinity
    } catch (err) {
      clf.dispose();
      throw err;
    }
    return clf;
  }

  /**
   * Re-indexes the embedding rows to another vocabulary (e.g. the same words in another order, to
   * ensemble models trained on differently counted data); words the model does not know get its
   * `<unk>` row. Returns how many of the new vocabulary's words were unknown to the model.
   */
  remapVocab(vocab: Vocab): number {
    const { model, vocab: old, network } = this.ready();
    if ((network.members ?? 1) !== 1) throw new RnnkitError('UNSUPPORTED', 'Expected a single model (not an ensemble) to remap. Received: an ensemble');
    const layer = model.getLayer('embedding');
    const [table] = layer.getWeights();
    if (!table) throw new RnnkitError('INVALID_MODEL', 'Expected embedding weights. Received: none');
    let missing = 0;
    const rows = vocab.tokens.map((t) => {
      if (old.has(t)) return old.id(t);
      missing++;
      return old.unkId;
    });
    const remapped = tf.tidy(() => tf.gather(table, tf.tensor1d(rows, 'int32')));
    if (vocab.size !== old.size) {
      remapped.dispose();
      throw new RnnkitError('UNSUPPORTED', `Expected a vocabulary of the same size (${old.size}). Received: ${vocab.size}`);
    }
    layer.setWeights([remapped]);
    remapped.dispose();
    this.vocabulary = vocab;
    return missing;
  }

  /**
   * Averages the class probabilities of trained single models that share vocabulary, labels and
   * preprocessing (e.g. the same data with different seeds): one network with one branch per member,
   * their weights copied. Saves and loads like any classifier.
   */
  static ensemble(members: readonly SentimentClassifier[]): SentimentClassifier {
    const first = members[0];
    if (!first || members.length < 2) throw new RnnkitError('INVALID_ARGUMENT', `Expected at least 2 members. Received: ${members.length}`);
    const base = first.ready();
    for (const m of members) {
      const r = m.ready();
      const same = r.vocab.fingerprint === base.vocab.fingerprint && JSON.stringify(m.labels) === JSON.stringify(first.labels)
        && JSON.stringify(m.preprocessor.config) === JSON.stringify(first.preprocessor.config) && (r.network.members ?? 1) === 1
        && r.network.units === base.network.units && r.network.cell === base.network.cell && r.network.numLayers === base.network.numLayers
        && r.network.bidirectional === base.network.bidirectional && r.network.pooling === base.network.pooling && r.network.embeddingDim === base.network.embeddingDim;
      if (!same) throw new RnnkitError('MISMATCH', 'Expected ensemble members with the same vocabulary, labels, preprocessing and architecture (single models). Received: a member that differs');
    }
    // Frozen embeddings that are identical in every member (the same pretrained vectors) are stored once.
    const shared = members.every((m) => m.ready().network.trainEmbeddings === false) && sameEmbeddings(members.map((m) => m.ready().model));
    const network: NetworkConfig = { ...base.network, members: members.length, ...(shared ? { sharedEmbedding: true } : {}) };
    const clf = new SentimentClassifier({ preprocess: first.preprocessor.config });
    const model = buildNetwork(network);
    members.forEach((m, k) => {
      for (const layer of m.ready().model.layers) {
        if (layer.weights.length === 0) continue;
        if (shared && layer.name === 'embedding') {
          if (k === 0) model.getLayer('embedding').setWeights(layer.getWeights());
          continue;
        }
        const target = model.getLayer(`${layer.name}_m${k}`);
        target.setWeights(layer.getWeights());
      }
    });
    clf.model = model;
    clf.vocabulary = base.vocab;
    clf.labelList = [...first.labels];
    clf.network = network;
    clf.meta = { members: members.map((m) => m.info) };
    return clf;
  }

  /** Frees the network's tensors. */
  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

/** Whether the `embedding` layers of single models hold exactly the same table. */
function sameEmbeddings(models: readonly tf.LayersModel[]): boolean {
  const tables = models.map((m) => m.getLayer('embedding').getWeights()[0]);
  const first = tables[0];
  if (!first) return false;
  const ref = first.dataSync();
  return tables.every((t) => {
    if (!t || t.size !== first.size) return false;
    const d = t.dataSync();
    for (let i = 0; i < d.length; i++) if (d[i] !== ref[i]) return false;
    return true;
  });
}

function stripUndefined(o: ClassifierOptions): Partial<NetworkConfig> {
  const keys: Array<keyof ClassifierOptions & keyof NetworkConfig> = ['embeddingDim', 'cell', 'units', 'numLayers', 'bidirectional', 'pooling', 'dropout', 'embeddingDropout', 'trainEmbeddings', 'members', 'sharedEmbedding'];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as Partial<NetworkConfig>;
}
