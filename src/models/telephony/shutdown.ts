// Genesys graceful shutdown of a SIP Server (DOMAIN §6, seed 002): agents NotReady at once, new
// calls refused (603, or 302 to the peer site with dr-peer-trunk), queued calls re-routed to the
// peer site, idle agents logged out at once (graceful_shutdown_logout), talking agents when
// their call ends; the server exits when no call remains, or drops what is left at
// graceful-shutdown-max.

import { mapObjects, TimerSlot } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { AgentControl } from './agent-control.js';
import { PendingLogout, type AgentTable } from './agents.js';
import { CallState, type CallPool } from './calls.js';
import { callImpact, type LiveCallState } from './impact.js';
import type { PoolLayout } from './layout.js';

/** What the shutdown asks of telephony. */
export interface ShutdownHost {
  readonly calls: CallPool;
  readonly agents: AgentTable;
  /** Takes every queued and pending call off the pool's queues (in order) and hands it to `each`. */
  drainWaiting(pool: number, each: (c: number) => void): void;
  /** The pool has a primary in service and is not draining. */
  poolInService(pool: number): boolean;
  /** The call leaves `from` for `to`. */
  moveCall(c: number, from: number, to: number): void;
  /** The call reaches its (new) pool. */
  admit(c: number): void;
  reject(c: number): void;
  dropCall(c: number): void;
  /** Agents' logouts and reassessment after a pool change. */
  readonly agentControl: AgentControl;
  poolServiceChanged(pool: number, inService: boolean): void;
}

export class GracefulShutdown {
  private readonly active: Uint8Array;
  private readonly app: (App | undefined)[];
  /** The process of that app the shutdown belongs to (App.incarnation): it ends with it. */
  private readonly incarnation: Float64Array;
  /** Each pool's graceful-shutdown-max cap: it belongs to the shutdown that armed it. */
  private readonly cap: TimerSlot[];
  private readonly pairs: readonly HaPair[];
  /** Site (index) of each pool. */
  private readonly poolSite: Int32Array;
  /** The SIP pool serving calls entering each site (-1: none). */
  private readonly sitePool: Int32Array;

  constructor(
    private readonly env: Env,
    /** The pools (their pairs and sites), and the SIP pool serving calls entering each site. */
    layout: PoolLayout,
    private readonly host: ShutdownHost,
  ) {
    this.pairs = mapObjects(layout.pools, (p) => p.pair);
    this.poolSite = layout.poolSite;
    this.sitePool = layout.sitePool;
    this.active = new Uint8Array(this.pairs.length);
    this.app = new Array<App | undefined>(this.pairs.length).fill(undefined);
    this.incarnation = new Float64Array(this.pairs.length);
    this.cap = mapObjects(this.pairs, () => new TimerSlot(env.ctx));
  }

  /** The pool is draining. */
  draining(pool: number): boolean {
    return this.active[pool] === 1;
  }

  /** The app that is shutting its pool down (undefined: none). */
  appOf(pool: number): App | undefined {
    return this.app[pool];
  }

  /**
   * Why a graceful shutdown of `app` drains nothing (undefined: it drains its pool). Only the
   * primary the pool is served by has calls and agents to drain: a backup, a split brain's other
   * primary or a hung one has none; a stopped one hears nothing. The timeline says why.
   */
  private whyIgnored(app: App, pool: number): string | undefined {
    if (!app.up) return 'not running';
    if (this.active[pool]) return 'its pool is draining already';
    if (this.pairs[pool]!.primaryInService() !== app)
      return 'not the primary the pool is served by';
    return undefined;
  }

  start(app: App): void {
    const pool = this.pairs.findIndex((p) => p.members.includes(app));
    if (pool < 0) return;
    const { ctx, opts } = this.env;
    const ignored = this.whyIgnored(app, pool);
    if (ignored !== undefined) {
      ctx.trace(app.id, 'graceful-shutdown', `ignored: ${ignored}`);
      return;
    }
    const h = this.host;
    this.active[pool] = 1;
    this.app[pool] = app;
    this.incarnation[pool] = app.incarnation;
    const peerTrunk = opts.str('dr-peer-trunk');
    ctx.trace(
      app.id,
      'graceful-shutdown',
      peerTrunk !== ''
        ? `draining; new calls 302 to ${peerTrunk}`
        : `draining; new calls refused with ${opts.num('shutdown-sip-reject-code')}`,
    );
    h.poolServiceChanged(pool, false);
    // Queued and pending calls go to the peer site's queue, keeping their place in time.
    const peer = this.peerPool(pool);
    h.drainWaiting(pool, (c) => this.requeue(c, peer));
    const { agents } = h;
    for (let a = 0; a < agents.count; a++) {
      if (agents.pool[a] !== pool) continue;
      if (agents.call[a]! >= 0) agents.logoutPending[a] = PendingLogout.Graceful;
      else h.agentControl.logout(a, 'graceful_shutdown_logout');
    }
    h.agentControl.reassessPool(pool);
    this.cap[pool]!.arm(opts.ms('graceful-shutdown-max'), () => this.onCap(pool));
    if (this.callsLeft(pool) === 0) this.finish(pool);
  }

