// Runs a validated scenario's replications and turns them into report files.
// No I/O besides what the caller asks for; wall clock only for run.json.

import { MemoryTrace, type TraceSink } from '../sim/index.js';
import { runReplication } from '../models/center.js';
import type { ScenarioSpec } from '../spec/types.js';
import {
  agentsCsv,
  dataLossCsv,
  dssCsv,
  faultsCsv,
  idbWindowsCsv,
  intervalsCsv,
  statsCsv,
  summaryCsv,
  summaryRows,
  switchoversCsv,
  timelineCsv,
  type ReplicationOutput,
} from '../report/files.js';
import type { SummaryRow } from '../report/summary.js';
import { availabilityCsv, availabilityStatsRows, criticalityCsv } from '../report/availability.js';
import { csv } from '../report/csv.js';

/** One replication; `onRecord` sees the simulated time of each state change (progress). */
export function runOne(
  spec: ScenarioSpec,
  replication: number,
  onRecord?: (tMs: number) => void,
): ReplicationOutput {
  const trace = new MemoryTrace();
  const sink: TraceSink =
    onRecord === undefined
      ? trace
      : {
          record(tMs, component, state, cause) {
            trace.record(tMs, component, state, cause);
            onRecord(tMs);
          },
        };
  const result = runReplication(spec, replication, sink);
  return {
    result,
    timeline: trace.rowsWith((tMs, component, state, cause) => ({
      replication,
      tMs,
      component,
      state,
      cause,
    })),
  };
}

export interface RunOutcome {
  reps: ReplicationOutput[];
  rows: SummaryRow[];
  files: Map<string, string>;
}

export function buildFiles(spec: ScenarioSpec, reps: ReplicationOutput[]): RunOutcome {
  const rows = summaryRows(spec, reps);
  const files = new Map<string, string>([
    ['summary.csv', summaryCsv(rows)],
    ['stats.csv', statsCsv(rows)],
    ['switchovers.csv', switchoversCsv(reps)],
    ['faults.csv', faultsCsv(reps)],
    ['timeline.csv', timelineCsv(reps)],
    ['intervals.csv', intervalsCsv(reps)],
    ['agents.csv', agentsCsv(reps)],
    ['data-loss.csv', dataLossCsv(reps)],
    ['idb-windows.csv', idbWindowsCsv(reps)],
    ['dss.csv', dssCsv(reps)],
  ]);
  if (spec.failures.length > 0) {
    files.set('availability.csv', availabilityCsv(reps));
    files.set('criticality.csv', criticalityCsv(reps));
    files.set(
      'stats.csv',
      files.get('stats.csv')! + csv([], availabilityStatsRows(reps)).replace(/^\n/, ''),
    );
  }
  return { reps, rows, files };
}
