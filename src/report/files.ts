// The CSV files of a report directory (SPEC §3): their columns, each file's records of one
// finished replication, and summary.csv / stats.csv from the summary rows (render.ts puts the
// replications' records together, in replication order).

import { summarize } from '../sim/stats.js';
import { meanInterval } from './interval.js';
import type { ReplicationResult } from '../models/center.js';
import { switchoverFromMs } from '../models/recorder.js';
import { SUMMARY_COLUMNS, SUMMARY_METRIC_COLUMNS } from '../scenario/columns.js';
import { csv, CsvBuilder, type Cell } from './csv.js';
import { metric, num, sec, secOpt } from './format.js';
import type { SummaryRow } from './summary.js';

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

/** The cells of one summary.csv row, formatted (sweep.csv reuses them after its key columns). */
export function summaryCells(row: SummaryRow): Cell[] {
  return SUMMARY_COLUMNS.map((c) => {
    const v = row[c];
    return typeof v === 'number' ? metric(c, v) : v;
  });
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return csv(SUMMARY_COLUMNS, rows.map(summaryCells));
}

export const STATS_COLUMNS = [
  'metric',
  'n',
  'mean',
  'stddev',
  'ci95_low',
  'ci95_high',
  'min',
  'p50',
  'p95',
  'max',
];

/** The rows of stats.csv, formatted (sweep-stats.csv reuses them after its key columns). */
export function statsRows(rows: readonly SummaryRow[]): Cell[][] {
  const out: Cell[][] = [];
  for (const m of SUMMARY_METRIC_COLUMNS) {
    if (m === 'seed' || m === 'replication') continue;
    const values = rows.map((r) => Number(r[m]));
    const s = summarize(values);
    const iv = meanInterval(m, values); // inside the metric's domain (interval.ts)
    out.push([
      m,
      s.n,
      ...[s.mean, s.stddev, iv.low, iv.high, s.min, s.p50, s.p95, s.max].map((v) => metric(m, v)),
    ]);
  }
  return out;
}

export function statsCsv(rows: readonly SummaryRow[]): string {
  return csv(STATS_COLUMNS, statsRows(rows));
}

export const SWITCHOVERS_COLUMNS = [
  'replication',
  'pair',
  'redundancy',
  'cause',
  'fault_id',
  'fault_at_s',
  'detected_at_s',
  'completed_at_s',
  'detection_s',
  'switchover_s',
  'from',
  'to',
  'calls_dropped',
  'calls_degraded',
  'outcome',
  'drain_s',
];

/** switchovers.csv records of one replication. */
export function switchoverRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const s of result.switchovers) {
    const faultAt = s.fault?.atMs;
    // A graceful shutdown's switchover runs from the end of its drain (SPEC §5.3).
    const from = switchoverFromMs(s);
    b.row([
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
      s.completedAtMs === undefined
        ? `failed: ${s.failure ?? 'not completed by the end of the run'}`
        : 'completed',
      s.drainEndMs === undefined ? '' : sec(s.drainEndMs - (faultAt ?? s.drainEndMs)),
    ]);
  }
}

export const FAULTS_COLUMNS = ['replication', 'fault_id', 'kind', 'target', 'at_s', 'cleared_at_s'];

/** faults.csv records of one replication. */
export function faultRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const f of result.faults) {
    b.row([result.replication, f.faultId, f.kind, f.target, sec(f.atMs), secOpt(f.clearedAtMs)]);
  }
}

export const TIMELINE_COLUMNS = ['replication', 't_s', 'component', 'state', 'cause'];

/** timeline.csv records of one replication. */
export function timelineRecords(timeline: readonly TimelineRow[], b: CsvBuilder): void {
  for (const t of timeline) b.row([t.replication, sec(t.tMs), t.component, t.state, t.cause]);
}

export const INTERVALS_COLUMNS = [
  'replication',
  'interval_start_s',
  'site',
  'service',
  'calls_offered',
  'calls_answered',
  'calls_abandoned',
  'calls_dropped',
  'calls_overflowed',
  'service_level',
  'asa_s',
  'agents_logged_in',
  'agents_ready_mean',
  'agents_scheduled',
  'site_agents_logged_in',
  'site_agents_ready_mean',
];

/** intervals.csv records of one replication (a year holds tens of thousands). */
export function intervalRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const iv of result.intervals) {
    b.row([
      result.replication,
      sec(iv.startMs),
      iv.site,
      iv.service,
      iv.offered,
      iv.answered,
      iv.abandoned,
      iv.dropped,
      iv.overflowed,
      iv.offered > 0 ? num(iv.answeredInSl / iv.offered, 4) : '',
      iv.answered > 0 ? sec(iv.waitSumMs / iv.answered) : '',
      num(iv.loggedInMean, 3),
      num(iv.readyMean, 3),
      num(iv.scheduledMean, 3),
      num(iv.siteLoggedInMean, 3),
      num(iv.siteReadyMean, 3),
    ]);
  }
}

