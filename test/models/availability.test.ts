// Availability over long horizons: random failures and repairs against closed-form results.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { Simulator, summarize } from '../../src/sim/index.js';
import { Options } from '../../src/models/options.js';
import { Recorder } from '../../src/models/recorder.js';
import { Blame } from '../../src/models/faults/blame.js';
import type { Env } from '../../src/models/env.js';
import { app, handScenario, host, pair as pairId, quietHost } from './hand-spec.js';
import type { ScenarioSpec } from '../../src/spec/types.js';

/** A bare model environment on `sim`: no network, default options, every licence. */
function bareEnv(sim: Simulator): Env {
  return {
    ctx: sim,
    net: {},
    opts: new Options([]),
    recorder: new Recorder(),
    blame: new Blame(),
    licenses: { ha: true, ctiHa: true },
  } as unknown as Env;
}

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
          targets: [app('sip-a-1'), app('sip-a-2')],
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
        targets: targets.map((t) => host(t)),
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

// One definition of "pair down" (HaPair.inService): the pair's own gaps and the availability
// report agree through a split brain — up while a primary serves, down when neither does.
describe('a split brain in the pair gaps and in availability', () => {
  test('two primaries serving: up in both; neither serving: down in both', async () => {
    const { App } = await import('../../src/models/ha-pair/app.js');
    const { HaPair } = await import('../../src/models/ha-pair/pair.js');
    const { Availability } = await import('../../src/models/availability.js');
    const sim = new Simulator(1, 0);
    const env = bareEnv(sim);
    const h = quietHost();
    const a = new App(env, app('ts-1'), 'tserver', h, 'primary', true);
    const b = new App(env, app('ts-2'), 'tserver', h, 'backup', true);
    const pair = new HaPair(env, pairId('ts'), 'warm', [a, b], 1);
    // No telephony pools or sites: only the pair's own service is of interest here.
    const tel = {
      observe: () => {},
      pools: [],
      sites: [],
      sipPoolOfSite: () => -1,
      poolInService: () => false,
      agentsOut: [],
      services: { list: [] },
      reach: { entrySites: [], offered: [], anyOpen: () => false, callersServed: () => false },
    } as unknown as import('../../src/models/telephony/telephony.js').Telephony;
    const av = new Availability(env, [pair], tel);
    sim.call(1_000, () => b.promote(() => {})); // split brain from 1.5 s, both serving
    sim.call(2_000, () => {
      a.setServiceAvailable(false);
      b.setServiceAvailable(false); // still two primaries, neither serves
    });
    sim.call(5_000, () => a.setServiceAvailable(true));
    sim.run({ untilMs: 6_000, eventsMax: 100 });
    pair.finish(6_000);
    const svc = av.finish(6_000).find((s) => s.service === 'ts')!;
    expect(pair.splitBrainMs).toBe(4_500);
    expect(pair.gapTotalMs).toBe(3_000);
    expect(svc.downtimeMs).toBe(3_000);
    expect(svc.outages).toBe(1);
  });
});

// Desktops logging in one by one can take the center down and up again at the same instant
// (one agent's change seen before the next): no time lost, no outage counted.
describe('a zero-length outage', () => {
  test('down and up at the same instant is no outage; down for 1 s is one', async () => {
    const { Availability } = await import('../../src/models/availability.js');
    const sim = new Simulator(1, 0);
    const env = bareEnv(sim);
    let served = true;
    const observers: { onReachChanged?: () => void }[] = [];
    const tel = {
      observe: (o: { onReachChanged?: () => void }) => observers.push(o),
      pools: [],
      sites: ['A'],
      sipPoolOfSite: () => -1,
      poolInService: () => false,
      agentsOut: [{ areaUntil: () => 0 }],
      services: { list: [] },
      reach: { entrySites: [0], offered: [], anyOpen: () => true, callersServed: () => served },
    } as unknown as import('../../src/models/telephony/telephony.js').Telephony;
    const av = new Availability(env, [], tel);
    const set = (v: boolean) => {
      served = v;
      for (const o of observers) o.onReachChanged?.();
    };
    sim.call(1_000, () => {
      set(false);
      set(true);
    });
    sim.call(2_000, () => set(false));
    sim.call(3_000, () => set(true));
    sim.run({ untilMs: 4_000, eventsMax: 100 });
    const center = av.finish(4_000).find((s) => s.service === 'center')!;
    expect(center.outages).toBe(1);
    expect(center.downtimeMs).toBe(1_000);
    expect(av.outages.filter((o) => o.service === 'center').map((o) => o.startMs)).toEqual([2_000]);
  });
});
