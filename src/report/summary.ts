// One summary.csv row per replication, computed from a finished ReplicationResult.

import type { ReplicationResult } from '../models/center.js';
import { switchoverFromMs } from '../models/recorder.js';
import type { ScenarioSpec } from '../spec/types.js';
import { SUMMARY_COLUMNS, type SummaryColumn } from '../scenario/columns.js';

export type SummaryRow = Record<SummaryColumn, number | string>;

/** The metric values of one replication (times in seconds, as in the CSV). */
export function summarizeReplication(spec: ScenarioSpec, r: ReplicationResult): SummaryRow {
  const c = r.counters;
  const get = (k: string) => c[k] ?? 0;
  // A recovery (a stopped member back) is not a switchover (SPEC §5.3).
  const completed = r.switchovers.filter((s) => s.completedAtMs !== undefined);
  const switchovers = completed.filter((s) => s.cause !== 'recovery');
  const recoveries = completed.filter((s) => s.cause === 'recovery');
  const longestMs = (list: typeof completed) =>
    list.reduce((m, s) => Math.max(m, s.completedAtMs! - switchoverFromMs(s)), 0);
  const gapMaxMs = r.pairs.reduce((m, p) => Math.max(m, p.gapMaxMs), 0);
  const offered = get('calls_offered');
  const row: SummaryRow = {
    scenario: spec.name,
    topology: spec.topology.name,
    seed: spec.seed,
    replication: r.replication,
    sim_s: r.simMs / 1000,
    events: r.events,
    calls_offered: offered,
    calls_answered: get('calls_answered'),
    calls_abandoned: get('calls_abandoned'),
    calls_rejected: get('calls_rejected'),
    calls_dropped: get('calls_dropped'),
    calls_degraded: get('calls_degraded'),
    service_level: offered > 0 ? get('calls_answered_in_sl') / offered : 0,
    asa_s: get('calls_answered') > 0 ? get('answer_wait_ms_sum') / get('calls_answered') / 1000 : 0,
    switchovers: switchovers.length,
    switchover_max_s: longestMs(switchovers) / 1000,
    service_gap_max_s: gapMaxMs / 1000,
    split_brain_s: r.splitBrainMs / 1000,
    agents: spec.topology.agentGroups.reduce((n, g) => n + g.count, 0),
    agents_impacted: get('agents_impacted'),
    agent_outage_mean_s: get('agent_outage_mean_ms') / 1000,
    agent_outage_max_s: get('agent_outage_max_ms') / 1000,
    dr_switchovers: get('dr_switchovers'),
    icon_events: get('icon_events'),
    icon_lost_all: get('icon_lost_all'),
    icon_missing_max: get('icon_missing_max'),
    stuck_calls: get('stuck_calls'),
    config_warnings: get('config_warnings'),
    stat_warnings: get('stat_warnings'),
    unconverged_pairs: get('unconverged_pairs'),
    agents_logged_out_end: get('agents_logged_out_end'),
    center_availability: centerAvailability(r),
    recoveries: recoveries.length,
    recovery_max_s: longestMs(recoveries) / 1000,
    orders_pending_end: get('orders_pending_end'),
    calls_dropped_answered: get('calls_dropped_answered'),
    calls_open_end: get('calls_open_end'),
    calls_overflowed: get('calls_overflowed'),
    desktop_login_max_s: get('desktop_login_max_ms') / 1000,
    dr_login_span_s: get('dr_login_span_ms') / 1000,
    logins_via_peer_csproxy: get('logins_via_peer_csproxy'),
    csproxy_bc_moves: get('csproxy_bc_moves'),
    statserver_bc_moves: get('statserver_bc_moves'),
    restore_wait_max_s: get('restore_wait_max_ms') / 1000,
    returns_to_preferred: get('returns_to_preferred'),
    return_to_preferred_mean_s:
      get('returns_to_preferred') > 0
        ? get('return_to_preferred_sum_ms') / get('returns_to_preferred') / 1000
        : 0,
    return_to_preferred_max_s: get('return_to_preferred_max_ms') / 1000,
    desktop_disconnects: get('desktop_disconnects'),
  };
  return row;
}

function centerAvailability(r: ReplicationResult): number {
  const c = r.services.find((s) => s.service === 'center');
  if (!c) return 1;
  const total = c.uptimeMs + c.downtimeMs;
  return total > 0 ? c.uptimeMs / total : 1;
}

/** Decimal places a column is written with. */
export function columnDigits(col: string): number {
  return col.endsWith('_s') ? 3 : 4;
}

export { SUMMARY_COLUMNS };
