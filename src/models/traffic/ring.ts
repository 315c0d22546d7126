// A growable FIFO of (id, generation) pairs in typed arrays (a ring of a power-of-two size: its
// index wraps with a mask, not a division); entries whose generation no longer matches are stale
// (lazy deletion) and are skipped by the caller.

import { SimLimitError } from '../../sim/index.js';

/** Bound on entries one FIFO may hold (a runaway queue is a reported failure). */
export const FIFO_LENGTH_MAX = 1 << 24;

export class IdFifo {
  private ids: Int32Array;
  private gens: Int32Array;
  private head = 0;
  private size = 0;

  /** Room for at least `capacity` entries before it grows. */
  constructor(capacity = 64) {
    let cap = 1;
    while (cap < capacity) cap *= 2;
    this.ids = new Int32Array(cap);
    this.gens = new Int32Array(cap);
  }

  get length(): number {
    return this.size;
  }

  push(id: number, gen: number): void {
    if (this.size === this.ids.length) this.grow();
    const i = (this.head + this.size) & (this.ids.length - 1);
    this.ids[i] = id;
    this.gens[i] = gen;
    this.size++;
  }

  /** The head's id (the FIFO must not be empty). */
  peekId(): number {
    return this.ids[this.head]!;
  }

  /** The head's generation (the FIFO must not be empty). */
  peekGen(): number {
    return this.gens[this.head]!;
  }

  /** Removes the head; its id and generation are left in poppedId / poppedGen. */
  shift(): boolean {
    if (this.size === 0) return false;
    this.poppedId = this.ids[this.head]!;
    this.poppedGen = this.gens[this.head]!;
    this.head = (this.head + 1) & (this.ids.length - 1);
    this.size--;
    return true;
  }

  poppedId = -1;
  poppedGen = -1;

  private grow(): void {
    const cap = this.ids.length * 2;
    if (cap > FIFO_LENGTH_MAX)
      throw new SimLimitError(
        'queueLengthMax',
        FIFO_LENGTH_MAX,
        `a call queue grew past ${FIFO_LENGTH_MAX} entries`,
      );
    const ids = new Int32Array(cap);
    const gens = new Int32Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (this.ids.length - 1);
      ids[k] = this.ids[i]!;
      gens[k] = this.gens[i]!;
    }
    this.ids = ids;
    this.gens = gens;
    this.head = 0;
  }
}
