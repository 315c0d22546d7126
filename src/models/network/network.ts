// The network between hosts: one-way latency (LAN inside a site, WAN between sites), partitions
// that silently drop every message between their two sides, and a degraded WAN (wan-degrade):
// more latency, and messages lost on the way that TCP sends again after its retransmission
// timeout, doubling each time (so a message arrives late, or — after TCP_RETRIES_MAX — never).
// Losses are drawn from the network's own stream, only while a WAN is lossy, so runs without
// wan-degrade draw nothing. Leaves out: jitter, bandwidth, reordering.

import { assert, objectArray, type SimContext, type Stream } from '../../sim/index.js';
import type { HostId, SiteId } from '../../spec/types.js';
import { TCP_RETRIES_MAX, TCP_RTO_MAX_MS, TCP_SYN_RETRIES } from './defaults.js';

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

/** A degraded WAN between two sites. */
export interface WanDegradation {
  /** One-way latency added, ms. */
  latencyMs: number;
  /** Share of messages lost each way (each attempt, independently). */
  loss: number;
}

/** A connection that must re-check its peer when reachability changes. */
export interface PathWatcher {
  pathChanged(): void;
}

export class Network {
  // Arrays of objects from the start (sim/arrays.ts): an empty literal changes kind at its first
  // element, and the code that reads it was compiled for the other kind.
  private readonly partitions: Partition[] = objectArray();
  private readonly watchers: PathWatcher[] = objectArray();
  /**
   * Degraded WANs, by either site then the other (both ways round): looked up with the sites'
   * own id strings, no key built per message.
   */
  private readonly wan = new Map<SiteId, Map<SiteId, WanDegradation>>();
  /** Degraded WANs (each counted once). */
  private wanCount = 0;
  private lossRng: Stream | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly hosts: ReadonlyMap<HostId, NetworkHost>,
    private readonly lanLatencyMs: number,
    private readonly wanLatencyMs: number,
    /** TCP's first retransmission timeout on a lossy WAN, ms. */
    private readonly retransmitMs = 1000,
  ) {}

  host(id: HostId): NetworkHost {
    const h = this.hosts.get(id);
    if (h === undefined) assert(false, `unknown host ${id}`);
    return h;
  }

  // The desktops' per-desktop checks (hundreds of desktops on every server or path change) pass
  // the host itself (`…To` methods): no lookup by id.

  /** One-way latency on a healthy network (no wan-degrade). */
  baseLatencyMs(from: HostId, to: HostId): number {
    if (from === to) return 0;
    return this.host(from).site === this.host(to).site ? this.lanLatencyMs : this.wanLatencyMs;
  }

  /** One-way latency between two hosts (0 on one host; a degraded WAN adds its latency). */
  latencyBetween(from: NetworkHost, to: NetworkHost): number {
    return from === to ? 0 : this.siteLatencyTo(from.site, to);
  }

  /** One-way latency between a site (a client without a host of its own) and a host. */
  siteLatencyMs(site: SiteId, to: HostId): number {
    return this.siteLatencyTo(site, this.host(to));
  }

  /** siteLatencyMs to host `to` itself. */
  siteLatencyTo(site: SiteId, to: NetworkHost): number {
    const b = to.site;
    if (b === site) return this.lanLatencyMs;
    return this.wanLatencyMs + (this.degradation(site, b)?.latencyMs ?? 0);
  }

  // ---------------------------------------------------------------- degraded WAN

  /** The degradation of the WAN between two sites (undefined: none, or the same site). */
  degradation(a: SiteId, b: SiteId): WanDegradation | undefined {
    if (this.wanCount === 0 || a === b) return undefined;
    return this.wan.get(a)?.get(b);
  }

  /** The WAN between the two hosts is degraded (a path across it). */
  degraded(from: HostId, to: HostId): boolean {
    return this.wanCount > 0 && this.degradedBetween(this.host(from), this.host(to));
  }

  /** degraded between the hosts themselves. */
  degradedBetween(from: NetworkHost, to: NetworkHost): boolean {
    return this.wanCount > 0 && this.siteDegradedTo(from.site, to);
  }

  /** The share of messages lost each way between the two hosts (0 on a healthy path). */
  lossBetween(from: NetworkHost, to: NetworkHost): number {
    if (this.wanCount === 0) return 0;
    return this.degradation(from.site, to.site)?.loss ?? 0;
  }

  /** One draw: is a message (one attempt) with loss share `loss` lost? */
  drawLost(loss: number): boolean {
    if (loss <= 0) return false;
    this.lossRng ??= this.ctx.stream('network/wan-loss');
    return this.lossRng.next() < loss;
  }

  /**
   * One way from `from` to `to` over TCP: the latency, plus the retransmission timeouts of the
   * attempts lost on a lossy WAN (RTO, 2·RTO, …). -1: lost TCP_RETRIES_MAX times (never arrives).
   */
  transitMs(from: HostId, to: HostId, retriesMax = TCP_RETRIES_MAX): number {
    return this.transitBetween(this.host(from), this.host(to), retriesMax);
  }

  /** transitMs between the hosts themselves. */
  transitBetween(from: NetworkHost, to: NetworkHost, retriesMax = TCP_RETRIES_MAX): number {
    return from === to ? 0 : this.siteTransitTo(from.site, to, retriesMax);
  }

  /**
   * One way between a client without a host of its own (an agent desktop) at `site` and host
   * `to`, either direction (the same WAN): as transitMs.
   */
  siteTransitMs(site: SiteId, to: HostId): number {
    return this.siteTransitTo(site, this.host(to));
  }

  /** siteTransitMs to host `to` itself (a message TCP gives up on after `retriesMax` losses). */
  siteTransitTo(site: SiteId, to: NetworkHost, retriesMax = TCP_RETRIES_MAX): number {
    const b = to.site;
    if (b === site) return this.lanLatencyMs;
    // The degradation looked up once for both the latency and the loss (a WAN poll asks per
    // message while the WAN is degraded).
    const d = this.degradation(site, b);
    if (d === undefined) return this.wanLatencyMs;
    return this.tcpTransitMs(this.wanLatencyMs + d.latencyMs, d.loss, retriesMax);
  }

  /** The path between a site's hostless clients and host `to` crosses a degraded WAN. */
  siteDegraded(site: SiteId, to: HostId): boolean {
    return this.wanCount > 0 && this.siteDegradedTo(site, this.host(to));
  }

  /** siteDegraded for host `to` itself. */
  siteDegradedTo(site: SiteId, to: NetworkHost): boolean {
    if (this.wanCount === 0) return false;
    return this.degradation(site, to.site) !== undefined;
  }

  /**
   * The latency plus the retransmission timeouts of the attempts lost (loss share `loss`; the
   * timeout doubles up to TCP_RTO_MAX_MS); -1 once `retriesMax` retransmissions were lost too.
   */
  private tcpTransitMs(latency: number, loss: number, retriesMax: number): number {
    if (loss <= 0) return latency;
    let extra = 0;
    let rto = this.retransmitMs;
    for (let k = 0; this.drawLost(loss); k++) {
      if (k >= retriesMax) return -1;
      extra += rto;
      rto = Math.min(rto * 2, TCP_RTO_MAX_MS);
    }
    return latency + extra;
  }

  /**
   * Opening a TCP connection from `from` to `to`: the SYN there and its SYN-ACK back, each sent
   * again at most TCP_SYN_RETRIES times on a lossy WAN. -1: the connect gave up (the caller tries
   * again later), as it does after about two minutes rather than waiting hours for a reply.
   */
  connectMs(from: HostId, to: HostId): number {
    const out = this.transitMs(from, to, TCP_SYN_RETRIES);
    const back = out < 0 ? -1 : this.transitMs(to, from, TCP_SYN_RETRIES);
    return back < 0 ? -1 : out + back;
  }

  /** wan-degrade: the WAN between the two sites gets slower and/or lossy (replacing an earlier one). */
  degrade(a: SiteId, b: SiteId, d: WanDegradation): void {
    assert(a !== b, 'wan-degrade: both sides are the same site');
    assert(d.loss >= 0 && d.loss < 1, () => `wan-degrade: loss ${d.loss} outside [0, 1)`);
    // One literal (not a spread: its shape would depend on V8's tier of this function).
    const w: WanDegradation = { latencyMs: d.latencyMs, loss: d.loss };
    if (this.degradation(a, b) === undefined) this.wanCount++;
    this.wanOf(a).set(b, w);
    this.wanOf(b).set(a, w);
    this.changed();
  }

  private wanOf(a: SiteId): Map<SiteId, WanDegradation> {
    let m = this.wan.get(a);
    if (m === undefined) {
      m = new Map();
      this.wan.set(a, m);
    }
    return m;
  }

  /** wan-restore: the WAN between the two sites is healthy again; false when it was. */
  restore(a: SiteId, b: SiteId): boolean {
    const had = a !== b && this.wan.get(a)?.delete(b) === true;
    if (had) {
      this.wan.get(b)!.delete(a);
      this.wanCount--;
      this.changed();
    }
    return had;
  }

  partitioned(from: HostId, to: HostId): boolean {
    const parts = this.partitions;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if ((p.a.has(from) && p.b.has(to)) || (p.b.has(from) && p.a.has(to))) return true;
    }
    return false;
  }

  /** A message from `from` arriving now at `to` is received (destination up, no partition). */
  deliverable(from: HostId, to: HostId): boolean {
    return this.host(to).powered && !this.partitioned(from, to);
  }

  /** deliverable between the hosts themselves. */
  deliverableTo(from: NetworkHost, to: NetworkHost): boolean {
    return to.powered && !this.partitioned(from.id, to.id);
  }

  /**
   * A client without a host of its own (an agent desktop) at `site` can reach host `to` now.
   * Model assumption: it stands on its site's LAN, on the side of a partition that holds most of
   * the site's hosts; a partition that splits the site's hosts evenly, or holds none of them,
   * does not cut it off. A powered-off host is reached by nobody.
   */
  siteReachable(site: SiteId, to: HostId): boolean {
    return this.siteReachableTo(site, this.host(to));
  }

  /** siteReachable for host `to` itself. */
  siteReachableTo(site: SiteId, to: NetworkHost): boolean {
    if (!to.powered) return false;
    const parts = this.partitions;
    if (parts.length === 0) return true;
    const hs = this.siteHosts(site);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      let inA = 0;
      let inB = 0;
      for (let k = 0; k < hs.length; k++) {
        const h = hs[k]!;
        if (p.a.has(h)) inA++;
        else if (p.b.has(h)) inB++;
      }
      if ((inA > inB && p.b.has(to.id)) || (inB > inA && p.a.has(to.id))) return false;
    }
    return true;
  }

  private readonly hostsOfSite = new Map<SiteId, readonly HostId[]>();
  private siteHosts(site: SiteId): readonly HostId[] {
    let hs = this.hostsOfSite.get(site);
    if (hs === undefined) {
      // Pushed into an array of strings from the start (no filter/map: the result's kind would
      // depend on V8's tier of this function, and siteReachable was compiled for one).
      const ids = objectArray<HostId>();
      for (const h of this.hosts.values()) if (h.site === site) ids.push(h.id);
      hs = ids;
      this.hostsOfSite.set(site, hs);
    }
    return hs;
  }

  /** A connection between the two hosts can open now: messages get through both ways. */
  reachable(a: HostId, b: HostId): boolean {
    return this.deliverable(a, b) && this.deliverable(b, a);
  }

  /** reachable between the hosts themselves. */
  reachableBetween(a: NetworkHost, b: NetworkHost): boolean {
    return this.deliverableTo(a, b) && this.deliverableTo(b, a);
  }

  /**
   * Sends a message; `deliver` runs after the latency if it can still be received then, and not
   * before `notBeforeMs` (the arrival of the message sent before it on the same connection).
   * Returns when it arrives (-1: never).
   * Management-layer traffic only (allocates a closure): calls never cross here per event.
   */
  send(from: HostId, to: HostId, deliver: () => void, notBeforeMs = 0): number {
    if (!this.host(from).powered) return -1;
    const ms = this.transitMs(from, to);
    if (ms < 0) return -1; // TCP gave up on it
    // On one connection TCP delivers in order: behind a message still being retransmitted.
    const atMs = Math.max(this.ctx.nowMs + ms, notBeforeMs);
    this.ctx.call(atMs - this.ctx.nowMs, () => {
      if (this.deliverable(from, to)) deliver();
    });
    return atMs;
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
