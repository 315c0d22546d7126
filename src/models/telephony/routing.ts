// Who takes which call (SPEC §5.1): per pool and service a FIFO of queued calls, per pool a FIFO
// of calls whose INVITE is not yet answered, and per pool and agent group a ready list (longest
// idle first). A call goes to a Ready agent of one of its service's groups: at its entry site
// only (local-only), at either site from one queue (pooled: the longest idle agent, the oldest
// call), or at the entry site first and at the other site once it has waited overflow-after
// (local-first). Crossing sites needs both sites' SIP pools in service and the WAN between
// them (the host says when). Stale queue entries (the call ended, moved or was taken) are
// skipped by their generation, pool and state. Allocation-free on the call path.

import { assert } from '../../sim/index.js';
import { IdFifo } from '../traffic/ring.js';
import { ReadyLists, type AgentTable } from './agents.js';
import { CallState, CallFlag, type CallPool } from './calls.js';
import type { Intervals } from './intervals.js';
import type { Services } from './services.js';
import type { RoutingPolicy } from '../../spec/types.js';

export const enum Policy {
  LocalOnly = 0,
  LocalFirst = 1,
  Pooled = 2,
}

/** The routing policy of a scenario's `routing.policy`. */
export const POLICY: Record<RoutingPolicy, Policy> = {
  'local-only': Policy.LocalOnly,
  'local-first': Policy.LocalFirst,
  pooled: Policy.Pooled,
};

/** What routing asks of telephony. */
export interface RoutingHost {
  /** The pool has a primary in service and is not draining. */
  poolInService(pool: number): boolean;
  /**
   * A call of pool `from` can be delivered to an agent of pool `to` now (another site): both
   * pools in service, the WAN between them up, a router of `from`'s site in service.
   */
  crossable(from: number, to: number): boolean;
  /** The call rings at (or is answered by) the agent. */
  connect(c: number, a: number): void;
}

export class Router {
  private readonly queue: IdFifo[];
  /**
   * Per pool: the entries of its queues of queued calls, live or stale (the sum of their
   * lengths). An agent that becomes ready asks a pool's queues only when it holds some: most of
   * the time none waits.
   */
  private readonly entries: Int32Array;
  private readonly pending: IdFifo[];
  private readonly ready: ReadyLists;
  private seq = 0;
  private readonly nSvc: number;
  private readonly nGroup: number;
  /** SIP pools: the only ones calls cross between. */
  private readonly sipPools: Int32Array;
  /** Per ready list (pool × group): the intervals' level of its site and group (Ready agents). */
  private readonly readyLevel: Int32Array;

  constructor(
    /** Per pool: 1 for a SIP pool (PoolLayout.isSip). */
    private readonly isSip: Uint8Array,
    private readonly calls: CallPool,
    private readonly agents: AgentTable,
    private readonly services: Services,
    groups: number,
    readonly policy: Policy,
    readonly overflowAfterMs: number,
    private readonly host: RoutingHost,
    /** Ready agents per site and group (intervals.csv), and the site of each pool. */
    private readonly iv: Intervals,
    private readonly poolSite: Int32Array,
  ) {
    this.nSvc = services.count;
    this.nGroup = Math.max(1, groups);
    const np = isSip.length;
    this.queue = Array.from({ length: np * this.nSvc }, () => new IdFifo());
    this.pending = Array.from({ length: np }, () => new IdFifo());
    this.entries = new Int32Array(np);
    this.ready = new ReadyLists(np * this.nGroup, agents.count);
    this.sipPools = Int32Array.from(Array.from(isSip.keys()).filter((i) => isSip[i] === 1));
    this.readyLevel = new Int32Array(np * this.nGroup);
    for (let p = 0; p < np; p++)
      for (let g = 0; g < this.nGroup; g++)
        this.readyLevel[p * this.nGroup + g] = iv.levelIndex(poolSite[p]!, g);
  }

  /** Calls may cross sites under this policy. */
  get crosses(): boolean {
    return this.policy !== Policy.LocalOnly && this.sipPools.length > 1;
  }

  /** The call waits in its pool's queue for its service. */
  enqueue(c: number): void {
    this.calls.state[c] = CallState.Queued;
    const pool = this.calls.pool[c]!;
    this.queue[pool * this.nSvc + this.calls.svc[c]!]!.push(c, this.calls.gen[c]!);
    this.entries[pool]!++;
  }

  /** The call waits for its pool's SIP Server to answer the INVITE. */
  enqueuePending(c: number): void {
    this.calls.state[c] = CallState.Pending;
    this.pending[this.calls.pool[c]!]!.push(c, this.calls.gen[c]!);
  }

