// Agent desktops with two-site business continuity (Workspace / AIL, DOMAIN §9, seeds 002 and
// 003): start-up through either site's CS Proxy, the four listeners (telephony, configuration,
// statistics, DN), the site switchover (restart the client layer, log in again, through login
// queues at the target CS Proxy and SIP Server) and the return to the preferred site on the SIP
// endpoint's registration cycle. One desktop per agent, kept in typed arrays.
// Business continuity per server type (seed 003): a desktop's CS Proxy and Stat Server connections
// each move to the peer site's after disaster-recovery.timeout without them, with no SIP site
// switchover. Logins go through a CS Proxy of the target site (login.nodes, cluster members: the
// least loaded running one), waiting the login.nodes Timeout when all of them failed.
// Leaves out: the desktop's own crashes, multimedia channels, supervisors.

import { assert, tickAtOrAfter, uniform, type Handler, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import {
  anyUp,
  ClientEvent,
  DEAD,
  Effect,
  follow,
  isUp,
  LINK_NAMES,
  linkTo,
  modeOf,
  outlook,
  receivesFrom,
  serverEvent,
  WARM,
  type ClientMode,
  type ClientSide,
  type Outlook,
} from '../ha-pair/client.js';
import { addpLossDetectedAtMs, pollAtStakeMs } from '../network/addp.js';
import type { PathWatcher } from '../network/network.js';
import type { Options } from '../options.js';
import { parseLoginNodes } from './login-nodes.js';
import type { AgentGroupSpec, SiteId } from '../../spec/types.js';
import type { LogoutReason, Telephony } from '../telephony/telephony.js';
import { DAY_MS, nextTimeOfDay } from '../../spec/shifts.js';
import { onDutyAt, shiftRuns, type ShiftRun } from './shifts.js';

const enum Phase {
  Starting = 0, // connecting at start-up
  Working = 1, // logged in, telephony ON
  Off = 2, // telephony OFF: retrying, DR timer running
  Switching = 3, // client layer restarting for another site
  WaitPhone = 4, // logged out with dr-force_logout, waiting for EventDNBackInService
  Stranded = 5, // nowhere to log in (both sites out, DR disabled)
  OffDuty = 6, // logged out on purpose (end of shift, agent-logout) or not yet on shift
}

const K_DETECT = 0; // arg = agent * 2 + member: loss of the connection to that server seen
const K_RETRY = 1;
const K_DR_TIMEOUT = 2;
const K_SWITCH_DONE = 3;
const K_REG_TICK = 4;
const K_PHONE_TIMEOUT = 5;
const K_READY = 6;
const K_MEMBER_RETRY = 7; // arg = agent * 2 + member: hot, the next attempt to reach that server
const K_START = 8; // start-up of every desktop (after the faults at 0 s are in place)
const K_LOGIN_RETRY = 9; // no CS Proxy of the target site answered: try again
const K_CFG_BC = 10; // disaster-recovery.timeout without the CS Proxies of the desktop's site
const K_STAT_BC = 11; // disaster-recovery.timeout without the Stat Servers of the desktop's site
const K_SHIFT_START = 12; // arg = shift (index in shifts)
const K_SHIFT_END = 13;

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

interface GroupConf {
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
}

/** A FIFO server: logins are served one at a time at a fixed rate (model assumption). */
class LoginQueue {
  private freeAtMs = 0;
  constructor(private readonly serviceMs: number) {}
  /** When a login arriving at `nowMs` would start being served. */
  freeAt(nowMs: number): number {
    return Math.max(nowMs, this.freeAtMs);
  }

  /** When a login arriving now completes here. */
  admit(nowMs: number): number {
    const start = Math.max(nowMs, this.freeAtMs);
    this.freeAtMs = start + this.serviceMs;
    return this.freeAtMs;
  }
}

export class Desktops implements Handler, ClientSide, PathWatcher {
  private readonly n: number;
  private readonly group: Int32Array;
  private readonly phase: Uint8Array;
  private readonly site: Int32Array; // site currently used (-1 none)
  /** How each desktop follows its pool's pair (ha-pair/client.ts): one state byte each. */
  private readonly link: Uint8Array;
  private readonly offSinceMs: Float64Array;
  private readonly addpPhaseMs: Float64Array; // client ADDP cycle phase per desktop
  private readonly regPhaseMs: Float64Array; // SIP endpoint registration cycle phase
  private readonly evRetry: Float64Array;
  private readonly evDr: Float64Array;
  private readonly evSwitch: Float64Array;
  private readonly evReg: Float64Array;
  private readonly evPhone: Float64Array;
  private readonly evDetect: Float64Array;
  /** A pending detection because the path broke (not the server): its poll at stake (else -1). */
  private readonly pathPollMs: Float64Array;
  private readonly evMemberRetry: Float64Array;
  private readonly switchTarget: Int32Array;
  readonly drSwitchovers: Int32Array;
  readonly backOnPreferredAtMs: Float64Array;
  private readonly left: Uint8Array; // ever left the preferred site
  private readonly returnPending: Uint8Array;
  private readonly groups: GroupConf[];
  /** Every conf: the groups' (by group index), then one per agent with person-level options. */
  private readonly confs: GroupConf[];
  /** Agent → its index in `confs`. */
  private readonly confOf: Int32Array;
  private readonly lastTraceMs: number[];
  /** Login queue of each CS Proxy (by index in `proxyIndex`): a cluster adds capacity. */
  private readonly proxyQueues: LoginQueue[];
  private readonly proxyIndex: Map<App, number>;
  /** Site of the CS Proxy a desktop's configuration connection uses (-1: none yet). */
  private readonly cfgSite: Int32Array;
  /** Site of the Stat Servers a desktop's statistics connection uses (-1: none yet). */
  private readonly statSite: Int32Array;
  /** The CS Proxy the pending login goes through (undefined: the site has none). */
  private readonly loginProxy: (App | undefined)[];
  /** The desktop connected to a CS Proxy once: login.nodes Timeout applies from then on. */
  private readonly everConnected: Uint8Array;
  /** The phone is not registered (dr-force_logout) until EventDNBackInService. */
  private readonly phoneDown: Uint8Array;
  private readonly evLogin: Float64Array;
  private readonly evCfg: Float64Array;
  private readonly evStat: Float64Array;
  /**
   * disaster-recovery.timeout passed without the CS Proxy (Stat Servers) and neither site's
   * served: the desktop connects to the first site whose servers serve again.
   */
  private readonly cfgWaiting: Uint8Array;
  private readonly statWaiting: Uint8Array;
  /** Last time each (component, state) was traced: one timeline row per moment. */
  private readonly traced = new Map<string, number>();
  private readonly sipQueues: LoginQueue[];
  readonly warnings = { configuration: 0, statistics: 0 };
  /** The group shifts and the agents working each (shifts.ts). */
  private readonly shifts: ShiftRun[];
  /** The agent is on duty: in its shift (or its group has none) and not logged out on purpose. */
  readonly onDuty: Uint8Array;
  /** A logout on purpose is pending: the agent finishes its call first, then goes off duty. */
  private readonly leaving: Uint8Array;
  /** When the current login episode (start-up, DR switchover, return, re-login) began (-1: none). */
  private readonly loginStartMs: Float64Array;
  /** The pending login follows a DR switchover (it counts in the reconnection storm). */
  private readonly drLogin: Uint8Array;
  /** When the desktop logged in at its peer site (-1: not there). */
  private readonly peerLoginAtMs: Float64Array;
  /** restore-agent-state asked for the last state at this DR login; Ready not restored yet (-1). */
  private readonly restoreFromMs: Float64Array;
  /** What the report reads of desktop logins and per-server-type continuity (see docs/metrics.md). */
  readonly stats = {
    /** Longest login: from its start (client layer started) to logged in at the SIP Server. */
    loginMaxMs: 0,
    /** The reconnection storm: first DR switchover, last login that followed one (-1: none). */
    firstDrSwitchMs: -1,
    lastDrLoginMs: -1,
    /** Logins whose configuration connection went through another site's CS Proxy. */
    loginsViaPeerProxy: 0,
    /** Desktops that connected to the other site's CS Proxy / Stat Servers (seed 003). */
    csproxyMoves: 0,
    statserverMoves: 0,
    /** After a DR login with restore-agent-state: the longest wait until Ready was restored. */
    restoreWaitMaxMs: 0,
    /** Desktops back on their preferred site after a stay at the peer, and the longest stay. */
    returnsToPreferred: 0,
    returnToPreferredMaxMs: 0,
    returnToPreferredSumMs: 0,
  };

  constructor(
    private readonly env: Env,
    private readonly tel: Telephony,
    private readonly sites: DesktopSite[],
    groups: readonly AgentGroupSpec[],
  ) {
    const { ctx, opts } = env;
    this.n = tel.agentCount;
    const n = this.n;
    this.group = tel.agentGroup;
    this.phase = new Uint8Array(n);
    this.site = new Int32Array(n).fill(-1);
    this.link = new Uint8Array(n);
    this.offSinceMs = new Float64Array(n).fill(-1);
    this.addpPhaseMs = new Float64Array(n);
    this.regPhaseMs = new Float64Array(n);
    this.evRetry = new Float64Array(n).fill(-1);
    this.evDr = new Float64Array(n).fill(-1);
    this.evSwitch = new Float64Array(n).fill(-1);
    this.evReg = new Float64Array(n).fill(-1);
    this.evPhone = new Float64Array(n).fill(-1);
    this.evDetect = new Float64Array(2 * n).fill(-1);
    this.pathPollMs = new Float64Array(2 * n).fill(-1);
    this.evMemberRetry = new Float64Array(2 * n).fill(-1);
    this.switchTarget = new Int32Array(n).fill(-1);
    this.drSwitchovers = new Int32Array(n);
    this.backOnPreferredAtMs = new Float64Array(n).fill(-1);
    this.left = new Uint8Array(n);
    this.returnPending = new Uint8Array(n);
    this.cfgSite = new Int32Array(n).fill(-1);
    this.statSite = new Int32Array(n).fill(-1);
    this.loginProxy = new Array<App | undefined>(n).fill(undefined);
    this.everConnected = new Uint8Array(n);
    this.phoneDown = new Uint8Array(n);
    this.evLogin = new Float64Array(n).fill(-1);
    this.evCfg = new Float64Array(n).fill(-1);
    this.evStat = new Float64Array(n).fill(-1);
    this.cfgWaiting = new Uint8Array(n);
    this.statWaiting = new Uint8Array(n);
    this.loginStartMs = new Float64Array(n).fill(-1);
    this.drLogin = new Uint8Array(n);
    this.peerLoginAtMs = new Float64Array(n).fill(-1);
    this.restoreFromMs = new Float64Array(n).fill(-1);
    const siteIndex = (id: SiteId | undefined) =>
      id === undefined ? -1 : sites.findIndex((s) => s.id === id);
    const proxyById = new Map(sites.flatMap((s) => s.proxies.map((p) => [p.id, p] as const)));
    /** The login.nodes of a conf's options (validated: every node is a CS Proxy). */
    const withNodes = (c: Omit<GroupConf, 'nodes' | 'nodesTimeoutMs' | 'hardPhone'>): GroupConf => {
      const lists = (['login.nodes.preferred-site', 'login.nodes.peer-site'] as const).map(
        (name) => {
          const r = parseLoginNodes(c.opts.str(name));
          assert(r.ok, () => `${name}: ${c.opts.str(name)} (the loader checks the format)`);
          const apps = r.value.nodes.map((id) => proxyById.get(id)!);
          assert(
            apps.every((x) => x !== undefined),
            () => `${name}: unknown CS Proxy`,
          );
          return { apps: apps.length > 0 ? apps : undefined, timeoutMs: r.value.timeoutMs };
        },
      );
      return {
        ...c,
        nodes: [lists[0]!.apps, lists[1]!.apps],
        nodesTimeoutMs: [lists[0]!.timeoutMs, lists[1]!.timeoutMs],
        hardPhone: c.opts.str('phone-type') === 'hard-phone',
      };
    };
    this.groups = groups.map((g) =>
      withNodes({
        spec: g,
        opts: opts.withLayer(g.options, `agent group ${g.group}`),
        preferred: siteIndex(g.preferredSite),
        peer: siteIndex(g.peerSite),
        tserverPool: g.telephony ? tel.poolOf(g.telephony) : -1,
        rng: ctx.stream(`desktop/${g.group}`),
      }),
    );
    this.lastTraceMs = this.groups.map(() => -1);
    this.confs = [...this.groups];
    // Person-level options (the most specific level): a conf of its own for each such agent.
    this.confOf = Int32Array.from(this.group);
    const seen = new Int32Array(groups.length);
    const next = new Int32Array(groups.length); // cursor into each group's persons (sorted by index)
    for (let a = 0; a < n; a++) {
      const gi = this.group[a]!;
      const k = seen[gi]!++;
      const person = groups[gi]!.persons[next[gi]!];
      if (person === undefined || person.index !== k) continue;
      next[gi]!++;
      const base = this.groups[gi]!;
      this.confOf[a] = this.confs.length;
      this.confs.push(
        withNodes({ ...base, opts: base.opts.withLayer(person.options, `person ${person.agent}`) }),
      );
    }
    const allProxies = sites.flatMap((s) => s.proxies);
    this.proxyIndex = new Map(allProxies.map((p, i) => [p, i] as const));
    this.proxyQueues = allProxies.map(() => new LoginQueue(1000 / opts.num('csproxy-login-rate')));
    this.sipQueues = tel.pools.map(() => new LoginQueue(1000 / opts.num('sipserver-login-rate')));
    const clientAddp = opts.ms('client-addp-timeout');
    for (let a = 0; a < n; a++) {
      const g = this.conf(a);
      // Each desktop's ADDP cycle and SIP registration cycle started at its own moment.
      this.addpPhaseMs[a] = Math.floor(uniform(g.rng, 0, clientAddp));
      this.regPhaseMs[a] = Math.floor(uniform(g.rng, 0, this.regPeriodMs(a)));
    }
    // Desktops follow the servers of every pool and the site services they warn about.
    tel.pools.forEach((p, pool) => {
      p.pair.members.forEach((m, member) =>
        m.listen({ onAppChanged: (_x, c) => this.onServer(pool, member, c) }),
      );
    });
    tel.observe({
      onPoolService: (pool, up) => this.onPoolService(pool, up),
      onAgentLoggedOut: (a, reason) => this.onLoggedOut(a, reason),
      onCallEnded: (a) => this.onCallEnded(a),
      onAgentReady: (a) => this.onAgentReady(a),
    });
    sites.forEach((s, si) => {
      for (const p of [...s.proxies, ...s.statServers])
        p.listen({ onAppChanged: () => this.checkSiteServices(si) });
    });
    this.configOff = sites.map(() => false);
    this.statOff = sites.map(() => false);
    env.net.watch(this); // partitions and heals: each desktop's ADDP judges its connections
    this.shifts = shiftRuns(groups);
    this.onDuty = onDutyAt(groups, 0);
    this.leaving = new Uint8Array(n);
    this.shifts.forEach((r, i) => {
      ctx.scheduleAt(nextTimeOfDay(r.startMs, 0), this, K_SHIFT_START, i);
      ctx.scheduleAt(nextTimeOfDay(r.endMs, 0), this, K_SHIFT_END, i);
    });
  }

  /**
   * Starts every desktop. Called once the scripted faults are scheduled: the start-up event comes
   * after the faults at 0 s, which are then in place (DOMAIN §12).
   */
  start(): void {
    this.env.ctx.schedule(0, this, K_START, 0);
  }

  /** One timeline row per component, state and moment (desktops are traced by site or group). */
  private traceOnce(component: string, state: string, cause: string): void {
    const key = `${component}|${state}`;
    const now = this.env.ctx.nowMs;
    if (this.traced.get(key) === now) return;
    this.traced.set(key, now);
    this.env.ctx.trace(component, state, cause);
  }

  /** The phone's registration cycle: sipendpoint.reg_timeout, or a hard phone's own timer. */
  private regPeriodMs(a: number): number {
    const g = this.conf(a);
    return g.opts.ms(g.hardPhone ? 'hard-phone.register-interval' : 'sipendpoint.reg_timeout');
  }

  private configOff: boolean[];
  private statOff: boolean[];

  private conf(a: number): GroupConf {
    return this.confs[this.confOf[a]!]!;
  }

  /** The pool the desktop logs in through at a site (its T-Server pool, or the site's SIP pool). */
  private poolAt(a: number, site: number): number {
    const g = this.conf(a);
    return g.tserverPool >= 0 ? g.tserverPool : site >= 0 ? this.sites[site]!.pool : -1;
  }

  private cancel(arr: Float64Array, a: number): void {
    if (arr[a]! >= 0) this.env.ctx.cancel(arr[a]!);
    arr[a] = -1;
  }

  private setPhase(a: number, p: Phase): void {
    this.phase[a] = p;
  }

  // ================================================================ start-up

  /**
   * Connect to the CS Proxy of either site (the one configured first: the preferred site's),
   * falling back to the other; read the preferred site; log in there.
   */
  private startUp(a: number): void {
    const g = this.conf(a);
    const order = [g.preferred, ...this.sites.map((_, i) => i).filter((i) => i !== g.preferred)];
    const first = order.find((s) => s >= 0 && this.proxyUp(a, s));
    this.setPhase(a, Phase.Starting);
    this.startEpisode(a);
    if (first === undefined) {
      // No CS Proxy of either site answers: try again (no login.nodes Timeout before a first
      // successful connection).
      this.traceOnce(
        `desktops@${this.sites[Math.max(0, g.preferred)]!.id}`,
        'login-waiting',
        'no CS Proxy of any site answers',
      );
      this.evLogin[a] = this.env.ctx.schedule(
        g.opts.ms('warm-standby.retry-delay'),
        this,
        K_LOGIN_RETRY,
        a,
      );
      return;
    }
    // Configuration through `first`; the SIP login at the preferred site (Business Continuity
    // per server type, seed 003: the CS Proxy and the SIP Server are chosen apart).
    const target = this.poolAt(a, g.preferred) >= 0 ? g.preferred : first;
    this.beginLogin(a, target, first);
  }

  /** A site without any CS Proxy in the topology: desktops read configuration directly. */
  private proxyUp(a: number, site: number): boolean {
    const proxies = this.proxiesFor(a, site);
    return proxies.length === 0 || proxies.some((p) => p.serving);
  }

  /**
   * The CS Proxies a desktop uses at a site: its login.nodes list for that site (preferred or
   * peer, seed 003) when one is given, else every CS Proxy of the site.
   */
  private proxiesFor(a: number, site: number): readonly App[] {
    const g = this.conf(a);
    const listed = site === g.preferred ? g.nodes[0] : site === g.peer ? g.nodes[1] : undefined;
    return listed ?? this.sites[site]!.proxies;
  }

  // ================================================================ login / switch

  /**
   * The running CS Proxy of `site` a login goes through: the first running one in the desktop's
   * order, or in a cluster the one whose login queue frees first (order breaks ties). Undefined
   * when none runs.
   */
  private pickProxy(a: number, site: number, atMs: number): App | undefined {
    let best: App | undefined;
    let bestMs = Infinity;
    const clustered = this.sites[site]!.proxiesClustered;
    for (const p of this.proxiesFor(a, site)) {
      if (!p.serving) continue;
      if (!clustered) return p;
      const free = this.proxyQueues[this.proxyIndex.get(p)!]!.freeAt(atMs);
      if (free < bestMs) {
        best = p;
        bestMs = free;
      }
    }
    return best;
  }

  /**
   * Restart the client layer against `site` (a DR switchover, a return, a re-login): through a
   * CS Proxy of that site; when none answers, wait the site's login.nodes Timeout and try again.
   */
  private loginAt(a: number, site: number): void {
    const g = this.conf(a);
    this.cancelTimers(a);
    this.switchTarget[a] = site;
    this.startEpisode(a);
    if (this.phase[a] !== Phase.Starting) this.setPhase(a, Phase.Switching);
    if (this.proxiesFor(a, site).length === 0 || this.proxyUp(a, site)) {
      this.beginLogin(a, site, site);
      return;
    }
    this.link[a] = DEAD;
    this.tel.setConnected(a, false);
    const timeout =
      site === g.peer && site !== g.preferred ? g.nodesTimeoutMs[1] : g.nodesTimeoutMs[0];
    const delay = this.everConnected[a] ? timeout : g.opts.ms('warm-standby.retry-delay');
    this.traceOnce(
      `desktops@${this.sites[site]!.id}`,
      'login-waiting',
      `no CS Proxy answers; retry in ${delay / 1000} s`,
    );
    this.evLogin[a] = this.env.ctx.schedule(Math.max(1, delay), this, K_LOGIN_RETRY, a);
  }

  /**
   * Restart the client layer for `site` and log in through a CS Proxy of `proxySite`: relogin
   * time, then that proxy's login queue and the SIP Server's.
   */
  private beginLogin(a: number, site: number, proxySite = site): void {
    const { ctx } = this.env;
    const g = this.conf(a);
    this.cancelTimers(a);
    this.link[a] = DEAD; // the client layer restarts: its connections close
    this.tel.setConnected(a, false);
    this.switchTarget[a] = site;
    if (this.phase[a] !== Phase.Starting) this.setPhase(a, Phase.Switching);
    const pool = this.poolAt(a, site);
    const t1 = ctx.nowMs + g.opts.ms('desktop-relogin-time');
    const proxy = this.pickProxy(a, proxySite, t1);
    this.loginProxy[a] = proxy;
    // The client layer restarts for the target site: configuration through the proxy's site,
    // statistics and telephony at the target.
    this.cfgSite[a] = proxySite;
    this.statSite[a] = site;
    this.cfgWaiting[a] = 0;
    this.statWaiting[a] = 0;
    const t2 = proxy === undefined ? t1 : this.proxyQueues[this.proxyIndex.get(proxy)!]!.admit(t1);
    const t3 = pool >= 0 ? this.sipQueues[pool]!.admit(t2) : t2;
    this.evSwitch[a] = ctx.scheduleAt(Math.ceil(t3), this, K_SWITCH_DONE, a);
  }

  private onSwitchDone(a: number): void {
    this.evSwitch[a] = -1;
    const site = this.switchTarget[a]!;
    const pool = this.poolAt(a, site);
    const g = this.conf(a);
    const wasStarting = this.phase[a] === Phase.Starting;
    const proxy = this.loginProxy[a];
    if (proxy !== undefined && !proxy.serving) {
      // The CS Proxy went away while the login waited in its queue: try again.
      if (wasStarting) this.startUp(a);
      else this.loginAt(a, site);
      return;
    }
    this.everConnected[a] = 1;
    this.site[a] = site;
    if (pool < 0 || !this.tel.poolInService(pool)) {
      // Nobody answers the login: the telephony service is OFF at this site.
      this.goOff(a);
      return;
    }
    this.connectAll(a, pool);
    this.setPhase(a, Phase.Working);
    this.loginDone(a, site);
    // Workspace (re)launches its SIP endpoint with the login: it registers at this site now, and
    // its reg_timeout counts from here. A hard phone keeps its own registration cycle.
    if (!g.hardPhone) {
      this.regPhaseMs[a] = this.env.ctx.nowMs;
      this.phoneDown[a] = 0;
    }
    const phoneOk = this.phoneDown[a] === 0;
    const ready = phoneOk && (wasStarting || g.opts.bool('disaster-recovery.restore-agent-state'));
    // restore-agent-state: the wait until the last state is back (after an open interaction).
    this.restoreFromMs[a] =
      phoneOk && !wasStarting && g.opts.bool('disaster-recovery.restore-agent-state')
        ? this.env.ctx.nowMs
        : -1;
    this.tel.login(a, pool, ready);
    // An unregistered phone takes no call until EventDNBackInService (its next registration).
    this.tel.setConnected(a, phoneOk && this.hasPrimary(a, pool));
    if (!phoneOk) this.evReg[a] = this.env.ctx.scheduleAt(this.nextRegTick(a), this, K_REG_TICK, a);
    else if (!ready)
      this.evRetry[a] = this.env.ctx.schedule(g.opts.ms('agent-ready-delay'), this, K_READY, a);
    if (site === g.preferred && this.left[a] && this.backOnPreferredAtMs[a]! < 0) {
      this.backOnPreferredAtMs[a] = this.env.ctx.nowMs;
    }
    if (site !== g.preferred) this.left[a] = 1;
    this.armReturn(a);
  }

  /** A login episode begins (kept across its retries until the agent is logged in). */
  private startEpisode(a: number): void {
    if (this.loginStartMs[a]! < 0) this.loginStartMs[a] = this.env.ctx.nowMs;
  }

  /** The agent is logged in at `site`: the login's duration, its route, a return's stay. */
  private loginDone(a: number, site: number): void {
    const now = this.env.ctx.nowMs;
    const st = this.stats;
    if (this.loginStartMs[a]! >= 0)
      st.loginMaxMs = Math.max(st.loginMaxMs, now - this.loginStartMs[a]!);
    this.loginStartMs[a] = -1;
    if (this.drLogin[a]) st.lastDrLoginMs = now;
    this.drLogin[a] = 0;
    if (this.cfgSite[a] !== site) st.loginsViaPeerProxy++;
    const g = this.conf(a);
    if (site === g.preferred && this.peerLoginAtMs[a]! >= 0) {
      st.returnsToPreferred++;
      const stayMs = now - this.peerLoginAtMs[a]!;
      st.returnToPreferredMaxMs = Math.max(st.returnToPreferredMaxMs, stayMs);
      st.returnToPreferredSumMs += stayMs;
    }
    this.peerLoginAtMs[a] = site === g.preferred ? -1 : now;
  }

  /** The agent became Ready: a restore-agent-state pending since the DR login is done. */
  private onAgentReady(a: number): void {
    const from = this.restoreFromMs[a]!;
    if (from < 0) return;
    this.restoreFromMs[a] = -1;
    const st = this.stats;
    st.restoreWaitMaxMs = Math.max(st.restoreWaitMaxMs, this.env.ctx.nowMs - from);
  }

  /** The client layer (re)connects to the pool's pair: hot to each running server, warm to the primary. */
  private connectAll(a: number, pool: number): void {
    this.cancelMemberTimers(a);
    this.link[a] = DEAD;
    this.follow(a, pool, ClientEvent.ClientStarted, 0);
  }

  private modeOf(pool: number): ClientMode {
    return modeOf(this.tel.pools[pool]!.pair.redundancy);
  }

  /** One event of the desktop's client machine (ha-pair/client.ts); effects in `effects`. */
  private follow(a: number, pool: number, ev: ClientEvent, m: 0 | 1): void {
    follow(this.link, a, this.modeOf(pool), this.tel.pools[pool]!.pair.members, ev, m, this);
  }

  /** Desktops have no host of their own: they reach what their site reaches (Network.siteReachable). */
  outlookOf(a: number, server: App | undefined): Outlook {
    const s = this.site[a]!;
    const reachable =
      server !== undefined &&
      (s < 0 || this.env.net.siteReachable(this.sites[s]!.id, server.host.id));
    return outlook(true, server, reachable);
  }

  /**
   * A partition or a heal: a connection whose path broke is judged by the desktop's ADDP
   * (network/addp.ts) — lost when its poll at stake goes unanswered; one whose path came back
   * before that poll goes on.
   */
  pathChanged(): void {
    const { ctx, net, opts } = this.env;
    const t = opts.ms('client-addp-timeout');
    for (let a = 0; a < this.n; a++) {
      const p = this.phase[a];
      const s = this.site[a]!;
      if ((p !== Phase.Working && p !== Phase.Off) || s < 0) continue;
      const pool = this.poolAt(a, s);
      const mode = this.modeOf(pool);
      const members = this.tel.pools[pool]!.pair.members;
      for (const m of [0, 1] as const) {
        if (!isUp(this.link[a]!, mode, m)) continue;
        const i = a * 2 + m;
        const server = members[m];
        const site = this.sites[s]!.id;
        const ok = server.up && net.siteReachable(site, server.host.id);
        if (this.evDetect[i]! >= 0) {
          if (ok && this.pathPollMs[i]! > ctx.nowMs) this.cancel(this.evDetect, i);
          continue;
        }
        if (ok || !server.up) continue; // a vanished server: its own detection is armed
        const poll = pollAtStakeMs(
          this.addpPhaseMs[a]!,
          t,
          2 * net.siteLatencyMs(site, server.host.id),
          ctx.nowMs,
        );
        this.pathPollMs[i] = poll;
        this.evDetect[i] = ctx.scheduleAt(poll + t, this, K_DETECT, i);
      }
    }
  }

  effects(a: number, fx: number, m: 0 | 1): void {
    const { ctx, opts } = this.env;
    const pool = this.poolAt(a, this.site[a]!);
    if (fx & Effect.CancelRetry) this.cancel(this.evMemberRetry, a * 2 + m);
    if (fx & Effect.ServerClosed) {
      this.cancel(this.evDetect, a * 2 + m); // the close tells before ADDP would
      this.follow(a, pool, ClientEvent.LinkLost, m); // heard at once
    }
    if (fx & Effect.ServerGone) {
      // Host gone: the desktop's ADDP polls go unanswered (network/addp.ts).
      const server = this.tel.pools[pool]!.pair.members[m];
      const rtt = 2 * this.env.net.siteLatencyMs(this.sites[this.site[a]!]!.id, server.host.id);
      const at = addpLossDetectedAtMs(
        this.addpPhaseMs[a]!,
        opts.ms('client-addp-timeout'),
        rtt,
        ctx.nowMs,
      );
      this.cancel(this.evDetect, a * 2 + m);
      this.pathPollMs[a * 2 + m] = -1;
      this.evDetect[a * 2 + m] = ctx.scheduleAt(at, this, K_DETECT, a * 2 + m);
    }
    if (fx & Effect.ArmRetry) {
      // Hot: this server again after reconnect-timeout. Warm: telephony OFF (its own retries).
      if (this.modeOf(pool) === WARM) {
        if (this.phase[a] === Phase.Working) this.goOff(a);
      } else if (this.evMemberRetry[a * 2 + m]! < 0) {
        this.evMemberRetry[a * 2 + m] = ctx.schedule(
          opts.ms('reconnect-timeout'),
          this,
          K_MEMBER_RETRY,
          a * 2 + m,
        );
      }
    }
    if (fx & Effect.Refresh && this.phase[a] === Phase.Working)
      this.tel.setConnected(a, this.phoneDown[a] === 0 && this.hasPrimary(a, pool));
  }

  /** After a connection loss: a working desktop connected to no server is telephony OFF. */
  private checkOff(a: number, pool: number): void {
    if (this.phase[a] === Phase.Working && !anyUp(this.link[a]!, this.modeOf(pool))) this.goOff(a);
  }

  private hasPrimary(a: number, pool: number): boolean {
    const pair = this.tel.pools[pool]!.pair;
    const primary = pair.primaryInService();
    return receivesFrom(
      this.link[a]!,
      this.modeOf(pool),
      primary ? pair.members.indexOf(primary) : -1,
    );
  }

  private cancelTimers(a: number): void {
    this.returnPending[a] = 0;
    this.cancel(this.evRetry, a);
    this.cancel(this.evDr, a);
    this.cancel(this.evSwitch, a);
    this.cancel(this.evReg, a);
    this.cancel(this.evPhone, a);
    this.cancel(this.evLogin, a);
    this.cancelMemberTimers(a);
  }

  private cancelMemberTimers(a: number): void {
    for (const i of [a * 2, a * 2 + 1]) {
      this.cancel(this.evDetect, i);
      this.cancel(this.evMemberRetry, i);
    }
  }

  // ================================================================ telephony listener

  /** A server of `pool` changed: the desktops logged in through it follow (ha-pair/client.ts). */
  private onServer(pool: number, member: number, c: AppChange): void {
    const ev = serverEvent(c);
    if (ev === undefined) return;
    for (let a = 0; a < this.n; a++) {
      const p = this.phase[a];
      if (p !== Phase.Working && p !== Phase.Off) continue;
      if (this.site[a]! < 0 || this.poolAt(a, this.site[a]!) !== pool) continue;
      this.follow(a, pool, ev, member as 0 | 1);
      this.checkOff(a, pool);
    }
  }

  /** The desktop's ADDP (or a close) told it the connection to `member` is gone. */
  private lose(a: number, member: 0 | 1): void {
    const pool = this.poolAt(a, this.site[a]!);
    this.follow(a, pool, ClientEvent.LinkLost, member);
    this.checkOff(a, pool);
  }

  /** Telephony OFF: retry every warm-standby.retry-delay (+0–jitter); DR after the timeout. */
  private goOff(a: number): void {
    const { ctx } = this.env;
    const g = this.conf(a);
    if (this.leaving[a]) {
      // Leaving at the end of its call: no reconnection, no DR move.
      this.offDuty(a);
      return;
    }
    this.setPhase(a, Phase.Off);
    this.offSinceMs[a] = ctx.nowMs;
    this.loginStartMs[a] = -1; // nobody answered the login: no login completed
    this.restoreFromMs[a] = -1;
    this.tel.setConnected(a, false);
    this.scheduleRetry(a, this.env.opts.ms('reconnect-timeout'));
    const timeout = g.opts.ms('disaster-recovery.timeout');
    if (this.drPossible(a) && timeout > 0)
      this.evDr[a] = ctx.schedule(timeout, this, K_DR_TIMEOUT, a);
  }

  private scheduleRetry(a: number, delayMs: number): void {
    this.cancel(this.evRetry, a);
    this.evRetry[a] = this.env.ctx.schedule(delayMs, this, K_RETRY, a);
  }

  private onRetry(a: number): void {
    this.evRetry[a] = -1;
    if (this.phase[a] !== Phase.Off) return;
    const pool = this.poolAt(a, this.site[a]!);
    if (pool >= 0 && this.tel.poolInService(pool)) {
      this.cancel(this.evDr, a);
      this.connectAll(a, pool);
      this.setPhase(a, Phase.Working);
      if (this.tel.agentPool[a] !== pool) this.tel.login(a, pool);
      this.tel.setConnected(a, this.phoneDown[a] === 0 && this.hasPrimary(a, pool));
      return;
    }
    const g = this.conf(a);
    const jitter = Math.floor(uniform(g.rng, 0, g.opts.ms('warm-standby.retry-jitter')));
    this.scheduleRetry(a, g.opts.ms('warm-standby.retry-delay') + jitter);
  }

  private drPossible(a: number): boolean {
    const g = this.conf(a);
    return g.tserverPool < 0 && g.peer >= 0 && g.opts.bool('disaster-recovery.enabled');
  }

  /** Disaster Recovery switchover to the other site of the agent (preferred ⇄ peer). */
  private switchSite(a: number): void {
    const g = this.conf(a);
    const target = this.site[a] === g.preferred ? g.peer : g.preferred;
    if (target < 0) return;
    this.drSwitchovers[a]!++;
    this.drLogin[a] = 1;
    if (this.stats.firstDrSwitchMs < 0) this.stats.firstDrSwitchMs = this.env.ctx.nowMs;
    // One timeline row per group and moment (desktops are aggregated, not traced one by one).
    const gi = this.group[a]!;
    if (this.lastTraceMs[gi] !== this.env.ctx.nowMs) {
      this.lastTraceMs[gi] = this.env.ctx.nowMs;
      this.env.ctx.trace(
        `desktops:${g.spec.group}`,
        'dr-switchover',
        `${this.sites[this.site[a]!]?.id ?? '-'}->${this.sites[target]!.id}`,
      );
    }
    if (this.tel.agentPool[a]! >= 0) this.tel.logout(a, 'desktop');
    this.loginAt(a, target);
  }

  private onPoolService(pool: number, up: boolean): void {
    if (!up) return;
    // Desktops waiting at a returning site reconnect on their next retry (already scheduled);
    // desktops away from their preferred site may return on their endpoint's cycle.
    for (let a = 0; a < this.n; a++) {
      const g = this.conf(a);
      if (
        this.phase[a] === Phase.Working &&
        this.site[a] !== g.preferred &&
        this.poolAt(a, g.preferred) === pool
      )
        this.armReturn(a);
      if (this.phase[a] === Phase.Stranded) this.startUp(a);
    }
  }

  private strand(a: number): void {
    this.setPhase(a, Phase.Stranded);
  }

  // ================================================================ DN listener

  private onLoggedOut(a: number, reason: LogoutReason): void {
    const { ctx } = this.env;
    const g = this.conf(a);
    this.restoreFromMs[a] = -1; // logged out: nothing left to restore at this login
    if (this.leaving[a] || this.phase[a] === Phase.OffDuty) {
      // The agent was leaving anyway: whatever logged it out, it stays out (no DR action).
      this.offDuty(a);
      return;
    }
    switch (reason) {
      case 'graceful_shutdown_logout':
        // Switch at once, without waiting for any timeout.
        this.cancelTimers(a);
        if (this.drPossible(a)) this.switchSite(a);
        else this.goOff(a);
        return;
      case 'dr-force_logout': {
        // Wait for the endpoint to re-register (EventDNBackInService) on its cycle.
        this.cancelTimers(a);
        this.phoneDown[a] = 1;
        this.setPhase(a, Phase.WaitPhone);
        this.tel.setConnected(a, false);
        this.evReg[a] = ctx.scheduleAt(this.nextRegTick(a), this, K_REG_TICK, a);
        const wait = g.opts.ms('disaster-recovery.wait-for-sipphone-timeout');
        if (wait > 0 && this.drPossible(a))
          this.evPhone[a] = ctx.schedule(wait, this, K_PHONE_TIMEOUT, a);
        return;
      }
      case 'manual':
      case 'supervisor':
        // The agent or a supervisor logged out on purpose: no DR action (seed 002).
        this.offDuty(a);
        return;
      case 'desktop':
      case 'site-failure':
        return; // our own logout: nothing to do
    }
  }

  /**
   * Next registration of the agent's phone: sipendpoint.reg_timeout after the SIP endpoint's last
   * registration (its last login), or a hard phone's own cycle.
   */
  private nextRegTick(a: number): number {
    const period = this.regPeriodMs(a);
    const phase = this.regPhaseMs[a]!;
    const now = this.env.ctx.nowMs;
    return tickAtOrAfter(phase, period, Math.max(now, phase + period));
  }

  private onRegTick(a: number): void {
    this.evReg[a] = -1;
    const g = this.conf(a);
    if (this.leaving[a]) return; // no return to the preferred site: the agent is leaving
    if (this.phase[a] === Phase.WaitPhone) {
      // EventDNBackInService: log in again at the same site.
      this.phoneDown[a] = 0;
      this.regPhaseMs[a] = this.env.ctx.nowMs;
      this.cancel(this.evPhone, a);
      this.loginAt(a, this.site[a]!);
      return;
    }
    if (this.phase[a] === Phase.Working && this.phoneDown[a]) {
      // EventDNBackInService at the site the desktop moved to: calls can reach the phone now.
      this.phoneDown[a] = 0;
      const pool = this.poolAt(a, this.site[a]!);
      this.tel.setConnected(a, this.hasPrimary(a, pool));
      if (g.opts.bool('disaster-recovery.restore-agent-state')) this.tel.makeReady(a);
      else
        this.evRetry[a] = this.env.ctx.schedule(g.opts.ms('agent-ready-delay'), this, K_READY, a);
      this.armReturn(a);
      return;
    }
    if (this.phase[a] === Phase.Working && this.site[a] !== g.preferred) {
      // The endpoint re-registers with the preferred site if it is back in service.
      const pool = this.poolAt(a, g.preferred);
      if (pool >= 0 && this.tel.poolInService(pool)) {
        if (this.tel.isOnCall(a)) {
          this.returnPending[a] = 1; // switch as soon as the call ends
          return;
        }
        this.returnNow(a);
        return;
      }
      this.armReturn(a);
    }
  }

  /** disaster-recovery.auto-restore: return on the endpoint's next registration. */
  private armReturn(a: number): void {
    const g = this.conf(a);
    if (
      !g.opts.bool('disaster-recovery.auto-restore') ||
      this.leaving[a] ||
      this.site[a] === g.preferred ||
      this.phase[a] !== Phase.Working
    )
      return;
    const pool = this.poolAt(a, g.preferred);
    if (pool < 0 || !this.tel.poolInService(pool) || this.evReg[a]! >= 0) return;
    this.evReg[a] = this.env.ctx.scheduleAt(this.nextRegTick(a), this, K_REG_TICK, a);
  }

  private returnNow(a: number): void {
    this.returnPending[a] = 0;
    this.tel.logout(a, 'desktop');
    this.loginAt(a, this.conf(a).preferred);
  }

  private onCallEnded(a: number): void {
    if (!this.returnPending[a] || this.phase[a] !== Phase.Working || this.leaving[a]) return;
    const g = this.conf(a);
    const pool = this.poolAt(a, g.preferred);
    if (pool >= 0 && this.tel.poolInService(pool)) this.returnNow(a);
    else this.returnPending[a] = 0;
  }

  // ================================================================ configuration and statistics

  /**
   * Warn only: configuration or statistics OFF never triggers a site switchover. Back in service:
   * desktops left without either site's connect here; with bc-server-return when-available, those
   * logged in at this site come back from the other site's.
   */
  private checkSiteServices(si: number): void {
    const s = this.sites[si]!;
    const configOff = s.proxies.length > 0 && !s.proxies.some((p) => p.serving);
    const statOff = s.statServers.length > 0 && !s.statServers.some((m) => m.serving);
    if (!configOff && this.configOff[si]) this.serviceBack(si, false);
    if (!statOff && this.statOff[si]) this.serviceBack(si, true);
    if (configOff && !this.configOff[si]) {
      const k = this.serviceLost(si, this.cfgSite, this.evCfg, K_CFG_BC);
      this.warnings.configuration += k;
      this.env.ctx.trace(`desktops@${s.id}`, 'configuration-off', `${k} desktops warned`);
    }
    if (statOff && !this.statOff[si]) {
      const k = this.serviceLost(si, this.statSite, this.evStat, K_STAT_BC);
      this.warnings.statistics += k;
      this.env.ctx.trace(`desktops@${s.id}`, 'statistics-off', `${k} desktops warned`);
    }
    this.configOff[si] = configOff;
    this.statOff[si] = statOff;
  }

  /**
   * Every CS Proxy (or Stat Server) of site `si` stopped serving: the working desktops using
   * them are warned; with Business Continuity each arms disaster-recovery.timeout, after which it
   * connects to the peer site's (seed 003). Returns the desktops warned.
   */
  private serviceLost(si: number, used: Int32Array, ev: Float64Array, kind: number): number {
    let k = 0;
    for (let a = 0; a < this.n; a++) {
      if (used[a] !== si || this.phase[a] !== Phase.Working) continue;
      k++;
      const timeout = this.conf(a).opts.ms('disaster-recovery.timeout');
      if (ev[a]! < 0 && this.drPossible(a) && timeout > 0)
        ev[a] = this.env.ctx.schedule(timeout, this, kind, a);
    }
    return k;
  }

  /**
   * The CS Proxies (Stat Servers) of site `si` serve again: a desktop that found neither site's
   * connects to them; a desktop logged in at `si` whose connection went to the other site comes
   * back with bc-server-return when-available (model assumption; next-login: it stays).
   */
  private serviceBack(si: number, stat: boolean): void {
    const used = stat ? this.statSite : this.cfgSite;
    const waiting = stat ? this.statWaiting : this.cfgWaiting;
    let joined = 0;
    let back = 0;
    for (let a = 0; a < this.n; a++) {
      if (this.phase[a] !== Phase.Working) continue;
      if (used[a] === si) {
        waiting[a] = 0; // its own site's serve again: AIL reconnects there
        continue;
      }
      const g = this.conf(a);
      if (waiting[a]) {
        if (si !== g.preferred && si !== g.peer) continue;
        waiting[a] = 0;
        used[a] = si;
        joined++;
        if (stat) this.stats.statserverMoves++;
        else this.stats.csproxyMoves++;
      } else if (
        this.site[a] === si &&
        used[a]! >= 0 &&
        g.opts.str('bc-server-return') === 'when-available'
      ) {
        used[a] = si;
        back++;
      }
    }
    const what = stat ? 'Stat Servers' : 'CS Proxies';
    const id = this.sites[si]!.id;
    if (joined > 0)
      this.traceOnce(
        `desktops@${id}`,
        stat ? 'statserver-peer' : 'csproxy-peer',
        `${joined} desktops without their own site's ${what} use site ${id}'s`,
      );
    if (back > 0)
      this.traceOnce(
        `desktops@${id}`,
        stat ? 'statserver-back' : 'csproxy-back',
        `${back} desktops back on site ${id}'s ${what}`,
      );
  }

  /**
   * disaster-recovery.timeout passed without the CS Proxies (or Stat Servers) of the desktop's
   * site: it connects to the other site's of its preferred/peer pair when they serve. This is
   * not a SIP site switchover: the agent stays logged in where it is and keeps its calls.
   */
  private serviceTimeout(a: number, stat: boolean): void {
    const used = stat ? this.statSite : this.cfgSite;
    const si = used[a]!;
    if (si < 0 || this.phase[a] === Phase.Stranded || this.phase[a] === Phase.OffDuty) return;
    const servers = (x: number) => (stat ? this.sites[x]!.statServers : this.proxiesFor(a, x));
    if (servers(si).some((p) => p.serving)) return; // back in time
    const g = this.conf(a);
    const other = si === g.preferred ? g.peer : g.preferred;
    if (other < 0 || !servers(other).some((p) => p.serving)) {
      // Neither site's serve: the first that serves again takes the connection.
      (stat ? this.statWaiting : this.cfgWaiting)[a] = 1;
      return;
    }
    used[a] = other;
    if (stat) this.stats.statserverMoves++;
    else this.stats.csproxyMoves++;
    this.traceOnce(
      `desktops@${this.sites[si]!.id}`,
      stat ? 'statserver-peer' : 'csproxy-peer',
      `desktops of site ${this.sites[si]!.id} use site ${this.sites[other]!.id}'s ${stat ? 'Stat Servers' : 'CS Proxies'}`,
    );
  }

  // ================================================================ faults

  /** phone-unregister: the SIP registrations of `share` of a group's agents expire. */
  phoneUnregister(groupIndex: number, share: number, rng: Stream): void {
    const members: number[] = [];
    for (let a = 0; a < this.n; a++)
      if (this.group[a] === groupIndex && this.tel.agentPool[a]! >= 0) members.push(a);
    // A seeded draw of which endpoints expire (targets sorted before the shuffle).
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const k = Math.round(share * members.length);
    for (const a of members.slice(0, k)) this.tel.forceLogout(a);
  }

  // ================================================================ shifts and logouts on purpose

  /** A shift starts (its agents start up and log in) or ends (they log out after their call). */
  private onShift(i: number, start: boolean): void {
    const r = this.shifts[i]!;
    const { ctx } = this.env;
    ctx.scheduleAt(ctx.nowMs + DAY_MS, this, start ? K_SHIFT_START : K_SHIFT_END, i);
    this.tel.addScheduled(r.site, r.group, start ? r.count : -r.count);
    if (r.count === 0) return;
    ctx.trace(
      `desktops:${this.groups[r.group]!.spec.group}`,
      start ? 'shift-start' : 'shift-end',
      `${r.count} agents`,
    );
    for (let a = r.first; a < r.first + r.count; a++) {
      if (start) this.shiftStarted(a);
      else this.leave(a, 'manual');
    }
  }

  private shiftStarted(a: number): void {
    this.onDuty[a] = 1;
    if (this.leaving[a]) {
      // Still on the last shift's call: it stays.
      this.leaving[a] = 0;
      this.tel.cancelLogout(a);
      return;
    }
    if (this.phase[a] === Phase.OffDuty) this.startUp(a);
  }

  /**
   * The agent logs out on purpose (end of shift, agent-logout): now when it has no interaction,
   * else once its call (manual: and wrap-up) is over. The desktop takes no DR action; an agent
   * not logged in (starting up, switching sites, waiting for a proxy or its phone) gives up.
   */
  private leave(a: number, reason: 'manual' | 'supervisor'): void {
    this.onDuty[a] = 0;
    if (this.phase[a] === Phase.OffDuty || this.leaving[a]) return;
    this.leaving[a] = 1;
    if (this.tel.agentPool[a]! >= 0) {
      this.tel.requestLogout(a, reason); // may log out now (onLoggedOut: off duty)
      if (this.phase[a] === Phase.Working || this.phase[a] === Phase.OffDuty) return;
    }
    this.offDuty(a);
    this.tel.requestLogout(a, reason); // logged out already: off duty, no outage
  }

  /** Logged out on purpose: every timer stops until the agent's next shift. */
  private offDuty(a: number): void {
    this.cancelTimers(a);
    this.cancel(this.evCfg, a);
    this.cancel(this.evStat, a);
    this.leaving[a] = 0;
    this.setPhase(a, Phase.OffDuty);
    this.tel.setConnected(a, false);
    // Off duty: no login under way, nothing to restore, and no longer away at the peer site.
    this.loginStartMs[a] = -1;
    this.drLogin[a] = 0;
    this.restoreFromMs[a] = -1;
    this.peerLoginAtMs[a] = -1;
    this.cfgWaiting[a] = 0;
    this.statWaiting[a] = 0;
  }

  /** agent-logout: `share` of a group's agents on duty log out on purpose (SPEC §5.2). */
  agentLogout(
    groupIndex: number,
    share: number,
    reason: 'manual' | 'supervisor',
    rng: Stream,
  ): void {
    const members: number[] = [];
    for (let a = 0; a < this.n; a++)
      if (this.group[a] === groupIndex && this.onDuty[a] && !this.leaving[a]) members.push(a);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const k = Math.round(share * members.length);
    this.env.ctx.trace(
      `desktops:${this.groups[groupIndex]!.spec.group}`,
      'logged-out',
      `${reason}: ${k} agents`,
    );
    for (const a of members.slice(0, k)) this.leave(a, reason);
  }

  /** Agents on duty but not logged in (explore's liveness: agents_logged_out_end). */
  onDutyLoggedOut(): number {
    let k = 0;
    for (let a = 0; a < this.n; a++) if (this.onDuty[a] && this.tel.agentPool[a]! < 0) k++;
    return k;
  }

  // ================================================================ events

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_DETECT: {
        const a = Math.floor(arg / 2);
        this.evDetect[arg] = -1;
        this.lose(a, (arg % 2) as 0 | 1);
        return;
      }
      case K_RETRY:
        return this.onRetry(arg);
      case K_DR_TIMEOUT:
        this.evDr[arg] = -1;
        if (this.phase[arg] === Phase.Off) this.switchSite(arg);
        return;
      case K_SWITCH_DONE:
        return this.onSwitchDone(arg);
      case K_REG_TICK:
        return this.onRegTick(arg);
      case K_PHONE_TIMEOUT:
        this.evPhone[arg] = -1;
        if (this.phase[arg] === Phase.WaitPhone) {
          this.cancel(this.evReg, arg);
          this.switchSite(arg);
        }
        return;
      case K_READY:
        this.evRetry[arg] = -1;
        this.tel.makeReady(arg);
        return;
      case K_START:
        for (let a = 0; a < this.n; a++) {
          if (this.onDuty[a]) this.startUp(a);
          else this.setPhase(a, Phase.OffDuty);
        }
        return;
      case K_SHIFT_START:
      case K_SHIFT_END:
        return this.onShift(arg, kind === K_SHIFT_START);
      case K_LOGIN_RETRY:
        this.evLogin[arg] = -1;
        if (this.phase[arg] === Phase.Starting) this.startUp(arg);
        else if (this.phase[arg] === Phase.Switching) this.loginAt(arg, this.switchTarget[arg]!);
        return;
      case K_CFG_BC:
        this.evCfg[arg] = -1;
        this.serviceTimeout(arg, false);
        return;
      case K_STAT_BC:
        this.evStat[arg] = -1;
        this.serviceTimeout(arg, true);
        return;
      case K_MEMBER_RETRY: {
        this.evMemberRetry[arg] = -1;
        const a = Math.floor(arg / 2);
        this.follow(a, this.poolAt(a, this.site[a]!), ClientEvent.RetryDue, (arg % 2) as 0 | 1);
        return;
      }
      default:
        assert(false, `Desktops: unknown event kind ${kind}`);
    }
  }

  /** For tests: the phase name of a desktop. */
  phaseOf(a: number): string {
    return ['starting', 'working', 'off', 'switching', 'wait-phone', 'stranded', 'off-duty'][
      this.phase[a]!
    ]!;
  }

  /** For tests: desktop `a`'s connection to member `m` of its pool's pair. */
  linkOf(a: number, m: 0 | 1): (typeof LINK_NAMES)[number] {
    const pool = this.site[a]! < 0 ? -1 : this.poolAt(a, this.site[a]!);
    return pool < 0 ? 'dead' : LINK_NAMES[linkTo(this.link[a]!, this.modeOf(pool), m)];
  }

  siteOf(a: number): SiteId | undefined {
    return this.sites[this.site[a]!]?.id;
  }

  /** The site whose CS Proxy a desktop's configuration connection uses. */
  configSiteOf(a: number): SiteId | undefined {
    return this.sites[this.cfgSite[a]!]?.id;
  }

  /** The site whose Stat Servers a desktop's statistics connection uses. */
  statSiteOf(a: number): SiteId | undefined {
    return this.sites[this.statSite[a]!]?.id;
  }
}
