// The order book of a primary SCS: the switchover and demote orders it sent and waits to see
// carried out, at most one per pair. An order ends when its target runs as ordered, is refused,
// cannot be delivered (its LCA is lost) or gets no answer within scs-order-timeout, and the pair
// is decided again at once from the view as it is then (the reports that came while the order
// was pending included): an order lost on the way is retried every scs-order-timeout, and a
// member that refused is not ordered again before SCS hears of it. Also the operator's manual
// switchover, which is one such order sent to both members at once.

import { TimerSlot } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, Role } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { AppReport } from '../lca/lca.js';
import type { AddpLink } from '../network/addp.js';
import type { SwitchoverCause, SwitchoverRecord } from '../recorder.js';
import type { FaultRef } from '../faults/blame.js';
import type { AppId, HostId, PairId } from '../../spec/types.js';

/** An order this SCS sent and waits to see carried out. */
type Order =
  | {
      kind: 'promote';
      target: App;
      rec: SwitchoverRecord;
      /** The old primary still runs: ordered to backup once the target runs as primary. */
      demoteAfter: App | undefined;
      /** The member promoted last before this order (lastPromoted again if it is given up). */
      promotedBefore: AppId | undefined;
    }
  | { kind: 'demote'; target: App };

/** What the order book reads of its SCS: its view and its LCA connections. */
export interface OrderDesk {
  /** Primary and serving: the only SCS that orders. */
  acting(): boolean;
  /** The SCS's view of an app: its role, and whether it believes it down. */
  view(id: AppId): { role: Role; down?: unknown };
  /** Runs, is Started, has not been seen failing and its LCA is connected. */
  ready(app: App): boolean;
  /** The connection to a host's LCA (undefined if never opened). */
  link(host: HostId): AddpLink | undefined;
  /** The connection to a host's LCA is lost. */
  hostLost(host: HostId): boolean;
  /** Why the LCA of a backup refuses an order to primary when it arrives (lca.ts). */
  refusal(target: App): string | undefined;
  /**
   * Decides every pair again from the view as it is; an SCS in backup mode that sees its peer
   * in backup mode too takes the role if configured primary.
   */
  decide(): void;
  /** This SCS's own process: in a switchover of the SCS pair it carries out its part itself. */
  readonly own: App;
}

export class OrderBook {
  /** At most one order per pair; it ends when carried out, refused, undeliverable or unanswered. */
  private readonly orders = new Map<PairId, Order>();
  /** The scs-order-timeout of each pair's order. */
  private readonly orderTimers = new Map<PairId, TimerSlot>();
  private readonly promoted = new Map<PairId, AppId>();
  /**
   * Switchovers whose order SCS gave up (unanswered within scs-order-timeout, its LCA lost, or
   * the SCS stopped or stepped down): SCS decides the pair again, or its peer does. A target that
   * gets such an order late (it was hung, or the order waited behind TCP retransmissions) and
   * runs as primary carries out a stale order (SCS resolves the two primaries it may make); the
   * record stays failed: SCS had given it up, and the pair may have recovered otherwise meanwhile
   * (its restarted primary taken back).
   */
  private readonly givenUp = new WeakSet<SwitchoverRecord>();
  /**
   * Members that refused an order to take the primary role, not heard of since: not ordered
   * again until a report about them or their LCA connection changes (a refusal is news).
   */
  private readonly refused = new Set<App>();

  constructor(
    private readonly env: Env,
    private readonly desk: OrderDesk,
  ) {}

  /** Orders pending (liveness: 0 once settled). */
  get size(): number {
    return this.orders.size;
  }

  /** Pairs with an order pending, by id. */
  pairs(): PairId[] {
    return [...this.orders.keys()].sort();
  }

  /** An order is pending for the pair: it is decided again when the order ends. */
  busy(pairId: PairId): boolean {
    return this.orders.has(pairId);
  }

  /** The member refused an order to primary and nothing was heard of it since. */
  refusedRole(app: App): boolean {
    return this.refused.has(app);
  }

  private setPromoted(pairId: PairId, id: AppId | undefined): void {
    if (id === undefined) this.promoted.delete(pairId);
    else this.promoted.set(pairId, id);
  }

  /** The member this SCS last ordered to primary, if any. */
  lastPromoted(pairId: PairId): AppId | undefined {
    return this.promoted.get(pairId);
  }

  /** The LCA of a host is lost: an order to a member there can no longer be carried out. */
  onLcaLost(pair: HaPair, host: HostId): void {
    for (const m of pair.members) if (m.host.id === host) this.refused.delete(m);
    const o = this.orders.get(pair.id);
    if (o && o.target.host.id === host) this.dropOrder(pair.id, `LCA of ${host} unreachable`);
  }