  // ---------------------------------------------------------------- agents for a call

  /**
   * The agent a call entering now takes (removed from its ready list; -1: none). Remote
   * agents are candidates under pooled, or under local-first once the call waited
   * overflow-after (`remoteOk`).
   */
  agentFor(c: number, remoteOk: boolean): number {
    const pool = this.calls.pool[c]!;
    const svc = this.calls.svc[c]!;
    let best = this.bestAgentIn(pool, svc, -1);
    const pooled = this.policy === Policy.Pooled && !(this.calls.flags[c]! & CallFlag.DefaultRoute);
    if (this.calls.flags[c]! & CallFlag.DefaultRoute) remoteOk = false;
    if (
      (pooled || (remoteOk && best < 0)) &&
      this.policy !== Policy.LocalOnly &&
      this.isSip[pool]
    ) {
      for (let k = 0; k < this.sipPools.length; k++) {
        const q = this.sipPools[k]!;
        if (q === pool || !this.host.crossable(pool, q)) continue;
        best = this.bestAgentIn(q, svc, best);
      }
    }
    if (best >= 0) this.removeReady(best);
    return best;
  }

  /** The longest idle agent of `pool` taking `svc`, or `best` if that one is longer idle. */
  private bestAgentIn(pool: number, svc: number, best: number): number {
    const groups = this.services.groupsOf[svc]!;
    for (let k = 0; k < groups.length; k++) {
      const a = this.ready.first(pool * this.nGroup + groups[k]!);
      if (a >= 0 && (best < 0 || this.ready.seqOf(a) < this.ready.seqOf(best))) best = a;
    }
    return best;
  }

  // ---------------------------------------------------------------- calls for an agent

  /** The call an agent that became ready takes (off its queue; -1: none). */
  callFor(a: number, nowMs: number): number {
    const pool = this.agents.pool[a]!;
    const svcs = this.services.servicesOf[this.agents.group[a]!]!;
    const entries = this.entries;
    let bestQ = -1;
    let bestP = -1;
    let bestC = -1;
    for (let k = 0; k < svcs.length && entries[pool]! > 0; k++) {
      const qi = pool * this.nSvc + svcs[k]!;
      if (this.queue[qi]!.length === 0) continue;
      const c = this.head(qi, pool);
      if (c >= 0 && (bestC < 0 || this.older(c, bestC))) {
        bestC = c;
        bestQ = qi;
        bestP = pool;
      }
    }
    const remote =
      this.isSip[pool] === 1 &&
      (this.policy === Policy.Pooled || (this.policy === Policy.LocalFirst && bestC < 0));
    if (remote) {
      const waitedFrom = nowMs - this.overflowAfterMs;
      for (let j = 0; j < this.sipPools.length; j++) {
        const p = this.sipPools[j]!;
        if (p === pool || entries[p] === 0) continue; // usually: no call waits there
        // Whether calls of p can cross is asked only once one of them would do (usually none
        // waits there long enough): the same answer, without its cost on every Ready agent.
        let cross = -1;
        for (let k = 0; k < svcs.length; k++) {
          const qi = p * this.nSvc + svcs[k]!;
          if (this.queue[qi]!.length === 0) continue;
          const c = this.head(qi, p);
          if (c < 0 || (bestC >= 0 && !this.older(c, bestC))) continue;
          if (this.calls.flags[c]! & CallFlag.DefaultRoute) continue; // its site's default route: local agents only
          if (this.policy === Policy.LocalFirst && this.calls.arrMs[c]! > waitedFrom) continue;
          if (cross < 0) cross = this.host.crossable(p, pool) ? 1 : 0;
          if (cross === 0) break;
          bestC = c;
          bestQ = qi;
          bestP = p;
        }
      }
    }
    if (bestC < 0) return -1;
    this.queue[bestQ]!.shift();
    entries[bestP]!--;
    this.calls.state[bestC] = CallState.Pending; // transient: connect() sets the real state
    return bestC;
  }

  /** The oldest live call at the head of queue `qi` (stale heads dropped; -1: empty). */
  private head(qi: number, pool: number): number {
    const q = this.queue[qi]!;
    const calls = this.calls;
    while (q.length > 0) {
      const c = q.peekId();
      if (
        calls.gen[c] === q.peekGen() &&
        calls.state[c] === CallState.Queued &&
        calls.pool[c] === pool
      )
        return c;
      q.shift();
      this.entries[pool]!--;
    }
    return -1;
  }

  private older(c: number, d: number): boolean {
    const ac = this.calls.arrMs[c]!;
    const ad = this.calls.arrMs[d]!;
    return ac < ad || (ac === ad && this.calls.serial[c]! < this.calls.serial[d]!);
  }

