// The flush timers of one source's ICONs (acc-queue-lifespan after an accumulator's first record,
// icon.ts). The ICONs of a source receive the same records, so their accumulators usually begin
// at the same record and their timers are set one right after the other for the same time. Such
// timers share one event, which flushes the ICONs in the order their own events would have run:
// no other event can come between them (issue 21: one timer event a flush cycle, not one an ICON).

import { assert, type EventId, type Handler, type SimContext } from '../../sim/index.js';

/** What a flush timer does when it runs (the ICON). */
export interface FlushTarget {
  flushDue(): void;
}

const K_FLUSH = 0;

export class FlushTimers implements Handler {
  private readonly hid: number = -1; // this handler's number in the simulator (ctx.handler)
  private readonly targets: FlushTarget[] = [];
  /**
   * Per target, while its timer is armed: the event it rides on, and that event's tag (the place
   * in the order of events its first timer took, unique in the run); -1 when not armed.
   */
  private readonly ev: EventId[] = [];
  private readonly tag: number[] = [];
  /**
   * The timer armed last: its place in the order of events, its time and target, and its event's
   * tag (-1 once that event ran or was cancelled: nothing can ride on it).
   */
  private lastSeq = -1;
  private lastMs = -1;
  private lastI = -1;
  private lastTag = -1;
  private lastEv: EventId = -1;

  constructor(private readonly ctx: SimContext) {
    this.hid = ctx.handler(this);
  }

  /** Adds a target; returns its index (the ICONs of a source, in the order they are attended). */
  add(t: FlushTarget): number {
    this.targets.push(t);
    this.ev.push(-1);
    this.tag.push(-1);
    return this.targets.length - 1;
  }

  armed(i: number): boolean {
    return this.tag[i]! >= 0;
  }

  /**
   * Target `i` flushes at `tMs` (flushDue) unless disarmed first. The timer takes its place in the
   * order of events now; right after the timer armed before, at the same time, it rides on that
   * one's event (no event can run between the two).
   */
  arm(i: number, tMs: number): void {
    assert(this.tag[i]! < 0, 'FlushTimers.arm: the timer is armed already');
    const s = this.ctx.reserve();
    if (s === this.lastSeq + 1 && tMs === this.lastMs && this.lastTag >= 0 && i > this.lastI) {
      this.ev[i] = this.lastEv;
      this.tag[i] = this.lastTag;
    } else {
      this.lastEv = this.ctx.scheduleReserved(tMs, s, this.hid, K_FLUSH, s);
      this.lastTag = s;
      this.ev[i] = this.lastEv;
      this.tag[i] = s;
    }
    this.lastSeq = s;
    this.lastMs = tMs;
    this.lastI = i;
  }

  /**
   * The place in the order of events a timer armed now would take, for a flush cycle worked out
   * without an event (Icon: a quiet cycle); `armReserved` schedules it there if it is needed
   * after all. Nothing rides on it.
   */
  reserve(): number {
    const s = this.ctx.reserve();
    this.lastSeq = s;
    this.lastTag = -1;
    return s;
  }

  /** Target `i` flushes at `tMs`, in the place `seq` taken by `reserve` (its own event). */
  armReserved(i: number, tMs: number, seq: number): void {
    assert(this.tag[i]! < 0, 'FlushTimers.armReserved: the timer is armed already');
    this.ev[i] = this.ctx.scheduleReserved(tMs, seq, this.hid, K_FLUSH, seq);
    this.tag[i] = seq;
  }

  /** Target `i`'s timer is off (it flushed early, or its process is gone). */
  disarm(i: number): void {
    const tag = this.tag[i]!;
    if (tag < 0) return;
    this.tag[i] = -1;
    if (this.tag.includes(tag)) return; // another target still rides the event
    this.ctx.cancel(this.ev[i]!);
    if (tag === this.lastTag) this.lastTag = -1;
  }

  /** A timer event ran: the targets riding on it flush, in the order they armed. */
  onEvent(kind: number, tag: number): void {
    assert(kind === K_FLUSH, () => `FlushTimers: unknown event kind ${kind}`);
    if (tag === this.lastTag) this.lastTag = -1;
    const tags = this.tag;
    for (let i = 0; i < tags.length; i++) {
      if (tags[i] !== tag) continue;
      tags[i] = -1;
      this.targets[i]!.flushDue();
    }
  }
}
