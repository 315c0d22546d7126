// The validated, typed model of a topology and a scenario. Produced only by the loader
// (src/scenario/load.ts) after every check has passed; the rest of ccsim trusts it.

import type { DurationDist } from '../sim/dist.js';
import type { AgentLogoutReason, AppType, IconRole, Redundancy } from './kinds.js';
import type { OptionLayer } from './option-spec.js';
import type { AppId, HostId, PairId, SiteId } from './ids.js';

export type { AppId, HostId, PairId, SiteId } from './ids.js';
export type GroupId = string;

export interface HostSpec {
  id: HostId;
  site: SiteId;
}

export interface AppSpec {
  id: AppId;
  type: AppType;
  host: HostId;
  /** icon only: the telephony pair it records. */
  source?: PairId;
  /** icon only: the IDB it writes. */
  idb?: string;
  /** icon only: its roles as given (`role`, vendor default all); cfg records the Configuration Server. */
  roles?: IconRole[];
}

export interface PairSpec {
  id: PairId;
  primary: AppId;
  backup: AppId;
  /** Both members have this type. */
  type: AppType;
  /** Default 'warm'; confserv is always warm. */
  redundancy: Redundancy;
  /** tserver pairs: redundant all-active CTI links per server (default 1). */
  ctiLinks: number;
}

export interface AgentGroupSpec {
  group: GroupId;
  count: number;
  preferredSite: SiteId;
  peerSite?: SiteId;
  /** A T-Server pair the group works through instead of its site's SIP Server. */
  telephony?: PairId;
  /** Group-level option overrides (already validated). */
  options: OptionLayer;
  /** Person-level overrides (Workspace Person object), sorted by index. */
  persons: PersonSpec[];
  /**
   * Working hours (SPEC §5.1): the group's agents, in order, fill the shifts (the first `count`
   * agents work the first shift, ...). Absent: every agent works the whole run.
   */
  shifts?: ShiftSpec[];
}

/** A shift: times of day, repeated every day of the run (time 0 is midnight). */
export interface ShiftSpec {
  /** Time of day the shift's agents log in, ms in [0, 24 h). */
  startMs: number;
  /** Time of day they log out (after their call), ms in (0, 24 h]; before start: the next day. */
  endMs: number;
  /** Agents working the shift. */
  count: number;
}

/** One agent of a group with its own desktop options (most specific level). */
export interface PersonSpec {
  /** The agent's name as in agents.csv (`sales-007`). */
  agent: string;
  /** 0-based index of the agent in its group. */
  index: number;
  options: OptionLayer;
}

/** A load-balancing cluster of CS Proxies or Stat Servers at one site (seed 003). */
export interface ClusterSpec {
  id: string;
  type: 'csproxy' | 'statserver';
  site: SiteId;
  /** Sorted by id. */
  members: AppId[];
}

export interface TopologySpec {
  name: string;
  /** Path as given (for messages) and its SHA-256 (run.json). */
  file: string;
  digest: string;
  licenses: { ha: boolean; ctiHa: boolean };
  /** Sorted by id. */
  sites: { id: SiteId; hosts: HostId[] }[];
  /** Sorted by id. */
  hosts: HostSpec[];
  network: { lanLatencyMs: number; wanLatencyMs: number };
  /** Sorted by id. */
  apps: AppSpec[];
  /** Sorted by id. */
  pairs: PairSpec[];
  /** Sorted by id. */
  clusters: ClusterSpec[];
  /** In file order. */
  agentGroups: AgentGroupSpec[];
  options: OptionLayer;
  /** The Tenant level of the desktop options (between the application and agent groups). */
  tenantOptions: OptionLayer;
}

export interface TrafficSpec {
  /** Calls per hour entering the sites' gateways (at the peak hour when a profile is given). */
  callsPerHour: number;
  /** Share of calls entering through each site; sums to 1. */
  siteSplit: Record<SiteId, number>;
  handleTime: DurationDist;
  wrapUpMs: number;
  /** Mean caller patience (exponential); undefined = callers never abandon. */
  patienceMs?: number;
  serviceLevelThresholdMs: number;
  /** 24 relative weights, hour 0..23; hour h runs at callsPerHour × profile[h] / max(profile). */
  profile?: number[];
  /** Calls per hour offered to the groups that work through each T-Server pair. */
  tserverCallsPerHour: Record<PairId, number>;
  /**
   * Call types, each its own arrival stream and queue (SPEC §5.1). Absent: one service with the
   * keys above, offered to every group (the first round's model).
   */
  services?: ServiceSpec[];
}

/** A call type: its own arrivals, handle time and patience, served by its groups. */
export interface ServiceSpec {
  name: string;
  callsPerHour: number;
  /** Share of its calls entering through each site; sums to 1. */
  siteSplit: Record<SiteId, number>;
  handleTime: DurationDist;
  wrapUpMs: number;
  patienceMs?: number;
  profile?: number[];
  /** Agent groups that take its calls. */
  groups: GroupId[];
}

