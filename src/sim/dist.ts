// Distributions drawn from a Stream. Durations are rounded once, where drawn, to whole
// milliseconds (simulated time is integer ms).

import { assert } from './assert.js';
import type { Stream } from './rng.js';

export function uniform(rng: Stream, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Exponential with the given mean (any unit). */
export function exponential(rng: Stream, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** Standard normal (Box–Muller, one value per call: no hidden state between draws). */
export function standardNormal(rng: Stream): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Lognormal with the given mean and coefficient of variation. */
export function lognormal(rng: Stream, mean: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv);
  const mu = Math.log(mean) - s2 / 2;
  return Math.exp(mu + Math.sqrt(s2) * standardNormal(rng));
}

/** Weibull with shape k and the given mean. */
export function weibull(rng: Stream, mean: number, shape: number): number {
  const scale = mean / gamma(1 + 1 / shape);
  return scale * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
}

/** Lanczos approximation of the gamma function (for the Weibull mean). */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

/** A duration distribution over milliseconds, as users write it (mean plus shape). */
export type DurationDist =
  | { kind: 'fixed'; meanMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; meanMs: number; cv: number }
  | { kind: 'weibull'; meanMs: number; shape: number };

/** Draws a duration in whole milliseconds (rounded once, here). */
export function drawMs(rng: Stream, d: DurationDist): number {
  let v: number;
  switch (d.kind) {
    case 'fixed':
      return Math.round(d.meanMs);
    case 'exponential':
      v = exponential(rng, d.meanMs);
      break;
    case 'uniform':
      v = uniform(rng, d.minMs, d.maxMs);
      break;
    case 'lognormal':
      v = lognormal(rng, d.meanMs, d.cv);
      break;
    case 'weibull':
      v = weibull(rng, d.meanMs, d.shape);
      break;
  }
  assert(Number.isFinite(v) && v >= 0, () => `bad draw ${v} from ${JSON.stringify(d)}`);
  return Math.round(v);
}

export function meanMsOf(d: DurationDist): number {
  return d.kind === 'uniform' ? (d.minMs + d.maxMs) / 2 : d.meanMs;
}
