// Cross-site routing against queueing theory (SPEC §5.1, issue #17): two sites × 50 agents at
// 46 erlangs each behave as one Erlang C(100, 92) center when pooled and as two Erlang C(50, 46)
// queues when local-only; with patience, Erlang A. Same seeds, same calls for both policies.
// Budget: ~10 s (policies × 1–2 replications × 30–40 h, ~75,000 calls each).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { mmcTheory } from '../../src/models/traffic/erlang.js';
import { summarize } from '../../src/sim/index.js';
import type { RoutingPolicy } from '../../src/spec/types.js';
import { handScenario, handTopology, traffic } from './hand-spec.js';

const AHT_S = 180;
const ERL_PER_SITE = 46;
const AGENTS_PER_SITE = 50;

function simulate(
  policy: RoutingPolicy,
  patienceS: number | undefined,
  hours: number,
  reps: number,
) {
  const lambdaPerH = (2 * ERL_PER_SITE * 3600) / AHT_S;
  const sls: number[] = [];
  const abandons: number[] = [];
  const overflowShare: number[] = [];
  for (let r = 0; r < reps; r++) {
    const spec = handScenario([], {
      seed: 21,
      durationMs: hours * 3_600_000,
      topology: handTopology('hot', { urs: true }),
      options: { 'addp-timeout': 3_600_000, 'client-addp-timeout': 3_600_000 },
      traffic: traffic(lambdaPerH, AHT_S * 1000, {
        siteSplit: { A: 0.5, B: 0.5 },
        ...(patienceS === undefined ? {} : { patienceMs: patienceS * 1000 }),
      }),
      agents: [
        { group: 'a', count: AGENTS_PER_SITE, preferredSite: 'A', peerSite: 'B' },
        { group: 'b', count: AGENTS_PER_SITE, preferredSite: 'B', peerSite: 'A' },
      ],
    });
    spec.routing = { policy, overflowAfterMs: 10_000 };
    const center = new Center(spec, r);
    center.run();
    const t = center.telephony.totals;
    sls.push(t.answeredInSl / t.offered);
    abandons.push(t.abandoned / t.offered);
    overflowShare.push(t.overflowed / t.offered);
  }
  return { sls: summarize(sls), abandons: summarize(abandons), overflow: summarize(overflowShare) };
}

describe('two sites × 50 agents at 46 erlangs each', () => {
  const pooledTh = mmcTheory(100, 92 / AHT_S, 1 / AHT_S, 0, 20);
  const localTh = mmcTheory(50, 46 / AHT_S, 1 / AHT_S, 0, 20);

  test('theory: pooling is worth it here (C(100, 92) vs C(50, 46))', () => {
    expect(pooledTh.serviceLevel).toBeGreaterThan(localTh.serviceLevel + 0.1);
  });

  test('pooled agrees with Erlang C(100, 92); local-only with Erlang C(50, 46) per site', () => {
    const pooled = simulate('pooled', undefined, 40, 2);
    const local = simulate('local-only', undefined, 40, 2);
    expect(Math.abs(pooled.sls.mean - pooledTh.serviceLevel)).toBeLessThan(0.04);
    expect(Math.abs(local.sls.mean - localTh.serviceLevel)).toBeLessThan(0.04);
    // Pooled calls cross the WAN about half the time (the longest idle agent is anywhere).
    expect(pooled.overflow.mean).toBeGreaterThan(0.3);
    expect(local.overflow.mean).toBe(0);
    // local-first sits between: calls overflow only after 10 s, so fewer cross and SL is in between.
    const first = simulate('local-first', undefined, 40, 1);
    expect(first.sls.mean).toBeGreaterThan(local.sls.mean + 0.05);
    expect(first.sls.mean).toBeLessThan(pooled.sls.mean + 0.02);
    expect(first.overflow.mean).toBeGreaterThan(0.01);
    expect(first.overflow.mean).toBeLessThan(pooled.overflow.mean);
  });

  test('with patience: pooled agrees with Erlang A(100, 92), local-only with Erlang A(50, 46)', () => {
    const patienceS = 120;
    const pooledA = mmcTheory(100, 92 / AHT_S, 1 / AHT_S, 1 / patienceS, 20);
    const localA = mmcTheory(50, 46 / AHT_S, 1 / AHT_S, 1 / patienceS, 20);
    const pooled = simulate('pooled', patienceS, 30, 2);
    const local = simulate('local-only', patienceS, 30, 2);
    expect(Math.abs(pooled.abandons.mean - pooledA.pAbandon)).toBeLessThan(0.01);
    expect(Math.abs(local.abandons.mean - localA.pAbandon)).toBeLessThan(0.01);
    expect(Math.abs(pooled.sls.mean - pooledA.serviceLevel)).toBeLessThan(0.04);
    expect(Math.abs(local.sls.mean - localA.serviceLevel)).toBeLessThan(0.04);
    expect(local.abandons.mean).toBeGreaterThan(pooled.abandons.mean);
  });
});
