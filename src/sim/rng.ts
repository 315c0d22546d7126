// Seeded random streams. One stream per component, derived from (seed, replication, stable id),
// never from creation order: adding a component never moves another component's draws.
// The generator is Brent's xor4096 as in seedrandom 3.0.5, seeded from the key and stepped here
// over typed arrays: exactly seedrandom's xor4096 double() sequence (test/sim/rng.test.ts checks
// it against the package) at a fraction of the cost; a replication seeds ~50 streams.

const TWO_POW_32 = 0x100000000;
const TWO_POW_21 = 1 << 21;

export class Stream {
  // Fields start with values of their final types: V8 then keeps them unboxed and monomorphic
  // (a field declared bare starts as undefined and loses that on the hot path).
  private readonly x = new Int32Array(128); // xorshift state
  private i = 0;
  private w = 0; // Weyl generator

  constructor(readonly key: string) {
    this.seed(key);
  }

  /**
   * seedrandom's xor4096 init for a string key: the key's characters (and a closing NUL) mixed
   * into v and the state one at a time, the Weyl value taken after 32 shuffles, an all-zero state
   * made nonzero, then 512 steps of the xorshift (the Weyl value not advanced).
   */
  private seed(key: string): void {
    const x = this.x;
    const len = key.length + 1; // the key and its '\0'
    const limit = Math.max(128, len);
    let v = 0;
    let w = 0;
    let zeros = 0;
    for (let j = -32; j < limit; ++j) {
      const c = (j + 32) % len;
      if (c < len - 1) v ^= key.charCodeAt(c);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        const t = (x[j & 127]! ^= v + w);
        zeros = t === 0 ? zeros + 1 : 0;
      }
    }
    if (zeros >= 128) x[len & 127] = -1;
    let i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let v2 = x[(i + 34) & 127]!;
      i = (i + 1) & 127;
      let t = x[i]!;
      v2 ^= v2 << 13;
      t ^= t << 17;
      v2 ^= v2 >>> 15;
      t ^= t >>> 12;
      x[i] = v2 ^ t;
    }
    this.i = i;
    this.w = w;
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
