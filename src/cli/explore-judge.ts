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
import type { Expectation, FaultSpec, PairSpec, TopologySpec } from '../spec/types.js';
import { hostsLostForGood } from '../models/liveness.js';
import { Options } from '../models/options.js';

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
 * Kinds that keep agents from taking calls for a while whatever they hit (outage metrics); a
 * crash, hang, LCA loss or manual switchover does only when it reaches a SIP Server or
 * T-Server (MOVED_IF, TELEPHONY_STOP).
 */
const AGENTS: Moves = {
  'site-crash': 'the site’s desktops move after disaster-recovery.timeout',
  'cti-link-down': 'the T-Server’s agents wait while it is Service Unavailable',
  'switch-link-down': SWITCH,
  'network-partition': 'calls and desktops cut from their server',
  'wan-degrade': 'desktops across the WAN miss their ADDP polls',
  'graceful-shutdown': 'agents of the site move to the peer site and log in again',
  'phone-unregister': 'agents without a registered phone take no calls',
};
/** Reconnection storms: a site's desktops log in elsewhere at once, behind the login rates. */
const STORM: Moves = {
  'site-crash': 'the site’s desktops log in at the peer site at once, behind the login rates',
  'graceful-shutdown':
    'the site’s desktops log in at the peer site at once, behind the login rates',
};
/** Returns to the preferred site wait for the site, then a registration cycle. */
const RETURN: Moves = {
  'site-crash': 'the desktops return once the site is back, one sipendpoint.reg_timeout later',
  'graceful-shutdown':
    'the desktops return once the server is back, one sipendpoint.reg_timeout later',
};

/**
 * A pair left without a member to switch to waits for a stopped one to run again (a recovery):
 * how many, and for how long (explore, order-to-hung-backup: `recovery_max_s < 32s` broken by a
 * 2-second site crash, its SIP and Stat Server pairs back after boot and start, 142.7 s).
 */
const RECOVERY: Moves = {
  'host-crash': 'the stopped member comes back with its host (host-boot-time + app-start-time)',
  'site-crash': 'the stopped members come back with their site (host-boot-time + app-start-time)',
  'process-crash': 'the stopped member is restarted (app-start-time)',
  'process-hang': HANG,
};

/** A partition between the sites and the calls that cross it. */
const CUT_ACROSS =
  'a call crossing the cut (delivered to the other site, or to an agent working through the other site’s servers after a DR move) is cut with it';

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
    'network-partition':
      'orders across the cut are lost: a primary ordered to backup waits for its backup’s promotion to fail',
    'lca-crash':
      'SCS reads an LCA loss as a host loss: it switches to nothing on that host and restarts the primary instead',
    'host-crash': ADDP_HOST,
    'site-crash': SITE,
    'process-hang': HANG,
    'wan-degrade':
      'a report and an order crossing the degraded WAN each take its latency and retransmissions: the pair waits that long for its new primary',
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
  recoveries: RECOVERY,
  recovery_max_s: RECOVERY,
  calls_dropped: { 'site-crash': CALLS['site-crash']!, 'network-partition': CUT_ACROSS },
  // The part of calls_dropped cut while talking: a site's loss or a cut between the sites, not a
  // warm switchover (it keeps the conversations, degraded).
  calls_dropped_answered: { 'site-crash': CALLS['site-crash']!, 'network-partition': CUT_ACROSS },
  calls_degraded: {
    'site-crash': 'calls delivered across the sites lose the site’s server',
    'cti-link-down': 'a T-Server that lost its CTI link loses track of the calls in progress',
    'switch-link-down': 'a T-Server that lost its CTI link loses track of the calls in progress',
  },
  dr_switchovers: {
    'site-crash': CALLS['site-crash']!,
    'graceful-shutdown': CALLS['graceful-shutdown']!,
    'phone-unregister':
      'a desktop whose phone stays unregistered switches site after wait-for-sipphone-timeout',
  },
  agents_impacted: AGENTS,
  agent_outage_max_s: AGENTS,
  agent_outage_mean_s: AGENTS,
  desktop_login_max_s: STORM,
  dr_login_span_s: STORM,
  return_to_preferred_max_s: RETURN,
  return_to_preferred_mean_s: RETURN,
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

