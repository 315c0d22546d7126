// The desktops' shared table: one entry per agent in typed arrays (phase, site, the HA client
// byte, pending timers, which site's CS Proxy and Stat Servers it uses, duty), the rules every
// job of the desktop reads (which options apply, which pool at a site, which proxies, whether a
// DR move is possible) and the registration and ADDP cycles each desktop started on.
// The jobs themselves live beside it: login.ts, telephony-listener.ts, dr-switchover.ts,
// registration.ts, site-services.ts, duty.ts, counters.ts; jobs.ts names what they call of each
// other; desktop.ts wires them.

import { mapObjects, tickAtOrAfter, uniform } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import { modeOf, receivesFrom, type ClientMode } from '../ha-pair/client.js';
import type { Telephony } from '../telephony/telephony.js';
import type { AgentGroupSpec, SiteId } from '../../spec/types.js';
import { buildConfs, type DesktopSite, type GroupConf } from './conf.js';
import { onDutyAt } from './shifts.js';

export const enum Phase {
  Starting = 0, // connecting at start-up
  Working = 1, // logged in, telephony ON
  Off = 2, // telephony OFF: retrying, DR timer running
  Switching = 3, // client layer restarting for another site
  WaitPhone = 4, // logged out with dr-force_logout, waiting for EventDNBackInService
  Stranded = 5, // nowhere to log in (both sites out, DR disabled)
  OffDuty = 6, // logged out on purpose (end of shift, agent-logout) or not yet on shift
}

export const PHASE_NAMES = [
  'starting',
  'working',
  'off',
  'switching',
  'wait-phone',
  'stranded',
  'off-duty',
] as const;

export class DesktopState {
  readonly n: number;
  readonly group: Int32Array;
  readonly phase: Uint8Array;
  /** Site currently used (-1 none). */
  readonly site: Int32Array;
  /** How each desktop follows its pool's pair (ha-pair/client.ts): one state byte each. */
  readonly link: Uint8Array;
  /** Client ADDP cycle phase per desktop. */
  readonly addpPhaseMs: Float64Array;
  /** SIP endpoint registration cycle phase (its last registration). */
  readonly regPhaseMs: Float64Array;
  /** The site a login under way goes to. */
  readonly switchTarget: Int32Array;
  /** The desktop connected to a CS Proxy once: login.nodes Timeout applies from then on. */
  readonly everConnected: Uint8Array;
  /** The phone is not registered (dr-force_logout) until EventDNBackInService. */
  readonly phoneDown: Uint8Array;
  /** Site of the CS Proxy a desktop's configuration connection uses (-1: none yet). */
  readonly cfgSite: Int32Array;
  /** Site of the Stat Servers a desktop's statistics connection uses (-1: none yet). */
  readonly statSite: Int32Array;
  /** The agent is on duty: in its shift (or its group has none) and not logged out on purpose. */
  readonly onDuty: Uint8Array;
  /** A logout on purpose is pending: the agent finishes its call first, then goes off duty. */
  readonly leaving: Uint8Array;
  /** A return to the preferred site waits for the call to end. */
  readonly returnPending: Uint8Array;
  // Pending timers (event ids, -1: none); evDetect and evMemberRetry per agent * 2 + member.
  readonly evRetry: Float64Array;
  readonly evDr: Float64Array;
  readonly evSwitch: Float64Array;
  readonly evReg: Float64Array;
  readonly evPhone: Float64Array;
  readonly evLogin: Float64Array;
  readonly evDetect: Float64Array;
  readonly evMemberRetry: Float64Array;
  readonly groups: GroupConf[];
  /** Every conf: the groups' (by group index), then one per agent with person-level options. */
  private readonly confs: GroupConf[];
  /** Agent → its index in `confs`. */
  private readonly confOf: Int32Array;
  /** How desktops follow each pool's pair (by pool index): its redundancy's client mode. */
  private readonly poolMode: Uint8Array;
  /** Last time each component (then state) was traced: one timeline row per moment. */
  private readonly traced = new Map<string, Map<string, number>>();
  /** Each site's desktops' timeline component, `desktops@<site>` (by site index; built once). */
  readonly siteComponent: string[];
  /** client-addp-timeout and reconnect-timeout (ms), read per desktop and event. */
  readonly clientAddpMs: number;
  readonly reconnectMs: number;

