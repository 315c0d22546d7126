// wan-degrade / wan-restore (SPEC §5.2) felt by the mechanisms: calls delivered across the WAN
// ring later by the added latency; on a lossy WAN their INVITEs are sent again (sip-t1, 2·sip-t1,
// …) and given up after Timer B, the call then routed anew; SCS's ADDP across the WAN declares
// live hosts lost under heavy loss (false switchovers), not under latency below the timeout.
// A run without wan-degrade draws nothing from the WAN's stream. Budget: ~4 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

const MIN = 60_000;

/** Every call enters site A; every agent works at site B: each answered call crossed the WAN. */
function crossing(faults: FaultDraft[]) {
  const spec = handScenario(faults, {
    seed: 5,
    durationMs: 90 * MIN,
    topology: handTopology('hot', { urs: true }),
    traffic: traffic(600, 180_000, { siteSplit: { A: 1, B: 0 }, patienceMs: 120_000 }),
    agents: [{ group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' }],
  });
  spec.routing = { policy: 'pooled', overflowAfterMs: 0 };
  const r = new Center(spec, 0).run();
  const c = r.counters;
  return { c, asaMs: c.answer_wait_ms_sum! / c.calls_answered!, r };
}

const wan = (latencyMs: number, loss: number): FaultDraft => ({
  kind: 'wan-degrade',
  target: 'A|B',
  sites: ['A', 'B'],
  latencyMs,
  loss,
  atMs: 0,
});

describe('wan-degrade: calls across the WAN', () => {
  const base = crossing([]);

  test('latency: each call delivered across the WAN rings the added latency later', () => {
    const slow = crossing([wan(2_000, 0)]);
    expect(base.c.calls_overflowed).toBeGreaterThanOrEqual(base.c.calls_answered!);
    expect(slow.c.calls_offered).toBe(base.c.calls_offered); // the same calls
    // About 2 s more per answered call (agents ringing 2 s longer also queue a little).
    expect(slow.asaMs - base.asaMs).toBeGreaterThan(1_900);
    expect(slow.asaMs - base.asaMs).toBeLessThan(4_000);
  });

  test('loss: INVITEs retransmitted, some given up after Timer B and routed again', () => {
    const lossy = crossing([wan(0, 0.5)]);
    // Retransmissions add seconds on average: at 0.5 loss a round gets through 1 time in 4.
    expect(lossy.asaMs - base.asaMs).toBeGreaterThan(1_000);
    expect(lossy.c.calls_offered).toBe(base.c.calls_offered);
    // Every call still ends one way or the other (the identity is asserted in the run).
    expect(lossy.c.calls_answered! + lossy.c.calls_abandoned!).toBeGreaterThan(
      0.95 * lossy.c.calls_offered!,
    );
    expect(lossy.c.calls_dropped).toBe(0);
  });
});

describe('wan-degrade: ADDP across the WAN', () => {
  function mgmt(faults: FaultDraft[]) {
    const spec = handScenario(faults, { seed: 11, durationMs: 60 * MIN });
    return new Center(spec, 0).run();
  }
  const during = (f: FaultDraft) => ({
    ...f,
    atMs: 10 * MIN,
    durationMs: 30 * MIN,
  });

  test('latency below addp-timeout: nothing declared lost, no switchover', () => {
    const r = mgmt([during(wan(3_000, 0))]);
    expect(r.switchovers).toHaveLength(0);
    expect(r.splitBrainMs).toBe(0);
  });

  test('latency above addp-timeout: every poll across the WAN times out — switchovers, split brain', () => {
    const r = mgmt([during(wan(5_000, 0))]);
    expect(r.switchovers.length).toBeGreaterThan(0);
    expect(r.splitBrainMs).toBeGreaterThan(0);
    // Attributed to the degraded WAN, timed from the poll that went unanswered.
    const s = r.switchovers.find((x) => x.cause === 'host-failure')!;
    expect(s.fault?.faultId).toBe('f0');
    expect(s.detectedAtMs - s.fault!.atMs).toBe(9_000);
  });

  test('heavy loss: false switchovers; restored, no more', () => {
    const r = mgmt([during(wan(0, 0.5))]);
    const inWindow = r.switchovers.filter((s) => s.detectedAtMs < 40 * MIN + 20_000);
    expect(inWindow.length).toBeGreaterThan(0);
    expect(r.switchovers.every((s) => s.detectedAtMs >= 10 * MIN)).toBe(true);
    // Light loss on the same WAN: TCP's retransmissions stay well within the timeout.
    const light = mgmt([during(wan(0, 0.02))]);
    expect(light.switchovers).toHaveLength(0);
  });
});