const TELEPHONY: ReadonlySet<string> = new Set(['sipserver', 'tserver']);

/**
 * Whether a fault stops, hangs, switches or takes the LCA of a member of `pairs` — or, with
 * `cut`, cuts the network (a partition or a lossy WAN: SCS may promote any member it cannot see).
 */
function reaches(f: FaultSpec, t: TopologySpec, pairs: readonly PairSpec[], cut: boolean): boolean {
  if (pairs.length === 0) return false;
  const members = new Set<string>(pairs.flatMap((p) => [p.primary, p.backup]));
  const k = f.kind;
  if (k === 'manual-switchover') return pairs.some((p) => p.id === f.target);
  if (k === 'process-crash' || k === 'process-hang') return members.has(f.target);
  if (k === 'host-crash' || k === 'lca-crash')
    return t.apps.some((a) => a.host === f.target && members.has(a.id));
  return cut && (k === 'network-partition' || k === 'wan-degrade');
}

const telephonyPairs = (t: TopologySpec): PairSpec[] =>
  t.pairs.filter((p) => TELEPHONY.has(p.type));
/** A fault reaches a warm-standby SIP Server or T-Server pair (a cut reaches them all). */
const reachesWarmTelephony = (f: FaultSpec, t: TopologySpec): boolean =>
  reaches(
    f,
    t,
    telephonyPairs(t).filter((p) => p.redundancy === 'warm'),
    true,
  );
/** A fault stops or switches a SIP Server or T-Server (any redundancy). */
const reachesTelephony = (f: FaultSpec, t: TopologySpec): boolean =>
  reaches(f, t, telephonyPairs(t), false);

/**
 * A mechanism that moves a metric only when the fault reaches what `when` asks of the topology
 * (and, for a compound one, of the schedule's other faults: `all`).
 */
interface Rule {
  kinds: readonly FaultKind[];
  why: string;
  when: (f: FaultSpec, t: TopologySpec, all: readonly FaultSpec[], opts: Options) => boolean;
}

const WARM: Rule = {
  kinds: [
    'process-crash',
    'process-hang',
    'host-crash',
    'lca-crash',
    'manual-switchover',
    'network-partition',
    'wan-degrade',
  ],
  why: 'a warm-standby switchover drops the queued and ringing calls, degrades the others',
  when: (f, t) => reachesWarmTelephony(f, t),
};
const SWITCHOVER_DEGRADES: Rule = {
  kinds: WARM.kinds,
  why: 'a switchover degrades the calls it had not synchronised: under warm standby every established call, under hot those changed within ha-sync-lag',
  when: (f, t) => reaches(f, t, telephonyPairs(t), true),
};

const TELEPHONY_STOP: Rule = {
  kinds: ['process-crash', 'process-hang', 'host-crash', 'lca-crash', 'manual-switchover'],
  why: 'the desktops of a SIP Server or T-Server that stops or switches reconnect (after ADDP for a host, heartbeat-period for a hang)',
  when: reachesTelephony,
};
const TELEPHONY_HANG: Rule = {
  kinds: ['process-hang'],
  why: 'a hung SIP Server is seen only through heartbeat-period: its desktops move after disaster-recovery.timeout',
  when: reachesTelephony,
};

/**
 * Mechanisms that move a metric only in some designs, or when the fault hits a certain part of
 * it: the drops of a switchover happen under warm standby only (hot standby keeps its
 * synchronised calls, DOMAIN §6), so a drop under a hot pair's switchover stays a violation;
 * agents stop only when their telephony server does (a hung SCS alone stops none). (Faults that together defeat a pair's redundancy —
 * both servers of a pair, both ICONs of a source — are what explore looks for: violations.)
 */
/** Whether a fault stops a CS Proxy (one of a cluster, or a site's only one). */
function stopsCsProxy(f: FaultSpec, t: TopologySpec): boolean {
  const proxies = new Set(t.apps.filter((a) => a.type === 'csproxy').map((a) => a.id));
  const k = f.kind;
  if (k === 'process-crash' || k === 'process-hang') return proxies.has(f.target);
  if (k === 'host-crash') return t.apps.some((a) => a.host === f.target && proxies.has(a.id));
  return false;
}

