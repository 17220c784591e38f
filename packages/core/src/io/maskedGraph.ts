// Mask-correct inference for models with multi-input masking layers (Attention, AdditiveAttention).
// tfjs 4.22's graph executor passes a multi-input layer only the mask of its FIRST input (a single
// tensor), so Keras's value mask is lost in `model.predict`. This module runs the model's node
// graph itself, handing such layers the list of all input masks, and installs it as the model's
// `predict` / `predictOnBatch`.
import * as tf from '@tensorflow/tfjs';
import { BaseDenseAttention } from '../layers/attention';

interface GraphNode {
  outboundLayer: tf.layers.Layer;
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}
interface Graph {
  nodesByDepth: Record<string, GraphNode[]>;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
}

/** Layers that take the list of their inputs' masks (the rest get the first mask, as in tfjs). */
function wantsMaskList(layer: tf.layers.Layer): boolean {
  return layer instanceof BaseDenseAttention;
}

/** True if `model` has a node where a layer needing every input's mask is fed by several tensors. */
export function needsMaskedGraph(model: tf.LayersModel): boolean {
  const graph = model as unknown as Graph;
  return Object.values(graph.nodesByDepth).some((nodes) => nodes.some((n) => n.inputTensors.length > 1 && wantsMaskList(n.outboundLayer)));
}

/** Runs the model graph on concrete inputs with per-node masks (inference). Outputs in model order. */
export function runMaskedGraph(model: tf.LayersModel, inputs: tf.Tensor[]): tf.Tensor[] {
  const graph = model as unknown as Graph;
  return tf.tidy(() => {
    const values = new Map<number, [tf.Tensor, tf.Tensor | null]>();
    graph.inputs.forEach((x, i) => values.set(x.id, [inputs[i] as tf.Tensor, null]));
    const depths = Object.keys(graph.nodesByDepth).map(Number).sort((a, b) => b - a);
    for (const depth of depths) {
      for (const node of graph.nodesByDepth[depth] ?? []) {
        if (node.inputTensors.length === 0 || node.outboundLayer.getClassName() === 'InputLayer') continue; // its output is a model input
        const data = node.inputTensors.map((x) => values.get(x.id));
        if (data.some((d) => d === undefined)) continue;
        const xs = data.map((d) => (d as [tf.Tensor, tf.Tensor | null])[0]);
        const ms = data.map((d) => (d as [tf.Tensor, tf.Tensor | null])[1]);
        const layer = node.outboundLayer;
        const single = xs.length === 1;
        const mask = single || !wantsMaskList(layer) ? ms[0] : ms;
        const kwargs = { ...(node.callArgs ?? {}), mask: mask ?? undefined, training: false };
        const input = single ? (xs[0] as tf.Tensor) : xs;
        const outs = [layer.apply(input, kwargs)].flat() as tf.Tensor[];
        const outMasks = layer.supportsMasking ? [layer.computeMask(input, (single ? ms[0] : ms) as tf.Tensor[])].flat() : [];
        node.outputTensors.forEach((x, i) => values.set(x.id, [outs[i] as tf.Tensor, (outMasks[i] as tf.Tensor | null | undefined) ?? null]));
      }
    }
    return graph.outputs.map((x) => (values.get(x.id) as [tf.Tensor, tf.Tensor | null])[0]);
  });
}

function slice(x: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(x, [start], [size]);
}

/**
 * Replaces `model.predict` / `predictOnBatch` with the mask-correct graph runner when the model
 * needs it (see the module comment). Other methods (fit, evaluate, apply) keep tfjs's executor.
 */
export function installMaskedPredict(model: tf.LayersModel): void {
  if (!needsMaskedGraph(model)) return;
  const predictOnBatch = (x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] => {
    const outs = runMaskedGraph(model, Array.isArray(x) ? x : [x]);
    return outs.length === 1 ? (outs[0] as tf.Tensor) : outs;
  };
  const predict = (x: tf.Tensor | tf.Tensor[], args: { batchSize?: number } = {}): tf.Tensor | tf.Tensor[] => {
    const xs = Array.isArray(x) ? x : [x];
    const n = xs[0]?.shape[0] ?? 0;
    const batch = args.batchSize ?? 32;
    if (n <= batch) return predictOnBatch(x);
    const parts: tf.Tensor[][] = [];
    for (let start = 0; start < n; start += batch) {
      const size = Math.min(batch, n - start);
      parts.push(tf.tidy(() => runMaskedGraph(model, xs.map((t) => slice(t, start, size)))));
    }
    const outs = (parts[0] as tf.Tensor[]).map((_, i) => tf.concat(parts.map((p) => p[i] as tf.Tensor), 0)); // [n, ...]
    tf.dispose(parts);
    return outs.length === 1 ? (outs[0] as tf.Tensor) : outs;
  };
  Object.assign(model, { predict, predictOnBatch });
}