  /** A report about a member of a pair: ends the order it carries out (or fails). */
  onReport(pair: HaPair, app: App, r: AppReport): void {
    this.refused.delete(app);
    const o = this.orders.get(pair.id);
    if (!o || o.target !== app) return;
    if (o.kind === 'promote') {
      if (r.role === 'primary' && r.status !== 'stopped') {
        this.endOrder(pair.id);
        // Only now is a still-running old primary ordered to backup, never before.
        const old = o.demoteAfter;
        if (old && this.runsAsPrimary(old)) {
          this.orderDemote(pair, old, `${app.id} runs as primary`);
        }
      } else if (r.status === 'stopped') {
        if (o.rec.completedAtMs === undefined) o.rec.failure ??= 'backup-lost';
        this.endOrder(pair.id);
      }
    } else if (r.role === 'backup' || r.status === 'stopped') {
      this.endOrder(pair.id);
    }
  }

  /** An operator's switchover order (manual-switchover): to the backup if it runs. */
  manualSwitchover(pair: HaPair, fault: FaultRef): boolean {
    if (!this.desk.acting()) return false;
    const { view } = this.desk;
    // The member running as primary in this SCS's view (one it believes lost is not current).
    const current =
      pair.members.find((m) => view(m.id).role === 'primary' && !view(m.id).down) ??
      pair.members[0];
    const target = pair.other(current);
    const busy = this.orders.has(pair.id);
    if (busy || !this.desk.ready(target)) {
      const rec = this.env.recorder.switchover({
        pair: pair.id,
        redundancy: pair.redundancy,
        cause: 'manual',
        fault,
        detectedAtMs: this.env.ctx.nowMs,
        from: current.id,
        to: target.id,
      });
      rec.failure = busy
        ? `an order for ${pair.id} is still pending`
        : `backup ${target.id} is not running and Started`;
      return false;
    }
    this.order(pair, target, current, 'manual', this.env.ctx.nowMs, fault, { demoteFirst: true });
    return true;
  }