  /**
   * A call waiting at the draining pool goes to the peer site's queue (`peer`, from peerPool),
   * keeping its place in time; refused when no peer serves.
   */
  private requeue(c: number, peer: number): void {
    const h = this.host;
    if (peer >= 0) {
      h.moveCall(c, h.calls.pool[c]!, peer);
      h.admit(c);
    } else {
      h.calls.state[c] = CallState.Queued;
      this.refuse(c);
    }
  }

  /**
   * A call announced at the draining pool comes back to routing there (its INVITE to another
   * site's agent gave up at Timer B): it waits no more in a queue no agent serves, but goes to
   * the peer site as the calls queued at the drain's start did.
   */
  reroute(c: number): void {
    const pool = this.host.calls.pool[c]!;
    this.host.calls.state[c] = CallState.Queued; // announced here: its release is reported here
    this.requeue(c, this.peerPool(pool));
    this.callEnded(pool); // it was this server's call: it may exit now
  }

  /**
   * Where a new call reaching the draining pool goes: with dr-peer-trunk, 302 to the peer site's
   * pool in service; -1 without it (603 Decline) or when no peer serves. The one rule for the
   * calls (refuse) and for whether callers can reach an agent (reach.ts).
   */
  redirectPool(pool: number): number {
    return this.env.opts.str('dr-peer-trunk') !== '' ? this.peerPool(pool) : -1;
  }

  /** A new call reached a draining pool: 302 to the peer site's trunk, or 603 Decline. */
  refuse(c: number): void {
    const h = this.host;
    const pool = h.calls.pool[c]!;
    const peer = this.redirectPool(pool);
    if (peer >= 0) {
      h.moveCall(c, pool, peer);
      h.calls.site[c] = this.poolSite[peer]!;
      h.admit(c);
      return;
    }
    h.reject(c); // shutdown-sip-reject-code
  }

  /** Another site's SIP pool in service (-1: none), the next after the pool's site. */
  private peerPool(pool: number): number {
    const site = this.poolSite[pool]!;
    const ns = this.sitePool.length;
    for (let k = 1; k < ns; k++) {
      const p = this.sitePool[(site + k) % ns]!;
      if (p >= 0 && this.host.poolInService(p)) return p;
    }
    return -1;
  }

  /** A call of the pool (entered there, or delivered to one of its agents) ended: the server exits once none is left. */
  callEnded(pool: number): void {
    if (this.active[pool] && this.callsLeft(pool) === 0) this.finish(pool);
  }

  /**
   * Calls the draining server still carries: those that entered through it, and those delivered
   * (or being delivered) across the WAN to its agents — scanned for only once the first are gone.
   */
  private callsLeft(pool: number): number {
    const { calls } = this.host;
    const n = calls.perPool[pool]!;
    return n > 0 ? n : calls.carriedBy(pool, true);
  }

  /** The draining server's own process is still running (not one restarted since its exit). */
  private drainerUp(pool: number): boolean {
    const app = this.app[pool];
    return app !== undefined && app.up && app.incarnation === this.incarnation[pool];
  }

  private finish(pool: number): void {
    const app = this.app[pool];
    if (!app || !this.drainerUp(pool)) return;
    this.cap[pool]!.cancel();
    this.env.ctx.trace(app.id, 'graceful-shutdown', 'exit');
    app.crash('graceful-shutdown');
  }

  /** graceful-shutdown-max reached (this shutdown's own cap). */
  private onCap(pool: number): void {
    if (!this.active[pool] || !this.drainerUp(pool)) return;
    const { calls } = this.host;
    for (let c = 0; c < calls.cap; c++) {
      const st = calls.state[c]! as LiveCallState | CallState.Free;
      if (
        st !== CallState.Free &&
        (calls.pool[c] === pool || calls.agentPool[c] === pool) &&
        callImpact('shutdown-cap', st) === 'drop'
      )
        this.host.dropCall(c);
    }
    this.finish(pool);
  }

  /**
   * The pool has a primary in service again: the shutdown is over if it is another member, or
   * the same server restarted (a new process: the drain was the old one's, which exited). Only
   * then: a restarted server that took the role back would otherwise drain and exit again at
   * once, over and over, while SCS could not switch to its backup. True when it ended the
   * shutdown.
   */
  primaryBack(pool: number, primary: App): boolean {
    const leaving = this.app[pool];
    if (!leaving || (leaving === primary && primary.incarnation === this.incarnation[pool]))
      return false;
    this.end(pool);
    return true;
  }

  /** The shutdown is over. */
  private end(pool: number): void {
    this.active[pool] = 0;
    this.app[pool] = undefined;
    this.cap[pool]!.cancel();
  }
}
