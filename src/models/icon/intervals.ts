// Sets of source sequence numbers kept as sorted, disjoint half-open ranges [start, end): what
// an IDB stored is a handful of ranges, not one object per event. Built by appending in
// increasing order (events reach an IDB in source order); counted and merged at the end.

import { SimAssertionError } from '../../sim/index.js';

function addedBelow(lo: number, hi: number, lastEnd: number): never {
  throw new SimAssertionError(
    `SeqRanges: [${lo}, ${hi}) added below the last range end ${lastEnd}`,
  );
}

export class SeqRanges {
  private starts = new Float64Array(16);
  private ends = new Float64Array(16);
  private n = 0;
  private total = 0;

  /** Number of ranges. */
  get rangeCount(): number {
    return this.n;
  }

  /** Number of sequence numbers in the set. */
  get count(): number {
    return this.total;
  }

  start(i: number): number {
    return this.starts[i]!;
  }

  end(i: number): number {
    return this.ends[i]!;
  }

  /** The largest member + 1 (0 when empty). */
  get last(): number {
    return this.n === 0 ? 0 : this.ends[this.n - 1]!;
  }

  /** Adds one number, not below any member (extends the last range when adjacent). */
  add(seq: number): void {
    this.addRange(seq, seq + 1);
  }

  /** Adds [lo, hi), not below any member. */
  addRange(lo: number, hi: number): void {
    if (hi <= lo) return;
    const n = this.n;
    if (n > 0) {
      const lastEnd = this.ends[n - 1]!;
      if (lo < lastEnd) addedBelow(lo, hi, lastEnd);
      if (lo === lastEnd) {
        this.ends[n - 1] = hi;
        this.total += hi - lo;
        return;
      }
    }
    if (n === this.starts.length) {
      const s = new Float64Array(n * 2);
      s.set(this.starts);
      this.starts = s;
      const e = new Float64Array(n * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.starts[n] = lo;
    this.ends[n] = hi;
    this.n = n + 1;
    this.total += hi - lo;
  }

  /** Appends every range of another set (all of them at or above this set's last member). */
  append(other: SeqRanges): void {
    for (let i = 0; i < other.n; i++) this.addRange(other.starts[i]!, other.ends[i]!);
  }

  /** How many members lie in [lo, hi). Binary search for the first range ending after lo. */
  countIn(lo: number, hi: number): number {
    if (hi <= lo) return 0;
    let a = 0;
    let b = this.n;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.ends[m]! <= lo) a = m + 1;
      else b = m;
    }
    let c = 0;
    for (let i = a; i < this.n && this.starts[i]! < hi; i++) {
      c += Math.min(hi, this.ends[i]!) - Math.max(lo, this.starts[i]!);
    }
    return c;
  }

  /** The union of several sets (a linear merge of their sorted ranges). */
  static union(sets: readonly SeqRanges[]): SeqRanges {
    const all: [number, number][] = [];
    for (const s of sets) for (let i = 0; i < s.n; i++) all.push([s.starts[i]!, s.ends[i]!]);
    all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const out = new SeqRanges();
    let lo = -1;
    let hi = -1;
    for (const [s, e] of all) {
      if (lo < 0) {
        lo = s;
        hi = e;
      } else if (s <= hi) {
        hi = Math.max(hi, e);
      } else {
        out.addRange(lo, hi);
        lo = s;
        hi = e;
      }
    }
    if (lo >= 0) out.addRange(lo, hi);
    return out;
  }
}

/**
 * A FIFO of sequence ranges: the ICON's persistent queue. Records leave from the front (the
 * IDB writer) in the order they entered; a ring buffer of ranges, grown when full.
 */
export class RangeFifo {
  private starts = new Float64Array(16);
  private ends = new Float64Array(16);
  private head = 0;
  private n = 0;
  private total = 0;

  /** Records queued. */
  get count(): number {
    return this.total;
  }

  push(seq: number): void {
    this.pushRange(seq, seq + 1);
  }

  /** Queues the records [lo, hi) (none below a queued one). */
  pushRange(lo: number, hi: number): void {
    if (hi <= lo) return;
    const cap = this.starts.length;
    if (this.n > 0) {
      const last = (this.head + this.n - 1) % cap;
      if (this.ends[last] === lo) {
        this.ends[last] = hi;
        this.total += hi - lo;
        return;
      }
    }
    if (this.n === cap) this.grow();
    const at = (this.head + this.n) % this.starts.length;
    this.starts[at] = lo;
    this.ends[at] = hi;
    this.n++;
    this.total += hi - lo;
  }

  /** Moves every queued record, in order, to `to`. */
  drainInto(to: SeqRanges): void {
    const cap = this.starts.length;
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % cap;
      to.addRange(this.starts[i]!, this.ends[i]!);
    }
    this.head = 0;
    this.n = 0;
    this.total = 0;
  }

  /** Forgets every queued record (a persistent queue that could not be restored). */
  clear(): void {
    this.head = 0;
    this.n = 0;
    this.total = 0;
  }

  /** A copy of the queued records as a set (the FIFO is in increasing order). */
  toRanges(): SeqRanges {
    const out = new SeqRanges();
    const cap = this.starts.length;
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % cap;
      out.addRange(this.starts[i]!, this.ends[i]!);
    }
    return out;
  }

  private grow(): void {
    const cap = this.starts.length;
    const s = new Float64Array(cap * 2);
    const e = new Float64Array(cap * 2);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % cap;
      s[k] = this.starts[i]!;
      e[k] = this.ends[i]!;
    }
    this.starts = s;
    this.ends = e;
    this.head = 0;
  }
}

/** The union of time spans as sorted, disjoint spans. */
export function mergeSpans(spans: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...spans].filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
