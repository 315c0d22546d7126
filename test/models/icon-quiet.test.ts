// Quiet flush cycles (src/models/icon/icon.ts, Icon.quietCycle): while an ICON receives with its
// IDB up and nothing queued, its flush cycles are worked out from the records' times and places in
// the order of events, with no timer event, and done together when something next looks at the
// store. That must change nothing but the number of events: under random compound faults that
// touch the ICONs, their IDBs and their sources, every data-loss row, window and session is the
// same as with one timer event a flush cycle.
import { afterEach, describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { Center } from '../../src/models/center.js';
import { quietFlushCycles } from '../../src/models/icon/quiet.js';
import { SourceLog } from '../../src/models/icon/source.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import { faultArbitraries } from './fault-arbitraries.js';
import {
  HAND_ICONS,
  handScenario,
  handTopology,
  traffic,
  type FaultDraft,
  type HandIcon,
} from './hand-spec.js';

const TS_ICONS: HandIcon[] = [
  { id: 'icon-t-1', host: 'a-rep', source: 'ts-a', idb: 'idb-t-1' },
  { id: 'icon-t-2', host: 'b-rep', source: 'ts-a', idb: 'idb-t-2' },
];
const ICONS = [...HAND_ICONS, ...TS_ICONS].map((i) => i.id);
const topology = handTopology('hot', { icons: [...HAND_ICONS, ...TS_ICONS] });
const warm = handTopology('warm', { icons: [...HAND_ICONS, ...TS_ICONS] });
const at = fc.integer({ min: 60_000, max: 2_400_000 });
const dur = fc.integer({ min: 1_000, max: 900_000 });
const kinds = faultArbitraries(topology, at, dur, []);
const idbDown = fc.record({
  kind: fc.constant('idb-down' as const),
  target: fc.constantFrom(...ICONS),
  atMs: at,
  durationMs: dur,
});
const iconFault = fc.record({
  kind: fc.constantFrom('process-crash' as const, 'process-hang' as const),
  target: fc.constantFrom(...ICONS),
  atMs: at,
  durationMs: dur,
});
const fault: fc.Arbitrary<FaultDraft> = fc.oneof(
  iconFault,
  idbDown,
  kinds.hostCrash,
  kinds.processCrash,
  kinds.processHang,
  kinds.ctiLinkDown,
  kinds.networkPartition,
  kinds.manualSwitchover,
  kinds.gracefulShutdown,
);

function run(
  faults: FaultDraft[],
  seed: number,
  hot: boolean,
  options: Record<string, OptionValue>,
  quiet: boolean,
  callsPerHour = 1800,
  roll = true,
) {
  quietFlushCycles.on = quiet;
  quietFlushCycles.roll = roll;
  const spec = handScenario(faults, {
    seed,
    durationMs: 3_600_000,
    topology: hot ? topology : warm,
    traffic: traffic(callsPerHour, 180_000, {
      siteSplit: { A: 0.5, B: 0.5 },
      wrapUpMs: 10_000,
      patienceMs: 120_000,
      tserverCallsPerHour: { 'ts-a': 400 },
    }),
    agents: [
      { group: 'sales', count: 50, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 50, preferredSite: 'B', peerSite: 'A' },
      { group: 'back-office', count: 20, preferredSite: 'A', telephony: 'ts-a' },
    ],
    options,
  });
  const center = new Center(spec, 0);
  const r = center.run();
  return { events: center.sim.events, counters: r.counters, icon: r.icon };
}

afterEach(() => {
  quietFlushCycles.on = true;
  quietFlushCycles.roll = true;
  vi.restoreAllMocks();
});

describe('quiet flush cycles', () => {
  test('change nothing but the number of events, under compound faults on ICONs, IDBs and sources', () => {
    let fewer = 0;
    let timedRuns = 0;
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        // Small accumulators fill before acc-queue-lifespan: both ends of a cycle are drawn.
        fc.constantFrom(1, 7, 50, 1000),
        fc.constantFrom(1_000, 5_000),
        (faults, seed, hot, accSize, lifespanMs) => {
          faults.sort((a, b) => a.atMs - b.atMs);
          const options = { 'acc-queue-size': accSize, 'acc-queue-lifespan': lifespanMs };
          const timed = run(faults, seed, hot, options, false);
          const quiet = run(faults, seed, hot, options, true);
          const why = `seed ${seed}, hot ${hot}, options ${JSON.stringify(options)}, faults ${JSON.stringify(faults)}`;
          expect(quiet.icon, why).toEqual(timed.icon);
          expect(quiet.counters, why).toEqual(timed.counters);
          // With acc-queue-size 1 every record fills the accumulator: no timer ever runs.
          if (accSize > 1) timedRuns++;
          if (quiet.events < timed.events) fewer++;
        },
      ),
      { numRuns: Number(process.env['ICON_QUIET_RUNS'] ?? 12), seed: 21 },
    );
    // The quiet cycles were worked out: their timer events are gone.
    expect(fewer).toBe(timedRuns);
    expect(timedRuns).toBeGreaterThan(0);
  });

  test('a record at the very millisecond a flush is due joins the cycle iff its event came first', () => {
    // Heavy traffic puts a source record at the millisecond a cycle's flush is due in a few
    // per cent of cycles; whether it is flushed with the cycle or begins the next one decides
    // every later boundary, and so what each ICON crash loses from memory.
    const faults: FaultDraft[] = [];
    for (let t = 300_000; t < 3_300_000; t += 450_000) {
      faults.push({ kind: 'process-crash', target: 'icon-a-1', atMs: t });
      faults.push({ kind: 'process-crash', target: 'icon-b-2', atMs: t + 200_000 });
    }
    for (const seed of [1, 2, 3]) {
      const timed = run(faults, seed, true, {}, false, 6000);
      const quiet = run(faults, seed, true, {}, true, 6000);
      expect(quiet.icon, `seed ${seed}`).toEqual(timed.icon);
      expect(quiet.events).toBeLessThan(timed.events);
      const lost = quiet.icon.dataLoss.find((r) => r.icon === 'icon-a-1')!.lostInMemory;
      expect(lost).toBeGreaterThan(0);
    }
  });

  test('a record that ends quiet cycles, taken without the source log, changes nothing at all', () => {
    // RecordStream.tryRoll, SourceLog.roll: the record that ends an ICON's quiet cycle goes to
    // the ICONs' cycles directly (no `record`, no full `attend`), which is all `attend` would
    // do with it. Same events, same results as through the log, under compound faults; and the
    // roll is taken.
    const rolls = vi.spyOn(SourceLog.prototype, 'roll');
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        fc.constantFrom(7, 50, 1000),
        fc.constantFrom(1_000, 5_000),
        (faults, seed, hot, accSize, lifespanMs) => {
          faults.sort((a, b) => a.atMs - b.atMs);
          const options = { 'acc-queue-size': accSize, 'acc-queue-lifespan': lifespanMs };
          const logged = run(faults, seed, hot, options, true, 1800, false);
          const before = rolls.mock.calls.length;
          const rolled = run(faults, seed, hot, options, true, 1800, true);
          const why = `seed ${seed}, hot ${hot}, options ${JSON.stringify(options)}, faults ${JSON.stringify(faults)}`;
          expect(rolled.icon, why).toEqual(logged.icon);
          expect(rolled.counters, why).toEqual(logged.counters);
          expect(rolled.events, why).toBe(logged.events);
          expect(rolls.mock.calls.length, why).toBeGreaterThan(before);
        },
      ),
      { numRuns: Number(process.env['ICON_QUIET_RUNS'] ?? 8), seed: 26 },
    );
  });
});
