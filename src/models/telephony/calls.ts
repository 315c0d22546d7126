// The call pool: every call in progress is a slot in a set of typed arrays (state, pool, entry
// site, timers); freed slots are reused, a generation number makes stale queue entries visible.
// Leaves out: what a call does (telephony.ts) and why it ends (impact.ts, shutdown.ts).

import { assert, grown, SimLimitError } from '../../sim/index.js';

/** Call outcomes counted so far (the conservation check reads them). */
export interface CallTotals {
  offered: number;
  answered: number;
  droppedAnswered: number;
  completed: number;
  abandoned: number;
  rejected: number;
  dropped: number;
}

export const enum CallState {
  Free = 0,
  Pending = 1, // INVITE sent to a site whose SIP Server does not answer
  Queued = 2,
  Ringing = 3,
  Talking = 4,
}

/**
 * A call's flags (CallPool.flags). A const enum, not exported consts: each use compiles to its
 * value, where an imported binding costs V8 a load and a check on every use on the call path.
 */
export const enum CallFlag {
  /** The call lost its control or data once (calls_degraded counts it once). */
  Degraded = 1,
  /** Offered after the warmup: the call counts in the results. */
  Counted = 2,
  /** No router served the call: it takes its site's default route (local agents only). */
  DefaultRoute = 4,
  /** The call waits at the routing point for a router of its site. */
  AtRoutingPoint = 8,
  /**
   * Delivered across the WAN: the agent's site's SIP Server carries the agent's leg (a call of
   * its own there, which the ICON of that server records: ringing, established, released).
   */
  CrossLeg = 16,
}

/** Serial numbers are int32s (the ICONs' records hold them so; negative ones are aliases). */
export const CALL_SERIALS_MAX = 0x7fffffff;

/** Out of line: alloc stays small. A limit of the tool, reported like the queue's. */
function serialsExhausted(): never {
  throw new SimLimitError(
    'callSerialsMax',
    CALL_SERIALS_MAX,
    `more than ${CALL_SERIALS_MAX} calls in one replication`,
  );
}

export class CallPool {
  cap = 0;
  arrMs = new Float64Array(0);
  changedMs = new Float64Array(0);
  handleMs = new Float64Array(0);
  pool = new Int32Array(0);
  site = new Int32Array(0);
  /** Service (index) of the call. */
  svc = new Int32Array(0);
  /**
   * The intervals' counters (site × services + service) its offer was counted in, set when it
   * is counted (CallFlag.Counted): its outcomes go there, wherever a redirect takes it later.
   */
  ivKey = new Int32Array(0);
  /** Pool of the agent's site when the call was delivered across sites (-1: same pool). */
  agentPool = new Int32Array(0);
  state = new Uint8Array(0);
  flags = new Uint8Array(0);
  agent = new Int32Array(0);
  gen = new Int32Array(0);
  /** The call's serial number (below 2^31: the ICONs' records hold it as an int32). */
  serial = new Int32Array(0);
  /** Abandon timer (-1: none armed). */
  evA = new Float64Array(0);
  /**
   * When the caller gives up, while the abandon timer is not armed yet (-1: armed, or a caller
   * who waits forever); the timer's place among same-time events was reserved at the offer.
   */
  patienceAtMs = new Float64Array(0);
  patienceSeq = new Float64Array(0);
  /** Ring end, talk end or INVITE timeout. */
  evB = new Float64Array(0);
  private nextSerial = 0;
  private freeTop = 0;
  private free = new Int32Array(0);
  /** Active calls per pool (pending, queued, ringing or talking). */
  readonly perPool: Int32Array;

  constructor(pools: number, capacity: number) {
    this.perPool = new Int32Array(pools);
    this.grow(capacity);
  }

  private grow(cap: number): void {
    const old = this.cap;
    this.arrMs = grown(this.arrMs, cap);
    this.changedMs = grown(this.changedMs, cap);
    this.handleMs = grown(this.handleMs, cap);
    this.evA = grown(this.evA, cap);
    this.evB = grown(this.evB, cap);
    this.patienceAtMs = grown(this.patienceAtMs, cap);
    this.patienceSeq = grown(this.patienceSeq, cap);
    this.serial = grown(this.serial, cap);
    this.pool = grown(this.pool, cap);
    this.site = grown(this.site, cap);
    this.svc = grown(this.svc, cap);
    this.ivKey = grown(this.ivKey, cap);
    this.agentPool = grown(this.agentPool, cap);
    this.agent = grown(this.agent, cap);
    this.gen = grown(this.gen, cap);
    this.state = grown(this.state, cap);
    this.flags = grown(this.flags, cap);
    this.free = grown(this.free, cap);
    for (let i = cap - 1; i >= old; i--) this.free[this.freeTop++] = i;
    this.cap = cap;
  }

