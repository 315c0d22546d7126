// Statistics against direct computation and published values: Tally (Welford) vs two-pass
// mean/variance, TimeWeighted levels, type-7 quantiles as R/numpy give them, Student t, summarize.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  median,
  quantile,
  SimAssertionError,
  summarize,
  t975,
  Tally,
  TimeWeighted,
} from '../../src/sim/index.js';

describe('Tally', () => {
  it('matches the two-pass mean and sample variance, min, max and sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 200 }),
        (xs) => {
          const t = new Tally();
          for (const x of xs) t.add(x);
          const n = xs.length;
          const mean = xs.reduce((a, b) => a + b, 0) / n;
          const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
          const scale = Math.max(1, ...xs.map(Math.abs));
          expect(t.n).toBe(n);
          expect(Math.abs(t.mean - mean)).toBeLessThanOrEqual(1e-9 * scale);
          expect(Math.abs(t.variance - variance)).toBeLessThanOrEqual(1e-7 * scale * scale);
          expect(t.stddev).toBeCloseTo(Math.sqrt(t.variance), 12);
          // numeric equality: with both 0 and -0 drawn, which zero is the minimum is not a property
          expect(t.min === Math.min(...xs)).toBe(true);
          expect(t.max === Math.max(...xs)).toBe(true);
          expect(Math.abs(t.sum - mean * n)).toBeLessThanOrEqual(1e-6 * scale * n);
        },
      ),
    );
  });

  it('stays accurate for a large offset (where the one-pass sum of squares fails)', () => {
    const t = new Tally();
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) t.add(x);
    expect(t.mean).toBe(1e9 + 10);
    expect(t.variance).toBe(30);
  });

  it('has variance 0 for fewer than two values', () => {
    const t = new Tally();
    expect(t.variance).toBe(0);
    t.add(5);
    expect([t.n, t.mean, t.variance, t.min, t.max]).toEqual([1, 5, 0, 5, 5]);
  });
});

describe('TimeWeighted', () => {
  it('averages a level over time', () => {
    const tw = new TimeWeighted(0, 2); // level 2 on [0, 10)
    tw.set(10, 5); // 5 on [10, 30)
    tw.set(30, 0); // 0 on [30, 40)
    expect(tw.areaUntil(30)).toBe(2 * 10 + 5 * 20);
    expect(tw.meanUntil(40)).toBe((20 + 100) / 40);
    expect(tw.current).toBe(0);
  });

  it('starts its window at startMs and rejects time going backwards', () => {
    const tw = new TimeWeighted(1_000, 4);
    tw.set(1_500, 8);
    expect(tw.meanUntil(2_000)).toBe(6);
    expect(tw.meanUntil(1_000)).toBe(8); // empty window: the current level
    expect(() => tw.set(1_400, 1)).toThrow(SimAssertionError);
  });
});

describe('quantile (type 7)', () => {
  it('interpolates between order statistics as R and numpy do', () => {
    const xs = [1, 2, 3, 4];
    expect(quantile(xs, 0)).toBe(1);
    expect(quantile(xs, 0.25)).toBe(1.75);
    expect(quantile(xs, 0.5)).toBe(2.5);
    expect(quantile(xs, 1)).toBe(4);
    expect(quantile([1, 3, 7, 15], 0.9)).toBeCloseTo(12.6, 12); // numpy.quantile
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
    expect(quantile([42], 0.3)).toBe(42);
    expect(() => quantile([], 0.5)).toThrow(SimAssertionError);
  });
});

describe('median', () => {
  it('takes a sample in any order, leaves it as it was, and averages the two middles of an even one', () => {
    const xs = [9, 1, 5, 3];
    expect(median(xs)).toBe(4);
    expect(xs).toEqual([9, 1, 5, 3]);
    expect(median([7, -2, 3])).toBe(3);
    expect(median([10, 2])).toBe(6); // numeric order, not the default string order
    expect(() => median([])).toThrow(SimAssertionError);
  });
});

describe('t975', () => {
  it('gives the two-sided 95% Student t quantiles', () => {
    expect(t975(1)).toBeCloseTo(12.706, 3);
    expect(t975(10)).toBeCloseTo(2.228, 3);
    expect(t975(19)).toBeCloseTo(2.093, 3);
    expect(t975(30)).toBeCloseTo(2.042, 3);
    expect(Math.abs(t975(40) - 2.021)).toBeLessThan(1e-3);
    expect(Math.abs(t975(100) - 1.984)).toBeLessThan(1e-3);
    expect(Math.abs(t975(1e6) - 1.96)).toBeLessThan(1e-3);
    expect(() => t975(0)).toThrow(SimAssertionError);
  });

  it('decreases with the degrees of freedom, also across the table end', () => {
    for (let df = 1; df < 300; df++) expect(t975(df + 1)).toBeLessThan(t975(df));
  });
});

describe('summarize', () => {
  it('gives mean ± t975(n−1)·s/√n, the quantiles and the extremes', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    const half = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.stddev).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.ci95Low).toBeCloseTo(3 - half, 9);
    expect(s.ci95High).toBeCloseTo(3 + half, 9);
    expect([s.min, s.p50, s.max]).toEqual([1, 3, 5]);
    expect(s.p95).toBeCloseTo(4.8, 12);
  });

  it('has a zero-width interval for one value and rejects none', () => {
    const s = summarize([7]);
    expect([s.ci95Low, s.ci95High, s.p50]).toEqual([7, 7, 7]);
    expect(() => summarize([])).toThrow(SimAssertionError);
  });
});
