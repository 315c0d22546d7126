// `expect:` lines evaluated over a run's summary rows and printed the same way by `ccsim run`
// and `ccsim check`: a ✓ or ✗ line each, the observed value, bound and interval, the replay.

import chalk from 'chalk';
import { SUMMARY_COLUMNS, SUMMARY_TEXT_COLUMNS } from '../scenario/columns.js';
import type { Expectation } from '../spec/types.js';
import { describeResult, evaluate, type ExpectationResult } from '../report/expectations.js';
import { summaryCells } from '../report/files.js';
import type { SummaryRow } from '../report/summary.js';

/** summary.csv cells (column → text) as numbers; text columns left out, empty cells NaN. */
export function numericRow(cells: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of SUMMARY_COLUMNS)
    if (!SUMMARY_TEXT_COLUMNS.has(c)) out[c] = cells[c] === '' ? NaN : Number(cells[c]);
  return out;
}

/** One `expect:` line evaluated over a run's replications. */
export interface ExpectOutcome {
  text: string;
  result: ExpectationResult;
  /** Observed value, bound and interval, as one line. */
  detail: string;
  /** The command that replays the worst replication. */
  replay: string;
}

/** Evaluates `expect:` lines over summary rows (numbers as summary.csv writes them). */
export function evaluateExpectations(
  expectations: readonly Expectation[],
  rows: readonly Record<string, number>[],
  replay: (replication: number) => string,
): ExpectOutcome[] {
  return expectations.map((e) => {
    const result = evaluate(
      e,
      rows.map((row) => ({ replication: row.replication!, value: row[e.metric]! })),
    );
    return {
      text: e.text,
      result,
      detail: describeResult(result),
      replay: replay(result.worst.replication),
    };
  });
}

/** `✓ ok text (detail)` or `✗ FAIL text`, the detail and the replay command; quiet: failures only. */
export function expectationLines(o: ExpectOutcome, quiet?: boolean): string[] {
  if (o.result.pass)
    return quiet ? [] : [`  ${chalk.green('✓ ok')}    ${o.text}  ${chalk.dim(o.detail)}`];
  return [
    `  ${chalk.red('✗ FAIL')}  ${o.text}`,
    `          ${o.detail}`,
    `          replay: ${o.replay}`,
  ];
}

/** An outcome for --json. */
export function expectationJson(o: ExpectOutcome): Record<string, unknown> {
  const r = o.result;
  return {
    expect: o.text,
    pass: r.pass,
    metric: r.expectation.metric,
    aggregate: r.expectation.agg ?? null,
    op: r.expectation.op,
    bound: r.expectation.value,
    observed: r.observed,
    worst_replication: r.worst.replication,
    failing_replications: r.failing,
    replications: r.n,
    mean: r.mean,
    ci95: r.ci95 ?? null,
    detail: o.detail,
    replay: r.pass ? null : o.replay,
  };
}

/** A row's cells as summary.csv writes them (column → text). */
export function summaryRowText(row: SummaryRow): Record<string, string> {
  const cells = summaryCells(row);
  return Object.fromEntries(SUMMARY_COLUMNS.map((c, j) => [c, String(cells[j])]));
}

/** summary.csv cells of a row, read back as numbers (text columns left out). */
export function numericSummaryRow(row: SummaryRow): Record<string, number> {
  return numericRow(summaryRowText(row));
}
