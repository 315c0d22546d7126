// The records one data source emitted, once for all its ICONs (issue 21): sequence numbers with
// the event and the identity the ICONs see, in a ring of typed arrays. An ICON does not copy a
// record it receives: its accumulator holds ranges of sequence numbers (store.ts) and reads the
// records here when it flushes. The ring keeps only what some accumulator still holds: it grows
// to the widest span an accumulator ever holds (a few seconds of records, more while an ICON
// hangs with a full accumulator) and never with the run's length.

import type { SourceEvent } from '../telephony/telephony.js';

/** Who reads the ring: the lowest sequence number it still needs (Infinity: none). */
export interface StreamReader {
  oldestNeeded(): number;
}

const CAPACITY_MIN = 1024;

export class RecordStream {
  /** Next sequence number = records emitted so far. */
  seq = 0;
  /** When the last record was emitted (-Infinity before the first). */
  lastMs = -Infinity;
  /**
   * The lowest sequence number at which some ICON of the source must look at a record itself
   * (min of their `attn`, see Icon.attend): below it every ICON either receives into its
   * accumulator's open run or not at all.
   */
  attn = 0;
  ev = new Uint8Array(CAPACITY_MIN);
  id = new Int32Array(CAPACITY_MIN);
  /** Slot of sequence number s: s & mask. */
  mask = CAPACITY_MIN - 1;
  /** Lowest sequence number the ring still holds. */
  private base = 0;
  private readonly readers: StreamReader[] = [];

  addReader(r: StreamReader): void {
    this.readers.push(r);
  }

  /** Appends the record `seq` (returned) at `nowMs`. */
  push(ev: SourceEvent, id: number, nowMs: number): number {
    const s = this.seq;
    if (s - this.base > this.mask) this.makeRoom();
    const i = s & this.mask;
    this.ev[i] = ev;
    this.id[i] = id;
    this.lastMs = nowMs;
    this.seq = s + 1;
    return s;
  }

  /** The ring is full: forget what no reader needs, else double it. */
  private makeRoom(): void {
    let base = this.seq;
    for (const r of this.readers) base = Math.min(base, r.oldestNeeded());
    this.base = base;
    if (this.seq - base <= this.mask) return;
    const cap = (this.mask + 1) * 2;
    const ev = new Uint8Array(cap);
    const id = new Int32Array(cap);
    const mask = cap - 1;
    for (let s = base; s < this.seq; s++) {
      ev[s & mask] = this.ev[s & this.mask]!;
      id[s & mask] = this.id[s & this.mask]!;
    }
    this.ev = ev;
    this.id = id;
    this.mask = mask;
  }
}
