// A set of call serials (and the negative aliases of calls that lost their identity), for the
// calls a source or an IDB holds open (issue 21). Serials are handed out in increasing order and
// a call is short next to the run, so nearly every member is a recent serial: those live in a
// window of one byte per serial (a store and a load, no hashing), which slides forward as new
// serials come; a member the window leaves behind (a long or a stuck call), or an alias, moves
// to an IntSet. Memory stays bounded by the window and the members, not by the run's length.
// Iteration order is a function of the operations only (deterministic).

import { IntSet } from '../../sim/index.js';

const W = 4096;
const MASK = W - 1;

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
}
