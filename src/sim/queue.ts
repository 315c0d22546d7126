// The event queue: an indexed binary min-heap over (timeMs, seq) kept in typed arrays.
// Slots are recycled through a free list, so scheduling allocates nothing once the arrays
// have grown to the run's peak size. Leaves out: everything about what an event means.

import { assert, SimLimitError } from './assert.js';

/** Largest number of events pending at once (slot index bits of an EventId). */
export const PENDING_EVENTS_MAX = 1 << 22;
const GEN_MUL = PENDING_EVENTS_MAX; // EventId = generation * GEN_MUL + slot, below 2^53
const GEN_MAX = 2 ** 30;

export type EventId = number;

export class EventQueue<P> {
  private cap: number;
  private timeMs: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Float64Array;
  private payload: (P | undefined)[];
  private gen: Uint32Array;
  private pos: Int32Array; // heap position of a slot, -1 when the slot is free
  private heap: Int32Array; // heap of slot indices
  private free: Int32Array; // stack of free slots
  private freeTop = 0;
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.timeMs = new Float64Array(this.cap);
    this.seq = new Float64Array(this.cap);
    this.kind = new Int32Array(this.cap);
    this.arg = new Float64Array(this.cap);
    this.payload = new Array<P | undefined>(this.cap).fill(undefined);
    this.gen = new Uint32Array(this.cap);
    this.pos = new Int32Array(this.cap).fill(-1);
    this.heap = new Int32Array(this.cap);
    this.free = new Int32Array(this.cap);
    for (let i = this.cap - 1; i >= 0; i--) this.free[this.freeTop++] = i;
  }

  get size(): number {
    return this.n;
  }

  /** Sequence numbers handed out so far (ties at equal time pop in this order). */
  get scheduled(): number {
    return this.nextSeq;
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    if (cap > PENDING_EVENTS_MAX) {
      throw new SimLimitError(
        'pendingEventsMax',
        PENDING_EVENTS_MAX,
        `more than ${PENDING_EVENTS_MAX} events pending at once`,
      );
    }
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.timeMs = f64(this.timeMs);
    this.seq = f64(this.seq);
    this.arg = f64(this.arg);
    this.kind = i32(this.kind);
    this.heap = i32(this.heap);
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
    const gen = new Uint32Array(cap);
    gen.set(this.gen);
    this.gen = gen;
    this.payload.length = cap;
    this.payload.fill(undefined, old);
    const free = new Int32Array(cap);
    free.set(this.free.subarray(0, this.freeTop));
    this.free = free;
    for (let i = cap - 1; i >= old; i--) this.free[this.freeTop++] = i;
    this.cap = cap;
  }

  push(timeMs: number, payload: P, kind: number, arg: number): EventId {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.timeMs[slot] = timeMs;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.arg[slot] = arg;
    this.payload[slot] = payload;
    this.siftUp(this.n++, slot);
    return this.gen[slot]! * GEN_MUL + slot;
  }

  /** Removes a pending event; returns false when it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % GEN_MUL;
    const g = (id - slot) / GEN_MUL;
    if (slot >= this.cap || this.gen[slot] !== g || this.pos[slot]! < 0) return false;
    const at = this.pos[slot]!;
    this.release(slot);
    const last = this.heap[--this.n]!;
    if (at < this.n) {
      this.siftUp(at, last);
      if (this.pos[last] === at) this.siftDown(at, last);
    }
    return true;
  }

  /** Time of the earliest pending event (Infinity when empty). */
  peekTimeMs(): number {
    return this.n === 0 ? Infinity : this.timeMs[this.heap[0]!]!;
  }

  // The pop result is left in these fields, so popping allocates nothing.
  poppedTimeMs = 0;
  poppedKind = 0;
  poppedArg = 0;
  poppedPayload: P | undefined = undefined;

  pop(): boolean {
    if (this.n === 0) return false;
    const slot = this.heap[0]!;
    this.poppedTimeMs = this.timeMs[slot]!;
    this.poppedKind = this.kind[slot]!;
    this.poppedArg = this.arg[slot]!;
    this.poppedPayload = this.payload[slot];
    this.release(slot);
    const last = this.heap[--this.n]!;
    if (this.n > 0) this.siftDown(0, last);
    return true;
  }

  private release(slot: number): void {
    this.pos[slot] = -1;
    this.payload[slot] = undefined;
    const g = this.gen[slot]! + 1;
    this.gen[slot] = g >= GEN_MAX ? 0 : g;
    this.free[this.freeTop++] = slot;
  }

  private less(a: number, b: number): boolean {
    const ta = this.timeMs[a]!;
    const tb = this.timeMs[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private siftUp(i: number, slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent]!;
      if (!this.less(slot, ps)) break;
      heap[i] = ps;
      pos[ps] = i;
      i = parent;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  private siftDown(i: number, slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const n = this.n;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right]!, heap[child]!)) child = right;
      const cs = heap[child]!;
      if (!this.less(cs, slot)) break;
      heap[i] = cs;
      pos[cs] = i;
      i = child;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  /** Debug check of the heap property (tests only; O(n)). */
  checkInvariant(): void {
    for (let i = 1; i < this.n; i++) {
      const parent = (i - 1) >> 1;
      assert(!this.less(this.heap[i]!, this.heap[parent]!), `heap order broken at ${i}`);
      assert(this.pos[this.heap[i]!] === i, `heap position broken at ${i}`);
    }
  }
}
