// A set of 32-bit integers on one typed array: open addressing with linear probing and
// backward-shift deletion, so that a set whose members come and go (the call serials a source
// or an IDB holds open) allocates nothing once it has grown to its peak size. A built-in Set
// under the same churn reallocates its hash table again and again (deleted entries are only
// reclaimed by a rehash into a new table): on a day of a large center that was half of all
// the memory a run allocated.
// Iteration order is a function of the operations only (deterministic), not insertion order.

import { SimAssertionError } from './assert.js';

/** The empty slot. Members are any other 32-bit integer. */
const EMPTY = -0x80000000;
const CAPACITY_MIN = 16;

function notMember(k: number): never {
  throw new SimAssertionError(`IntSet: ${k} is not a 32-bit integer other than ${EMPTY}`);
}

/** An empty table of `cap` slots (a power of two). */
function table(cap: number): Int32Array<ArrayBuffer> {
  return new Int32Array(cap).fill(EMPTY);
}

export class IntSet {
  /** The slots; their count is a power of two, at least twice the members. */
  private keys: Int32Array<ArrayBuffer>;
  private n = 0;

  constructor(capacity = CAPACITY_MIN) {
    let cap = CAPACITY_MIN;
    while (cap < capacity * 2) cap *= 2;
    this.keys = table(cap);
  }

  get size(): number {
    return this.n;
  }

  /** The home slot of key k (Fibonacci hashing: the top log2(slots) bits of k × 2^32/φ). */
  private home(k: number): number {
    return Math.imul(k, 0x9e3779b1) >>> (Math.clz32(this.keys.length) + 1);
  }

  has(k: number): boolean {
    if (k === EMPTY) return false;
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      const x = keys[i]!;
      if (x === k) return true;
      if (x === EMPTY) return false;
    }
  }

  /** Adds k; false when it was a member already. */
  add(k: number): boolean {
    if ((k | 0) !== k || k === EMPTY) notMember(k);
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = this.home(k);
    for (; ; i = (i + 1) & mask) {
      const x = keys[i]!;
      if (x === k) return false;
      if (x === EMPTY) break;
    }
    keys[i] = k;
    this.n++;
    if (this.n * 2 > mask + 1) this.rehash((mask + 1) * 2);
    return true;
  }

  /** Removes k; false when it was not a member. */
  delete(k: number): boolean {
    if (k === EMPTY) return false;
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = this.home(k);
    for (; ; i = (i + 1) & mask) {
      const x = keys[i]!;
      if (x === k) break;
      if (x === EMPTY) return false;
    }
    // Backward shift: move later members of the probe run into the hole when their home slot
    // does not lie cyclically in (hole, their slot], so that every lookup still finds them.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const x = keys[j]!;
      if (x === EMPTY) break;
      const h = this.home(x);
      const stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (stays) continue;
      keys[hole] = x;
      hole = j;
    }
    keys[hole] = EMPTY;
    this.n--;
    return true;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.n = 0;
  }

  /** Calls fn for every member. The set must not change meanwhile. */
  forEach(fn: (k: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const x = keys[i]!;
      if (x !== EMPTY) fn(x);
    }
  }

  private rehash(cap: number): void {
    const old = this.keys;
    const keys = table(cap);
    const mask = cap - 1;
    this.keys = keys;
    for (let j = 0; j < old.length; j++) {
      const x = old[j]!;
      if (x === EMPTY) continue;
      let i = this.home(x);
      while (keys[i] !== EMPTY) i = (i + 1) & mask;
      keys[i] = x;
    }
  }
}
