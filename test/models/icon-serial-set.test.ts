// The ICON's set of call serials (src/models/icon/serial-set.ts): a byte window over recent
// serials and an IntSet for the rest must behave as a Set<number>, whatever the keys (serials
// far apart make the window slide and leave members behind; negative aliases bypass it).
// Budget: < 1 s.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SerialBytes, SerialSet } from '../../src/models/icon/serial-set.js';
import { SimAssertionError } from '../../src/sim/index.js';

const members = (s: SerialSet): number[] => {
  const out: number[] = [];
  s.forEach((k) => out.push(k));
  return out.sort((a, b) => a - b);
};

describe('SerialSet', () => {
  it('behaves as a Set<number> under adds, deletes and clears, across window slides', () => {
    // Keys: mostly increasing serials with jumps beyond the window (4,096), old serials, aliases.
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 12_000 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 50 }) },
      { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 100_050 }) },
    );
    const op = fc.oneof(
      { weight: 12, arbitrary: fc.record({ op: fc.constant('add' as const), k: key }) },
      { weight: 8, arbitrary: fc.record({ op: fc.constant('delete' as const), k: key }) },
      { weight: 5, arbitrary: fc.record({ op: fc.constant('has' as const), k: key }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const), k: fc.constant(0) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const s = new SerialSet();
        const ref = new Set<number>();
        for (const { op: o, k } of ops) {
          if (o === 'add') expect(s.add(k)).toBe(!ref.has(k) && ref.add(k) !== undefined);
          else if (o === 'delete') expect(s.delete(k)).toBe(ref.delete(k));
          else if (o === 'has') expect(s.has(k)).toBe(ref.has(k));
          else {
            s.clear();
            ref.clear();
          }
          expect(s.size).toBe(ref.size);
        }
        expect(members(s)).toEqual([...ref].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a key that is not a 32-bit integer', () => {
    const s = new SerialSet();
    expect(() => s.add(1.5)).toThrow(SimAssertionError);
    expect(() => s.add(2 ** 40)).toThrow(SimAssertionError);
  });
});

describe('SerialBytes', () => {
  it('behaves as a Map<number, byte> (0 = absent) under sets, across window slides', () => {
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 12_000 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 50 }) },
      { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 100_050 }) },
    );
    const op = fc.record({ k: key, v: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 })) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const s = new SerialBytes();
        const ref = new Map<number, number>();
        for (const { k, v } of ops) {
          s.set(k, v);
          if (v === 0) ref.delete(k);
          else ref.set(k, v);
          expect(s.get(k)).toBe(v);
          expect(s.size).toBe(ref.size);
        }
        const got: [number, number][] = [];
        s.forEach((k, v) => got.push([k, v]));
        expect(got.sort((a, b) => a[0] - b[0])).toEqual([...ref].sort((a, b) => a[0] - b[0]));
        for (const { k } of ops) expect(s.get(k)).toBe(ref.get(k) ?? 0);
      }),
      { numRuns: 200 },
    );
  });
});