export type RoutingPolicy = 'local-first' | 'pooled' | 'local-only';
export const ROUTING_POLICIES: readonly RoutingPolicy[] = ['local-first', 'pooled', 'local-only'];

export interface RoutingSpec {
  /** local-first: the entry site first, the other site after overflowAfterMs; pooled: any site; local-only: never across. */
  policy: RoutingPolicy;
  overflowAfterMs: number;
  /** overflow-after was given (lint: it does nothing but under local-first). */
  overflowAfterGiven?: boolean;
}

interface FaultBase {
  /** Stable id used in reports: "f<index>". */
  id: string;
  index: number;
  atMs: number;
  /** Undo automatically after this long. */
  durationMs?: number;
}

export type FaultSpec = FaultBase &
  (
    | { kind: 'host-crash' | 'host-restore' | 'lca-crash' | 'lca-restore'; target: HostId }
    | { kind: 'site-crash' | 'site-restore' | 'gateway-down' | 'gateway-up'; target: SiteId }
    | {
        kind:
          | 'process-crash'
          | 'process-hang'
          | 'process-start'
          | 'graceful-shutdown'
          | 'idb-down'
          | 'idb-up'
          | 'confdb-down'
          | 'confdb-up';
        target: AppId;
      }
    | {
        kind: 'cti-link-down' | 'cti-link-up';
        target: AppId;
        /** 1-based link number, or every link. */
        link: number | 'all';
        /** A silent failure is seen only through keep-alives (kpl-interval × kpl-tolerance). */
        silent: boolean;
      }
    | { kind: 'switch-link-down' | 'switch-link-up'; target: PairId; silent: boolean }
    | {
        kind: 'network-partition' | 'network-heal';
        /** Label as written, e.g. "A|B" or "a-mgmt,a-sip-1|b-mgmt". */
        target: string;
        sideA: HostId[];
        sideB: HostId[];
      }
    | {
        kind: 'wan-degrade' | 'wan-restore';
        /** The two sites, sorted, as "A|B". */
        target: string;
        sites: [SiteId, SiteId];
        /** One-way latency added to the WAN's (wan-restore: 0). */
        latencyMs: number;
        /** Share of messages lost on the WAN, each way, 0 ≤ loss < 1 (wan-restore: 0). */
        loss: number;
      }
    | { kind: 'phone-unregister'; target: GroupId; share: number }
    | {
        kind: 'agent-logout';
        target: GroupId;
        /** Share of the group's agents on duty who log out. */
        share: number;
        /** manual: after the call and its wrap-up; supervisor: when the call ends. */
        reason: AgentLogoutReason;
      }
    | { kind: 'manual-switchover'; target: PairId }
  );

export type TimeDist =
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'weibull'; meanMs: number; shape: number }
  | { kind: 'lognormal'; meanMs: number; cv: number };

/**
 * A random failure: a kind of FAILURE_RESTORE (spec/kinds.ts) with its resolved targets, ids
 * of the class the kind targets, sorted.
 */
export type FailureSpec = {
  index: number;
  mtbf: TimeDist;
  mttr: TimeDist;
} & (
  | { kind: 'host-crash' | 'lca-crash'; targets: HostId[] }
  | { kind: 'site-crash' | 'gateway-down'; targets: SiteId[] }
  | {
      kind: 'process-crash' | 'process-hang' | 'cti-link-down' | 'idb-down' | 'confdb-down';
      targets: AppId[];
    }
);

export type ExpectOp = '<' | '<=' | '==' | '!=' | '>=' | '>';
export type ExpectAgg = 'mean' | 'min' | 'max' | 'p50' | 'p95' | 'p99';

export interface Expectation {
  /** The line as written. */
  text: string;
  agg?: ExpectAgg;
  /** A summary.csv column. */
  metric: string;
  op: ExpectOp;
  /** Times are in seconds (units converted). */
  value: number;
}

export interface ScenarioSpec {
  name: string;
  file: string;
  digest: string;
  topology: TopologySpec;
  durationMs: number;
  seed: number;
  replications: number;
  traffic?: TrafficSpec;
  /** How calls are routed across sites (absent: local-only). */
  routing?: RoutingSpec;
  /** Calls offered before this are simulated but not counted (ms, 0 = none). */
  warmupMs?: number;
  /** Scenario-level options including --set overrides. */
  options: OptionLayer;
  /** Sorted by (atMs, index). */
  faults: FaultSpec[];
  failures: FailureSpec[];
  expect: Expectation[];
  /** The --set arguments applied, as given (for run.json and replay commands). */
  sets: string[];
}
