// The event queue, ordered by (timeMs, seq). Whole-ms events from the cursor (the latest popped
// time, or later: see refill) to the end of the cursor's epoch + FINE_EPOCHS - 1 (at most
// WHEEL_SIZE ms ahead) sit in a timing wheel: one FIFO bucket per ms, found through a three-level
// bitmap, so the common case costs O(1). Whole-ms events up to COARSE_SIZE epochs beyond it sit
// in a coarse wheel, one FIFO bucket per epoch (EPOCH_MS), each moved into the fine wheel as the
// cursor's epoch comes within FINE_EPOCHS of it: also O(1). Every other event (farther out,
// fractional or earlier than the cursor) sits in an indexed binary heap. Pop takes the smaller of
// the fine wheel's and the heap's heads (every coarse event comes after every fine one). Slots
// are recycled through a free list, so scheduling allocates nothing once the arrays have grown
// to the run's peak size. Leaves out: everything about what an event means.

import { SimAssertionError, SimLimitError } from './assert.js';
import { grown } from './typed.js';

/**
 * The constants push and what it inlines read, as a const enum: each use compiles to its value.
 * A module const costs V8 a context load and a hole check, in bytecode too, and push's bytecode
 * must stay within V8's inlining budget (see push).
 */
const enum Hot {
  /** EventId = generation * GenMul + slot, below 2^53 (PENDING_EVENTS_MAX slots). */
  GenMul = 1 << 22,
  WheelBits = 17,
  WheelMask = (1 << WheelBits) - 1,
  EpochBits = 14,
  EpochMs = 1 << EpochBits,
  CoarseBits = 12,
  CoarseMask = (1 << CoarseBits) - 1,
}
/** Largest number of events pending at once (slot index bits of an EventId). */
export const PENDING_EVENTS_MAX = Hot.GenMul;
const GEN_MUL = Hot.GenMul;
const GEN_MASK = 2 ** 30 - 1; // generations wrap to 0 at 2^30

/**
 * Span of the timing wheel in ms, one bucket per ms: 2^17 ms (131 s) holds timer and retry
 * delays and many call durations; its 512 KB of bucket heads fit a core's L2 cache. Measured
 * on the engine benchmarks: 2^16 buckets were slower, as were 2^15–2^18 with two ints a bucket
 * (a head and a tail; buckets are now circular lists, tail = prev[head]).
 */
const WHEEL_BITS = Hot.WheelBits;
const WHEEL_SIZE = 1 << WHEEL_BITS;
const WHEEL_MASK = Hot.WheelMask;
const L0_WORDS = WHEEL_SIZE >>> 5; // one bit per bucket
const L1_WORDS = L0_WORDS >>> 5; // one bit per non-zero L0 word
const L2_WORDS = Math.max(1, L1_WORDS >>> 5); // one bit per non-zero L1 word, scanned linearly

/**
 * The coarse wheel's bucket span (an epoch: 2^14 ms, 16 s) and size (2^12 epochs, 18.6 h). An
 * event moves into the fine wheel when the cursor's epoch comes within FINE_EPOCHS of its own:
 * talk ends (lognormal, mean 240 s) and other timers past the fine wheel's span cost two O(1)
 * list appends instead of a heap push and removal.
 */
const EPOCH_MS = Hot.EpochMs;
const FINE_EPOCHS = WHEEL_SIZE / EPOCH_MS; // the fine wheel spans this many epochs from the cursor's
const COARSE_BITS = Hot.CoarseBits;
const COARSE_SIZE = 1 << COARSE_BITS;
const COARSE_MASK = Hot.CoarseMask;
const COARSE_WORDS = COARSE_SIZE >>> 5; // one bit per bucket

/**
 * A slot's Pos when it is not in the heap: free, or in a wheel (the fine one while its time is
 * before fineEndMs, else the coarse one). A slot in the heap holds its heap index there. Only the
 * heap and what takes a slot out of it write Pos: push and pop of a wheel event leave it as it is.
 */
const NOT_IN_HEAP = -1;

/** A slot's record: 64 bytes of one buffer, doubles at (slot << 3) | field, ints at (slot << 4) | field. */
const SLOT_BYTES = 64;
const enum Slot {
  /** Doubles: the event's time (at slot << 3), sequence number and argument. */
  Time = 0,
  Seq = 1,
  Arg = 2,
  /** Ints (bytes 24–47): kind, generation, heap index (see NOT_IN_HEAP), bucket links, payload flag. */
  Kind = 6,
  Gen = 7,
  Pos = 8,
  Next = 9,
  Prev = 10,
  /** 1 while `payload` holds the event's payload (an object handler's or a closure's event). */
  HasPayload = 11,
}

export type EventId = number;

/** A timing wheel's arrays: bucket heads and the three bitmap levels. */
interface Wheel {
  head: Int32Array;
  l0: Int32Array;
  l1: Int32Array;
  l2: Int32Array;
}

/**
 * Wheels of released queues (EventQueue.releaseWheel), their bitmaps cleared: a replication takes
 * the last one's instead of allocating 512 KB of heads (a bucket's head is read only while the
 * bitmap marks it, so the heads need no clearing). Per thread: each worker has its own module.
 */
