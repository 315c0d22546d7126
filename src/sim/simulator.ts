// The simulation loop: integer-millisecond clock, (time, seq)-ordered queue, schedule/cancel,
// run with limits. Single-threaded and synchronous; knows nothing of contact centers.

import { objectArray } from './arrays.js';
import { assert, SimAssertionError, SimLimitError } from './assert.js';
import { EventQueue, type EventId } from './queue.js';
import { rootStream, type Stream } from './rng.js';
import { nullTrace, type TraceSink } from './trace.js';

export type { EventId } from './queue.js';

/** A component that receives events as (kind, arg) numbers: no closure per event. */
export interface Handler {
  onEvent(kind: number, arg: number): void;
}

/**
 * A handler's number in its simulator (SimContext.handler). An event scheduled for a number
 * is dispatched through the onEvent method taken once at registration: the run loop does not
 * look `onEvent` up on objects of many classes (a megamorphic property load) at every event.
 */
export type HandlerId = number;

type Target = Handler | (() => void);

/** Events for a HandlerId carry (id << KIND_BITS) | kind in the queue's kind field. */
const KIND_BITS = 8;
/** Kinds of events scheduled for a HandlerId are whole numbers below this. */
export const HANDLER_KINDS = 1 << KIND_BITS;
const KIND_MASK = HANDLER_KINDS - 1;

/** What a component sees of the simulator: the clock, scheduling, its streams, the trace. */
export interface SimContext {
  readonly nowMs: number;
  /**
   * The place in the order of events of the event being executed (-1 before the first): an
   * event at `nowMs` with a smaller one ran before it. With `reserve`, a component can tell
   * whether a timer it never scheduled would have run before the current event.
   */
  readonly nowSeq: number;
  /**
   * Registers a handler for the run (once, at construction): events scheduled for the number
   * it returns are dispatched to it without a lookup of its onEvent (their kinds below
   * HANDLER_KINDS). Handlers passed as objects work too, through a slower dispatch.
   */
  handler(h: Handler): HandlerId;
  schedule(delayMs: number, handler: Handler | HandlerId, kind?: number, arg?: number): EventId;
  scheduleAt(tMs: number, handler: Handler | HandlerId, kind?: number, arg?: number): EventId;
  /**
   * scheduleAt for an event that is never cancelled: it makes no EventId. (An EventId is a
   * double once its slot has been reused some hundreds of times; returned by a call V8 did not
   * inline, it is boxed even where the caller drops it: a call's next arrival did so.)
   */
  postAt(tMs: number, handler: Handler | HandlerId, kind?: number, arg?: number): void;
  /**
   * Reserves the place in the order of same-time events that an event scheduled now would
   * take: scheduleReserved() later puts an event there. A timer that is usually cancelled
   * before it fires can then be scheduled only when it is needed, in the same order.
   */
  reserve(): number;
  /** Schedules at `tMs` (>= now) with a place taken by reserve() (each used once). */
  scheduleReserved(
    tMs: number,
    seq: number,
    handler: Handler | HandlerId,
    kind?: number,
    arg?: number,
  ): EventId;
  /** Convenience for rare events (allocates a closure): faults, management-layer steps. */
  call(delayMs: number, fn: () => void): EventId;
  cancel(id: EventId): boolean;
  /** The stream of a component, derived from (seed, replication, stable id). */
  stream(id: string): Stream;
  trace(component: string, state: string, cause: string): void;
}

export interface RunLimits {
  untilMs: number;
  /** Stop with SimLimitError after this many events (a runaway model is a failure). */
  eventsMax?: number;
}

export type RunEnd = 'until' | 'empty' | 'stopped';

export const EVENTS_MAX_DEFAULT = 2_000_000_000;

/** Events a slice of the run loop executes before returning to run() (Simulator.runSlice). */
const SLICE_EVENTS = 4096;
const SLICE_MORE = 0; // the slice ran SLICE_EVENTS events: more may be due
const SLICE_DONE = 1; // nothing left at or before untilMs
const SLICE_STOPPED = 2; // stop() was called

function badDelay(what: string, delayMs: number): never {
  throw new SimAssertionError(`${what}: delay must be a whole number of ms >= 0, got ${delayMs}`);
}

function badKind(kind: number): never {
  throw new SimAssertionError(
    `an event for a HandlerId needs a kind in 0..${KIND_MASK} (a whole number), got ${kind}`,
  );
}

function badTime(what: string, tMs: number, nowMs: number): never {
  throw new SimAssertionError(`${what}: time ${tMs} is in the past (now ${nowMs}) or not whole ms`);
}

export class Simulator implements SimContext {
  private readonly queue = new EventQueue<Target>();
  private readonly root: Stream;
  private now = 0;
  private stopped = false;
  /** Events executed so far. */
  events = 0;
  // Registered handlers (SimContext.handler) and their onEvent methods, by HandlerId.
  private readonly hObjs: Handler[] = objectArray();
  private readonly hFns: Handler['onEvent'][] = objectArray();

  constructor(
    readonly seed: number,
    readonly replication: number,
    private readonly sink: TraceSink = nullTrace,
  ) {
    assert(
      Number.isSafeInteger(seed) && seed >= 0,
      `seed must be a whole number >= 0, got ${seed}`,
    );
    this.root = rootStream(seed, replication);
  }

  get nowMs(): number {
    return this.now;
  }

  get nowSeq(): number {
    return this.queue.poppedSeq;
  }

  /**
   * The run is over and this simulator is dropped: its event queue's large arrays go to the next
   * simulator (EventQueue.releaseWheel). Nothing may be scheduled or run afterwards.
   */
  dispose(): void {
    this.stopped = true;
    this.queue.releaseWheel();
  }

