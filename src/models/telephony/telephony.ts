// Calls and agents: one FIFO queue per telephony pool (a site's SIP Server pair, or a T-Server
// pair), agents Ready / Talking / WrapUp / NotReady / LoggedOut, and the calls' life from entry
// to release (DOMAIN §6, §10). The jobs around it live beside it: arrivals.ts, gateways.ts,
// calls.ts (call pool), agents.ts (agents and ready lists), outage.ts, impact.ts (failure
// impact table), shutdown.ts (graceful shutdown), intervals.ts.
// Leaves out: transfers, conferences, outbound dialling, skills.

import { assert, assertNever, drawMs, exponential, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { RoutingPolicy, RoutingSpec, TrafficSpec, SiteId } from '../../spec/types.js';

const POLICY: Record<RoutingPolicy, Policy> = {
  'local-only': Policy.LocalOnly,
  'local-first': Policy.LocalFirst,
  pooled: Policy.Pooled,
};
import { AgentState, AgentTable, type LogoutReason } from './agents.js';
import { addTrafficStreams, Arrivals } from './arrivals.js';
import { RoutingPoints, type RoutingPointHost } from './routing-point.js';
import { Policy, Router, type RoutingHost } from './routing.js';
import { Services } from './services.js';
import { AgentControl, type AgentHost } from './agent-control.js';
import { CallPool, CallState, F_DEGRADED } from './calls.js';
import { CallAccounting } from './accounting.js';
import { Carrier } from './carrier.js';
import { Gateways } from './gateways.js';
import { PoolLayout, type PoolDef } from './layout.js';
import { applyImpact, lossCause, type FailureCause, type ImpactHost } from './impact.js';
import { Intervals, type IntervalRow } from './intervals.js';
import { SourceEvent, type CallImpact, type TelephonyObserver } from './observer.js';
import { OutageBook } from './outage.js';
import { GracefulShutdown, type ShutdownHost } from './shutdown.js';

export { AgentState, type LogoutReason } from './agents.js';
export { SourceEvent, type CallImpact, type TelephonyObserver } from './observer.js';
export type { IntervalRow } from './intervals.js';
export type { PoolDef } from './layout.js';

const K_ABANDON = 1;
const K_RING_END = 2;
const K_TALK_END = 3;
const K_INVITE_TIMEOUT = 5;
const K_OVERFLOW = 6;
const K_CARRIER_TIMEOUT = 7;
const K_CROSS_TIMEOUT = 8;
/** SIP Timer B in units of T1 (RFC 3261): an INVITE transaction gives up after 64 × T1. */
const TIMER_B_T1 = 64;

export interface AgentDef {
  group: number;
  /** Pool the agent is logged into at t=0 (-1: logged out). */
  pool: number;
  /** Where the agent is scheduled to work (intervals' agents_scheduled). */
  preferredSite?: SiteId;
  /** On shift at t=0 (default true); the desktops' shifts change it (addScheduled). */
  scheduled?: boolean;
}

export class Telephony
  implements Handler, ShutdownHost, AgentHost, ImpactHost, RoutingHost, RoutingPointHost
{
  // ---- pools ----
  readonly pools: PoolDef[];
  readonly layout: PoolLayout;
  private readonly inService: Uint8Array;
  private readonly lastPrimary: (App | undefined)[];
  private readonly poolSite: Int32Array;

  // ---- agents and calls ----
  readonly agents: AgentTable;
  private readonly router: Router;
  private readonly rp: RoutingPoints;
  readonly services: Services;
  private readonly desk: AgentControl;
  private readonly outage: OutageBook;
  readonly calls: CallPool;

  // ---- sites ----
  readonly sites: SiteId[];
  private readonly sitePool: Int32Array; // the SIP pool serving calls entering the site
  private readonly gateways: Gateways;
  private readonly carrier: Carrier;
  /** The call pool's slot for calls the carrier still offers to gateways that do not answer. */
  private readonly carrierPool: number;
  private readonly arrivals: Arrivals;
  private readonly shutdown: GracefulShutdown;
  private readonly iv: Intervals;

  // ---- counters ----
  private readonly acct: CallAccounting;
  readonly impacts: CallImpact[] = [];

  readonly observers: TelephonyObserver[] = [];
  private readonly sourceObservers: TelephonyObserver[] = [];
  private readonly lossObservers: TelephonyObserver[] = [];
  private readonly ringMs: number;
  private readonly syncLagMs: number;

  constructor(
    private readonly env: Env,
    pools: PoolDef[],
    agents: readonly AgentDef[],
    traffic: TrafficSpec | undefined,
    sites: readonly SiteId[],
    routing?: RoutingSpec,
    groupNames: readonly string[] = [],
    warmupMs = 0,
    /** Per site (in `sites` order), its routing (URS) pair; none: the default route. */
    routers: readonly (HaPair | undefined)[] = [],
  ) {
    const { opts } = env;
    this.pools = pools;
    const np = pools.length;
    this.inService = new Uint8Array(np);
    this.lastPrimary = pools.map((p) => p.pair.primaryInService());
    this.layout = new PoolLayout(pools, sites);
    this.sites = this.layout.sites;
    const ns = this.sites.length;
    this.poolSite = this.layout.poolSite;
    this.sitePool = this.layout.sitePool;
    this.gateways = new Gateways(
      env,
      this.sites,
      this.sitePool,
      (pool) => this.poolInService(pool),
      () => this.reachChanged(),
    );
    this.carrier = new Carrier(env, this.sites, this.sitePool, () => this.reachChanged());
    this.carrierPool = np;
    this.shutdown = new GracefulShutdown(
      env,
      pools.map((p) => p.pair),
      this.poolSite,
      this,
    );
    this.services = new Services(traffic, groupNames);
    this.iv = new Intervals(env, this.sites, this.services, groupNames.length);

    const n = agents.length;
    this.agents = new AgentTable(agents.map((d) => d.group));
    this.outage = new OutageBook(n, ns);

    this.ringMs = opts.ms('ring-time');
    this.syncLagMs = opts.ms('ha-sync-lag');
    this.calls = new CallPool(np + 1, 1024); // + the carrier's
    const slMs = traffic?.serviceLevelThresholdMs ?? 20_000;
    this.acct = new CallAccounting(this.calls, this.iv, warmupMs, slMs);
    this.router = new Router(
      pools,
      this.calls,
      this.agents,
      this.services,
      groupNames.length,
      POLICY[routing?.policy ?? 'local-only'],
      routing?.overflowAfterMs ?? 0,
      this,
    );
    this.desk = new AgentControl(
      env,
      this.agents,
      this.router,
      this.outage,
      this.iv,
      this.poolSite,
      this,
      np,
    );

    pools.forEach((p, i) => {
      this.inService[i] = p.pair.primaryInService() ? 1 : 0;
      p.pair.onStateChange(() => this.onPairChanged(i));
      for (const m of p.pair.members) {
        m.listen({ onAppChanged: (_app, c) => this.onMemberChanged(i, c) });
      }
    });
    for (let a = 0; a < n; a++) {
      if (agents[a]!.pool >= 0) {
        this.agents.connected[a] = 1;
        this.login(a, agents[a]!.pool);
      }
    }

    agents.forEach((d) => {
      if (d.preferredSite !== undefined && d.scheduled !== false)
        this.addScheduled(d.preferredSite, d.group, 1);
    });
    this.rp = new RoutingPoints(
      env,
      this.sites.map((_, s) => routers[s]),
      this,
    );
    this.arrivals = new Arrivals(env, this);
    if (traffic) addTrafficStreams(this.arrivals, traffic, this.layout, this.services);
    this.arrivals.start();
    this.iv.start();
  }

  // ---- views the other models read ----
  /** Call outcomes so far (calls offered after the warmup). */
  get totals() {
    return this.acct.totals;
  }
  get agentCount(): number {
    return this.agents.count;
  }
  get agentGroup(): Int32Array {
    return this.agents.group;
  }
  get agentPool(): Int32Array {
    return this.agents.pool;
  }
  get agentsOut() {
    return this.outage.agentsOut;
  }
  get outageMs(): Float64Array {
    return this.outage.outageMs;
  }
  get intervals(): IntervalRow[] {
    return this.iv.rows;
  }

  observe(o: TelephonyObserver): void {
    this.observers.push(o);
    if (o.onSourceEvent) this.sourceObservers.push(o);
    if (o.onCallLost) this.lossObservers.push(o);
  }

  /** Emitted only while the pool has a primary in service: a dead server tells nobody. */
  private emitCall(pool: number, ev: SourceEvent, c: number): void {
    if (this.sourceObservers.length === 0 || !this.inService[pool]) return;
    const id = this.calls.serial[c]!;
    for (const o of this.sourceObservers) o.onSourceEvent!(pool, ev, id);
  }

  emitAgent(pool: number, ev: SourceEvent, a: number): void {
    if (this.sourceObservers.length === 0 || pool < 0 || !this.inService[pool]) return;
    for (const o of this.sourceObservers) o.onSourceEvent!(pool, ev, a);
  }

  private lost(site: number, how: 'dropped' | 'rejected' | 'abandoned'): void {
    for (const o of this.lossObservers) o.onCallLost!(site, how);
  }

  poolOf(pairId: string): number {
    return this.layout.poolOf(pairId);
  }

  /** The SIP pool serving a site (-1 when the site has none). */
  sipPoolOfSite(site: SiteId): number {
    return this.layout.sipPoolOfSite(site);
  }

  poolInService(pool: number): boolean {
    return this.inService[pool] === 1 && !this.shutdown.draining(pool);
  }

  /** Calls of a pool still active (pending, queued, ringing or talking). */
  callsIn(pool: number): number {
    return this.calls.perPool[pool]!;
  }

  // ================================================================== arrivals

  onArrival(i: number): void {
    const s = this.arrivals.streams[i]!;
    const t = this.services.list[s.svc]!;
    const handle = Math.max(1, drawMs(s.callRng, t.handleTime));
    const patience =
      t.patienceMs === undefined ? -1 : Math.round(exponential(s.callRng, t.patienceMs));
    const now = this.env.ctx.nowMs;
    if (this.pools[s.pool]!.kind !== 'sip') {
      // A T-Server pair's own trunk: no gateways in front of it.
      this.enter(this.calls.alloc(s.pool, s.site, s.svc, handle, now), patience);
      return;
    }
    const entry = this.carrier.entrySite(s.site);
    if (entry < 0) {
      // The carrier has marked every site's trunk down: it has nowhere to send the call.
      const c = this.calls.alloc(this.carrierPool, s.site, s.svc, handle, now);
      this.acct.offered(c, now);
      this.reject(c);
      return;
    }
    if (this.carrier.gatewaysDown(entry)) {
      // The INVITE to the site's gateways goes unanswered until carrier-detect-time.
      const c = this.calls.alloc(this.carrierPool, entry, s.svc, handle, now);
      this.acct.offered(c, now);
      if (patience >= 0) this.calls.evA[c] = this.env.ctx.schedule(patience, this, K_ABANDON, c);
      this.carrier.held[entry]!.push(c, this.calls.gen[c]!);
      this.calls.evB[c] = this.env.ctx.schedule(
        this.env.opts.ms('carrier-detect-time'),
        this,
        K_CARRIER_TIMEOUT,
        c,
      );
      return;
    }
    const site = this.gatewayTarget(entry);
    this.enter(this.calls.alloc(this.sitePool[site]!, site, s.svc, handle, now), patience);
  }

  /**
   * The site whose SIP pool a site's gateways send a call to: the site itself, or another it
   * can reach when it marked the site down (itself when there is none).
   */
  private gatewayTarget(site: number): number {
    if (!this.gateways.isDown(site)) return site;
    const other = this.gateways.otherSite(site);
    return other >= 0 ? other : site;
  }

  /** A new call is offered at its pool: counted, its patience armed, admitted. */
  private enter(c: number, patience: number): void {
    this.acct.offered(c, this.env.ctx.nowMs);
    if (patience >= 0) this.calls.evA[c] = this.env.ctx.schedule(patience, this, K_ABANDON, c);
    this.admit(c);
  }

  /** The carrier's INVITE to dead gateways timed out: the call is refused, the trunk marked down. */
  private onCarrierTimeout(c: number): void {
    this.calls.evB[c] = -1;
    assert(
      this.calls.state[c] === CallState.Pending && this.calls.pool[c] === this.carrierPool,
      'carrier timeout of a call the carrier does not hold',
    );
    const site = this.calls.site[c]!;
    this.reject(c);
    this.carrier.markDown(site);
  }

  /** gateway-down / gateway-up of a site (SPEC §5.2). */
  setGateways(site: SiteId, up: boolean): void {
    const s = this.sites.indexOf(site);
    assert(s >= 0, () => `gateway fault: unknown site ${site}`);
    if (!up) {
      this.carrier.down(s);
      return;
    }
    this.carrier.up(s);
    // INVITEs still being retransmitted to the site's gateways get through now.
    const q = this.carrier.held[s]!;
    const calls = this.calls;
    while (q.shift()) {
      const c = q.poppedId;
      if (calls.gen[c] !== q.poppedGen || calls.pool[c] !== this.carrierPool) continue;
      if (calls.state[c] !== CallState.Pending) continue;
      if (calls.evB[c]! >= 0) this.env.ctx.cancel(calls.evB[c]!);
      calls.evB[c] = -1;
      const target = this.gatewayTarget(s);
      calls.move(c, this.sitePool[target]!);
      calls.site[c] = target;
      this.admit(c);
    }
  }

  // ================================================================== calls

  private freeCall(c: number): void {
    const { ctx } = this.env;
    const calls = this.calls;
    const pool = calls.pool[c]!;
    if (calls.state[c] !== CallState.Pending) {
      if (calls.state[c] === CallState.Talking) this.emitCall(pool, SourceEvent.PartyRemoved, c);
      this.emitCall(pool, SourceEvent.Released, c);
    }
    if (calls.evA[c]! >= 0) ctx.cancel(calls.evA[c]!);
    if (calls.evB[c]! >= 0) ctx.cancel(calls.evB[c]!);
    calls.release(c);
    if (pool !== this.carrierPool) this.shutdown.callEnded(pool);
  }

  /** A new or redirected call reaches its pool. */
  admit(c: number): void {
    const pool = this.calls.pool[c]!;
    if (this.shutdown.draining(pool)) {
      this.shutdown.refuse(c);
      return;
    }
    if (!this.inService[pool] && this.pools[pool]!.kind === 'sip') {
      // The gateway's INVITE goes unanswered; it gives up after gateway-detect-time.
      this.router.enqueuePending(c);
      this.calls.evB[c] = this.env.ctx.schedule(
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
    const pool = this.calls.pool[c]!;
    this.emitCall(pool, SourceEvent.CallCreated, c);
    this.emitCall(pool, SourceEvent.AttachedData, c);
    if (this.pools[pool]!.kind === 'sip' && !this.rp.arrive(c, this.poolSite[pool]!)) return;
    this.routeNow(c);
  }

  /** The call leaves the routing point: an agent now, or the queue. */
  routeNow(c: number): void {
    const pool = this.calls.pool[c]!;
    const waitedMs = this.env.ctx.nowMs - this.calls.arrMs[c]!;
    const overflowMs = this.router.overflowAfterMs;
    const a = this.inService[pool] ? this.router.agentFor(c, waitedMs >= overflowMs) : -1;
    if (a >= 0) {
      this.connect(c, a);
      return;
    }
    this.router.enqueue(c);
    if (this.router.policy === Policy.LocalFirst && this.router.crosses && waitedMs < overflowMs) {
      // local-first: the call may go to the other site once it has waited overflow-after.
      this.calls.evB[c] = this.env.ctx.schedule(overflowMs - waitedMs, this, K_OVERFLOW, c);
    }
  }

  /** local-first: the call waited overflow-after at its entry site; an agent of another site may take it. */
  private onOverflowDue(c: number): void {
    this.calls.evB[c] = -1;
    if (this.calls.state[c] !== CallState.Queued || !this.inService[this.calls.pool[c]!]) return;
    const a = this.router.agentFor(c, true);
    if (a >= 0) {
      this.calls.state[c] = CallState.Pending; // its queue entry is now stale
      this.connect(c, a);
    }
  }

  /** A call of pool `from` can reach an agent of pool `to` across the WAN now. */
  crossable(from: number, to: number): boolean {
    if (!this.poolInService(from) || !this.poolInService(to)) return false;
    if (!this.rp.serving(this.poolSite[from]!)) return false;
    const a = this.pools[from]!.pair.primaryInService();
    const b = this.pools[to]!.pair.primaryInService();
    return a !== undefined && b !== undefined && !this.env.net.partitioned(a.host.id, b.host.id);
  }

  reachChanged(): void {
    for (const o of this.observers) o.onReachChanged?.();
  }

  /**
   * The callers of a site can reach an agent now: the carrier offers their calls to gateways
   * that answer (not while it still sends them to gateways that are down), and those gateways'
   * SIP pool is in service (not while their INVITEs time out before the gateways mark the site
   * down) with an agent routing can reach (routing.ts).
   */
  siteServed(site: number): boolean {
    const entry = this.carrier.entrySite(site);
    if (entry < 0 || this.carrier.gatewaysDown(entry)) return false;
    const target = this.gatewayTarget(entry);
    const pool = this.sitePool[target]!;
    if (pool >= 0 && this.shutdown.draining(pool))
      return this.router.siteServed(target, this.sitePool, this.desk.reachableIn);
    return (
      pool >= 0 &&
      this.poolInService(pool) &&
      this.router.reachableFrom(pool, this.desk.reachableIn)
    );
  }

  /** Some agent is logged in and connected through a pool in service. */
  agentsReachable(): boolean {
    return this.desk.reachableIn.some((n) => n > 0);
  }

  /** Sites some calls enter through. */
  entrySites(): number[] {
    return this.services.entrySites(this.sites);
  }

  readyChanged(pool: number, group: number, d: number): void {
    this.iv.addReady(this.poolSite[pool]!, group, d);
  }

  connect(c: number, a: number): void {
    const { ctx } = this.env;
    const calls = this.calls;
    const pool = calls.pool[c]!;
    const agentPool = this.agents.pool[a]!;
    let ringMs = this.ringMs;
    if (calls.evB[c]! >= 0) ctx.cancel(calls.evB[c]!); // a pending overflow
    calls.evB[c] = -1;
    if (agentPool !== pool) {
      // Delivered across the WAN: the INVITE to the agent's site takes its latency, and on a
      // lossy WAN the retransmissions of lost attempts.
      calls.agentPool[c] = agentPool;
      const a1 = this.pools[pool]!.pair.primaryInService()!;
      const a2 = this.pools[agentPool]!.pair.primaryInService()!;
      const inviteMs = this.crossInviteMs(a1.host.id, a2.host.id);
      if (inviteMs < 0) {
        // Every attempt lost until Timer B: the agent is held ringing meanwhile, then the call
        // goes back to routing (crossTimedOut).
        this.desk.ringing(a, c, true);
        calls.agent[c] = a;
        calls.changedMs[c] = ctx.nowMs;
        calls.state[c] = CallState.Ringing;
        calls.evB[c] = ctx.schedule(
          TIMER_B_T1 * this.env.opts.ms('sip-t1'),
          this,
          K_CROSS_TIMEOUT,
          c,
        );
        return;
      }
      this.acct.overflowed(c);
      ringMs += inviteMs;
    }
    this.desk.ringing(a, c, ringMs > 0);
    calls.agent[c] = a;
    calls.changedMs[c] = ctx.nowMs;
    this.emitCall(pool, SourceEvent.Ringing, c);
    if (ringMs > 0) {
      calls.state[c] = CallState.Ringing;
      calls.evB[c] = ctx.schedule(ringMs, this, K_RING_END, c);
    } else {
      this.answer(c);
    }
  }

  /**
   * One-way delivery of an INVITE between two SIP Servers across the WAN: its latency, plus on
   * a lossy WAN (wan-degrade) the retransmissions (T1, 2·T1, 4·T1, …) until an attempt and its
   * response both get through; -1 when none did within Timer B (64 × T1).
   */
  private crossInviteMs(from: string, to: string): number {
    const { net, opts } = this.env;
    const latency = net.latencyMs(from, to);
    const loss = net.lossBetween(from, to);
    if (loss <= 0) return latency;
    const t1 = opts.ms('sip-t1');
    const timerB = TIMER_B_T1 * t1;
    let sentAt = 0;
    for (let interval = t1; sentAt < timerB; interval *= 2) {
      const lost = net.drawLost(loss) || net.drawLost(loss); // the INVITE or its response
      if (!lost) return latency + sentAt;
      sentAt += interval;
    }
    return -1;
  }

  /** The INVITE across the WAN timed out: the agent is free again, the call routed anew. */
  private crossTimedOut(c: number): void {
    const calls = this.calls;
    calls.evB[c] = -1;
    assert(calls.state[c] === CallState.Ringing, 'cross-site timeout of a call not ringing');
    const a = calls.agent[c]!;
    calls.agent[c] = -1;
    calls.agentPool[c] = -1;
    calls.state[c] = CallState.Pending; // transient: routeNow sets the real state
    this.agents.call[a] = -1;
    this.desk.becomeReady(a);
    this.routeNow(c);
  }

  private answer(c: number): void {
    const { ctx } = this.env;
    const calls = this.calls;
    const wait = ctx.nowMs - calls.arrMs[c]!;
    this.acct.answered(c, wait);
    if (calls.evA[c]! >= 0) ctx.cancel(calls.evA[c]!);
    calls.evA[c] = -1;
    calls.state[c] = CallState.Talking;
    calls.changedMs[c] = ctx.nowMs;
    this.emitCall(calls.pool[c]!, SourceEvent.Established, c);
    this.emitCall(calls.pool[c]!, SourceEvent.PartyAdded, c);
    this.desk.talking(calls.agent[c]!);
    calls.evB[c] = ctx.schedule(calls.handleMs[c]!, this, K_TALK_END, c);
  }

  private onTalkEnd(c: number): void {
    this.calls.evB[c] = -1;
    const a = this.calls.agent[c]!;
    const svc = this.calls.svc[c]!;
    this.acct.completed(c);
    this.freeCall(c);
    this.desk.afterCall(a, this.services.list[svc]!.wrapUpMs);
  }

  private onAbandon(c: number): void {
    const calls = this.calls;
    calls.evA[c] = -1;
    const st = calls.state[c];
    assert(
      st === CallState.Queued || st === CallState.Pending || st === CallState.Ringing,
      () => `abandon of a call in state ${st}`,
    );
    this.acct.abandoned(c);
    this.lost(calls.site[c]!, 'abandoned');
    const a = calls.agent[c]!;
    this.freeCall(c);
    if (a >= 0) {
      this.agents.call[a] = -1;
      this.desk.becomeReady(a);
    }
  }

  private onInviteTimeout(c: number): void {
    this.calls.evB[c] = -1;
    assert(
      this.calls.state[c] === CallState.Pending,
      'INVITE timeout of a call that is not pending',
    );
    const site = this.calls.site[c]!;
    this.reject(c);
    this.gateways.markDown(site);
  }

  /** Refused at entry (INVITE timeout, or 603 during a graceful shutdown). */
  reject(c: number): void {
    this.acct.rejected(c);
    this.lost(this.calls.site[c]!, 'rejected');
    this.freeCall(c);
  }

  // ================================================================== agents (agent-control.ts)

  /** The desktop logs the agent in through a pool (after its re-login time). */
  login(a: number, pool: number, ready = true): void {
    this.desk.login(a, pool, ready);
  }

  /** Logs an agent out; a talking agent's call is cut (only infrastructure reaches one). */
  logout(a: number, reason: LogoutReason): void {
    this.desk.logout(a, reason);
  }

  /**
   * The agent's SIP registration expired (dr-force_logout): an idle agent is logged out at once;
   * a call in progress keeps its media and the logout follows when it ends.
   */
  forceLogout(a: number): void {
    this.desk.forceLogout(a);
  }

  /**
   * A logout on purpose (end of shift, agent-logout): once the agent's interactions allow it
   * (agent-control.ts); the agent is off duty from then on.
   */
  requestLogout(a: number, reason: 'manual' | 'supervisor'): void {
    this.desk.requestLogout(a, reason);
  }

  /** A pending logout on purpose is called off (the agent's next shift began). */
  cancelLogout(a: number): void {
    this.desk.cancelLogout(a);
  }

  /** `d` more agents of a group are scheduled at a site (shifts: intervals' agents_scheduled). */
  addScheduled(site: SiteId, group: number, d: number): void {
    const s = this.sites.indexOf(site);
    if (s >= 0) this.iv.addScheduled(s, group, d);
  }

  /** The agent makes itself Ready (after logging in NotReady). */
  makeReady(a: number): void {
    this.desk.makeReady(a);
  }

  /** The desktop's connection to the pool's servers is up (it can receive calls). */
  setConnected(a: number, connected: boolean): void {
    this.desk.setConnected(a, connected);
  }

  /** On a call (ringing or talking). */
  isOnCall(a: number): boolean {
    const st = this.agents.state[a]!;
    return st === AgentState.Talking || st === AgentState.Ringing;
  }

  reassessPool(pool: number): void {
    this.desk.reassessPool(pool);
  }

  /** Matches queued calls with ready agents, longest idle first (after a pool returns to service). */
  routersChanged(): void {
    this.dispatch();
  }

  private dispatch(): void {
    for (const a of this.router.readyAgents()) {
      const pool = this.agents.pool[a]!;
      if (!this.poolInService(pool)) continue;
      const c = this.router.callFor(a, this.env.ctx.nowMs);
      if (c < 0) continue;
      this.router.removeReady(a);
      this.connect(c, a);
    }
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
      const leaving = this.shutdown.appOf(pool);
      if (leaving && leaving !== primary) this.shutdown.end(pool);
      this.lastPrimary[pool] = primary;
      this.onServiceBack(pool);
    }
    this.poolServiceChanged(pool, now === 1);
  }

  poolServiceChanged(pool: number, inService: boolean): void {
    for (const o of this.observers) o.onPoolService?.(pool, inService);
  }

  /** The pool lost its primary: each call's fate comes from the failure impact table. */
  private onServiceLost(pool: number): void {
    const { ctx } = this.env;
    const p = this.pools[pool]!;
    const old = this.lastPrimary[pool];
    const membersUp = p.pair.members.filter((m) => m.up).length;
    const lagFrom = ctx.nowMs - this.syncLagMs;
    const cause = lossCause(p.kind, membersUp, old, p.pair.redundancy);
    this.applyImpact(pool, cause, lagFrom);
    this.reassessPool(pool);
  }

  /** A member of pool `pool` exited or vanished while the pair had no primary in service. */
  private onMemberChanged(pool: number, c: AppChange): void {
    switch (c.type) {
      case 'app.crashed':
      case 'app.vanished':
        if (!this.inService[pool]) this.onMemberLost(pool);
        return;
      case 'app.started':
      case 'app.promoted':
      case 'app.demoted':
      case 'app.hung':
      case 'app.unhung':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        return; // the pair's state (onPairChanged) decides what serves
      default:
        assertNever(c, 'app change');
    }
  }

  /** The last running member of an out-of-service SIP pair died: the site's calls are cut. */
  private onMemberLost(pool: number): void {
    const p = this.pools[pool]!;
    if (p.kind !== 'sip' || p.pair.members.some((m) => m.up)) return;
    this.applyImpact(pool, 'site-failure', 0);
  }

  private applyImpact(pool: number, cause: FailureCause, lagFromMs: number): void {
    const n = applyImpact(this, pool, cause, lagFromMs);
    const { dropped, degraded } = n;
    if (dropped + degraded > 0)
      this.impacts.push({
        pair: this.pools[pool]!.pair.id,
        atMs: this.env.ctx.nowMs,
        dropped,
        degraded,
      });
  }

  private onServiceBack(pool: number): void {
    // Calls whose INVITE was still being retransmitted get through now.
    this.router.drainPending(pool, (c) => {
      if (this.calls.evB[c]! >= 0) this.env.ctx.cancel(this.calls.evB[c]!);
      this.calls.evB[c] = -1;
      this.route(c);
    });
    this.dispatch();
    this.reassessPool(pool);
    const site = this.poolSite[pool]!;
    if (this.sitePool[site] === pool) this.gateways.poolBack(site);
  }

  /** The call lost its control or data; false when it had already (counted once). */
  degrade(c: number): boolean {
    const pool = this.calls.pool[c]!;
    const serial = this.calls.serial[c]!;
    for (const o of this.observers) o.onCallDegraded?.(pool, serial);
    if (this.calls.flags[c]! & F_DEGRADED) return false;
    this.calls.flags[c]! |= F_DEGRADED;
    this.acct.degraded(c);
    return true;
  }

  /** A call cut by a fault (counted once, in the interval of its entry site). */
  dropCall(c: number): void {
    const a = this.calls.agent[c]!;
    const site = this.calls.site[c]!;
    this.acct.dropped(c);
    this.lost(site, 'dropped');
    this.freeCall(c);
    if (a >= 0 && this.agents.call[a] === c) this.desk.afterCall(a, 0);
  }

  // ================================================================== graceful shutdown

  /** Genesys graceful shutdown of a SIP Server (shutdown.ts). */
  gracefulShutdown(app: App): void {
    this.shutdown.start(app);
  }

  drainWaiting(pool: number, each: (c: number) => void): void {
    this.router.drainWaiting(pool, (c) => {
      if (this.calls.evB[c]! >= 0) this.env.ctx.cancel(this.calls.evB[c]!);
      this.calls.evB[c] = -1;
      each(c);
    });
  }

  /**
   * A call leaves `from` for the peer pool `to` (graceful shutdown). A queued call was announced
   * on `from` (CallCreated at route()): that server reports it released; admit() then announces
   * it on `to` as a new call there.
   */
  moveCall(c: number, from: number, to: number): void {
    if (this.calls.state[c] === CallState.Queued) this.emitCall(from, SourceEvent.Released, c);
    this.calls.move(c, to);
    this.acct.totals.redirected++;
    const serial = this.calls.serial[c]!;
    for (const o of this.observers) o.onCallMoved?.(from, to, serial);
  }

  peerPool(pool: number): number {
    const site = this.poolSite[pool]!;
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      const p = this.sitePool[s]!;
      if (p >= 0 && this.poolInService(p)) return p;
    }
    return -1;
  }

  // ================================================================== end of run

  /** Closes the open interval and outages at the end of the run. */
  finish(endMs: number): void {
    this.iv.close(endMs);
    this.outage.finish(endMs);
  }

  /** Conservation: every offered call ended in exactly one outcome or is still in progress. */
  checkConservation(): void {
    this.calls.assertConserved(this.acct.totals);
  }

  // ================================================================== events

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_ABANDON:
        return this.onAbandon(arg);
      case K_RING_END:
        this.calls.evB[arg] = -1;
        return this.answer(arg);
      case K_TALK_END:
        return this.onTalkEnd(arg);
      case K_INVITE_TIMEOUT:
        return this.onInviteTimeout(arg);
      case K_OVERFLOW:
        return this.onOverflowDue(arg);
      case K_CARRIER_TIMEOUT:
        return this.onCarrierTimeout(arg);
      case K_CROSS_TIMEOUT:
        return this.crossTimedOut(arg);
      default:
        assert(false, `Telephony: unknown event kind ${kind}`);
    }
  }
}
