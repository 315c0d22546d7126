// Solution Control Server. Keeps an ADDP connection to every LCA and one to its peer SCS,
// holds a view of every app built only from what reached it (LCA reports, lost connections),
// and — when primary — orders switchovers and restarts from that view. The backup SCS promotes
// itself only when it has lost the primary SCS too. Leaves out: alarms, log processing.

import { assert, byId, uniform, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange, AppStatus, Role } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { Host } from '../host/host.js';
import type { AppReport, LcaPeer } from '../lca/lca.js';
import { AddpLink, type AddpEndpoint, type Side } from '../network/addp.js';
import type { SwitchoverCause, SwitchoverRecord } from '../recorder.js';
import { appKey, hostKey, lcaKey, pairKey, pathKey, type FaultRef } from '../faults/blame.js';
import type { AppId, HostId, PairId } from '../../spec/types.js';

interface AppView {
  status: AppStatus;
  role: Role;
  /** Believed down since, and why (first detection wins until the app is seen again). */
  down?: { cause: SwitchoverCause; atMs: number; fault?: FaultRef; actAfterMs: number };
  restartOrdered: boolean;
}

/** What an SCS may look up about the installation (its configuration, not live state). */
export interface ScsWorld {
  hosts: ReadonlyMap<HostId, Host>;
  apps: ReadonlyMap<AppId, App>;
  /** Sorted by id. */
  pairs: readonly HaPair[];
  pairOf(app: AppId): HaPair | undefined;
}

