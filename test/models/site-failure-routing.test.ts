// A site failure with DR and no auto-restore (issue #17): once the agents of site A work from
// site B, the calls still entering site A are delivered across the WAN under local-first and
// stranded under local-only; the availability headline tells the two apart. Budget: ~4 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { RoutingPolicy } from '../../src/spec/types.js';
import { handScenario, handTopology, traffic } from './hand-spec.js';

const T0 = 1_800_000;

function run(policy: RoutingPolicy, faults: boolean) {
  const spec = handScenario(
    faults ? [{ kind: 'site-crash', target: 'A', atMs: T0, durationMs: 600_000 }] : [],
    {
      seed: 9,
      durationMs: 4 * 3_600_000,
      topology: handTopology('hot', { urs: true }),
      traffic: traffic(1500, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, patienceMs: 90_000 }),
      agents: [
        { group: 'sales', count: 30, preferredSite: 'A', peerSite: 'B' },
        { group: 'support', count: 30, preferredSite: 'B', peerSite: 'A' },
      ],
      options: {
        'disaster-recovery.enabled': true,
        'disaster-recovery.timeout': 30_000,
        'disaster-recovery.auto-restore': false,
      },
    },
  );
  spec.routing = { policy, overflowAfterMs: 10_000 };
  const center = new Center(spec, 0);
  const r = center.run();
  const c = r.counters;
  const center_ = r.services.find((s) => s.service === 'center')!;
  return {
    abandonedShare: c.calls_abandoned! / c.calls_offered!,
    overflowed: c.calls_overflowed!,
    availability: center_.uptimeMs / (center_.uptimeMs + center_.downtimeMs),
  };
}

describe('site failure with DR, no auto-restore', () => {
  test('local-first keeps the abandoned share near no-fault; local-only strands site A callers', () => {
    const base = run('local-first', false);
    const first = run('local-first', true);
    const only = run('local-only', true);
    expect(first.abandonedShare).toBeLessThan(base.abandonedShare + 0.03);
    expect(only.abandonedShare).toBeGreaterThan(base.abandonedShare + 0.2);
    expect(first.overflowed).toBeGreaterThan(1000);
    expect(only.overflowed).toBe(0);
    // The headline: callers of site A cannot reach an agent for most of the run under local-only.
    expect(first.availability).toBeGreaterThan(0.99);
    expect(only.availability).toBeLessThan(0.3);
    expect(base.availability).toBe(1);
  });
});
