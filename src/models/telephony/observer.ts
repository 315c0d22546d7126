// What telephony tells the rest of the center: the events a telephony server emits for its
// ICONs, and the observer interface the desktops, ICONs and availability listen on.

import type { SimContext } from '../../sim/index.js';
import type { PairId } from '../../spec/types.js';
import type { LogoutReason } from './agents.js';

/** Events a telephony server emits for its ICONs (only while a primary is in service). */
export const enum SourceEvent {
  CallCreated = 0,
  AttachedData = 1,
  Ringing = 2,
  Established = 3,
  PartyAdded = 4,
  PartyRemoved = 5,
  Released = 6,
  AgentLogin = 7,
  AgentState = 8,
  AgentLogout = 9,
}

/**
 * Books the source events of one pool (the ICONs' record stream, issue 21): called directly for
 * every event the pool's server emits while it serves, before the observers' onSourceEvent.
 */
export interface RecordSink {
  /**
   * The sink's record stream: every emit asks its append-only fast path first (inlined there),
   * and calls `record` only when the fast path refuses.
   */
  readonly stream: RecordLane;
  /** A record the lane refused (or any record while an observer hears source events). */
  record(ev: SourceEvent, id: number): void;
}

/** A sink's fast path (RecordSink.stream): appends the record emitted at `nowMs` when it may. */
export interface RecordLane {
  tryAppend(ev: SourceEvent, id: number, nowMs: number): boolean;
  /** tryAppend for `ev1` of `id1` then `ev2` of `id2`: both, or neither. */
  tryAppend2(ev1: SourceEvent, id1: number, ev2: SourceEvent, id2: number, nowMs: number): boolean;
  /**
   * For a call answered at once (`serial`): the agent's state record (agent `a`) when `owed`,
   * then the call's Ringing, Established and PartyAdded — all, or none.
   */
  tryAppendAnswered(owed: boolean, a: number, serial: number, nowMs: number): boolean;
  /**
   * A record `tryAppend` refused only because an ICON's quiet flush cycle is due: taken, and
   * true (the ICONs need nothing of it but the due cycles' end: RecordStream.tryRoll); any
   * other refused record: false and nothing done (the sink's `record` takes it).
   */
  tryRoll(ev: SourceEvent, id: number, nowMs: number): boolean;
  /**
   * The lane refuses every record from now on, until one taken by the sink's `record` opens it
   * again (the pool lost its primary in service: no record is taken until it has one again).
   */
  hold(): void;
}

/** What the desktops and the ICONs see of telephony. */
export interface TelephonyObserver {
  /**
   * The primary server of `pool` emitted an event about a call (`id` = the call's serial
   * number, unique in the run) or an agent (`id` = agent index).
   */
  onSourceEvent?(pool: number, ev: SourceEvent, id: number): void;
  /** SIP Server logged an agent out (EventAgentLogout with its reason). */
  onAgentLoggedOut?(agent: number, reason: LogoutReason): void;
  /** A call of service `svc` entering `site` (index in `sites`) was dropped, rejected or abandoned. */
  onCallLost?(site: number, how: 'dropped' | 'rejected' | 'abandoned', svc: number): void;
  /** The agent's call just ended (before wrap-up): a pending desktop action may run now. */
  onCallEnded?(agent: number): void;
  /** The agent became Ready (after wrap-up, a login, or by hand). */
  onAgentReady?(agent: number): void;
  /** A pool's service (a primary in service) changed. */
  onPoolService?(pool: number, inService: boolean): void;
  /** Some pool gained its first reachable agent or lost its last one. */
  onReachChanged?(): void;
  /**
   * A switchover of `pool` lost the call's control (warm standby, CTI link loss, or hot standby
   * within ha-sync-lag): it continues, and the server reports it afterwards under a new ConnID.
   * Called whether or not the pool is in service (it tells what happened to the call), at every
   * such loss (a call already degraded loses its ConnID again; calls_degraded counts it once).
   */
  onCallDegraded?(pool: number, serial: number): void;
  /**
   * Graceful shutdown sent a call of `fromPool` to the peer pool `toPool` (queued call re-routed,
   * or new call redirected with 302). The leaving server has reported it released if it had
   * announced it and is in service; the call continues on `toPool` as a call created there.
   */
  onCallMoved?(fromPool: number, toPool: number, serial: number): void;
}

/** A failure's effect on calls, attributed later to the switchover that follows it. */
export interface CallImpact {
  pair: PairId;
  atMs: number;
  dropped: number;
  degraded: number;
  /**
   * Applied as the pair served again (a restarted primary that knows none of the calls a hot
   * switchover kept): it belongs to the switchover or recovery that completed then.
   */
  atRestore?: true;
}

/**
 * Who hears telephony: the observers, and the events a server emits for its ICONs, only while
 * its pool has a primary in service (a dead server tells nobody).
 */
export class TelephonyEvents {
  readonly all: TelephonyObserver[] = [];
  private readonly source: TelephonyObserver[] = [];
  private readonly loss: TelephonyObserver[] = [];
  /** Per pool: who books its source events (set once, before the run), or undefined. */
  private readonly sinks: (RecordSink | undefined)[] = [];
  /**
   * Per pool: the sink's lane, asked first by every emit, or undefined (no sink, or an observer
   * hears source events: every emit then takes `emitSlow`). A lane takes a record only while its
   * pool serves: held at every loss of service (`serviceChanged`), it stays held until a record
   * reaches the sink's `record`, which only `emitSlow` calls and only while the pool serves. So
   * a record the lane takes is one `emitSlow` would have given the sink, which would have
   * appended it the same way.
   */
  private readonly lanes: (RecordLane | undefined)[] = [];

