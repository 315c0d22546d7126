// A timer slot: the one timer a component keeps for one purpose (a shutdown cap, a retry, a
// restart attempt, a probe), with the episode it belongs to. Re-arming or cancelling starts a new
// episode: whatever the old one scheduled can no longer fire, even a step already in flight that
// only checks isCurrent(). Leaves out: what the timer means.

import { assert } from './assert.js';
import type { EventId, SimContext } from './simulator.js';

/** Marks "no event pending" (event ids are ≥ 0). */
const NONE = -1;

export class TimerSlot {
  private eventId: EventId = NONE;
  private episodeNo = 0;
  private dueMs = NONE;

  constructor(private readonly ctx: Pick<SimContext, 'nowMs' | 'call' | 'cancel'>) {}

  /**
   * Starts a new episode and runs fn after delayMs unless the slot is re-armed, cancelled or
   * advanced first. A timer pending from an earlier episode is cancelled. Returns the episode.
   */
  arm(delayMs: number, fn: () => void): number {
    assert(
      Number.isInteger(delayMs) && delayMs >= 0,
      () => `TimerSlot.arm: delay must be a whole number of ms >= 0, got ${delayMs}`,
    );
    const episode = this.advance();
    this.dueMs = this.ctx.nowMs + delayMs;
    this.eventId = this.ctx.call(delayMs, () => {
      if (episode !== this.episodeNo) return; // belt and braces: cancel() already removed it
      this.eventId = NONE;
      this.dueMs = NONE;
      fn();
    });
    return episode;
  }

  /** Ends the current episode; a pending timer never fires. Returns whether one was pending. */
  cancel(): boolean {
    const wasPending = this.pending;
    this.advance();
    return wasPending;
  }

  /**
   * Starts a new episode without arming a timer: steps that captured the old episode (a message
   * on its way, a chained check) see isCurrent() false. Returns the new episode.
   */
  advance(): number {
    if (this.eventId !== NONE) this.ctx.cancel(this.eventId);
    this.eventId = NONE;
    this.dueMs = NONE;
    this.episodeNo++;
    return this.episodeNo;
  }

  /** Whether `episode` (from arm() or advance()) is still this slot's current episode. */
  isCurrent(episode: number): boolean {
    return episode === this.episodeNo;
  }

  /** The current episode (0 before the first arm or advance). */
  get episode(): number {
    return this.episodeNo;
  }

  /** Whether a timer is armed and has not fired yet. */
  get pending(): boolean {
    return this.eventId !== NONE;
  }

  /** When the pending timer fires, in ms, or undefined when none is pending. */
  get dueAtMs(): number | undefined {
    return this.eventId === NONE ? undefined : this.dueMs;
  }
}
