// ICON pairs and reporting-data loss (DOMAIN §8, §11; seed 001 failure table). Each ICON is
// checked against the events the source really emitted, counted here by an observer of our own.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { DataLossRow, IconResult } from '../../src/models/icon/icons.js';
import type { FaultSpec } from '../../src/scenario/types.js';
import type { OptionValue } from '../../src/models/option-spec.js';
import { HAND_ICONS, handScenario, handTopology, traffic, type HandIcon } from './hand-spec.js';

/** A fault as written in a test: each kind with its own keys (a distributive Omit). */
type F = FaultSpec extends infer U ? (U extends FaultSpec ? Omit<U, 'id' | 'index'> : never) : never;
const T0 = 1_800_000;
const MIN = 60_000;
const TS_ICONS: HandIcon[] = [
  { id: 'icon-t-1', host: 'a-rep', source: 'ts-a', idb: 'idb-t-1' },
  { id: 'icon-t-2', host: 'b-rep', source: 'ts-a', idb: 'idb-t-2' },
];
const agents = [
  { group: 'sales', count: 60, preferredSite: 'A', peerSite: 'B' },
  { group: 'support', count: 60, preferredSite: 'B', peerSite: 'A' },
  { group: 'back-office', count: 30, preferredSite: 'A', telephony: 'ts-a' },
];
const load = traffic(1800, 180_000, {
  siteSplit: { A: 0.5, B: 0.5 },
  wrapUpMs: 10_000,
  patienceMs: 120_000,
  tserverCallsPerHour: { 'ts-a': 400 },
});

interface Run {
  center: Center;
  icon: IconResult;
  rows: DataLossRow[];
  row: (icon: string) => DataLossRow;
  counters: Record<string, number>;
  /** Source events of a pair emitted in [fromMs, toMs), as our own observer saw them. */
  emitted: (pair: string, fromMs: number, toMs: number) => number;
  /** Start of the first data-source session of an ICON that began at or after `afterMs`. */
  connectedAt: (icon: string, afterMs: number) => number;
}

function run(faults: F[], options: Record<string, OptionValue> = {}, seed = 3, redundancy: 'hot' | 'warm' = 'hot'): Run {
  const spec = handScenario(faults, {
    seed,
    durationMs: 2 * 3_600_000,
    topology: handTopology(redundancy, { icons: [...HAND_ICONS, ...TS_ICONS] }),
    traffic: load,
    agents,
    options,
  });
  const center = new Center(spec, 0);
  const times = new Map<number, number[]>();
  center.telephony.observe({
    onSourceEvent: (pool) => {
      const list = times.get(pool) ?? [];
      list.push(center.sim.nowMs);
      times.set(pool, list);
    },
  });
  const r = center.run();
  const rows = r.icon.dataLoss;
  return {
    center,
    icon: r.icon,
    rows,
    row: (icon) => rows.find((x) => x.icon === icon)!,
    counters: r.counters,
    emitted: (pair, fromMs, toMs) =>
      (times.get(center.telephony.poolOf(pair)) ?? []).filter((t) => t >= fromMs && t < toMs).length,
    connectedAt: (icon, afterMs) => {
      const s = r.icon.sessions.find((x) => x.icon === icon && x.fromMs >= afterMs);
      expect(s, `${icon} has a session starting after ${afterMs} ms`).toBeDefined();
      return s!.fromMs;
    },
  };
}

describe('no fault', () => {
  test('every IDB stores every event: nothing missing, nothing stuck, every window complete', () => {
    const x = run([]);
    expect(x.rows.map((r) => r.icon)).toEqual(['icon-a-1', 'icon-a-2', 'icon-b-1', 'icon-b-2', 'icon-t-1', 'icon-t-2']);
    for (const r of x.rows) {
      expect(r.eventsExpected).toBeGreaterThan(3000);
      expect(r.eventsStored).toBe(r.eventsExpected);
      expect([r.eventsMissing, r.stuckCalls, r.stuckParties, r.gapMs, r.missingAttachedData]).toEqual([0, 0, 0, 0, 0]);
    }
    // icon_events: every event the ICONs' sources emitted.
    const total = ['sip-a', 'sip-b', 'ts-a'].reduce((n, p) => n + x.emitted(p, 0, Infinity), 0);
    expect(x.counters['icon_events']).toBe(total);
    expect(x.counters['icon_lost_all']).toBe(0);
    const windows = x.icon.windows;
    expect(windows.length).toBe(3 * 8); // three sources × eight 15-minute windows
  });
});

