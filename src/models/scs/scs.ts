// Solution Control Server. Keeps an ADDP connection to every LCA and one to its peer SCS,
// holds a view of every app built only from what reached it (LCA reports, lost connections),
// and — when primary — orders switchovers and restarts from that view, and keeps deciding: an
// order that is refused, cannot be delivered or gets no answer is dropped and the pair decided
// again at once from the view as it is then (a refused member waits for news). The backup SCS
// promotes itself only when it has lost the primary SCS too. The orders themselves and their
// timeouts live in orders.ts, the restarts of stopped apps in restarts.ts. Leaves out: alarms,
// log processing.

import { assert, assertNever, byId, TimerSlot, uniform, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange, AppStatus } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { Host } from '../host/host.js';
import type { AppReport, LcaPeer } from '../lca/lca.js';
import { AddpLink, type AddpEndpoint, type Side } from '../network/addp.js';
import { PeerLink } from '../ha-pair/peer-link.js';
import { OrderBook } from './orders.js';
import { Restarts } from './restarts.js';
import { switchoverCause, type AppView } from './cause.js';
import type { SwitchoverCause } from '../recorder.js';
import { appKey, hostKey, type FaultRef } from '../faults/blame.js';
import { LossFaults } from './loss-faults.js';
import { pairId } from '../../spec/ids.js';
import type { AppId, HostId, PairId } from '../../spec/types.js';

/** What an SCS may look up about the installation (its configuration, not live state). */
export interface ScsWorld {
  hosts: ReadonlyMap<HostId, Host>;
  apps: ReadonlyMap<AppId, App>;
  /** Sorted by id. */
  pairs: readonly HaPair[];
  pairOf(app: AppId): HaPair | undefined;
}

export class Scs implements AddpEndpoint, LcaPeer {
  private readonly lcaLinks = new Map<HostId, AddpLink>();
  private readonly linkHost = new Map<AddpLink, HostId>();
  private readonly view = new Map<AppId, AppView>();
  private readonly hostLost = new Set<HostId>();
  private readonly connecting = new Set<HostId>();
  /** The switchover and demote orders sent and not yet settled; manual-switchover (orders.ts). */
  readonly orders: OrderBook;
  /** The starts ordered for stopped apps, their count and pause (restarts.ts). */
  private readonly restarts: Restarts;
  /** The SCS↔SCS connection (ha-pair/peer-link.ts) and this SCS's end of it. */
  private peer: { scs: Scs; link: PeerLink; side: Side } | undefined;
  /** Which fault a lost LCA or peer link is blamed on. */
  private readonly lossFaults: LossFaults;
  /** The reconnect attempt to each lost LCA: one chain each. */
  private readonly reconnectTimers = new Map<HostId, { slot: TimerSlot; fire: () => void }>();
  private readonly rng: Stream;
  /** The installation in id order (decisions never depend on insertion order). */
  private readonly hostsById: readonly Host[];
  private readonly appsById: readonly App[];

  constructor(
    private readonly env: Env,
    readonly app: App,
    private readonly world: ScsWorld,
  ) {
    this.rng = env.ctx.stream(`scs/${app.id}`);
    this.lossFaults = new LossFaults(env, app.host.id);
    this.orders = new OrderBook(env, {
      acting: () => this.acting,
      view: (id) => this.viewOf(id),
      ready: (a) => this.ready(a),
      link: (host) => this.lcaLinks.get(host),
      hostLost: (host) => this.hostLost.has(host),
      refusal: (a) => this.world.hosts.get(a.host.id)!.lca.promotionRefusal(a),
      decide: () => {
        if (!this.takeRoleIfBothBackup()) this.decide();
      },
      own: this.app,
    });
    this.hostsById = [...world.hosts.values()].sort(byId);
    this.appsById = [...world.apps.values()].sort(byId);
    for (const a of this.appsById) {
      this.view.set(a.id, { status: a.status, role: a.role, startedAtMs: a.startedAtMs });
    }
    this.restarts = new Restarts(
      env,
      app,
      {
        acting: () => this.acting,
        believedDown: (id) => this.viewOf(id).down !== undefined,
        hostLost: (host) => this.hostLost.has(host),
        sendStart: (a) => {
          const lca = this.world.hosts.get(a.host.id)!.lca;
          this.lcaLinks.get(a.host.id)?.send(0, () => lca.startApp(a));
        },
      },
      this.appsById,
    );
    app.listen({ onAppChanged: (_a, c) => this.onOwnProcess(c) });
  }