const CSPROXY_DOWN: Rule = {
  kinds: ['process-crash', 'process-hang', 'host-crash'],
  why: 'a CS Proxy fewer: logins queue behind the login rate of those left, or wait for one',
  when: stopsCsProxy,
};

/** The hosts a host or site crash takes, and from when to when (no end: for good). */
function crashed(f: FaultSpec, t: TopologySpec): { hosts: string[]; fromMs: number; toMs: number } {
  const hosts =
    f.kind === 'host-crash'
      ? [f.target]
      : f.kind === 'site-crash'
        ? t.hosts.filter((h) => h.site === f.target).map((h) => h.id)
        : [];
  return { hosts, fromMs: f.atMs, toMs: f.atMs + (f.durationMs ?? Infinity) };
}

/** How long a stopped app takes to run again (the scenario's options): see `stopped`. */
interface Restart {
  /** host-boot-time + app-start-time: after a host or site crash's end. */
  afterHostMs: number;
  /** app-start-time after a process crash; Infinity without autorestart. */
  afterProcessMs: number;
}

function restartOf(o: Options): Restart {
  const startMs = o.ms('app-start-time');
  return {
    afterHostMs: o.ms('host-boot-time') + startMs,
    afterProcessMs: o.bool('autorestart') ? startMs : Infinity,
  };
}

/**
 * The apps a fault stops, and from when to when: a host or site crash every app of its hosts
 * for its duration (no end: for good) and until the host has booted and started them; a
 * process crash its app until the LCA has restarted it (for good without autorestart).
 */
function stopped(
  f: FaultSpec,
  t: TopologySpec,
  r: Restart,
): { apps: string[]; fromMs: number; toMs: number } {
  if (f.kind === 'process-crash')
    return { apps: [f.target], fromMs: f.atMs, toMs: f.atMs + r.afterProcessMs };
  const { hosts, fromMs, toMs } = crashed(f, t);
  const apps = t.apps.filter((a) => hosts.includes(a.host)).map((a) => a.id as string);
  return { apps, fromMs, toMs: toMs + r.afterHostMs };
}

/**
 * The fault, with another crash of the schedule overlapping it, stops both members of a SIP
 * Server pair: the site's telephony is gone as after a site crash (both members of a site's pair
 * lost for good is one of the losses `--permanent` draws). A process crash counts for its
 * restart: its partner's host down meanwhile leaves the pair without a member for ~20 s, and
 * desktops that notice its return only at their next retry move once disaster-recovery.timeout
 * runs out (explore --permanent, startup-csproxy-down: support's 30 s against a 20.6 s outage).
 */
function takesSipPairWhole(
  f: FaultSpec,
  t: TopologySpec,
  all: readonly FaultSpec[],
  opts: Options,
): boolean {
  const r = restartOf(opts);
  const mine = stopped(f, t, r);
  if (mine.apps.length === 0) return false;
  const others = all.map((g) => stopped(g, t, r));
  return t.pairs.some((p) => {
    if (p.type !== 'sipserver') return false;
    const members = [p.primary as string, p.backup as string];
    if (!members.some((m) => mine.apps.includes(m))) return false;
    // Every member is down at one moment: by this fault or by one overlapping it.
    return members.every(
      (m) =>
        mine.apps.includes(m) ||
        others.some((c) => c.apps.includes(m) && c.fromMs < mine.toMs && mine.fromMs < c.toMs),
    );
  });
}

const SIP_PAIR_WHOLE: Rule = {
  kinds: ['host-crash', 'process-crash'],
  why: 'both SIP Servers of a site down at once (host crashes, or a process crash while its partner’s host is down): its desktops move to the peer site (business continuity), as after a site crash',
  when: takesSipPairWhole,
};

/**
 * The fault is a host crash for good that, with the schedule's other losses for good, takes
 * every member of a SIP Server or T-Server pair (one of the losses `--permanent` draws): the
 * pair's calls are cut as in a site crash — a loss chosen to defeat the pair, not a finding.
 */
