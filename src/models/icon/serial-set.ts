// A set of call serials (and the negative aliases of calls that lost their identity), for the
// calls a source or an IDB holds open (issue 21). Serials are handed out in increasing order and
// a call is short next to the run, so nearly every member is a recent serial: those live in a
// window of one byte per serial (a store and a load, no hashing), which slides forward as new
// serials come; a member the window leaves behind (a long or a stuck call), or an alias, moves
// to an IntSet. Memory stays bounded by the window and the members, not by the run's length.
// Iteration order is a function of the operations only (deterministic).

import { assert, IntSet } from '../../sim/index.js';

/** The window's width in serials (a power of two). */
export const W = 4096;
const MASK = W - 1;

/** The set addAllTo fills (a module-level callback: the same function in every replication). */
let addTarget: SerialSet | undefined;
function addToTarget(k: number): void {
  addTarget!.add(k);
}

export class SerialSet {
  /** Window [base, base + W): member s is `win[s & MASK] === 1`. */
  private readonly win = new Uint8Array(W);
  private base = 0;
  private inWin = 0;
  /** Members below the window (and aliases, < 0). */
  private readonly old = new IntSet();

  get size(): number {
    return this.inWin + this.old.size;
  }

  has(k: number): boolean {
    const d = k - this.base;
    if (d >= 0) return d < W && this.win[k & MASK] === 1;
    return this.old.has(k);
  }

  /** Adds k; false when it was a member already. */
  add(k: number): boolean {
    if ((k | 0) !== k) return this.old.add(k); // not a 32-bit integer: IntSet says why
    let d = k - this.base;
    if (d >= W) {
      this.slide(k);
      d = k - this.base;
    }
    if (d < 0) return this.old.add(k);
    const i = k & MASK;
    if (this.win[i] === 1) return false;
    this.win[i] = 1;
    this.inWin++;
    return true;
  }

  /** Removes k; false when it was not a member. */
  delete(k: number): boolean {
    const d = k - this.base;
    if (d < 0) return this.old.delete(k);
    if (d >= W) return false;
    const i = k & MASK;
    if (this.win[i] === 0) return false;
    this.win[i] = 0;
    this.inWin--;
    return true;
  }

  /** The window moves so that `k` is in its upper half; members it leaves go to `old`. */
  private slide(k: number): void {
    const base = k - (W >> 1);
    const end = Math.min(base, this.base + W);
    for (let s = this.base; s < end; s++) {
      const i = s & MASK;
      if (this.win[i] === 1) {
        this.win[i] = 0;
        this.inWin--;
        this.old.add(s);
      }
    }
    this.base = base;
  }

  clear(): void {
    this.win.fill(0);
    this.inWin = 0;
    this.old.clear();
  }

  forEach(fn: (k: number) => void): void {
    for (let s = this.base; s < this.base + W; s++) if (this.win[s & MASK] === 1) fn(s);
    this.old.forEach(fn);
  }

  /**
   * Adds every member to `dst`, in forEach's order. No closure of the caller's: one made per
   * replication is a new call target each time, and V8 threw away the optimised loop for it.
   */
  addAllTo(dst: SerialSet): void {
    for (let s = this.base; s < this.base + W; s++) if (this.win[s & MASK] === 1) dst.add(s);
    addTarget = dst;
    this.old.forEach(addToTarget);
    addTarget = undefined;
  }
}

/**
 * A byte per call serial (or negative alias), 0 for keys never set: the state of each call's
 * records in a view of the IDB (stream.ts, store.ts), or how many ICONs of a source watch a key.
 * The same layout as SerialSet: recent serials in a sliding window of one byte each, keys the
 * window leaves behind (long or stuck calls) and aliases in a Map. Iteration order is a function
 * of the operations only (deterministic).
 */