  get pending(): number {
    return this.queue.size;
  }

  handler(h: Handler): HandlerId {
    const id = this.hObjs.length;
    this.hObjs.push(h);
    this.hFns.push(h.onEvent);
    return id;
  }

  schedule(delayMs: number, handler: Handler | HandlerId, kind = 0, arg = 0): EventId {
    // An if, not assert(): no message closure on the hottest call.
    if (!(delayMs >= 0 && Number.isInteger(delayMs))) badDelay('schedule', delayMs);
    const q = this.queue;
    if (typeof handler !== 'number') return q.idOf(q.add(this.now + delayMs, handler, kind, arg));
    if ((kind & KIND_MASK) !== kind) badKind(kind);
    return q.idOf(q.add(this.now + delayMs, undefined, (handler << KIND_BITS) | kind, arg));
  }

  scheduleAt(tMs: number, handler: Handler | HandlerId, kind = 0, arg = 0): EventId {
    if (!(Number.isInteger(tMs) && tMs >= this.now)) badTime('scheduleAt', tMs, this.now);
    const q = this.queue;
    if (typeof handler !== 'number') return q.idOf(q.add(tMs, handler, kind, arg));
    if ((kind & KIND_MASK) !== kind) badKind(kind);
    return q.idOf(q.add(tMs, undefined, (handler << KIND_BITS) | kind, arg));
  }

  postAt(tMs: number, handler: Handler | HandlerId, kind = 0, arg = 0): void {
    if (!(Number.isInteger(tMs) && tMs >= this.now)) badTime('postAt', tMs, this.now);
    if (typeof handler !== 'number') this.queue.add(tMs, handler, kind, arg);
    else {
      if ((kind & KIND_MASK) !== kind) badKind(kind);
      this.queue.add(tMs, undefined, (handler << KIND_BITS) | kind, arg);
    }
  }

  reserve(): number {
    return this.queue.reserve();
  }

  scheduleReserved(
    tMs: number,
    seq: number,
    handler: Handler | HandlerId,
    kind = 0,
    arg = 0,
  ): EventId {
    if (!(Number.isInteger(tMs) && tMs >= this.now)) badTime('scheduleReserved', tMs, this.now);
    if (typeof handler !== 'number') return this.queue.pushReserved(tMs, seq, handler, kind, arg);
    if ((kind & KIND_MASK) !== kind) badKind(kind);
    return this.queue.pushReserved(tMs, seq, undefined, (handler << KIND_BITS) | kind, arg);
  }

  call(delayMs: number, fn: () => void): EventId {
    assert(
      delayMs >= 0 && Number.isInteger(delayMs),
      () => `call: delay must be a whole number of ms >= 0, got ${delayMs}`,
    );
    return this.queue.push(this.now + delayMs, fn, 0, 0);
  }

  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  stream(id: string): Stream {
    return this.root.fork(id);
  }

  trace(component: string, state: string, cause: string): void {
    this.sink.record(this.now, component, state, cause);
  }

  /** Ends the current run after the event being executed. */
  stop(): void {
    this.stopped = true;
  }

  run(limits: RunLimits): RunEnd {
    const { untilMs } = limits;
    const eventsMax = limits.eventsMax ?? EVENTS_MAX_DEFAULT;
    assert(untilMs >= this.now, () => `run: untilMs ${untilMs} is before now ${this.now}`);
    const q = this.queue;
    this.stopped = false;
    let slice: number;
    do slice = this.runSlice(q, untilMs, eventsMax);
    while (slice === SLICE_MORE);
    if (slice === SLICE_STOPPED) return 'stopped';
    const end: RunEnd = q.size > 0 ? 'until' : 'empty';
    this.now = untilMs;
    return end;
  }

  /**
   * Runs up to SLICE_EVENTS events. The event loop is a function called many times a run, not
   * one loop a run: V8 then optimises it as a whole function, entered optimised at every call.
   * (A run's single loop was optimised on the stack only, and its optimised code was dropped at
   * every run's end, where the loop's exit had no type feedback: each replication then ran its
   * loop unoptimised for a while.) The events and their order are the same.
   */
  private runSlice(q: EventQueue<Target>, untilMs: number, eventsMax: number): number {
    for (let k = 0; k < SLICE_EVENTS; k++) {
      if (this.events >= eventsMax && q.size > 0 && q.peekTimeMs() <= untilMs)
        this.limitHit(eventsMax);
      if (!q.popUntil(untilMs)) return SLICE_DONE;
      const t = q.poppedTimeMs;
      if (t < this.now) this.timeWentBackwards(t);
      this.now = t;
      this.events++;
      const target = q.poppedPayload;
      if (target === undefined) {
        const code = q.poppedKind;
        const h = code >>> KIND_BITS;
        this.hFns[h]!.call(this.hObjs[h]!, code & KIND_MASK, q.poppedArg);
      } else if (typeof target === 'function') target();
      else target.onEvent(q.poppedKind, q.poppedArg);
      if (this.stopped) return SLICE_STOPPED;
    }
    return SLICE_MORE;
  }

  // Failures of run(), out of line: the loop stays small enough for V8 to inline what it calls.
  private limitHit(eventsMax: number): never {
    throw new SimLimitError(
      'eventsMax',
      eventsMax,
      `run stopped at t=${this.now} ms after eventsMax=${eventsMax} events`,
    );
  }

  private timeWentBackwards(t: number): never {
    throw new SimAssertionError(`time went backwards: ${t} < ${this.now}`);
  }
}
