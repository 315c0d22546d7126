// A telephony pool (a site's SIP Server pair, or a T-Server pair) in and out of service: the
// pool serves while its pair has a primary in service. When it loses it, the failure is
// classified (lossCause) and each call running through the pool meets its fate from the failure
// impact table (impact.ts); when the last running member of an out-of-service SIP pair dies the
// site's calls are cut. When a primary is back, telephony routes what waited (serviceBack).

import { assertNever, mapObjects } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { AgentControl } from './agent-control.js';
import { applyImpact, lossCause, type FailureCause, type ImpactHost } from './impact.js';
import type { PoolDef } from './layout.js';
import type { CallImpact } from './observer.js';
import type { GracefulShutdown } from './shutdown.js';

/** What the pools' service changes ask of telephony. */
export interface PoolServiceHost extends ImpactHost {
  /** Its agents are reassessed when the pool lost its primary (the calls' fate applied). */
  readonly agentControl: AgentControl;
  /**
   * The pool's inService flag was just written, before anything else hears of the change: a
   * pool that lost service tells its ICONs nothing from now on (TelephonyEvents.serviceChanged).
   */
  inServiceChanged(pool: number): void;
  /** The pool has a primary in service again: what waited on it is routed. */
  serviceBack(pool: number): void;
  poolServiceChanged(pool: number, inService: boolean): void;
}

export class PoolService {
  /** Per pool: 1 while its pair has a primary in service. */
  readonly inService: Uint8Array;
  private readonly lastPrimary: (App | undefined)[];
  /**
   * Per pool, after a hot switchover that kept the calls (hot-switchover-synced): a bit per
   * member (1 << index) that has run since and so holds their synchronised state; 0: none
   * pending. When the last of them exits, or a member without it becomes the primary (restarted
   * after the loss), the calls lose their state as in a warm switchover (stateLost).
   */
  private readonly holders: Uint8Array;
  /** Per pool: when it last lost its primary (the calls that arrived before it are the kept ones). */
  private readonly lostAtMs: Float64Array;
  private readonly syncLagMs: number;
  /** Calls dropped or degraded by each failure, in order. */
  readonly impacts: CallImpact[] = [];

  constructor(
    private readonly env: Env,
    private readonly pools: readonly PoolDef[],
    private readonly shutdown: GracefulShutdown,
    private readonly host: PoolServiceHost,
  ) {
    this.inService = new Uint8Array(pools.length);
    this.holders = new Uint8Array(pools.length);
    this.lostAtMs = new Float64Array(pools.length);
    this.lastPrimary = mapObjects(pools, (p) => p.pair.primaryInService());
    this.syncLagMs = env.opts.ms('ha-sync-lag');
  }

  /** Follows the pairs and their members from now on. */
  listen(): void {
    this.pools.forEach((p, i) => {
      this.inService[i] = p.pair.primaryInService() ? 1 : 0;
      this.host.inServiceChanged(i);
      p.pair.onStateChange(() => this.onPairChanged(i));
      p.pair.members.forEach((m, k) => {
        m.listen({ onAppChanged: (_app, c) => this.onMemberChanged(i, k, c) });
      });
    });
  }

  private onPairChanged(pool: number): void {
    const p = this.pools[pool]!;
    const primary = p.pair.primaryInService();
    const now = primary ? 1 : 0;
    if (now === this.inService[pool]) {
      if (!primary || primary === this.lastPrimary[pool]) return;
      // Another member serves without a gap (a split brain resolved, a conflict demotion): a
      // graceful shutdown of the one that left is over, as after a gap; the pool serves again.
      this.lastPrimary[pool] = primary;
      if (this.shutdown.primaryBack(pool, primary)) {
        this.host.serviceBack(pool);
        this.host.poolServiceChanged(pool, true);
      }
      return;
    }
    this.inService[pool] = now;
    this.host.inServiceChanged(pool);
    if (!primary) this.onServiceLost(pool);
    else {
      // A primary restarted since the loss of a hot pair knows none of the calls it kept.
      const held = this.holders[pool]!;
      this.holders[pool] = 0;
      if (held !== 0 && !(held & (1 << p.pair.members.indexOf(primary))))
        this.stateLost(pool, true);
      this.shutdown.primaryBack(pool, primary);
      this.lastPrimary[pool] = primary;
      this.host.serviceBack(pool);
    }
    this.host.poolServiceChanged(pool, now === 1);
  }

  /** The pool lost its primary: each call's fate comes from the failure impact table. */
  private onServiceLost(pool: number): void {
    const p = this.pools[pool]!;
    const old = this.lastPrimary[pool];
    const membersUp = p.pair.members.filter((m) => m.up).length;
    const lagFrom = this.env.ctx.nowMs - this.syncLagMs;
    let cause = lossCause(p.kind, membersUp, old, p.pair.redundancy);
    if (cause === 'hot-switchover-synced') {
      let held = 0;
      p.pair.members.forEach((m, k) => {
        if (m.up) held |= 1 << k;
      });
      this.holders[pool] = held;
      this.lostAtMs[pool] = this.env.ctx.nowMs;
      if (held === 0) cause = 'warm-switchover';
    }
    this.applyImpact(pool, cause, lagFrom);
    this.host.agentControl.reassessPool(pool);
  }

  /** Member `k` of pool `pool` exited or vanished while the pair had no primary in service. */
  private onMemberChanged(pool: number, k: number, c: AppChange): void {
    switch (c.type) {
      case 'app.crashed':
      case 'app.vanished':
        if (!this.inService[pool]) {
          this.onMemberLost(pool);
          const held = this.holders[pool]!;
          if (held & (1 << k)) {
            this.holders[pool] = held & ~(1 << k);
            if (this.holders[pool] === 0) this.stateLost(pool, false); // the calls' last copy
          }
        }
        return;
      case 'app.started':
      case 'app.promoted':
      case 'app.demoted':
      case 'app.hung':
      case 'app.unhung':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        return; // the pair's state (onPairChanged) decides what serves
      default:
        assertNever(c, 'app change');
    }
  }

  /** The last running member of an out-of-service SIP pair died: the site's calls are cut. */
  private onMemberLost(pool: number): void {
    const p = this.pools[pool]!;
    if (p.kind !== 'sip' || p.pair.members.some((m) => m.up)) return;
    this.applyImpact(pool, 'site-failure', 0);
  }

  /**
   * The calls a hot switchover kept lost their synchronised state before a member that held it
   * served them: no server knows them, as after a warm switchover (DOMAIN §6).
   */
  private stateLost(pool: number, atRestore: boolean): void {
    this.holders[pool] = 0;
    this.applyImpact(pool, 'warm-switchover', 0, this.lostAtMs[pool], atRestore);
  }

  private applyImpact(
    pool: number,
    cause: FailureCause,
    lagFromMs: number,
    beforeMs?: number,
    atRestore = false,
  ): void {
    const { dropped, degraded } = applyImpact(this.host, pool, cause, lagFromMs, beforeMs);
    if (dropped + degraded > 0)
      this.impacts.push({
        pair: this.pools[pool]!.pair.id,
        atMs: this.env.ctx.nowMs,
        dropped,
        degraded,
        ...(atRestore ? { atRestore: true as const } : {}),
      });
  }
}
