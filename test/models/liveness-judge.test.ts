// The liveness judgement over what survives (src/models/liveness.ts): which hosts a scenario's
// faults take for good, and what the end of a run is judged on. A lost site's pairs and the
// agents with nowhere left to work are exempt; a surviving pair without its primary, an order
// pending on a surviving SCS, an agent that could work at the surviving site but is out — each
// is caught. Budget: pure functions, < 50 ms.
import { describe, expect, test } from 'vitest';
import {
  hostsLostForGood,
  judgeLiveness,
  type AgentEnd,
  type EndState,
  type PairEnd,
} from '../../src/models/liveness.js';
import type { FaultSpec, HostId, PairId } from '../../src/spec/types.js';

const topology = {
  hosts: [
    { id: 'a-mgmt', site: 'A' },
    { id: 'a-sip-1', site: 'A' },
    { id: 'a-sip-2', site: 'A' },
    { id: 'b-mgmt', site: 'B' },
    { id: 'b-sip-1', site: 'B' },
    { id: 'b-sip-2', site: 'B' },
  ],
} as unknown as Parameters<typeof hostsLostForGood>[1];

let index = 0;
function f(kind: string, target: string, atMs: number, durationMs?: number): FaultSpec {
  const i = index++;
  return { id: `f${i}`, index: i, kind, target, atMs, durationMs } as unknown as FaultSpec;
}
const sorted = (s: ReadonlySet<HostId>) => [...s].sort();

describe('hostsLostForGood: a crash with no end that no later restore of its kind ends', () => {
  test('a site crash with no duration takes every host of the site; with one, none', () => {
    expect(sorted(hostsLostForGood([f('site-crash', 'A', 600_000)], topology))).toEqual([
      'a-mgmt',
      'a-sip-1',
      'a-sip-2',
    ]);
    expect(hostsLostForGood([f('site-crash', 'A', 600_000, 60_000)], topology).size).toBe(0);
  });

  test('a host crash with no end is lost; a later host-restore ends it, an earlier one does not', () => {
    expect(sorted(hostsLostForGood([f('host-crash', 'b-sip-1', 1000)], topology))).toEqual([
      'b-sip-1',
    ]);
    const later = [f('host-crash', 'b-sip-1', 1000), f('host-restore', 'b-sip-1', 5000)];
    expect(hostsLostForGood(later, topology).size).toBe(0);
    const earlier = [f('host-restore', 'b-sip-1', 500), f('host-crash', 'b-sip-1', 1000)];
    expect(sorted(hostsLostForGood(earlier, topology))).toEqual(['b-sip-1']);
  });

  test('a site-restore does not end a host crash in force, nor a host-restore a site crash', () => {
    const a = [f('host-crash', 'a-sip-1', 1000), f('site-restore', 'A', 9000)];
    expect(sorted(hostsLostForGood(a, topology))).toEqual(['a-sip-1']);
    const b = [f('site-crash', 'B', 1000), f('host-restore', 'b-sip-1', 9000)];
    expect(sorted(hostsLostForGood(b, topology))).toEqual(['b-mgmt', 'b-sip-1', 'b-sip-2']);
  });
});

/** A pair with one primary in service unless told. */
function pair(id: string, hosts: string[], primariesUp = 1, inService = true): PairEnd {
  return {
    id: id as PairId,
    hosts: hosts as HostId[],
    primariesUp,
    inService,
    members: 'm',
  };
}
/** Each site's CS Proxy: csp-a on a-mgmt, csp-b on b-mgmt. */
const PROXY: Record<string, HostId[]> = {
  'sip-a': ['a-mgmt' as HostId],
  'sip-b': ['b-mgmt' as HostId],
};
function agent(name: string, places: string[], via?: string, working = via !== undefined) {
  return {
    name,
    onDuty: true,
    working,
    via: via as PairId | undefined,
    places: places.map((p) => ({ pair: p as PairId, proxyHosts: PROXY[p] ?? [] })),
  } satisfies AgentEnd;
}

/** Site A lost for good: sip-a and its agents without business continuity go with it. */
function end(over: Partial<EndState> = {}): EndState {
  return {
    pairs: [
      pair('sip-a', ['a-sip-1', 'a-sip-2'], 0, false),
      pair('sip-b', ['b-sip-1', 'b-sip-2']),
      pair('cs', ['a-mgmt', 'b-mgmt']),
    ],
    scs: [
      { id: 'scs-a', host: 'a-mgmt' as HostId, ordersPending: 2, pairsWithOrders: ['sip-a'] },
      { id: 'scs-b', host: 'b-mgmt' as HostId, ordersPending: 0, pairsWithOrders: [] },
    ],
    agents: [
      agent('a-only', ['sip-a']), // no business continuity: nowhere left to work
      agent('a-bc', ['sip-a', 'sip-b'], 'sip-b'), // moved to B
      agent('b', ['sip-b'], 'sip-b'),
    ],
    ...over,
  };
}
const lostA = hostsLostForGood([f('site-crash', 'A', 1000)], topology);

