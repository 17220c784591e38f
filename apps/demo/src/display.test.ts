import { contributionColor, duration, heatColor, signed, unitLabel } from './display';

/** WCAG relative luminance of an `hsl(h s% l%)` colour. */
function luminanceOfHsl(css: string): number {
  const m = /hsl\(([\d.]+) ([\d.]+)% ([\d.]+)%\)/.exec(css);
  if (!m) throw new Error(`not hsl: ${css}`);
  const [h, s, l] = [Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100];
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(f(0)) + 0.7152 * lin(f(8)) + 0.0722 * lin(f(4));
}

function contrast(l1: number, l2: number): number {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

const TEXT_111 = 0.0056; // luminance of #111111

describe('display', () => {
  it('shows BPE units as words, marking pieces inside a word', () => {
    expect(unitLabel('cat</w>')).toBe('cat');
    expect(unitLabel('bla')).toBe('bla·');
    expect(unitLabel('.</w>')).toBe('.');
  });

  it('token backgrounds keep #111 text above WCAG AA (4.5:1) at every contribution', () => {
    for (let s = -1; s <= 1.0001; s += 0.05) {
      expect(contrast(luminanceOfHsl(contributionColor(s)), TEXT_111)).toBeGreaterThanOrEqual(4.5);
    }
    expect(contributionColor(Number.NaN)).toBe(contributionColor(0));
  });

  it('heat colours darken monotonically with the weight, clamped to [0, 1]', () => {
    const lum = [0, 0.25, 0.5, 0.75, 1].map((w) => luminanceOfHsl(heatColor(w)));
    for (let i = 1; i < lum.length; i++) expect(lum[i] as number).toBeLessThan(lum[i - 1] as number);
    expect(heatColor(2)).toBe(heatColor(1));
    expect(heatColor(-1)).toBe(heatColor(0));
    // the strongest cell stands out against the page (non-text contrast >= 3:1 on white)
    expect(contrast(luminanceOfHsl(heatColor(1)), 1)).toBeGreaterThanOrEqual(3);
  });

  it('formats signed numbers with a true minus sign, and durations', () => {
    expect(signed(0.123)).toBe('+0.12');
    expect(signed(-0.4)).toBe('\u22120.40');
    expect(signed(-0.0001)).toBe('+0.00');
    expect(duration(85.4)).toBe('85 ms');
    expect(duration(1234)).toBe('1.23 s');
    expect(duration(12345)).toBe('12.3 s');
  });
});