  constructor(
    readonly env: Env,
    readonly tel: Telephony,
    readonly sites: DesktopSite[],
    groups: readonly AgentGroupSpec[],
  ) {
    const n = tel.agents.count;
    this.n = n;
    this.group = tel.agents.group;
    this.phase = new Uint8Array(n);
    this.site = new Int32Array(n).fill(-1);
    this.link = new Uint8Array(n);
    this.addpPhaseMs = new Float64Array(n);
    this.regPhaseMs = new Float64Array(n);
    this.switchTarget = new Int32Array(n).fill(-1);
    this.everConnected = new Uint8Array(n);
    this.phoneDown = new Uint8Array(n);
    this.cfgSite = new Int32Array(n).fill(-1);
    this.statSite = new Int32Array(n).fill(-1);
    this.onDuty = onDutyAt(groups, 0);
    this.leaving = new Uint8Array(n);
    this.returnPending = new Uint8Array(n);
    this.evRetry = new Float64Array(n).fill(-1);
    this.evDr = new Float64Array(n).fill(-1);
    this.evSwitch = new Float64Array(n).fill(-1);
    this.evReg = new Float64Array(n).fill(-1);
    this.evPhone = new Float64Array(n).fill(-1);
    this.evLogin = new Float64Array(n).fill(-1);
    this.evDetect = new Float64Array(2 * n).fill(-1);
    this.evMemberRetry = new Float64Array(2 * n).fill(-1);
    this.siteComponent = mapObjects(sites, (s) => `desktops@${s.id}`);
    this.poolMode = Uint8Array.from(tel.pools, (p) => modeOf(p.pair.redundancy));
    const c = buildConfs(env, tel, sites, groups);
    this.groups = c.groups;
    this.confs = c.confs;
    this.confOf = c.confOf;
    const clientAddp = env.opts.ms('client-addp-timeout');
    this.clientAddpMs = clientAddp;
    this.reconnectMs = env.opts.ms('reconnect-timeout');
    for (let a = 0; a < n; a++) {
      const g = this.conf(a);
      // Each desktop's ADDP cycle and SIP registration cycle started at its own moment.
      this.addpPhaseMs[a] = Math.floor(uniform(g.rng, 0, clientAddp));
      this.regPhaseMs[a] = Math.floor(uniform(g.rng, 0, this.regPeriodMs(a)));
    }
  }

  conf(a: number): GroupConf {
    return this.confs[this.confOf[a]!]!;
  }

  /**
   * The site on whose LAN the desktop stands (the agent's office: model assumption): its
   * preferred site, wherever it is logged in, so after a DR move or in a split brain it reaches
   * the other site's servers across the WAN (latency, partitions, wan-degrade). A desktop without
   * a preferred site stands where it is logged in (`s`).
   */
  standsAt(a: number, s: number): SiteId {
    return this.sites[this.standsAtIndex(a, s)]!.id;
  }

  /** standsAt as the site's index. */
  standsAtIndex(a: number, s: number): number {
    const p = this.conf(a).preferred;
    return p >= 0 ? p : s;
  }

  /** The pool the desktop logs in through at a site (its T-Server pool, or the site's SIP pool). */
  poolAt(a: number, site: number): number {
    const g = this.conf(a);
    return g.tserverPool >= 0 ? g.tserverPool : site >= 0 ? this.sites[site]!.pool : -1;
  }

  modeOf(pool: number): ClientMode {
    return this.poolMode[pool]! as ClientMode;
  }

  /**
   * The desktop receives from a primary in service of the pool (calls can reach the agent). In a
   * split brain both members are primary: a desktop on either one has a primary.
   */
  hasPrimary(a: number, pool: number): boolean {
    const pair = this.tel.pools[pool]!.pair;
    const mode = this.modeOf(pool);
    const link = this.link[a]!;
    const [m0, m1] = pair.members;
    return (
      (m0.role === 'primary' && m0.serving && receivesFrom(link, mode, 0)) ||
      (m1.role === 'primary' && m1.serving && receivesFrom(link, mode, 1))
    );
  }

