// The network between hosts: one-way latency (LAN inside a site, WAN between sites) and
// partitions that silently drop every message between their two sides. Leaves out: loss,
// jitter and bandwidth.

import { assert, type SimContext } from '../../sim/index.js';
import type { HostId, SiteId } from '../../spec/types.js';

export interface NetworkHost {
  readonly id: HostId;
  readonly site: SiteId;
  /** Powered on: its network stack answers (processes on it may still be down). */
  readonly powered: boolean;
}

interface Partition {
  label: string;
  a: ReadonlySet<HostId>;
  b: ReadonlySet<HostId>;
}

/** A connection that must re-check its peer when reachability changes. */
export interface PathWatcher {
  pathChanged(): void;
}

export class Network {
  private readonly partitions: Partition[] = [];
  private readonly watchers: PathWatcher[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly hosts: ReadonlyMap<HostId, NetworkHost>,
    private readonly lanLatencyMs: number,
    private readonly wanLatencyMs: number,
  ) {}

  host(id: HostId): NetworkHost {
    const h = this.hosts.get(id);
    if (h === undefined) assert(false, `unknown host ${id}`);
    return h;
  }

  latencyMs(from: HostId, to: HostId): number {
    if (from === to) return 0;
    return this.host(from).site === this.host(to).site ? this.lanLatencyMs : this.wanLatencyMs;
  }

  /** One-way latency between a site (a client without a host of its own) and a host. */
  siteLatencyMs(site: SiteId, to: HostId): number {
    return this.host(to).site === site ? this.lanLatencyMs : this.wanLatencyMs;
  }

  partitioned(from: HostId, to: HostId): boolean {
    for (const p of this.partitions) {
      if ((p.a.has(from) && p.b.has(to)) || (p.b.has(from) && p.a.has(to))) return true;
    }
    return false;
  }

  /** A message from `from` arriving now at `to` is received (destination up, no partition). */
  deliverable(from: HostId, to: HostId): boolean {
    return this.host(to).powered && !this.partitioned(from, to);
  }

  /**
   * A client without a host of its own (an agent desktop) at `site` can reach host `to` now.
   * Model assumption: it stands on its site's LAN, on the side of a partition that holds most of
   * the site's hosts; a partition that splits the site's hosts evenly, or holds none of them,
   * does not cut it off. A powered-off host is reached by nobody.
   */
  siteReachable(site: SiteId, to: HostId): boolean {
    if (!this.host(to).powered) return false;
    for (const p of this.partitions) {
      let inA = 0;
      let inB = 0;
      for (const h of this.siteHosts(site)) {
        if (p.a.has(h)) inA++;
        else if (p.b.has(h)) inB++;
      }
      if ((inA > inB && p.b.has(to)) || (inB > inA && p.a.has(to))) return false;
    }
    return true;
  }

  private readonly hostsOfSite = new Map<SiteId, readonly HostId[]>();
  private siteHosts(site: SiteId): readonly HostId[] {
    let hs = this.hostsOfSite.get(site);
    if (hs === undefined) {
      hs = [...this.hosts.values()].filter((h) => h.site === site).map((h) => h.id);
      this.hostsOfSite.set(site, hs);
    }
    return hs;
  }

  /** A connection between the two hosts can open now: messages get through both ways. */
  reachable(a: HostId, b: HostId): boolean {
    return this.deliverable(a, b) && this.deliverable(b, a);
  }

  /**
   * Sends a message; `deliver` runs after the latency if it can still be received then.
   * Management-layer traffic only (allocates a closure): calls never cross here per event.
   */
  send(from: HostId, to: HostId, deliver: () => void): void {
    if (!this.host(from).powered) return;
    this.ctx.call(this.latencyMs(from, to), () => {
      if (this.deliverable(from, to)) deliver();
    });
  }

  watch(w: PathWatcher): void {
    this.watchers.push(w);
  }

  /** Reachability changed (a partition, a heal, a host powered off or on). */
  changed(): void {
    for (const w of this.watchers) w.pathChanged();
  }

  partition(label: string, a: readonly HostId[], b: readonly HostId[]): void {
    this.partitions.push({ label, a: new Set(a), b: new Set(b) });
    this.changed();
  }

  /** Heals the partitions with this label; returns how many. */
  heal(label: string): number {
    let n = 0;
    for (let i = this.partitions.length - 1; i >= 0; i--) {
      if (this.partitions[i]!.label === label) {
        this.partitions.splice(i, 1);
        n++;
      }
    }
    if (n > 0) this.changed();
    return n;
  }

  get partitionCount(): number {
    return this.partitions.length;
  }
}
