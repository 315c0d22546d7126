// The routing point of each site and its Universal Routing Server pair (SPEC §5.1, DOMAIN §12):
// while a router of the site is in service, calls are routed by the routing policy; while the
// pair has no primary in service but a member runs, calls wait at the routing point up to
// router-timeout; then, and whenever no router of the site runs (or the site has no routing
// pair), they take the site's default route: its local agents only. For whether callers can
// reach an agent (reach.ts), a site whose pair has had no primary for less than router-timeout
// still routes by the policy: its calls only wait for the router (routesByPolicy).

import { mapObjects, TimerSlot, type Handler, type HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { HaPair } from '../ha-pair/pair.js';
import { IdFifo } from '../traffic/ring.js';
import { CallState, CallFlag, type CallPool } from './calls.js';

/** What the routing points ask of telephony. */
export interface RoutingPointHost {
  readonly calls: CallPool;
  /** Route the call now (it left the routing point). */
  routeNow(c: number): void;
  /** A router came back: queued calls may now cross sites. */
  routersChanged(): void;
  /** Whether callers can reach an agent may have changed (the availability headline). */
  reachChanged(): void;
}

export const enum RouterState {
  /** A router of the site is in service: the routing policy applies. */
  Serving = 0,
  /** The pair has no primary in service, a member runs: calls wait at the routing point. */
  Waiting = 1,
  /** No router runs (or none is configured): the default route. */
  Default = 2,
}

export class RoutingPoints implements Handler {
  private readonly waiting: IdFifo[];
  /** Per site, since when its pair has run without a primary in service (-1: it has not). */
  private readonly waitingSinceMs: Float64Array;
  /** Per site, router-timeout after waitingSinceMs: calls start taking the default route. */
  private readonly timeout: TimerSlot[];
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    private readonly env: Env,
    /** Per site, its routing pair (undefined: none). */
    private readonly pairs: readonly (HaPair | undefined)[],
    private readonly host: RoutingPointHost,
  ) {
    this.hid = env.ctx.handler(this);
    this.waiting = mapObjects(pairs, () => new IdFifo());
    this.waitingSinceMs = new Float64Array(pairs.length).fill(-1);
    this.timeout = mapObjects(pairs, () => new TimerSlot(env.ctx));
    pairs.forEach((p, site) => {
      p?.onStateChange(() => this.onPairChanged(site));
      this.trackWaiting(site, this.state(site));
    });
  }

  state(site: number): RouterState {
    const p = this.pairs[site];
    if (p === undefined) return RouterState.Default;
    if (p.primaryInService() !== undefined) return RouterState.Serving;
    return p.members.some((m) => m.up) ? RouterState.Waiting : RouterState.Default;
  }

  /** A router of the site is in service. */
  serving(site: number): boolean {
    return this.state(site) === RouterState.Serving;
  }

  /**
   * The site's calls are routed by the policy: a router serves, or the pair has run without a
   * primary for less than router-timeout (a call entering now waits for it; the first default
   * route is router-timeout after the pair lost its primary).
   */
  routesByPolicy(site: number): boolean {
    const st = this.state(site);
    if (st === RouterState.Serving) return true;
    const since = this.waitingSinceMs[site]!;
    return (
      st === RouterState.Waiting &&
      since >= 0 &&
      this.env.ctx.nowMs - since < this.env.opts.ms('router-timeout')
    );
  }

  /** Keeps the start of the site's waiting episode, and tells reach when router-timeout ends it. */
  private trackWaiting(site: number, st: RouterState): void {
    if (st !== RouterState.Waiting) {
      this.waitingSinceMs[site] = -1;
      this.timeout[site]!.cancel();
      return;
    }
    if (this.waitingSinceMs[site]! >= 0) return;
    this.waitingSinceMs[site] = this.env.ctx.nowMs;
    this.timeout[site]!.arm(this.env.opts.ms('router-timeout'), () => this.host.reachChanged());
  }

  /**
   * The call reaches its site's routing point. True: route it now (flagged for the default
   * route when no router can serve); false: it waits here (Pending, up to router-timeout).
   */
  arrive(c: number, site: number): boolean {
    const calls = this.host.calls;
    if (calls.flags[c]! & CallFlag.DefaultRoute) return true;
    const st = this.state(site);
    if (st === RouterState.Serving) return true;
    if (st === RouterState.Default) {
      calls.flags[c]! |= CallFlag.DefaultRoute;
      return true;
    }
    calls.state[c] = CallState.Pending;
    calls.flags[c]! |= CallFlag.AtRoutingPoint;
    this.waiting[site]!.push(c, calls.gen[c]!);
    calls.evB[c] = this.env.ctx.schedule(this.env.opts.ms('router-timeout'), this.hid, 0, c);
    return false;
  }

  /** router-timeout: the call takes the default route. */
  onEvent(_kind: number, c: number): void {
    const calls = this.host.calls;
    calls.evB[c] = -1;
    if (!(calls.flags[c]! & CallFlag.AtRoutingPoint)) return;
    calls.flags[c]! &= ~CallFlag.AtRoutingPoint;
    calls.flags[c]! |= CallFlag.DefaultRoute;
    this.host.routeNow(c);
  }

  private onPairChanged(site: number): void {
    const st = this.state(site);
    this.trackWaiting(site, st);
    if (st !== RouterState.Waiting) {
      // Served again, or no router left: the waiting calls leave the routing point now.
      const q = this.waiting[site]!;
      const calls = this.host.calls;
      while (q.shift()) {
        const c = q.poppedId;
        if (calls.gen[c] !== q.poppedGen || !(calls.flags[c]! & CallFlag.AtRoutingPoint)) continue;
        if (calls.evB[c]! >= 0) this.env.ctx.cancel(calls.evB[c]!);
        calls.evB[c] = -1;
        calls.flags[c]! &= ~CallFlag.AtRoutingPoint;
        if (st === RouterState.Default) calls.flags[c]! |= CallFlag.DefaultRoute;
        this.host.routeNow(c);
      }
    }
    if (st === RouterState.Serving) this.host.routersChanged();
  }
}
