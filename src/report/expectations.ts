// Evaluates `expect:` lines (SPEC §4) against a run's summary rows: a bare metric must hold in
// every replication; AGG(metric) is computed across replications. Values are taken as written in
// summary.csv, so a scenario run by `ccsim check` and its report directory read back agree.

import { isTimeColumn } from '../scenario/columns.js';
import type { ExpectAgg, ExpectOp, Expectation } from '../spec/types.js';
import { quantile, summarize } from '../sim/stats.js';
import { metric as fmtMetric } from './format.js';
import { meanInterval } from './interval.js';

/** One replication's value of a metric. */
export interface Observation {
  replication: number;
  value: number;
}

export interface ExpectationResult {
  expectation: Expectation;
  pass: boolean;
  /** The value compared with the bound: the worst replication's (bare metric) or the aggregate. */
  observed: number;
  /** The replication farthest on the failing side of the bound: the one to replay. */
  worst: Observation;
  /** Replications in which the bound does not hold (bare metric: any makes it fail). */
  failing: number;
  n: number;
  mean: number;
  /** 95% t-interval of the mean, with more than one replication. */
  ci95?: [number, number];
}

export function holds(op: ExpectOp, v: number, bound: number): boolean {
  switch (op) {
    case '<':
      return v < bound;
    case '<=':
      return v <= bound;
    case '==':
      return v === bound;
    case '!=':
      return v !== bound;
    case '>=':
      return v >= bound;
    case '>':
      return v > bound;
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

/** How far on the failing side of the bound a value lies (larger is worse). */
function badness(op: ExpectOp, v: number, bound: number): number {
  switch (op) {
    case '<':
    case '<=':
      return v - bound;
    case '>':
    case '>=':
      return bound - v;
    case '==':
      return Math.abs(v - bound);
    case '!=':
      return -Math.abs(v - bound);
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

export function aggregate(agg: ExpectAgg, values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  switch (agg) {
    case 'mean':
      return summarize(values).mean;
    case 'min':
      return sorted[0]!;
    case 'max':
      return sorted[sorted.length - 1]!;
    case 'p50':
      return quantile(sorted, 0.5);
    case 'p95':
      return quantile(sorted, 0.95);
    case 'p99':
      return quantile(sorted, 0.99);
    default: {
      const never: never = agg;
      throw new Error(`unknown aggregate ${String(never)}`);
    }
  }
}

/** Evaluates one expectation over the replications' values (at least one). */
export function evaluate(e: Expectation, obs: readonly Observation[]): ExpectationResult {
  if (obs.length === 0) throw new Error('evaluate: no replications');
  let worst = obs[0]!;
  for (const o of obs)
    if (badness(e.op, o.value, e.value) > badness(e.op, worst.value, e.value)) worst = o;
  const failing = obs.filter((o) => !holds(e.op, o.value, e.value)).length;
  const observed =
    e.agg === undefined
      ? worst.value
      : aggregate(
          e.agg,
          obs.map((o) => o.value),
        );
  const s = summarize(obs.map((o) => o.value));
  const r: ExpectationResult = {
    expectation: e,
    pass: e.agg === undefined ? failing === 0 : holds(e.op, observed, e.value),
    observed,
    worst,
    failing,
    n: obs.length,
    mean: s.mean,
  };
  if (obs.length > 1) {
    const iv = meanInterval(
      e.metric,
      obs.map((o) => o.value),
    );
    r.ci95 = [iv.low, iv.high];
  }
  return r;
}

/** A value with its unit, as users read it: `23.456 s`, `0.9412`. */
export function formatValue(metric: string, v: number): string {
  return isTimeColumn(metric) ? `${fmtMetric(metric, v)} s` : fmtMetric(metric, v);
}

/** The lines explaining a result: observed value, bound, interval; the caller adds the replay. */
export function describeResult(r: ExpectationResult): string {
  const { metric, agg, op, value } = r.expectation;
  const f = (v: number): string => formatValue(metric, v);
  const where =
    agg === undefined
      ? `in replication ${r.worst.replication}${r.n > 1 ? ` (worst of ${r.n}; ${r.failing} of ${r.n} fail)` : ''}`
      : `${agg} over ${r.n} replication${r.n === 1 ? '' : 's'}`;
  const name = agg === undefined ? metric : `${agg}(${metric})`;
  let s = `observed ${name} ${f(r.observed)} ${where}; bound ${op} ${f(value)}`;
  if (r.ci95 !== undefined)
    s += `; mean ${f(r.mean)}, 95% interval [${f(r.ci95[0])}, ${f(r.ci95[1])}]`;
  return s;
}
