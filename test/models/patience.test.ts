// The caller's patience runs from the offer whatever the call does meanwhile: in the queue, or
// ringing at an agent. The abandon timer is armed only when the call may wait (telephony.ts
// armPatience); a ring longer than the patience must still lose the caller. Budget: ~1 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, traffic } from './hand-spec.js';

function run(ringTimeMs: number) {
  const spec = handScenario([], {
    seed: 3,
    durationMs: 3_600_000,
    options: { 'ring-time': ringTimeMs },
    // 600 calls an hour of 60 s on 100 agents: an agent is always free, nobody queues.
    traffic: traffic(600, 60_000, { patienceMs: 30_000 }),
    agents: [{ group: 'g', count: 100, preferredSite: 'A' }],
  });
  return new Center(spec, 0).run().counters;
}

describe('patience', () => {
  test('a caller gives up while the call rings past the patience (P = 1 − e^(−60/30))', () => {
    const c = run(60_000);
    expect(c.calls_offered).toBeGreaterThan(500);
    const share = c.calls_abandoned! / c.calls_offered!;
    expect(Math.abs(share - (1 - Math.exp(-2)))).toBeLessThan(0.05);
  });

  test('a short ring: only the callers whose patience ends within it give up (P = 1 − e^(−2/30))', () => {
    const c = run(2_000);
    const share = c.calls_abandoned! / c.calls_offered!;
    expect(Math.abs(share - (1 - Math.exp(-2 / 30)))).toBeLessThan(0.025);
  });
});
