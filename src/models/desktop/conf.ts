// Which Workspace options apply to each desktop: the application's, then its agent group's, then
// (the most specific level) the person's (seed 003), with the login.nodes lists they name.
// Leaves out: the tenant level (no tenants in the topology).

import { assert, mapObjects, objectArray, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import { groupOptions, personOptions, type Options } from '../options.js';
import type { Telephony } from '../telephony/telephony.js';
import type { AgentGroupSpec, SiteId } from '../../spec/types.js';
import { parseLoginNodes } from './login-nodes.js';

/** Per-site infrastructure a desktop uses (from the topology). */
export interface DesktopSite {
  id: SiteId;
  /** The SIP Server pool agents of this site log in through (-1 if none). */
  pool: number;
  /** CS Proxy apps at the site: its csproxy cluster's members, else every CS Proxy there. */
  proxies: App[];
  /**
   * The proxies form a load-balancing cluster: a login goes to the least loaded running member.
   * Otherwise they are primary and backups: the first running one in order takes every login.
   */
  proxiesClustered: boolean;
  /** Stat Servers at the site: its statserver cluster's members, else every Stat Server pair's. */
  statServers: App[];
}

export interface GroupConf {
  spec: AgentGroupSpec;
  opts: Options;
  preferred: number;
  peer: number; // -1 when none
  /** T-Server pool the group works through (no site switchover), or -1. */
  tserverPool: number;
  rng: Stream;
  /** login.nodes of the preferred and the peer site (undefined: the site's CS Proxies). */
  nodes: [App[] | undefined, App[] | undefined];
  /** login.nodes Timeout of each (ms): the delay after every proxy of the site failed. */
  nodesTimeoutMs: [number, number];
  /** phone-type hard-phone: the phone re-registers on its own timer, not on reg_timeout. */
  hardPhone: boolean;
  // The options the jobs read per desktop and event, resolved once (a lookup is a map's, by name).
  /** warm-standby.retry-delay and warm-standby.retry-jitter, ms. */
  retryDelayMs: number;
  retryJitterMs: number;
  /** disaster-recovery.timeout, ms. */
  drTimeoutMs: number;
  /** Business Continuity applies: enabled, a peer site, and not a T-Server agent. */
  drPossible: boolean;
  /** disaster-recovery.auto-restore and disaster-recovery.restore-agent-state. */
  autoRestore: boolean;
  restoreAgentState: boolean;
  /** desktop-relogin-time and agent-ready-delay, ms. */
  reloginMs: number;
  readyDelayMs: number;
  /** The phone's registration cycle: sipendpoint.reg_timeout, or a hard phone's own timer. */
  regPeriodMs: number;
  /** bc-server-return is when-available. */
  returnWhenAvailable: boolean;
}

export interface Confs {
  /** One conf per agent group (by group index). */
  groups: GroupConf[];
  /** Every conf: the groups', then one per agent with person-level options. */
  confs: GroupConf[];
  /** Agent → its index in `confs`. */
  confOf: Int32Array;
}

/**
 * A desktop's phone registration cycle: sipendpoint.reg_timeout, or a hard phone's own timer
 * (hard-phone.register-interval), as its options resolve (explore reads it too: when a
 * phone-unregister has cleared).
 */
export function registrationCycleMs(o: Options): number {
  return o.ms(
    o.str('phone-type') === 'hard-phone'
      ? 'hard-phone.register-interval'
      : 'sipendpoint.reg_timeout',
  );
}

/** The options of every agent group and of every person that has its own. */
export function buildConfs(
  env: Env,
  tel: Telephony,
  sites: readonly DesktopSite[],
  groups: readonly AgentGroupSpec[],
): Confs {
  const { ctx, opts } = env;
  const siteIndex = (id: SiteId | undefined) =>
    id === undefined ? -1 : sites.findIndex((s) => s.id === id);
  // Keyed by the option's text (login.nodes names app ids; the loader checks them).
  const proxyById = new Map<string, App>(
    sites.flatMap((s) => mapObjects(s.proxies, (p) => [p.id, p] as const)),
  );
  /** The login.nodes list named by option `name` (validated: every node is a CS Proxy). */
  const nodesOf = (o: Options, name: 'login.nodes.preferred-site' | 'login.nodes.peer-site') => {
    const r = parseLoginNodes(o.str(name));
    assert(r.ok, () => `${name}: ${o.str(name)} (the loader checks the format)`);
    const apps = mapObjects(r.value.nodes, (id) => {
      const app = proxyById.get(id);
      assert(app !== undefined, () => `${name}: unknown CS Proxy ${id}`);
      return app;
    });
    return { apps: apps.length > 0 ? apps : undefined, timeoutMs: r.value.timeoutMs };
  };
  /** A conf with the login.nodes of its options. */
  const withNodes = (
    spec: AgentGroupSpec,
    o: Options,
    preferred: number,
    peer: number,
    tserverPool: number,
    rng: Stream,
  ): GroupConf => {
    const pref = nodesOf(o, 'login.nodes.preferred-site');
    const peerNodes = nodesOf(o, 'login.nodes.peer-site');
    const hardPhone = o.str('phone-type') === 'hard-phone';
    // Every field written out, in one order (no spread): a spread's object shape depends on
    // whether V8 has optimized this function yet, and a new shape in a later replication
    // deoptimizes every desktop job that reads a conf (a recompile per replication).
    return {
      spec,
      opts: o,
      preferred,
      peer,
      tserverPool,
      rng,
      nodes: [pref.apps, peerNodes.apps],
      nodesTimeoutMs: [pref.timeoutMs, peerNodes.timeoutMs],
      hardPhone,
      retryDelayMs: o.ms('warm-standby.retry-delay'),
      retryJitterMs: o.ms('warm-standby.retry-jitter'),
      drTimeoutMs: o.ms('disaster-recovery.timeout'),
      drPossible: tserverPool < 0 && peer >= 0 && o.bool('disaster-recovery.enabled'),
      autoRestore: o.bool('disaster-recovery.auto-restore'),
      restoreAgentState: o.bool('disaster-recovery.restore-agent-state'),
      reloginMs: o.ms('desktop-relogin-time'),
      readyDelayMs: o.ms('agent-ready-delay'),
      regPeriodMs: registrationCycleMs(o),
      returnWhenAvailable: o.str('bc-server-return') === 'when-available',
    };
  };
  // The conf arrays hold objects from the start (mapObjects, objectArray and push; no map, no
  // spread): an array made by map() or a spread has another elements kind once V8 optimises this
  // function (it runs once per replication, with a loop over every agent), and every desktop job
  // reading a conf through `confs` was then deoptimised in that replication.
  const groupConfs = mapObjects(groups, (g) =>
    withNodes(
      g,
      groupOptions(opts, g),
      siteIndex(g.preferredSite),
      siteIndex(g.peerSite),
      g.telephony ? tel.poolOf(g.telephony) : -1,
      ctx.stream(`desktop/${g.group}`),
    ),
  );
  const confs = objectArray<GroupConf>();
  for (const c of groupConfs) confs.push(c);
  // Person-level options (the most specific level): a conf of its own for each such agent.
  const n = tel.agents.count;
  const confOf = Int32Array.from(tel.agents.group);
  const seen = new Int32Array(groups.length);
  const next = new Int32Array(groups.length); // cursor into each group's persons (sorted by index)
  for (let a = 0; a < n; a++) {
    const gi = tel.agents.group[a]!;
    const k = seen[gi]!++;
    const person = groups[gi]!.persons[next[gi]!];
    if (person === undefined || person.index !== k) continue;
    next[gi]!++;
    const base = groupConfs[gi]!;
    confOf[a] = confs.length;
    confs.push(
      withNodes(
        base.spec,
        personOptions(base.opts, person),
        base.preferred,
        base.peer,
        base.tserverPool,
        base.rng,
      ),
    );
  }
  return { groups: groupConfs, confs, confOf };
}
