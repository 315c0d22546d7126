// `ccsim run --precision METRIC=HALFWIDTH`: keep adding replications until the 95% t-interval of
// every named metric's mean is narrower than ± its target, up to --replications-max. The stopping
// point is the first replication count n (>= the starting count) whose first n replications meet
// every target, checked for each n in turn — so it does not depend on --workers.

import { SUMMARY_METRIC_COLUMNS, isTimeColumn } from '../scenario/columns.js';
import { InputError, describeValue, didYouMeanHint, type InputIssue } from '../scenario/errors.js';
import { parseDuration } from '../scenario/duration.js';
import type { ScenarioSpec } from '../spec/types.js';
import { summarize } from '../sim/stats.js';
import type { RenderedReplication } from '../report/render.js';
import type { SummaryRow } from '../report/summary.js';
import { runReplicationItems, type Replay, type TaskRunner, type Timed } from './pool.js';
import type { Progress } from './progress.js';

/** Replications a precision run starts with at least (an interval needs two). */
export const PRECISION_REPLICATIONS_MIN = 2;
/** Default bound on the replications of a precision run (--replications-max). */
export const PRECISION_REPLICATIONS_MAX = 100;

export interface PrecisionTarget {
  metric: string;
  /** Half-width of the 95% interval of the mean, in the metric's unit (seconds for `_s`). */
  halfWidth: number;
}

export interface PrecisionResult {
  metric: string;
  half_width_target: number;
  half_width: number;
  met: boolean;
}

const FLAG = '--precision';
const METRICS = SUMMARY_METRIC_COLUMNS.filter((c) => c !== 'seed' && c !== 'replication');

/** Parses `METRIC=HALFWIDTH` arguments; times accept units (`0.5s`, `250ms`), service_level `%`. */
export function parsePrecision(args: readonly string[]): PrecisionTarget[] {
  const issues: InputIssue[] = [];
  const out: PrecisionTarget[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const metric = (eq < 0 ? arg : arg.slice(0, eq)).trim();
    const text = eq < 0 ? '' : arg.slice(eq + 1).trim();
    if (!(METRICS as readonly string[]).includes(metric)) {
      const hint = didYouMeanHint(metric, METRICS);
      issues.push({
        file: FLAG,
        path: arg,
        message: `unknown metric ${describeValue(metric)}`,
        expected: `METRIC=HALFWIDTH with a summary.csv metric: ${METRICS.join(', ')}`,
        ...(hint !== undefined ? { hint } : {}),
      });
      continue;
    }
    let halfWidth = Number(text);
    if (text !== '' && !Number.isFinite(halfWidth) && isTimeColumn(metric)) {
      const d = parseDuration(text);
      halfWidth = d.ok ? d.ms / 1000 : NaN;
    } else if (text.endsWith('%') && metric === 'service_level') {
      halfWidth = Number(text.slice(0, -1)) / 100;
    }
    if (text === '' || !Number.isFinite(halfWidth) || halfWidth <= 0) {
      issues.push({
        file: FLAG,
        path: arg,
        message: 'half-width must be a number > 0',
        expected: isTimeColumn(metric)
          ? 'seconds, or a duration such as 500ms'
          : 'a number in the unit of the metric',
        found: describeValue(text),
      });
      continue;
    }
    out.push({ metric, halfWidth });
  }
  if (issues.length > 0) throw new InputError(issues);
  return out;
}

function halfWidthOf(rows: readonly SummaryRow[], metric: string): number {
  const s = summarize(rows.map((r) => Number(r[metric as keyof SummaryRow])));
  return (s.ci95High - s.ci95Low) / 2;
}

/**
 * Runs replications 0, 1, … of `spec` until every target is met or `replicationsMax` have run,
 * handing each replication that counts to `deliver` in order (those a batch ran past the point
 * the targets were met are dropped); returns how many count and the targets' verdicts there.
 */
export async function runToPrecision(
  runner: TaskRunner,
  spec: ScenarioSpec,
  targets: readonly PrecisionTarget[],
  replicationsMax: number,
  replay: Replay,
  deliver: (r: Timed<RenderedReplication>) => void,
  progress?: Progress,
): Promise<{ replications: number; results: PrecisionResult[] }> {
  const start = Math.min(Math.max(spec.replications, PRECISION_REPLICATIONS_MIN), replicationsMax);
  const rows: SummaryRow[] = [];
  /** Replications run and not yet handed on (index `delivered` first). */
  const held: Timed<RenderedReplication>[] = [];
  let delivered = 0;
  const deliverUpTo = (n: number): void => {
    for (; delivered < n; delivered++) deliver(held.shift()!);
  };
  const resultsAt = (n: number): PrecisionResult[] =>
    targets.map((t) => {
      const hw = halfWidthOf(rows.slice(0, n), t.metric);
      return {
        metric: t.metric,
        half_width_target: t.halfWidth,
        half_width: hw,
        met: hw < t.halfWidth,
      };
    });
  let checked = start - 1; // prefixes up to this length have been checked and failed
  for (;;) {
    const want =
      rows.length < start
        ? start
        : Math.min(replicationsMax, rows.length + Math.max(runner.workers, 1));
    const batch = [];
    for (let r = rows.length; r < want; r++) batch.push({ spec, replication: r });
    const done = await runReplicationItems(runner, batch, replay, progress);
    for (const o of done) {
      held.push(o);
      rows.push(o.value.row);
    }
    for (let n = checked + 1; n <= rows.length; n++) {
      const results = resultsAt(n);
      if (results.every((r) => r.met)) {
        deliverUpTo(n);
        return { replications: n, results };
      }
    }
    checked = rows.length;
    deliverUpTo(rows.length);
    if (rows.length >= replicationsMax)
      return { replications: rows.length, results: resultsAt(rows.length) };
  }
}