describe('one ICON or its IDB down (DOMAIN §11)', () => {
  test('an ICON process down 10 min: its IDB misses the events of the outage, none is lost', () => {
    const x = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN }]);
    const back = x.connectedAt('icon-a-1', T0);
    expect(back).toBeGreaterThanOrEqual(T0 + 10 * MIN);
    const outage = x.emitted('sip-a', T0, back);
    const r = x.row('icon-a-1');
    // Missing: the outage plus what the accumulator held at the crash (≤ acc-queue-lifespan).
    expect(r.eventsMissing).toBeGreaterThanOrEqual(outage);
    expect(r.eventsMissing).toBeLessThanOrEqual(x.emitted('sip-a', T0 - 5_000, back));
    expect(r.eventsMissing - outage).toBe(r.lostInMemory);
    expect(r.gapMs).toBeGreaterThanOrEqual(back - T0);
    expect(x.row('icon-a-2').eventsMissing).toBe(0);
    expect(x.counters['icon_lost_all']).toBe(0);
    expect(x.counters['icon_missing_max']).toBe(r.eventsMissing);
  });

  test('the ICONs host down 10 min: both ICONs on it miss events, the pairs lose nothing; downstream reads the other IDB', () => {
    const at = T0 + 5 * MIN; // the outage spans the 45-minute window boundary
    const x = run([{ kind: 'host-crash', target: 'a-rep', atMs: at, durationMs: 10 * MIN }]);
    // a-rep runs icon-a-1, icon-b-2 and icon-t-1; their partners run on b-rep.
    for (const id of ['icon-a-1', 'icon-b-2', 'icon-t-1']) expect(x.row(id).eventsMissing).toBeGreaterThan(100);
    for (const id of ['icon-a-2', 'icon-b-1', 'icon-t-2']) expect(x.row(id).eventsMissing).toBe(0);
    // Host boot (120 s) and app start (20 s) come on top of the outage.
    const back = x.connectedAt('icon-a-1', at);
    expect(back).toBeGreaterThanOrEqual(at + 10 * MIN + 140_000);
    expect(x.row('icon-a-1').eventsMissing).toBeGreaterThanOrEqual(x.emitted('sip-a', at, back));
    expect(x.counters['icon_lost_all']).toBe(0);
    const windows = x.icon.windows.filter((w) => w.source === 'sip-a');
    const hit = windows.filter((w) => w.startMs < back && w.endMs > at);
    expect(hit.length).toBe(2);
    for (const w of hit) {
      expect(w.idbs.map((i) => i.complete)).toEqual([false, true]);
      expect([w.chosen, w.chosenMissing, w.lostAll]).toEqual(['idb-a-2', 0, 0]);
    }
    for (const w of windows.filter((v) => !hit.includes(v))) expect(w.chosen).toBe('idb-a-1');
  });

  test('without data-source sessions (use-dss-monitor false) downstream cannot see the gap and reads the first IDB', () => {
    const at = T0 + 5 * MIN;
    const x = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: at, durationMs: 10 * MIN }], { 'use-dss-monitor': false });
    expect(x.icon.sessions).toEqual([]);
    const windows = x.icon.windows.filter((w) => w.source === 'sip-a');
    expect(new Set(windows.map((w) => w.chosen))).toEqual(new Set(['idb-a-1']));
    // The reports lack everything idb-a-1 lacks, although idb-a-2 has it all.
    expect(windows.reduce((n, w) => n + w.chosenMissing, 0)).toBe(x.row('icon-a-1').eventsMissing);
    expect(x.row('icon-a-1').eventsMissing).toBeGreaterThan(1000);
    expect(x.counters['icon_lost_all']).toBe(0);
  });

  test('an IDB down 10 min (well within pq-size-max): the persistent queue holds everything; nothing is missing after catch-up', () => {
    const x = run([{ kind: 'idb-down', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN }]);
    for (const r of x.rows) {
      expect(r.eventsMissing).toBe(0);
      expect(r.eventsStored).toBe(r.eventsExpected);
    }
    expect(x.counters['icon_missing_max']).toBe(0);
    expect(x.counters['stuck_calls']).toBe(0);
  });

  test('an IDB down with a tiny persistent queue: records beyond pq-size-max are lost', () => {
    const x = run([{ kind: 'idb-down', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN }], { 'pq-size-max': 100 });
    const r = x.row('icon-a-1');
    // About 10 minutes of sip-a events went to a queue that holds 100.
    const outage = x.emitted('sip-a', T0, T0 + 10 * MIN);
    expect(r.lostPqOverflow).toBeGreaterThan(outage - 100 - 500);
    expect(r.eventsMissing).toBe(r.lostPqOverflow);
    expect(r.stuckCalls).toBeGreaterThan(0); // releases lost with the overflow
    expect(x.row('icon-a-2').eventsMissing).toBe(0);
    expect(x.counters['icon_lost_all']).toBe(0);
  });

  test('an IDB still down at the end: its records wait in the persistent queue, not missing', () => {
    const x = run([{ kind: 'idb-down', target: 'icon-a-1', atMs: 110 * MIN }]);
    const r = x.row('icon-a-1');
    expect(r.pqBacklog).toBeGreaterThan(100);
    expect(r.eventsMissing).toBe(0);
    expect(r.eventsStored + r.pqBacklog).toBe(r.eventsExpected);
  });
});

