// The routing (URS) pair of each site (SPEC §5.1): an HA pair like any other; while no router
// of a site serves, its calls take the default route (local agents only) after waiting at the
// routing point; a site without a routing pair always takes it. Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

const T0 = 1_800_000;
const T1 = 3_600_000;

function run(urs: boolean, faults: FaultDraft[] = [], options = {}) {
  const spec = handScenario(faults, {
    seed: 13,
    durationMs: 2 * 3_600_000,
    topology: handTopology('hot', { urs }),
    traffic: traffic(1600, 180_000, { siteSplit: { A: 0.5, B: 0.5 } }),
    agents: [
      { group: 'a', count: 50, preferredSite: 'A', peerSite: 'B' },
      { group: 'b', count: 50, preferredSite: 'B', peerSite: 'A' },
    ],
    options,
  });
  spec.routing = { policy: 'pooled', overflowAfterMs: 10_000 };
  return new Center(spec, 0).run();
}

const overflowedAt = (r: ReturnType<typeof run>, site: string, from: number, to: number) =>
  r.intervals
    .filter((iv) => iv.site === site && iv.startMs >= from && iv.startMs < to)
    .reduce((n, iv) => n + iv.overflowed, 0);

describe('routing pair (URS)', () => {
  test('with routers, pooled calls cross sites; without a routing pair, every call takes the default route', () => {
    expect(run(true).counters.calls_overflowed).toBeGreaterThan(500);
    expect(run(false).counters.calls_overflowed).toBe(0);
  });

  test('both routers of a site down: no call entering that site overflows while they are down', () => {
    const r = run(
      true,
      [
        { kind: 'process-crash', target: 'urs-a-1', atMs: T0 },
        { kind: 'process-crash', target: 'urs-a-2', atMs: T0 },
        { kind: 'process-start', target: 'urs-a-1', atMs: T1 },
      ],
      { autorestart: false },
    );
    expect(overflowedAt(r, 'A', 0, T0)).toBeGreaterThan(100);
    expect(overflowedAt(r, 'A', T0, T1)).toBe(0);
    // Site B's router serves all along: its calls still cross to site A's idle agents.
    expect(overflowedAt(r, 'B', T0, T1)).toBeGreaterThan(0);
    // Back in service (started, then promoted): site A's calls cross again.
    expect(overflowedAt(r, 'A', T1 + 900_000, 2 * 3_600_000)).toBeGreaterThan(30);
  });

  test('a router switchover: calls wait at the routing point, none is lost for it', () => {
    const r = run(true, [{ kind: 'process-crash', target: 'urs-a-1', atMs: T0 }]);
    const sw = r.switchovers.find((s) => s.pair === 'urs-a');
    expect(sw?.completedAtMs).toBeDefined();
    expect(r.counters.calls_dropped).toBe(0);
    expect(r.counters.calls_rejected).toBe(0);
  });
});
