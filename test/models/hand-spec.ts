// A hand-built two-site topology for model tests that must not depend on the YAML loader.
import { agentIndex } from '../../src/spec/agents.js';
import type {
  AppId,
  AppSpec,
  FaultSpec,
  HostId,
  PairId,
  ScenarioSpec,
  ShiftSpec,
  SiteId,
  TopologySpec,
  TrafficSpec,
} from '../../src/spec/types.js';
import { appId, hostId, pairId, siteId } from '../../src/spec/ids.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import type { AppType } from '../../src/spec/kinds.js';
import type { AppHost } from '../../src/models/ha-pair/app.js';

/** An ICON of a hand-built topology: it records `source` (a telephony pair) into `idb`. */
export interface HandIcon {
  id: string;
  host: string;
  source: string;
  idb: string;
}

/** The ICONs of topologies/two-site-hot.yaml: each pair's two ICONs on different sites. */
export const HAND_ICONS: readonly HandIcon[] = [
  { id: 'icon-a-1', host: 'a-rep', source: 'sip-a', idb: 'idb-a-1' },
  { id: 'icon-a-2', host: 'b-rep', source: 'sip-a', idb: 'idb-a-2' },
  { id: 'icon-b-1', host: 'b-rep', source: 'sip-b', idb: 'idb-b-1' },
  { id: 'icon-b-2', host: 'a-rep', source: 'sip-b', idb: 'idb-b-2' },
];

export function handTopology(
  redundancy: 'warm' | 'hot' = 'hot',
  extra: {
    ctiLinks?: number;
    ha?: boolean;
    ctiHa?: boolean;
    icons?: readonly HandIcon[];
    /** A routing (URS) pair per site: urs-a on a-mgmt + a-rep, urs-b on b-mgmt + b-rep. */
    urs?: boolean;
  } = {},
): TopologySpec {
  const hosts = [
    ['a-mgmt', 'A'],
    ['a-sip-1', 'A'],
    ['a-sip-2', 'A'],
    ['a-rep', 'A'],
    ['b-mgmt', 'B'],
    ['b-sip-1', 'B'],
    ['b-sip-2', 'B'],
    ['b-rep', 'B'],
  ].map(([id, s]) => ({ id: host(id!), site: site(s!) }));
  const apps = [
    ['scs-a', 'scs', 'a-mgmt'],
    ['scs-b', 'scs', 'b-mgmt'],
    ['cs-a', 'confserv', 'a-mgmt'],
    ['cs-b', 'confserv', 'b-mgmt'],
    ['sip-a-1', 'sipserver', 'a-sip-1'],
    ['sip-a-2', 'sipserver', 'a-sip-2'],
    ['sip-b-1', 'sipserver', 'b-sip-1'],
    ['sip-b-2', 'sipserver', 'b-sip-2'],
    ['ts-a-1', 'tserver', 'a-sip-1'],
    ['ts-a-2', 'tserver', 'a-sip-2'],
    ['csp-a', 'csproxy', 'a-mgmt'],
    ['csp-b', 'csproxy', 'b-mgmt'],
    ['stat-a-1', 'statserver', 'a-sip-1'],
    ['stat-a-2', 'statserver', 'a-sip-2'],
    ['stat-b-1', 'statserver', 'b-sip-1'],
    ['stat-b-2', 'statserver', 'b-sip-2'],
  ].map(([id, type, h]) => ({ id: app(id!), type: type as AppType, host: host(h!) }) as AppSpec);
  if (extra.urs === true) {
    for (const [id, h] of [
      ['urs-a-1', 'a-mgmt'],
      ['urs-a-2', 'a-rep'],
      ['urs-b-1', 'b-mgmt'],
      ['urs-b-2', 'b-rep'],
    ])
      apps.push({ id: app(id!), type: 'urs', host: host(h!) });
  }
  for (const i of extra.icons ?? [])
    apps.push({
      id: app(i.id),
      type: 'icon',
      host: host(i.host),
      source: pair(i.source),
      idb: i.idb,
    });
  apps.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    name: 'hand',
    file: 'hand.yaml',
    digest: 'x',
    licenses: { ha: extra.ha ?? true, ctiHa: extra.ctiHa ?? true },
    sites: [
      { id: site('A'), hosts: hosts.filter((h) => h.site === 'A').map((h) => h.id) },
      { id: site('B'), hosts: hosts.filter((h) => h.site === 'B').map((h) => h.id) },
    ],
    hosts: [...hosts].sort((a, b) => (a.id < b.id ? -1 : 1)),
    network: { lanLatencyMs: 1, wanLatencyMs: 30 },
    apps,
    pairs: [
      ...(extra.urs === true
        ? (['a', 'b'] as const).map((x) => ({
            id: pair(`urs-${x}`),
            primary: app(`urs-${x}-1`),
            backup: app(`urs-${x}-2`),
            type: 'urs' as const,
            redundancy: 'warm' as const,
            ctiLinks: 1,
          }))
        : []),
      {
        id: pair('cs'),
        primary: app('cs-a'),
        backup: app('cs-b'),
        type: 'confserv',
        redundancy: 'warm',
        ctiLinks: 1,
      },
      {
        id: pair('scs'),
        primary: app('scs-a'),
        backup: app('scs-b'),
        type: 'scs',
        redundancy: 'warm',
        ctiLinks: 1,
      },
      {
        id: pair('sip-a'),
        primary: app('sip-a-1'),
        backup: app('sip-a-2'),
        type: 'sipserver',
        redundancy,
        ctiLinks: 1,
      },
      {
        id: pair('sip-b'),
        primary: app('sip-b-1'),
        backup: app('sip-b-2'),
        type: 'sipserver',
        redundancy,
        ctiLinks: 1,
      },
      {
        id: pair('stat-a'),
        primary: app('stat-a-1'),
        backup: app('stat-a-2'),
        type: 'statserver',
        redundancy: 'hot',
        ctiLinks: 1,
      },
      {
        id: pair('stat-b'),
        primary: app('stat-b-1'),
        backup: app('stat-b-2'),
        type: 'statserver',
        redundancy: 'hot',
        ctiLinks: 1,
      },
      {
        id: pair('ts-a'),
        primary: app('ts-a-1'),
        backup: app('ts-a-2'),
        type: 'tserver',
        redundancy: 'warm',
        ctiLinks: extra.ctiLinks ?? 2,
      },
    ],
    clusters: [],
    agentGroups: [],
    options: new Map(),
    tenantOptions: new Map(),
  };
}

