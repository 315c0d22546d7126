// Calls and agents: arrivals through each site's gateways, one FIFO queue per telephony pair
// (a site's SIP Server pair, or a T-Server pair), agents Ready / Talking / WrapUp / NotReady /
// LoggedOut, and what a telephony failure does to the calls running through it (DOMAIN §6, §10).
// Agents and calls live in typed arrays; picking an idle agent pops a linked list (no scan).
// Leaves out: transfers, conferences, outbound dialling, skills.

import {
  assert,
  drawMs,
  exponential,
  grown,
  tickAtOrAfter,
  TimeWeighted,
  type Handler,
  type Stream,
  type EventId,
} from '../../sim/index.js';
import type { Env } from '../env.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { App } from '../ha-pair/app.js';
import type { TrafficSpec, SiteId } from '../../spec/types.js';
import { IdFifo } from '../traffic/ring.js';

export const enum AgentState {
  LoggedOut = 0,
  Ready = 1,
  Ringing = 2,
  Talking = 3,
  WrapUp = 4,
  NotReady = 5,
}

const enum CallState {
  Free = 0,
  Pending = 1, // INVITE sent to a site whose SIP Server does not answer
  Queued = 2,
  Ringing = 3,
  Talking = 4,
}

const K_ARRIVAL = 0;
const K_ABANDON = 1;
const K_RING_END = 2;
const K_TALK_END = 3;
const K_WRAP_END = 4;
const K_INVITE_TIMEOUT = 5;
const K_INTERVAL = 6;
const K_GATEWAY_PROBE = 7;
const K_SHUTDOWN_CAP = 8;

const F_DEGRADED = 1;

/** A logout the SIP Server applies once the agent's call ends (index into PENDING_REASONS). */
const PENDING_GRACEFUL = 1;
const PENDING_FORCE = 2;
const PENDING_REASONS: readonly (LogoutReason | undefined)[] = [
  undefined,
  'graceful_shutdown_logout',
  'dr-force_logout',
];

/** Why an agent was logged out (the DN listener's reason codes). */
export type LogoutReason =
  'graceful_shutdown_logout' | 'dr-force_logout' | 'desktop' | 'site-failure';

/** Events a telephony server emits for its ICONs (only while a primary is in service). */
export const enum SourceEvent {
  CallCreated = 0,
  AttachedData = 1,
  Ringing = 2,
  Established = 3,
  PartyAdded = 4,
  PartyRemoved = 5,
  Released = 6,
  AgentLogin = 7,
  AgentState = 8,
  AgentLogout = 9,
}

/** What the desktops and the ICONs see of telephony. */
export interface TelephonyObserver {
  /**
   * The primary server of `pool` emitted an event about a call (`id` = the call's serial
   * number, unique in the run) or an agent (`id` = agent index).
   */
  onSourceEvent?(pool: number, ev: SourceEvent, id: number): void;
  /** SIP Server logged an agent out (EventAgentLogout with its reason). */
  onAgentLoggedOut?(agent: number, reason: LogoutReason): void;
  /** A call entering `site` (index in `sites`) was dropped, rejected or abandoned. */
  onCallLost?(site: number, how: 'dropped' | 'rejected' | 'abandoned'): void;
  /** The agent's call just ended (before wrap-up): a pending desktop action may run now. */
  onCallEnded?(agent: number): void;
  /** A pool's service (a primary in service) changed. */
  onPoolService?(pool: number, inService: boolean): void;
  /**
   * A switchover of `pool` lost the call's control (warm standby, CTI link loss, or hot standby
   * within ha-sync-lag): it continues, and the server reports it afterwards under a new ConnID.
   * Called whether or not the pool is in service (it tells what happened to the call), at every
   * such loss (a call already degraded loses its ConnID again; calls_degraded counts it once).
   */
  onCallDegraded?(pool: number, serial: number): void;
  /**
   * Graceful shutdown sent a call of `fromPool` to the peer pool `toPool` (queued call re-routed,
   * or new call redirected with 302). The leaving server has reported it released if it had
   * announced it and is in service; the call continues on `toPool` as a call created there.
   */
  onCallMoved?(fromPool: number, toPool: number, serial: number): void;
}

export interface PoolDef {
  pair: HaPair;
  kind: 'sip' | 'tserver';
  site: SiteId;
}

export interface AgentDef {
  group: number;
  /** Pool the agent is logged into at t=0 (-1: logged out). */
  pool: number;
}

export interface IntervalRow {
  startMs: number;
  site: SiteId;
  offered: number;
  answered: number;
  abandoned: number;
  dropped: number;
  answeredInSl: number;
  waitSumMs: number;
  loggedInMean: number;
  readyMean: number;
}

/** A failure's effect on calls, attributed later to the switchover that follows it. */
export interface CallImpact {
  pair: string;
  atMs: number;
  dropped: number;
  degraded: number;
}

export class Telephony implements Handler {
  // ---- pools ----
  readonly pools: PoolDef[];
  private readonly poolIndex = new Map<string, number>();
  private readonly inService: Uint8Array;
  private readonly shuttingDown: Uint8Array;
  private readonly shutdownApp: (App | undefined)[];
  private readonly queue: IdFifo[];
  private readonly pending: IdFifo[];
  private readonly liveQueued: Int32Array;
  /** Active calls per pool (pending, queued, ringing or talking). */
  private readonly poolCalls: Int32Array;
  private readonly lastPrimary: (App | undefined)[];
  private readonly readyHead: Int32Array;
  private readonly readyTail: Int32Array;
  private readonly readyCount: Int32Array;
  private readonly poolSite: Int32Array;

  // ---- agents ----
  readonly agentCount: number;
  readonly agentGroup: Int32Array;
  readonly agentPool: Int32Array;
  readonly agentState: Uint8Array;
  private readonly agentCall: Int32Array;
  private readonly agentConnected: Uint8Array;
  private readonly agentLogoutPending: Uint8Array;
  private readonly agentOnShift: Uint8Array;
  private readonly agentLastSite: Int32Array;
  private readonly outageSiteAtStart: Int32Array;
  /** Agents in outage per site (the site of their last pool), as a time-weighted level. */
  readonly agentsOut: TimeWeighted[];
  private readonly agentEv: Float64Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly inReady: Uint8Array;
  readonly outageStartMs: Float64Array;
  readonly outageMs: Float64Array;

