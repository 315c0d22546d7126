// What the liveness property tests build and check at the end of a run: the 80-agent two-site
// center they share (sales preferring A, support B, business continuity on), and the judgement
// explore applies (src/models/liveness.ts), read from the run's result.
import type { ReplicationResult } from '../../src/models/center.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import type { TopologySpec } from '../../src/spec/types.js';
import { handScenario, traffic, type FaultDraft } from './hand-spec.js';

/** The shared center under `faults`, run for `durationMs` (calls-per-hour `cph`). */
export function settledSpec(
  faults: FaultDraft[],
  seed: number,
  topology: TopologySpec,
  durationMs: number,
  cph: number,
  options: Record<string, OptionValue> = {},
) {
  return handScenario(faults, {
    seed,
    topology,
    durationMs,
    traffic: traffic(cph, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, wrapUpMs: 10_000 }),
    agents: [
      { group: 'sales', count: 40, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' },
    ],
    options: { 'heartbeat-period': 10_000, 'disaster-recovery.enabled': true, ...options },
  });
}

/**
 * Throws (with `why`) unless the run's end passes the liveness judgement of src/models/liveness.ts
 * over what the scenario's losses for good leave: every surviving pair with exactly one primary
 * in service, no surviving SCS with an order pending, every agent that can work logged in.
 */
export function assertSettled(r: ReplicationResult, why: string): void {
  const v = r.liveness;
  if (v.unconvergedPairs.length > 0)
    throw new Error(`${why}: pairs not settled: ${v.unconvergedPairs.join('; ')}`);
  if (v.orders.length > 0 || v.ordersPending > 0)
    throw new Error(`${why}: orders still pending ${v.orders.join(', ')}`);
  if (v.agentsOut.length > 0)
    throw new Error(
      `${why}: ${v.agentsOut.length} agents not logged in where they can work: ${v.agentsOut.slice(0, 5).join(' ')}`,
    );
}
