// The gateways in front of each site: a site whose SIP Server let an INVITE time out is marked
// down and its calls go to another site; SIP OPTIONS pings every gateway-options-interval from
// the marking find it back once its SIP Server serves again. Leaves out: per-gateway state.

import { tickAtOrAfter, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';

export class Gateways implements Handler {
  private readonly down: Uint8Array;
  private readonly downAtMs: Float64Array;
  private readonly probing: Uint8Array;

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none). */
    private readonly sitePool: Int32Array,
    private readonly poolInService: (pool: number) => boolean,
    /** A site was marked down or up (the availability headline reads it). */
    private readonly changed: () => void = () => {},
  ) {
    const n = sites.length;
    this.down = new Uint8Array(n);
    this.downAtMs = new Float64Array(n);
    this.probing = new Uint8Array(n);
  }

  isDown(site: number): boolean {
    return this.down[site] === 1;
  }

  /** Where a gateway sends a call for `site`: that site, or another it can reach (-1: none). */
  otherSite(site: number): number {
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      if (!this.down[s] && this.sitePool[s]! >= 0) return s;
    }
    return -1;
  }

  /** An INVITE to the site timed out. */
  markDown(site: number): void {
    if (this.down[site]) return;
    const { ctx } = this.env;
    this.down[site] = 1;
    this.downAtMs[site] = ctx.nowMs;
    ctx.trace(`gateway:${this.sites[site]}`, 'site-marked-down', 'invite-timeout');
    this.scheduleProbe(site);
    this.changed();
  }

  /** The site's SIP pool serves again: a probe will find it. */
  poolBack(site: number): void {
    if (this.down[site]) this.scheduleProbe(site);
  }

  /** OPTIONS pings to a site marked down run every gateway-options-interval from the marking. */
  private scheduleProbe(site: number): void {
    const { ctx, opts } = this.env;
    if (this.probing[site]) return;
    const pool = this.sitePool[site]!;
    if (pool < 0 || !this.poolInService(pool)) return; // probed again when the pool returns
    const period = opts.ms('gateway-options-interval');
    const from = this.downAtMs[site]!;
    const at = tickAtOrAfter(from, period, Math.max(ctx.nowMs, from + period));
    this.probing[site] = 1;
    ctx.scheduleAt(at, this, 0, site);
  }

  onEvent(_kind: number, site: number): void {
    this.probing[site] = 0;
    const pool = this.sitePool[site]!;
    if (pool >= 0 && this.poolInService(pool)) {
      this.down[site] = 0;
      this.env.ctx.trace(`gateway:${this.sites[site]}`, 'site-marked-up', 'options-ping');
      this.changed();
    }
  }
}
