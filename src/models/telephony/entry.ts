// Where a call enters (DOMAIN §6, SPEC §5.2): each arrival (arrivals.ts) is offered by the
// carrier to the gateways of the caller's site (carrier.ts), which send it to that site's SIP
// pool, or to another site's once they marked the site down (gateways.ts) after an INVITE to it
// timed out. A T-Server pair's calls come on its own trunk, with no gateways in front. Calls the
// carrier still offers to gateways that do not answer wait here until carrier-detect-time
// refuses them.

import { assert, exponential, type Handler, type HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { SiteId, TrafficSpec } from '../../spec/types.js';
import { addTrafficStreams, Arrivals, type ArrivalSink } from './arrivals.js';
import { CallState, type CallPool } from './calls.js';
import { Carrier } from './carrier.js';
import { Gateways } from './gateways.js';
import type { PoolLayout } from './layout.js';
import type { Router } from './routing.js';
import type { Services } from './services.js';
import type { GracefulShutdown } from './shutdown.js';

const K_CARRIER_TIMEOUT = 1;
const K_INVITE_TIMEOUT = 2;

/** What call entry asks of telephony. */
export interface EntryHost {
  readonly calls: CallPool;
  /** Per pool: 1 for a SIP pool, 0 for a T-Server pair's (PoolLayout.isSip). */
  readonly isSip: Uint8Array;
  readonly services: Services;
  /** A new call is offered (counted) and its patience noted (-1: a caller who waits forever). */
  offer(c: number, patience: number): void;
  /** The arrival is handled: a call that waits has its patience armed. */
  arrived(c: number): void;
  /** The call reached a pool in service: routing takes it. */
  route(c: number): void;
  /** Refused at entry. */
  reject(c: number): void;
  poolInService(pool: number): boolean;
  /** A site's callers may have gained or lost their way to an agent. */
  reachChanged(): void;
}

export class CallEntry implements ArrivalSink, Handler {
  readonly gateways: Gateways;
  readonly carrier: Carrier;
  private arrivals: Arrivals | undefined;
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none). */
    private readonly sitePool: Int32Array,
    /** The call pool's slot for calls the carrier still offers to gateways that do not answer. */
    readonly carrierPool: number,
    /** Per pool: 1 while its pair has a primary in service. */
    private readonly inService: Uint8Array,
    private readonly shutdown: GracefulShutdown,
    private readonly router: Router,
    private readonly host: EntryHost,
  ) {
    this.hid = env.ctx.handler(this);
    this.gateways = new Gateways(
      env,
      sites,
      sitePool,
      (pool) => host.poolInService(pool),
      () => host.reachChanged(),
    );
    this.carrier = new Carrier(env, sites, sitePool, () => host.reachChanged());
  }

  /** The traffic's arrival streams start. */
  startArrivals(traffic: TrafficSpec | undefined, layout: PoolLayout): void {
    this.arrivals = new Arrivals(this.env, this);
    if (traffic) addTrafficStreams(this.arrivals, traffic, layout, this.host.services);
    this.arrivals.start();
  }

  onArrival(i: number): void {
    const s = this.arrivals!.streams[i]!;
    const host = this.host;
    const handle = Math.max(1, s.handle.drawMs(s.callRng));
    const patience = s.patienceMs < 0 ? -1 : Math.round(exponential(s.callRng, s.patienceMs));
    const now = this.env.ctx.nowMs;
    const calls = host.calls;
    if (!host.isSip[s.pool]) {
      // A T-Server pair's own trunk: no gateways in front of it.
      const c = calls.alloc(s.pool, s.site, s.svc, handle, now);
      host.offer(c, patience);
      this.admit(c);
      host.arrived(c);
      return;
    }
    // The carrier and the gateways send the call where the caller is, unless they marked that
    // site down (read here first: the usual case costs no call).
    const entry = this.carrier.trunkDown[s.site] ? this.carrier.entrySite(s.site) : s.site;
    if (entry < 0) {
      // The carrier has marked every site's trunk down: it has nowhere to send the call.
      const c = calls.alloc(this.carrierPool, s.site, s.svc, handle, now);
      host.offer(c, -1);
      host.reject(c);
      return;
    }
    if (this.carrier.gatewaysDown(entry)) {
      // The INVITE to the site's gateways goes unanswered until carrier-detect-time.
      const c = calls.alloc(this.carrierPool, entry, s.svc, handle, now);
      host.offer(c, patience);
      this.carrier.held[entry]!.push(c, calls.gen[c]!);
      calls.evB[c] = this.env.ctx.schedule(
        this.env.opts.ms('carrier-detect-time'),
        this.hid,
        K_CARRIER_TIMEOUT,
        c,
      );
      host.arrived(c);
      return;
    }
    const site = this.gateways.siteDown[entry] ? this.gatewayTarget(entry) : entry;
    const c = calls.alloc(this.sitePool[site]!, site, s.svc, handle, now);
    host.offer(c, patience);
    this.admit(c);
    host.arrived(c);
  }

  /**
   * The site whose SIP pool a site's gateways send a call to: the site itself, or another it
   * can reach when it marked the site down (itself when there is none).
   */
  gatewayTarget(site: number): number {
    if (!this.gateways.isDown(site)) return site;
    const other = this.gateways.otherSite(site);
    return other >= 0 ? other : site;
  }

  /**
   * The site whose SIP pool receives the calls of a site's callers now: -1 while the carrier
   * has nowhere to send them or still offers them to gateways that are down.
   */
  servingSite(site: number): number {
    const entry = this.carrier.entrySite(site);
    if (entry < 0 || this.carrier.gatewaysDown(entry)) return -1;
    return this.gatewayTarget(entry);
  }

  /**
   * A new or redirected call reaches its pool: refused while the pool drains (graceful
   * shutdown); while the SIP pool has no primary in service the gateway's INVITE goes unanswered
   * and gives up after gateway-detect-time.
   */
  admit(c: number): void {
    const calls = this.host.calls;
    const pool = calls.pool[c]!;
    if (this.shutdown.draining(pool)) {
      this.shutdown.refuse(c);
      return;
    }
    if (!this.inService[pool] && this.host.isSip[pool]) {
      this.router.enqueuePending(c);
      calls.evB[c] = this.env.ctx.schedule(
        this.env.opts.ms('gateway-detect-time'),
        this.hid,
        K_INVITE_TIMEOUT,
        c,
      );
      return;
    }
    this.host.route(c);
  }

  /** The gateway's INVITE to a SIP pool timed out: the call is refused, the site marked down. */
  private onInviteTimeout(c: number): void {
    const calls = this.host.calls;
    calls.evB[c] = -1;
    assert(calls.state[c] === CallState.Pending, 'INVITE timeout of a call that is not pending');
    const site = calls.site[c]!;
    this.host.reject(c);
    this.gateways.markDown(site);
  }

  /** The carrier's INVITE to dead gateways timed out: the call is refused, the trunk marked down. */
  private onCarrierTimeout(c: number): void {
    const calls = this.host.calls;
    calls.evB[c] = -1;
    assert(
      calls.state[c] === CallState.Pending && calls.pool[c] === this.carrierPool,
      'carrier timeout of a call the carrier does not hold',
    );
    const site = calls.site[c]!;
    this.host.reject(c);
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
    const calls = this.host.calls;
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

  onEvent(kind: number, arg: number): void {
    if (kind === K_INVITE_TIMEOUT) return this.onInviteTimeout(arg);
    assert(kind === K_CARRIER_TIMEOUT, () => `CallEntry: unknown event kind ${kind}`);
    this.onCarrierTimeout(arg);
  }
}