const SPARE_WHEELS: Wheel[] = [];
const SPARE_WHEELS_MAX = 2;

function takeWheel(): Wheel {
  return (
    SPARE_WHEELS.pop() ?? {
      head: new Int32Array(WHEEL_SIZE),
      l0: new Int32Array(L0_WORDS),
      l1: new Int32Array(L1_WORDS),
      l2: new Int32Array(L2_WORDS),
    }
  );
}

/** Index of the lowest set bit of a non-zero int32. */
function lowBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export class EventQueue<P> {
  // Every field starts with a value of its final type (see Stream in rng.ts: bare declarations
  // start as undefined, and V8 then checks the field's type on every hot-path read).
  private cap = 0;
  // Per slot, one 64-byte record (SLOT_BYTES, fields Slot.*) in two views of one buffer: an event
  // popped minutes after its push finds its fields in one or two cache lines, not in nine arrays
  // (bench-day's pops missed the first-level data cache ~8 times each, now ~4).
  private sf = new Float64Array(0);
  private si = new Int32Array(0);
  private payload: (P | undefined)[] = [];
  private free = new Int32Array(0); // stack of free slots
  private freeTop = 0;
  private nextSeq = 0;

  // Timing wheel: bucket b holds events at the one time ≡ b (mod WHEEL_SIZE) in
  // [cursorMs, cursorMs + WHEEL_SIZE), in push order (= seq order).
  private cursorMs = 0;
  // First slot of each non-empty bucket. A bucket is a circular list through next/prev, so
  // its last slot is prev[first]: 4 bytes a bucket keep the wheel small in cache. Only the
  // buckets the bitmap marks are read: an empty bucket's head is left as it is (so a new
  // queue's 512 KB need not be filled; emptied buckets are set to -1 for the invariant check).
  private wheel: Wheel | undefined = takeWheel();
  private readonly head = this.wheel!.head;
  private readonly l0 = this.wheel!.l0;
  private readonly l1 = this.wheel!.l1;
  private readonly l2 = this.wheel!.l2;
  private wheelN = 0;
  // The fine wheel takes whole-ms times in [cursorMs, fineEndMs): fineEndMs is the end of the
  // cursor's epoch + FINE_EPOCHS - 1, so fineEndMs - cursorMs <= WHEEL_SIZE.
  private fineEndMs = WHEEL_SIZE;
  private epochEndMs = EPOCH_MS; // end of the cursor's epoch: past it, fineEndMs moves (advance)

  // Coarse wheel: bucket (coarseBase + k) % COARSE_SIZE holds, in seq order, the events in the
  // k-th epoch from fineEndMs (whole ms in [fineEndMs, coarseEndMs)). Lists through next/prev,
  // circular like the fine wheel's; a bucket's head is read only while its bit is set.
  private coarseEndMs = WHEEL_SIZE + COARSE_SIZE * EPOCH_MS;
  private coarseBase = FINE_EPOCHS;
  private readonly cHead = new Int32Array(COARSE_SIZE);
  private readonly cBits = new Int32Array(COARSE_WORDS);
  private coarseN = 0;

  // Heap in heap order: keys beside slot numbers, so sifting reads contiguous memory.
  private hTime = new Float64Array(0);
  private hSeq = new Float64Array(0);
  private hSlot = new Int32Array(0);
  private heapN = 0;

  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.allocSlots(this.cap, 0);
    this.payload = new Array<P | undefined>(this.cap).fill(undefined);
    this.free = new Int32Array(this.cap);
    this.hTime = new Float64Array(this.cap);
    this.hSeq = new Float64Array(this.cap);
    this.hSlot = new Int32Array(this.cap);
    for (let i = this.cap - 1; i >= 0; i--) this.free[this.freeTop++] = i;
  }

  /**
   * Hands the wheel's arrays to the next queue: the caller drops this queue, which must not be
   * used again (Simulator.dispose: runReplication, once the replication's results are collected).
   */
  releaseWheel(): void {
    const w = this.wheel;
    if (w === undefined) return;
    this.wheel = undefined;
    w.l0.fill(0);
    w.l1.fill(0);
    w.l2.fill(0);
    if (SPARE_WHEELS.length < SPARE_WHEELS_MAX) SPARE_WHEELS.push(w);
  }

  get size(): number {
    return this.wheelN + this.coarseN + this.heapN;
  }

  /** Sequence numbers handed out so far (ties at equal time pop in this order). */
  get scheduled(): number {
    return this.nextSeq;
  }

  /** The slot records for `cap` slots, the first `keep` copied from the current ones, the rest free. */
  private allocSlots(cap: number, keep: number): void {
    const buf = new ArrayBuffer(cap * SLOT_BYTES);
    const sf = new Float64Array(buf);
    const si = new Int32Array(buf);
    sf.set(this.sf.subarray(0, keep << 3));
    for (let slot = keep; slot < cap; slot++) si[(slot << 4) | Slot.Pos] = NOT_IN_HEAP;
    this.sf = sf;
    this.si = si;
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
    const f64 = (a: Float64Array) => grown(a, cap);
    const i32 = (a: Int32Array) => grown(a, cap);
    this.allocSlots(cap, old);
    this.hTime = f64(this.hTime);
    this.hSeq = f64(this.hSeq);
    this.hSlot = i32(this.hSlot);
    this.payload.length = cap;
    this.payload.fill(undefined, old);
    const free = new Int32Array(cap);
    free.set(this.free.subarray(0, this.freeTop));
    this.free = free;
    for (let i = cap - 1; i >= old; i--) this.free[this.freeTop++] = i;
    this.cap = cap;
  }

  /** Adds an event; returns its EventId (add, then idOf). */
  push(timeMs: number, payload: P | undefined, kind: number, arg: number): EventId {
    return this.idOf(this.add(timeMs, payload, kind, arg));
  }

  /**
   * The EventId of the event in `slot`, added last there. Apart from add, which returns the slot
   * (a small integer): an EventId is above V8's small-integer range once its slot has been
   * reused ~512 times (this Node's small integers are 32-bit), and returned by a call V8 did not
   * inline it was boxed (16 bytes a call from bench-day's arrivals) even where the caller drops
   * it. The simulator asks for it in its own (inlined) frame.
   */
  idOf(slot: number): EventId {
    return this.si[(slot << 4) | Slot.Gen]! * Hot.GenMul + slot;
  }

  // add, with what V8 inlines into it (append, listAlone, setWordBit, listLinkAfter), must stay
  // within what V8 inlines into Simulator.schedule (920 bytes of bytecode a function, of which a
  // candidate may take 1/1.2): above it every schedule calls add (M/M/c +8 % instructions a call).
  /** Adds an event; returns its slot (idOf gives its EventId). */
  add(timeMs: number, payload: P | undefined, kind: number, arg: number): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    const s = this.nextSeq++;
    const sf = this.sf;
    const si = this.si;
    const f = slot << 3;
    const k = slot << 4;
    sf[f] = timeMs;
    sf[f | Slot.Seq] = s;
    sf[f | Slot.Arg] = arg;
    si[k | Slot.Kind] = kind;
    if (payload !== undefined) {
      this.payload[slot] = payload;
      si[k | Slot.HasPayload] = 1;
    }
    const ahead = timeMs - this.cursorMs; // whole iff timeMs is: the cursor is whole
    if (ahead >= 0 && timeMs < this.coarseEndMs && (ahead | 0) === ahead) this.append(slot, timeMs);
    else this.pushHeap(slot, timeMs, s);
    return slot;
  }

  /**
   * push() of an event neither wheel takes (fractional, before the cursor, or past the coarse
   * wheel): out of line, rare, so that V8 does not inline it into push.
   */
  private pushHeap(slot: number, timeMs: number, s: number): void {
    this.heapUp(this.heapN++, timeMs, s, slot);
  }

  /**
   * Reserves the sequence number the next push would take: an event pushed later with it
   * (pushReserved) pops, among events at its time, where it would have had it been pushed now.
   */
  reserve(): number {
    return this.nextSeq++;
  }

  /** push() with a sequence number taken earlier by reserve(). */
  pushReserved(
    timeMs: number,
    s: number,
    payload: P | undefined,
    kind: number,
    arg: number,
  ): EventId {
    if (!(s >= 0 && s < this.nextSeq && Number.isInteger(s)))
      throw new SimAssertionError(`pushReserved: ${s} is not a reserved sequence number`);
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.sf[slot << 3] = timeMs;
    this.sf[(slot << 3) | Slot.Seq] = s;
    this.si[(slot << 4) | Slot.Kind] = kind;
    this.sf[(slot << 3) | Slot.Arg] = arg;
    if (payload !== undefined) {
      this.payload[slot] = payload;
      this.si[(slot << 4) | Slot.HasPayload] = 1;
    }
    const ahead = timeMs - this.cursorMs;
    if (ahead >= 0 && (ahead | 0) === ahead && timeMs < this.coarseEndMs) {
      if (timeMs < this.fineEndMs) this.wheelInsert(slot, timeMs, s);
      else this.coarseInsert(slot, timeMs, s);
    } else {
      this.heapUp(this.heapN++, timeMs, s, slot);
    }
    return this.si[(slot << 4) | Slot.Gen]! * GEN_MUL + slot;
  }

  /** Removes a pending event; returns false when it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % GEN_MUL;
    const g = (id - slot) / GEN_MUL;
    // The generation moves on when the event pops or is cancelled: a match means it is pending.
    if (!(slot >= 0 && slot < this.cap) || this.si[(slot << 4) | Slot.Gen] !== g) return false;
    const at = this.si[(slot << 4) | Slot.Pos]!;
    if (at >= 0) {
      this.heapRemove(at);
      this.si[(slot << 4) | Slot.Pos] = NOT_IN_HEAP;
    } else if (this.sf[slot << 3]! < this.fineEndMs) this.wheelUnlink(slot);
    else this.coarseUnlink(slot);
    this.release(slot);
    return true;
  }

  /** Time of the earliest pending event (Infinity when empty). */
  peekTimeMs(): number {
    const slot = this.select();
    return slot < 0 ? Infinity : this.sf[slot << 3]!;
  }

  // The pop result is left in these fields, so popping allocates nothing.
  poppedTimeMs = 0;
  poppedSeq = -1;
  poppedKind = 0;
  poppedArg = 0;
  poppedPayload: P | undefined = undefined;

  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /** Pops the earliest event if its time is <= untilMs; otherwise leaves the queue as it is. */
  popUntil(untilMs: number): boolean {
    // select(), the bucket shift and release() by hand: the hot path is kept free of calls.
    let b = -1;
    let slot: number;
    if (this.wheelN === 0 && this.coarseN > 0) this.refill(untilMs);
    if (this.wheelN > 0) {
      const from = this.cursorMs & WHEEL_MASK;
      const w0 = from >>> 5;
      const bits = this.l0[w0]! & (-1 << (from & 31));
      b = bits !== 0 ? (w0 << 5) | lowBit(bits) : this.findBucketFromWord(w0 + 1);
      if (b < 0) b = this.findBucket(0); // wrapped around
      slot = this.head[b]!;
      if (this.heapN > 0 && this.heapTopFirst(slot)) {
        b = -1;
        slot = this.hSlot[0]!;
      }
    } else if (this.heapN > 0) {
      slot = this.hSlot[0]!;
    } else {
      return false;
    }
    const sf = this.sf;
    const si = this.si;
    const f = slot << 3;
    const k = slot << 4;
    const t = sf[f]!;
    if (t > untilMs) return false;
    if (b >= 0) {
      const nx = si[k | Slot.Next]!;
      if (nx === slot) {
        this.head[b] = -1;
        const w = b >>> 5;
        const left = this.l0[w]! & ~(1 << (b & 31));
        this.l0[w] = left;
        if (left === 0) this.clearWordBit(w);
      } else {
        const last = si[k | Slot.Prev]!;
        this.head[b] = nx;
        si[(nx << 4) | Slot.Prev] = last;
        si[(last << 4) | Slot.Next] = nx;
      }
      this.wheelN--;
      this.cursorMs = t; // the minimum: every wheel event is at t or later
      if (t >= this.epochEndMs) this.advance(t);
    } else {
      this.heapRemove(0);
      si[k | Slot.Pos] = NOT_IN_HEAP;
      if (t > this.cursorMs) {
        const c = Math.floor(t);
        this.cursorMs = c;
        if (c >= this.epochEndMs) this.advance(c);
      }
    }
    this.poppedTimeMs = t;
    this.poppedSeq = sf[f | Slot.Seq]!;
    this.poppedArg = sf[f | Slot.Arg]!;
    this.poppedKind = si[k | Slot.Kind]!;
    si[k | Slot.Gen] = (si[k | Slot.Gen]! + 1) & GEN_MASK;
    // The payload array is read only for an event that has one (HandlerId events have none).
    if (si[k | Slot.HasPayload] === 0) this.poppedPayload = undefined;
    else this.takePayload(slot);
    this.free[this.freeTop++] = slot;
    return true;
  }

  /** Whether the heap's top comes before the wheel event in `slot`. */
  private heapTopFirst(slot: number): boolean {
    const ht = this.hTime[0]!;
    const wt = this.sf[slot << 3]!;
    return ht < wt || (ht === wt && this.hSeq[0]! < this.sf[(slot << 3) | Slot.Seq]!);
  }

  /** Slot of the earliest event, or -1 when empty (popUntil does the same, by hand). */
  private select(): number {
    if (this.wheelN === 0 && this.coarseN > 0) this.refill(Infinity);
    if (this.wheelN > 0) {
      let b = this.findBucket(this.cursorMs & WHEEL_MASK);
      if (b < 0) b = this.findBucket(0); // wrapped around
      const slot = this.head[b]!;
      return this.heapN > 0 && this.heapTopFirst(slot) ? this.hSlot[0]! : slot;
    }
    return this.heapN > 0 ? this.hSlot[0]! : -1;
  }

  /** The slot's payload into poppedPayload, its place cleared. */
  private takePayload(slot: number): void {
    this.poppedPayload = this.payload[slot];
    this.payload[slot] = undefined;
    this.si[(slot << 4) | Slot.HasPayload] = 0;
  }

  private release(slot: number): void {
    if (this.si[(slot << 4) | Slot.HasPayload] !== 0) {
      this.payload[slot] = undefined;
      this.si[(slot << 4) | Slot.HasPayload] = 0;
    }
    this.si[(slot << 4) | Slot.Gen] = (this.si[(slot << 4) | Slot.Gen]! + 1) & GEN_MASK;
    this.free[this.freeTop++] = slot;
  }

  // ---- timing wheel ----

  /**
   * Appends slot to the bucket of timeMs, a whole ms in [cursorMs, coarseEndMs): the fine wheel's
   * before fineEndMs, else the coarse wheel's. One body for both, so that push inlines one copy.
   */
  private append(slot: number, timeMs: number): void {
    const fine = timeMs < this.fineEndMs;
    const b = fine ? timeMs & Hot.WheelMask : this.coarseBucket(timeMs);
    const heads = fine ? this.head : this.cHead;
    const bits = fine ? this.l0 : this.cBits;
    // The bitmap (small, cached) says whether the bucket is empty; only a non-empty bucket's
    // head is read: with sparse events that read would mostly miss the cache.
    const w = b >>> 5;
    const was = bits[w]!;
    const bit = 1 << (b & 31);
    if ((was & bit) === 0) {
      heads[b] = this.listAlone(slot);
      bits[w] = was | bit;
      if (fine && was === 0) this.setWordBit(w);
    } else {
      this.listLinkAfter(this.si[(heads[b]! << 4) | Slot.Prev]!, slot);
    }
    if (fine) this.wheelN++;
    else this.coarseN++;
  }

  /** Puts slot in the bucket of timeMs in sequence order (its seq may be older than the last's). */
  private wheelInsert(slot: number, timeMs: number, s: number): void {
    const b = timeMs & WHEEL_MASK;
    const first = (this.l0[b >>> 5]! & (1 << (b & 31))) === 0 ? -1 : this.head[b]!;
    if (first < 0 || this.sf[(this.si[(first << 4) | Slot.Prev]! << 3) | Slot.Seq]! < s) {
      this.append(slot, timeMs);
      return;
    }
    this.head[b] = this.listInsert(first, slot, s);
    this.wheelN++;
  }

  private wheelUnlink(slot: number): void {
    const b = this.sf[slot << 3]! & WHEEL_MASK;
    const first = this.listUnlink(this.head[b]!, slot);
    this.head[b] = first;
    if (first < 0) this.clearBit(b);
    this.wheelN--;
  }

  // ---- the buckets' circular lists (through next/prev), shared by both wheels ----

  /** Makes slot a list of its own; returns it (the list's first). */
  private listAlone(slot: number): number {
    this.si[(slot << 4) | Slot.Next] = slot;
    this.si[(slot << 4) | Slot.Prev] = slot;
    return slot;
  }

  /** Links slot into a list right after `at`. */
  private listLinkAfter(at: number, slot: number): void {
    const nx = this.si[(at << 4) | Slot.Next]!;
    this.si[(at << 4) | Slot.Next] = slot;
    this.si[(slot << 4) | Slot.Prev] = at;
    this.si[(slot << 4) | Slot.Next] = nx;
    this.si[(nx << 4) | Slot.Prev] = slot;
  }

  /**
   * Links slot (sequence number s) into the non-empty list that starts at `first`, in sequence
   * order; returns the list's first slot afterwards.
   */
  private listInsert(first: number, slot: number, s: number): number {
    // Walk back from the last to the first entry with a smaller seq; none: slot is the new head.
    let x = this.si[(first << 4) | Slot.Prev]!;
    while (x !== first && this.sf[(x << 3) | Slot.Seq]! > s) x = this.si[(x << 4) | Slot.Prev]!;
    const before = this.sf[(x << 3) | Slot.Seq]! > s; // x === first, and slot goes before it
    this.listLinkAfter(before ? this.si[(first << 4) | Slot.Prev]! : x, slot);
    return before ? slot : first;
  }

  /** Unlinks slot from the list that starts at `first`; returns its first slot afterwards (-1: empty). */
  private listUnlink(first: number, slot: number): number {
    const nx = this.si[(slot << 4) | Slot.Next]!;
    if (nx === slot) return -1;
    const pv = this.si[(slot << 4) | Slot.Prev]!;
    this.si[(pv << 4) | Slot.Next] = nx;
    this.si[(nx << 4) | Slot.Prev] = pv;
    return first === slot ? nx : first;
  }

  // ---- coarse wheel ----

  /** Coarse bucket of timeMs (a whole ms in [fineEndMs, coarseEndMs)). */
  private coarseBucket(timeMs: number): number {
    return ((this.coarseBase + (timeMs - this.fineEndMs) / Hot.EpochMs) | 0) & Hot.CoarseMask;
  }

  /** Puts slot in the coarse bucket of timeMs in sequence order (as wheelInsert). */
  private coarseInsert(slot: number, timeMs: number, s: number): void {
    const c = this.coarseBucket(timeMs);
    const first = (this.cBits[c >>> 5]! & (1 << (c & 31))) === 0 ? -1 : this.cHead[c]!;
    if (first < 0 || this.sf[(this.si[(first << 4) | Slot.Prev]! << 3) | Slot.Seq]! < s) {
      this.append(slot, timeMs);
      return;
    }
    this.cHead[c] = this.listInsert(first, slot, s);
    this.coarseN++;
  }

  private coarseUnlink(slot: number): void {
    const c = this.coarseBucket(this.sf[slot << 3]!);
    const first = this.listUnlink(this.cHead[c]!, slot);
    this.cHead[c] = first;
    if (first < 0) this.cBits[c >>> 5]! &= ~(1 << (c & 31));
    this.coarseN--;
  }

  /**
   * The cursor has reached cursorMs, in a later epoch than before: the fine wheel's end moves
   * to the end of the epoch FINE_EPOCHS - 1 after the cursor's, and the coarse buckets of the
   * epochs it now covers move into it, each in seq order. Their ms buckets in the fine wheel are
   * empty (the fine wheel held only earlier times), so appending keeps (time, seq) order.
   */
  private advance(cursorMs: number): void {
    const e = Math.floor(cursorMs / EPOCH_MS);
    const fineEnd = (e + FINE_EPOCHS) * EPOCH_MS;
    const epochs = (fineEnd - this.fineEndMs) / EPOCH_MS; // that join the fine wheel
    this.fineEndMs = fineEnd; // first: the moved events' times are now before it (append)
    let c = this.coarseBase;
    for (let k = Math.min(epochs, COARSE_SIZE); k > 0 && this.coarseN > 0; k--) {
      if ((this.cBits[c >>> 5]! & (1 << (c & 31))) !== 0) this.moveBucket(c);
      c = (c + 1) & COARSE_MASK;
    }
    this.coarseBase = (this.coarseBase + (epochs % COARSE_SIZE)) & COARSE_MASK;
    this.epochEndMs = (e + 1) * EPOCH_MS;
    this.coarseEndMs = fineEnd + COARSE_SIZE * EPOCH_MS;
    if (this.heapN > 0 && this.hTime[0]! < this.coarseEndMs) this.adoptFromHeap();
  }

  /**
   * The wheels' window moved: heap events it now covers (whole ms from the cursor on, pushed
   * when they lay past the coarse wheel: a fault hours ahead) move into the wheel that takes
   * them, each in sequence order among its bucket's events. The heap is then empty most of a
   * run, and popUntil skips the comparison with its top. Stops at the first top that must stay
   * (fractional, before the cursor, or still past the window): the heap keeps the rest.
   */
  private adoptFromHeap(): void {
    while (this.heapN > 0) {
      const t = this.hTime[0]!;
      if (t >= this.coarseEndMs || t < this.cursorMs || !Number.isInteger(t)) return;
      const slot = this.hSlot[0]!;
      const s = this.hSeq[0]!;
      this.heapRemove(0);
      this.si[(slot << 4) | Slot.Pos] = NOT_IN_HEAP;
      if (t < this.fineEndMs) this.wheelInsert(slot, t, s);
      else this.coarseInsert(slot, t, s);
    }
  }

  /** Moves coarse bucket c's events, in order, into the fine wheel. */
  private moveBucket(c: number): void {
    this.cBits[c >>> 5]! &= ~(1 << (c & 31));
    const first = this.cHead[c]!;
    let x = first;
    for (;;) {
      const nx = this.si[(x << 4) | Slot.Next]!;
      this.coarseN--;
      this.append(x, this.sf[x << 3]!);
      if (nx === first) break;
      x = nx;
    }
  }

  /**
   * The fine wheel is empty and the coarse one is not: unless the heap's top comes before the
   * first non-empty coarse epoch (or that epoch starts after untilMs), the cursor moves to that
   * epoch's start and its events join the fine wheel. Every pending event is at or after the new
   * cursor; an event pushed later before it goes to the heap, in order as ever.
   */
  private refill(untilMs: number): void {
    const c = this.coarseFirst();
    const startMs = this.fineEndMs + ((c - this.coarseBase) & COARSE_MASK) * EPOCH_MS;
    if ((this.heapN > 0 && this.hTime[0]! < startMs) || startMs > untilMs) return;
    this.cursorMs = startMs;
    this.advance(startMs);
  }

  /** The first non-empty coarse bucket from coarseBase on, cyclically (the coarse wheel is not empty). */
  private coarseFirst(): number {
    const from = this.coarseBase;
    let w = from >>> 5;
    let bits = this.cBits[w]! & (-1 << (from & 31));
    for (let k = 0; bits === 0 && k < COARSE_WORDS; k++) {
      w = (w + 1) % COARSE_WORDS;
      bits = this.cBits[w]!;
    }
    return (w << 5) | lowBit(bits);
  }

  // Hot paths are split from rare ones throughout: V8 inlines small functions only, and only
  // up to a budget per optimised caller.

  private setWordBit(w: number): void {
    const u = w >>> 5;
    const was1 = this.l1[u]!;
    this.l1[u] = was1 | (1 << (w & 31));
    if (was1 === 0) this.l2[u >>> 5]! |= 1 << (u & 31);
  }

  private clearBit(b: number): void {
    const w = b >>> 5;
    const now = this.l0[w]! & ~(1 << (b & 31));
    this.l0[w] = now;
    if (now === 0) this.clearWordBit(w);
  }

  private clearWordBit(w: number): void {
    const u = w >>> 5;
    const now1 = this.l1[u]! & ~(1 << (w & 31));
    this.l1[u] = now1;
    if (now1 === 0) this.l2[u >>> 5]! &= ~(1 << (u & 31));
  }

  /** The first non-empty bucket at index >= from (no wrap-around), or -1. */
  private findBucket(from: number): number {
    const w = from >>> 5;
    const bits = this.l0[w]! & (-1 << (from & 31));
    return bits !== 0 ? (w << 5) | lowBit(bits) : this.findBucketFromWord(w + 1);
  }

  /** The first non-empty bucket in L0 words >= w1, through the upper bitmap levels, or -1. */
  private findBucketFromWord(w1: number): number {
    if (w1 >= L0_WORDS) return -1;
    let u = w1 >>> 5;
    let bits1 = this.l1[u]! & (-1 << (w1 & 31));
    if (bits1 === 0) {
      const u1 = u + 1; // next L1 word to look at
      if (u1 >= L1_WORDS) return -1;
      let v = u1 >>> 5;
      let bits2 = this.l2[v]! & (-1 << (u1 & 31));
      while (bits2 === 0) {
        if (++v >= L2_WORDS) return -1;
        bits2 = this.l2[v]!;
      }
      u = (v << 5) | lowBit(bits2);
      bits1 = this.l1[u]!;
    }
    const w = (u << 5) | lowBit(bits1);
    return (w << 5) | lowBit(this.l0[w]!);
  }

  // ---- heap (events outside the wheel) ----

  private heapUp(i: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const si = this.si;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hTime[parent]!;
      if (pt < t || (pt === t && hSeq[parent]! < s)) break;
      hTime[i] = pt;
      hSeq[i] = hSeq[parent]!;
      const ps = hSlot[parent]!;
      hSlot[i] = ps;
      si[(ps << 4) | Slot.Pos] = i;
      i = parent;
    }
    hTime[i] = t;
    hSeq[i] = s;
    hSlot[i] = slot;
    si[(slot << 4) | Slot.Pos] = i;
  }

  private heapDown(i: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const si = this.si;
    const n = this.heapN;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = hTime[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = hTime[r]!;
        if (rt < ct || (rt === ct && hSeq[r]! < hSeq[c]!)) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < hSeq[c]!)) break;
      hTime[i] = ct;
      hSeq[i] = hSeq[c]!;
      const cs = hSlot[c]!;
      hSlot[i] = cs;
      si[(cs << 4) | Slot.Pos] = i;
      i = c;
    }
    hTime[i] = t;
    hSeq[i] = s;
    hSlot[i] = slot;
    si[(slot << 4) | Slot.Pos] = i;
  }

  /** Removes the entry at heap index `at`, moving the last entry into its place. */
  private heapRemove(at: number): void {
    const last = --this.heapN;
    if (at === last) return;
    const t = this.hTime[last]!;
    const s = this.hSeq[last]!;
    const slot = this.hSlot[last]!;
    const parent = (at - 1) >> 1;
    if (
      at > 0 &&
      (t < this.hTime[parent]! || (t === this.hTime[parent]! && s < this.hSeq[parent]!))
    ) {
      this.heapUp(at, t, s, slot);
    } else {
      this.heapDown(at, t, s, slot);
    }
  }

  /** Debug check of every structural invariant (tests only; O(capacity + WHEEL_SIZE / 32)). */
  checkInvariant(): void {
    // One small method per structure: a single long one is compiled by V8 mid-loop (OSR)
    // before its later parts ever ran, and deoptimises on every call from then on.
    // Every slot must be found exactly once: in the heap, a wheel's bucket or the free list.
    const seen = new Uint8Array(this.cap);
    this.checkHeap(seen);
    const inWheel = this.checkWheel(seen);
    this.checkBitmaps();
    if (inWheel !== this.wheelN) fail(`wheel count ${this.wheelN}, found ${inWheel}`);
    this.checkEpoch();
    const inCoarse = this.checkCoarse(seen);
    if (inCoarse !== this.coarseN) fail(`coarse count ${this.coarseN}, found ${inCoarse}`);
    this.checkFree(seen);
  }

  private checkHeap(seen: Uint8Array): void {
    for (let i = 0; i < this.heapN; i++) {
      const slot = this.hSlot[i]!;
      see(seen, slot, 'the heap');
      if (this.si[(slot << 4) | Slot.Pos] !== i) fail(`heap position broken at ${i}`);
      if (this.hTime[i] !== this.sf[slot << 3] || this.hSeq[i] !== this.sf[(slot << 3) | Slot.Seq])
        fail(`heap key broken at ${i}`);
      const p = (i - 1) >> 1;
      const pt = this.hTime[p]!;
      const t = this.hTime[i]!;
      if (i > 0 && (t < pt || (t === pt && this.hSeq[i]! < this.hSeq[p]!)))
        fail(`heap order broken at ${i}`);
    }
  }

  /**
   * Checks the bucket of every set bit; returns how many events they hold. An event in a
   * bucket without its bit is unreachable: checkFree finds its slot nowhere.
   */
  private checkWheel(seen: Uint8Array): number {
    let inWheel = 0;
    for (let w = 0; w < L0_WORDS; w++) {
      for (let bits = this.l0[w]!; bits !== 0; bits &= bits - 1) {
        const b = (w << 5) | lowBit(bits);
        const first = this.head[b]!;
        if (first < 0) fail(`wheel bitmap set for empty bucket ${b}`);
        inWheel += this.checkBucket(seen, b, first, this.size - inWheel);
      }
    }
    return inWheel;
  }

  /** Checks one non-empty bucket's list; returns its length. */
  private checkBucket(seen: Uint8Array, b: number, first: number, lengthMax: number): number {
    let length = 0;
    let s = first;
    do {
      if (++length > lengthMax) fail(`wheel bucket ${b}: list longer than the queue`);
      see(seen, s, `wheel bucket ${b}`);
      const t = this.sf[s << 3]!;
      const nx = this.si[(s << 4) | Slot.Next]!;
      if (this.si[(s << 4) | Slot.Pos] !== NOT_IN_HEAP || this.si[(nx << 4) | Slot.Prev] !== s)
        fail(`wheel links broken at bucket ${b}`);
      if ((t & WHEEL_MASK) !== b || !Number.isInteger(t)) fail(`wheel bucket ${b} holds time ${t}`);
      if (t < this.cursorMs || t >= this.fineEndMs) fail(`wheel time ${t} outside window`);
      if (
        nx !== first &&
        (this.sf[(nx << 3) | Slot.Seq]! <= this.sf[(s << 3) | Slot.Seq]! || this.sf[nx << 3] !== t)
      ) {
        fail(`wheel bucket ${b} out of order`);
      }
      s = nx;
    } while (s !== first);
    return length;
  }

  /** The fine wheel's end and the coarse wheel's window follow from the cursor's epoch. */
  private checkEpoch(): void {
    const e = Math.floor(this.cursorMs / EPOCH_MS);
    if (!Number.isInteger(this.cursorMs)) fail(`cursor ${this.cursorMs} not whole`);
    if (
      this.epochEndMs !== (e + 1) * EPOCH_MS ||
      this.fineEndMs !== (e + FINE_EPOCHS) * EPOCH_MS ||
      this.coarseEndMs !== this.fineEndMs + COARSE_SIZE * EPOCH_MS ||
      this.coarseBase !== (e + FINE_EPOCHS) % COARSE_SIZE
    ) {
      fail(`epoch fields broken at cursor ${this.cursorMs}`);
    }
  }

  /** Checks every coarse bucket its bit marks; returns how many events they hold. */
  private checkCoarse(seen: Uint8Array): number {
    let n = 0;
    for (let w = 0; w < COARSE_WORDS; w++) {
      for (let bits = this.cBits[w]!; bits !== 0; bits &= bits - 1) {
        const c = (w << 5) | lowBit(bits);
        n += this.checkCoarseBucket(seen, c, this.cHead[c]!, this.size - n);
      }
    }
    return n;
  }

  /** Checks one non-empty coarse bucket's list; returns its length. */
  private checkCoarseBucket(seen: Uint8Array, c: number, first: number, lengthMax: number): number {
    let length = 0;
    let s = first;
    if (!(first >= 0 && first < this.cap)) fail(`coarse bitmap set for empty bucket ${c}`);
    do {
      if (++length > lengthMax) fail(`coarse bucket ${c}: list longer than the queue`);
      see(seen, s, `coarse bucket ${c}`);
      const t = this.sf[s << 3]!;
      const nx = this.si[(s << 4) | Slot.Next]!;
      if (this.si[(s << 4) | Slot.Pos] !== NOT_IN_HEAP || this.si[(nx << 4) | Slot.Prev] !== s)
        fail(`coarse links broken at bucket ${c}`);
      if (!Number.isInteger(t) || t < this.fineEndMs || t >= this.coarseEndMs)
        fail(`coarse time ${t} outside window`);
      if (this.coarseBucket(t) !== c) fail(`coarse bucket ${c} holds time ${t}`);
      if (nx !== first && this.sf[(nx << 3) | Slot.Seq]! <= this.sf[(s << 3) | Slot.Seq]!)
        fail(`coarse bucket ${c} out of order`);
      s = nx;
    } while (s !== first);
    return length;
  }

  private checkBitmaps(): void {
    for (let w = 0; w < L0_WORDS; w++) {
      if (((this.l1[w >>> 5]! >>> (w & 31)) & 1) !== (this.l0[w] !== 0 ? 1 : 0))
        fail(`L1 bit broken at ${w}`);
    }
    for (let u = 0; u < L1_WORDS; u++) {
      if (((this.l2[u >>> 5]! >>> (u & 31)) & 1) !== (this.l1[u] !== 0 ? 1 : 0))
        fail(`L2 bit broken at ${u}`);
    }
  }

  /** The free list holds the slots found nowhere else, each once, none with a heap index. */
  private checkFree(seen: Uint8Array): void {
    if (this.freeTop + this.size !== this.cap)
      fail(`free list ${this.freeTop} + pending ${this.size} != capacity ${this.cap}`);
    for (let k = 0; k < this.freeTop; k++) {
      const slot = this.free[k]!;
      see(seen, slot, 'the free list');
      if (this.si[(slot << 4) | Slot.Pos] !== NOT_IN_HEAP)
        fail(`free slot ${slot} has a heap index`);
    }
    const lost = seen.indexOf(0);
    if (lost >= 0) fail(`slot ${lost} is neither free nor reachable`);
  }
}

/** Marks a slot found by checkInvariant; a slot found twice is a broken structure. */
function see(seen: Uint8Array, slot: number, where: string): void {
  if (!(slot >= 0 && slot < seen.length)) fail(`slot ${slot} out of range in ${where}`);
  if (seen[slot] !== 0) fail(`slot ${slot} found twice (again in ${where})`);
  seen[slot] = 1;
}

/** Messages are built only on failure: checkInvariant runs after every step of property tests. */
function fail(message: string): never {
  throw new SimAssertionError(message);
}
