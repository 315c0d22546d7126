// An application process on a host: its status (Stopped, Starting, Started, Service
// Unavailable, Hung) and, inside an HA pair, its role. Type-specific behaviour (calls, CTI
// links, ICON pipelines) hangs off the listeners; this file is the process and role only.

import { assert, assertNever, objectArray, TimerSlot } from '../../sim/index.js';
import type { AppType } from '../../spec/kinds.js';
import type { Env } from '../env.js';
import type { AppId, HostId, SiteId } from '../../spec/types.js';

export type AppStatus = 'stopped' | 'starting' | 'started' | 'service-unavailable' | 'hung';
export type Role = 'primary' | 'backup';

export type AppChange =
  | { type: 'app.crashed'; cause: string }
  | { type: 'app.vanished'; cause: string }
  | { type: 'app.started' }
  | { type: 'app.promoted' }
  | { type: 'app.demoted' }
  | { type: 'app.hung' }
  | { type: 'app.unhung' }
  | { type: 'app.serviceChanged'; available: boolean }
  /** Why it would refuse to become primary changed (the Config Server guard). */
  | { type: 'app.guardChanged' };

export interface AppListener {
  onAppChanged(app: App, change: AppChange): void;
}

export interface AppHost {
  readonly id: HostId;
  readonly site: SiteId;
  readonly powered: boolean;
  /** The LCA of the host, told at once when a process exits or changes state. */
  appChanged(app: App, change: AppChange): void;
  /**
   * An order found the app already in the mode it orders (to backup, or to primary): the LCA
   * reports the mode it runs in, so SCS's order ends (a stale view does not re-send it).
   */
  modeConfirmed(app: App): void;
}

/** What keeps a view of an app's status and role (its HA pair's primary in service). */
export interface AppStateView {
  /** The app's status or role changed: a view computed from them is stale. */
  appStateChanged(): void;
}

/** Called when a promotion ends: with the reason when the app refused it at the last moment. */
export type PromotionDone = (refusal?: string) => void;

export class App {
  /** The status (read through `status`; every write goes through setStatus). */
  private st: AppStatus = 'started';
  /** The role (read through `role`; every write goes through setRole). */
  private rl: Role;
  /** Told of every status and role change (the HA pair, which caches its primary in service). */
  view: AppStateView | undefined = undefined;
  /** When the current hang began (-1 when not hung). */
  hungSinceMs = -1;
  /** When the current process started (the LCA heartbeat cycle is phased from it). */
  startedAtMs = 0;
  /** Processes started so far; events of an earlier incarnation are ignored. */
  incarnation = 0;
  /** Cannot run at all (a hot telephony server without the cti-ha licence). */
  unlicensed = false;
  /** process-crash with a duration: starts fail until then. */
  blockedUntilMs = -1;
  /** Service Unavailable reported by the app itself (e.g. no CTI link). */
  private serviceDown = false;
  /** Started after app-start-time; a stop ends its episode (sim/timer-slot.ts). */
  private readonly startTimer: TimerSlot;
  /** Runs as primary after switchover-time; a stop ends its episode. */
  private readonly promoteTimer: TimerSlot;
  private pendingPromotion: PromotionDone | undefined;
  /**
   * The last order (to backup, or to primary with its completion) that reached the process
   * while it hung: it waits on the connection and is carried out when the process answers again.
   */
  private queued: { role: 'backup' } | { role: 'primary'; onDone: PromotionDone } | undefined;
  /** Its promotion guard changed while it hung: it tells its LCA when it answers again. */
  private guardUntold = false;
  private readonly listeners: AppListener[] = objectArray();

  constructor(
    private readonly env: Env,
    readonly id: AppId,
    readonly type: AppType,
    readonly host: AppHost,
    role: Role,
    /** Part of an HA pair (restarts join as backup). */
    readonly paired: boolean,
  ) {
    this.rl = role;
    this.startTimer = new TimerSlot(env.ctx);
    this.promoteTimer = new TimerSlot(env.ctx);
  }

  get status(): AppStatus {
    return this.st;
  }