describe('both ICONs of a pair down together (DOMAIN §11)', () => {
  test('overlapping process crashes: icon_lost_all is the events the source emitted in the overlap', () => {
    const x = run([
      { kind: 'process-crash', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN },
      { kind: 'process-crash', target: 'icon-a-2', atMs: T0 + 5 * MIN, durationMs: 10 * MIN },
    ]);
    const back1 = x.connectedAt('icon-a-1', T0);
    const overlap = x.emitted('sip-a', T0 + 5 * MIN, back1);
    expect(overlap).toBeGreaterThan(300);
    const lost = x.counters['icon_lost_all']!;
    // The overlap, plus what icon-a-2 still held in memory when it crashed (≤ acc-queue-lifespan).
    expect(lost).toBeGreaterThanOrEqual(overlap);
    expect(lost).toBeLessThanOrEqual(x.emitted('sip-a', T0 + 5 * MIN - 5_000, back1));
    expect(lost - overlap).toBe(x.row('icon-a-2').lostInMemory);
    expect(x.row('icon-a-1').lostAll).toBe(lost);
    // Downstream: the windows of the overlap have no complete IDB.
    const windows = x.icon.windows.filter((w) => w.source === 'sip-a');
    expect(windows.reduce((n, w) => n + w.lostAll, 0)).toBe(lost);
    expect(windows.some((w) => w.idbs.every((i) => !i.complete))).toBe(true);
  });

  test('overlapping host crashes of both ICON hosts: lost events match the overlap', () => {
    const x = run([
      { kind: 'host-crash', target: 'a-rep', atMs: T0, durationMs: 5 * MIN },
      { kind: 'host-crash', target: 'b-rep', atMs: T0 + 3 * MIN, durationMs: 5 * MIN },
    ]);
    const back = x.connectedAt('icon-a-1', T0);
    for (const pair of ['sip-a', 'sip-b', 'ts-a']) {
      const overlap = x.emitted(pair, T0 + 3 * MIN, back);
      const row = x.rows.find((r) => r.source === pair)!;
      expect(row.lostAll).toBeGreaterThanOrEqual(overlap);
      expect(row.lostAll).toBeLessThanOrEqual(x.emitted(pair, T0 + 3 * MIN - 5_000, back));
    }
    expect(x.counters['icon_lost_all']).toBeGreaterThan(500);
  });
});