function losesTelephonyPairForGood(
  f: FaultSpec,
  t: TopologySpec,
  all: readonly FaultSpec[],
): boolean {
  if (f.kind !== 'host-crash' || f.durationMs !== undefined) return false;
  const lost = hostsLostForGood(all, t);
  const hostOf = new Map(t.apps.map((a) => [a.id, a.host]));
  return telephonyPairs(t).some((p) => {
    const members = [hostOf.get(p.primary)!, hostOf.get(p.backup)!];
    return members.includes(f.target) && members.every((h) => lost.has(h));
  });
}

const TELEPHONY_PAIR_LOST: Rule = {
  kinds: ['host-crash'],
  why: 'both hosts of a SIP Server or T-Server pair lost for good: its calls are cut, as in a site crash',
  when: losesTelephonyPairForGood,
};

/**
 * A hung pair member that another fault of the schedule has SCS promote (a manual switchover of
 * its pair, its partner stopped): the order waits unread, SCS drops it after scs-order-timeout
 * and restores the other member, and the hung process reads the stale order when its hang ends
 * (app.ts unhang): two primaries until SCS demotes it, a moment later.
 */
const STALE_PROMOTION: Rule = {
  kinds: ['process-hang'],
  why: 'a hung member reads the promotion SCS had dropped when its hang ends: two primaries until SCS demotes it',
  when: (f, t, all) => {
    const pair = t.pairs.find((p) => p.primary === f.target || p.backup === f.target);
    return pair !== undefined && all.some((g) => g !== f && reaches(g, t, [pair], false));
  },
};

const MOVED_IF: Readonly<Record<string, readonly Rule[]>> = {
  split_brain_s: [STALE_PROMOTION],
  desktop_login_max_s: [CSPROXY_DOWN, SIP_PAIR_WHOLE],
  dr_login_span_s: [CSPROXY_DOWN, SIP_PAIR_WHOLE],
  // A return is a login at the preferred site: through its CS Proxy.
  return_to_preferred_max_s: [CSPROXY_DOWN, SIP_PAIR_WHOLE],
  return_to_preferred_mean_s: [CSPROXY_DOWN, SIP_PAIR_WHOLE],
  calls_dropped: [WARM, TELEPHONY_PAIR_LOST],
  calls_dropped_answered: [TELEPHONY_PAIR_LOST],
  calls_degraded: [SWITCHOVER_DEGRADES],
  agents_impacted: [TELEPHONY_STOP],
  agent_outage_max_s: [TELEPHONY_STOP],
  agent_outage_mean_s: [TELEPHONY_STOP],
  dr_switchovers: [TELEPHONY_HANG, SIP_PAIR_WHOLE],
};

/** The mechanisms by which a fault kind moves a metric (the design-dependent ones too), or ''. */
export function mechanismOf(metric: string, kind: FaultKind): string {
  const direct = MOVED_BY[metric]?.[kind];
  if (direct !== undefined) return direct;
  return (MOVED_IF[metric] ?? [])
    .filter((r) => r.kinds.includes(kind))
    .map((r) => r.why)
    .join('; or ');
}

/**
 * The drawn fault (first in schedule order) whose mechanism explains a break, and why. Faults
 * given as kinds only are judged by kind (MOVED_BY); given whole with the topology, also by
 * what they reach (MOVED_IF), with the option values the run read (`opts`: the scenario's,
 * models/options.ts scenarioOptions; the topology's alone when not given).
 */
export function explainedBy(
  e: Expectation,
  faults: readonly (FaultKind | FaultSpec)[],
  topology?: TopologySpec,
  opts?: Options,
): { kind: FaultKind; why: string } | undefined {
  if (CONVERGENCE.includes(e.text)) return undefined;
  const moves = MOVED_BY[e.metric] ?? {};
  const rules = MOVED_IF[e.metric] ?? [];
  const all = faults.filter((g): g is FaultSpec => typeof g !== 'string');
  const o = opts ?? new Options(topology === undefined ? [] : [topology.options]);
  for (const f of faults) {
    const kind = typeof f === 'string' ? f : f.kind;
    const why = moves[kind];
    if (why !== undefined) return { kind, why };
    if (typeof f === 'string' || topology === undefined) continue;
    const rule = rules.find((r) => r.kinds.includes(kind) && r.when(f, topology, all, o));
    if (rule !== undefined) return { kind, why: rule.why };
  }
  return undefined;
}
