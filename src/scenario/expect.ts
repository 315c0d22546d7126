// Expectation lines (SPEC §4): `[AGG(]metric[)] OP number[unit]`, e.g. `p95(agent_outage_max_s) < 90`.

import { DURATION_UNITS_MS, type DurationUnit } from './duration.js';
import { SUMMARY_METRIC_COLUMNS, isTimeColumn } from './columns.js';
import { describeValue, didYouMeanHint, oneOf } from './errors.js';
import type { ExpectAgg, ExpectOp, Expectation } from '../spec/types.js';

export const EXPECT_AGGS: readonly ExpectAgg[] = ['mean', 'min', 'max', 'p50', 'p95', 'p99'];
/** Names people use for our aggregates. */
const AGG_SYNONYMS: Readonly<Record<string, ExpectAgg>> = {
  avg: 'mean',
  average: 'mean',
  median: 'p50',
};

export const EXPECT_OPS: readonly ExpectOp[] = ['<', '<=', '==', '!=', '>=', '>'];

const LINE_RE =
  /^\s*(?:([A-Za-z0-9_]+)\s*\(\s*([A-Za-z0-9_]+)\s*\)|([A-Za-z0-9_]+))\s*(<=|>=|==|!=|=<|=>|<|>|=)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z%]*)\s*$/;

export type ExpectParse =
  | { ok: true; value: Expectation }
  | { ok: false; message: string; expected?: string; found?: string; hint?: string };

const SHAPE = 'a line such as "switchover_max_s <= 20" or "p95(agent_outage_max_s) < 90s"';

/** Parses one expectation line. Time bounds with a unit are converted to seconds. */
export function parseExpectation(v: unknown): ExpectParse {
  if (typeof v !== 'string') {
    return { ok: false, message: 'wrong type', expected: SHAPE, found: describeValue(v) };
  }
  const m = LINE_RE.exec(v);
  if (m === null)
    return { ok: false, message: 'not an expectation', expected: SHAPE, found: describeValue(v) };
  const [, aggText, aggMetric, bareMetric, opText, numText, unit] = m;
  const metric = (aggMetric ?? bareMetric)!;
  let agg: ExpectAgg | undefined;
  if (aggText !== undefined) {
    if (!(EXPECT_AGGS as readonly string[]).includes(aggText)) {
      const r: ExpectParse = {
        ok: false,
        message: `unknown aggregate "${aggText}"`,
        expected: oneOf(EXPECT_AGGS),
      };
      const synonym = AGG_SYNONYMS[aggText.toLowerCase()];
      const hint =
        synonym !== undefined ? `did you mean "${synonym}"?` : didYouMeanHint(aggText, EXPECT_AGGS);
      if (hint !== undefined) r.hint = hint;
      return r;
    }
    agg = aggText as ExpectAgg;
  }
  if (!(SUMMARY_METRIC_COLUMNS as readonly string[]).includes(metric)) {
    const r: ExpectParse = {
      ok: false,
      message: `unknown metric "${metric}"`,
      expected: `a summary.csv column: ${oneOf(SUMMARY_METRIC_COLUMNS).replace(/^one of: /, '')}`,
    };
    const hint = didYouMeanHint(metric, SUMMARY_METRIC_COLUMNS);
    if (hint !== undefined) r.hint = hint;
    return r;
  }
  const opFix: Record<string, ExpectOp> = { '=': '==', '=<': '<=', '=>': '>=' };
  const fixedOp = opFix[opText!];
  if (fixedOp !== undefined) {
    return {
      ok: false,
      message: `unknown operator "${opText}"`,
      expected: EXPECT_OPS.join(' '),
      hint: `did you mean "${fixedOp}"?`,
    };
  }
  const op = opText as ExpectOp;
  let value = Number(numText);
  if (!Number.isFinite(value))
    return { ok: false, message: 'bound is not a finite number', found: describeValue(numText) };
  if (unit !== undefined && unit !== '') {
    if (unit === '%') {
      if (metric !== 'service_level') {
        return { ok: false, message: '"%" only applies to service_level', found: describeValue(v) };
      }
      value /= 100;
    } else if (unit in DURATION_UNITS_MS) {
      if (!isTimeColumn(metric)) {
        return {
          ok: false,
          message: `"${metric}" is not a time: its bound takes no unit`,
          found: describeValue(`${numText}${unit}`),
        };
      }
      value = (value * DURATION_UNITS_MS[unit as DurationUnit]) / 1_000;
    } else {
      return {
        ok: false,
        message: `unknown unit "${unit}"`,
        expected: 'ms, s, m, h or d (time metrics), % (service_level)',
      };
    }
  }
  const e: Expectation = { text: v.trim(), metric, op, value };
  if (agg !== undefined) e.agg = agg;
  return { ok: true, value: e };
}