  get id(): AppId {
    return this.app.id;
  }

  get hostId(): HostId {
    return this.app.host.id;
  }

  addpAlive(): boolean {
    return this.app.up;
  }

  /** Primary and serving: the only SCS that acts. */
  get acting(): boolean {
    return this.app.role === 'primary' && this.app.serving;
  }

  /** Orders sent and not yet carried out, refused or dropped (liveness: 0 once settled). */
  get ordersPending(): number {
    return this.orders.size;
  }

  /** Pairs with an order pending, by id (for the liveness report). */
  pairsWithOrders(): PairId[] {
    return this.orders.pairs();
  }

  // ---- set-up -------------------------------------------------------------------------

  /** Connections at t=0, each with a random ADDP phase (they were opened at different times). */
  connectAll(): void {
    const t = this.env.opts.ms('addp-timeout');
    const tr = this.env.opts.ms('addp-remote-timeout');
    for (const host of this.hostsById) {
      const link = this.linkTo(host);
      link.connect([
        Math.floor(uniform(this.rng, 0, t)),
        Math.floor(uniform(this.rng, 0, Math.max(tr, 1))),
      ]);
    }
  }

  private linkTo(host: Host): AddpLink {
    let link = this.lcaLinks.get(host.id);
    if (!link) {
      const { opts } = this.env;
      link = new AddpLink(this.env.ctx, this.env.net, `${this.id}>lca:${host.id}`, this, host.lca, [
        opts.ms('addp-timeout'),
        opts.ms('addp-remote-timeout'),
      ]);
      this.lcaLinks.set(host.id, link);
      this.linkHost.set(link, host.id);
      host.lca.registerScs(this);
      host.lca.attach(this, link);
    }
    return link;
  }

  /** Links the two SCS of the pair (this one is member 0, side 0). */
  pairWith(other: Scs): void {
    const t = this.env.opts.ms('addp-timeout');
    const ends = [this, other] as const;
    const link = new PeerLink(this.env, `${this.id}>${other.id}`, [this.app, other.app], [t, t], {
      peerLost: (side, reason) => ends[side].onPeerLost(reason),
      peerConnected: () => {
        other.onPeerReachable();
        this.onPeerReachable();
      },
    });
    this.peer = { scs: other, link, side: 0 };
    other.peer = { scs: this, link, side: 1 };
    link.start([Math.floor(uniform(this.rng, 0, t)), Math.floor(uniform(other.rng, 0, t))]);
  }

  // ---- connections ----------------------------------------------------------------------

