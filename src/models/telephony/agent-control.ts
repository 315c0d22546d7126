// What happens to agents: login and logout (with the reason the DN listener reports), Ready /
// NotReady, wrap-up after a call, a logout held until the call ends, and the desktop's
// connection; each change updates the ready lists, the intervals and the outage book.

import { objectArray, type Handler, type HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import {
  AgentState,
  PendingLogout,
  PENDING_REASONS,
  type AgentTable,
  type LogoutReason,
} from './agents.js';
import type { Intervals } from './intervals.js';
import { SourceEvent, type TelephonyEvents, type TelephonyObserver } from './observer.js';
import type { OutageBook } from './outage.js';
import type { Router } from './routing.js';

/** What agent control asks of telephony. */
export interface AgentHost {
  readonly observers: readonly TelephonyObserver[];
  /** The call rings at (or is answered by) the agent. */
  connect(c: number, a: number): void;
  dropCall(c: number): void;
  /** The pool has a primary in service and is not draining. */
  poolInService(pool: number): boolean;
  /** The pool has a primary in service (draining or not): it can send EventAgentLogout. */
  poolHasPrimary(pool: number): boolean;
  /** Some pool went from no agent of a group logged in and connected to some, or back. */
  reachChanged(): void;
}

/** Wrap-up end event kinds: Ready afterwards (every call's), or NotReady (a login's owed one). */
const K_WRAP_END = 0;
const K_WRAP_END_NOT_READY = 1;

export class AgentControl implements Handler {
  /** Per pool, agents logged in through it, connected, the pool in service (callers can reach them). */
  readonly reachableIn: Int32Array;
  /** The same per pool × group (index pool × groups + group): what a service's callers can reach. */
  readonly reachableGroup: Int32Array;
  private readonly nGroup: number;
  /** The pool each agent counts in reachableIn (-1: none). */
  private readonly reachPool: Int32Array;
  /**
   * Per agent: it asked to be Ready (makeReady) during a wrap-up owed at a login that did not
   * restore its state — Ready, not NotReady, when that wrap-up ends.
   */
  private readonly readyAsked: Uint8Array;
  /** The observers of Ready agents and of ended calls, in the order they were added. */
  private readonly onReady: TelephonyObserver[] = objectArray();
  private readonly onEnded: TelephonyObserver[] = objectArray();
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    private readonly env: Env,
    private readonly agents: AgentTable,
    private readonly router: Router,
    private readonly outage: OutageBook,
    private readonly iv: Intervals,
    private readonly poolSite: Int32Array,
    private readonly host: AgentHost,
    /** The agents' records go to their pool's server (its ICONs' stream). */
    private readonly events: TelephonyEvents,
    pools: number,
    groups: number,
  ) {
    this.hid = env.ctx.handler(this);
    this.nGroup = Math.max(1, groups);
    this.reachableIn = new Int32Array(pools);
    this.reachableGroup = new Int32Array(pools * this.nGroup);
    this.reachPool = new Int32Array(agents.count).fill(-1);
    this.readyAsked = new Uint8Array(agents.count);
  }

  /** A telephony observer was added (Telephony.observe): its per-call hooks are called from here. */
  listen(o: TelephonyObserver): void {
    if (o.onAgentReady !== undefined) this.onReady.push(o);
    if (o.onCallEnded !== undefined) this.onEnded.push(o);
  }

  private setState(a: number, s: AgentState): void {
    const old = this.agents.state[a]!;
    if (old === s) return;
    this.agents.state[a] = s;
    this.reassess(a);
    if (s !== AgentState.LoggedOut) this.emitState(a);
  }

  /** The agent's state record, through the pool it is logged in through. */
  private emitState(a: number): void {
    this.events.emit(this.agents.pool[a]!, SourceEvent.AgentState, a);
  }

  /**
   * A step of the agent's call (Ready → Ringing or Talking → WrapUp → Ready): setState's
   * effects, fused. While the agent stays reachable through its pool (the usual case) the
   * reassessment comes down to the outage book: in these states the agent is not out (Ready
   * and reachable: able; the others: busy), so an open outage ends. Anything else takes
   * setState's path.
   */
  private step(a: number, s: AgentState): void {
    if (this.stepOwed(a, s)) this.emitState(a);
  }

  /**
   * `step` but for its record: true when the agent's state record is owed (the fast path: the
   * caller emits it, through the agent's pool), false when there is none or setState's path
   * emitted it.
   */
  private stepOwed(a: number, s: AgentState): boolean {
    const ag = this.agents;
    if (ag.state[a] === s) return false;
    const pool = ag.pool[a]!;
    if (
      pool < 0 ||
      this.reachPool[a] !== pool ||
      ag.connected[a] !== 1 ||
      !this.host.poolInService(pool)
    ) {
      this.setState(a, s);
      return false;
    }
    ag.state[a] = s;
    // The outage book's last site of the agent is its pool's already (reassess set it when the
    // agent became reachable through the pool: reachPool).
    const outage = this.outage;
    if (outage.startMs[a]! >= 0) outage.end(a, this.env.ctx.nowMs);
    return true;
  }

  /** The agent's call started ringing (or was answered at once). */
  ringing(a: number, c: number, rings: boolean): void {
    if (this.ringingOwed(a, c, rings)) this.emitState(a);
  }

  /**
   * `ringing`, but true when the agent's state record is owed: telephony emits it with the
   * call's Ringing record, which follows it at this instant through the same pool (the
   * agent's), in one append.
   */
  ringingOwed(a: number, c: number, rings: boolean): boolean {
    const owed = this.stepOwed(a, rings ? AgentState.Ringing : AgentState.Talking);
    this.agents.call[a] = c;
    return owed;
  }

  talking(a: number): void {
    this.step(a, AgentState.Talking);
  }

  becomeReady(a: number): void {
    this.agents.ev[a] = -1;
    if (this.agents.pool[a]! < 0) return;
    if (this.agents.logoutPending[a] === PendingLogout.Manual) {
      // The agent's interactions are closed: the logout it asked for happens now.
      this.logout(a, 'manual');
      return;
    }
    this.agents.wrapUntilMs[a] = -1;
    this.step(a, AgentState.Ready);
    const obs = this.onReady;
    for (let i = 0; i < obs.length; i++) obs[i]!.onAgentReady!(a);
    this.offer(a);
  }

  /** An agent that can take a call takes the next queued one, or waits in the ready list. */
  private offer(a: number): void {
    const ag = this.agents;
    const pool = ag.pool[a]!;
    if (pool < 0 || ag.state[a] !== AgentState.Ready || !ag.connected[a]) return;
    if (this.host.poolInService(pool)) {
      const c = this.router.callFor(a, this.env.ctx.nowMs);
      if (c >= 0) {
        this.host.connect(c, a);
        return;
      }
    }
    this.router.pushReady(a);
  }

  /** The agent's call is over (completed, or dropped: no wrap-up): wrap-up, or a pending logout. */
  afterCall(a: number, wrapUpMs: number): void {
    const ag = this.agents;
    ag.call[a] = -1;
    // The wrap-up is owed from now, even if a logout comes first (it is kept for the next login).
    ag.wrapUntilMs[a] = wrapUpMs > 0 ? this.env.ctx.nowMs + wrapUpMs : -1;
    const obs = this.onEnded;
    for (let i = 0; i < obs.length; i++) {
      obs[i]!.onCallEnded!(a);
      if (ag.pool[a]! < 0) return; // the desktop took the agent elsewhere
    }
    if (ag.logoutPending[a] === PendingLogout.Manual && ag.wrapUntilMs[a]! > this.env.ctx.nowMs) {
      this.wrapUp(a); // the logout follows the wrap-up (becomeReady)
      return;
    }
    if (ag.logoutPending[a] === PendingLogout.Force && !this.host.poolHasPrimary(ag.pool[a]!)) {
      // The server that was to log the agent out at the call's end is gone (the call ended with
      // it): no EventAgentLogout comes; the desktop follows the server's loss instead.
      ag.logoutPending[a] = PendingLogout.None;
    }
    if (ag.logoutPending[a]) {
      const reason = PENDING_REASONS[ag.logoutPending[a]!]!;
      ag.logoutPending[a] = PendingLogout.None;
      this.logout(a, reason);
      return;
    }
    if (ag.wrapUntilMs[a]! > this.env.ctx.nowMs) this.wrapUp(a);
    else this.becomeReady(a);
  }

  /** Wrap-up until wrapUntilMs, then Ready (`kind` K_WRAP_END) or NotReady. */
  private wrapUp(a: number, kind = K_WRAP_END): void {
    const ag = this.agents;
    this.step(a, AgentState.WrapUp);
    ag.ev[a] = this.env.ctx.scheduleAt(ag.wrapUntilMs[a]!, this.hid, kind, a);
  }

  /** Wrap-up ended. */
  onEvent(kind: number, a: number): void {
    if (kind === K_WRAP_END_NOT_READY) this.wrapUpEndedNotReady(a);
    else this.becomeReady(a);
  }

  /**
   * A wrap-up owed at a login that did not restore the agent's state ended: the agent stays
   * NotReady (it sets Ready by hand: makeReady), unless it asked to be Ready meanwhile or a
   * manual logout waits for the wrap-up's end.
   */
  private wrapUpEndedNotReady(a: number): void {
    const ag = this.agents;
    if (this.readyAsked[a] || ag.pool[a]! < 0 || ag.logoutPending[a] === PendingLogout.Manual) {
      this.becomeReady(a);
      return;
    }
    ag.ev[a] = -1;
    ag.wrapUntilMs[a] = -1;
    this.setState(a, AgentState.NotReady);
  }

  /** The desktop logs the agent in through a pool (after its re-login time). */
  login(a: number, pool: number, ready = true): void {
    if (this.agents.pool[a]! >= 0) this.logout(a, 'desktop');
    this.outage.onShift[a] = 1; // the shift starts at the first login
    this.agents.pool[a] = pool;
    this.iv.addLoggedIn(this.poolSite[pool]!, this.agents.group[a]!, 1);
    this.events.emit(pool, SourceEvent.AgentLogin, a);
    this.agents.state[a] = AgentState.NotReady;
    this.readyAsked[a] = 0;
    // A wrap-up the agent still owes (logged out during a call or its wrap-up) comes first:
    // the last state is restored only once the interaction is closed (seed 003); without the
    // restore the agent is NotReady after it, as after any login.
    if (this.agents.wrapUntilMs[a]! > this.env.ctx.nowMs)
      this.wrapUp(a, ready ? K_WRAP_END : K_WRAP_END_NOT_READY);
    else if (ready) this.becomeReady(a);
    else this.reassess(a);
  }

  /**
   * The agent's phone registration expired (dr-force_logout): the logout is at once, or when
   * the call in progress ends. Returns true when it waits for the call.
   */
  forceLogout(a: number): boolean {
    if (this.agents.pool[a]! < 0) return false;
    if (this.agents.call[a]! >= 0) {
      this.agents.logoutPending[a] = PendingLogout.Force;
      return true;
    }
    this.logout(a, 'dr-force_logout');
    return false;
  }

  /**
   * The phone registered again before the call ended (EventDNBackInService): the dr-force_logout
   * waiting for the call is void. Returns whether one was waiting.
   */
  cancelForceLogout(a: number): boolean {
    if (this.agents.logoutPending[a] !== PendingLogout.Force) return false;
    this.agents.logoutPending[a] = PendingLogout.None;
    return true;
  }

  /**
   * A logout on purpose (`manual`, `supervisor`): at once when the agent has no interaction;
   * else `manual` after the call and its wrap-up, `supervisor` when the call ends. From then on
   * the agent is off duty: not in outage while logged out. An infrastructure logout already
   * pending is kept.
   */
  requestLogout(a: number, reason: 'manual' | 'supervisor'): void {
    const ag = this.agents;
    if (ag.pool[a]! < 0) {
      this.outage.onShift[a] = 0;
      this.reassess(a);
      return;
    }
    const busy = ag.call[a]! >= 0 || (reason === 'manual' && ag.state[a] === AgentState.WrapUp);
    if (!busy) {
      this.logout(a, reason);
      return;
    }
    if (ag.logoutPending[a] === PendingLogout.None)
      ag.logoutPending[a] = reason === 'manual' ? PendingLogout.Manual : PendingLogout.Supervisor;
  }

  /** The agent stays after all (its next shift started before a pending logout on purpose). */
  cancelLogout(a: number): void {
    const p = this.agents.logoutPending[a]!;
    if (p === PendingLogout.Manual || p === PendingLogout.Supervisor)
      this.agents.logoutPending[a] = PendingLogout.None;
  }

  makeReady(a: number): void {
    if (this.agents.pool[a]! < 0) return;
    if (this.agents.state[a] === AgentState.NotReady) this.becomeReady(a);
    else if (this.agents.state[a] === AgentState.WrapUp) this.readyAsked[a] = 1;
  }

  logout(a: number, reason: LogoutReason): void {
    const ag = this.agents;
    const pool = ag.pool[a]!;
    if (pool < 0) return;
    const { ctx } = this.env;
    this.router.removeReady(a);
    if (ag.ev[a]! >= 0) ctx.cancel(ag.ev[a]!);
    ag.ev[a] = -1;
    const c = ag.call[a]!;
    if (c >= 0) {
      // Only an infrastructure logout reaches a busy agent (a logout on purpose waits for the
      // call: requestLogout); its call is cut.
      ag.call[a] = -1;
      this.host.dropCall(c);
    }
    ag.logoutPending[a] = PendingLogout.None;
    // Off duty after a logout on purpose: no outage until the next login.
    if (reason === 'manual' || reason === 'supervisor') this.outage.onShift[a] = 0;
    this.events.emit(pool, SourceEvent.AgentLogout, a);
    this.iv.addLoggedIn(this.poolSite[pool]!, this.agents.group[a]!, -1);
    ag.pool[a] = -1;
    this.setState(a, AgentState.LoggedOut);
    for (const o of this.host.observers) o.onAgentLoggedOut?.(a, reason);
  }

  setConnected(a: number, connected: boolean): void {
    const v = connected ? 1 : 0;
    if (this.agents.connected[a] === v) return;
    this.agents.connected[a] = v;
    if (!connected) this.router.removeReady(a);
    this.reassess(a);
    if (connected) this.offer(a);
  }

  /** Outage bookkeeping after any change of the agent or its pool. */
  reassess(a: number): void {
    const ag = this.agents;
    const pool = ag.pool[a]!;
    const reachable = pool >= 0 && ag.connected[a] === 1 && this.host.poolInService(pool);
    const reach = reachable ? pool : -1;
    const was = this.reachPool[a]!;
    if (reach !== was) {
      this.reachPool[a] = reach;
      const g = ag.group[a]!;
      const byGroup = this.reachableGroup;
      let changed = false;
      if (was >= 0) {
        this.reachableIn[was]!--;
        if (--byGroup[was * this.nGroup + g]! === 0) changed = true;
      }
      if (reach >= 0) {
        this.reachableIn[reach]!++;
        if (byGroup[reach * this.nGroup + g]!++ === 0) changed = true;
      }
      if (changed) this.host.reachChanged();
    }
    const able = reachable && ag.state[a] === AgentState.Ready;
    this.outage.update(
      a,
      ag.busy(a),
      able,
      pool >= 0 ? this.poolSite[pool]! : -1,
      this.env.ctx.nowMs,
    );
  }

  reassessPool(pool: number): void {
    for (let a = 0; a < this.agents.count; a++) if (this.agents.pool[a] === pool) this.reassess(a);
  }
}
