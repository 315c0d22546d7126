// Who takes which call: per pool a FIFO of queued calls, a FIFO of calls whose INVITE is not
// yet answered, and a ready list of agents (longest idle first). Stale queue entries (the call
// ended or moved) are skipped by their generation.

import { IdFifo } from '../traffic/ring.js';
import { ReadyLists, type AgentTable } from './agents.js';
import { CallState, type CallPool } from './calls.js';
import type { Intervals } from './intervals.js';

export class Router {
  private readonly queue: IdFifo[];
  private readonly pending: IdFifo[];
  private readonly ready: ReadyLists;

  constructor(
    pools: number,
    private readonly calls: CallPool,
    private readonly agents: AgentTable,
    private readonly poolSite: Int32Array,
    private readonly iv: Intervals,
  ) {
    this.queue = Array.from({ length: pools }, () => new IdFifo());
    this.pending = Array.from({ length: pools }, () => new IdFifo());
    this.ready = new ReadyLists(pools, agents.count);
  }

  /** The call waits in its pool's queue. */
  enqueue(c: number): void {
    this.calls.state[c] = CallState.Queued;
    this.queue[this.calls.pool[c]!]!.push(c, this.calls.gen[c]!);
  }

  /** The call waits for its pool's SIP Server to answer the INVITE. */
  enqueuePending(c: number): void {
    this.calls.state[c] = CallState.Pending;
    this.pending[this.calls.pool[c]!]!.push(c, this.calls.gen[c]!);
  }

  /** The oldest queued call of the pool, taken off the queue (-1: none). */
  takeCall(pool: number): number {
    const q = this.queue[pool]!;
    while (q.shift()) {
      const c = q.poppedId;
      if (this.calls.gen[c] === q.poppedGen && this.calls.state[c] === CallState.Queued) {
        this.calls.state[c] = CallState.Pending; // transient: connect() sets the real state
        return c;
      }
    }
    return -1;
  }

  /** The longest idle ready agent of the pool, taken off its list (-1: none). */
  takeAgent(pool: number): number {
    const a = this.ready.first(pool);
    if (a >= 0) this.removeReady(a);
    return a;
  }

  readyIn(pool: number): number {
    return this.ready.count[pool]!;
  }

  pushReady(a: number): void {
    const pool = this.agents.pool[a]!;
    if (this.ready.push(a, pool)) this.iv.addReady(this.poolSite[pool]!, 1);
  }

  removeReady(a: number): void {
    const pool = this.ready.remove(a);
    if (pool >= 0) this.iv.addReady(this.poolSite[pool]!, -1);
  }

  /** Takes the pool's queued, then pending calls off their queues, in order, and hands each live one to `each`. */
  drainWaiting(pool: number, each: (c: number) => void): void {
    for (const fifo of [this.queue[pool]!, this.pending[pool]!]) {
      while (fifo.shift()) {
        const c = fifo.poppedId;
        if (this.calls.gen[c] !== fifo.poppedGen) continue;
        const st = this.calls.state[c];
        if (st === CallState.Queued || st === CallState.Pending) each(c);
      }
    }
  }

  /** Hands each call still pending on the pool (entries present now) to `each`. */
  drainPending(pool: number, each: (c: number) => void): void {
    const q = this.pending[pool]!;
    const n = q.length;
    for (let k = 0; k < n && q.shift(); k++) {
      const c = q.poppedId;
      if (this.calls.gen[c] === q.poppedGen && this.calls.state[c] === CallState.Pending) each(c);
    }
  }
}
