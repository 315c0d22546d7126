// How `ccsim explore` reads a scenario's `expect:` lines against a random fault schedule.
//
// explore replaces the scenario's faults with drawn ones, so a line keeps a meaning only as a
// bound the drawn faults must respect. Three outcomes per line:
// - not judged: the line asserts the harm of the scenario's own faults (`switchovers > 0`,
//   `service_level < 0.8`: the metric held on its bad side); with those faults gone it says nothing.
// - expected by the drawn fault: the line bounds a metric that a drawn fault's kind moves by its
//   mechanism (DOMAIN §11/§12) — `switchover_max_s < 3`, written for a process crash, cannot hold
//   for a host crash, whose loss ADDP sees only after addp-timeout. Reported, never counted.
// - violated: no drawn fault explains the break. Counted (exit 1), shrunk, written as a reproducer.
// The liveness invariants (CONVERGENCE) are always judged and never explained by a fault.

import { directionOf } from '../report/direction.js';
import type { FaultKind } from '../spec/kinds.js';
import type { Expectation } from '../spec/types.js';

/** Liveness invariants, written as expectations so `ccsim check` replays them. */
export const CONVERGENCE: readonly string[] = [
  'unconverged_pairs == 0',
  'agents_logged_out_end == 0',
  'orders_pending_end == 0',
];

/** Why each fault kind moves a metric: the mechanism, in a few words (printed with the break). */
type Moves = Partial<Record<FaultKind, string>>;

const ADDP_HOST = 'a host loss is seen through ADDP, after addp-timeout';
const HANG = 'a hang is seen only through heartbeat-period';
const PARTITION = 'each side of a cut promotes what it cannot see, after ADDP';
const WAN_LOSS =
  'lost ADDP polls make SCS take a live host for lost; orders wait behind retransmissions';
const CTI =
  'a silent link loss is seen after kpl-interval × kpl-tolerance; with no T-Server linked the switchover waits for the backup’s links';
const SWITCH = 'both T-Servers Service Unavailable: no switchover until a backup’s links return';
const CONFDB = 'a Config Server without its database cannot become primary until it is back';
const SITE =
  'the whole site at once: its management host too (the Config Server waits for its own ADDP)';
const LCA =
  'SCS reads an LCA loss as a host loss and promotes the backup while the old primary runs';
/** Every kind that stops or moves agents or calls (the service metrics feel all of them). */
const CALLS: Moves = {
  'host-crash': 'calls through a lost server are cut or wait for the switchover',
  'site-crash': 'calls through the site are cut; its agents move',
  'process-crash': 'a warm switchover drops queued and ringing calls',
  'process-hang': HANG,
  'lca-crash': LCA,
  'cti-link-down': 'calls wait while the T-Server is Service Unavailable',
  'switch-link-down': SWITCH,
  'network-partition': 'calls and desktops cut from their server',
  'wan-degrade': 'calls delivered across the WAN ring later or are retried',
  'graceful-shutdown': 'agents of the site move to the peer site',
  'manual-switchover': 'a warm switchover drops queued and ringing calls',
  'gateway-down': 'callers of the site are sent to the other site',
  'phone-unregister': 'agents without a registered phone take no calls',
  'agent-logout': 'fewer agents take the calls',
};

/**
 * Per summary metric, the fault kinds whose mechanism moves it past a bound written for other
 * faults. A metric not listed is moved by none: every break of a line on it is a violation.
 */
export const MOVED_BY: Readonly<Record<string, Moves>> = {
  switchover_max_s: {
    'host-crash': ADDP_HOST,
    'site-crash': SITE,
    'lca-crash': LCA,
    'process-hang': HANG,
    'network-partition': PARTITION,
    'wan-degrade': WAN_LOSS,
    'cti-link-down': CTI,
    'switch-link-down': SWITCH,
    'confdb-down': CONFDB,
  },
  service_gap_max_s: {
    'host-crash': ADDP_HOST,
    'site-crash': SITE,
    'process-hang': HANG,
    'cti-link-down': CTI,
    'switch-link-down': SWITCH,
    'confdb-down': CONFDB,
  },
  split_brain_s: {
    'network-partition': PARTITION,
    'lca-crash': LCA,
    'wan-degrade': WAN_LOSS,
    'cti-link-down': 'a Service-Unavailable primary runs as primary until the new one has the role',
    'switch-link-down':
      'a Service-Unavailable primary runs as primary until the new one has the role',
  },
  switchovers: {
    'host-crash': ADDP_HOST,
    'site-crash': SITE,
    'process-crash': 'the backup takes over',
    'process-hang': HANG,
    'lca-crash': LCA,
    'network-partition': PARTITION,
    'wan-degrade': WAN_LOSS,
    'cti-link-down': CTI,
    'switch-link-down': SWITCH,
    'manual-switchover': 'an operator switches the pair over',
    'graceful-shutdown': 'the backup takes over after the drain',
  },
  recoveries: {
    'host-crash': 'the stopped member comes back with its host',
    'site-crash': 'the stopped members come back with their site',
    'process-crash': 'the stopped member is restarted',
    'process-hang': HANG,
  },
  calls_dropped: { 'site-crash': CALLS['site-crash']! },
  dr_switchovers: {
    'site-crash': CALLS['site-crash']!,
    'graceful-shutdown': CALLS['graceful-shutdown']!,
  },
  // Service metrics: every kind that touches calls or agents.
  calls_abandoned: CALLS,
  calls_rejected: CALLS,
  service_level: CALLS,
  asa_s: CALLS,
  calls_answered: CALLS,
  calls_overflowed: CALLS,
  center_availability: CALLS,
};

/**
 * Whether a line holds the metric on its bad side (more of a lower-is-better or neutral metric,
 * less of a higher-is-better one, an exact non-zero value, a difference): it asserts the effect
 * of the scenario's own faults, which explore replaces.
 */
export function assertsHarm(e: Expectation): boolean {
  const higherBetter = directionOf(e.metric) === 'higher-is-better';
  switch (e.op) {
    case '>':
    case '>=':
      return !higherBetter;
    case '<':
    case '<=':
      return higherBetter;
    case '==':
      return higherBetter || e.value !== 0;
    case '!=':
      return true;
  }
}

/** The drawn fault kind (first in schedule order) whose mechanism explains a break, and why. */
export function explainedBy(
  e: Expectation,
  kinds: readonly FaultKind[],
): { kind: FaultKind; why: string } | undefined {
  if (CONVERGENCE.includes(e.text)) return undefined;
  const moves = MOVED_BY[e.metric] ?? {};
  for (const kind of kinds) {
    const why = moves[kind];
    if (why !== undefined) return { kind, why };
  }
  return undefined;
}