  // ---- calls ----
  private cap = 0;
  private cArrMs = new Float64Array(0);
  private cChangedMs = new Float64Array(0);
  private cHandleMs = new Float64Array(0);
  private cPool = new Int32Array(0);
  private cSite = new Int32Array(0);
  private cState = new Uint8Array(0);
  private cFlags = new Uint8Array(0);
  private cAgent = new Int32Array(0);
  private cGen = new Int32Array(0);
  private cSerial = new Float64Array(0);
  private nextSerial = 0;
  private cEvA = new Float64Array(0); // abandon timer
  private cEvB = new Float64Array(0); // ring / talk end / INVITE timeout
  private freeTop = 0;
  private free = new Int32Array(0);

  // ---- sites and gateways ----
  readonly sites: SiteId[];
  private readonly siteIdx = new Map<SiteId, number>();
  private readonly sitePool: Int32Array; // the SIP pool serving calls entering the site
  private readonly gatewayDown: Uint8Array;
  private readonly gatewayDownAtMs: Float64Array;
  private readonly gatewayProbing: Uint8Array;

  // ---- arrivals ----
  private readonly streams: {
    site: number;
    pool: number;
    perHour: number;
    rng: Stream;
    callRng: Stream;
  }[] = [];
  private readonly profileMax: number;

  // ---- counters ----
  readonly totals = {
    offered: 0,
    answered: 0,
    answeredInSl: 0,
    waitSumMs: 0,
    abandoned: 0,
    rejected: 0,
    dropped: 0,
    degraded: 0,
    completed: 0,
    redirected: 0,
  };
  readonly impacts: CallImpact[] = [];
  readonly intervals: IntervalRow[] = [];
  private readonly iv: {
    offered: Int32Array;
    answered: Int32Array;
    abandoned: Int32Array;
    dropped: Int32Array;
    inSl: Int32Array;
    waitMs: Float64Array;
  };
  private ivStartMs = 0;
  private readonly siteLoggedIn: Int32Array;
  private readonly siteReady: Int32Array;
  private readonly loggedArea: Float64Array;
  private readonly readyArea: Float64Array;
  private readonly areaSinceMs: Float64Array;

  private readonly observers: TelephonyObserver[] = [];
  private readonly sourceObservers: TelephonyObserver[] = [];
  private readonly lossObservers: TelephonyObserver[] = [];
  private readonly ringMs: number;
  private readonly slMs: number;
  private readonly syncLagMs: number;

  constructor(
    private readonly env: Env,
    pools: PoolDef[],
    agents: readonly AgentDef[],
    private readonly traffic: TrafficSpec | undefined,
    sites: readonly SiteId[],
  ) {
    const { opts } = env;
    this.pools = pools;
    const np = pools.length;
    this.inService = new Uint8Array(np);
    this.shuttingDown = new Uint8Array(np);
    this.shutdownApp = new Array<App | undefined>(np).fill(undefined);
    this.queue = pools.map(() => new IdFifo());
    this.pending = pools.map(() => new IdFifo());
    this.liveQueued = new Int32Array(np);
    this.poolCalls = new Int32Array(np);
    this.lastPrimary = pools.map((p) => p.pair.primaryInService());
    this.readyHead = new Int32Array(np).fill(-1);
    this.readyTail = new Int32Array(np).fill(-1);
    this.readyCount = new Int32Array(np);
    this.sites = [...sites];
    this.sites.forEach((s, i) => this.siteIdx.set(s, i));
    const ns = this.sites.length;
    this.poolSite = new Int32Array(pools.map((p) => this.siteIdx.get(p.site) ?? 0));
    this.sitePool = new Int32Array(ns).fill(-1);
    pools.forEach((p, i) => {
      this.poolIndex.set(p.pair.id, i);
      if (p.kind === 'sip' && this.sitePool[this.poolSite[i]!] === -1)
        this.sitePool[this.poolSite[i]!] = i;
    });
    this.gatewayDown = new Uint8Array(ns);
    this.gatewayDownAtMs = new Float64Array(ns);
    this.gatewayProbing = new Uint8Array(ns);
    this.iv = {
      offered: new Int32Array(ns),
      answered: new Int32Array(ns),
      abandoned: new Int32Array(ns),
      dropped: new Int32Array(ns),
      inSl: new Int32Array(ns),
      waitMs: new Float64Array(ns),
    };
    this.siteLoggedIn = new Int32Array(ns);
    this.siteReady = new Int32Array(ns);
    this.loggedArea = new Float64Array(ns);
    this.readyArea = new Float64Array(ns);
    this.areaSinceMs = new Float64Array(ns);

    const n = agents.length;
    this.agentCount = n;
    this.agentGroup = new Int32Array(n);
    this.agentPool = new Int32Array(n).fill(-1);
    this.agentState = new Uint8Array(n);
    this.agentCall = new Int32Array(n).fill(-1);
    this.agentConnected = new Uint8Array(n);
    this.agentLogoutPending = new Uint8Array(n);
    this.agentOnShift = new Uint8Array(n);
    this.agentLastSite = new Int32Array(n);
    this.outageSiteAtStart = new Int32Array(n);
    this.agentsOut = this.sites.map(() => new TimeWeighted(0, 0));
    this.agentEv = new Float64Array(n).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.prev = new Int32Array(n).fill(-1);
    this.inReady = new Uint8Array(n);
    this.outageStartMs = new Float64Array(n).fill(-1);
    this.outageMs = new Float64Array(n);

    this.ringMs = opts.ms('ring-time');
    this.syncLagMs = opts.ms('ha-sync-lag');
    this.slMs = traffic?.serviceLevelThresholdMs ?? 20_000;
    this.growCalls(1024);

    pools.forEach((p, i) => {
      this.inService[i] = p.pair.primaryInService() ? 1 : 0;
      p.pair.onStateChange(() => this.onPairChanged(i));
      for (const m of p.pair.members) {
        m.listen({
          onAppChanged: (_app, c) => {
            if ((c.type === 'app.crashed' || c.type === 'app.vanished') && !this.inService[i])
              this.onMemberLost(i);
          },
        });
      }
    });
    for (let a = 0; a < n; a++) {
      this.agentGroup[a] = agents[a]!.group;
      if (agents[a]!.pool >= 0) {
        this.agentConnected[a] = 1;
        this.login(a, agents[a]!.pool);
      }
    }

    this.profileMax = traffic?.profile ? Math.max(...traffic.profile) : 1;
    if (traffic) this.startArrivals(traffic);
    env.ctx.schedule(opts.ms('report-interval'), this, K_INTERVAL, 0);
  }

