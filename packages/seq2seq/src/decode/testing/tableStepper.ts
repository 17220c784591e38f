// Test-only: a Stepper driven by hand-made log-probability tables (OpenNMT-py tests beam search this way).
import type { Stepper, StepOutput } from '../types';

// Vocabulary of the hand-made tables: 0 <pad>, 1 <bos>, 2 <eos>, 3 a, 4 b, 5 c.
export const V = 6;
export const BOS = 1;
export const EOS = 2;
const NEG = -Infinity;

/** Next-token log-probabilities by prefix ('' = after <bos>, '3,5' = after a c). */
export type Table = Record<string, Record<number, number>>;

/**
 * A stepper whose next-token log-probabilities depend only on the prefix (the tokens fed so far after
 * <bos>), looked up in a table keyed by the prefix joined with ','; unknown prefixes end with <eos>.
 * With one table per source, row r starts as source r. Records the rows of every step.
 */
export class TableStepper implements Stepper {
  readonly vocabSize = V;
  readonly srcLen = 2;
  readonly stepRows: number[] = [];
  private prefixes: number[][];
  private srcOf: number[];
  private readonly tables: Table[];
  constructor(table: Table | Table[], rows = 1) {
    this.tables = Array.isArray(table) ? table : [table];
    this.prefixes = Array.from({ length: rows }, () => []);
    this.srcOf = Array.from({ length: rows }, (_, r) => r);
  }
  get rows(): number {
    return this.prefixes.length;
  }
  step(tokens: Int32Array): StepOutput {
    this.stepRows.push(this.rows);
    const logProbs = new Float32Array(this.rows * V).fill(NEG);
    const attention = new Float32Array(this.rows * 2);
    this.prefixes = this.prefixes.map((p, r) => {
      const tok = tokens[r] as number;
      const prefix = tok === BOS ? [] : [...p, tok];
      const table = this.tables[this.srcOf[r] as number] ?? (this.tables[0] as Table);
      const dist = table[prefix.join(',')] ?? { [EOS]: 0 };
      for (const [v, lp] of Object.entries(dist)) logProbs[r * V + Number(v)] = lp;
      attention[r * 2 + (prefix.length % 2)] = 1;
      return prefix;
    });
    return { logProbs, attention };
  }
  select(rows: Int32Array): void {
    this.prefixes = Array.from(rows, (r) => [...(this.prefixes[r] as number[])]);
    this.srcOf = Array.from(rows, (r) => this.srcOf[r] as number);
  }
  dispose(): void {}
}