  // ---------------------------------------------------------------- ready lists

  pushReady(a: number): void {
    const list = this.agents.pool[a]! * this.nGroup + this.agents.group[a]!;
    if (this.ready.push(a, list, this.seq)) {
      this.seq++;
      this.iv.addReadyAt(this.readyLevel[list]!, 1);
    }
  }

  removeReady(a: number): void {
    const list = this.ready.remove(a);
    if (list >= 0) this.iv.addReadyAt(this.readyLevel[list]!, -1);
  }

  /** Matches queued calls with ready agents, longest idle first (after a change of service). */
  dispatch(nowMs: number): void {
    // No queue holds an entry (live or stale): no agent takes a call, and callFor would change
    // nothing (only a queue's stale head is dropped). Most changes of service come so.
    if (!this.anyQueued()) return;
    const ready = this.readyAgents();
    for (let i = 0; i < ready.length; i++) {
      const a = ready[i]!;
      if (!this.host.poolInService(this.agents.pool[a]!)) continue;
      const c = this.callFor(a, nowMs);
      if (c < 0) continue;
      this.removeReady(a);
      this.host.connect(c, a);
    }
  }

  /** Some queue of queued calls holds an entry, live or stale. */
  private anyQueued(): boolean {
    const entries = this.entries;
    for (let p = 0; p < entries.length; p++) if (entries[p]! > 0) return true;
    return false;
  }

  /** Ready agents of every pool, longest idle first (for a dispatch after a change of service). */
  readyAgents(): Int32Array {
    const n = this.agents.count;
    // One number a ready agent, seq × n + agent, sorted as numbers: the seqs are distinct whole
    // numbers, so this is the order of the seqs (exact while seq × n < 2^53), without a
    // comparison function called for every pair.
    assert(this.seq * n < 2 ** 53, () => `ready order: ${this.seq} × ${n} agents passes 2^53`);
    const keys = new Float64Array(n);
    let k = 0;
    for (let a = 0; a < n; a++)
      if (this.ready.listOf(a) >= 0) keys[k++] = this.ready.seqOf(a) * n + a;
    const sorted = keys.subarray(0, k).sort();
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = sorted[i]! % n;
    return out;
  }

  // ---------------------------------------------------------------- reach (availability)

  /**
   * A call of service `svc` in pool `pool` could be delivered to an agent now: one of the
   * service's groups has an agent reachable through the pool, or (when the policy crosses sites)
   * through another SIP pool the call can cross to (`crossable`: for reach, also while the
   * entry site's calls wait for its router). `reachable`: per pool × group, agents logged in,
   * connected, their pool in service.
   */
  reachableFor(
    pool: number,
    svc: number,
    reachable: Int32Array,
    crossable: (from: number, to: number) => boolean,
  ): boolean {
    const groups = this.services.groupsOf[svc]!;
    const nG = this.nGroup;
    for (let k = 0; k < groups.length; k++) if (reachable[pool * nG + groups[k]!]! > 0) return true;
    if (!this.crosses || !this.isSip[pool]) return false;
    for (let j = 0; j < this.sipPools.length; j++) {
      const q = this.sipPools[j]!;
      if (q === pool) continue;
      let any = false;
      for (let k = 0; k < groups.length && !any; k++) any = reachable[q * nG + groups[k]!]! > 0;
      if (any && crossable(pool, q)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- draining

  /** Takes the pool's queued, then pending calls off their queues, in order, and hands each live one to `each`. */
  drainWaiting(pool: number, each: (c: number) => void): void {
    for (let s = 0; s <= this.nSvc; s++) {
      const queued = s < this.nSvc;
      const fifo = queued ? this.queue[pool * this.nSvc + s]! : this.pending[pool]!;
      while (fifo.shift()) {
        if (queued) this.entries[pool]!--;
        const c = fifo.poppedId;
        if (this.calls.gen[c] !== fifo.poppedGen || this.calls.pool[c] !== pool) continue;
        const st = this.calls.state[c];
        if (st === CallState.Queued || st === CallState.Pending) each(c);
      }
    }
  }

  /** `entries` is each pool's queues' lengths (checked at the end of every replication). */
  checkEntries(): void {
    for (let p = 0; p < this.entries.length; p++) {
      let n = 0;
      for (let s = 0; s < this.nSvc; s++) n += this.queue[p * this.nSvc + s]!.length;
      assert(
        n === this.entries[p],
        () => `pool ${p}: ${this.entries[p]} queue entries counted, ${n} held`,
      );
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