  /** A new call of service `svc` in state Pending, entering `site`, carried by `pool`. */
  alloc(pool: number, site: number, svc: number, handleMs: number, nowMs: number): number {
    if (this.freeTop === 0) this.grow(this.cap * 2);
    const c = this.free[--this.freeTop]!;
    this.arrMs[c] = nowMs;
    this.changedMs[c] = nowMs;
    this.handleMs[c] = handleMs;
    this.pool[c] = pool;
    this.site[c] = site;
    this.svc[c] = svc;
    this.agentPool[c] = -1;
    this.state[c] = CallState.Pending;
    this.flags[c] = 0;
    this.agent[c] = -1;
    this.evA[c] = -1;
    this.evB[c] = -1;
    this.patienceAtMs[c] = -1;
    if (this.nextSerial === CALL_SERIALS_MAX) serialsExhausted();
    this.serial[c] = this.nextSerial++;
    this.perPool[pool]!++;
    return c;
  }

  /** The slot is free again (timers already cancelled by the caller). */
  release(c: number): void {
    this.state[c] = CallState.Free;
    this.patienceAtMs[c] = -1;
    this.gen[c]!++;
    this.free[this.freeTop++] = c;
    this.perPool[this.pool[c]!]!--;
  }

  /** Moves an active call to another pool. */
  move(c: number, to: number): void {
    this.perPool[this.pool[c]!]!--;
    this.pool[c] = to;
    this.perPool[to]!++;
  }

  /**
   * Calls a pool's server still carries: those that entered through it (pending, queued, ringing
   * or talking), and the legs of calls delivered across the WAN to its agents; with `held`, also
   * the calls whose INVITE to one of its agents is still retransmitted (held until Timer B).
   */
  carriedBy(pool: number, held = false): number {
    let n = this.perPool[pool]!;
    for (let c = 0; c < this.cap; c++)
      if (
        this.agentPool[c] === pool &&
        this.pool[c] !== pool &&
        this.state[c] !== CallState.Free &&
        (held || this.flags[c]! & CallFlag.CrossLeg)
      )
        n++;
    return n;
  }

  /** Counted calls still in progress by state, by a scan (end-of-run checks only). */
  inProgress(): { pending: number; queued: number; ringing: number; talking: number } {
    const n = new Int32Array(5);
    for (let c = 0; c < this.cap; c++) if (this.flags[c]! & CallFlag.Counted) n[this.state[c]!]!++;
    return {
      pending: n[CallState.Pending]!,
      queued: n[CallState.Queued]!,
      ringing: n[CallState.Ringing]!,
      talking: n[CallState.Talking]!,
    };
  }

  /**
   * Conservation, at the end of every replication: every counted call ended in exactly one
   * outcome or is still in progress; SPEC §5.3's identity (offered = answered + abandoned +
   * rejected + dropped unanswered + open at the end); every answered call completed, was
   * dropped after its answer or still talks; the running per-pool counts match the slots.
   */
  assertConserved(t: CallTotals): void {
    const perPool = new Int32Array(this.perPool.length);
    for (let c = 0; c < this.cap; c++)
      if (this.state[c] !== CallState.Free) perPool[this.pool[c]!]!++;
    perPool.forEach((n, pool) =>
      assert(
        n === this.perPool[pool],
        () => `pool ${pool}: ${n} active call slots, ${this.perPool[pool]} counted`,
      ),
    );
    const p = this.inProgress();
    const ended = t.completed + t.abandoned + t.rejected + t.dropped;
    const live = p.pending + p.queued + p.ringing + p.talking;
    assert(
      t.offered === ended + live,
      () =>
        `call conservation broken: offered ${t.offered} ≠ completed ${t.completed} + abandoned ${t.abandoned} + rejected ${t.rejected} + dropped ${t.dropped} + in progress ${live}`,
    );
    const openEnd = p.pending + p.queued + p.ringing;
    assert(
      t.offered ===
        t.answered + t.abandoned + t.rejected + (t.dropped - t.droppedAnswered) + openEnd,
      () =>
        `SPEC §5.3 identity broken: offered ${t.offered} ≠ answered ${t.answered} + abandoned ${t.abandoned} + rejected ${t.rejected} + (dropped ${t.dropped} − dropped answered ${t.droppedAnswered}) + open at the end ${openEnd}`,
    );
    assert(
      t.answered === t.completed + t.droppedAnswered + p.talking,
      () =>
        `answered ${t.answered} ≠ completed ${t.completed} + dropped after answer ${t.droppedAnswered} + talking at the end ${p.talking}`,
    );
  }

  /** Counted calls queued, pending or ringing now (calls_open_end at the end of the run). */
  openCount(): number {
    const p = this.inProgress();
    return p.pending + p.queued + p.ringing;
  }
}
