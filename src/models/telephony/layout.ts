// Where the telephony pools are: the sites (by index), the site of each pool, the SIP pool that
// serves the calls entering each site, and pools by pair id.

import { assert } from '../../sim/index.js';
import type { PairId, SiteId } from '../../spec/types.js';
import type { HaPair } from '../ha-pair/pair.js';

export interface PoolDef {
  pair: HaPair;
  kind: 'sip' | 'tserver';
  site: SiteId;
}

export class PoolLayout {
  readonly sites: SiteId[];
  private readonly siteIdx = new Map<SiteId, number>();
  private readonly poolIndex = new Map<string, number>();
  /** Site (index) of each pool. */
  readonly poolSite: Int32Array;
  /** The SIP pool serving calls entering each site (-1: none). */
  readonly sitePool: Int32Array;
  /**
   * Per pool: 1 for a SIP pool (its calls come through gateways and pass the routing point), 0
   * for a T-Server pair's own trunk.
   */
  readonly isSip: Uint8Array;

  constructor(
    readonly pools: readonly PoolDef[],
    sites: readonly SiteId[],
  ) {
    this.sites = [...sites];
    this.sites.forEach((s, i) => this.siteIdx.set(s, i));
    this.poolSite = Int32Array.from(pools, (p) => this.siteIdx.get(p.site) ?? 0);
    this.sitePool = new Int32Array(this.sites.length).fill(-1);
    this.isSip = Uint8Array.from(pools, (p) => (p.kind === 'sip' ? 1 : 0));
    pools.forEach((p, i) => {
      this.poolIndex.set(p.pair.id, i);
      const s = this.poolSite[i]!;
      if (p.kind === 'sip' && this.sitePool[s] === -1) this.sitePool[s] = i;
    });
  }

  /** The pool of a pair (undefined: not a telephony pair). */
  findPool(pairId: PairId): number | undefined {
    return this.poolIndex.get(pairId);
  }

  poolOf(pairId: PairId): number {
    const p = this.poolIndex.get(pairId);
    assert(p !== undefined, () => `no telephony pool for pair ${pairId}`);
    return p;
  }

  /** The SIP pool serving a site (-1 when the site has none). */
  sipPoolOfSite(site: SiteId): number {
    const s = this.siteIdx.get(site);
    return s === undefined ? -1 : this.sitePool[s]!;
  }
}