  get role(): Role {
    return this.rl;
  }

  private setStatus(s: AppStatus): void {
    this.st = s;
    this.view?.appStateChanged();
  }

  private setRole(r: Role): void {
    this.rl = r;
    this.view?.appStateChanged();
  }

  /** Cannot run at all (a missing licence): stopped from the start, never started. */
  markUnlicensed(): void {
    this.setStatus('stopped');
    this.unlicensed = true;
  }

  listen(l: AppListener): void {
    this.listeners.push(l);
  }

  /** The process exists (it may be hung or unavailable). */
  get up(): boolean {
    return this.status !== 'stopped' && this.status !== 'starting';
  }

  /**
   * The status its LCA and clients see: a hung process keeps its connections and looks as it
   * did before it hung (only heartbeats can tell, DOMAIN §2, §4).
   */
  get apparentStatus(): AppStatus {
    if (this.status !== 'hung') return this.status;
    return this.serviceDown ? 'service-unavailable' : 'started';
  }

  /** Serving requests in its role: Started and not hung. */
  get serving(): boolean {
    return this.status === 'started';
  }

  get isPromoting(): boolean {
    return this.promoteTimer.pending;
  }

  private emit(change: AppChange): void {
    const { ctx } = this.env;
    ctx.trace(this.id, this.stateLabel(), causeOf(change));
    this.host.appChanged(this, change);
    const ls = this.listeners; // indexed: every fault reaches each listener
    for (let i = 0; i < ls.length; i++) ls[i]!.onAppChanged(this, change);
  }

  stateLabel(): string {
    return this.paired && this.status !== 'stopped' && this.status !== 'starting'
      ? `${this.role} ${this.status}`
      : this.status;
  }

  private stopProcess(): void {
    this.incarnation++;
    this.setStatus('stopped');
    this.hungSinceMs = -1;
    this.queued = undefined;
    this.guardUntold = false;
    this.cancelTimers();
  }

  private cancelTimers(): void {
    this.startTimer.cancel();
    this.promoteTimer.cancel();
    this.pendingPromotion = undefined;
  }

  /** The process exits on a live host (the LCA sees it at once). */
  crash(cause: string): void {
    if (this.status === 'stopped') return;
    this.stopProcess();
    this.emit({ type: 'app.crashed', cause });
  }

  /** The host vanished under the process: nobody is told. */
  vanish(cause: string): void {
    if (this.status === 'stopped') return;
    this.stopProcess();
    this.emit({ type: 'app.vanished', cause });
  }

  /** Starts the process (LCA order); Started after app-start-time, as backup when paired. */
  start(): void {
    if (this.status !== 'stopped' || !this.host.powered || this.unlicensed) return;
    const { ctx, opts } = this.env;
    this.incarnation++;
    this.setStatus('starting');
    ctx.trace(this.id, 'starting', 'start');
    this.startTimer.arm(opts.ms('app-start-time'), () => {
      if (ctx.nowMs < this.blockedUntilMs) {
        this.crash('start-failed');
        return;
      }
      if (this.serviceProbe) this.serviceDown = !this.serviceProbe();
      this.setStatus(this.serviceDown ? 'service-unavailable' : 'started');
      this.startedAtMs = ctx.nowMs;
      if (this.paired) this.setRole('backup');
      this.emit({ type: 'app.started' });
    });
  }

  /** Set by type-specific models: can the app serve as it starts (a T-Server: any CTI link)? */
  serviceProbe: (() => boolean) | undefined;

  /** Set by type-specific models: why this app would refuse to become primary now. */
  promotionGuard: (() => string | undefined) | undefined;

  promotionRefusal(): string | undefined {
    return this.promotionGuard?.();
  }