  constructor(
    /** Per pool: 1 while its pair has a primary in service. */
    private readonly inService: Uint8Array,
    private readonly clock: SimContext,
  ) {
    for (let p = 0; p < inService.length; p++) {
      this.sinks.push(undefined);
      this.lanes.push(undefined);
    }
  }

  /** `sink` books the source events of `pool` from now on. */
  sink(pool: number, sink: RecordSink): void {
    this.sinks[pool] = sink;
    this.setLanes();
  }

  add(o: TelephonyObserver): void {
    this.all.push(o);
    if (o.onSourceEvent) this.source.push(o);
    if (o.onCallLost) this.loss.push(o);
    this.setLanes();
  }

  private setLanes(): void {
    for (let p = 0; p < this.sinks.length; p++) {
      const lane = this.source.length === 0 ? this.sinks[p]?.stream : undefined;
      lane?.hold(); // the first record goes by emitSlow, which looks at the pool's service
      this.lanes[p] = lane;
    }
  }

  /** PoolService: the pool's inService flag was just written. */
  serviceChanged(pool: number): void {
    if (!this.inService[pool]) this.lanes[pool]?.hold();
  }

  /**
   * The pool's server emits an event about a call (its serial) or an agent (its index). The
   * sink's lane first: the usual case is two stores into its ring, inlined where telephony emits.
   */
  emit(pool: number, ev: SourceEvent, id: number): void {
    if (pool < 0) return;
    const lane = this.lanes[pool];
    if (lane !== undefined && lane.tryAppend(ev, id, this.clock.nowMs)) return;
    this.emitSlow(pool, ev, id);
  }

  /** `emit` when the lane did not take the record (out of line). */
  private emitSlow(pool: number, ev: SourceEvent, id: number): void {
    if (!this.inService[pool]) return;
    // The usual reason the lane refused: a quiet flush cycle of an ICON ended (a lane exists
    // only while no observer hears source events: nobody else is told of the record).
    const lane = this.lanes[pool];
    if (lane !== undefined && lane.tryRoll(ev, id, this.clock.nowMs)) return;
    this.sinks[pool]?.record(ev, id);
    const source = this.source;
    for (let i = 0; i < source.length; i++) source[i]!.onSourceEvent!(pool, ev, id);
  }

  /**
   * The pool's server emits two events at once (`ev1` about `id1`, then `ev2` about `id2`: two
   * of one call, or an agent's state and its call's): both appended by the lane, or two emits.
   */
  emit2(pool: number, ev1: SourceEvent, id1: number, ev2: SourceEvent, id2: number): void {
    if (pool < 0) return;
    const lane = this.lanes[pool];
    if (lane !== undefined && lane.tryAppend2(ev1, id1, ev2, id2, this.clock.nowMs)) return;
    this.emit2Slow(pool, ev1, id1, ev2, id2);
  }

  /**
   * `emit2` when the lane did not take the records (out of line): two emits, the second asking
   * the lane again (after a first record that ended a quiet flush cycle, the usual reason here,
   * the lane takes it).
   */
  private emit2Slow(
    pool: number,
    ev1: SourceEvent,
    id1: number,
    ev2: SourceEvent,
    id2: number,
  ): void {
    this.emitSlow(pool, ev1, id1);
    this.emit(pool, ev2, id2);
  }

  /** Two events of one call (`serial`) at once: emit2 of its two records. */
  emitCall2(pool: number, ev1: SourceEvent, ev2: SourceEvent, serial: number): void {
    this.emit2(pool, ev1, serial, ev2, serial);
  }

  /** A call rings at agent `a` of the pool: the agent's state record first when owed (one append). */
  emitRinging(pool: number, owed: boolean, a: number, serial: number): void {
    if (owed) this.emit2(pool, SourceEvent.AgentState, a, SourceEvent.Ringing, serial);
    else this.emit(pool, SourceEvent.Ringing, serial);
  }

  /**
   * A call answered at once by an agent of the pool (`serial`, agent `a`): the agent's state
   * record when `owed`, then the call's Ringing, Established and PartyAdded, in one take of the
   * lane; else as emit2 / emit, then emit2 would have emitted them.
   */
  emitAnswered(pool: number, owed: boolean, a: number, serial: number): void {
    if (pool < 0) return;
    const lane = this.lanes[pool];
    if (lane !== undefined && lane.tryAppendAnswered(owed, a, serial, this.clock.nowMs)) return;
    this.emitAnsweredSlow(pool, owed, a, serial);
  }

  /** `emitAnswered` when the lane did not take the records (out of line). */
  private emitAnsweredSlow(pool: number, owed: boolean, a: number, serial: number): void {
    this.emitRinging(pool, owed, a, serial);
    this.emit2(pool, SourceEvent.Established, serial, SourceEvent.PartyAdded, serial);
  }

  lost(site: number, how: 'dropped' | 'rejected' | 'abandoned', svc: number): void {
    const loss = this.loss; // indexed: no iterator in any tier (an abandoned call's path)
    for (let i = 0; i < loss.length; i++) loss[i]!.onCallLost!(site, how, svc);
  }

  reachChanged(): void {
    for (const o of this.all) o.onReachChanged?.();
  }

  poolService(pool: number, inService: boolean): void {
    for (const o of this.all) o.onPoolService?.(pool, inService);
  }

  callDegraded(pool: number, serial: number): void {
    for (const o of this.all) o.onCallDegraded?.(pool, serial);
  }

  callMoved(from: number, to: number, serial: number): void {
    for (const o of this.all) o.onCallMoved?.(from, to, serial);
  }
}
