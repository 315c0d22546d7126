// The carrier in front of the sites' gateways (SPEC §5.2 `gateway-down` / `gateway-up`): it
// offers each call to the gateways of the caller's site. While a site's gateways are down the
// carrier keeps offering them calls, each refused when its INVITE times out
// (carrier-detect-time); the first timeout marks the site's trunk down and the carrier then
// sends that site's callers to another site's gateways. SIP OPTIONS pings every
// carrier-options-interval from the marking find the trunk back once the gateways answer again.
// Leaves out: per-call route advance, partial gateway capacity, several carriers.

import { tickAtOrAfter, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';
import { IdFifo } from '../traffic/ring.js';

export class Carrier implements Handler {
  /** The site's gateways take no call (gateway-down). */
  private readonly gatewaysOut: Uint8Array;
  /** The carrier's view: the site's trunk is marked down (calls go elsewhere). */
  private readonly trunkDown: Uint8Array;
  private readonly downAtMs: Float64Array;
  private readonly probing: Uint8Array;
  /** Calls whose INVITE to the site's gateways is still unanswered (id, generation). */
  readonly held: IdFifo[];

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none). */
    private readonly sitePool: Int32Array,
    /** The carrier's view of the gateways changed (the availability headline reads it). */
    private readonly changed: () => void,
  ) {
    const n = sites.length;
    this.gatewaysOut = new Uint8Array(n);
    this.trunkDown = new Uint8Array(n);
    this.downAtMs = new Float64Array(n);
    this.probing = new Uint8Array(n);
    this.held = Array.from({ length: n }, () => new IdFifo());
  }

  /** The site's gateways are down (whatever the carrier knows). */
  gatewaysDown(site: number): boolean {
    return this.gatewaysOut[site] === 1;
  }

  /** The carrier has marked the site's trunk down. */
  isMarkedDown(site: number): boolean {
    return this.trunkDown[site] === 1;
  }

  /**
   * The site whose gateways the carrier offers a call of `site`'s callers: that site unless
   * its trunk is marked down, else another site with a SIP pool whose trunk is not (-1: none).
   */
  entrySite(site: number): number {
    if (!this.trunkDown[site]) return site;
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      if (!this.trunkDown[s] && this.sitePool[s]! >= 0) return s;
    }
    return -1;
  }

  /** gateway-down: the site's gateways stop taking calls in. */
  down(site: number): void {
    if (this.gatewaysOut[site]) return;
    this.gatewaysOut[site] = 1;
    this.env.ctx.trace(`gateway:${this.sites[site]}`, 'gateways-down', 'fault');
    this.changed();
  }

  /** gateway-up: the gateways take calls again; the carrier finds them on its next probe. */
  up(site: number): void {
    if (!this.gatewaysOut[site]) return;
    this.gatewaysOut[site] = 0;
    this.env.ctx.trace(`gateway:${this.sites[site]}`, 'gateways-up', 'fault');
    if (this.trunkDown[site]) this.scheduleProbe(site);
    this.changed();
  }

  /** A call's INVITE to the site's gateways timed out: the carrier marks the trunk down. */
  markDown(site: number): void {
    if (this.trunkDown[site]) return;
    const { ctx } = this.env;
    this.trunkDown[site] = 1;
    this.downAtMs[site] = ctx.nowMs;
    ctx.trace(`carrier:${this.sites[site]}`, 'trunk-marked-down', 'invite-timeout');
    this.scheduleProbe(site);
    this.changed();
  }

  /** OPTIONS pings to a trunk marked down, every carrier-options-interval from the marking. */
  private scheduleProbe(site: number): void {
    if (this.probing[site] || this.gatewaysOut[site]) return; // probed again at gateway-up
    const { ctx, opts } = this.env;
    const period = opts.ms('carrier-options-interval');
    const from = this.downAtMs[site]!;
    const at = tickAtOrAfter(from, period, Math.max(ctx.nowMs, from + period));
    this.probing[site] = 1;
    ctx.scheduleAt(at, this, 0, site);
  }

  onEvent(_kind: number, site: number): void {
    this.probing[site] = 0;
    if (this.gatewaysOut[site] || !this.trunkDown[site]) return;
    this.trunkDown[site] = 0;
    this.env.ctx.trace(`carrier:${this.sites[site]}`, 'trunk-marked-up', 'options-ping');
    this.changed();
  }
}
