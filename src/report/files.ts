// Builds the CSV files of a report directory (SPEC §3) from finished replications.

import { summarize } from '../sim/stats.js';
import type { ReplicationResult } from '../models/center.js';
import type { ScenarioSpec } from '../scenario/types.js';
import { SUMMARY_COLUMNS, SUMMARY_METRIC_COLUMNS } from '../scenario/columns.js';
import { csv, type Cell } from './csv.js';
import { metric, num, sec, secOpt } from './format.js';
import { summarizeReplication, type SummaryRow } from './summary.js';

export interface TimelineRow {
  replication: number;
  tMs: number;
  component: string;
  state: string;
  cause: string;
}

export interface ReplicationOutput {
  result: ReplicationResult;
  timeline: readonly TimelineRow[];
}

export function summaryRows(spec: ScenarioSpec, reps: readonly ReplicationOutput[]): SummaryRow[] {
  return reps.map((r) => summarizeReplication(spec, r.result));
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return csv(
    SUMMARY_COLUMNS,
    rows.map((row) =>
      SUMMARY_COLUMNS.map((c) => {
        const v = row[c];
        return typeof v === 'number' ? metric(c, v) : v;
      }),
    ),
  );
}

export const STATS_COLUMNS = ['metric', 'n', 'mean', 'stddev', 'ci95_low', 'ci95_high', 'min', 'p50', 'p95', 'max'];

export function statsCsv(rows: readonly SummaryRow[]): string {
  const out: Cell[][] = [];
  for (const m of SUMMARY_METRIC_COLUMNS) {
    if (m === 'seed' || m === 'replication') continue;
    const values = rows.map((r) => Number(r[m]));
    const s = summarize(values);
    out.push([m, s.n, ...[s.mean, s.stddev, s.ci95Low, s.ci95High, s.min, s.p50, s.p95, s.max].map((v) => metric(m, v))]);
  }
  return csv(STATS_COLUMNS, out);
}

export function switchoversCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const { result } of reps) {
    for (const s of result.switchovers) {
      const faultAt = s.fault?.atMs;
      const from = faultAt ?? s.detectedAtMs;
      rows.push([
        result.replication,
        s.pair,
        s.redundancy,
        s.cause,
        s.fault?.faultId ?? '',
        secOpt(faultAt),
        sec(s.detectedAtMs),
        secOpt(s.completedAtMs),
        sec(s.detectedAtMs - from),
        s.completedAtMs === undefined ? '' : sec(s.completedAtMs - from),
        s.from,
        s.to,
        s.callsDropped,
        s.callsDegraded,
        s.completedAtMs === undefined ? `failed: ${s.failure ?? 'not completed by the end of the run'}` : 'completed',
      ]);
    }
  }
  return csv(
    [
      'replication', 'pair', 'redundancy', 'cause', 'fault_id', 'fault_at_s', 'detected_at_s',
      'completed_at_s', 'detection_s', 'switchover_s', 'from', 'to', 'calls_dropped',
      'calls_degraded', 'outcome',
    ],
    rows,
  );
}

export function faultsCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const { result } of reps) {
    for (const f of result.faults) {
      rows.push([result.replication, f.faultId, f.kind, f.target, sec(f.atMs), secOpt(f.clearedAtMs)]);
    }
  }
  return csv(['replication', 'fault_id', 'kind', 'target', 'at_s', 'cleared_at_s'], rows);
}

export function timelineCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const r of reps) {
    for (const t of r.timeline) rows.push([t.replication, sec(t.tMs), t.component, t.state, t.cause]);
  }
  return csv(['replication', 't_s', 'component', 'state', 'cause'], rows);
}

export function intervalsCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const { result } of reps) {
    for (const iv of result.intervals) {
      rows.push([
        result.replication,
        sec(iv.startMs),
        iv.site,
        iv.offered,
        iv.answered,
        iv.abandoned,
        iv.dropped,
        iv.offered > 0 ? num(iv.answeredInSl / iv.offered, 4) : '',
        iv.answered > 0 ? sec(iv.waitSumMs / iv.answered) : '',
        num(iv.loggedInMean, 3),
        num(iv.readyMean, 3),
      ]);
    }
  }
  return csv(
    ['replication', 'interval_start_s', 'site', 'calls_offered', 'calls_answered', 'calls_abandoned', 'calls_dropped', 'service_level', 'asa_s', 'agents_logged_in', 'agents_ready_mean'],
    rows,
  );
}

export function agentsCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const { result } of reps) {
    for (const a of result.agents) {
      rows.push([result.replication, a.agent, a.group, a.preferredSite, sec(a.outageMs), a.drSwitchovers, a.finalSite, secOpt(a.backOnPreferredAtMs)]);
    }
  }
  return csv(['replication', 'agent', 'group', 'preferred_site', 'outage_s', 'dr_switchovers', 'final_site', 'back_on_preferred_at_s'], rows);
}