export class SerialBytes {
  /**
   * Window [base, base + W): the byte of key s is `win[s & MASK]`. Read and written in place by
   * the source's booking loop (RecordStream.bookRange), which never moves the window itself.
   * No count of the window's non-zero bytes is kept (the booking loop would pay for it on every
   * record): the rare readers scan the window.
   */
  readonly win = new Uint8Array(W);
  /** The window four bytes a word (keys 4j..4j+3 of it in word j): a slide skips zero words. */
  private readonly words = new Uint32Array(this.win.buffer);
  base = 0;
  /** Non-zero bytes of keys below the window (and aliases, < 0). */
  private readonly old = new Map<number, number>();

  /** Keys with a non-zero byte (scans the window: countWith of every bit). */
  get size(): number {
    return this.countWith(0xff);
  }

  get(k: number): number {
    const d = k - this.base;
    if (d >= 0) return d < W ? this.win[k & MASK]! : 0;
    return this.old.get(k) ?? 0;
  }

  /** Sets the byte of `k` (0..255; 0 forgets the key). */
  set(k: number, v: number): void {
    if ((k | 0) !== k) assert(false, `SerialBytes: key ${k} is not a 32-bit integer`);
    let d = k - this.base;
    if (d >= W) {
      if (v === 0) return;
      this.slide(k);
      d = k - this.base;
    }
    if (d < 0) {
      if (v === 0) this.old.delete(k);
      else this.old.set(k, v);
      return;
    }
    this.win[k & MASK] = v;
  }

  /**
   * One step of a table-driven state machine: the byte b of `k` (0..15) becomes
   * `next[row + b] & 15`. Returns `next[row + b] << 8 | b` (the entry, with its flags above bit 3,
   * and the byte before).
   */
  step(k: number, next: Uint8Array, row: number): number {
    const d = k - this.base;
    if (d >= 0 && d < W) {
      const i = k & MASK;
      const was = this.win[i]!;
      const t = next[row + was]!;
      this.win[i] = t & 15;
      return (t << 8) | was;
    }
    const was = this.get(k);
    const t = next[row + was]!;
    if ((t & 15) !== was) this.set(k, t & 15);
    return (t << 8) | was;
  }

  /**
   * Adds to `dst` every key whose byte has a bit of `bits` (no closure: see SerialSet.addAllTo).
   * Returns the highest key added (-Infinity: none).
   */
  addKeysWith(bits: number, dst: SerialSet): number {
    let max = -Infinity;
    for (let s = this.base; s < this.base + W; s++)
      if (this.win[s & MASK]! & bits) {
        dst.add(s);
        max = s;
      }
    for (const [k, v] of this.old)
      if (v & bits) {
        dst.add(k);
        if (k > max) max = k;
      }
    return max;
  }

  /** How many keys have a byte with a bit of `bits`. */
  countWith(bits: number): number {
    let n = 0;
    for (let s = this.base; s < this.base + W; s++) if (this.win[s & MASK]! & bits) n++;
    for (const v of this.old.values()) if (v & bits) n++;
    return n;
  }

  /**
   * The window moves so that `k` is in its upper half; the bytes it leaves go to `old`, in key
   * order. Most are 0 (calls that ended): four at a time, a word of them is passed over at once.
   */
  private slide(k: number): void {
    const base = k - (W >> 1);
    const end = Math.min(base, this.base + W);
    const words = this.words;
    let s = this.base; // >= 0: the window only slides up from 0
    for (; s < end && (s & 3) !== 0; s++) this.leave(s);
    for (; s + 4 <= end; s += 4) {
      if (words[(s & MASK) >> 2] !== 0) for (let t = s; t < s + 4; t++) this.leave(t);
    }
    for (; s < end; s++) this.leave(s);
    this.base = base;
  }

  /** Key `s` leaves the window: its byte, if any, goes to `old`. */
  private leave(s: number): void {
    const i = s & MASK;
    const v = this.win[i]!;
    if (v !== 0) {
      this.win[i] = 0;
      this.old.set(s, v);
    }
  }

  /** Every key with a non-zero byte, and its byte. */
  forEach(fn: (k: number, v: number) => void): void {
    for (let s = this.base; s < this.base + W; s++) {
      const v = this.win[s & MASK]!;
      if (v !== 0) fn(s, v);
    }
    this.old.forEach((v, k) => fn(k, v));
  }
}