  /**
   * The CS Proxies a desktop uses at a site: its login.nodes list for that site (preferred or
   * peer, seed 003) when one is given, else every CS Proxy of the site.
   */
  proxiesFor(a: number, site: number): readonly App[] {
    const g = this.conf(a);
    const listed = site === g.preferred ? g.nodes[0] : site === g.peer ? g.nodes[1] : undefined;
    return listed ?? this.sites[site]!.proxies;
  }

  /**
   * A CS Proxy of `site` answers the desktop: one of its proxies serves and is reachable from
   * where the desktop stands (a partition keeps a serving proxy from answering). A site without
   * any CS Proxy in the topology: desktops read configuration directly.
   */
  proxyUp(a: number, site: number): boolean {
    const proxies = this.proxiesFor(a, site);
    if (proxies.length === 0) return true;
    for (let i = 0; i < proxies.length; i++)
      if (this.proxyAnswers(a, site, proxies[i]!)) return true;
    return false;
  }

  /** CS Proxy `p` of `site` serves and is reachable from where the desktop stands. */
  proxyAnswers(a: number, site: number, p: App): boolean {
    return p.serving && this.env.net.siteReachableTo(this.standsAt(a, site), p.host);
  }

  /** The other site of the desktop's preferred/peer pair, seen from `site` (-1: none). */
  otherSite(a: number, site: number): number {
    const g = this.conf(a);
    return site === g.preferred ? g.peer : g.preferred;
  }

  /** Business Continuity applies: enabled, a peer site, and not a T-Server agent. */
  drPossible(a: number): boolean {
    return this.conf(a).drPossible;
  }

  /** The phone's registration cycle: sipendpoint.reg_timeout, or a hard phone's own timer. */
  regPeriodMs(a: number): number {
    return this.conf(a).regPeriodMs;
  }

  /**
   * Next registration of the agent's phone: sipendpoint.reg_timeout after the SIP endpoint's last
   * registration (its last login), or a hard phone's own cycle.
   */
  nextRegTick(a: number): number {
    const period = this.regPeriodMs(a);
    const phase = this.regPhaseMs[a]!;
    const now = this.env.ctx.nowMs;
    // The cycle's first registration (its phase, drawn at the start) is still to come: that
    // one. A desktop whose first login went through a telephony retry keeps that phase.
    if (phase > now) return phase;
    return tickAtOrAfter(phase, period, Math.max(now, phase + period));
  }

  cancel(arr: Float64Array, a: number): void {
    if (arr[a]! >= 0) this.env.ctx.cancel(arr[a]!);
    arr[a] = -1;
  }

  setPhase(a: number, p: Phase): void {
    this.phase[a] = p;
  }

  cancelTimers(a: number): void {
    this.returnPending[a] = 0;
    this.cancel(this.evRetry, a);
    this.cancel(this.evDr, a);
    this.cancel(this.evSwitch, a);
    this.cancel(this.evReg, a);
    this.cancel(this.evPhone, a);
    this.cancel(this.evLogin, a);
    this.cancelMemberTimers(a);
  }

  cancelMemberTimers(a: number): void {
    this.cancel(this.evDetect, a * 2);
    this.cancel(this.evMemberRetry, a * 2);
    this.cancel(this.evDetect, a * 2 + 1);
    this.cancel(this.evMemberRetry, a * 2 + 1);
  }

  /** One timeline row per component, state and moment (desktops are traced by site or group). */
  traceOnce(component: string, state: string, cause: string, minGapMs = 0): void {
    if (this.traceDue(component, state, minGapMs)) this.env.ctx.trace(component, state, cause);
  }

  /**
   * Whether (component, state) is not traced yet at this moment, nor within `minGapMs` before
   * it; true marks it traced. For callers that build the cause only when it is written (a row
   * per moment, not per desktop; with a gap, a row per retry cycle, not per desktop's retry).
   */
  traceDue(component: string, state: string, minGapMs = 0): boolean {
    let byState = this.traced.get(component);
    if (byState === undefined) {
      byState = new Map();
      this.traced.set(component, byState);
    }
    const now = this.env.ctx.nowMs;
    const last = byState.get(state);
    if (last !== undefined && (last === now || now - last < minGapMs)) return false;
    byState.set(state, now);
    return true;
  }
}

/** One of the apps serves (indexed: no closure per desktop on the per-fault loops). */
export function anyServing(apps: readonly App[]): boolean {
  for (let i = 0; i < apps.length; i++) if (apps[i]!.serving) return true;
  return false;
}
