// The availability headline reads the rules the calls follow (issue #17, telephony/reach.ts):
// whether callers can reach an agent is decided by the same rules as the call path, so the
// center is down exactly while callers cannot get through. Budget: ~2 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

const M = 60_000;

function run(faults: FaultDraft[], options: Record<string, OptionValue> = {}) {
  const spec = handScenario(faults, {
    seed: 21,
    durationMs: 60 * M,
    topology: handTopology('hot', { urs: true }),
    traffic: traffic(600, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, patienceMs: 120_000 }),
    agents: [
      { group: 'a', count: 20, preferredSite: 'A', peerSite: 'B' },
      { group: 'b', count: 20, preferredSite: 'B', peerSite: 'A' },
    ],
    options: { 'disaster-recovery.enabled': true, ...options },
  });
  spec.routing = { policy: 'local-first', overflowAfterMs: 10_000 };
  const r = new Center(spec, 0).run();
  const center = r.outages.filter((o) => o.service === 'center');
  return { r, center };
}

describe('reach while a SIP Server drains (graceful shutdown)', () => {
  const shutdown: FaultDraft = {
    kind: 'graceful-shutdown',
    target: 'sip-a-1',
    atMs: 20 * M,
  };

  test('without dr-peer-trunk, new calls entering the draining site are refused: the center is down for the drain', () => {
    const { r, center } = run([shutdown]);
    const sw = r.switchovers.find((s) => s.pair === 'sip-a')!;
    expect(sw.cause).toBe('shutdown');
    expect(sw.drainEndMs! - 20 * M).toBeGreaterThan(60_000); // calls talk at A for minutes
    expect(r.counters.calls_rejected).toBeGreaterThan(10); // 603 to A's callers meanwhile
    // Down from the drain's start, at least until the server exits.
    const o = center.find((x) => x.startMs === 20 * M);
    expect(o).toBeDefined();
    expect(o!.endMs).toBeGreaterThanOrEqual(sw.drainEndMs!);
    expect(o!.callsLost).toBeGreaterThanOrEqual(r.counters.calls_rejected!);
  });

  test('with dr-peer-trunk, they are redirected to the peer site: the center stays up', () => {
    const { r, center } = run([shutdown], { 'dr-peer-trunk': 'to-site-b' });
    expect(r.counters.calls_rejected).toBe(0);
    expect(center.filter((o) => o.startMs >= 20 * M)).toEqual([]);
  });
});

describe('reach while calls wait at the routing point (URS pair running, no primary)', () => {
  // Every call enters at A; the only group works at B: callers reach an agent only across the
  // WAN, which needs a router of site A in service. While site A's URS pair runs without a
  // primary, calls wait at the routing point up to router-timeout (10 s) and are routed by the
  // policy if a router serves by then; only calls still waiting then take the default route
  // (site A's agents: none).
  function crossing(faults: FaultDraft[], options: Record<string, OptionValue> = {}) {
    const spec = handScenario(faults, {
      seed: 22,
      durationMs: 60 * M,
      topology: handTopology('hot', { urs: true }),
      traffic: traffic(300, 180_000, { siteSplit: { A: 1, B: 0 }, patienceMs: 120_000 }),
      agents: [{ group: 'b', count: 20, preferredSite: 'B', peerSite: 'A' }],
      options,
    });
    spec.routing = { policy: 'local-first', overflowAfterMs: 0 };
    const r = new Center(spec, 0).run();
    return { r, center: r.outages.filter((o) => o.service === 'center') };
  }

  test('a router switchover shorter than router-timeout: calls only wait, no outage', () => {
    const { r, center } = crossing([{ kind: 'process-crash', target: 'urs-a-1', atMs: 20 * M }]);
    const sw = r.switchovers.find((s) => s.pair === 'urs-a')!;
    expect(sw.completedAtMs! - 20 * M).toBeLessThan(10_000);
    expect(sw.completedAtMs! - 20 * M).toBeGreaterThan(0);
    expect(r.counters.calls_dropped).toBe(0);
    expect(center).toEqual([]); // was: down for the 0.5 s of the switchover
  });

  test('an unseen router hang: down from router-timeout after it, until it ends', () => {
    const { r, center } = crossing([
      { kind: 'process-hang', target: 'urs-a-1', atMs: 20 * M },
      { kind: 'process-start', target: 'urs-a-1', atMs: 30 * M },
    ]);
    // Nothing sees the hang (heartbeat-period 0); the operator's restart switches the pair over.
    expect(r.switchovers.filter((s) => s.pair === 'urs-a' && s.detectedAtMs < 30 * M)).toEqual([]);
    expect(center).toHaveLength(1);
    // The first call waiting at the routing point takes the default route 10 s in.
    expect(center[0]!.startMs).toBe(20 * M + 10_000);
    expect(center[0]!.endMs).toBeGreaterThanOrEqual(30 * M);
    expect(center[0]!.endMs).toBeLessThan(31 * M);
    expect(r.counters.calls_abandoned).toBeGreaterThan(10); // default-routed: no agent at A
  });
});
