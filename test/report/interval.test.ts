// Intervals of a metric's mean stay inside its domain: counts and times >= 0, shares in [0, 1];
// counts get at least the exact Poisson interval (so zero events seen is not "exactly zero").
import { describe, expect, test } from 'vitest';
import { domainOf, meanInterval, poissonInterval } from '../../src/report/interval.js';

describe('meanInterval', () => {
  test('a count seen 0, 0, 1 times: [0, …], never negative, and wider than t alone at 0', () => {
    const iv = meanInterval('calls_dropped', [0, 0, 1]);
    expect(iv.low).toBe(0);
    expect(Object.is(iv.low, -0)).toBe(false);
    expect(iv.high).toBeGreaterThan(1);
    const none = meanInterval('calls_dropped', [0, 0, 0]);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(3.689 / 3, 3); // exact Poisson upper bound for 0 events in 3
  });

  test('a share stays within [0, 1]', () => {
    const iv = meanInterval('service_level', [0.99, 1, 0.2]);
    expect(iv.low).toBeGreaterThanOrEqual(0);
    expect(iv.high).toBe(1);
  });

  test('a time is never negative; one replication has no interval', () => {
    expect(meanInterval('switchover_max_s', [0.5, 30, 0.4]).low).toBe(0);
    expect(meanInterval('switchover_max_s', [7])).toEqual({ n: 1, mean: 7, low: 7, high: 7 });
  });

  test('Poisson interval matches the exact (Garwood) values within 2 %', () => {
    // Exact 95% limits for 10 events: [4.795, 18.39]; for 1 event: [0.0253, 5.572].
    const [l10, h10] = poissonInterval(10, 1);
    expect(l10 / 4.795).toBeCloseTo(1, 1);
    expect(h10 / 18.39).toBeCloseTo(1, 1);
    expect(poissonInterval(1, 1)[1] / 5.572).toBeCloseTo(1, 1);
  });

  test('domains by column', () => {
    expect(domainOf('calls_offered')).toBe('count');
    expect(domainOf('recoveries')).toBe('count');
    expect(domainOf('recovery_max_s')).toBe('time');
    expect(domainOf('center_availability')).toBe('share');
    expect(domainOf('seed')).toBe('coordinate');
    expect(domainOf('agents')).toBe('coordinate');
  });

  test("the topology's head count is no random count: its interval is the value itself", () => {
    expect(meanInterval('agents', [270, 270, 270])).toEqual({
      n: 3,
      mean: 270,
      low: 270,
      high: 270,
    });
  });
});
