// Router.readyAgents (the order of a dispatch after a change of service): every ready agent of
// every pool and group, longest idle first, against a reference that keeps the agents in the
// order they became ready. The router sorts one number an agent (its ready order × agents +
// agent): an order taken from the agent's index, or a key that lost the agent, shows here.
// Router.dispatch: a call queued in any pool's queue goes to a ready agent (dispatch returns at
// once when no queue holds an entry: a queue that check missed shows here).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentTable } from '../../src/models/telephony/agents.js';
import { CallPool } from '../../src/models/telephony/calls.js';
import type { Intervals } from '../../src/models/telephony/intervals.js';
import { Policy, Router, type RoutingHost } from '../../src/models/telephony/routing.js';
import { Services } from '../../src/models/telephony/services.js';

const POOLS = 2;
const GROUPS = 3;
const AGENTS = 40;

/** What the router asks of the intervals (Ready levels): nothing to count here. */
const levels = { levelIndex: () => 0, addReadyAt: () => undefined } as unknown as Intervals;
const host: RoutingHost = { poolInService: () => true, crossable: () => true, connect: () => {} };

function router(agents: AgentTable, calls = new CallPool(POOLS, 16), h = host): Router {
  const groupNames = Array.from({ length: GROUPS }, (_, g) => `g${g}`);
  return new Router(
    new Uint8Array(POOLS).fill(1),
    calls,
    agents,
    new Services(undefined, groupNames),
    GROUPS,
    Policy.LocalOnly,
    0,
    h,
    levels,
    new Int32Array(POOLS).map((_, p) => p),
  );
}

type Op = { ready: true; a: number } | { ready: false; a: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ ready: fc.constant(true as const), a: fc.nat(AGENTS - 1) }),
  fc.record({ ready: fc.constant(false as const), a: fc.nat(AGENTS - 1) }),
);

describe('Router.readyAgents', () => {
  it('lists every ready agent of every pool and group, longest idle first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(POOLS - 1), { minLength: AGENTS, maxLength: AGENTS }),
        fc.array(op, { maxLength: 300 }),
        (pools, ops) => {
          // Agents in reverse index order of groups, so that index order is not ready order.
          const agents = new AgentTable(
            Array.from({ length: AGENTS }, (_, a) => (AGENTS - a) % GROUPS),
          );
          pools.forEach((p, a) => (agents.pool[a] = p));
          const r = router(agents);
          const ref: number[] = [];
          for (const o of ops) {
            const at = ref.indexOf(o.a);
            if (o.ready) {
              r.pushReady(o.a);
              if (at < 0) ref.push(o.a);
            } else {
              r.removeReady(o.a);
              if (at >= 0) ref.splice(at, 1);
            }
          }
          expect(Array.from(r.readyAgents())).toEqual(ref);
        },
      ),
    );
  });
});

describe('Router.dispatch', () => {
  it('gives a call queued in any pool to a ready agent of that pool, and nothing when none waits', () => {
    for (let pool = 0; pool < POOLS; pool++) {
      const agents = new AgentTable(Array.from({ length: 4 }, (_, a) => a % GROUPS));
      for (let a = 0; a < 4; a++) agents.pool[a] = a % POOLS;
      const calls = new CallPool(POOLS, 16);
      const connected: [number, number][] = [];
      const r = router(agents, calls, { ...host, connect: (c, a) => connected.push([c, a]) });
      for (let a = 0; a < 4; a++) r.pushReady(a);
      r.dispatch(0);
      expect(connected).toEqual([]); // no call waits
      const c = calls.alloc(pool, pool, 0, 1000, 0);
      r.enqueue(c);
      r.dispatch(0);
      // The longest idle agent of the call's pool (local-only): the first one made ready there.
      expect(connected).toEqual([[c, pool]]);
    }
  });
});
