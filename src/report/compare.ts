// `ccsim compare`: per metric, each run's mean with its 95% t-interval, and the difference from
// the first run with its 95% interval — paired over replications when both runs used the same
// seed and replication indices (common random numbers), Welch's otherwise.

import { SUMMARY_METRIC_COLUMNS } from '../scenario/columns.js';
import { summarize, t975 } from '../sim/stats.js';
import { csv, type Cell } from './csv.js';
import { directionOf, type Direction } from './direction.js';
import { metric as fmtMetric } from './format.js';
import { meanInterval } from './interval.js';

/** The metrics compared: every summary.csv metric but the run's coordinates. */
export const COMPARED_METRICS = SUMMARY_METRIC_COLUMNS.filter(
  (c) => c !== 'seed' && c !== 'replication',
);

export interface CompareRun {
  label: string;
  dir: string;
  /** summary.csv rows (column → text). */
  rows: Record<string, string>[];
  /** run.json's workload_digest (length, traffic, faults), when the run wrote one. */
  workload?: string;
  /** summary.csv's header when read back (another ccsim version may lack columns); else all. */
  columns?: readonly string[];
}

/** The run has the column (a run without a recorded header has every column). */
export function hasColumn(run: CompareRun, column: string): boolean {
  return run.columns === undefined || run.columns.includes(column);
}

/**
 * A warning per run whose summary.csv lacks columns another run's has (SPEC §3 lists them "at
 * least": a run of an older ccsim): those columns are left out of the comparison.
 */
export function columnWarnings(runs: readonly CompareRun[]): string[] {
  const all = [...new Set(runs.flatMap((r) => r.columns ?? []))];
  const out: string[] = [];
  for (const r of runs) {
    if (r.columns === undefined) continue;
    const lacks = all.filter((c) => !hasColumn(r, c));
    if (lacks.length === 0) continue;
    const others = runs.filter((o) => o !== r && lacks.some((c) => hasColumn(o, c)));
    out.push(
      `${r.label} lacks column(s) ${lacks.join(', ')} that ${others.map((o) => o.label).join(', ')} ${others.length === 1 ? 'has' : 'have'} (written by another ccsim version?): only the columns every run has are compared`,
    );
  }
  return out;
}

export interface Interval {
  n: number;
  mean: number;
  /** Undefined with fewer than two values. */
  low?: number;
  high?: number;
}

export interface Delta extends Interval {
  test: 'paired' | 'welch';
  /** The interval excludes 0; undefined when there is no interval. */
  significant?: boolean;
  /** Worse than the first run (never for neutral metrics); only when significant or unknown. */
  worse: boolean;
  better: boolean;
}

export interface MetricComparison {
  metric: string;
  direction: Direction;
  runs: Interval[];
  /** deltas[i] is run i minus run 0 (undefined for run 0). */
  deltas: (Delta | undefined)[];
}

function values(run: CompareRun, metric: string): number[] {
  return run.rows.map((r) => Number(r[metric] === '' ? NaN : r[metric]));
}

function intervalOf(xs: readonly number[]): Interval {
  if (xs.length === 0) return { n: 0, mean: NaN };
  const s = summarize(xs);
  return xs.length > 1
    ? { n: s.n, mean: s.mean, low: s.ci95Low, high: s.ci95High }
    : { n: 1, mean: s.mean };
}

/** A run's mean with its interval inside the metric's domain (interval.ts). */
function runInterval(metric: string, xs: readonly number[]): Interval {
  if (xs.length < 2) return intervalOf(xs);
  const iv = meanInterval(metric, xs);
  return { n: iv.n, mean: iv.mean, low: iv.low, high: iv.high };
}

/** Same seed and the same replication indices in the same order: the runs can be paired. */
export function pairable(a: CompareRun, b: CompareRun): boolean {
  if (a.rows.length !== b.rows.length || a.rows.length < 2) return false;
  return a.rows.every(
    (r, i) => r.seed === b.rows[i]!.seed && r.replication === b.rows[i]!.replication,
  );
}

function welch(a: readonly number[], b: readonly number[]): Interval {
  const sa = summarize(a);
  const sb = summarize(b);
  const mean = sb.mean - sa.mean;
  if (a.length < 2 || b.length < 2) return { n: Math.min(a.length, b.length), mean };
  const va = sa.stddev ** 2 / a.length;
  const vb = sb.stddev ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { n: Math.min(a.length, b.length), mean, low: mean, high: mean };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = t975(Math.max(1, Math.floor(df))) * se; // floor: the conservative side
  return { n: Math.min(a.length, b.length), mean, low: mean - half, high: mean + half };
}

/**
 * Metrics measured per event and 0 in a replication without one, with the count column that
 * says how many events there were. A run with none in any replication has no measurement of the
 * metric (its 0 is not a short time): against a run that has some, its difference is judged
 * neither better nor worse (a pair that never recovered is not a faster recovery).
 */
const PER_EVENT: Readonly<Record<string, string>> = {
  switchover_max_s: 'switchovers',
  recovery_max_s: 'recoveries',
  return_to_preferred_mean_s: 'returns_to_preferred',
  return_to_preferred_max_s: 'returns_to_preferred',
  dr_login_span_s: 'dr_switchovers',
};

/** The run has none of the events `metric` is measured over, in any replication. */
function noEvents(run: CompareRun, metric: string): boolean {
  const count = PER_EVENT[metric];
  if (count === undefined || !hasColumn(run, count) || run.rows.length === 0) return false;
  return run.rows.every((r) => Number(r[count]) === 0);
}

