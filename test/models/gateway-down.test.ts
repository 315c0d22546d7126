// gateway-down / gateway-up (SPEC §5.2): a site's gateways stop taking calls in; the carrier
// finds out when an INVITE times out (carrier-detect-time) and then offers the site's callers
// the other site. Arrival streams are per site and seed (common random numbers), so the calls
// that reach B while A's gateways are down are exactly A's and B's calls of the no-fault run.
// Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, traffic, type FaultDraft } from './hand-spec.js';

const MIN = 60_000;

function run(faults: FaultDraft[]) {
  const spec = handScenario(faults, {
    seed: 4,
    durationMs: 120 * MIN,
    traffic: traffic(1200, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, patienceMs: 90_000 }),
    agents: [
      { group: 'sales', count: 40, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' },
    ],
  });
  const r = new Center(spec, 0).run();
  const offered = (site: string, fromMs: number, toMs: number) =>
    r.intervals
      .filter((i) => i.site === site && i.startMs >= fromMs && i.startMs < toMs)
      .reduce((n, i) => n + i.offered, 0);
  const center = r.services.find((s) => s.service === 'center')!;
  return { r, offered, center };
}

describe('gateway-down', () => {
  const base = run([]);

  test("while A's gateways are down no call enters at A: A's callers arrive at B", () => {
    const g = run([{ kind: 'gateway-down', target: 'A', atMs: 30 * MIN, durationMs: 60 * MIN }]);
    // From the first interval after the carrier marked A's trunk down to the gateway-up.
    const [from, to] = [45 * MIN, 90 * MIN];
    expect(base.offered('A', from, to)).toBeGreaterThan(200);
    expect(g.offered('A', from, to)).toBe(0);
    expect(g.offered('B', from, to)).toBe(
      base.offered('A', from, to) + base.offered('B', from, to),
    );
    // The calls offered to A's dead gateways before the carrier noticed were refused; no
    // server failed, no call in progress was cut.
    expect(g.r.counters.calls_rejected).toBeGreaterThan(0);
    expect(g.r.counters.calls_rejected).toBeLessThan(40);
    expect(g.r.counters.calls_dropped).toBe(0);
    expect(g.r.switchovers).toHaveLength(0);
    // After gateway-up the carrier's next OPTIONS ping finds A again: A takes its calls.
    expect(g.offered('A', 105 * MIN, 120 * MIN)).toBe(base.offered('A', 105 * MIN, 120 * MIN));
    // Callers of A could not get in only until the carrier re-routed them (carrier-detect-time
    // after the first call) — not zero, not the whole outage.
    expect(g.center.downtimeMs).toBeGreaterThan(30_000);
    expect(g.center.downtimeMs).toBeLessThan(90_000);
    const row = g.r.faults.find((f) => f.kind === 'gateway-down')!;
    expect(row.clearedAtMs).toBe(90 * MIN);
  });

  test('gateways down at both sites: every call is refused and availability says so', () => {
    const g = run([
      { kind: 'gateway-down', target: 'A', atMs: 30 * MIN, durationMs: 30 * MIN },
      { kind: 'gateway-down', target: 'B', atMs: 30 * MIN, durationMs: 30 * MIN },
    ]);
    const answered = g.r.intervals
      .filter((i) => i.startMs >= 30 * MIN && i.startMs < 60 * MIN)
      .reduce((n, i) => n + i.answered, 0);
    expect(answered).toBe(0);
    const offered = base.offered('A', 30 * MIN, 60 * MIN) + base.offered('B', 30 * MIN, 60 * MIN);
    // Offered in those 30 min: each refused, or abandoned while its INVITE went unanswered.
    expect(g.r.counters.calls_rejected).toBeGreaterThan(offered * 0.9);
    expect(g.r.counters.calls_rejected! + g.r.counters.calls_abandoned!).toBeGreaterThanOrEqual(
      offered,
    );
    // The center is down for the whole 30 minutes (and until the carrier's next ping).
    expect(g.center.downtimeMs).toBeGreaterThanOrEqual(30 * MIN);
    expect(g.center.downtimeMs).toBeLessThan(31 * MIN);
    const outage = g.r.outages.find((o) => o.service === 'center' && o.startMs === 30 * MIN)!;
    expect(outage.fault?.faultId).toMatch(/^f[01]$/);
    expect(outage.endMs - outage.startMs).toBeGreaterThanOrEqual(30 * MIN);
    expect(base.center.downtimeMs).toBe(0);
  });

  test("a site failure: A's callers cannot get in until the gateways mark A down", () => {
    // The gateways' failover is not immediate: the INVITEs of the first gateway-detect-time
    // time out (calls refused) before the gateways send A's callers to B.
    const g = run([{ kind: 'site-crash', target: 'A', atMs: 30 * MIN, durationMs: 30 * MIN }]);
    const first = g.r.outages.find((o) => o.service === 'center' && o.startMs === 30 * MIN)!;
    expect(first.endMs - first.startMs).toBeGreaterThanOrEqual(32_000);
    expect(first.endMs - first.startMs).toBeLessThan(60_000);
    expect(first.callsLost).toBeGreaterThan(0);
  });
});