describe('judgeLiveness: what survives must have settled', () => {
  test('a lost site: its pair, its SCS and its agents with nowhere to work are exempt; the rest settled', () => {
    const v = judgeLiveness(end(), lostA);
    expect(v.unconvergedPairs).toEqual([]);
    expect(v.ordersPending).toBe(0); // scs-a's orders died with its host
    expect(v.agentsOut).toEqual([]);
    expect(v.exemptPairs).toEqual(['sip-a']);
    expect(v.exemptAgents).toBe(1);
  });

  test('the same end with nothing lost: sip-a, scs-a’s orders and both A agents are caught', () => {
    const v = judgeLiveness(end(), new Set());
    expect(v.unconvergedPairs.map((x) => x.split(':')[0])).toEqual(['sip-a']);
    expect(v.ordersPending).toBe(2);
    expect(v.orders).toEqual(['scs-a:sip-a']);
    expect(v.agentsOut).toEqual(['a-only']);
  });

  test('a surviving pair without a primary, or with two, is caught (a pair with a member left is judged)', () => {
    const none = end({ pairs: [pair('sip-b', ['b-sip-1', 'b-sip-2'], 0, false)] });
    expect(judgeLiveness(none, lostA).unconvergedPairs).toEqual([
      'sip-b: 0 primaries, in service: none; m',
    ]);
    const split = end({ pairs: [pair('sip-b', ['b-sip-1', 'b-sip-2'], 2, true)] });
    expect(judgeLiveness(split, lostA).unconvergedPairs).toHaveLength(1);
    // cs keeps b-mgmt: judged, though a-mgmt is lost.
    const cs = end({ pairs: [pair('cs', ['a-mgmt', 'b-mgmt'], 0, false)] });
    expect(judgeLiveness(cs, lostA).unconvergedPairs).toHaveLength(1);
  });

  test('an order pending on a surviving SCS is caught', () => {
    const e = end({
      scs: [{ id: 'scs-b', host: 'b-mgmt' as HostId, ordersPending: 1, pairsWithOrders: ['cs'] }],
    });
    const v = judgeLiveness(e, lostA);
    expect(v.ordersPending).toBe(1);
    expect(v.orders).toEqual(['scs-b:cs']);
  });

  test('an agent that can work at the surviving site but is out, not working, or logged in through the lost pair, is caught', () => {
    const e = end({
      agents: [
        agent('a-bc-out', ['sip-a', 'sip-b']), // business continuity, never got to B
        agent('a-bc-stale', ['sip-a', 'sip-b'], 'sip-a'), // still "logged in" at the dead site
        agent('a-bc-coming', ['sip-a', 'sip-b'], undefined, true), // login under way: fine
        agent('b-off', ['sip-b'], 'sip-b', false), // in its pool, telephony OFF: not working
        { ...agent('off', ['sip-b']), onDuty: false }, // logged out on purpose: not judged
      ],
    });
    expect(judgeLiveness(e, lostA).agentsOut).toEqual(['a-bc-out', 'a-bc-stale', 'b-off']);
  });

  test('a place whose every CS Proxy (the desktop’s login.nodes there) is lost cannot be worked at: exempt', () => {
    // explore --permanent on dr-peer-csproxy-down: login.nodes.peer-site [csp-b] for every
    // desktop, so with B lost the support desktops (peer site A) have no proxy to log in at A.
    const lostB = hostsLostForGood([f('site-crash', 'B', 1000)], topology);
    const support: AgentEnd = {
      ...agent('support', []),
      working: false,
      places: [
        { pair: 'sip-b' as PairId, proxyHosts: ['b-mgmt' as HostId] },
        { pair: 'sip-a' as PairId, proxyHosts: ['b-mgmt' as HostId] },
      ],
    };
    const e = end({ pairs: [pair('sip-a', ['a-sip-1', 'a-sip-2'])], agents: [support] });
    const v = judgeLiveness(e, lostB);
    expect(v.agentsOut).toEqual([]);
    expect(v.exemptAgents).toBe(1);
    // With csp-a in its list it could log in at A: out.
    const listed = {
      ...support,
      places: [
        support.places[0]!,
        { ...support.places[1]!, proxyHosts: ['a-mgmt' as HostId, 'b-mgmt' as HostId] },
      ],
    };
    expect(judgeLiveness(end({ agents: [listed] }), lostB).agentsOut).toEqual(['support']);
  });
});
