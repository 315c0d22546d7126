// Honest call accounting (SPEC §5.3): answered calls later dropped, calls open at the end, the
// identity asserted in every replication, warmup, and intervals per service. Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology, split, traffic } from './hand-spec.js';

const agents = [
  { group: 'sales', count: 30, preferredSite: 'A', peerSite: 'B' },
  { group: 'support', count: 30, preferredSite: 'B', peerSite: 'A' },
];

describe('accounting', () => {
  test('a site failure: dropped calls split into answered and not; the SPEC §5.3 identity holds', () => {
    const spec = handScenario([{ kind: 'site-crash', target: 'A', atMs: 1_800_000 }], {
      seed: 5,
      durationMs: 3_600_000,
      topology: handTopology('hot'),
      traffic: traffic(1200, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, patienceMs: 120_000 }),
      agents,
    });
    const r = new Center(spec, 0).run();
    const c = r.counters;
    expect(c.calls_dropped_answered).toBeGreaterThan(5);
    expect(c.calls_dropped_answered).toBeLessThanOrEqual(c.calls_dropped!);
    expect(c.calls_offered).toBe(
      c.calls_answered! +
        c.calls_abandoned! +
        c.calls_rejected! +
        (c.calls_dropped! - c.calls_dropped_answered!) +
        c.calls_open_end!,
    );
  });

  test('intervals count each call in the row of its offer: service level at most 1, rows add up to the summary', () => {
    // Queues long enough that many calls are answered, abandoned or dropped in a later interval
    // than they were offered in (the site's agents lost for 30 min, patience 2 min), and a
    // graceful shutdown that sends calls entering at A on to B.
    for (const faults of [
      [{ kind: 'site-crash' as const, target: 'A', atMs: 1_800_000, durationMs: 1_800_000 }],
      [{ kind: 'graceful-shutdown' as const, target: 'sip-a-1', atMs: 1_200_000 }],
    ]) {
      const spec = handScenario(faults, {
        seed: 3,
        durationMs: 2 * 3_600_000,
        topology: handTopology('hot'),
        traffic: traffic(2400, 240_000, { siteSplit: { A: 0.5, B: 0.5 }, patienceMs: 120_000 }),
        agents,
        options: { 'dr-peer-trunk': 'peer' },
      });
      const r = new Center(spec, 0).run();
      const sum = (f: (iv: (typeof r.intervals)[number]) => number) =>
        r.intervals.reduce((n, iv) => n + f(iv), 0);
      const c = r.counters;
      expect(sum((iv) => iv.offered)).toBe(c.calls_offered);
      expect(sum((iv) => iv.answered)).toBe(c.calls_answered);
      expect(sum((iv) => iv.abandoned)).toBe(c.calls_abandoned);
      expect(sum((iv) => iv.dropped)).toBe(c.calls_dropped);
      for (const iv of r.intervals) {
        expect(iv.answeredInSl, `${iv.site} ${iv.startMs}`).toBeLessThanOrEqual(iv.offered);
        expect(iv.answered + iv.abandoned, `${iv.site} ${iv.startMs}`).toBeLessThanOrEqual(
          iv.offered,
        );
      }
    }
  });

  test('warmup: calls offered before it are simulated but not counted', () => {
    const run = (warmupMs: number) => {
      const spec = handScenario([], {
        seed: 2,
        durationMs: 4 * 3_600_000,
        traffic: traffic(1200, 180_000, { siteSplit: { A: 0.5, B: 0.5 } }),
        agents,
      });
      spec.warmupMs = warmupMs;
      return new Center(spec, 0).run();
    };
    const all = run(0);
    const warm = run(3_600_000);
    const share = warm.counters.calls_offered! / all.counters.calls_offered!;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
    // The intervals count the same calls as the summary.
    const ivOffered = warm.intervals.reduce((n, iv) => n + iv.offered, 0);
    expect(ivOffered).toBe(warm.counters.calls_offered);
    expect(
      warm.intervals.filter((iv) => iv.startMs < 3_600_000).every((iv) => iv.offered === 0),
    ).toBe(true);
  });

  test('intervals per service: each service its own rows; agents of its groups only', () => {
    const spec = handScenario([], {
      seed: 3,
      durationMs: 3_600_000,
      traffic: {
        ...traffic(0, 180_000),
        services: [
          {
            name: 'sales',
            callsPerHour: 600,
            siteSplit: split({ A: 1, B: 0 }),
            handleTime: { kind: 'exponential', meanMs: 180_000 },
            wrapUpMs: 0,
            groups: ['sales'],
          },
          {
            name: 'support',
            callsPerHour: 300,
            siteSplit: split({ A: 0, B: 1 }),
            handleTime: { kind: 'exponential', meanMs: 180_000 },
            wrapUpMs: 0,
            groups: ['support'],
          },
        ],
      },
      agents,
    });
    const r = new Center(spec, 0).run();
    const rows = (svc: string, site: string) =>
      r.intervals.filter((iv) => iv.service === svc && iv.site === site);
    const sum = (xs: { offered: number }[]) => xs.reduce((n, x) => n + x.offered, 0);
    expect(sum(rows('sales', 'A'))).toBeGreaterThan(450);
    expect(sum(rows('sales', 'B'))).toBe(0);
    expect(sum(rows('support', 'B'))).toBeGreaterThan(200);
    expect(sum(rows('sales', 'A')) + sum(rows('support', 'B'))).toBe(r.counters.calls_offered);
    // sales agents are scheduled at A, support agents at B.
    expect(rows('sales', 'A').at(-1)!.scheduledMean).toBeCloseTo(30, 6);
    expect(rows('sales', 'B').at(-1)!.scheduledMean).toBe(0);
    expect(rows('support', 'B').at(-1)!.loggedInMean).toBeCloseTo(30, 6);
  });
});
