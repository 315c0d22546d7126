// bench/floor.ts fuses bench-day's call path into one handler to measure the floor of issue 21's
// ratio: its traffic must be bench-day's (the same calls a day, ~62,000) and its calls must run
// the call path's events (arrival, talk end, wrap-up end, and the timers of waiting calls).
// Budget: < 1 s (one simulated day of the fused model).

import { describe, expect, test } from 'vitest';
import { PROFILE, runFusedDay, STREAMS } from '../../bench/floor.js';

describe('bench/floor', () => {
  test('offers bench-day’s calls a day and runs about four events a call', () => {
    const expected =
      (STREAMS.reduce((s, [, , peak]) => s + peak, 0) * PROFILE.reduce((s, w) => s + w, 0)) / 100;
    expect(expected).toBeCloseTo(61_776, 0); // bench-day: 62,035 calls offered in replication 0
    const { calls, events } = runFusedDay(0);
    expect(Math.abs(calls - expected) / expected).toBeLessThan(0.02); // Poisson: sd ≈ 0.4 %
    expect(events / calls).toBeGreaterThan(3.5);
    expect(events / calls).toBeLessThan(4.1);
  });
});
