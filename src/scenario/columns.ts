// The columns of summary.csv, in the order SPEC §3 fixes. Expectations (`expect:`) name these;
// the report layer writes them in this order.

export const SUMMARY_COLUMNS = [
  'scenario',
  'topology',
  'seed',
  'replication',
  'sim_s',
  'events',
  'calls_offered',
  'calls_answered',
  'calls_abandoned',
  'calls_rejected',
  'calls_dropped',
  'calls_degraded',
  'service_level',
  'asa_s',
  'switchovers',
  'switchover_max_s',
  'service_gap_max_s',
  'split_brain_s',
  'agents',
  'agents_impacted',
  'agent_outage_mean_s',
  'agent_outage_max_s',
  'dr_switchovers',
  'icon_events',
  'icon_lost_all',
  'icon_missing_max',
  'stuck_calls',
  // Beyond SPEC §3 (appended, never reordered): desktop warnings from the configuration and
  // statistics listeners (they never trigger a site switchover).
  'config_warnings',
  'stat_warnings',
  // End state: pairs without exactly one primary in service, agents not logged in.
  'unconverged_pairs',
  'agents_logged_out_end',
  // Share of the run during which callers of every open service could reach an agent (docs/metrics.md).
  'center_availability',
  // SPEC §5.3: a pair back because a stopped member restarted or its host or site was restored.
  'recoveries',
  'recovery_max_s',
  // End state: orders SCS sent and still waits for (liveness: 0 once everything settled).
  'orders_pending_end',
  // SPEC §5.3: the part of calls_dropped that had been answered; calls still queued, pending or
  // ringing at the end; calls delivered to another site than the one they entered.
  'calls_dropped_answered',
  'calls_open_end',
  'calls_overflowed',
  // Desktops (seed 002, 003): the longest login; the reconnection storm's span (first DR
  // switchover to last DR login); logins through another site's CS Proxy; per-server-type continuity moves to the
  // other site's CS Proxy / Stat Servers; restore-agent-state's wait for open interactions; returns
  // to the preferred site and the mean and longest stay at the peer before one.
  'desktop_login_max_s',
  'dr_login_span_s',
  'logins_via_peer_csproxy',
  'csproxy_bc_moves',
  'statserver_bc_moves',
  'restore_wait_max_s',
  'returns_to_preferred',
  'return_to_preferred_mean_s',
  'return_to_preferred_max_s',
  // Desktops whose telephony went OFF while logged in (connection to the SIP Server pair lost:
  // a server failure, or a false disconnect of ADDP across a degraded WAN).
  'desktop_disconnects',
] as const;
export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];

/** Columns that are text, not metrics: an expectation cannot name them. */
export const SUMMARY_TEXT_COLUMNS: ReadonlySet<SummaryColumn> = new Set<SummaryColumn>([
  'scenario',
  'topology',
]);

/** Numeric columns an expectation may name. */
export const SUMMARY_METRIC_COLUMNS: readonly SummaryColumn[] = SUMMARY_COLUMNS.filter(
  (c) => !SUMMARY_TEXT_COLUMNS.has(c),
);

/** Columns holding times in seconds (suffix `_s`): an expectation bound may carry a unit. */
export function isTimeColumn(column: string): boolean {
  return column.endsWith('_s');
}
