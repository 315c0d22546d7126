// Quiet flush cycles of one ICON (issue 21). While the ICON receives its source's records with
// its IDB up and nothing queued, a flush only writes the accumulator's one open run to the IDB.
// Such cycles are worked out from the records as they come, with no timer event: a record later
// in the order of events than the open cycle's flush begins the next cycle (the cycle's records
// were flushed), and the flushes are done together when something next looks at the store
// (IdbStore.defer / catchUp). Every change that could make a flush do more (a crash, hang,
// unhang, restart, IDB down or up, a change of reception, the end) ends the quiet cycles first
// (`wake`): the flushes due by then are done and an open cycle's flush becomes a timer in the
// very place in the order of events it took. The results are those of one timer event a cycle.

import type { SimContext } from '../../sim/index.js';
import type { FlushTimers } from './flush.js';
import type { IdbStore } from './store.js';
import type { RecordStream } from './stream.js';

/**
 * Quiet flush cycles are worked out without an event (`on`), and a record that ends one goes to
 * the ICONs' cycles without the source's log's full look at it (`roll`: RecordStream.tryRoll,
 * SourceLog.roll; read when a source's log is built). Turned off only by the tests that check
 * they change nothing but the number of events and the path a record takes (icon-quiet.test.ts).
 */
export const quietFlushCycles = { on: true, roll: true };

export class QuietCycles {
  /** The flush cycles are quiet (`begin` to `wake`). */
  on = false;
  /** The first record of the open cycle (-1: none open; the next record begins one). */
  private start = -1;
  /** When the open cycle's first record came. */
  private startMs = 0;
  /** When the open cycle's flush is due (Infinity: none open), and its place in the order. */
  dueMs = Infinity;
  private dueSeq = -1;

  constructor(
    private readonly ctx: SimContext,
    private readonly store: IdbStore,
    private readonly stream: RecordStream,
    private readonly flushes: FlushTimers,
    /** The ICON's index among its source's flush timers. */
    private readonly flushI: number,
    private readonly lifespanMs: number,
  ) {}

  /**
   * The record that begins a cycle (the accumulator's first) can begin quiet cycles: the store
   * would only write to the IDB and the ICON need not see each record (its ADDP touches held).
   */
  begin(lazyTouches: boolean): boolean {
    this.on = lazyTouches && quietFlushCycles.on && this.store.quiet();
    return this.on;
  }

  /**
   * Record `seq` at `now`, as the flush timer and Icon.attend would have it: after the open
   * cycle's flush (its event later than the timer's place), the cycle was flushed; with no cycle
   * open it begins one, due acc-queue-lifespan later in the place a timer armed now takes; the
   * record that fills acc-queue-size flushes at once. Returns the next record the ICON must see.
   */
  record(seq: number, now: number): number {
    const store = this.store;
    this.endIfFlushed(seq, now);
    if (this.start < 0) {
      this.start = seq;
      this.startMs = now;
      this.dueMs = now + this.lifespanMs;
      this.dueSeq = this.flushes.reserve();
    }
    if (seq - this.start + 1 >= store.accSize) {
      store.defer(seq + 1);
      this.start = -1;
      this.dueMs = Infinity;
    }
    return this.nextSeen();
  }

  /** The next record the ICON must see: one that begins or fills a cycle. */
  nextSeen(): number {
    return this.start < 0 ? this.stream.seq : this.start + this.store.accSize - 1;
  }

  /**
   * The open cycle ends if its flush came before the event being executed (at `now`): its
   * records up to `seq` were flushed.
   */
  private endIfFlushed(seq: number, now: number): void {
    if (this.start < 0) return;
    if (now > this.dueMs || (now === this.dueMs && this.ctx.nowSeq > this.dueSeq)) {
      this.store.defer(seq);
      this.start = -1;
    }
  }

  /**
   * Ends the quiet cycles before a change (records from `seq` on come after it): the flushes due
   * by now are done, and an open cycle's flush becomes a timer in the place it took. Returns
   * when the open cycle's first record came (-1: none open).
   */
  wake(seq: number): number {
    if (!this.on) return -1;
    this.on = false;
    this.endIfFlushed(seq, this.ctx.nowMs);
    this.store.catchUp();
    const open = this.start >= 0;
    if (open) this.flushes.armReserved(this.flushI, this.dueMs, this.dueSeq);
    this.start = -1;
    this.dueMs = Infinity;
    return open ? this.startMs : -1;
  }
}
