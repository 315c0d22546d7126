// Distributions at a fixed seed: sample means (and spreads) against the requested ones, the
// ziggurat exponential and normal against their CDFs, and drawMs's whole-millisecond contract.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  drawMs,
  DurationSampler,
  exponential,
  gamma,
  lognormal,
  meanMsOf,
  roundMs,
  SimAssertionError,
  standardExponential,
  standardNormal,
  Stream,
  uniform,
  weibull,
  type DurationDist,
} from '../../src/sim/index.js';

const N = 200_000;

function moments(draw: () => number, n = N): { mean: number; cv: number } {
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / n;
  return { mean, cv: Math.sqrt(sum2 / n - mean * mean) / mean };
}

/** |got - want| / want. */
const rel = (got: number, want: number) => Math.abs(got - want) / want;

describe('sample means at a fixed seed', () => {
  it('exponential: mean and cv 1 (standard error 0.22%)', () => {
    const rng = new Stream('dist/exponential');
    const m = moments(() => exponential(rng, 1_000));
    expect(rel(m.mean, 1_000)).toBeLessThan(0.01);
    expect(rel(m.cv, 1)).toBeLessThan(0.02);
  });

  it.each([0.3, 1, 2])('lognormal with cv %s: mean and cv', (cv) => {
    const rng = new Stream(`dist/lognormal/${cv}`);
    const m = moments(() => lognormal(rng, 5_000, cv));
    expect(rel(m.mean, 5_000)).toBeLessThan(0.02 * Math.max(1, cv));
    expect(rel(m.cv, cv)).toBeLessThan(cv > 1 ? 0.15 : 0.03); // cv of a heavy tail converges slowly
  });

  it.each([
    [0.7, Math.sqrt(gamma(1 + 2 / 0.7) / gamma(1 + 1 / 0.7) ** 2 - 1)],
    [1.5, Math.sqrt(gamma(1 + 2 / 1.5) / gamma(1 + 1 / 1.5) ** 2 - 1)],
    [3, Math.sqrt(gamma(1 + 2 / 3) / gamma(1 + 1 / 3) ** 2 - 1)],
  ])('weibull with shape %s: mean and cv', (shape, cv) => {
    const rng = new Stream(`dist/weibull/${shape}`);
    const m = moments(() => weibull(rng, 60_000, shape));
    expect(rel(m.mean, 60_000)).toBeLessThan(0.015);
    expect(rel(m.cv, cv)).toBeLessThan(0.03);
  });

  it('uniform: mean and range', () => {
    const rng = new Stream('dist/uniform');
    let lo = Infinity;
    let hi = -Infinity;
    const m = moments(() => {
      const x = uniform(rng, 200, 800);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      return x;
    });
    expect(rel(m.mean, 500)).toBeLessThan(0.005);
    expect(lo).toBeGreaterThanOrEqual(200);
    expect(hi).toBeLessThan(800);
    expect(lo).toBeLessThan(201);
    expect(hi).toBeGreaterThan(799);
  });

  it('gamma: known values', () => {
    expect(gamma(5)).toBeCloseTo(24, 9);
    expect(gamma(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 9);
    expect(gamma(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 9);
  });
});

/** `n` draws, sorted, and their Kolmogorov–Smirnov distance to `cdf` times √n. */
function sortedDraws(
  draw: () => number,
  cdf: (x: number) => number,
  n: number,
): { xs: Float64Array; ks: number } {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw();
  xs.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  return { xs, ks: d * Math.sqrt(n) };
}

describe('standardExponential (ziggurat)', () => {
  it('follows the exponential CDF: Kolmogorov–Smirnov, and the tail beyond the ziggurat', () => {
    const rng = new Stream('dist/ziggurat');
    const n = 400_000;
    const { xs, ks } = sortedDraws(
      () => standardExponential(rng),
      (x) => 1 - Math.exp(-x),
      n,
    );
    expect(ks).toBeLessThan(1.63); // the KS test at the 1% level
    // The layers' edges and the tail (x > 7.697, the ziggurat's base) are drawn by other paths.
    const share = (x: number) => (n - lowerBound(xs, x)) / n;
    for (const x of [0.5, 2, 5, 7.697117470131487, 9]) {
      const want = Math.exp(-x);
      expect(Math.abs(share(x) - want)).toBeLessThan(4 * Math.sqrt(want / n) + 1e-6);
    }
  });
});

/** P(X <= x) for N(0, 1): erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

describe('standardNormal (ziggurat)', () => {
  it('follows the normal CDF: Kolmogorov–Smirnov, both signs, and the tails beyond the ziggurat', () => {
    const rng = new Stream('dist/ziggurat-normal');
    const n = 400_000;
    const { xs, ks } = sortedDraws(() => standardNormal(rng), normalCdf, n);
    expect(ks).toBeLessThan(1.63); // the KS test at the 1% level
    // Shares above x on each side, across the layers' edges and the base (x > 3.654).
    const above = (x: number) => (n - lowerBound(xs, x)) / n;
    const below = (x: number) => lowerBound(xs, x) / n;
    for (const x of [0.1, 0.5, 1, 2, 3, 3.6541528853610088]) {
      const want = 1 - normalCdf(x);
      const tol = 4 * Math.sqrt(want / n) + 1e-6;
      expect(Math.abs(above(x) - want)).toBeLessThan(tol);
      expect(Math.abs(below(-x) - want)).toBeLessThan(tol);
    }
  });

  it('draws the tail beyond the ziggurat base (|x| > 3.654) as the normal does', () => {
    const rng = new Stream('dist/ziggurat-normal-tail');
    const r = 3.6541528853610088;
    const n = 10_000_000; // ~2,580 draws in the two tails
    let count = 0;
    let neg = 0;
    let excess = 0;
    for (let i = 0; i < n; i++) {
      const x = standardNormal(rng);
      if (Math.abs(x) > r) {
        count++;
        if (x < 0) neg++;
        excess += Math.abs(x) - r;
      }
    }
    const want = 2 * (1 - normalCdf(r)) * n;
    expect(Math.abs(count - want)).toBeLessThan(4 * Math.sqrt(want));
    expect(Math.abs(neg - count / 2)).toBeLessThan(2.5 * Math.sqrt(count / 4));
    // E[X - r | X > r] = φ(r) / Q(r) - r ≈ 0.2500 for r = 3.654.
    const phi = Math.exp((-r * r) / 2) / Math.sqrt(2 * Math.PI);
    const meanExcess = phi / (1 - normalCdf(r)) - r;
    // Its spread is about its mean (nearly exponential): four standard errors.
    expect(Math.abs(excess / count - meanExcess)).toBeLessThan((4 * meanExcess) / Math.sqrt(count));
  });
});

describe('standardExponential tail', () => {
  it('is memoryless beyond the ziggurat base (x > 7.697): excess mean 1', () => {
    const rng = new Stream('dist/ziggurat-tail');
    const r = 7.697117470131487;
    let count = 0;
    let excess = 0;
    const n = 3_000_000; // ~1,360 draws in the tail
    for (let i = 0; i < n; i++) {
      const x = standardExponential(rng);
      if (x > r) {
        count++;
        excess += x - r;
      }
    }
    expect(Math.abs(count / n - Math.exp(-r))).toBeLessThan(4 * Math.sqrt(Math.exp(-r) / n));
    expect(Math.abs(excess / count - 1)).toBeLessThan(3 / Math.sqrt(count)); // 3 standard errors
  });
});

/** First index with xs[i] >= x. */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('drawMs', () => {
  const dists: DurationDist[] = [
    { kind: 'fixed', meanMs: 1234.6 },
    { kind: 'exponential', meanMs: 2_000 },
    { kind: 'uniform', minMs: 10, maxMs: 20 },
    { kind: 'lognormal', meanMs: 90_000, cv: 0.8 },
    { kind: 'weibull', meanMs: 3_600_000, shape: 0.8 },
  ];

  it.each(dists.map((d) => [d.kind, d] as const))(
    '%s: whole ms >= 0, mean as asked',
    (_kind, d) => {
      const rng = new Stream(`drawMs/${d.kind}`);
      let sum = 0;
      const n = 50_000;
      for (let i = 0; i < n; i++) {
        const ms = drawMs(rng, d);
        if (!Number.isInteger(ms) || ms < 0)
          throw new Error(`drawMs gave ${ms} for ${JSON.stringify(d)}`);
        sum += ms;
      }
      expect(rel(sum / n, meanMsOf(d))).toBeLessThan(d.kind === 'fixed' ? 1e-3 : 0.03);
    },
  );

  it('rounds each draw once, to the nearest ms (the same draw, rounded)', () => {
    const a = new Stream('drawMs/round');
    const b = new Stream('drawMs/round');
    const got: number[] = [];
    const want: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      got.push(drawMs(a, { kind: 'uniform', minMs: 0, maxMs: 3 }));
      want.push(Math.round(uniform(b, 0, 3)));
    }
    expect(got).toEqual(want);
    expect(new Set(got)).toEqual(new Set([0, 1, 2, 3]));
    expect(drawMs(a, { kind: 'fixed', meanMs: 2.5 })).toBe(3);
  });

  it.each(dists.map((d) => [d.kind, d] as const))(
    '%s: DurationSampler draws what drawMs draws, value for value, from the same stream',
    (_kind, d) => {
      const a = new Stream(`sampler/${d.kind}`);
      const b = new Stream(`sampler/${d.kind}`);
      const sampler = new DurationSampler(d);
      for (let i = 0; i < 5_000; i++) {
        const got = sampler.drawMs(a);
        const want = drawMs(b, d);
        if (got !== want) throw new Error(`draw ${i}: sampler ${got}, drawMs ${want}`);
      }
      expect(a.uint32()).toBe(b.uint32()); // the streams consumed alike
    },
  );

  it('asserts on a draw that is not a duration', () => {
    expect(() =>
      new DurationSampler({ kind: 'uniform', minMs: -20, maxMs: -10 }).drawMs(new Stream('s')),
    ).toThrow(SimAssertionError);
    const rng = new Stream('drawMs/bad');
    expect(() => drawMs(rng, { kind: 'uniform', minMs: -20, maxMs: -10 })).toThrow(
      SimAssertionError,
    );
    expect(() => drawMs(rng, { kind: 'exponential', meanMs: NaN })).toThrow(/bad draw NaN/);
  });
});

describe('roundMs', () => {
  it('equals Math.round on durations, including halves and the doubles next to them', () => {
    const edges = [
      0,
      0.5,
      1.5,
      2.5,
      0.49999999999999994,
      4503599627370495.5,
      2 ** 51 - 0.5,
      2 ** 52,
      1e300,
    ];
    for (const v of edges) expect(roundMs(v)).toBe(Math.round(v));
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2 ** 53, noNaN: true }),
        (v) => roundMs(v) === Math.round(v),
      ),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (k) => {
        const half = k + 0.5;
        return [half, nextDown(half), nextUp(half)].every((v) => roundMs(v) === Math.round(v));
      }),
    );
  });
});

function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0]! += 1n;
  return f[0]!;
}

function nextDown(x: number): number {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0]! -= 1n;
  return f[0]!;
}
