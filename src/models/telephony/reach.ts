// Can callers reach an agent: what the availability headline reads (availability.ts), per entry
// site and service. A service's callers entering at a site are served while the carrier offers
// their calls to gateways that answer, those gateways' SIP pool serves, and routing can deliver
// the call to an agent of one of the service's groups: through that pool, or under local-first
// or pooled through another site's pool the call can cross to (both SIP Server pairs in service,
// no partition between their primaries, a router of the entry site in service or, for up to
// router-timeout, awaited at its routing point; routing.ts, routing-point.ts).
// A service counts only in its opening hours: while one of its groups is on shift, from the
// moment one of its agents can take calls (agents logging in at a shift's start, or at the
// start of the run, is not an outage) — closed hours are not an outage.
// Kept up to date on agent, shift and fault changes, never per call.

import { mapObjects } from '../../sim/index.js';
import type { AgentControl } from './agent-control.js';
import type { CallEntry } from './entry.js';
import type { Router } from './routing.js';
import type { Services } from './services.js';
import type { GracefulShutdown } from './shutdown.js';
import type { SiteId } from '../../spec/types.js';

export class Reach {
  /** Sites some calls enter through (indexes). */
  readonly entrySites: readonly number[];
  /** Per site, the services some of whose calls enter there. */
  private readonly entering: Int32Array[];
  /** Per service, the sites some of its calls enter (empty: it has no calls). */
  private readonly entryOf: Int32Array[];
  /** Services with calls (indexes): those the headline reads, each with its own availability. */
  readonly offered: readonly number[];
  /** Per group, its agents on shift. */
  private readonly scheduled: Int32Array;
  /** Per service, 1 in its opening hours (counted by the headline). */
  private readonly open: Uint8Array;
  private readonly nGroup: number;

  constructor(
    private readonly entry: CallEntry,
    /** The SIP pool serving calls entering each site (-1: none). */
    private readonly sitePool: Int32Array,
    private readonly shutdown: GracefulShutdown,
    private readonly router: Router,
    private readonly desk: AgentControl,
    private readonly poolInService: (pool: number) => boolean,
    /**
     * A call of pool `from` can cross to an agent of pool `to` now, or will once it waited for
     * its site's router (cross-site.ts crossable with `waiting`).
     */
    private readonly crossable: (from: number, to: number) => boolean,
    private readonly services: Services,
    sites: readonly SiteId[],
    groups: number,
  ) {
    this.entrySites = services.entrySites(sites);
    this.entering = mapObjects(sites, (site) =>
      Int32Array.from(
        services.list.flatMap((v, i) =>
          !v.tserver && v.callsPerHour > 0 && (v.siteSplit[site] ?? 0) > 0 ? [i] : [],
        ),
      ),
    );
    this.entryOf = mapObjects(services.list, (_, v) =>
      Int32Array.from(this.entrySites.filter((s) => this.entering[s]!.includes(v))),
    );
    this.offered = services.list.flatMap((_, v) => (this.entryOf[v]!.length > 0 ? [v] : []));
    this.nGroup = Math.max(1, groups);
    this.scheduled = new Int32Array(this.nGroup);
    this.open = new Uint8Array(services.count);
  }

  /** `d` more agents of a group are on shift; true when the group went from none to some or back. */
  addScheduled(group: number, d: number): boolean {
    const was = this.scheduled[group]! > 0;
    this.scheduled[group]! += d;
    return was !== this.scheduled[group]! > 0;
  }

  /** Opens and closes the services' hours after a change of agents or shifts. */
  update(): void {
    const { groupsOf } = this.services;
    for (let v = 0; v < this.open.length; v++) {
      const groups = groupsOf[v]!;
      let onShift = false;
      for (let k = 0; k < groups.length && !onShift; k++) onShift = this.scheduled[groups[k]!]! > 0;
      if (!onShift) this.open[v] = 0;
      else if (!this.open[v] && this.anyReachable(groups)) this.open[v] = 1;
    }
  }

  /** Some agent of the groups is logged in and connected through a pool in service. */
  private anyReachable(groups: Int32Array): boolean {
    const r = this.desk.reachableGroup;
    for (let i = 0; i < r.length; i += this.nGroup)
      for (let k = 0; k < groups.length; k++) if (r[i + groups[k]!]! > 0) return true;
    return false;
  }

  /** Some service is in its opening hours. */
  anyOpen(): boolean {
    return this.open.some((o) => o === 1);
  }

  /** Every service in its opening hours can reach an agent from every site its calls enter. */
  callersServed(): boolean {
    for (const s of this.entrySites)
      for (const v of this.entering[s]!) if (this.open[v] && !this.served(s, v)) return false;
    return true;
  }

  /**
   * Service `svc`'s callers can reach an agent of its groups from every site its calls enter,
   * or the service is closed (none of its groups on shift): its own availability.
   */
  serviceServed(svc: number): boolean {
    if (!this.open[svc]) return true;
    const sites = this.entryOf[svc]!;
    for (let k = 0; k < sites.length; k++) if (!this.served(sites[k]!, svc)) return false;
    return true;
  }

  /**
   * A call of service `svc` entering at `site` now could reach an agent: the carrier offers it to
   * gateways that answer (not while it still sends them to gateways that are down), and those
   * gateways' SIP pool is in service (not while their INVITEs time out before the gateways mark
   * the site down) with an agent of the service routing can reach. While that pool drains
   * (graceful shutdown) its new calls go where the shutdown sends them: with dr-peer-trunk to
   * the peer site's pool (302, routed there), without it nowhere (603).
   */
  served(site: number, svc: number): boolean {
    const target = this.entry.servingSite(site);
    if (target < 0) return false;
    let pool = this.sitePool[target]!;
    if (pool < 0) return false;
    if (this.shutdown.draining(pool)) pool = this.shutdown.redirectPool(pool);
    return (
      pool >= 0 &&
      this.poolInService(pool) &&
      this.router.reachableFor(pool, svc, this.desk.reachableGroup, this.crossable)
    );
  }
}
