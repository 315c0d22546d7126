// Runs a validated scenario's replications and turns them into report files.
// No I/O besides what the caller asks for; wall clock only for run.json.

import { MemoryTrace, type TraceSink } from '../sim/index.js';
import { runReplication } from '../models/center.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { ReplicationOutput } from '../report/files.js';
import type { SummaryRow } from '../report/summary.js';
import { assembleFiles, renderReplication } from '../report/render.js';

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
  rows: SummaryRow[];
  files: Map<string, string>;
}

/** The report files of finished replications (the browser's runs, the bench's model). */
export function buildFiles(spec: ScenarioSpec, reps: readonly ReplicationOutput[]): RunOutcome {
  return assembleFiles(
    spec,
    reps.map((r) => renderReplication(spec, r)),
  );
}