export const AGENTS_COLUMNS = [
  'replication',
  'agent',
  'group',
  'preferred_site',
  'outage_s',
  'dr_switchovers',
  'final_site',
  'back_on_preferred_at_s',
];

/** agents.csv records of one replication. */
export function agentRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const a of result.agents) {
    b.row([
      result.replication,
      a.agent,
      a.group,
      a.preferredSite,
      sec(a.outageMs),
      a.drSwitchovers,
      a.finalSite,
      secOpt(a.backOnPreferredAtMs),
    ]);
  }
}

/** SPEC §3 columns of data-loss.csv, then ours. */
export const DATA_LOSS_COLUMNS = [
  'replication',
  'source',
  'icon',
  'idb',
  'events_expected',
  'events_stored',
  'events_missing',
  'lost_all',
  'stuck_calls',
  'stuck_parties',
  'gap_s',
  'missing_attached_data',
  'pq_backlog',
  'lost_in_memory',
  'lost_pq_overflow',
  'calls_closed_at_restart',
  'calls_partial',
  'sessions',
  'lost_pq_restore',
];

/** data-loss.csv records of one replication: what each IDB holds against what the source emitted. */
export function dataLossRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const d of result.icon.dataLoss) {
    b.row([
      result.replication,
      d.source,
      d.icon,
      d.idb,
      d.eventsExpected,
      d.eventsStored,
      d.eventsMissing,
      d.lostAll,
      d.stuckCalls,
      d.stuckParties,
      sec(d.gapMs),
      d.missingAttachedData,
      d.pqBacklog,
      d.lostInMemory,
      d.lostPqOverflow,
      d.callsClosedAtRestart,
      d.callsPartial,
      d.sessions,
      d.lostPqRestore,
    ]);
  }
}

/**
 * idb-windows.csv: one row per source and reporting window (`report-interval`): the events of
 * the window, those in no IDB, then for each IDB (idb_1, idb_2, … in ICON id order) whether it
 * is complete there (no missing event, no gap) and how many events it misses; `chosen_idb` is
 * the IDB a downstream reporting system reads for the window, `chosen_missing` what that read
 * lacks. The header for `k` IDB columns.
 */
export function idbWindowsHeader(k: number): string[] {
  const header = [
    'replication',
    'source',
    'window_start_s',
    'window_end_s',
    'events',
    'lost_all',
    'chosen_idb',
    'chosen_missing',
  ];
  for (let i = 1; i <= k; i++) header.push(`idb_${i}`, `idb_${i}_complete`, `idb_${i}_missing`);
  return header;
}

/** The most IDBs a window of this replication is written to (its records' IDB columns). */
export function idbColumnsOf(result: ReplicationResult): number {
  let k = 0;
  for (const w of result.icon.windows) k = Math.max(k, w.idbs.length);
  return k;
}

/** idb-windows.csv records of one replication, with `k` IDB column triples (empty past its own). */
export function idbWindowRecords(result: ReplicationResult, k: number, b: CsvBuilder): void {
  for (const w of result.icon.windows) {
    const row: Cell[] = [
      result.replication,
      w.source,
      sec(w.startMs),
      sec(w.endMs),
      w.events,
      w.lostAll,
      w.chosen,
      w.chosenMissing,
    ];
    for (let i = 0; i < k; i++) {
      const x = w.idbs[i];
      row.push(x ? x.idb : '', x ? (x.complete ? 1 : 0) : '', x ? x.missing : '');
    }
    b.row(row);
  }
}

export const DSS_COLUMNS = [
  'replication',
  'source',
  'icon',
  'idb',
  'server',
  'connected_at_s',
  'disconnected_at_s',
  'duration_s',
  'reason',
  'end_reason',
  'became_primary_at_s',
];

/** dss.csv records of one replication: data-source sessions (G_DSS_* in IDB), one per ICON connection. */
export function dssRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const s of result.icon.sessions) {
    const to = s.toMs ?? result.simMs;
    b.row([
      result.replication,
      s.source,
      s.icon,
      s.idb,
      s.server,
      sec(s.fromMs),
      secOpt(s.toMs),
      sec(to - s.fromMs),
      s.reason,
      s.endReason ?? '',
      // Hot-standby sessions outlive switchovers: when this server became the primary it reads.
      s.switchoversMs.map((t) => sec(t)).join(' '),
    ]);
  }
}
