// Calls and agents: one FIFO queue per telephony pool (a site's SIP Server pair, or a T-Server
// pair), agents Ready / Talking / WrapUp / NotReady / LoggedOut, and the calls' life from routing
// to release (DOMAIN §6, §10). The jobs around it live beside it:
//   entry.ts        where a call enters: arrivals.ts, carrier.ts, gateways.ts (INVITE timeouts)
//   routing.ts      queues and ready lists per policy; routing-point.ts (URS), services.ts
//   cross-site.ts   delivery to an agent of another site across the WAN
//   agent-control.ts, agents.ts   agents' states, logins and logouts, ready lists
//   calls.ts        the call pool; accounting.ts its counters; intervals.ts the interval rows
//   patience.ts     the caller giving up (the abandon timer, armed only when the call may wait)
//   pool-service.ts a pool in and out of service; impact.ts what a failure does to each call
//   shutdown.ts     graceful shutdown; outage.ts agents' outage bookkeeping; observer.ts listeners
//   reach.ts        can callers reach an agent (the availability headline)
// Leaves out: transfers, conferences, outbound dialling, skills.

import { assert, mapObjects, type Handler, type HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { App } from '../ha-pair/app.js';
import type { PairId, RoutingSpec, TrafficSpec, SiteId } from '../../spec/types.js';

import { AgentTable, type AgentDef } from './agents.js';
import { RoutingPoints, type RoutingPointHost } from './routing-point.js';
import { POLICY, Policy, Router, type RoutingHost } from './routing.js';
import { Services } from './services.js';
import { AgentControl, type AgentHost } from './agent-control.js';
import { CallPool, CallState, CallFlag } from './calls.js';
import { CallAccounting } from './accounting.js';
import { CallEntry, type EntryHost } from './entry.js';
import { CrossSite, type CrossSiteHost } from './cross-site.js';
import { Reach } from './reach.js';
import { PoolLayout, type PoolDef } from './layout.js';
import { PoolService, type PoolServiceHost } from './pool-service.js';
import { Intervals, type IntervalRow } from './intervals.js';
import {
  SourceEvent,
  TelephonyEvents,
  type CallImpact,
  type RecordSink,
  type TelephonyObserver,
} from './observer.js';
import { OutageBook } from './outage.js';
import { Patience, type PatienceHost } from './patience.js';
import { GracefulShutdown, type ShutdownHost } from './shutdown.js';

export { AgentState, type AgentDef, type LogoutReason } from './agents.js';
export {
  SourceEvent,
  type CallImpact,
  type RecordSink,
  type TelephonyObserver,
} from './observer.js';
export type { IntervalRow } from './intervals.js';
export type { PoolDef } from './layout.js';

const K_RING_END = 2;
const K_TALK_END = 3;
const K_OVERFLOW = 6;

export class Telephony
  implements
    Handler,
    EntryHost,
    CrossSiteHost,
    PoolServiceHost,
    ShutdownHost,
    AgentHost,
    RoutingHost,
    RoutingPointHost,
    PatienceHost
{
  // ---- pools ----
  readonly pools: PoolDef[];
  readonly layout: PoolLayout;
  /** Per pool: 1 while its pair has a primary in service (pool-service.ts). */
  private readonly inService: Uint8Array;
  private readonly service: PoolService;
  private readonly poolSite: Int32Array;
  /** Per pool: 1 for a SIP pool (its calls pass the routing point; PoolLayout.isSip). */
  readonly isSip: Uint8Array;

  // ---- agents and calls ----
  readonly agents: AgentTable;
  private readonly router: Router;
  private readonly rp: RoutingPoints;
  private readonly cross: CrossSite;
  /** Can callers reach an agent (the availability headline). */
  readonly reach: Reach;
  readonly services: Services;
  /** Agents' logins, logouts, states and connection (agent-control.ts). */
  readonly agentControl: AgentControl;
  private readonly outage: OutageBook;
  readonly calls: CallPool;

  // ---- sites ----
  readonly sites: SiteId[];
  private readonly sitePool: Int32Array; // the SIP pool serving calls entering the site
  private readonly entry: CallEntry;
  /** The call pool's slot for calls the carrier still offers to gateways that do not answer. */
  private readonly carrierPool: number;
  private readonly shutdown: GracefulShutdown;
  private readonly iv: Intervals;
  // ---- counters ----
  private readonly acct: CallAccounting;
  private readonly patience: Patience;
  private readonly events: TelephonyEvents;
  private readonly ringMs: number;
  private readonly hid: HandlerId = -1; // this handler's number in the simulator (ctx.handler)

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
    this.hid = env.ctx.handler(this);
    const { opts } = env;
    this.pools = pools;
    const np = pools.length;
    this.layout = new PoolLayout(pools, sites);
    this.sites = this.layout.sites;
    const ns = this.sites.length;
    this.poolSite = this.layout.poolSite;
    this.isSip = this.layout.isSip;
    this.sitePool = this.layout.sitePool;
    this.carrierPool = np;
    this.shutdown = new GracefulShutdown(env, this.layout, this);
    this.service = new PoolService(env, pools, this.shutdown, this);
    this.inService = this.service.inService;
    this.events = new TelephonyEvents(this.inService, env.ctx);
    this.services = new Services(traffic, groupNames);
    this.iv = new Intervals(env, this.sites, this.services, groupNames.length);

    const n = agents.length;
    this.agents = new AgentTable(Int32Array.from(agents, (d) => d.group));
    this.outage = new OutageBook(n, ns, this.agents.group, groupNames.length);

    this.ringMs = opts.ms('ring-time');
    this.calls = new CallPool(np + 1, 1024); // + the carrier's
    const slMs = traffic?.serviceLevelThresholdMs ?? 20_000;
    this.acct = new CallAccounting(this.calls, this.iv, warmupMs, slMs);
    this.patience = new Patience(env, this.calls, this);
    this.router = new Router(
      this.isSip,
      this.calls,
      this.agents,
      this.services,
      groupNames.length,
      POLICY[routing?.policy ?? 'local-only'],
      routing?.overflowAfterMs ?? 0,
      this,
      this.iv,
      this.poolSite,
    );
    this.entry = new CallEntry(
      env,
      this.sites,
      this.sitePool,
      this.carrierPool,
      this.inService,
      this.shutdown,
      this.router,
      this,
    );
    this.agentControl = new AgentControl(
      env,
      this.agents,
      this.router,
      this.outage,
      this.iv,
      this.poolSite,
      this,
      this.events,
      np,
      groupNames.length,
    );
    this.reach = new Reach(
      this.entry,
      this.sitePool,
      this.shutdown,
      this.router,
      this.agentControl,
      (pool) => this.poolInService(pool),
      (from, to) => this.cross.crossable(from, to, true),
      this.services,
      this.sites,
      groupNames.length,
    );

    this.service.listen();
    for (let a = 0; a < n; a++) {
      if (agents[a]!.pool >= 0) {
        this.agents.connected[a] = 1;
        this.agentControl.login(a, agents[a]!.pool, true);
      }
    }

    for (const d of agents)
      if (d.preferredSite !== undefined && d.scheduled !== false)
        this.addScheduled(d.preferredSite, d.group, 1);
    this.rp = new RoutingPoints(
      env,
      mapObjects(this.sites, (_, s) => routers[s]),
      this,
    );
    this.cross = new CrossSite(
      env,
      pools,
      this.poolSite,
      this.rp,
      this.agentControl,
      this,
      this.shutdown,
    );
    // Calls cross sites only with a router of the entry site serving and no partition between
    // the SIP Servers: either changing may change whether callers can reach an agent.
    for (const r of routers) r?.onStateChange(() => this.reachChanged());
    env.net.watch({ pathChanged: () => this.reachChanged() });
    this.entry.startArrivals(traffic, this.layout);
    this.iv.start();
  }

  // ---- views the other models read ----
  /** Call outcomes so far (calls offered after the warmup). */
  get totals() {
    return this.acct.totals;
  }
  get agentsOut() {
    return this.outage.agentsOut;
  }
  /** Agents in outage per group (availability per service). */
  get agentsOutByGroup() {
    return this.outage.groupsOut;
  }
  get outageMs(): Float64Array {
    return this.outage.outageMs;
  }
  get intervals(): IntervalRow[] {
    return this.iv.rows;
  }
  /** Calls dropped or degraded by each failure, in order. */
  get impacts(): CallImpact[] {
    return this.service.impacts;
  }

  get observers(): readonly TelephonyObserver[] {
    return this.events.all;
  }

  observe(o: TelephonyObserver): void {
    this.events.add(o);
    this.agentControl.listen(o);
  }

  /** `sink` books the source events of `pool` (the ICONs' record stream), before the observers. */
  recordSink(pool: number, sink: RecordSink): void {
    this.events.sink(pool, sink);
  }

  private emitCall(pool: number, ev: SourceEvent, c: number): void {
    this.events.emit(pool, ev, this.calls.serial[c]!);
  }

  poolOf(pairId: PairId): number {
    return this.layout.poolOf(pairId);
  }

  /** The SIP pool serving a site (-1 when the site has none). */
  sipPoolOfSite(site: SiteId): number {
    return this.layout.sipPoolOfSite(site);
  }

  poolInService(pool: number): boolean {
    return this.inService[pool] === 1 && !this.shutdown.draining(pool);
  }

  poolHasPrimary(pool: number): boolean {
    return this.inService[pool] === 1;
  }

  /** Calls a pool's server still carries (calls.ts carriedBy). */
  callsIn(pool: number): number {
    return this.calls.carriedBy(pool);
  }

  // ================================================================== arrivals

  /** A new call is offered at its pool: counted, its patience noted (patience.ts). */
  offer(c: number, patience: number): void {
    this.acct.offered(c, this.env.ctx.nowMs);
    this.patience.offered(c, patience);
  }

  /** The arrival is handled: a call that waits has its patience armed. */
  arrived(c: number): void {
    this.patience.arrived(c);
  }

  /** gateway-down / gateway-up of a site (SPEC §5.2). */
  setGateways(site: SiteId, up: boolean): void {
    this.entry.setGateways(site, up);
  }

  // ================================================================== calls

  private freeCall(c: number): void {
    const { ctx } = this.env;
    const calls = this.calls;
    const pool = calls.pool[c]!;
    const agentPool = calls.agentPool[c]!;
    const st = calls.state[c];
    if (st !== CallState.Pending) {
      // The agent's leg ends where the agent works; the call ends where it entered.
      const leg = calls.flags[c]! & CallFlag.CrossLeg ? agentPool : pool;
      const serial = calls.serial[c]!;
      const events = this.events;
      if (st === CallState.Talking)
        events.emitCall2(leg, SourceEvent.PartyRemoved, SourceEvent.Released, serial);
      else if (leg !== pool) events.emit(leg, SourceEvent.Released, serial);
      if (leg !== pool || st !== CallState.Talking) events.emit(pool, SourceEvent.Released, serial);
    }
    if (calls.evA[c]! >= 0) ctx.cancel(calls.evA[c]!);
    if (calls.evB[c]! >= 0) ctx.cancel(calls.evB[c]!);
    calls.release(c);
    // A draining server exits once its last call ended (most pools are not draining).
    const shutdown = this.shutdown;
    if (pool !== this.carrierPool && shutdown.draining(pool)) shutdown.callEnded(pool);
    if (agentPool >= 0 && agentPool !== pool && shutdown.draining(agentPool))
      shutdown.callEnded(agentPool);
  }

  /** A new or redirected call reaches its pool. */
  admit(c: number): void {
    this.entry.admit(c);
  }

  /** The call reached a pool in service: its server announces it, routing takes it. */
  route(c: number): void {
    const pool = this.calls.pool[c]!;
    const serial = this.calls.serial[c]!;
    this.events.emitCall2(pool, SourceEvent.CallCreated, SourceEvent.AttachedData, serial);
    if (this.isSip[pool] && !this.rp.arrive(c, this.poolSite[pool]!)) return;
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
      this.calls.evB[c] = this.env.ctx.schedule(overflowMs - waitedMs, this.hid, K_OVERFLOW, c);
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

  /** A call of pool `from` can reach an agent of pool `to` across the WAN now (cross-site.ts). */
  crossable(from: number, to: number): boolean {
    return this.cross.crossable(from, to);
  }

  /** Whether callers can reach an agent may have changed (reach.ts; the availability headline). */
  reachChanged(): void {
    this.reach.update();
    this.events.reachChanged();
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
      const inviteMs = this.cross.inviteMs(pool, agentPool);
      if (inviteMs < 0) {
        this.patience.arm(c); // routed anew after Timer B
        this.cross.holdUntilTimerB(c, a);
        return;
      }
      this.acct.overflowed(c);
      ringMs += inviteMs;
      // The agent's site's SIP Server takes the INVITE: a call of its own, which its ICON records.
      calls.flags[c]! |= CallFlag.CrossLeg;
      this.emitCall(agentPool, SourceEvent.CallCreated, c);
    }
    const owed = this.agentControl.ringingOwed(a, c, ringMs > 0);
    calls.agent[c] = a;
    calls.changedMs[c] = ctx.nowMs;
    if (ringMs > 0) {
      // The agent's site's server (its own, or the leg's) reports the ring.
      this.events.emitRinging(agentPool, owed, a, calls.serial[c]!);
      calls.state[c] = CallState.Ringing;
      calls.evB[c] = ctx.schedule(ringMs, this.hid, K_RING_END, c);
      this.patience.ringing(c, ctx.nowMs + ringMs);
    } else {
      // Answered at once: the agent's pool (the call's leg) reports ring and answer in one go.
      this.answered(c);
      this.events.emitAnswered(agentPool, owed, a, calls.serial[c]!);
      calls.evB[c] = ctx.schedule(calls.handleMs[c]!, this.hid, K_TALK_END, c);
    }
  }

  /** The call is answered after its ring (the agent was ringing). */
  private answer(c: number): void {
    const calls = this.calls;
    this.answered(c);
    const leg = calls.flags[c]! & CallFlag.CrossLeg ? calls.agentPool[c]! : calls.pool[c]!;
    this.events.emitCall2(leg, SourceEvent.Established, SourceEvent.PartyAdded, calls.serial[c]!);
    this.agentControl.talking(calls.agent[c]!);
    calls.evB[c] = this.env.ctx.schedule(calls.handleMs[c]!, this.hid, K_TALK_END, c);
  }

  /** The call is answered now: counted, the caller's patience over, talking. */
  private answered(c: number): void {
    const calls = this.calls;
    const now = this.env.ctx.nowMs;
    this.acct.answered(c, now - calls.arrMs[c]!);
    this.patience.answered(c);
    calls.state[c] = CallState.Talking;
    calls.changedMs[c] = now;
  }

  private onTalkEnd(c: number): void {
    this.calls.evB[c] = -1;
    const a = this.calls.agent[c]!;
    const svc = this.calls.svc[c]!;
    this.acct.completed(c);
    this.freeCall(c);
    this.agentControl.afterCall(a, this.services.wrapUpMs[svc]!);
  }

  /** The caller hung up before an answer (patience.ts). */
  abandon(c: number): void {
    const calls = this.calls;
    const st = calls.state[c];
    // An if, not assert's message closure: no allocation a call that abandons.
    if (st !== CallState.Queued && st !== CallState.Pending && st !== CallState.Ringing)
      assert(false, `abandon of a call in state ${st}`);
    this.acct.abandoned(c);
    this.events.lost(calls.site[c]!, 'abandoned', calls.svc[c]!);
    const a = calls.agent[c]!;
    this.freeCall(c);
    if (a >= 0) {
      this.agents.call[a] = -1;
      this.agentControl.becomeReady(a);
    }
  }

  /** Refused at entry (INVITE timeout, or 603 during a graceful shutdown). */
  reject(c: number): void {
    this.acct.rejected(c);
    this.events.lost(this.calls.site[c]!, 'rejected', this.calls.svc[c]!);
    this.freeCall(c);
  }

  // ================================================================== agents
  // Logins, logouts, Ready / NotReady and the desktop's connection: agentControl (agent-control.ts).

  /** `d` more agents of a group are scheduled at a site (shifts: intervals' agents_scheduled). */
  addScheduled(site: SiteId, group: number, d: number): void {
    const s = this.sites.indexOf(site);
    if (s < 0) return;
    this.iv.addScheduled(s, group, d);
    if (this.reach.addScheduled(group, d)) this.reachChanged();
  }

  /** Matches queued calls with ready agents, longest idle first (a router serves again). */
  routersChanged(): void {
    this.router.dispatch(this.env.ctx.nowMs);
  }

  // ================================================================== failures

  inServiceChanged(pool: number): void {
    this.events.serviceChanged(pool);
  }

  poolServiceChanged(pool: number, inService: boolean): void {
    this.events.poolService(pool, inService);
  }

  serviceBack(pool: number): void {
    // Calls whose INVITE was still being retransmitted get through now.
    this.router.drainPending(pool, (c) => {
      if (this.calls.evB[c]! >= 0) this.env.ctx.cancel(this.calls.evB[c]!);
      this.calls.evB[c] = -1;
      this.route(c);
    });
    this.router.dispatch(this.env.ctx.nowMs);
    this.agentControl.reassessPool(pool);
    const site = this.poolSite[pool]!;
    if (this.sitePool[site] === pool) this.entry.gateways.poolBack(site);
  }

  /** The call lost its control or data at `pool`'s server; false when it had already (counted once). */
  degrade(c: number, pool: number): boolean {
    this.events.callDegraded(pool, this.calls.serial[c]!);
    if (this.calls.flags[c]! & CallFlag.Degraded) return false;
    this.calls.flags[c]! |= CallFlag.Degraded;
    this.acct.degraded(c);
    return true;
  }

  /** A call cut by a fault (counted once, in the interval of its entry site). */
  dropCall(c: number): void {
    const a = this.calls.agent[c]!;
    const site = this.calls.site[c]!;
    this.acct.dropped(c);
    this.events.lost(site, 'dropped', this.calls.svc[c]!);
    this.freeCall(c);
    if (a >= 0 && this.agents.call[a] === c) this.agentControl.afterCall(a, 0);
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
   * A call leaves `from` for the peer pool `to` (graceful shutdown): a queued call, announced on
   * `from` at route(), is reported released there; admit() announces it on `to` as a new call.
   */
  moveCall(c: number, from: number, to: number): void {
    if (this.calls.state[c] === CallState.Queued) this.emitCall(from, SourceEvent.Released, c);
    this.calls.move(c, to);
    this.acct.totals.redirected++;
    this.events.callMoved(from, to, this.calls.serial[c]!);
  }

  // ================================================================== end of run

  /** Closes the open interval and outages at the end of the run. */
  finish(endMs: number): void {
    this.iv.close(endMs);
    this.outage.finish(endMs);
  }

  /** Conservation: each offered call has one outcome or is in progress; the queues' counts hold. */
  checkConservation(): void {
    this.calls.assertConserved(this.acct.totals);
    this.router.checkEntries();
  }

  // ================================================================== events

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_RING_END:
        this.calls.evB[arg] = -1;
        return this.answer(arg);
      case K_TALK_END:
        return this.onTalkEnd(arg);
      case K_OVERFLOW:
        return this.onOverflowDue(arg);
      default:
        assert(false, `Telephony: unknown event kind ${kind}`);
    }
  }
}
