// Statistics: tallies (Welford), time-weighted levels, quantiles and Student-t intervals.

import { assert } from './assert.js';

export class Tally {
  n = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  add(x: number): void {
    this.n++;
    this.sum += x;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }

  get stddev(): number {
    return Math.sqrt(this.variance);
  }
}

/** Integral of a piecewise-constant level over simulated time. */
export class TimeWeighted {
  private level = 0;
  private lastMs: number;
  private area = 0;
  private readonly startMs: number;

  constructor(startMs = 0, level = 0) {
    this.startMs = startMs;
    this.lastMs = startMs;
    this.level = level;
  }

  set(tMs: number, level: number): void {
    assert(tMs >= this.lastMs, () => `TimeWeighted: time went backwards ${tMs} < ${this.lastMs}`);
    this.area += this.level * (tMs - this.lastMs);
    this.lastMs = tMs;
    this.level = level;
  }

  get current(): number {
    return this.level;
  }

  /** Integral (level × ms) up to tMs. */
  areaUntil(tMs: number): number {
    return this.area + this.level * (tMs - this.lastMs);
  }

  meanUntil(tMs: number): number {
    const span = tMs - this.startMs;
    return span > 0 ? this.areaUntil(tMs) / span : this.level;
  }
}

/** Quantile by linear interpolation between order statistics (type 7, as R and numpy). */
export function quantile(sorted: readonly number[], p: number): number {
  assert(sorted.length > 0, 'quantile of an empty sample');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The median of a sample in any order (quantile 0.5: the mean of the two middle values of an even one). */
export function median(xs: readonly number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

const T975: readonly number[] = [
  NaN,
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
];

/** Two-sided 95% Student-t quantile for df degrees of freedom. */
export function t975(df: number): number {
  assert(df >= 1, `t975: df must be >= 1, got ${df}`);
  if (df < T975.length) return T975[df]!;
  // Cornish–Fisher expansion around the normal quantile; within 1e-3 for df > 30.
  const z = 1.959964;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  return z + g1 / df + g2 / (df * df);
}

export interface Summary {
  n: number;
  mean: number;
  stddev: number;
  ci95Low: number;
  ci95High: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  assert(n > 0, 'summarize: no values');
  const t = new Tally();
  for (const v of values) t.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  const half = n > 1 ? (t975(n - 1) * t.stddev) / Math.sqrt(n) : 0;
  return {
    n,
    mean: t.mean,
    stddev: t.stddev,
    ci95Low: t.mean - half,
    ci95High: t.mean + half,
    min: sorted[0]!,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[n - 1]!,
  };
}
