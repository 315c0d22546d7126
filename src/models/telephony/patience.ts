// The caller's patience: from the offer, a caller gives up after its patience (drawn at the
// arrival) unless answered first, whether the call waits in a queue, at the routing point, for
// an INVITE, or rings. Most calls ring at once and are answered long before: their abandon timer
// would only be scheduled and cancelled. So it is armed only for a call that may wait — one that
// neither rings nor talks when its arrival is handled, one held ringing for Timer B, one whose
// ring ends at or after its patience. Its place among same-time events is reserved at the offer
// (SimContext.reserve): it fires exactly where a timer armed at the offer would have.

import type { Handler, HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import { CallState, type CallPool } from './calls.js';

/** What patience asks of telephony. */
export interface PatienceHost {
  /** The caller hung up before an answer. */
  abandon(c: number): void;
}

export class Patience implements Handler {
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    private readonly env: Env,
    private readonly calls: CallPool,
    private readonly host: PatienceHost,
  ) {
    this.hid = env.ctx.handler(this);
  }

  /** A new call is offered; its caller gives up after `patienceMs` (-1: waits forever). */
  offered(c: number, patienceMs: number): void {
    if (patienceMs < 0) return;
    const { ctx } = this.env;
    this.calls.patienceAtMs[c] = ctx.nowMs + patienceMs;
    this.calls.patienceSeq[c] = ctx.reserve();
  }

  /** The arrival is handled: a call that neither rings nor talks now may wait. */
  arrived(c: number): void {
    const st = this.calls.state[c];
    if (st !== CallState.Ringing && st !== CallState.Talking) this.arm(c);
  }

  /** The call rings until `endMs`: at or after its patience the caller gives up first. */
  ringing(c: number, endMs: number): void {
    const at = this.calls.patienceAtMs[c]!;
    if (at >= 0 && endMs >= at) this.arm(c);
  }

  /** Arms the abandon timer (unless armed already or the caller waits forever). */
  arm(c: number): void {
    const calls = this.calls;
    const at = calls.patienceAtMs[c]!;
    if (at < 0) return;
    calls.patienceAtMs[c] = -1;
    calls.evA[c] = this.env.ctx.scheduleReserved(at, calls.patienceSeq[c]!, this.hid, 0, c);
  }

  /** Answered: the caller no longer gives up. */
  answered(c: number): void {
    const calls = this.calls;
    const ev = calls.evA[c]!;
    if (ev >= 0) {
      this.env.ctx.cancel(ev);
      calls.evA[c] = -1;
    }
    calls.patienceAtMs[c] = -1;
  }

  onEvent(_kind: number, c: number): void {
    this.calls.evA[c] = -1;
    this.host.abandon(c);
  }
}
