// Per-line warnings of a CLI run on stderr: text cut to the maximum length, and results the model is
// unsure of because it knows few of the words (`truncated` / `lowCoverage` of a result). The first few
// of each kind are printed with their line; the rest are counted in one summary line at the end.
import { warn } from './output';

/** The fields of a Prediction / Translation that warrant a warning (absent in older results). */
export interface WarnableResult {
  truncated?: boolean;
  lowCoverage?: boolean;
  coverage?: number;
}

const SHOWN = 5;

export class LineWarnings {
  private readonly counts = { truncated: 0, lowCoverage: 0 };

  constructor(private readonly name: string, private readonly maxLength: number) {}

  /** A text the CLI itself cut (before the model saw it). */
  truncated(where: string): void {
    if (this.counts.truncated++ < SHOWN) warn(this.name, `${where}: too long; only its first part was used (the limit is ${this.maxLength} characters)`);
  }

  /** Checks one result (a Prediction, a Translation); `cutHere` when the CLI already reported this text as cut. */
  check(where: string, result: object, cutHere = false): void {
    const r = result as WarnableResult;
    if (r.truncated === true && !cutHere) this.truncated(where);
    if (r.lowCoverage === true && this.counts.lowCoverage++ < SHOWN) {
      const pct = typeof r.coverage === 'number' ? ` (${Math.round(r.coverage * 100)}% of its words)` : '';
      warn(this.name, `${where}: the model knows few of the words${pct}; the result is unreliable`);
    }
  }

  /** One line for the warnings that were counted but not shown. */
  finish(): void {
    const more = (n: number) => Math.max(0, n - SHOWN);
    if (more(this.counts.truncated) > 0) warn(this.name, `${more(this.counts.truncated)} more lines were cut (the limit is ${this.maxLength} characters)`);
    if (more(this.counts.lowCoverage) > 0) warn(this.name, `${more(this.counts.lowCoverage)} more lines had low vocabulary coverage`);
  }
}
