// Availability over long horizons: random failures and repairs against closed-form results.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { summarize } from '../../src/sim/index.js';
import { handScenario } from './hand-spec.js';
import type { ScenarioSpec } from '../../src/spec/types.js';

function withFailures(spec: ScenarioSpec, failures: ScenarioSpec['failures']): ScenarioSpec {
  return { ...spec, failures };
}

describe('availability of a pair with independent failures and repairs', () => {
  test('matches 1 − (1 − A)² for a parallel pair with near-instant switchover', () => {
    const mtbfMs = 100 * 3_600_000;
    const mttrMs = 10 * 3_600_000;
    const a = mtbfMs / (mtbfMs + mttrMs);
    const expected = 1 - (1 - a) ** 2;
    const values: number[] = [];
    const singles: number[] = [];
    for (let r = 0; r < 16; r++) {
      const spec = withFailures(handScenario([], { seed: 5, durationMs: 4000 * 3_600_000 }), [
        {
          index: 0,
          kind: 'process-crash',
          targets: ['sip-a-1', 'sip-a-2'],
          mtbf: { kind: 'exponential', meanMs: mtbfMs },
          mttr: { kind: 'exponential', meanMs: mttrMs },
        },
      ]);
      const res = new Center(spec, r).run();
      const svc = res.services.find((s) => s.service === 'sip-a')!;
      values.push(svc.uptimeMs / (svc.uptimeMs + svc.downtimeMs));
      // The pair is out at least whenever both members are down; each outage is attributed.
      expect(svc.outages).toBeGreaterThan(0);
      expect(
        res.outages.filter((o) => o.service === 'sip-a').every((o) => o.fault !== undefined),
      ).toBe(true);
      const other = res.services.find((s) => s.service === 'sip-b')!;
      singles.push(other.downtimeMs);
    }
    const s = summarize(values);
    const half = s.ci95High - s.mean;
    expect(Math.abs(s.mean - expected)).toBeLessThan(Math.max(2 * half, 0.002));
    expect(s.mean).toBeLessThan(0.9995); // far from 1: the test can tell a broken model
    expect(singles.every((d) => d === 0)).toBe(true); // sip-b never failed
  });

  test('each target draws its own failure history: adding failures elsewhere does not move it', () => {
    const f = (targets: string[]): ScenarioSpec['failures'] => [
      {
        index: 0,
        kind: 'host-crash',
        targets,
        mtbf: { kind: 'exponential', meanMs: 200 * 3_600_000 },
        mttr: { kind: 'exponential', meanMs: 3_600_000 },
      },
    ];
    const base = handScenario([], { seed: 8, durationMs: 2000 * 3_600_000 });
    const one = new Center(withFailures(base, f(['a-sip-1'])), 0).run();
    const two = new Center(withFailures(base, f(['a-sip-1', 'b-sip-1'])), 0).run();
    const times = (r: typeof one) =>
      r.faults.filter((x) => x.target === 'a-sip-1').map((x) => x.atMs);
    expect(times(one).length).toBeGreaterThan(3);
    expect(times(two)).toEqual(times(one));
  });
});
