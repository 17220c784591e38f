// Classification metrics from gold and predicted class indices.

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** What `evaluate` returns. `confusion[gold][predicted]` counts, rows and columns in `labels` order. */
export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  labels: string[];
  confusion: number[][];
  count: number;
}

/** Computes accuracy, per-class precision/recall/F1, macro F1 and the confusion matrix. */
export function classificationMetrics(gold: readonly number[], predicted: readonly number[], labels: readonly string[]): Evaluation {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i] as number;
    (confusion[g] as number[])[p] = ((confusion[g] as number[])[p] as number) + 1;
    if (g === p) correct++;
  });
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  labels.forEach((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + (row[c] as number), 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[label] = { precision, recall, f1, support };
    f1Sum += f1;
  });
  return { accuracy: gold.length === 0 ? 0 : correct / gold.length, macroF1: k === 0 ? 0 : f1Sum / k, perClass, labels: [...labels], confusion, count: gold.length };
}