  /**
   * Sends the switchover order to the target's LCA; the record completes when it runs. A
   * still-running old primary is ordered to backup once the target runs as primary (for a
   * manual switchover, the operator's order goes to both at once).
   */
  order(
    pair: HaPair,
    target: App,
    failed: App,
    cause: SwitchoverCause,
    detectedAtMs: number,
    fault?: FaultRef,
    how: { demoteFirst?: boolean; drainEndMs?: number | undefined } = {},
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
      ...(how.drainEndMs !== undefined ? { drainEndMs: how.drainEndMs } : {}),
    });
    const oldRuns = this.runsAsPrimary(failed);
    this.orders.set(pair.id, {
      kind: 'promote',
      target,
      rec,
      demoteAfter: oldRuns ? failed : undefined,
      promotedBefore: this.promoted.get(pair.id),
    });
    this.armOrderTimeout(pair.id);
    this.promoted.set(pair.id, target.id);
    ctx.trace(pair.id, 'switchover-ordered', `${cause} ${failed.id}->${target.id}`);
    // The old primary is told through its LCA. An SCS switching its own pair over whose LCA is
    // lost steps down itself once its peer runs as primary instead (orderDemote): that order
    // would be lost, and both would run as primary to the end.
    const ownLcaLost = failed === this.desk.own && this.desk.hostLost(failed.host.id);
    if (how.demoteFirst && oldRuns && !ownLcaLost)
      this.desk.link(failed.host.id)?.send(0, () => failed.demote());
    const link = this.desk.link(target.host.id);
    link?.send(0, () => {
      /** The refusal goes back to SCS on the same connection. */
      const refuse = (why: string): void => {
        rec.failure = why;
        ctx.trace(target.id, 'switchover-refused', why);
        link.send(1, () => this.onOrderRefused(pair, rec));
      };
      // The LCA carries out the order only for a backup that looks Started when it arrives (a
      // hidden hang does: the order then waits unread, and unanswered, until the hang ends).
      const refusal = this.desk.refusal(target);
      if (refusal) {
        refuse(refusal);
        return;
      }
      target.promote((late) => {
        // Its guard refused when the promotion was to complete: reported like a refusal.
        if (late !== undefined) refuse(late);
        else if (this.givenUp.has(rec))
          ctx.trace(
            target.id,
            'stale-order',
            `${rec.cause} ${failed.id}->${target.id}: ${rec.failure}`,
          );
        else if (rec.completedAtMs === undefined) {
          // Promoted, but Service Unavailable (its CTI links went while it was promoted): the
          // switchover did not bring the service back (SPEC §3: to the new primary in service).
          if (target.status === 'service-unavailable')
            rec.failure ??= 'promoted service-unavailable';
          else rec.completedAtMs = ctx.nowMs;
        }
      });
    });
    return rec;
  }

  /** Orders a member to backup (the other one runs as primary); tracked like a switchover. */
  orderDemote(pair: HaPair, target: App, why: string): void {
    if (target === this.desk.own) {
      // This SCS itself: it steps down at once, whether or not the LCA of its host answers
      // (lost, it would leave two SCS in primary mode that no one resolves).
      this.env.ctx.trace(pair.id, 'demote-ordered', `${target.id}: ${why}`);
      target.demote();
      return;
    }
    const link = this.desk.link(target.host.id);
    if (!link || this.desk.hostLost(target.host.id)) return;
    this.orders.set(pair.id, { kind: 'demote', target });
    this.armOrderTimeout(pair.id);
    this.env.ctx.trace(pair.id, 'demote-ordered', `${target.id}: ${why}`);
    link.send(0, () => target.demote());
  }

  private onOrderRefused(pair: HaPair, rec: SwitchoverRecord): void {
    const o = this.orders.get(pair.id);
    if (!o || o.kind !== 'promote' || o.rec !== rec) {
      // This SCS's own pair (a manual switchover): it stepped down with the order, which ended
      // its orders. The refusal is news: with neither SCS primary, one takes the role (decide).
      if (pair.members.includes(this.desk.own)) this.desk.decide();
      return;
    }
    this.endOrder(pair.id);
    this.refused.add(o.target);
    // The refusal is news about its target, which is not ordered again until heard of; the pair
    // is decided again at once from the view as it is (what reached SCS while the order was
    // pending included): another member that can take the role is ordered, or nothing is, and
    // the next report about a member decides it again — never the same order in a loop.
    this.desk.decide();
  }

  /**
   * Runs as primary as this SCS knows it: its own process as it is (whatever the LCA of its host
   * says), any other app as its view has it.
   */
  private runsAsPrimary(app: App): boolean {
    if (app === this.desk.own) return app.role === 'primary';
    const v = this.desk.view(app.id);
    return v.role === 'primary' && !v.down;
  }

  /**
   * scs-order-timeout: an order nobody answered is dropped and the pair decided again at once.
   * Reports about its members that came meanwhile were not acted on (a pair with an order
   * pending is not decided): the view may call for another order, or the same one again (lost
   * on the way: retried once per scs-order-timeout, never twice in one instant).
   */
  private armOrderTimeout(pairId: PairId): void {
    let slot = this.orderTimers.get(pairId);
    if (!slot) {
      slot = new TimerSlot(this.env.ctx);
      this.orderTimers.set(pairId, slot);
    }
    slot.arm(this.env.opts.ms('scs-order-timeout'), () => {
      const o = this.orders.get(pairId);
      if (!o) return;
      if (o.kind === 'promote' && o.rec.completedAtMs === undefined) {
        // A promotion SCS gave up is none it made: two primaries its stale order may make are
        // resolved as before it (keeping the member that served meanwhile).
        this.setPromoted(pairId, o.promotedBefore);
      }
      this.dropOrder(pairId, 'no answer within scs-order-timeout');
      this.desk.decide();
    });
  }

  /**
   * Ends an order SCS gives up (unanswered, its LCA lost, or this SCS stopped or stepped down):
   * a promotion not carried out yet stays failed, even if its target gets the order later
   * (`givenUp`: a stale order) — unless `handover`: the SCS pair's own switchover, whose order
   * the stepping-down SCS leaves to its peer (it completes when the peer carries it out).
   */
  private dropOrder(pairId: PairId, why: string, handover = false): void {
    const o = this.orders.get(pairId);
    if (!o) return;
    if (o.kind === 'promote' && o.rec.completedAtMs === undefined && !handover) {
      o.rec.failure ??= why;
      this.givenUp.add(o.rec);
    }
    this.env.ctx.trace(pairId, 'order-dropped', `${o.kind} ${o.target.id}: ${why}`);
    this.endOrder(pairId);
  }

  private endOrder(pairId: PairId): void {
    this.orders.delete(pairId);
    this.orderTimers.get(pairId)?.cancel();
  }

  /**
   * Every order is dropped (the SCS stopped or stepped down: it decides nothing now); the one of
   * pair `handover` (its own, when it stepped down for its peer) is left to its target.
   */
  dropAll(why: string, handover?: PairId): void {
    for (const id of [...this.orders.keys()].sort()) this.dropOrder(id, why, id === handover);
  }
}
