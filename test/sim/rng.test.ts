// Seeded streams: a stream is a function of (seed, replication, id) only, never of which other
// streams exist or were used; and it is seedrandom's xor4096 sequence, bit for bit.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { rootStream, Simulator, Stream } from '../../src/sim/index.js';

const draws = (s: Stream, n: number): number[] => Array.from({ length: n }, () => s.next());

describe('Stream', () => {
  it('gives the same draws for the same key', () => {
    expect(draws(new Simulator(42, 3).stream('host-a'), 50)).toEqual(
      draws(new Simulator(42, 3).stream('host-a'), 50),
    );
  });

  it("keeps a stream's draws when other streams are created, used, or created in another order", () => {
    const alone = draws(new Simulator(42, 0).stream('host-a'), 100);

    const sim = new Simulator(42, 0);
    const before = sim.stream('agent-7');
    draws(before, 1_000);
    const a = sim.stream('host-a');
    const after = sim.stream('host-b');
    const mixed: number[] = [];
    for (let i = 0; i < 100; i++) {
      mixed.push(a.next());
      after.next(); // interleaved use of another stream
      after.uint32();
    }
    expect(mixed).toEqual(alone);

    // Created in the opposite order: still the same.
    const sim2 = new Simulator(42, 0);
    const b2 = sim2.stream('host-b');
    const a2 = sim2.stream('host-a');
    draws(b2, 7);
    expect(draws(a2, 100)).toEqual(alone);
  });

  it('differs between ids, seeds and replications', () => {
    const first = (seed: number, rep: number, id: string) =>
      draws(new Simulator(seed, rep).stream(id), 20);
    const base = first(42, 0, 'host-a');
    expect(first(42, 0, 'host-b')).not.toEqual(base);
    expect(first(43, 0, 'host-a')).not.toEqual(base);
    expect(first(42, 1, 'host-a')).not.toEqual(base);
    // and not merely shifted copies of each other
    const other = first(42, 1, 'host-a');
    expect(base.filter((x) => other.includes(x))).toEqual([]);
  });

  it("is seedrandom's xor4096 double() sequence for its key, and forks by key", () => {
    const s = rootStream(42, 1).fork('pair-1');
    expect(s.key).toBe('ccsim:42:1/pair-1');
    const ref = seedrandom.xor4096('ccsim:42:1/pair-1');
    for (let i = 0; i < 1_000; i++) expect(s.next()).toBe(ref.double());
    expect(draws(new Simulator(42, 1).stream('pair-1'), 10)).toEqual(
      draws(rootStream(42, 1).fork('pair-1'), 10),
    );
  });

  it("seeds itself as seedrandom's xor4096 does, for keys short, long and odd", () => {
    // Keys of every length class: empty, short, the 128-character limit, longer (the key
    // wraps the state), non-ASCII, and a NUL inside.
    const keys = ['', 'a', 'ccsim:11:0/app/sip-a-1/start', 'x'.repeat(127), 'y'.repeat(128)];
    keys.push('z'.repeat(129), 'k'.repeat(300) + '/f7', 'é€😀/αβ', 'a\0b', '\0');
    for (let n = 0; n < 40; n++) keys.push(`ccsim:${n * 7919}:${n}/desktop/g${n}`);
    for (const key of keys) {
      const s = new Stream(key);
      const ref = seedrandom.xor4096(key);
      const got = [...draws(s, 300), ...Array.from({ length: 300 }, () => s.uint32())];
      const want = [
        ...Array.from({ length: 300 }, () => ref.double()),
        ...Array.from({ length: 300 }, () => ref.int32() >>> 0),
      ];
      expect(got, key).toEqual(want);
    }
  });

  it('draws uniforms in (0, 1) and whole 32-bit words', () => {
    const s = new Stream('range');
    let sum = 0;
    let below = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = s.next();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
      if (u < 0.25) below++;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect(below / 100_000).toBeCloseTo(0.25, 2);
    let high = 0;
    let odd = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const w = s.uint32();
      if (!(Number.isInteger(w) && w >= 0 && w < 2 ** 32)) bad++;
      if (w >= 2 ** 31) high++;
      if (w % 2 === 1) odd++;
    }
    expect(bad).toBe(0);
    expect(high / 10_000).toBeCloseTo(0.5, 1);
    expect(odd / 10_000).toBeCloseTo(0.5, 1);
  });
});
