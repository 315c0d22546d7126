// The 95 % interval of a summary metric's mean across replications, kept inside the metric's
// domain: counts and times are never negative, shares stay within [0, 1]. Method (docs/metrics.md):
// - every metric: Student-t interval of the mean of the replications' values;
// - counts (calls_*, switchovers, icon_*, …): clamped at 0, and never narrower than the exact
//   Poisson (Garwood) interval of the mean of n counts, so that seeing 0 drops in 3 replications
//   reads [0, 1.23], not [0, 0] (chi-square quantiles by Wilson–Hilferty);
// - times (`_s`): clamped at 0;
// - shares (service_level, center_availability): clamped to [0, 1].
// Differences between runs (compare, --baseline) are not clamped: they may be negative.

import { summarize } from '../sim/stats.js';

export type MetricDomain = 'count' | 'time' | 'share' | 'coordinate';

/** Summary columns that are shares (0 to 1). */
const SHARES: ReadonlySet<string> = new Set([
  'service_level',
  'center_availability',
  'availability',
]);
/**
 * Summary columns that name a run or its configuration rather than measure it: `agents` is the
 * topology's head count, the same in every replication, so its interval is the value itself (a
 * Poisson floor would print `270 [251.7, 289.3]` for a constant).
 */
const COORDINATES: ReadonlySet<string> = new Set(['seed', 'replication', 'sim_s', 'agents']);

/** The domain of a summary.csv column: `_s` times, the shares, the coordinates, else a count. */
export function domainOf(metric: string): MetricDomain {
  if (COORDINATES.has(metric)) return 'coordinate';
  if (SHARES.has(metric)) return 'share';
  if (metric.endsWith('_s')) return 'time';
  return 'count';
}

/** How the interval of a metric of this domain is computed, in words (CLI and docs). */
export const INTERVAL_METHOD: Readonly<Record<MetricDomain, string>> = {
  count: 'Student-t, clamped at 0, at least the exact Poisson interval of the mean count',
  time: 'Student-t, clamped at 0',
  share: 'Student-t, clamped to [0, 1]',
  coordinate: 'Student-t',
};

const Z975 = 1.959964;

/** p-quantile of chi-square with k degrees of freedom (Wilson–Hilferty; k > 0). */
function chiSquareQuantile(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * Math.max(0, 1 - a + z * Math.sqrt(a)) ** 3;
}

/** Exact (Garwood) 95 % interval of a Poisson mean from a total count over n replications. */
export function poissonInterval(total: number, n: number): [number, number] {
  const low = total === 0 ? 0 : chiSquareQuantile(2 * total, -Z975) / 2;
  const high = total === 0 ? -Math.log(0.025) : chiSquareQuantile(2 * total + 2, Z975) / 2;
  return [low / n, high / n];
}

export interface MeanInterval {
  n: number;
  mean: number;
  low: number;
  high: number;
}

/** Mean and 95 % interval of a metric's values (one per replication, at least one). */
export function meanInterval(metric: string, values: readonly number[]): MeanInterval {
  const s = summarize(values);
  if (s.n === 1) return { n: 1, mean: s.mean, low: s.mean, high: s.mean }; // no spread to go on
  let low = s.ci95Low;
  let high = s.ci95High;
  const domain = domainOf(metric);
  if (domain === 'count' && values.every((v) => Number.isInteger(v) && v >= 0)) {
    const [pl, ph] = poissonInterval(
      values.reduce((a, b) => a + b, 0),
      values.length,
    );
    low = Math.min(low, pl);
    high = Math.max(high, ph);
  }
  if (domain === 'count' || domain === 'time' || domain === 'share') low = Math.max(0, low);
  if (domain === 'share') high = Math.min(1, high);
  // +0 rather than -0, so that no interval prints as "-0".
  return { n: s.n, mean: s.mean, low: low + 0, high: high + 0 };
}
