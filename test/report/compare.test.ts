// ccsim compare's judgement of a difference: a metric measured per event (switchover_max_s,
// recovery_max_s, the returns to the preferred site) is 0 in a replication without any such
// event; a run with none in any replication has no measurement, not a shorter time.
import { describe, expect, test } from 'vitest';
import { comparabilityWarnings, deltaOf, type CompareRun } from '../../src/report/compare.js';

function run(label: string, recoveries: number[], recoveryMaxS: number[]): CompareRun {
  return {
    label,
    dir: label,
    rows: recoveries.map((n, i) => ({
      scenario: 's',
      sim_s: '3600',
      seed: '7',
      replication: String(i),
      recoveries: String(n),
      recovery_max_s: String(recoveryMaxS[i]),
    })),
  };
}

describe('compare: metrics measured per event', () => {
  const base = run('A', [1, 1, 1], [100.5, 100.2, 100.9]);

  test('a run that never recovered is not a faster recovery', () => {
    const never = run('B', [0, 0, 0], [0, 0, 0]);
    const d = deltaOf('recovery_max_s', base, never);
    expect(d.significant).toBe(true);
    expect(d.better).toBe(false);
    expect(d.worse).toBe(false);
    expect(comparabilityWarnings([base, never])).toEqual([
      'B vs A: recovery_max_s: B has no recoveries (0 in every replication), so its recovery_max_s measures nothing: not judged better or worse',
    ]);
    // Nor is a recovery where the first run had none a slower one.
    expect(deltaOf('recovery_max_s', never, base).worse).toBe(false);
  });

  test('both runs with recoveries: a shorter one is better', () => {
    const faster = run('B', [1, 1, 1], [20.5, 20.1, 20.7]);
    expect(deltaOf('recovery_max_s', base, faster).better).toBe(true);
    expect(comparabilityWarnings([base, faster])).toEqual([]);
  });
});