  observe(o: TelephonyObserver): void {
    this.observers.push(o);
    if (o.onSourceEvent) this.sourceObservers.push(o);
    if (o.onCallLost) this.lossObservers.push(o);
  }

  /** Emitted only while the pool has a primary in service: a dead server tells nobody. */
  private emitCall(pool: number, ev: SourceEvent, c: number): void {
    if (this.sourceObservers.length === 0 || !this.inService[pool]) return;
    const id = this.cSerial[c]!;
    for (const o of this.sourceObservers) o.onSourceEvent!(pool, ev, id);
  }

  private emitAgent(pool: number, ev: SourceEvent, a: number): void {
    if (this.sourceObservers.length === 0 || pool < 0 || !this.inService[pool]) return;
    for (const o of this.sourceObservers) o.onSourceEvent!(pool, ev, a);
  }

  private lost(site: number, how: 'dropped' | 'rejected' | 'abandoned'): void {
    for (const o of this.lossObservers) o.onCallLost!(site, how);
  }

  /** The call's serial number (unique in the run): for ICON tests. */
  serialOf(c: number): number {
    return this.cSerial[c]!;
  }

  poolOf(pairId: string): number {
    const p = this.poolIndex.get(pairId);
    assert(p !== undefined, () => `no telephony pool for pair ${pairId}`);
    return p;
  }

  /** The SIP pool serving a site (-1 when the site has none). */
  sipPoolOfSite(site: SiteId): number {
    const s = this.siteIdx.get(site);
    return s === undefined ? -1 : this.sitePool[s]!;
  }

  poolInService(pool: number): boolean {
    return this.inService[pool] === 1 && this.shuttingDown[pool] === 0;
  }

  // ================================================================== arrivals

  private startArrivals(t: TrafficSpec): void {
    const { ctx } = this.env;
    for (const site of this.sites) {
      const share = t.siteSplit[site] ?? 0;
      const pool = this.sitePool[this.siteIdx.get(site)!]!;
      if (share <= 0 || pool < 0) continue;
      this.streams.push({
        site: this.siteIdx.get(site)!,
        pool,
        perHour: t.callsPerHour * share,
        rng: ctx.stream(`traffic/arrivals/${site}`),
        callRng: ctx.stream(`traffic/calls/${site}`),
      });
    }
    for (const [pairId, perHour] of Object.entries(t.tserverCallsPerHour).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const pool = this.poolIndex.get(pairId);
      if (pool === undefined || perHour <= 0) continue;
      this.streams.push({
        site: this.poolSite[pool]!,
        pool,
        perHour,
        rng: ctx.stream(`traffic/arrivals/${pairId}`),
        callRng: ctx.stream(`traffic/calls/${pairId}`),
      });
    }
    this.streams.forEach((_, i) => this.scheduleArrival(i));
  }

  /** Next arrival of a Poisson stream whose rate follows the hourly profile (exact, memoryless). */
  private scheduleArrival(i: number): void {
    const s = this.streams[i]!;
    const { ctx } = this.env;
    const profile = this.traffic?.profile;
    let t = ctx.nowMs;
    for (let guard = 0; guard < 10_000; guard++) {
      const hour = Math.floor(t / 3_600_000);
      const rate = s.perHour * (profile ? profile[hour % 24]! / this.profileMax : 1); // per hour
      const boundary = (hour + 1) * 3_600_000;
      if (rate <= 0) {
        t = boundary;
        continue;
      }
      const next = t + exponential(s.rng, 3_600_000 / rate);
      if (next < boundary) {
        ctx.scheduleAt(Math.max(ctx.nowMs, Math.round(next)), this, K_ARRIVAL, i);
        return;
      }
      t = boundary;
    }
  }

  private onArrival(i: number): void {
    this.scheduleArrival(i);
    const s = this.streams[i]!;
    const t = this.traffic!;
    const handle = Math.max(1, drawMs(s.callRng, t.handleTime));
    const patience =
      t.patienceMs === undefined ? -1 : Math.round(exponential(s.callRng, t.patienceMs));
    let site = s.site;
    let pool = s.pool;
    if (this.pools[pool]!.kind === 'sip' && this.gatewayDown[site]) {
      // The gateway marked this site down: it sends the call to another site it can reach.
      const other = this.otherSite(site);
      if (other >= 0) {
        site = other;
        pool = this.sitePool[other]!;
      }
    }
    const c = this.newCall(pool, site, handle);
    this.totals.offered++;
    this.iv.offered[site]!++;
    if (patience >= 0) this.cEvA[c] = this.env.ctx.schedule(patience, this, K_ABANDON, c);
    this.admit(c);
  }