export class Scs implements AddpEndpoint, LcaPeer, ScsPeerEnd {
  private readonly lcaLinks = new Map<HostId, AddpLink>();
  private readonly linkHost = new Map<AddpLink, HostId>();
  private readonly view = new Map<AppId, AppView>();
  private readonly hostLost = new Set<HostId>();
  private readonly connecting = new Set<HostId>();
  private readonly pending = new Map<PairId, SwitchoverRecord>();
  private readonly lastPromoted = new Map<PairId, AppId>();
  private readonly resolving = new Set<PairId>();
  private peer: { scs: Scs; link: AddpLink; side: Side } | undefined;
  private peerConnecting = false;
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
    this.hostsById = [...world.hosts.values()].sort(byId);
    this.appsById = [...world.apps.values()].sort(byId);
    for (const [id, a] of world.apps)
      this.view.set(id, { status: a.status, role: a.role, restartOrdered: false });
    app.listen({ onAppChanged: (_a, c) => this.onOwnProcess(c) });
  }

  get id(): string {
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

  /** Links the two SCS of the pair (this one is side 0). */
  pairWith(other: Scs): void {
    const t = this.env.opts.ms('addp-timeout');
    const link = new AddpLink(this.env.ctx, this.env.net, `${this.id}>${other.id}`, this, other, [
      t,
      t,
    ]);
    this.peer = { scs: other, link, side: 0 };
    other.peer = { scs: this, link, side: 1 };
    link.connect([Math.floor(uniform(this.rng, 0, t)), Math.floor(uniform(other.rng, 0, t))]);
  }

  // ---- connections ----------------------------------------------------------------------

  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    if (!this.app.up) return;
    if (this.peer && link === this.peer.link) {
      this.env.ctx.trace(`${this.id}>${this.peer.scs.id}`, 'lost', reason);
      this.scheduleReconnectPeer();
      this.checkPeer();
      return;
    }
    const host = this.linkHost.get(link);
    assert(host !== undefined, () => `${this.id}: unknown link ${link.label}`);
    this.onLcaLost(host, reason);
  }

  private onLcaLost(host: HostId, reason: 'addp-timeout' | 'closed'): void {
    const { ctx, blame, opts } = this.env;
    this.hostLost.add(host);
    ctx.trace(`${this.id}>lca:${host}`, 'lost', reason);
    const fault = blame.latest([hostKey(host), lcaKey(host), pathKey(host), pathKey(this.hostId)]);
    // disconnect-switchover-timeout: wait and check again; if the LCA is back by then, its
    // snapshot has cleared these views and nothing is switched.
    const wait = opts.ms('disconnect-switchover-timeout');
    for (const app of this.appsOn(host)) {
      const v = this.viewOf(app.id);
      if (!v.down)
        v.down = { cause: 'host-failure', atMs: ctx.nowMs, fault, actAfterMs: ctx.nowMs + wait };
      v.status = 'stopped';
    }
    this.scheduleReconnect(host);
    if (wait > 0) ctx.call(wait, () => this.decide());
    this.decide();
    this.checkPeer();
  }

  /** A freshly started LCA announced itself: connect to it. */
  onLcaAnnounced(host: HostId): void {
    this.tryConnect(host);
  }

  private scheduleReconnect(host: HostId): void {
    this.env.ctx.call(this.env.opts.ms('reconnect-timeout'), () => {
      if (this.app.up && this.hostLost.has(host)) {
        this.tryConnect(host);
        this.scheduleReconnect(host);
      }
    });
  }

  /** TCP connect: succeeds one round trip later if the LCA answers both ways. */
  private tryConnect(host: HostId): void {
    const { ctx, net } = this.env;
    const h = this.world.hosts.get(host)!;
    if (!this.app.up || this.connecting.has(host) || !this.hostLost.has(host)) return;
    const reachable = () =>
      net.deliverable(this.hostId, host) && net.deliverable(host, this.hostId) && h.lca.addpAlive();
    if (!reachable()) return;
    this.connecting.add(host);
    ctx.call(2 * net.latencyMs(this.hostId, host), () => {
      this.connecting.delete(host);
      if (!this.app.up || !reachable() || !this.hostLost.has(host)) return;
      this.linkTo(h).connect();
      this.hostLost.delete(host);
      ctx.trace(`${this.id}>lca:${host}`, 'connected', 'reconnect');
      for (const r of h.lca.snapshot()) this.learn(host, r);
      this.restartStopped(host);
      this.decide();
    });
  }

  // ---- LCA reports ----------------------------------------------------------------------

  onLcaReport(host: HostId, report: AppReport): void {
    if (!this.app.up) return;
    this.learn(host, report);
    const peer = this.peer?.scs;
    if (peer && report.app === peer.id) this.checkPeer();
    this.decide();
  }

  private learn(host: HostId, r: AppReport): void {
    const { ctx, blame } = this.env;
    const v = this.viewOf(r.app);
    v.status = r.status;
    v.role = r.role;
    if (r.status === 'stopped') {
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
        };
      }
    } else if (r.status !== 'starting') {
      v.down = undefined;
      v.restartOrdered = false;
    }
    const pair = this.world.pairOf(r.app);
    if (pair && r.role === 'backup') this.resolving.delete(pair.id);
    const rec = pair && this.pending.get(pair.id);
    if (pair && rec && rec.failure !== undefined) this.pending.delete(pair.id); // refused: decide anew
    // The order is over once its target runs as primary, or has stopped (the backup was lost).
    if (pair && rec && rec.to === r.app && (r.role === 'primary' || r.status === 'stopped')) {
      if (r.status === 'stopped' && rec.completedAtMs === undefined) rec.failure = 'backup-lost';
      this.pending.delete(pair.id);
    }
  }

  // ---- decisions ------------------------------------------------------------------------

  private decide(): void {
    if (!this.acting) return;
    for (const pair of this.world.pairs) {
      if (pair.type === 'scs') continue;
      this.decidePair(pair);
    }
    for (const app of this.appsById) this.maybeRestart(app);
  }

  private decidePair(pair: HaPair): void {
    if (this.pending.has(pair.id)) return;
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
    const ready = (app: App, v: AppView) =>
      v.status === 'started' && !v.down && !this.hostLost.has(app.host.id);
    const target = ready(a, va) ? a : ready(b, vb) ? b : undefined;
    if (!target) return;
    const failed = pair.other(target);
    const vf = this.viewOf(failed.id);
    if (!this.env.licenses.ha) return; // without the HA licence failed apps are only restarted
    if (vf.down && vf.down.actAfterMs > now) return; // disconnect-switchover-timeout running
    let cause: SwitchoverCause;
    let detectedAtMs = now;
    let fault: FaultRef | undefined;
    if (vf.down) {
      cause = vf.down.cause;
      detectedAtMs = vf.down.atMs;
      fault = vf.down.fault;
    } else if (vf.role === 'primary' && vf.status === 'service-unavailable') {
      cause = 'service-unavailable';
      fault = this.env.blame.latest([appKey(failed.id), pairKey(pair.id)]);
    } else if (vf.role === 'primary' && vf.status === 'hung') {
      cause = 'hang';
      fault = this.env.blame.latest([appKey(failed.id)]);
    } else {
      cause = 'no-primary';
      fault = this.env.blame.latest([
        appKey(failed.id),
        appKey(target.id),
        hostKey(failed.host.id),
        pairKey(pair.id),
      ]);
    }
    this.order(pair, target, failed, cause, detectedAtMs, fault);
  }

  /**
   * Two members in primary mode (after an LCA loss or a partition healed): keep the one this
   * SCS promoted last — or, if it promoted neither, the one configured as primary — and order
   * the other to backup.
   */
  private resolveConflict(pair: HaPair): void {
    if (this.resolving.has(pair.id)) return;
    const keepId = this.lastPromoted.get(pair.id) ?? pair.members[0].id;
    const drop = pair.members[0].id === keepId ? pair.members[1] : pair.members[0];
    const link = this.lcaLinks.get(drop.host.id);
    if (!link || this.hostLost.has(drop.host.id)) return;
    this.resolving.add(pair.id);
    this.env.ctx.trace(pair.id, 'conflict-resolving', `keep ${keepId}, demote ${drop.id}`);
    link.send(0, () => drop.demote());
  }

  /** An operator's switchover order (manual-switchover): to the backup if it runs. */
  manualSwitchover(pair: HaPair, fault: FaultRef): boolean {
    if (!this.acting || this.pending.has(pair.id)) return false;
    const current =
      pair.members.find((m) => this.viewOf(m.id).role === 'primary') ?? pair.members[0];
    const target = pair.other(current);
    const vt = this.viewOf(target.id);
    if (vt.status !== 'started' || vt.down || this.hostLost.has(target.host.id)) {
      const rec = this.env.recorder.switchover({
        pair: pair.id,
        redundancy: pair.redundancy,
        cause: 'manual',
        fault,
        detectedAtMs: this.env.ctx.nowMs,
        from: current.id,
        to: target.id,
      });
      rec.failure = `backup ${target.id} is not running and Started`;
      return false;
    }
    this.order(pair, target, current, 'manual', this.env.ctx.nowMs, fault);
    return true;
  }

  /** Sends the switchover order to the target's LCA; the record completes when it runs. */
  order(
    pair: HaPair,
    target: App,
    failed: App,
    cause: SwitchoverCause,
    detectedAtMs: number,
    fault?: FaultRef,
  ): SwitchoverRecord {
    const { recorder, ctx } = this.env;
    const rec = recorder.switchover({
      pair: pair.id,
      redundancy: pair.redundancy,
      cause,
      fault,
      detectedAtMs,
      from: failed.id,
      to: target.id,
    });
    this.pending.set(pair.id, rec);
    this.lastPromoted.set(pair.id, target.id);
    ctx.trace(pair.id, 'switchover-ordered', `${cause} ${failed.id}->${target.id}`);
    const link = this.lcaLinks.get(target.host.id);
    // A still-running old primary (Service Unavailable, hung, manual) is ordered to backup first.
    const vf = this.viewOf(failed.id);
    if (!vf.down && vf.role === 'primary')
      this.lcaLinks.get(failed.host.id)?.send(0, () => failed.demote());
    link?.send(0, () => {
      // The LCA carries out the order only for a backup that is Started when it arrives.
      const refusal =
        target.status !== 'started'
          ? `backup ${target.id} is ${target.status} when the order arrives`
          : target.promotionRefusal();
      if (refusal) {
        rec.failure = refusal;
        ctx.trace(target.id, 'switchover-refused', refusal);
        link.send(1, () => this.onOrderRefused(pair.id, rec));
        return;
      }
      target.promote(() => {
        if (rec.completedAtMs === undefined) rec.completedAtMs = ctx.nowMs;
      });
    });
    return rec;
  }

  private onOrderRefused(pairId: PairId, rec: SwitchoverRecord): void {
    if (this.pending.get(pairId) === rec) this.pending.delete(pairId);
    // Decide again only when something changes (a report), not in a loop on the same view.
  }

  private maybeRestart(app: App): void {
    const v = this.viewOf(app.id);
    if (!v.down || v.restartOrdered || this.hostLost.has(app.host.id)) return;
    if (!this.env.opts.bool('autorestart') || app === this.app) return;
    this.orderStart(app);
  }

  private restartStopped(host: HostId): void {
    if (!this.acting) return;
    for (const app of this.appsOn(host)) {
      const v = this.viewOf(app.id);
      if (v.status === 'stopped' && !v.restartOrdered && app !== this.app) this.orderStart(app);
    }
  }

  private orderStart(app: App): void {
    const v = this.viewOf(app.id);
    v.restartOrdered = true;
    const lca = this.world.hosts.get(app.host.id)!.lca;
    this.lcaLinks.get(app.host.id)?.send(0, () => lca.startApp(app));
  }

  // ---- the SCS pair ---------------------------------------------------------------------

  onPeerReachable(): void {
    // Both SCS back in touch: if both run as primary, the configured backup steps down.
    const peer = this.peer;
    if (!peer || !this.app.up) return;
    const pair = this.world.pairOf(this.app.id);
    if (
      this.app.role === 'primary' &&
      peer.scs.app.role === 'primary' &&
      pair &&
      pair.members[1] === this.app
    ) {
      this.env.ctx.trace(this.id, 'backup', 'scs-conflict-resolved');
      this.app.demote();
    }
  }

  private startupCheck(): void {
    const peer = this.peer;
    if (!this.app.up || this.app.role !== 'backup' || this.app.isPromoting) return;
    if (!peer) {
      this.promoteSelf('no-primary');
      return;
    }
    if (!peer.link.isOpen(peer.side)) {
      this.checkPeer();
      return;
    }
    // Both in touch and both backup: the member configured as primary takes the role.
    const pair = this.world.pairOf(this.app.id);
    if (peer.scs.app.role === 'backup' && pair && pair.members[0] === this.app)
      this.promoteSelf('no-primary');
  }

  private promoteSelf(cause: SwitchoverCause, fault?: FaultRef): void {
    const { recorder, ctx } = this.env;
    const pair = this.world.pairOf(this.app.id);
    const rec = recorder.switchover({
      pair: pair?.id ?? 'scs',
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
    this.promoteSelf(pv.down?.cause ?? 'host-failure', pv.down?.fault);
  }

  private scheduleReconnectPeer(): void {
    if (this.peerConnecting) return;
    this.peerConnecting = true;
    const { ctx, net, opts } = this.env;
    ctx.call(opts.ms('reconnect-timeout'), () => {
      this.peerConnecting = false;
      const peer = this.peer;
      if (!peer || !this.app.up || peer.link.isOpen(peer.side)) return;
      const other = peer.scs;
      if (
        other.app.up &&
        net.deliverable(this.hostId, other.hostId) &&
        net.deliverable(other.hostId, this.hostId)
      ) {
        peer.link.connect();
        ctx.trace(`${this.id}>${other.id}`, 'connected', 'reconnect');
        this.onPeerReachable();
        other.onPeerReachable();
      } else {
        this.scheduleReconnectPeer();
      }
    });
  }

  // ---- own process ----------------------------------------------------------------------

  private onOwnProcess(change: AppChange): void {
    switch (change.type) {
      case 'app.crashed':
        for (const link of this.lcaLinks.values()) link.closeFrom(0);
        if (this.peer) this.peer.link.closeFrom(this.peer.side);
        this.pending.clear();
        return;
      case 'app.vanished':
        for (const link of this.lcaLinks.values()) link.dropSilently(0);
        if (this.peer) this.peer.link.dropSilently(this.peer.side);
        this.pending.clear();
        return;
      case 'app.started':
        // A restarted SCS reconnects to everything and rebuilds its view from snapshots.
        for (const host of this.hostsById) {
          this.hostLost.add(host.id);
          this.tryConnect(host.id);
          this.scheduleReconnect(host.id);
        }
        this.scheduleReconnectPeer();
        // Once its connections had time to open: with no primary SCS in sight, take over.
        this.env.ctx.call(this.env.opts.ms('reconnect-timeout') + 1, () => this.startupCheck());
        return;
      case 'app.promoted':
      case 'app.demoted':
      case 'app.hung':
      case 'app.unhung':
      case 'app.serviceChanged':
        return;
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

  /** For tests and the report: what this SCS believes. */
  believedStatus(app: AppId): AppStatus {
    return this.viewOf(app).status;
  }
}

/** The end of the SCS↔SCS connection. */
export interface ScsPeerEnd extends AddpEndpoint {
  onPeerReachable(): void;
}