/** An id field as a test writes it: a plain string (handScenario brands it, as the loader does). */
type Written<T> = T extends SiteId | HostId | AppId | PairId
  ? string
  : T extends readonly [infer A, infer B]
    ? [Written<A>, Written<B>]
    : T extends readonly (infer E)[]
      ? Written<E>[]
      : T;

type WrittenFields<T> = { [K in keyof T]: Written<T[K]> };

/**
 * A fault as a test writes it: one kind's own fields, ids as plain strings, without the id and
 * index the loader adds.
 */
export type FaultDraft = FaultSpec extends infer U
  ? U extends FaultSpec
    ? WrittenFields<Omit<U, 'id' | 'index'>>
    : never
  : never;

export function handScenario(
  faults: readonly FaultDraft[],
  opts: {
    seed?: number;
    durationMs?: number;
    options?: Record<string, OptionValue>;
    topology?: TopologySpec;
    traffic?: TrafficSpec;
    agents?: {
      group: string;
      count: number;
      preferredSite: string;
      peerSite?: string;
      telephony?: string;
      options?: Record<string, OptionValue>;
      /** Person-level overrides by agent name (`sales-007`). */
      persons?: Record<string, Record<string, OptionValue>>;
      shifts?: ShiftSpec[];
    }[];
  } = {},
): ScenarioSpec {
  const topology = { ...(opts.topology ?? handTopology()) };
  if (opts.agents) {
    topology.agentGroups = opts.agents.map(
      ({ persons, preferredSite, peerSite, telephony, ...g }) => ({
        ...g,
        preferredSite: site(preferredSite),
        ...(peerSite === undefined ? {} : { peerSite: site(peerSite) }),
        ...(telephony === undefined ? {} : { telephony: pair(telephony) }),
        options: new Map(Object.entries(g.options ?? {})),
        persons: Object.entries(persons ?? {})
          .map(([agent, o]) => ({
            agent,
            index: agentIndex(g.group, g.count, agent)!,
            options: new Map(Object.entries(o)),
          }))
          .sort((a, b) => a.index - b.index),
      }),
    );
  }
  return {
    name: 'hand-scenario',
    file: 'hand-scenario.yaml',
    digest: 'y',
    topology,
    traffic: opts.traffic,
    durationMs: opts.durationMs ?? 3_600_000,
    seed: opts.seed ?? 1,
    replications: 1,
    options: new Map(Object.entries(opts.options ?? {})),
    faults: faults.map((f, index) => ({ ...f, id: `f${index}`, index }) as FaultSpec),
    failures: [],
    expect: [],
    sets: [],
  };
}

/** A powered host at site A for an App built by hand; it tells no LCA anything. */
export function quietHost(id = 'h'): AppHost {
  return {
    id: host(id),
    site: site('A'),
    powered: true,
    appChanged: () => {},
    modeConfirmed: () => {},
  };
}

/** Host `h` of the hand topology cut off from every other host from `atMs` for `durationMs`. */
export function isolateHost(h: string, atMs: number, durationMs: number): FaultDraft {
  const hosts = handTopology().hosts.map((x) => x.id);
  return {
    kind: 'network-partition',
    target: `${h}|rest`,
    sideA: [host(h)],
    sideB: hosts.filter((x) => x !== h),
    atMs,
    durationMs,
  };
}

/** Traffic entering site A only (unless split given), exponential handle time. */
export function traffic(
  callsPerHour: number,
  ahtMs: number,
  {
    siteSplit,
    tserverCallsPerHour,
    ...extra
  }: Omit<Partial<TrafficSpec>, 'siteSplit' | 'tserverCallsPerHour'> & {
    siteSplit?: Record<string, number>;
    /** T-Server calls per hour by pair name. */
    tserverCallsPerHour?: Record<string, number>;
  } = {},
): TrafficSpec {
  return {
    callsPerHour,
    siteSplit: split(siteSplit ?? { A: 1, B: 0 }),
    handleTime: { kind: 'exponential', meanMs: ahtMs },
    wrapUpMs: 0,
    serviceLevelThresholdMs: 20_000,
    tserverCallsPerHour: (tserverCallsPerHour ?? {}) as Record<PairId, number>,
    ...extra,
  };
}

/** An app id of a hand-built spec (what the loader makes of a checked app name). */
export function app(id: string): AppId {
  return appId(id);
}

/** A host id of a hand-built spec (what the loader makes of a checked host name). */
export function host(id: string): HostId {
  return hostId(id);
}

/** A pair id of a hand-built spec (what the loader makes of a checked pair name). */
export function pair(id: string): PairId {
  return pairId(id);
}

/** A site id of a hand-built spec (what the loader makes of a checked site name). */
export function site(id: string): SiteId {
  return siteId(id);
}

/** A hand-built site split: each site's share of the calls, by site name. */
export function split(shares: Record<string, number>): Record<SiteId, number> {
  return shares as Record<SiteId, number>;
}
