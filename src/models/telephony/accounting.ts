// Honest call accounting (SPEC §3, §5.3): each outcome counted once, for calls offered after
// the warmup, in the run totals and in the row of the call's entry site, service and the
// interval it was offered in (intervals.ts: the open interval's counters, or a closed row). The
// identity offered = answered + abandoned + rejected + dropped-unanswered + open-at-end is
// asserted at the end of every replication (calls.ts).

import { CallState, CallFlag, type CallPool } from './calls.js';
import type { IntervalRow, Intervals } from './intervals.js';

export class CallAccounting {
  readonly totals = {
    offered: 0,
    answered: 0,
    answeredInSl: 0,
    waitSumMs: 0,
    abandoned: 0,
    rejected: 0,
    dropped: 0,
    /** The part of dropped that had been answered. */
    droppedAnswered: 0,
    degraded: 0,
    completed: 0,
    /** Sent to the peer site by a graceful shutdown (re-admitted, not new offers). */
    redirected: 0,
    /** Delivered to an agent of another site than the one they entered. */
    overflowed: 0,
  };

  constructor(
    private readonly calls: CallPool,
    private readonly iv: Intervals,
    private readonly warmupMs: number,
    private readonly slMs: number,
  ) {}

  private counted(c: number): boolean {
    return (this.calls.flags[c]! & CallFlag.Counted) !== 0;
  }

  /** The counters the call's offer was counted in (its entry site and service then). */
  private at(c: number): number {
    return this.calls.ivKey[c]!;
  }

  /** The call was offered before the open interval: its outcome goes to that interval's row. */
  private late(c: number): IntervalRow | undefined {
    const offeredMs = this.calls.arrMs[c]!;
    return offeredMs < this.iv.openSinceMs ? this.iv.rowOf(offeredMs, this.at(c)) : undefined;
  }

  /** A new call entered (counted only after the warmup). */
  offered(c: number, nowMs: number): void {
    if (nowMs < this.warmupMs) return;
    this.calls.flags[c]! |= CallFlag.Counted;
    this.totals.offered++;
    const k = this.iv.at(this.calls.site[c]!, this.calls.svc[c]!);
    this.calls.ivKey[c] = k;
    this.iv.offered[k]!++;
  }

  answered(c: number, waitMs: number): void {
    if (!this.counted(c)) return;
    const k = this.at(c);
    this.totals.answered++;
    this.totals.waitSumMs += waitMs;
    const inSl = waitMs <= this.slMs;
    if (inSl) this.totals.answeredInSl++;
    const row = this.late(c);
    if (row !== undefined) {
      row.answered++;
      row.waitSumMs += waitMs;
      if (inSl) row.answeredInSl++;
      return;
    }
    this.iv.answered[k]!++;
    this.iv.waitMs[k]! += waitMs;
    if (inSl) this.iv.inSl[k]!++;
  }

  overflowed(c: number): void {
    if (!this.counted(c)) return;
    this.totals.overflowed++;
    const row = this.late(c);
    if (row !== undefined) row.overflowed++;
    else this.iv.overflowed[this.at(c)]!++;
  }

  completed(c: number): void {
    if (this.counted(c)) this.totals.completed++;
  }

  abandoned(c: number): void {
    if (!this.counted(c)) return;
    this.totals.abandoned++;
    const row = this.late(c);
    if (row !== undefined) row.abandoned++;
    else this.iv.abandoned[this.at(c)]!++;
  }

  rejected(c: number): void {
    if (this.counted(c)) this.totals.rejected++;
  }

  /** Cut by a fault, before the slot is freed (its state tells whether it had been answered). */
  dropped(c: number): void {
    if (!this.counted(c)) return;
    this.totals.dropped++;
    if (this.calls.state[c] === CallState.Talking) this.totals.droppedAnswered++;
    const row = this.late(c);
    if (row !== undefined) row.dropped++;
    else this.iv.dropped[this.at(c)]!++;
  }

  degraded(c: number): void {
    if (this.counted(c)) this.totals.degraded++;
  }
}
