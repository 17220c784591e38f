// Corpus chrF as sacreBLEU 2.x computes it by default (chrF2: character n-grams of orders 1-6 with
// whitespace removed, no word n-grams, beta 2, statistics summed over the corpus, precision and recall
// averaged over the orders that occur). No maintained npm package computes chrF, hence this file.

const ORDER = 6;
const BETA = 2;

function ngramCounts(line: string, n: number): Map<string, number> {
  const s = line.split(/\s+/).join('');
  const m = new Map<string, number>();
  for (let i = 0; i + n <= s.length; i++) {
    const g = s.slice(i, i + n);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** chrF (0..100) of hypotheses against one reference each, corpus-level. */
export function corpusChrf(hyps: readonly string[], refs: readonly string[]): number {
  if (hyps.length !== refs.length) throw new Error(`Expected as many references as hypotheses. Received: ${refs.length} and ${hyps.length}`);
  const stats = Array.from({ length: ORDER }, () => ({ hyp: 0, ref: 0, match: 0 }));
  hyps.forEach((h, k) => {
    for (let n = 1; n <= ORDER; n++) {
      const hc = ngramCounts(h, n);
      const rc = ngramCounts(refs[k] as string, n);
      const st = stats[n - 1] as { hyp: number; ref: number; match: number };
      for (const [g, c] of hc) {
        st.hyp += c;
        st.match += Math.min(c, rc.get(g) ?? 0);
      }
      for (const c of rc.values()) st.ref += c;
    }
  });
  let prec = 0;
  let rec = 0;
  let orders = 0;
  for (const s of stats) {
    if (s.hyp > 0 && s.ref > 0) {
      prec += s.match / s.hyp;
      rec += s.match / s.ref;
      orders++;
    }
  }
  if (orders === 0) return 0;
  prec /= orders;
  rec /= orders;
  const f = BETA * BETA;
  return prec + rec > 0 ? (100 * (1 + f) * prec * rec) / (f * prec + rec) : 0;
}