describe('the ICON failure table (seed 001), voice rows', () => {
  test('ICON↔server disconnection (network partition): the events of the window are missing, with attached data and releases', () => {
    const x = run([
      { kind: 'network-partition', target: 'a-rep|a-sip-1', sideA: ['a-rep'], sideB: ['a-sip-1'], atMs: T0, durationMs: 3 * MIN },
    ]);
    const r = x.row('icon-a-1');
    // The ICON hears nothing from the partition on, notices it through ADDP, and reconnects
    // reconnect-timeout after the heal at the earliest.
    const back = x.connectedAt('icon-a-1', T0);
    expect(back).toBeGreaterThanOrEqual(T0 + 3 * MIN);
    expect(Math.abs(r.eventsMissing - x.emitted('sip-a', T0, back))).toBeLessThanOrEqual(2);
    expect(r.missingAttachedData).toBeGreaterThan(10);
    expect(r.stuckCalls).toBeGreaterThan(5); // releases missed: calls ended at unknown times
    const ended = x.icon.sessions.find((s) => s.icon === 'icon-a-1')!;
    expect(ended.endReason).toBe('addp-timeout');
    expect(x.row('icon-a-2').eventsMissing).toBe(0);
    expect(x.counters['icon_lost_all']).toBe(0);
  });

  test('CTI link loss (every link of the T-Server primary): stuck calls and stuck parties in both IDBs', () => {
    const base = run([]);
    const x = run([{ kind: 'cti-link-down', target: 'ts-a-1', link: 'all', silent: false, atMs: T0 }]);
    const degraded = x.counters['calls_degraded']!;
    expect(degraded).toBeGreaterThan(5);
    for (const id of ['icon-t-1', 'icon-t-2']) {
      const r = x.row(id);
      // Every call the T-Server lost track of stays open in the IDB; so does its agent party.
      expect(r.stuckCalls).toBeGreaterThanOrEqual(degraded);
      expect(r.stuckParties).toBeGreaterThan(0);
      expect(base.row(id).stuckCalls).toBe(0);
    }
    expect(x.row('icon-a-1').stuckCalls).toBe(0);
    expect(x.counters['stuck_calls']).toBe(Math.max(x.row('icon-t-1').stuckCalls, x.row('icon-t-2').stuckCalls));
  });

  test('switchover of the active server (host crash of the SIP primary): stuck parties and missing attached data', () => {
    const x = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }]);
    for (const id of ['icon-a-1', 'icon-a-2']) {
      const r = x.row(id);
      expect(r.stuckParties).toBeGreaterThan(0);
      expect(r.missingAttachedData).toBeGreaterThan(0);
      expect(r.callsPartial).toBeGreaterThan(0); // calls first seen mid-way: wrong transitions
    }
    const sessions = x.icon.sessions.filter((s) => s.icon === 'icon-a-1');
    expect(sessions.map((s) => [s.server, s.reason])).toEqual([
      ['sip-a-1', 'first-connect'],
      ['sip-a-2', 'switchover'],
    ]);
    expect(x.row('icon-b-1').stuckParties).toBe(0);
  });

  test('warm standby loses the call control of established calls: each one is a stuck call', () => {
    const x = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], {}, 3, 'warm');
    const hot = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }]);
    expect(x.row('icon-a-1').stuckCalls).toBeGreaterThan(hot.row('icon-a-1').stuckCalls + 10);
  });

  test('ICON crash: the unflushed accumulator is lost (at most acc-queue-lifespan of events); calls active are closed at restart', () => {
    const x = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0 }]);
    const r = x.row('icon-a-1');
    expect(r.lostInMemory).toBeGreaterThan(0);
    expect(r.lostInMemory).toBeLessThanOrEqual(x.emitted('sip-a', T0 - 5_000, T0 + 1));
    // About 45 calls run at site A (900/h × 3 min): all still marked active are closed.
    expect(r.callsClosedAtRestart).toBeGreaterThan(20);
    expect(r.stuckCalls).toBe(0);
    expect(x.counters['icon_lost_all']).toBe(0);
    // A longer acc-queue-lifespan loses more; acc-queue-size bounds it.
    const long = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0 }], { 'acc-queue-lifespan': 60_000 });
    expect(long.row('icon-a-1').lostInMemory).toBeGreaterThan(r.lostInMemory);
    const small = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0 }], { 'acc-queue-lifespan': 60_000, 'acc-queue-size': 10 });
    expect(small.row('icon-a-1').lostInMemory).toBeLessThan(10);
  });
});

describe('determinism', () => {
  test('the same seed gives identical data-loss rows; another seed does not', () => {
    const faults: F[] = [
      { kind: 'process-crash', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN },
      { kind: 'host-crash', target: 'b-rep', atMs: T0 + 5 * MIN, durationMs: 10 * MIN },
      { kind: 'host-crash', target: 'a-sip-1', atMs: T0 + 40 * MIN },
    ];
    const a = run(faults);
    const b = run(faults);
    expect(b.rows).toEqual(a.rows);
    expect(run(faults, {}, 4).rows).not.toEqual(a.rows);
  });
});
