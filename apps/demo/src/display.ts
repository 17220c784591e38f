// How model units and scores look on the page: BPE pieces as readable words, heat-map and
// contribution colours (light backgrounds under dark text: WCAG AA contrast at every level).

const END = '</w>';

/** A BPE unit for display: `cat</w>` -> `cat`; a piece inside a word gets a trailing `·` (`bla·` `ck`). */
export function unitLabel(unit: string): string {
  return unit.endsWith(END) ? unit.slice(0, -END.length) : `${unit}·`;
}

/** Clamps to [0, 1]. */
function unit01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Heat-map colour of an attention weight in [0, 1]: white to deep blue. */
export function heatColor(weight: number): string {
  const w = unit01(weight);
  const lightness = 98 - w * 68; // 98% .. 30%
  return `hsl(215 80% ${lightness.toFixed(1)}%)`;
}

/**
 * Background of a token by its signed share `s` in [-1, 1] of the decision for the positive label:
 * blue for positive, orange for negative, white for none. Lightness stays >= 70%, so #111 text keeps
 * a contrast above 7:1.
 */
export function contributionColor(s: number): string {
  const v = Math.max(-1, Math.min(1, Number.isFinite(s) ? s : 0));
  const lightness = 98 - Math.abs(v) * 28; // 98% .. 70%
  return v >= 0 ? `hsl(210 90% ${lightness.toFixed(1)}%)` : `hsl(28 95% ${lightness.toFixed(1)}%)`;
}

/** A signed number with a fixed number of digits: +0.12, −0.40 (true minus sign). */
export function signed(x: number, digits = 2): string {
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? `\u2212${s}` : `+${s}`;
}

/** Milliseconds for people: 85 ms, 1.2 s. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}
