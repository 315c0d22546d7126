// Can callers reach an agent: what the availability headline reads (availability.ts). A site's
// callers are served while the carrier offers their calls to gateways that answer, those
// gateways' SIP pool serves, and routing can reach an agent from it (routing.ts).

import type { AgentControl } from './agent-control.js';
import type { CallEntry } from './entry.js';
import type { Router } from './routing.js';
import type { Services } from './services.js';
import type { GracefulShutdown } from './shutdown.js';
import type { SiteId } from '../../spec/types.js';

export class Reach {
  /** Sites some calls enter through (indexes). */
  readonly entrySites: readonly number[];

  constructor(
    private readonly entry: CallEntry,
    /** The SIP pool serving calls entering each site (-1: none). */
    private readonly sitePool: Int32Array,
    private readonly shutdown: GracefulShutdown,
    private readonly router: Router,
    private readonly desk: AgentControl,
    private readonly poolInService: (pool: number) => boolean,
    services: Services,
    sites: readonly SiteId[],
  ) {
    this.entrySites = services.entrySites(sites);
  }

  /**
   * The callers of a site can reach an agent now: the carrier offers their calls to gateways
   * that answer (not while it still sends them to gateways that are down), and those gateways'
   * SIP pool is in service (not while their INVITEs time out before the gateways mark the site
   * down) with an agent routing can reach (routing.ts).
   */
  siteServed(site: number): boolean {
    const target = this.entry.servingSite(site);
    if (target < 0) return false;
    const pool = this.sitePool[target]!;
    if (pool < 0) return false;
    const reachable = this.desk.reachableIn;
    if (this.shutdown.draining(pool))
      return this.router.siteServed(target, this.sitePool, reachable);
    return this.poolInService(pool) && this.router.reachableFrom(pool, reachable);
  }

  /** Some agent is logged in and connected through a pool in service. */
  agentsReachable(): boolean {
    return this.desk.reachableIn.some((n) => n > 0);
  }
}
