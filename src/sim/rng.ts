// Seeded random streams. One stream per component, derived from (seed, replication, stable id),
// never from creation order: adding a component never moves another component's draws.
// The generator is Brent's xor4096 as in seedrandom (which seeds it from the key), stepped here
// over typed arrays: exactly seedrandom's xor4096 double() sequence at a fraction of the cost.

import seedrandom from 'seedrandom';

const TWO_POW_32 = 0x100000000;
const TWO_POW_21 = 1 << 21;

export class Stream {
  // Fields start with values of their final types: V8 then keeps them unboxed and monomorphic
  // (a field declared bare starts as undefined and loses that on the hot path).
  private readonly x = new Int32Array(128); // xorshift state
  private i = 0;
  private w = 0; // Weyl generator

  constructor(readonly key: string) {
    const state = seedrandom.xor4096(key, { state: true }).state();
    this.x.set(state.X);
    this.i = state.i | 0;
    this.w = state.w | 0;
  }

  /** One 32-bit step of xor4096, as a signed int32. */
  private step(): number {
    const x = this.x;
    const w = (this.w + 0x61c88647) | 0;
    this.w = w;
    let v = x[(this.i + 34) & 127]!;
    const i = (this.i + 1) & 127;
    let t = x[i]!;
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v ^= t;
    x[i] = v;
    this.i = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** The next 32 random bits, as an unsigned integer. */
  uint32(): number {
    return this.step() >>> 0;
  }

  /** Uniform on (0, 1) with 53 bits of precision (seedrandom's xor4096 double()). */
  next(): number {
    for (;;) {
      const top = this.step() >>> 11;
      const bot = (this.step() >>> 0) / TWO_POW_32;
      const u = (top + bot) / TWO_POW_21;
      if (u !== 0) return u;
    }
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
