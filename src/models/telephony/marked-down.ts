// A SIP element's view of the sites it sends INVITEs to: a site whose INVITE timed out is marked
// down and its calls go to another site; SIP OPTIONS pings every `interval` from the marking find
// it back once it answers again. Written once for the two elements that do it: the gateways in
// front of the SIP sites (gateways.ts) and the carrier in front of the gateways (carrier.ts).

import { tickAtOrAfter, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { OptionName } from '../options.js';
import type { SiteId } from '../../spec/types.js';

/** How a marking shows in the trace: `<who>:<site>` with `<what>-marked-down` / `-up`. */
export interface MarkTrace {
  readonly who: string;
  readonly what: string;
}

export class MarkedDown implements Handler {
  /** Per site, 1 while it is marked down (read it, never write it, outside this class). */
  readonly down: Uint8Array;
  private readonly downAtMs: Float64Array;
  private readonly probing: Uint8Array;

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none: never a place to send calls). */
    private readonly sitePool: Int32Array,
    /** The option giving the OPTIONS ping interval. */
    private readonly interval: OptionName,
    /** The site would answer an OPTIONS ping now. */
    private readonly answers: (site: number) => boolean,
    private readonly names: MarkTrace,
    /** A site was marked down or up. */
    private readonly changed: () => void,
  ) {
    const n = sites.length;
    this.down = new Uint8Array(n);
    this.downAtMs = new Float64Array(n);
    this.probing = new Uint8Array(n);
  }

  isDown(site: number): boolean {
    return this.down[site] === 1;
  }

  /** The first other site (in site order after `site`) not marked down and with a SIP pool; -1: none. */
  otherSite(site: number): number {
    for (let k = 1; k < this.sites.length; k++) {
      const s = (site + k) % this.sites.length;
      if (!this.down[s] && this.sitePool[s]! >= 0) return s;
    }
    return -1;
  }

  /** An INVITE to the site timed out: mark it down and ping it. */
  mark(site: number): void {
    if (this.down[site]) return;
    const { ctx } = this.env;
    this.down[site] = 1;
    this.downAtMs[site] = ctx.nowMs;
    ctx.trace(
      `${this.names.who}:${this.sites[site]}`,
      `${this.names.what}-marked-down`,
      'invite-timeout',
    );
    this.scheduleProbe(site);
    this.changed();
  }

  /** The site answers again: a ping will find it (pings stop while it cannot answer). */
  answering(site: number): void {
    if (this.down[site]) this.scheduleProbe(site);
  }

  /** OPTIONS pings to a site marked down, every `interval` from the marking. */
  private scheduleProbe(site: number): void {
    if (this.probing[site] || !this.answers(site)) return; // pinged again from answering()
    const { ctx, opts } = this.env;
    const period = opts.ms(this.interval);
    const from = this.downAtMs[site]!;
    const at = tickAtOrAfter(from, period, Math.max(ctx.nowMs, from + period));
    this.probing[site] = 1;
    ctx.scheduleAt(at, this, 0, site);
  }

  onEvent(_kind: number, site: number): void {
    this.probing[site] = 0;
    if (!this.down[site] || !this.answers(site)) return;
    this.down[site] = 0;
    this.env.ctx.trace(
      `${this.names.who}:${this.sites[site]}`,
      `${this.names.what}-marked-up`,
      'options-ping',
    );
    this.changed();
  }
}
