// Which way is worse, per summary.csv metric: used by `ccsim compare` to highlight worse values
// and by `ccsim check --baseline` to flag regressions. Neutral metrics describe the run (its size,
// its load) rather than its quality, and are never flagged.

export type Direction = 'lower-is-better' | 'higher-is-better' | 'neutral';

/**
 * Every summary.csv metric (test/report/direction.test.ts checks none is missing: a new column
 * needs a decision here; unknown metrics count as neutral meanwhile).
 */
export const METRIC_DIRECTIONS: Readonly<Record<string, Direction>> = {
  seed: 'neutral',
  replication: 'neutral',
  sim_s: 'neutral',
  events: 'neutral',
  calls_offered: 'neutral', // the load, not the outcome
  calls_answered: 'higher-is-better',
  calls_abandoned: 'lower-is-better',
  calls_rejected: 'lower-is-better',
  calls_dropped: 'lower-is-better',
  calls_degraded: 'lower-is-better',
  service_level: 'higher-is-better',
  asa_s: 'lower-is-better',
  switchovers: 'neutral', // follows from the faults scripted; their cost is in the other metrics
  switchover_max_s: 'lower-is-better',
  service_gap_max_s: 'lower-is-better',
  split_brain_s: 'lower-is-better',
  agents: 'neutral',
  agents_impacted: 'lower-is-better',
  agent_outage_mean_s: 'lower-is-better',
  agent_outage_max_s: 'lower-is-better',
  dr_switchovers: 'lower-is-better', // each one moved agents away from their preferred site
  icon_events: 'neutral',
  icon_lost_all: 'lower-is-better',
  icon_missing_max: 'lower-is-better',
  stuck_calls: 'lower-is-better',
  config_warnings: 'lower-is-better', // desktops warned of lost configuration or statistics
  stat_warnings: 'lower-is-better',
  unconverged_pairs: 'lower-is-better',
  agents_logged_out_end: 'lower-is-better',
  center_availability: 'higher-is-better',
  recoveries: 'neutral', // follows from the faults scripted, like switchovers
  recovery_max_s: 'lower-is-better',
  orders_pending_end: 'lower-is-better',
  calls_dropped_answered: 'lower-is-better',
  calls_open_end: 'neutral', // where the run stopped, not how it went
  calls_overflowed: 'neutral', // routing at work; its cost shows in asa_s and service_level
  desktop_login_max_s: 'lower-is-better',
  dr_login_span_s: 'lower-is-better', // the reconnection storm's length
  logins_via_peer_csproxy: 'neutral', // start-up fallback at work: follows from the faults
  csproxy_bc_moves: 'neutral', // per-server-type continuity at work: follows from the faults
  statserver_bc_moves: 'neutral',
  restore_wait_max_s: 'neutral', // the wrap-up owed, not a defect
  returns_to_preferred: 'neutral',
  return_to_preferred_mean_s: 'lower-is-better',
  return_to_preferred_max_s: 'lower-is-better', // time away from the preferred site
  desktop_disconnects: 'lower-is-better',
};

export function directionOf(metric: string): Direction {
  return Object.hasOwn(METRIC_DIRECTIONS, metric) ? METRIC_DIRECTIONS[metric]! : 'neutral';
}

/** Whether going from `from` to `to` is worse for the metric (false for neutral metrics). */
export function isWorse(metric: string, from: number, to: number): boolean {
  const d = directionOf(metric);
  return d === 'lower-is-better' ? to > from : d === 'higher-is-better' ? to < from : false;
}