export function deltaOf(metric: string, first: CompareRun, run: CompareRun): Delta {
  const a = values(first, metric);
  const b = values(run, metric);
  const paired = pairable(first, run);
  const iv = paired ? intervalOf(b.map((x, i) => x - a[i]!)) : welch(a, b);
  const significant =
    iv.low === undefined || iv.high === undefined || Number.isNaN(iv.mean)
      ? undefined
      : iv.low > 0 || iv.high < 0;
  const dir = directionOf(metric);
  const up = iv.mean > 0;
  const down = iv.mean < 0;
  const counts = significant !== false && noEvents(first, metric) === noEvents(run, metric);
  return {
    ...iv,
    test: paired ? 'paired' : 'welch',
    ...(significant !== undefined ? { significant } : {}),
    worse: counts && ((dir === 'lower-is-better' && up) || (dir === 'higher-is-better' && down)),
    better: counts && ((dir === 'lower-is-better' && down) || (dir === 'higher-is-better' && up)),
  };
}

/**
 * What makes the differences from the first run mean something else than the user may think:
 * another scenario (other faults and traffic: two scenario files with the same workload, as
 * run.json's workload_digest says, differ only in design and are not warned about), another
 * simulated length, other seeds or replications (no pairing: Welch's test, and common random
 * numbers lost).
 */
export function comparabilityWarnings(runs: readonly CompareRun[]): string[] {
  const out: string[] = [];
  const first = runs[0];
  if (first === undefined || first.rows.length === 0) return out;
  const one = (r: CompareRun, c: string): string =>
    [...new Set(r.rows.map((x) => x[c] ?? ''))].join(',');
  for (const r of runs.slice(1)) {
    if (r.rows.length === 0) continue;
    const pre = `${r.label} vs ${first.label}:`;
    const sameWorkload = r.workload !== undefined && r.workload === first.workload;
    if (one(r, 'scenario') !== one(first, 'scenario') && !sameWorkload) {
      out.push(
        `${pre} different scenarios (${one(r, 'scenario')} vs ${one(first, 'scenario')}): the differences mix their faults and traffic, not only topology or options`,
      );
    }
    if (one(r, 'sim_s') !== one(first, 'sim_s'))
      out.push(
        `${pre} different simulated lengths (${one(r, 'sim_s')} s vs ${one(first, 'sim_s')} s): counts are not comparable`,
      );
    for (const [m, count] of Object.entries(PER_EVENT)) {
      if (!hasColumn(r, m) || !hasColumn(first, m) || noEvents(r, m) === noEvents(first, m))
        continue;
      const none = noEvents(r, m) ? r : first;
      out.push(
        `${pre} ${m}: ${none.label} has no ${count} (0 in every replication), so its ${m} measures nothing: not judged better or worse`,
      );
    }
    if (!pairable(first, r) && first.rows.length > 1 && r.rows.length > 1) {
      out.push(
        `${pre} not the same seed and replications (seed ${one(r, 'seed')} vs ${one(first, 'seed')}, ${r.rows.length} vs ${first.rows.length} replications): differences use Welch's t, not a paired test`,
      );
    }
  }
  return out;
}

/**
 * Everything to say about the runs before their differences are read: columns a run lacks, and
 * another scenario, length or seeds than the first run's (compare, check --baseline).
 */
export function runWarnings(runs: readonly CompareRun[]): string[] {
  return [...columnWarnings(runs), ...comparabilityWarnings(runs)];
}

/** Every metric all the runs have, compared. */
export function compareRuns(runs: readonly CompareRun[]): MetricComparison[] {
  const shared = COMPARED_METRICS.filter((m) => runs.every((r) => hasColumn(r, m)));
  return shared.map((metric) => ({
    metric,
    direction: directionOf(metric),
    runs: runs.map((r) =>
      runInterval(
        metric,
        values(r, metric).filter((v) => !Number.isNaN(v)),
      ),
    ),
    deltas: runs.map((r, i) => (i === 0 ? undefined : deltaOf(metric, runs[0]!, r))),
  }));
}

export const COMPARE_COLUMNS = [
  'metric',
  'run',
  'label',
  'dir',
  'n',
  'mean',
  'ci95_low',
  'ci95_high',
  'delta',
  'delta_ci95_low',
  'delta_ci95_high',
  'test',
  'significant',
  'worse',
];

const opt = (metric: string, v: number | undefined): string =>
  v === undefined ? '' : fmtMetric(metric, v);
const yesNo = (b: boolean | undefined): string => (b === undefined ? '' : b ? 'yes' : 'no');

/** The comparison as CSV: one row per metric and run; the first run has no delta. */
export function compareCsv(
  runs: readonly CompareRun[],
  table: readonly MetricComparison[],
): string {
  const out: Cell[][] = [];
  for (const m of table) {
    runs.forEach((r, i) => {
      const iv = m.runs[i]!;
      const d = m.deltas[i];
      out.push([
        m.metric,
        i + 1,
        r.label,
        r.dir,
        iv.n,
        opt(m.metric, iv.mean),
        opt(m.metric, iv.low),
        opt(m.metric, iv.high),
        opt(m.metric, d?.mean),
        opt(m.metric, d?.low),
        opt(m.metric, d?.high),
        d?.test ?? '',
        yesNo(d?.significant),
        d === undefined ? '' : yesNo(d.worse),
      ]);
    });
  }
  return csv(COMPARE_COLUMNS, out);
}