  /** This SCS's end of the peer link is lost (the link itself reconnects: peer-link.ts). */
  private onPeerLost(reason: 'addp-timeout' | 'closed'): void {
    if (!this.app.up || !this.peer) return;
    this.env.ctx.trace(`${this.id}>${this.peer.scs.id}`, 'lost', reason);
    this.lossFaults.peerLinkLost(this.peer.scs.hostId);
    this.checkPeer();
  }

  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    if (!this.app.up) return;
    const host = this.linkHost.get(link);
    assert(host !== undefined, () => `${this.id}: unknown link ${link.label}`);
    this.onLcaLost(host, reason);
  }

  private onLcaLost(host: HostId, reason: 'addp-timeout' | 'closed'): void {
    const { ctx } = this.env;
    this.hostLost.add(host);
    ctx.trace(`${this.id}>lca:${host}`, 'lost', reason);
    this.markHostDown(host, this.lossFaults.lca(host, reason));
    // Orders to that LCA can no longer be carried out or answered: they are dropped.
    for (const pair of this.pairsOn(host)) this.orders.onLcaLost(pair, host);
    this.scheduleReconnect(host);
    this.decideNowAndAfterWait();
    this.checkPeer();
  }

  /**
   * The apps on `host` are down to this SCS (its LCA lost). disconnect-switchover-timeout: it
   * waits and checks again; if the LCA is back by then, its snapshot has cleared these views.
   */
  private markHostDown(host: HostId, fault: FaultRef | undefined): void {
    const now = this.env.ctx.nowMs;
    const actAfterMs = now + this.env.opts.ms('disconnect-switchover-timeout');
    for (const app of this.appsOn(host)) {
      const v = this.viewOf(app.id);
      if (!v.down) v.down = { cause: 'host-failure', atMs: now, fault, actAfterMs };
      this.restarts.onLcaLost(app.id, v.status !== 'stopped');
      v.status = 'stopped';
    }
  }

  private decideNowAndAfterWait(): void {
    const wait = this.env.opts.ms('disconnect-switchover-timeout');
    if (wait > 0) this.env.ctx.call(wait, () => this.decide());
    this.decide();
  }

  /**
   * A restarted SCS knows of hosts it has not reached since its start only what it knew before
   * it stopped. Once its first connection attempts had time to succeed, those hosts are lost to
   * it as if their connection had been lost now (apps down, disconnect-switchover-timeout
   * applies), so it switches their pairs over to members it can reach.
   */
  private unreachedSinceStart(): void {
    if (!this.app.up) return;
    const lost = this.hostsById.filter(
      (h) => this.hostLost.has(h.id) && !this.connecting.has(h.id),
    );
    for (const h of lost) this.markHostDown(h.id, this.lossFaults.host(h.id));
    if (lost.length > 0) this.decideNowAndAfterWait();
  }

  /** A freshly started LCA announced itself: connect to it. */
  onLcaAnnounced(host: HostId): void {
    this.tryConnect(host);
  }

  /** Tries the LCA again every reconnect-timeout while it is lost (re-arming starts anew). */
  private scheduleReconnect(host: HostId): void {
    let r = this.reconnectTimers.get(host);
    if (!r) {
      // One slot and one callback per host, made once: a lost LCA is retried every
      // reconnect-timeout for as long as it stays lost.
      const fire = (): void => {
        if (this.app.up && this.hostLost.has(host)) {
          this.tryConnect(host);
          this.scheduleReconnect(host);
        }
      };
      r = { slot: new TimerSlot(this.env.ctx), fire };
      this.reconnectTimers.set(host, r);
    }
    r.slot.arm(this.env.opts.ms('reconnect-timeout'), r.fire);
  }

  /** The LCA on host `h` answers both ways now. */
  private lcaReachable(h: Host): boolean {
    return this.env.net.reachable(this.hostId, h.id) && h.lca.addpAlive();
  }

  /** TCP connect: succeeds one round trip later if the LCA answers both ways. */
  private tryConnect(host: HostId): void {
    const { ctx, net } = this.env;
    const h = this.world.hosts.get(host)!;
    if (!this.app.up || this.connecting.has(host) || !this.hostLost.has(host)) return;
    if (!this.lcaReachable(h)) return;
    // The handshake takes a round trip (and TCP's retransmissions on a lossy WAN).
    const rtMs = net.connectMs(this.hostId, host);
    if (rtMs < 0) return; // the SYN or its answer never got through: tried again later
    this.connecting.add(host);
    ctx.call(rtMs, () => {
      this.connecting.delete(host);
      if (!this.app.up || !this.lcaReachable(h) || !this.hostLost.has(host)) {
        this.decide(); // the attempt a pair was waiting for failed: decide from what is known
        return;
      }
      this.linkTo(h).connect();
      this.hostLost.delete(host);
      ctx.trace(`${this.id}>lca:${host}`, 'connected', 'reconnect');
      for (const r of h.lca.snapshot()) this.learn(host, r);
      // One LCA answers again: the network may be back. Before acting on the other hosts it
      // still believes lost (a primary whose LCA is not back yet), it tries them again now.
      for (const other of this.hostsById) this.tryConnect(other.id);
      this.restarts.restartStopped(this.appsOn(host), (id) => this.viewOf(id).status === 'stopped');
      this.decide();
    });
  }

  // ---- LCA reports ----------------------------------------------------------------------

  onLcaReport(host: HostId, report: AppReport): void {
    if (!this.app.up) return;
    this.learn(host, report);
    const peer = this.peer?.scs;
    if (peer && report.app === peer.id) {
      if (this.stepDownIfBothPrimary()) return; // the peer took the role while in touch
      this.checkPeer();
    }
    this.decide();
  }

  private learn(host: HostId, r: AppReport): void {
    const { ctx, blame } = this.env;
    const v = this.viewOf(r.app);
    const app = this.world.apps.get(r.app)!;
    v.status = r.status;
    v.role = r.role;
    v.startedAtMs = r.startedAtMs;
    if (r.status === 'stopped') {
      // The LCA is back within disconnect-switchover-timeout and says the app does not run: the
      // wait has its answer (DOMAIN §3 — no switchover only if the apps run): act now.
      if (v.down && v.down.actAfterMs > ctx.nowMs) v.down.actAfterMs = ctx.nowMs;
      if (!v.down) {
        const cause: SwitchoverCause =
          r.cause === 'hang-detected'
            ? 'hang'
            : r.cause === 'graceful-shutdown'
              ? 'shutdown'
              : 'process-failure';
        v.down = {
          cause,
          atMs: ctx.nowMs,
          fault: blame.latest([appKey(r.app), hostKey(host)]),
          actAfterMs: ctx.nowMs,
          ...(cause === 'shutdown' ? { drainEndMs: r.atMs } : {}),
        };
      }
      this.restarts.onStopped(app);
    } else if (r.status !== 'starting') {
      v.down = undefined;
      this.restarts.onRunning(app.id);
    }
    const pair = this.world.pairOf(r.app);
    if (!pair) return;
    this.orders.onReport(pair, app, r);
  }

  // ---- decisions ------------------------------------------------------------------------

  private decide(): void {
    if (!this.acting) return;
    for (const pair of this.world.pairs) {
      if (pair.type === 'scs') continue;
      this.decidePair(pair);
    }
    for (const app of this.appsById) this.restarts.maybeRestart(app);
  }

  private decidePair(pair: HaPair): void {
    if (this.orders.busy(pair.id)) return;
    // A connection attempt to a member's LCA is under way: its answer changes the view.
    if (pair.members.some((m) => this.connecting.has(m.host.id))) return;
    const now = this.env.ctx.nowMs;
    const [a, b] = pair.members;
    const va = this.viewOf(a.id);
    const vb = this.viewOf(b.id);
    const runningPrimary = (v: AppView) =>
      v.role === 'primary' && !v.down && v.status !== 'stopped' && v.status !== 'starting';
    if (runningPrimary(va) && runningPrimary(vb)) {
      this.resolveConflict(pair);
      return;
    }
    const serving = (v: AppView) => v.role === 'primary' && v.status === 'started' && !v.down;
    if (serving(va) || serving(vb)) return;
    // Only a member that runs and is Started can take the primary role (Service Unavailable);
    // one that refused it is not ordered again before SCS hears of it.
    const can = (m: App) => this.ready(m) && !this.orders.refusedRole(m);
    const target = can(a) ? a : can(b) ? b : undefined;
    if (!target) return;
    const failed = pair.other(target);
    const vf = this.viewOf(failed.id);
    if (!this.env.licenses.ha) return; // without the HA licence failed apps are only restarted
    if (vf.down && vf.down.actAfterMs > now) return; // disconnect-switchover-timeout running
    const { cause, detectedAtMs, fault, drainEndMs } = switchoverCause(
      pair,
      failed,
      vf,
      this.viewOf(target.id),
      this.env.blame,
      now,
    );
    this.orders.order(pair, target, failed, cause, detectedAtMs, fault, { drainEndMs });
  }

  /** Runs, is Started, has not been seen failing and its LCA is connected. */
  private ready(app: App): boolean {
    const v = this.viewOf(app.id);
    return v.status === 'started' && !v.down && !this.hostLost.has(app.host.id);
  }

  /**
   * Two members in primary mode (after an LCA loss, a partition healed, a demotion a hung
   * process did not carry out): keep the one in service (Started) if only one is — SCS switches
   * only to a member that runs and is Started (DOMAIN §12) — else the one this SCS promoted
   * last (not an order it gave up), or, if it promoted neither, the configured primary; order
   * the other to backup, once. While the two SCS are not yet back in touch after a partition,
   * neither resolves: the SCS that stays primary does, after the other stepped down.
   */
  private resolveConflict(pair: HaPair): void {
    if (!this.peerSettled()) return;
    const started = pair.members.filter((m) => this.ready(m));
    const keepId =
      started.length === 1
        ? started[0]!.id
        : (this.orders.lastPromoted(pair.id) ?? pair.members[0].id);
    const drop = pair.members[0].id === keepId ? pair.members[1] : pair.members[0];
    if (this.hostLost.has(drop.host.id)) return;
    this.env.ctx.trace(pair.id, 'conflict-resolving', `keep ${keepId}, demote ${drop.id}`);
    this.orders.orderDemote(pair, drop, 'two primaries');
  }

  /** No peer SCS, or it is connected, or this SCS believes it down: its view is the only one. */
  private peerSettled(): boolean {
    const peer = this.peer;
    if (!peer || peer.link.isOpen(peer.side)) return true;
    const pv = this.viewOf(peer.scs.id);
    return pv.down !== undefined || pv.status === 'stopped' || this.hostLost.has(peer.scs.hostId);
  }

  /** The SCS process is gone: its retries end with it. */
  private stopRetries(): void {
    for (const id of [...this.reconnectTimers.keys()].sort())
      this.reconnectTimers.get(id)!.slot.cancel();
  }

  // ---- the SCS pair ---------------------------------------------------------------------

  /** Both SCS back in touch (the peer link opened again). */
  private onPeerReachable(): void {
    // Both primary: the configured backup steps down, and the one that stays primary resolves
    // what the partition left behind. Both backup (each restarted in the role the
    // configuration last gave it, the primary lost meanwhile): the configured primary takes it.
    if (!this.peer || !this.app.up) return;
    if (this.stepDownIfBothPrimary() || this.takeRoleIfBothBackup()) return;
    this.decide();
  }

  /**
   * Both SCS in touch and both backup: neither can detect an SCS in primary mode (seed 000), so
   * the member configured as primary takes the role (true when this one does).
   */
  private takeRoleIfBothBackup(): boolean {
    const peer = this.peer;
    const other = peer?.scs.app;
    if (
      !peer ||
      !other ||
      !peer.link.isOpen(peer.side) ||
      this.app.role !== 'backup' ||
      this.app.isPromoting ||
      other.role !== 'backup' ||
      !other.up ||
      other.isPromoting ||
      this.world.pairOf(this.app.id)?.members[0] !== this.app
    )
      return false;
    this.promoteSelf('no-primary');
    return true;
  }

  /**
   * Both SCS run as primary and see each other: the configured backup steps down (true when
   * this one did). Checked when the peer link opens again, when this SCS's own promotion
   * completes and when an LCA reports the peer's (the link may have opened while one of them
   * was promoting: nothing else would tell them).
   */
  private stepDownIfBothPrimary(): boolean {
    const peer = this.peer;
    const pair = this.world.pairOf(this.app.id);
    if (
      !peer ||
      !peer.link.isOpen(peer.side) ||
      this.app.role !== 'primary' ||
      peer.scs.app.role !== 'primary' ||
      !pair ||
      pair.members[1] !== this.app
    )
      return false;
    this.env.ctx.trace(this.id, 'backup', 'scs-conflict-resolved');
    this.orders.dropAll('SCS stepped down');
    this.app.demote();
    return true;
  }

  private startupCheck(): void {
    const peer = this.peer;
    if (!this.app.up || this.app.role !== 'backup' || this.app.isPromoting) return;
    if (!peer) {
      this.promoteSelf('no-primary');
      return;
    }
    if (!peer.link.isOpen(peer.side)) this.checkPeer();
    else this.takeRoleIfBothBackup();
  }

  private promoteSelf(cause: SwitchoverCause, fault?: FaultRef): void {
    const { recorder, ctx } = this.env;
    const pair = this.world.pairOf(this.app.id);
    const rec = recorder.switchover({
      pair: pair?.id ?? pairId('scs'), // an SCS outside any pair: its records under 'scs'
      redundancy: pair?.redundancy ?? 'warm',
      cause,
      fault,
      detectedAtMs: ctx.nowMs,
      from: this.peer?.scs.id ?? '',
      to: this.id,
    });
    ctx.trace(this.id, 'promoting', cause);
    this.app.promote(() => {
      if (rec.completedAtMs === undefined) rec.completedAtMs = ctx.nowMs;
      if (this.stepDownIfBothPrimary()) return;
      this.decide();
    });
  }

  private checkPeer(): void {
    const peer = this.peer;
    if (!peer || !this.app.up || this.app.role !== 'backup' || this.app.isPromoting) return;
    if (peer.link.isOpen(peer.side)) return;
    const pv = this.viewOf(peer.scs.id);
    const peerHostLost = this.hostLost.has(peer.scs.hostId);
    if (!peerHostLost && !pv.down) return;
    this.promoteSelf(
      pv.down?.cause ?? 'host-failure',
      this.lossFaults.selfPromotion(pv.down?.fault),
    );
  }

  // ---- own process ----------------------------------------------------------------------

  private onOwnProcess(change: AppChange): void {
    switch (change.type) {
      case 'app.crashed':
        for (const link of this.lcaLinks.values()) link.closeFrom(0);
        this.orders.dropAll('SCS stopped');
        this.stopRetries();
        return;
      case 'app.vanished':
        for (const link of this.lcaLinks.values()) link.dropSilently(0);
        this.orders.dropAll('SCS stopped');
        this.stopRetries();
        return;
      case 'app.started':
        // A restarted SCS reconnects to everything and rebuilds its view from snapshots.
        for (const host of this.hostsById) {
          this.hostLost.add(host.id);
          this.tryConnect(host.id);
          this.scheduleReconnect(host.id);
        }
        // Once its connections had time to open: the hosts whose LCA did not answer are lost
        // (as if their connection had been lost now); with no primary SCS in sight, take over.
        this.env.ctx.call(this.env.opts.ms('reconnect-timeout') + 1, () => {
          this.unreachedSinceStart();
          this.startupCheck();
        });
        return;
      case 'app.demoted':
        this.orders.dropAll('SCS stepped down', this.world.pairOf(this.app.id)?.id);
        return;
      case 'app.unhung':
        // It reads again what reached it while it hung: review every pair and stopped app.
        this.decide();
        return;
      case 'app.promoted':
      case 'app.hung':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        return;
      default:
        assertNever(change, 'app change');
    }
  }

  // ---- helpers --------------------------------------------------------------------------

  private viewOf(id: AppId): AppView {
    const v = this.view.get(id);
    assert(v, () => `${this.id}: no view of ${id}`);
    return v;
  }

  private appsOn(host: HostId): App[] {
    return this.world.hosts.get(host)!.apps;
  }

  /** Pairs with a member on this host, in id order. */
  private pairsOn(host: HostId): HaPair[] {
    return this.world.pairs.filter((p) => p.members.some((m) => m.host.id === host));
  }

  /** For tests and the report: what this SCS believes. */
  believedStatus(app: AppId): AppStatus {
    return this.viewOf(app).status;
  }
}
