// The network asked with hosts (the ADDP links' and cross-site delivery's hot paths) answers as
// when asked with their ids: latency, degraded WAN, transit, delivery and reachability, under
// random powered hosts, partitions and WAN degradations.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Simulator } from '../../src/sim/index.js';
import { Network, type NetworkHost } from '../../src/models/network/network.js';
import { host, site } from './hand-spec.js';

const SITES = [site('A'), site('B'), site('C')];

interface World {
  hosts: { site: number; powered: boolean }[];
  partitions: { side: number[] }[];
  degraded: { a: number; b: number; latencyMs: number }[];
}

const world: fc.Arbitrary<World> = fc.record({
  hosts: fc.array(fc.record({ site: fc.integer({ min: 0, max: 2 }), powered: fc.boolean() }), {
    minLength: 2,
    maxLength: 6,
  }),
  partitions: fc.array(
    fc.record({ side: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }) }),
    { maxLength: 2 },
  ),
  degraded: fc.array(
    fc.record({
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      latencyMs: fc.integer({ min: 1, max: 200 }),
    }),
    { maxLength: 2 },
  ),
});

function build(w: World): { net: Network; hs: NetworkHost[] } {
  const hs: NetworkHost[] = w.hosts.map((h, i) => ({
    id: host(`h${i}`),
    site: SITES[h.site]!,
    powered: h.powered,
  }));
  const net = new Network(new Simulator(1, 0), new Map(hs.map((h) => [h.id, h])), 1, 30);
  // A partition puts each host on side a (0), side b (1) or neither (2).
  w.partitions.forEach((p, k) => {
    const on = (s: number) => hs.filter((_, i) => p.side[i] === s).map((h) => h.id);
    net.partition(`p${k}`, on(0), on(1));
  });
  for (const d of w.degraded)
    if (d.a !== d.b) net.degrade(SITES[d.a]!, SITES[d.b]!, { latencyMs: d.latencyMs, loss: 0 });
  return { net, hs };
}

describe('Network: asked with hosts or with their ids, the same answers', () => {
  test('latency, degraded WAN, transit, loss, delivery and reachability agree', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { net, hs } = build(w);
        for (const a of hs) {
          for (const b of hs) {
            expect(net.latencyBetween(a, b)).toBe(a === b ? 0 : net.siteLatencyMs(a.site, b.id));
            expect(net.degradedBetween(a, b)).toBe(net.degraded(a.id, b.id));
            expect(net.transitBetween(a, b)).toBe(net.transitMs(a.id, b.id));
            expect(net.lossBetween(a, b)).toBe(0);
            expect(net.deliverableTo(a, b)).toBe(net.deliverable(a.id, b.id));
            expect(net.reachableBetween(a, b)).toBe(net.reachable(a.id, b.id));
          }
        }
      }),
      { numRuns: 300, seed: 18 },
    );
  });

  test('a partition between two powered hosts: neither delivers to the other, a third still does', () => {
    const w: World = {
      hosts: [
        { site: 0, powered: true },
        { site: 1, powered: true },
        { site: 1, powered: true },
      ],
      partitions: [{ side: [0, 1, 2, 2, 2, 2] }],
      degraded: [],
    };
    const { net, hs } = build(w);
    const [h0, h1, h2] = hs as [NetworkHost, NetworkHost, NetworkHost];
    expect(net.deliverableTo(h0, h1)).toBe(false);
    expect(net.deliverableTo(h1, h0)).toBe(false);
    expect(net.reachableBetween(h0, h2)).toBe(true);
    expect(net.latencyBetween(h1, h2)).toBe(1);
    expect(net.latencyBetween(h0, h1)).toBe(30);
    net.degrade(SITES[0]!, SITES[1]!, { latencyMs: 20, loss: 0.05 });
    expect(net.lossBetween(h0, h1)).toBe(0.05);
    expect(net.lossBetween(h1, h2)).toBe(0);
    expect(net.latencyBetween(h1, h0)).toBe(50);
    expect(net.degradedBetween(h2, h0)).toBe(true);
  });
});
