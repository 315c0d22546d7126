// The traffic model against queueing theory: Erlang C without abandonment, Erlang A with
// exponential patience, at several loads. Sampling error is covered by replications.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { mmcTheory } from '../../src/models/traffic/erlang.js';
import { summarize } from '../../src/sim/index.js';
import { handScenario, traffic } from './hand-spec.js';

function simulate(
  c: number,
  rho: number,
  ahtS: number,
  patienceS: number | undefined,
  hours: number,
  reps: number,
) {
  const lambdaPerH = (rho * c * 3600) / ahtS;
  const waits: number[] = [];
  const pwaits: number[] = [];
  const sls: number[] = [];
  const abandons: number[] = [];
  for (let r = 0; r < reps; r++) {
    const spec = handScenario([], {
      seed: 11,
      durationMs: hours * 3_600_000,
      // No faults here: slow the management layer's polling so the run is all traffic.
      options: { 'addp-timeout': 3_600_000, 'client-addp-timeout': 3_600_000 },
      traffic: traffic(
        lambdaPerH,
        ahtS * 1000,
        patienceS === undefined ? {} : { patienceMs: patienceS * 1000 },
      ),
      agents: [{ group: 'g', count: c, preferredSite: 'A' }],
    });
    const center = new Center(spec, r);
    const res = center.run();
    const t = center.telephony.totals;
    const offered = res.counters.calls_offered!;
    // Mean wait over all calls that ended waiting (answered or abandoned): answered waits only
    // without patience; the abandonment check uses the abandon share.
    waits.push(t.waitSumMs / t.answered / 1000);
    pwaits.push(t.answered > 0 ? 1 - center.telephony.totals.answeredInSl / offered : 0);
    sls.push(t.answeredInSl / offered);
    abandons.push(t.abandoned / offered);
  }
  return {
    waits: summarize(waits),
    sls: summarize(sls),
    abandons: summarize(abandons),
    lambdaPerS: lambdaPerH / 3600,
  };
}

describe('no faults: the queue agrees with Erlang C', () => {
  for (const [c, rho] of [
    [10, 0.7],
    [20, 0.85],
    [50, 0.9],
  ] as const) {
    test(`c=${c}, load ${rho}`, () => {
      const aht = 180;
      const s = simulate(c, rho, aht, undefined, 300, 6);
      const th = mmcTheory(c, (rho * c) / aht, 1 / aht, 0, 20);
      // Mean wait of answered calls = all calls (nobody abandons).
      const half = Math.max(s.waits.ci95High - s.waits.mean, 0.05 * th.meanWaitS);
      expect(Math.abs(s.waits.mean - th.meanWaitS)).toBeLessThan(2 * half + 0.5);
      expect(Math.abs(s.sls.mean - th.serviceLevel)).toBeLessThan(0.03);
    });
  }
});

describe('with patience: the queue agrees with Erlang A', () => {
  for (const [c, rho, patience] of [
    [10, 0.95, 60],
    [20, 1.05, 120],
  ] as const) {
    test(`c=${c}, load ${rho}, patience ${patience}s`, () => {
      const aht = 180;
      const s = simulate(c, rho, aht, patience, 300, 6);
      const th = mmcTheory(c, (rho * c) / aht, 1 / aht, 1 / patience, 20);
      expect(Math.abs(s.abandons.mean - th.pAbandon)).toBeLessThan(0.015);
      expect(Math.abs(s.sls.mean - th.serviceLevel)).toBeLessThan(0.03);
    });
  }
});
