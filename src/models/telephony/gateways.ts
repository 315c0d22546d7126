// The gateways in front of each site: a site whose SIP Server let an INVITE time out is marked
// down and its calls go to another site; SIP OPTIONS pings every gateway-options-interval from
// the marking find it back once its SIP Server serves again (marked-down.ts). Leaves out:
// per-gateway state.

import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';
import { MarkedDown } from './marked-down.js';

export class Gateways {
  private readonly marks: MarkedDown;
  /** Per site, 1 while the gateways have it marked down (MarkedDown.down; read-only). */
  readonly siteDown: Uint8Array;

  constructor(
    env: Env,
    sites: readonly SiteId[],
    /** The SIP pool serving calls entering each site (-1: none). */
    sitePool: Int32Array,
    poolInService: (pool: number) => boolean,
    /** A site was marked down or up (the availability headline reads it). */
    changed: () => void = () => {},
  ) {
    this.marks = new MarkedDown(
      env,
      sites,
      sitePool,
      'gateway-options-interval',
      (site) => {
        const pool = sitePool[site]!;
        return pool >= 0 && poolInService(pool);
      },
      { who: 'gateway', what: 'site' },
      changed,
    );
    this.siteDown = this.marks.down;
  }

  isDown(site: number): boolean {
    return this.marks.isDown(site);
  }

  /** Where a gateway sends a call for `site`: that site, or another it can reach (-1: none). */
  otherSite(site: number): number {
    return this.marks.otherSite(site);
  }

  /** An INVITE to the site timed out. */
  markDown(site: number): void {
    this.marks.mark(site);
  }

  /** The site's SIP pool serves again: a probe will find it. */
  poolBack(site: number): void {
    this.marks.answering(site);
  }
}
