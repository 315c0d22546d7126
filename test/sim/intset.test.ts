import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntSet, SimAssertionError } from '../../src/sim/index.js';

const members = (s: IntSet): number[] => {
  const out: number[] = [];
  s.forEach((k) => out.push(k));
  return out.sort((a, b) => a - b);
};

describe('IntSet', () => {
  it('behaves as a Set<number> under any sequence of adds, deletes and clears', () => {
    // Small key ranges force long probe runs, collisions and wrap-around at the table's end.
    // Clears are rare, so that sets grow through several table sizes.
    const op = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record({
          op: fc.constant('add' as const),
          k: fc.integer({ min: -40, max: 200 }),
        }),
      },
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant('delete' as const),
          k: fc.integer({ min: -40, max: 200 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const), k: fc.constant(0) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const s = new IntSet();
        const ref = new Set<number>();
        for (const { op: o, k } of ops) {
          if (o === 'add') expect(s.add(k)).toBe(!ref.has(k) && ref.add(k) !== undefined);
          else if (o === 'delete') expect(s.delete(k)).toBe(ref.delete(k));
          else {
            s.clear();
            ref.clear();
          }
          expect(s.size).toBe(ref.size);
        }
        for (let k = -41; k <= 201; k++) expect(s.has(k)).toBe(ref.has(k));
        expect(members(s)).toEqual([...ref].sort((a, b) => a - b));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('finds every member after deletions in probe runs that wrap around the table end', () => {
    // Keys whose home slot is one of the last three of the 16-slot table: runs longer than three
    // wrap to slot 0. At most 7 members, so the table never grows.
    const home = (k: number) => Math.imul(k, 0x9e3779b1) >>> 28;
    const tail: number[] = [];
    for (let k = 0; tail.length < 12; k++) if (home(k) >= 13) tail.push(k);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...tail)), { maxLength: 200 }),
        (ops) => {
          const s = new IntSet();
          const ref = new Set<number>();
          for (const [add, k] of ops) {
            if (add && ref.size < 7) {
              s.add(k);
              ref.add(k);
            } else {
              s.delete(k);
              ref.delete(k);
            }
            for (const t of tail) expect(s.has(t)).toBe(ref.has(t));
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps its table when members come and go at a steady count (no reallocation)', () => {
    const s = new IntSet();
    for (let k = 0; k < 100; k++) s.add(k);
    const table = (s as unknown as { keys: Int32Array }).keys;
    for (let k = 100; k < 100_000; k++) {
      s.delete(k - 100);
      s.add(k);
    }
    expect(s.size).toBe(100);
    expect((s as unknown as { keys: Int32Array }).keys).toBe(table);
    expect(s.has(99_999) && s.has(99_900) && !s.has(99_899)).toBe(true);
  });

  it('refuses what is not a 32-bit integer', () => {
    const s = new IntSet();
    for (const k of [0.5, 2 ** 31, -(2 ** 31), Number.NaN])
      expect(() => s.add(k)).toThrow(SimAssertionError);
  });

  it('never finds or removes the value that marks an empty slot', () => {
    const s = new IntSet();
    s.add(1);
    expect(s.has(-(2 ** 31))).toBe(false);
    expect(s.delete(-(2 ** 31))).toBe(false);
    expect(s.size).toBe(1);
    expect(s.has(1)).toBe(true);
  });
});
