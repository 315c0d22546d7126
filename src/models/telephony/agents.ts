// Agents as typed arrays (state, pool, current call, desktop connection, pending logout) and
// the ready lists: per list a doubly linked list of agent ids, longest idle first (no scan).
// Leaves out: why an agent logs in or out (the desktops decide, agent-control.ts applies it).

import type { SiteId } from '../../spec/types.js';

export const enum AgentState {
  LoggedOut = 0,
  Ready = 1,
  Ringing = 2,
  Talking = 3,
  WrapUp = 4,
  NotReady = 5,
}

/** Why an agent was logged out (the DN listener's reason codes). */
export type LogoutReason =
  | 'graceful_shutdown_logout'
  | 'dr-force_logout'
  | 'desktop'
  | 'site-failure'
  /** The agent logged out (end of shift, agent-logout manual): no DR action. */
  | 'manual'
  /** A supervisor forced the logout (agent-logout supervisor): no DR action. */
  | 'supervisor';

export interface AgentDef {
  group: number;
  /** Pool the agent is logged into at t=0 (-1: logged out). */
  pool: number;
  /** Where the agent is scheduled to work (intervals' agents_scheduled). */
  preferredSite?: SiteId;
  /** On shift at t=0 (default true); the desktops' shifts change it (addScheduled). */
  scheduled?: boolean;
}

/**
 * A logout the SIP Server applies once the agent's call ends (AgentTable.logoutPending; an index
 * into PENDING_REASONS). A const enum: each use compiles to its value (see CallFlag).
 */
export const enum PendingLogout {
  None = 0,
  Graceful = 1,
  Force = 2,
  /** The agent logs out once its interactions are closed: after the call and its wrap-up. */
  Manual = 3,
  /** A supervisor's forced logout, applied when the call ends (the wrap-up is kept owed). */
  Supervisor = 4,
}
export const PENDING_REASONS: readonly (LogoutReason | undefined)[] = [
  undefined,
  'graceful_shutdown_logout',
  'dr-force_logout',
  'manual',
  'supervisor',
];

export class AgentTable {
  readonly count: number;
  readonly group: Int32Array;
  /** Pool the agent is logged into (-1: logged out). */
  readonly pool: Int32Array;
  readonly state: Uint8Array;
  /** Call slot of the agent's call (-1: none). */
  readonly call: Int32Array;
  /** The desktop's connection to the pool's servers is up. */
  readonly connected: Uint8Array;
  readonly logoutPending: Uint8Array;
  /** Pending wrap-up end (-1: none). */
  readonly ev: Float64Array;
  /**
   * When the agent's wrap-up ends (-1: none owed). Kept across a logout: an agent logged out
   * during a call or its wrap-up keeps the wrap-up at the next login (seed 003).
   */
  readonly wrapUntilMs: Float64Array;

  constructor(groups: ArrayLike<number>) {
    const n = groups.length;
    this.count = n;
    this.group = Int32Array.from(groups);
    this.pool = new Int32Array(n).fill(-1);
    this.state = new Uint8Array(n);
    this.call = new Int32Array(n).fill(-1);
    this.connected = new Uint8Array(n);
    this.logoutPending = new Uint8Array(n);
    this.ev = new Float64Array(n).fill(-1);
    this.wrapUntilMs = new Float64Array(n).fill(-1);
  }

  /** On a call (ringing or talking). */
  isOnCall(a: number): boolean {
    const st = this.state[a]!;
    return st === AgentState.Talking || st === AgentState.Ringing;
  }

  /** Talking, ringing or in wrap-up: an open interaction. */
  busy(a: number): boolean {
    const st = this.state[a]!;
    return st === AgentState.Talking || st === AgentState.Ringing || st === AgentState.WrapUp;
  }
}

/**
 * Ready agents per list, longest idle first. An agent is on at most one list. Per agent one
 * 32-byte record in two views of one buffer (ints: next, prev, list; a double: the order in which
 * it became ready), so that taking the longest idle agent off its list touches one cache line of
 * it, not four arrays.
 */
export class ReadyLists {
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  readonly count: Int32Array;
  /** Per agent at a << 3: next, prev, the list it is on (-1: none). */
  private readonly node: Int32Array;
  /** Per agent at (a << 2) | 2 (bytes 16–23 of its record): when it became ready (smaller: longer idle). */
  private readonly seqs: Float64Array;

  constructor(lists: number, agents: number) {
    this.head = new Int32Array(lists).fill(-1);
    this.tail = new Int32Array(lists).fill(-1);
    this.count = new Int32Array(lists);
    const buf = new ArrayBuffer(agents * 32);
    this.node = new Int32Array(buf);
    this.seqs = new Float64Array(buf);
    for (let a = 0; a < agents; a++) this.node[(a << 3) | 2] = -1;
  }

  /** The list the agent is on (-1: none). */
  listOf(a: number): number {
    return this.node[(a << 3) | 2]!;
  }

  /** When the agent became ready (its push's `seq`; smaller: longer idle). */
  seqOf(a: number): number {
    return this.seqs[(a << 2) | 2]!;
  }

  /** Appends the agent, ready since `seq`; false when it already was on a list. */
  push(a: number, list: number, seq: number): boolean {
    const node = this.node;
    const k = a << 3;
    if (node[k | 2]! >= 0) return false;
    const last = this.tail[list]!;
    node[k] = -1;
    node[k | 1] = last;
    node[k | 2] = list;
    this.seqs[(a << 2) | 2] = seq;
    if (last >= 0) node[last << 3] = a;
    else this.head[list] = a;
    this.tail[list] = a;
    this.count[list]!++;
    return true;
  }

  /** Unlinks the agent; returns the list it was on (-1: none). */
  remove(a: number): number {
    const node = this.node;
    const k = a << 3;
    const list = node[k | 2]!;
    if (list < 0) return -1;
    const p = node[k | 1]!;
    const n = node[k]!;
    if (p >= 0) node[p << 3] = n;
    else this.head[list] = n;
    if (n >= 0) node[(n << 3) | 1] = p;
    else this.tail[list] = p;
    node[k | 2] = -1;
    this.count[list]!--;
    return list;
  }

  /** The longest idle agent of the list (-1: none), still on the list. */
  first(list: number): number {
    return this.head[list]!;
  }
}
