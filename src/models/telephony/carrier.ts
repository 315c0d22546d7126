// The carrier in front of the sites' gateways (SPEC §5.2 `gateway-down` / `gateway-up`): it
// offers each call to the gateways of the caller's site. While a site's gateways are down the
// carrier keeps offering them calls, each refused when its INVITE times out
// (carrier-detect-time); the first timeout marks the site's trunk down and the carrier then
// sends that site's callers to another site's gateways. SIP OPTIONS pings every
// carrier-options-interval from the marking find the trunk back once the gateways answer again
// (marked-down.ts).
// Leaves out: per-call route advance, partial gateway capacity, several carriers.

import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';
import { IdFifo } from '../traffic/ring.js';
import { MarkedDown } from './marked-down.js';

export class Carrier {
  /** The site's gateways take no call (gateway-down). */
  private readonly gatewaysOut: Uint8Array;
  /** Per site, 1 while the carrier has its trunk marked down (MarkedDown.down; read-only). */
  readonly trunkDown: Uint8Array;
  /** The carrier's view: the site's trunk is marked down (calls go elsewhere). */
  private readonly trunks: MarkedDown;
  /** Calls whose INVITE to the site's gateways is still unanswered (id, generation). */
  readonly held: IdFifo[];

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none). */
    sitePool: Int32Array,
    /** The carrier's view of the gateways changed (the availability headline reads it). */
    private readonly changed: () => void,
  ) {
    const n = sites.length;
    this.gatewaysOut = new Uint8Array(n);
    this.trunks = new MarkedDown(
      env,
      sites,
      sitePool,
      'carrier-options-interval',
      (site) => !this.gatewaysOut[site],
      { who: 'carrier', what: 'trunk' },
      changed,
    );
    this.trunkDown = this.trunks.down;
    this.held = Array.from({ length: n }, () => new IdFifo());
  }

  /** The site's gateways are down (whatever the carrier knows). */
  gatewaysDown(site: number): boolean {
    return this.gatewaysOut[site] === 1;
  }

  /** The carrier has marked the site's trunk down. */
  isMarkedDown(site: number): boolean {
    return this.trunks.isDown(site);
  }

  /**
   * The site whose gateways the carrier offers a call of `site`'s callers: that site unless
   * its trunk is marked down, else another site with a SIP pool whose trunk is not (-1: none).
   */
  entrySite(site: number): number {
    return this.trunks.isDown(site) ? this.trunks.otherSite(site) : site;
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
    this.trunks.answering(site);
    this.changed();
  }

  /** A call's INVITE to the site's gateways timed out: the carrier marks the trunk down. */
  markDown(site: number): void {
    this.trunks.mark(site);
  }
}
