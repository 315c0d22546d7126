// The unit of work of run, sweep and check: one replication of one scenario. The same function
// runs it in the main thread (--workers 1) and in a worker thread; everything crossing the
// thread boundary is plain data (structured clone), and failures come back as values because
// error classes do not survive the crossing.

import { SimAssertionError, SimLimitError } from '../sim/index.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { LivenessVerdict } from '../models/liveness.js';
import { renderReplication, type RenderedReplication } from '../report/render.js';
import { summarizeReplication, type SummaryRow } from '../report/summary.js';
import { runOne } from './execute.js';

export type Task =
  /** Everything the report files need (run, check), rendered where it ran. */
  | { kind: 'replication'; spec: ScenarioSpec; replication: number }
  /** Only the summary row (sweep): far less to copy back. */
  | { kind: 'summary'; spec: ScenarioSpec; replication: number };

export type TaskOutcome =
  | { ok: true; kind: 'replication'; rendered: RenderedReplication; wallS: number }
  /** With the end's liveness judgement (explore says what did not settle). */
  | { ok: true; kind: 'summary'; row: SummaryRow; liveness: LivenessVerdict; wallS: number }
  /** A replication's outcome once handed on (pool.ts streamReplicationItems): nothing kept. */
  | { ok: true; kind: 'delivered' }
  | { ok: false; error: 'SimAssertionError' | 'SimLimitError'; message: string };

export function executeTask(task: Task): TaskOutcome {
  try {
    const t0 = process.hrtime.bigint();
    const output = runOne(task.spec, task.replication);
    if (task.kind === 'summary')
      return {
        ok: true,
        kind: 'summary',
        row: summarizeReplication(task.spec, output.result),
        liveness: output.result.liveness,
        wallS: Number(process.hrtime.bigint() - t0) / 1e9,
      };
    // run.json's replication_wall_s (and events_per_s from it) is the simulation's: the
    // rendering of the replication's records that follows is in the run's wall_s only.
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    return { ok: true, kind: 'replication', rendered: renderReplication(task.spec, output), wallS };
  } catch (e) {
    if (e instanceof SimAssertionError || e instanceof SimLimitError) {
      return {
        ok: false,
        error: e instanceof SimAssertionError ? 'SimAssertionError' : 'SimLimitError',
        message: e.message,
      };
    }
    throw e;
  }
}