  private otherSite(site: number): number {
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      if (!this.gatewayDown[s] && this.sitePool[s]! >= 0) return s;
    }
    return -1;
  }

  // ================================================================== calls

  private growCalls(cap: number): void {
    const old = this.cap;
    const f64 = (a: Float64Array) => grown(a, cap);
    const i32 = (a: Int32Array) => grown(a, cap);
    this.cArrMs = f64(this.cArrMs);
    this.cChangedMs = f64(this.cChangedMs);
    this.cHandleMs = f64(this.cHandleMs);
    this.cEvA = f64(this.cEvA);
    this.cEvB = f64(this.cEvB);
    this.cSerial = f64(this.cSerial);
    this.cPool = i32(this.cPool);
    this.cSite = i32(this.cSite);
    this.cAgent = i32(this.cAgent);
    this.cGen = i32(this.cGen);
    this.cState = grown(this.cState, cap);
    this.cFlags = grown(this.cFlags, cap);
    this.free = grown(this.free, cap);
    for (let i = cap - 1; i >= old; i--) this.free[this.freeTop++] = i;
    this.cap = cap;
  }

  private newCall(pool: number, site: number, handleMs: number): number {
    if (this.freeTop === 0) this.growCalls(this.cap * 2);
    const c = this.free[--this.freeTop]!;
    const now = this.env.ctx.nowMs;
    this.cArrMs[c] = now;
    this.cChangedMs[c] = now;
    this.cHandleMs[c] = handleMs;
    this.cPool[c] = pool;
    this.cSite[c] = site;
    this.cState[c] = CallState.Pending;
    this.cFlags[c] = 0;
    this.cAgent[c] = -1;
    this.cEvA[c] = -1;
    this.cEvB[c] = -1;
    this.cSerial[c] = this.nextSerial++;
    this.poolCalls[pool]!++;
    return c;
  }

  private freeCall(c: number): void {
    const { ctx } = this.env;
    if (this.cState[c] !== CallState.Pending) {
      const pool = this.cPool[c]!;
      if (this.cState[c] === CallState.Talking) this.emitCall(pool, SourceEvent.PartyRemoved, c);
      this.emitCall(pool, SourceEvent.Released, c);
    }
    if (this.cEvA[c]! >= 0) ctx.cancel(this.cEvA[c]!);
    if (this.cEvB[c]! >= 0) ctx.cancel(this.cEvB[c]!);
    if (this.cState[c] === CallState.Queued) this.liveQueued[this.cPool[c]!]!--;
    this.cState[c] = CallState.Free;
    this.cGen[c]!++;
    this.free[this.freeTop++] = c;
    const pool = this.cPool[c]!;
    this.poolCalls[pool]!--;
    if (this.shuttingDown[pool] && this.poolCalls[pool] === 0) this.finishShutdown(pool);
  }

  /** A new or redirected call reaches its pool. */
  private admit(c: number): void {
    const pool = this.cPool[c]!;
    const p = this.pools[pool]!;
    if (this.shuttingDown[pool]) {
      this.refuseDuringShutdown(c);
      return;
    }
    if (!this.inService[pool] && p.kind === 'sip') {
      // The gateway's INVITE goes unanswered; it gives up after gateway-detect-time.
      this.cState[c] = CallState.Pending;
      this.pending[pool]!.push(c, this.cGen[c]!);
      this.cEvB[c] = this.env.ctx.schedule(
        this.env.opts.ms('gateway-detect-time'),
        this,
        K_INVITE_TIMEOUT,
        c,
      );
      return;
    }
    this.route(c);
  }

  private route(c: number): void {
    const pool = this.cPool[c]!;
    this.emitCall(pool, SourceEvent.CallCreated, c);
    this.emitCall(pool, SourceEvent.AttachedData, c);
    const a = this.inService[pool] ? this.popReady(pool) : -1;
    if (a >= 0) {
      this.connect(c, a);
      return;
    }
    this.cState[c] = CallState.Queued;
    this.liveQueued[pool]!++;
    this.queue[pool]!.push(c, this.cGen[c]!);
  }

  private connect(c: number, a: number): void {
    const { ctx } = this.env;
    this.setAgentState(a, this.ringMs > 0 ? AgentState.Ringing : AgentState.Talking);
    this.agentCall[a] = c;
    this.cAgent[c] = a;
    this.cChangedMs[c] = ctx.nowMs;
    this.emitCall(this.cPool[c]!, SourceEvent.Ringing, c);
    if (this.ringMs > 0) {
      this.cState[c] = CallState.Ringing;
      this.cEvB[c] = ctx.schedule(this.ringMs, this, K_RING_END, c);
    } else {
      this.answer(c);
    }
  }

  private answer(c: number): void {
    const { ctx } = this.env;
    const wait = ctx.nowMs - this.cArrMs[c]!;
    const site = this.cSite[c]!;
    this.totals.answered++;
    this.totals.waitSumMs += wait;
    this.iv.answered[site]!++;
    this.iv.waitMs[site]! += wait;
    if (wait <= this.slMs) {
      this.totals.answeredInSl++;
      this.iv.inSl[site]!++;
    }
    if (this.cEvA[c]! >= 0) ctx.cancel(this.cEvA[c]!);
    this.cEvA[c] = -1;
    this.cState[c] = CallState.Talking;
    this.cChangedMs[c] = ctx.nowMs;
    this.emitCall(this.cPool[c]!, SourceEvent.Established, c);
    this.emitCall(this.cPool[c]!, SourceEvent.PartyAdded, c);
    this.setAgentState(this.cAgent[c]!, AgentState.Talking);
    this.cEvB[c] = ctx.schedule(this.cHandleMs[c]!, this, K_TALK_END, c);
  }

  private onTalkEnd(c: number): void {
    this.cEvB[c] = -1;
    const a = this.cAgent[c]!;
    this.totals.completed++;
    this.freeCall(c);
    this.afterCall(a);
  }

  /** The agent's call is over (completed or dropped): wrap-up, or logout if one is pending. */
  private afterCall(a: number, dropped = false): void {
    this.agentCall[a] = -1;
    for (const o of this.observers) {
      o.onCallEnded?.(a);
      if (this.agentPool[a]! < 0) return; // the desktop took the agent elsewhere
    }
    if (this.agentLogoutPending[a]) {
      const reason = PENDING_REASONS[this.agentLogoutPending[a]!]!;
      this.agentLogoutPending[a] = 0;
      this.logout(a, reason);
      return;
    }
    const wrap = this.traffic?.wrapUpMs ?? 0;
    if (wrap > 0 && !dropped) {
      this.setAgentState(a, AgentState.WrapUp);
      this.agentEv[a] = this.env.ctx.schedule(wrap, this, K_WRAP_END, a);
    } else {
      this.becomeReady(a);
    }
  }

  private onAbandon(c: number): void {
    this.cEvA[c] = -1;
    const st = this.cState[c];
    assert(
      st === CallState.Queued || st === CallState.Pending || st === CallState.Ringing,
      () => `abandon of a call in state ${st}`,
    );
    this.totals.abandoned++;
    this.lost(this.cSite[c]!, 'abandoned');
    this.iv.abandoned[this.cSite[c]!]!++;
    const a = this.cAgent[c]!;
    this.freeCall(c);
    if (a >= 0) {
      this.agentCall[a] = -1;
      this.becomeReady(a);
    }
  }

  private onInviteTimeout(c: number): void {
    this.cEvB[c] = -1;
    assert(this.cState[c] === CallState.Pending, 'INVITE timeout of a call that is not pending');
    this.totals.rejected++;
    const site = this.cSite[c]!;
    this.lost(site, 'rejected');
    this.freeCall(c);
    this.markGatewayDown(site);
  }

  private markGatewayDown(site: number): void {
    if (this.gatewayDown[site]) return;
    const { ctx } = this.env;
    this.gatewayDown[site] = 1;
    this.gatewayDownAtMs[site] = ctx.nowMs;
    ctx.trace(`gateway:${this.sites[site]}`, 'site-marked-down', 'invite-timeout');
    this.scheduleProbe(site);
  }

  /** OPTIONS pings to a site marked down run every gateway-options-interval from the marking. */
  private scheduleProbe(site: number): void {
    const { ctx, opts } = this.env;
    if (this.gatewayProbing[site]) return;
    const pool = this.sitePool[site]!;
    if (pool < 0 || !this.poolInService(pool)) return; // probed again when the pool returns
    const period = opts.ms('gateway-options-interval');
    const from = this.gatewayDownAtMs[site]!;
    const at = tickAtOrAfter(from, period, Math.max(ctx.nowMs, from + period));
    this.gatewayProbing[site] = 1;
    ctx.scheduleAt(at, this, K_GATEWAY_PROBE, site);
  }

  private onProbe(site: number): void {
    this.gatewayProbing[site] = 0;
    const pool = this.sitePool[site]!;
    if (pool >= 0 && this.poolInService(pool)) {
      this.gatewayDown[site] = 0;
      this.env.ctx.trace(`gateway:${this.sites[site]}`, 'site-marked-up', 'options-ping');
    }
  }

  /** Calls of a pool still active (pending, queued, ringing or talking). */
  callsIn(pool: number): number {
    return this.poolCalls[pool]!;
  }

  // ================================================================== agents

  private setAgentState(a: number, s: AgentState): void {
    const old = this.agentState[a]!;
    if (old === s) return;
    this.agentState[a] = s;
    this.reassess(a);
    if (s !== AgentState.LoggedOut) this.emitAgent(this.agentPool[a]!, SourceEvent.AgentState, a);
  }

  /** Ready list per pool: a doubly linked list of agent ids (longest idle first). */
  private pushReady(a: number): void {
    const pool = this.agentPool[a]!;
    if (this.inReady[a]) return;
    this.inReady[a] = 1;
    this.prev[a] = this.readyTail[pool]!;
    this.next[a] = -1;
    if (this.readyTail[pool]! >= 0) this.next[this.readyTail[pool]!] = a;
    else this.readyHead[pool] = a;
    this.readyTail[pool] = a;
    this.readyCount[pool]!++;
    this.addReady(this.poolSite[pool]!, 1);
  }

  private removeReady(a: number): void {
    if (!this.inReady[a]) return;
    const pool = this.agentPool[a]!;
    const p = this.prev[a]!;
    const n = this.next[a]!;
    if (p >= 0) this.next[p] = n;
    else this.readyHead[pool] = n;
    if (n >= 0) this.prev[n] = p;
    else this.readyTail[pool] = p;
    this.inReady[a] = 0;
    this.readyCount[pool]!--;
    this.addReady(this.poolSite[pool]!, -1);
  }

  private popReady(pool: number): number {
    const a = this.readyHead[pool]!;
    if (a >= 0) this.removeReady(a);
    return a;
  }

  private becomeReady(a: number): void {
    this.agentEv[a] = -1;
    if (this.agentPool[a]! < 0) return;
    this.setAgentState(a, AgentState.Ready);
    this.offerAgent(a);
  }

  /** An agent that can take a call takes the next queued one, or waits in the ready list. */
  private offerAgent(a: number): void {
    const pool = this.agentPool[a]!;
    if (pool < 0 || this.agentState[a] !== AgentState.Ready || !this.agentConnected[a]) return;
    if (this.inService[pool] && !this.shuttingDown[pool]) {
      const c = this.nextQueued(pool);
      if (c >= 0) {
        this.connect(c, a);
        return;
      }
    }
    this.pushReady(a);
  }

  private nextQueued(pool: number): number {
    const q = this.queue[pool]!;
    while (q.shift()) {
      const c = q.poppedId;
      if (this.cGen[c] === q.poppedGen && this.cState[c] === CallState.Queued) {
        this.liveQueued[pool]!--;
        this.cState[c] = CallState.Pending; // transient: connect() sets the real state
        return c;
      }
    }
    return -1;
  }

  /** Matches queued calls with ready agents (after a pool returns to service). */
  private dispatch(pool: number): void {
    if (!this.inService[pool] || this.shuttingDown[pool]) return;
    while (this.readyCount[pool]! > 0) {
      const c = this.nextQueued(pool);
      if (c < 0) return;
      this.connect(c, this.popReady(pool));
    }
  }

  /** The desktop logs the agent in through a pool (after its re-login time). */
  login(a: number, pool: number, ready = true): void {
    if (this.agentPool[a]! >= 0) this.logout(a, 'desktop');
    this.agentOnShift[a] = 1; // the shift starts at the first login
    this.agentPool[a] = pool;
    this.addLoggedIn(this.poolSite[pool]!, 1);
    this.emitAgent(pool, SourceEvent.AgentLogin, a);
    this.agentState[a] = AgentState.NotReady;
    if (ready) this.becomeReady(a);
    else this.reassess(a);
  }

  /**
   * The agent's SIP registration expired (dr-force_logout): an idle agent is logged out at once;
   * a call in progress keeps its media and the logout follows when it ends.
   */
  forceLogout(a: number): void {
    if (this.agentPool[a]! < 0) return;
    if (this.agentCall[a]! >= 0) this.agentLogoutPending[a] = PENDING_FORCE;
    else this.logout(a, 'dr-force_logout');
  }

  /** The agent makes itself Ready (after logging in NotReady). */
  makeReady(a: number): void {
    if (this.agentPool[a]! >= 0 && this.agentState[a] === AgentState.NotReady) this.becomeReady(a);
  }

  /** On a call (ringing or talking). */
  isOnCall(a: number): boolean {
    const st = this.agentState[a]!;
    return st === AgentState.Talking || st === AgentState.Ringing;
  }

  /** Talking, ringing or in wrap-up: an open interaction. */
  isBusy(a: number): boolean {
    const st = this.agentState[a]!;
    return st === AgentState.Talking || st === AgentState.Ringing || st === AgentState.WrapUp;
  }

  /** Logs an agent out; a talking agent's call continues only if the pool still carries it. */
  logout(a: number, reason: LogoutReason): void {
    const pool = this.agentPool[a]!;
    if (pool < 0) return;
    const { ctx } = this.env;
    this.removeReady(a);
    if (this.agentEv[a]! >= 0) ctx.cancel(this.agentEv[a]!);
    this.agentEv[a] = -1;
    const c = this.agentCall[a]!;
    if (c >= 0) {
      // Only an infrastructure logout reaches a busy agent; its call is cut.
      this.agentCall[a] = -1;
      this.cAgent[c] = -1;
      this.dropCall(c);
    }
    this.agentLogoutPending[a] = 0;
    this.emitAgent(pool, SourceEvent.AgentLogout, a);
    this.addLoggedIn(this.poolSite[pool]!, -1);
    this.agentPool[a] = -1;
    this.setAgentState(a, AgentState.LoggedOut);
    for (const o of this.observers) o.onAgentLoggedOut?.(a, reason);
  }

  /** The desktop's connection to the pool's servers is up (it can receive calls). */
  setConnected(a: number, connected: boolean): void {
    const v = connected ? 1 : 0;
    if (this.agentConnected[a] === v) return;
    this.agentConnected[a] = v;
    if (!connected) this.removeReady(a);
    this.reassess(a);
    if (connected) this.offerAgent(a);
  }

  isConnected(a: number): boolean {
    return this.agentConnected[a] === 1;
  }

  /**
   * Outage bookkeeping: an agent on shift that is not busy with a call and cannot take one
   * because of infrastructure (logged out, desktop disconnected, pool out of service).
   */
  private reassess(a: number): void {
    const st = this.agentState[a]!;
    const busy = st === AgentState.Talking || st === AgentState.Ringing || st === AgentState.WrapUp;
    const pool = this.agentPool[a]!;
    const able =
      pool >= 0 &&
      this.agentConnected[a] === 1 &&
      st === AgentState.Ready &&
      this.poolInService(pool);
    const out = this.agentOnShift[a] === 1 && !busy && !able;
    const now = this.env.ctx.nowMs;
    if (pool >= 0) this.agentLastSite[a] = this.poolSite[pool]!;
    if (out && this.outageStartMs[a]! < 0) {
      this.outageStartMs[a] = now;
      const site = (this.outageSiteAtStart[a] = this.agentLastSite[a]!);
      this.agentsOut[site]!.set(now, this.agentsOut[site]!.current + 1);
    } else if (!out && this.outageStartMs[a]! >= 0) {
      this.outageMs[a]! += now - this.outageStartMs[a]!;
      this.outageStartMs[a] = -1;
      const tw = this.agentsOut[this.outageSiteAtStart[a]!]!;
      tw.set(now, tw.current - 1);
    }
  }

  private reassessPool(pool: number): void {
    for (let a = 0; a < this.agentCount; a++) if (this.agentPool[a] === pool) this.reassess(a);
  }

  // ================================================================== failures

  private onPairChanged(pool: number): void {
    const p = this.pools[pool]!;
    const primary = p.pair.primaryInService();
    const now = primary ? 1 : 0;
    if (now === this.inService[pool]) {
      if (primary) this.lastPrimary[pool] = primary;
      return;
    }
    this.inService[pool] = now;
    if (!primary) this.onServiceLost(pool);
    else {
      if (this.shutdownApp[pool] && this.shutdownApp[pool] !== primary) this.endShutdown(pool);
      this.lastPrimary[pool] = primary;
      this.onServiceBack(pool);
    }
    for (const o of this.observers) o.onPoolService?.(pool, now === 1);
  }

  private onServiceLost(pool: number): void {
    const { ctx } = this.env;
    const p = this.pools[pool]!;
    const old = this.lastPrimary[pool];
    const membersUp = p.pair.members.filter((m) => m.up).length;
    let dropped = 0;
    let degraded = 0;
    const lagFrom = ctx.nowMs - this.syncLagMs;
    const linkLoss = old !== undefined && old.up && old.status === 'service-unavailable';
    for (let c = 0; c < this.cap; c++) {
      const st = this.cState[c]!;
      if (st === CallState.Free || st === CallState.Pending || this.cPool[c] !== pool) continue;
      if (membersUp === 0 && p.kind === 'sip') {
        // Site failure: every call whose signalling runs through the pair is cut.
        this.dropCall(c);
        dropped++;
      } else if (linkLoss) {
        // CTI link lost: the switch keeps the calls; the T-Server loses track of those in progress.
        if (st !== CallState.Queued && this.degrade(c)) degraded++;
      } else if (p.pair.redundancy === 'warm') {
        if (st === CallState.Queued || st === CallState.Ringing) {
          this.dropCall(c);
          dropped++;
        } else if (this.degrade(c)) degraded++;
      } else if (this.cChangedMs[c]! >= lagFrom && this.degrade(c)) {
        degraded++; // hot standby: only what changed in the last ha-sync-lag was not synchronised
      }
    }
    if (dropped + degraded > 0)
      this.impacts.push({ pair: p.pair.id, atMs: ctx.nowMs, dropped, degraded });
    this.reassessPool(pool);
  }

  /** The last running member of an out-of-service SIP pair died: the site's calls are cut. */
  private onMemberLost(pool: number): void {
    const p = this.pools[pool]!;
    if (p.kind !== 'sip' || p.pair.members.some((m) => m.up)) return;
    let dropped = 0;
    for (let c = 0; c < this.cap; c++) {
      const st = this.cState[c]!;
      if (st === CallState.Free || st === CallState.Pending || this.cPool[c] !== pool) continue;
      this.dropCall(c);
      dropped++;
    }
    if (dropped > 0)
      this.impacts.push({ pair: p.pair.id, atMs: this.env.ctx.nowMs, dropped, degraded: 0 });
  }

  private onServiceBack(pool: number): void {
    // Calls whose INVITE was still being retransmitted get through now.
    const q = this.pending[pool]!;
    const n = q.length;
    for (let k = 0; k < n && q.shift(); k++) {
      const c = q.poppedId;
      if (this.cGen[c] !== q.poppedGen || this.cState[c] !== CallState.Pending) continue;
      if (this.cEvB[c]! >= 0) this.env.ctx.cancel(this.cEvB[c]!);
      this.cEvB[c] = -1;
      this.route(c);
    }
    this.dispatch(pool);
    this.reassessPool(pool);
    const site = this.poolSite[pool]!;
    if (this.gatewayDown[site] && this.sitePool[site] === pool) this.scheduleProbe(site);
  }

  private degrade(c: number): boolean {
    const pool = this.cPool[c]!;
    const serial = this.cSerial[c]!;
    for (const o of this.observers) o.onCallDegraded?.(pool, serial);
    if (this.cFlags[c]! & F_DEGRADED) return false;
    this.cFlags[c]! |= F_DEGRADED;
    this.totals.degraded++;
    return true;
  }

  /** A call cut by a fault (counted once, in the interval of its entry site). */
  private dropCall(c: number): void {
    const a = this.cAgent[c]!;
    this.totals.dropped++;
    this.lost(this.cSite[c]!, 'dropped');
    this.iv.dropped[this.cSite[c]!]!++;
    this.freeCall(c);
    if (a >= 0 && this.agentCall[a] === c) this.afterCall(a, true);
  }

  // ================================================================== graceful shutdown

  /**
   * Genesys graceful shutdown of a SIP Server: agents NotReady at once, new calls refused (603,
   * or 302 to the peer site with dr-peer-trunk), queued calls re-routed to the peer site, idle
   * agents logged out at once (graceful_shutdown_logout), talking agents when their call ends;
   * the server exits when no call remains, or drops what is left at graceful-shutdown-max.
   */
  gracefulShutdown(app: App): void {
    const pool = this.pools.findIndex((p) => p.pair.members.includes(app));
    if (pool < 0 || app.role !== 'primary' || !app.up || this.shuttingDown[pool]) return;
    const { ctx, opts } = this.env;
    this.shuttingDown[pool] = 1;
    this.shutdownApp[pool] = app;
    const peerTrunk = opts.str('dr-peer-trunk');
    ctx.trace(
      app.id,
      'graceful-shutdown',
      peerTrunk !== ''
        ? `draining; new calls 302 to ${peerTrunk}`
        : `draining; new calls refused with ${opts.num('shutdown-sip-reject-code')}`,
    );
    for (const o of this.observers) o.onPoolService?.(pool, false);
    // Queued and pending calls go to the peer site's queue, keeping their place in time.
    const peer = this.peerPool(pool);
    for (const fifo of [this.queue[pool]!, this.pending[pool]!]) {
      while (fifo.shift()) {
        const c = fifo.poppedId;
        if (this.cGen[c] !== fifo.poppedGen) continue;
        const st = this.cState[c];
        if (st !== CallState.Queued && st !== CallState.Pending) continue;
        if (st === CallState.Queued) this.liveQueued[pool]!--;
        if (this.cEvB[c]! >= 0) ctx.cancel(this.cEvB[c]!);
        this.cEvB[c] = -1;
        if (peer >= 0) {
          this.moveCall(c, pool, peer);
          this.admit(c);
        } else {
          this.cState[c] = CallState.Queued;
          this.refuseDuringShutdown(c);
        }
      }
    }
    for (let a = 0; a < this.agentCount; a++) {
      if (this.agentPool[a] !== pool) continue;
      if (this.agentCall[a]! >= 0) {
        this.agentLogoutPending[a] = PENDING_GRACEFUL;
      } else {
        this.logout(a, 'graceful_shutdown_logout');
      }
    }
    this.reassessPool(pool);
    ctx.schedule(opts.ms('graceful-shutdown-max'), this, K_SHUTDOWN_CAP, pool);
    if (this.callsIn(pool) === 0) this.finishShutdown(pool);
  }

  private refuseDuringShutdown(c: number): void {
    const pool = this.cPool[c]!;
    const peer = this.env.opts.str('dr-peer-trunk') !== '' ? this.peerPool(pool) : -1;
    if (peer >= 0) {
      this.moveCall(c, pool, peer); // 302 Moved Temporarily to the peer site's trunk
      this.cSite[c] = this.poolSite[peer]!;
      this.admit(c);
      return;
    }
    this.totals.rejected++; // shutdown-sip-reject-code (603 Decline)
    this.lost(this.cSite[c]!, 'rejected');
    this.freeCall(c);
  }

  /**
   * A call leaves `from` for the peer pool `to` (graceful shutdown). A queued call was announced
   * on `from` (CallCreated at route()): that server reports it released; admit() then announces
   * it on `to` as a new call there.
   */
  private moveCall(c: number, from: number, to: number): void {
    if (this.cState[c] === CallState.Queued) this.emitCall(from, SourceEvent.Released, c);
    this.cPool[c] = to;
    this.poolCalls[from]!--;
    this.poolCalls[to]!++;
    this.totals.redirected++;
    const serial = this.cSerial[c]!;
    for (const o of this.observers) o.onCallMoved?.(from, to, serial);
  }

  private peerPool(pool: number): number {
    const site = this.poolSite[pool]!;
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      const p = this.sitePool[s]!;
      if (p >= 0 && this.poolInService(p)) return p;
    }
    return -1;
  }

  private finishShutdown(pool: number): void {
    const app = this.shutdownApp[pool];
    if (!app || !app.up) return;
    this.env.ctx.trace(app.id, 'graceful-shutdown', 'exit');
    app.crash('graceful-shutdown');
  }

  private onShutdownCap(pool: number): void {
    if (!this.shuttingDown[pool] || !this.shutdownApp[pool]?.up) return;
    for (let c = 0; c < this.cap; c++) {
      if (this.cState[c] !== CallState.Free && this.cPool[c] === pool) this.dropCall(c);
    }
    this.finishShutdown(pool);
  }

  private endShutdown(pool: number): void {
    this.shuttingDown[pool] = 0;
    this.shutdownApp[pool] = undefined;
  }

  // ================================================================== reporting

  private addLoggedIn(site: number, d: number): void {
    this.accumulate(site);
    this.siteLoggedIn[site]! += d;
  }

  private addReady(site: number, d: number): void {
    this.accumulate(site);
    this.siteReady[site]! += d;
  }

  private accumulate(site: number): void {
    const now = this.env.ctx.nowMs;
    const dt = now - this.areaSinceMs[site]!;
    if (dt > 0) {
      this.loggedArea[site]! += this.siteLoggedIn[site]! * dt;
      this.readyArea[site]! += this.siteReady[site]! * dt;
      this.areaSinceMs[site] = now;
    }
  }

  private closeInterval(endMs: number): void {
    const span = endMs - this.ivStartMs;
    if (span <= 0) return;
    for (let s = 0; s < this.sites.length; s++) {
      this.accumulate(s);
      this.intervals.push({
        startMs: this.ivStartMs,
        site: this.sites[s]!,
        offered: this.iv.offered[s]!,
        answered: this.iv.answered[s]!,
        abandoned: this.iv.abandoned[s]!,
        dropped: this.iv.dropped[s]!,
        answeredInSl: this.iv.inSl[s]!,
        waitSumMs: this.iv.waitMs[s]!,
        loggedInMean: this.loggedArea[s]! / span,
        readyMean: this.readyArea[s]! / span,
      });
      this.loggedArea[s] = 0;
      this.readyArea[s] = 0;
    }
    for (const arr of Object.values(this.iv)) arr.fill(0);
    this.ivStartMs = endMs;
  }

  /** Closes the open interval and outages at the end of the run. */
  finish(endMs: number): void {
    this.closeInterval(endMs);
    for (let a = 0; a < this.agentCount; a++) {
      if (this.outageStartMs[a]! >= 0) {
        this.outageMs[a]! += endMs - this.outageStartMs[a]!;
        this.outageStartMs[a] = endMs;
      }
    }
  }

  /** Calls still in progress by state (conservation check). */
  inProgress(): { pending: number; queued: number; ringing: number; talking: number } {
    const r = { pending: 0, queued: 0, ringing: 0, talking: 0 };
    for (let c = 0; c < this.cap; c++) {
      switch (this.cState[c]) {
        case CallState.Pending:
          r.pending++;
          break;
        case CallState.Queued:
          r.queued++;
          break;
        case CallState.Ringing:
          r.ringing++;
          break;
        case CallState.Talking:
          r.talking++;
          break;
        default:
          break;
      }
    }
    return r;
  }

  /**
   * Conservation: every offered call ended in exactly one outcome or is still in progress.
   * Redirected calls are re-admitted, not new offers.
   */
  checkConservation(): void {
    const t = this.totals;
    const p = this.inProgress();
    const ended = t.completed + t.abandoned + t.rejected + t.dropped;
    const live = p.pending + p.queued + p.ringing + p.talking;
    const perPool = new Int32Array(this.pools.length);
    for (let c = 0; c < this.cap; c++)
      if (this.cState[c] !== CallState.Free) perPool[this.cPool[c]!]!++;
    perPool.forEach((n, pool) =>
      assert(
        n === this.poolCalls[pool],
        () => `pool ${pool}: ${n} active call slots, ${this.poolCalls[pool]} counted`,
      ),
    );
    assert(
      t.offered === ended + live,
      () =>
        `call conservation broken: offered ${t.offered} ≠ completed ${t.completed} + abandoned ${t.abandoned} + rejected ${t.rejected} + dropped ${t.dropped} + in progress ${live}`,
    );
  }

  // ================================================================== events

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_ARRIVAL:
        return this.onArrival(arg);
      case K_ABANDON:
        return this.onAbandon(arg);
      case K_RING_END:
        this.cEvB[arg] = -1;
        return this.answer(arg);
      case K_TALK_END:
        return this.onTalkEnd(arg);
      case K_WRAP_END:
        return this.becomeReady(arg);
      case K_INVITE_TIMEOUT:
        return this.onInviteTimeout(arg);
      case K_INTERVAL: {
        const { ctx, opts } = this.env;
        this.closeInterval(ctx.nowMs);
        ctx.schedule(opts.ms('report-interval'), this, K_INTERVAL, 0);
        return;
      }
      case K_GATEWAY_PROBE:
        return this.onProbe(arg);
      case K_SHUTDOWN_CAP:
        return this.onShutdownCap(arg);
      default:
        assert(false, `Telephony: unknown event kind ${kind}`);
    }
  }

  /** For tests: the pending event of an agent. */
  agentEvent(a: number): EventId {
    return this.agentEv[a]!;
  }
}
