// Seeded random streams. One stream per component, derived from (seed, replication, stable id),
// never from creation order: adding a component never moves another component's draws.

import seedrandom from 'seedrandom';

export class Stream {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly key: string) {
    this.prng = seedrandom.xor4096(key);
  }

  /** Uniform on [0, 1) with 53 bits of precision. */
  next(): number {
    return this.prng.double();
  }

  /** An independent child stream, keyed by a stable label. */
  fork(label: string): Stream {
    return new Stream(`${this.key}/${label}`);
  }
}

/** The root stream of one replication; components fork from it by stable id. */
export function rootStream(seed: number, replication: number): Stream {
  return new Stream(`ccsim:${seed}:${replication}`);
}