  /**
   * SCS's order reached the app: it runs as primary after switchover-time, unless its promotion
   * guard refuses by then (a Config Server that lost its database meanwhile): it stays backup and
   * `onDone` gets the refusal.
   */
  promote(onDone: PromotionDone): void {
    if (this.status === 'hung') {
      // A hung process reads nothing: the order waits (the last one wins) until the hang ends.
      this.queued = this.role === 'backup' ? { role: 'primary', onDone } : undefined;
      return;
    }
    if (!this.up || this.role === 'primary') {
      onDone();
      if (this.up) this.host.modeConfirmed(this);
      return;
    }
    if (this.promoteTimer.pending) {
      const prev = this.pendingPromotion;
      this.pendingPromotion = (refusal) => {
        prev?.(refusal);
        onDone(refusal);
      };
      return;
    }
    const { opts } = this.env;
    this.pendingPromotion = onDone;
    this.promoteTimer.arm(opts.ms('switchover-time'), () => {
      const done = this.pendingPromotion;
      this.pendingPromotion = undefined;
      if (!this.up) return;
      const refusal = this.promotionRefusal();
      if (refusal !== undefined) {
        done?.(refusal);
        return;
      }
      this.setRole('primary');
      this.emit({ type: 'app.promoted' });
      done?.();
    });
  }

  demote(): void {
    if (this.status === 'hung') {
      // A hung process reads nothing; the order waits on its connection until the hang ends.
      this.queued = this.role === 'primary' ? { role: 'backup' } : undefined;
      return;
    }
    if (!this.up) return;
    if (this.role === 'backup') {
      this.host.modeConfirmed(this);
      return;
    }
    this.setRole('backup');
    this.emit({ type: 'app.demoted' });
  }

  /** Alive but serving nothing; looks Started to everyone (only heartbeats can tell). */
  hang(): void {
    if (!this.up || this.status === 'hung') return;
    this.setStatus('hung');
    this.hungSinceMs = this.env.ctx.nowMs;
    this.emit({ type: 'app.hung' });
  }

  /** The hang ends by itself (process-hang with a duration). */
  unhang(): void {
    if (this.status !== 'hung') return;
    this.setStatus(this.serviceDown ? 'service-unavailable' : 'started');
    this.hungSinceMs = -1;
    const order = this.queued;
    this.queued = undefined;
    const demote = order?.role === 'backup';
    // The queued order to backup is the first thing it reads: it never serves as primary again.
    if (demote && this.role === 'primary') this.setRole('backup');
    this.emit({ type: 'app.unhung' });
    if (demote) this.emit({ type: 'app.demoted' });
    // A queued order to primary is read now (it may be stale: SCS may have dropped it), and
    // ignored if the app's own guard refuses it (a Config Server that sees its primary).
    if (order?.role === 'primary' && this.promotionRefusal() === undefined)
      this.promote(order.onDone);
    if (this.guardUntold) {
      this.guardUntold = false;
      this.guardChanged();
    }
  }

  /** The promotion guard changed: the app tells its LCA, so SCS decides again. */
  guardChanged(): void {
    if (!this.up) return;
    if (this.status === 'hung') {
      this.guardUntold = true; // a hung process tells nobody anything
      return;
    }
    this.emit({ type: 'app.guardChanged' });
  }

  /** The app reports it can (not) provide service (SCS acts on Service Unavailable). */
  setServiceAvailable(available: boolean): void {
    this.serviceDown = !available;
    if (this.status === 'started' && !available) this.setStatus('service-unavailable');
    else if (this.status === 'service-unavailable' && available) this.setStatus('started');
    else return;
    this.emit({ type: 'app.serviceChanged', available });
  }
}

function causeOf(c: AppChange): string {
  switch (c.type) {
    case 'app.crashed':
    case 'app.vanished':
      return c.cause;
    case 'app.started':
      return 'started';
    case 'app.promoted':
      return 'switchover';
    case 'app.demoted':
      return 'demoted';
    case 'app.hung':
      return 'hang';
    case 'app.unhung':
      return 'unhung';
    case 'app.serviceChanged':
      return c.available ? 'service-available' : 'service-unavailable';
    case 'app.guardChanged':
      return 'promotion-guard-changed';
    default:
      return assertNever(c, 'app change');
  }
}

export function assertPaired(app: App): void {
  assert(app.paired, () => `${app.id} is not in an HA pair`);
}
