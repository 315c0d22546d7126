// ReadyLists against a naive reference: random pushes and removals of agents on several lists
// must leave every list in the order its agents were pushed (longest idle first), with each
// agent's list and ready order as pushed, and the counts right. The lists keep an agent's links,
// list and order in one record of a shared buffer: a field written over another shows here.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadyLists } from '../../src/models/telephony/agents.js';

const LISTS = 4;
const AGENTS = 12;

type Op = { push: true; a: number; list: number } | { push: false; a: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    push: fc.constant(true as const),
    a: fc.nat(AGENTS - 1),
    list: fc.nat(LISTS - 1),
  }),
  fc.record({ push: fc.constant(false as const), a: fc.nat(AGENTS - 1) }),
);

describe('ReadyLists', () => {
  it('keeps each list in push order, each agent on one list with its ready order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const lists = new ReadyLists(LISTS, AGENTS);
        const ref: number[][] = Array.from({ length: LISTS }, () => []);
        const seqOf = new Map<number, number>();
        let seq = 0;
        for (const o of ops) {
          const on = ref.findIndex((l) => l.includes(o.a));
          if (o.push) {
            // Orders far beyond 2^31 too: the order is a double.
            const s = seq++ * 2 ** 33 + 0.5;
            expect(lists.push(o.a, o.list, s)).toBe(on < 0);
            if (on < 0) {
              ref[o.list]!.push(o.a);
              seqOf.set(o.a, s);
            }
          } else {
            expect(lists.remove(o.a)).toBe(on);
            if (on >= 0) ref[on]!.splice(ref[on]!.indexOf(o.a), 1);
          }
          for (let l = 0; l < LISTS; l++) {
            expect(lists.first(l)).toBe(ref[l]!.length > 0 ? ref[l]![0] : -1);
            expect(lists.count[l]).toBe(ref[l]!.length);
          }
          for (let a = 0; a < AGENTS; a++) {
            const l = ref.findIndex((x) => x.includes(a));
            expect(lists.listOf(a)).toBe(l);
            if (l >= 0) expect(lists.seqOf(a)).toBe(seqOf.get(a));
          }
        }
        // Emptying each list from its head gives its agents in push order.
        for (let l = 0; l < LISTS; l++) {
          const order: number[] = [];
          // At most AGENTS + 1 steps: broken links fail here rather than loop.
          for (let k = 0; k <= AGENTS && lists.first(l) >= 0; k++) {
            const a = lists.first(l);
            order.push(a);
            lists.remove(a);
          }
          expect(order).toEqual(ref[l]);
        }
      }),
    );
  });
});
