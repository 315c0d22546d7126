// ICON pairs and reporting-data loss (DOMAIN §8, §11; seed 001 failure table). Each ICON is
// checked against the events the source really emitted, counted here by an observer of our own.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { DataLossRow, DssRow, IconResult } from '../../src/models/icon/icons.js';
import { SourceEvent } from '../../src/models/telephony/telephony.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import {
  HAND_ICONS,
  handScenario,
  handTopology,
  pair,
  traffic,
  type HandIcon,
  type FaultDraft,
} from './hand-spec.js';

/** A fault as written in a test: each kind with its own keys (a distributive Omit). */
type F = FaultDraft;
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

/** One source event as our own observer saw it. */
interface Seen {
  t: number;
  ev: SourceEvent;
  id: number;
}

interface Run {
  center: Center;
  icon: IconResult;
  rows: DataLossRow[];
  row: (icon: string) => DataLossRow;
  /** Events of a source stored in no IDB of its ICONs. */
  lostAll: (pair: string) => number;
  counters: Record<string, number>;
  /** Source events of a pair emitted in [fromMs, toMs), as our own observer saw them. */
  emitted: (pair: string, fromMs: number, toMs: number) => number;
  /** Every source event of a pair, in order. */
  events: (pair: string) => Seen[];
  /** Calls graceful shutdown sent to the peer pool (telephony's onCallMoved). */
  moved: { from: number; to: number; serial: number; t: number }[];
  /** Calls telephony reported degraded (onCallDegraded). */
  degraded: { pool: number; serial: number }[];
  /** Start of the first data-source session of an ICON that began at or after `afterMs`. */
  connectedAt: (icon: string, afterMs: number) => number;
  /** An ICON's telephony data-source sessions, in the order they began (cs sessions: role cfg). */
  sessionsOf: (icon: string) => DssRow[];
}

function run(
  faults: F[],
  options: Record<string, OptionValue> = {},
  seed = 3,
  redundancy: 'hot' | 'warm' = 'hot',
  groups: typeof agents = agents,
): Run {
  const spec = handScenario(faults, {
    seed,
    durationMs: 2 * 3_600_000,
    topology: handTopology(redundancy, { icons: [...HAND_ICONS, ...TS_ICONS] }),
    traffic: load,
    agents: groups,
    options,
  });
  const center = new Center(spec, 0);
  const seen = new Map<number, Seen[]>();
  const moved: Run['moved'] = [];
  const degraded: Run['degraded'] = [];
  center.telephony.observe({
    onSourceEvent: (pool, ev, id) => {
      const list = seen.get(pool) ?? [];
      list.push({ t: center.sim.nowMs, ev, id });
      seen.set(pool, list);
    },
    onCallMoved: (from, to, serial) => moved.push({ from, to, serial, t: center.sim.nowMs }),
    onCallDegraded: (pool, serial) => degraded.push({ pool, serial }),
  });
  const r = center.run();
  const rows = r.icon.dataLoss;
  const events = (id: string) => seen.get(center.telephony.poolOf(pair(id))) ?? [];
  return {
    center,
    icon: r.icon,
    rows,
    row: (icon) => rows.find((x) => x.icon === icon)!,
    lostAll: (pair) => rows.find((x) => x.source === pair)!.lostAll,
    counters: r.counters,
    emitted: (pair, fromMs, toMs) => events(pair).filter((e) => e.t >= fromMs && e.t < toMs).length,
    events,
    moved,
    degraded,
    connectedAt: (icon, afterMs) => {
      const s = r.icon.sessions.find(
        (x) => x.icon === icon && x.source !== 'cs' && x.fromMs >= afterMs,
      );
      expect(s, `${icon} has a session starting after ${afterMs} ms`).toBeDefined();
      return s!.fromMs;
    },
    sessionsOf: (icon) => r.icon.sessions.filter((x) => x.icon === icon && x.source !== 'cs'),
  };
}

describe('no fault', () => {
  test('every IDB stores every event: nothing missing, nothing stuck, every window complete', () => {
    const x = run([]);
    expect(x.rows.map((r) => r.icon)).toEqual([
      'icon-a-1',
      'icon-a-2',
      'icon-b-1',
      'icon-b-2',
      'icon-t-1',
      'icon-t-2',
    ]);
    for (const r of x.rows) {
      expect(r.eventsExpected).toBeGreaterThan(3000);
      expect(r.eventsStored).toBe(r.eventsExpected);
      expect([
        r.eventsMissing,
        r.stuckCalls,
        r.stuckParties,
        r.gapMs,
        r.missingAttachedData,
      ]).toEqual([0, 0, 0, 0, 0]);
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
    for (const id of ['icon-a-1', 'icon-b-2', 'icon-t-1'])
      expect(x.row(id).eventsMissing).toBeGreaterThan(100);
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
    const x = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: at, durationMs: 10 * MIN }], {
      'use-dss-monitor': false,
    });
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
    const x = run([{ kind: 'idb-down', target: 'icon-a-1', atMs: T0, durationMs: 10 * MIN }], {
      'pq-size-max': 100,
    });
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
      {
        kind: 'network-partition',
        target: 'a-rep|a-sip-1',
        sideA: ['a-rep'],
        sideB: ['a-sip-1'],
        atMs: T0,
        durationMs: 3 * MIN,
      },
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
    const x = run([
      { kind: 'cti-link-down', target: 'ts-a-1', link: 'all', silent: false, atMs: T0 },
    ]);
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
    expect(x.counters['stuck_calls']).toBe(
      Math.max(x.row('icon-t-1').stuckCalls, x.row('icon-t-2').stuckCalls),
    );
  });

  test('switchover of the active server (host crash of a warm SIP primary): stuck parties and missing attached data', () => {
    const x = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], {}, 3, 'warm');
    for (const id of ['icon-a-1', 'icon-a-2']) {
      const r = x.row(id);
      expect(r.stuckParties).toBeGreaterThan(0);
      expect(r.missingAttachedData).toBeGreaterThan(0);
      expect(r.callsPartial).toBeGreaterThan(0); // calls first seen mid-way: wrong transitions
    }
    expect(x.sessionsOf('icon-a-1').map((s) => [s.server, s.reason, s.endReason])).toEqual([
      ['sip-a-1', 'first-connect', 'addp-timeout'],
      ['sip-a-2', 'switchover', undefined],
    ]);
    expect(x.row('icon-b-1').stuckParties).toBe(0);
    // The calls telephony degraded (onCallDegraded: each once, at this one switchover) continue
    // under new ConnIDs: each keeps its old record open in both IDBs.
    expect(x.degraded.length).toBe(x.counters['calls_degraded']);
    const onSipA = x.degraded.filter(
      (d) => d.pool === x.center.telephony.poolOf(pair('sip-a')),
    ).length;
    expect(onSipA).toBeGreaterThan(10);
    for (const id of ['icon-a-1', 'icon-a-2'])
      expect(x.row(id).stuckCalls).toBeGreaterThanOrEqual(onSipA);
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
    const long = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0 }], {
      'acc-queue-lifespan': 60_000,
    });
    expect(long.row('icon-a-1').lostInMemory).toBeGreaterThan(r.lostInMemory);
    const small = run([{ kind: 'process-crash', target: 'icon-a-1', atMs: T0 }], {
      'acc-queue-lifespan': 60_000,
      'acc-queue-size': 10,
    });
    expect(small.row('icon-a-1').lostInMemory).toBeLessThan(10);
  });
});

describe('hot standby source: the ICON is connected to both members (DOMAIN §4)', () => {
  const addpMs = 10_000; // client-addp-timeout

  test('host crash of the SIP primary: a hot pair loses no event, a warm pair loses the reconnection window', () => {
    const f: F[] = [{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }];
    const hot = run(f);
    const warm = run(f, {}, 3, 'warm');
    // Hot: connected to sip-a-2 from the start, the ICONs receive from it once it is promoted.
    const sessions = hot.sessionsOf('icon-a-1');
    expect(sessions.map((s) => [s.server, s.reason, s.endReason])).toEqual([
      ['sip-a-1', 'first-connect', 'addp-timeout'],
      ['sip-a-2', 'first-connect', undefined],
    ]);
    const promotedAt = sessions[1]!.switchoversMs[0]!;
    expect(promotedAt).toBeGreaterThan(T0 + 9_000); // SCS needs at least addp-timeout to notice
    expect(hot.emitted('sip-a', T0 + 1, promotedAt)).toBe(0); // no primary serves: nothing emitted
    expect(hot.emitted('sip-a', promotedAt, promotedAt + 10_000)).toBeGreaterThan(10);
    for (const id of ['icon-a-1', 'icon-a-2']) {
      const r = hot.row(id);
      expect([r.eventsMissing, r.gapMs, r.missingAttachedData, r.callsPartial]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(hot.sessionsOf(id)[1]!.switchoversMs).toEqual([promotedAt]);
    }
    expect(hot.lostAll('sip-a')).toBe(0);
    // Calls changed within ha-sync-lag still lose their ConnID: their parties stay open.
    expect(hot.row('icon-a-1').stuckParties).toBeGreaterThan(0);
    expect(hot.row('icon-a-1').stuckParties).toBeLessThan(warm.row('icon-a-1').stuckParties);
    // What is lost comes from ts-a alone: a warm T-Server pair whose primary ran on that host.
    expect(hot.lostAll('ts-a')).toBeGreaterThan(0);
    expect(hot.counters['icon_lost_all']).toBe(hot.lostAll('ts-a'));
    // Warm: the ICONs reconnect reconnect-timeout after noticing the loss; what sip-a-2 emitted
    // before the first of them was back is stored in no IDB.
    const back = Math.min(warm.connectedAt('icon-a-1', T0), warm.connectedAt('icon-a-2', T0));
    expect(back).toBeGreaterThan(promotedAt);
    expect(warm.lostAll('sip-a')).toBeGreaterThan(20);
    expect(
      Math.abs(warm.lostAll('sip-a') - warm.emitted('sip-a', T0 + 1, back)),
    ).toBeLessThanOrEqual(2);
    expect(warm.row('icon-a-1').gapMs).toBeGreaterThan(5_000);
  });

  test('graceful shutdown of the SIP primary: hot loses nothing and reconnects the restarted server at once; warm loses the reconnection window', () => {
    const f: F[] = [{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }];
    const hot = run(f);
    const warm = run(f, {}, 3, 'warm');
    expect(hot.counters['icon_lost_all']).toBe(0);
    for (const r of hot.rows) expect([r.eventsMissing, r.gapMs]).toEqual([0, 0]);
    expect(warm.lostAll('sip-a')).toBeGreaterThan(20);
    const s = hot.sessionsOf('icon-a-1');
    expect(s.map((x) => [x.server, x.reason, x.endReason])).toEqual([
      ['sip-a-1', 'first-connect', 'closed'],
      ['sip-a-2', 'first-connect', undefined],
      ['sip-a-1', 'source-restart', undefined], // the exited server restarts as backup (app-start-time 20 s)
    ]);
    expect(s[1]!.switchoversMs.length).toBe(1);
    expect(s[2]!.fromMs - s[0]!.toMs!).toBeGreaterThanOrEqual(19_990);
    expect(s[2]!.fromMs - s[0]!.toMs!).toBeLessThanOrEqual(20_010);
    expect(warm.sessionsOf('icon-a-1').map((x) => [x.server, x.reason])).toEqual([
      ['sip-a-1', 'first-connect'],
      ['sip-a-2', 'switchover'],
    ]);
  });

  test('manual switchovers: a demoted hot member keeps its clients (no new session, nothing lost); a warm one closes them', () => {
    const back = T0 + 10 * MIN;
    const f: F[] = [
      { kind: 'manual-switchover', target: 'sip-a', atMs: T0 },
      { kind: 'manual-switchover', target: 'sip-a', atMs: back },
    ];
    const hot = run(f);
    const warm = run(f, {}, 3, 'warm');
    for (const id of ['icon-a-1', 'icon-a-2']) {
      const s = hot.sessionsOf(id);
      expect(s.map((x) => [x.server, x.reason, x.endReason])).toEqual([
        ['sip-a-1', 'first-connect', undefined],
        ['sip-a-2', 'first-connect', undefined],
      ]);
      // Each switchover is recorded on the session of the member that took over.
      expect(s[1]!.switchoversMs).toHaveLength(1);
      expect(s[1]!.switchoversMs[0]).toBeGreaterThan(T0);
      expect(s[1]!.switchoversMs[0]).toBeLessThan(T0 + 5_000);
      expect(s[0]!.switchoversMs).toHaveLength(1);
      expect(s[0]!.switchoversMs[0]).toBeGreaterThan(back);
      expect(s[0]!.switchoversMs[0]).toBeLessThan(back + 5_000);
    }
    expect(hot.counters['icon_lost_all']).toBe(0);
    expect(warm.sessionsOf('icon-a-1').map((x) => [x.server, x.reason, x.endReason])).toEqual([
      ['sip-a-1', 'first-connect', 'closed'],
      ['sip-a-2', 'switchover', 'closed'],
      ['sip-a-1', 'switchover', undefined],
    ]);
    expect(warm.lostAll('sip-a')).toBeGreaterThan(2 * 10);
  });

  test('a crashed member is connected again as soon as it is Started: a second failure loses nothing either', () => {
    const second = T0 + 10 * MIN;
    const f: F[] = [
      { kind: 'process-crash', target: 'sip-a-1', atMs: T0 },
      { kind: 'process-crash', target: 'sip-a-2', atMs: second },
    ];
    const hot = run(f);
    const s = hot.sessionsOf('icon-a-1');
    expect(s.map((x) => [x.server, x.reason, x.endReason])).toEqual([
      ['sip-a-1', 'first-connect', 'closed'],
      ['sip-a-2', 'first-connect', 'closed'],
      ['sip-a-1', 'source-restart', undefined],
      ['sip-a-2', 'source-restart', undefined],
    ]);
    expect(s[2]!.fromMs).toBeGreaterThanOrEqual(T0 + 20_000); // app-start-time
    expect(s[2]!.fromMs).toBeLessThan(T0 + 21_000);
    expect(s[2]!.switchoversMs).toHaveLength(1);
    expect(s[2]!.switchoversMs[0]).toBeGreaterThan(second);
    expect(hot.counters['icon_lost_all']).toBe(0);
    for (const id of ['icon-a-1', 'icon-a-2']) expect(hot.row(id).eventsMissing).toBe(0);
    const warm = run(f, {}, 3, 'warm');
    expect(warm.lostAll('sip-a')).toBeGreaterThan(2 * 10);
  });

  test('source events are traffic on the ICON connection: ADDP declares a vanished primary lost 2 × client-addp-timeout after its last event', () => {
    for (const timeout of [addpMs, 4_000]) {
      const x = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], {
        'client-addp-timeout': timeout,
      });
      const last = x
        .events('sip-a')
        .filter((e) => e.t <= T0)
        .at(-1)!.t;
      expect(last).toBeGreaterThan(T0 - 2_000);
      // Without the events answering it, each ICON's poll would come at its own phase.
      for (const id of ['icon-a-1', 'icon-a-2'])
        expect(x.sessionsOf(id)[0]!.toMs).toBe(last + 2 * timeout);
    }
  });
});

describe('calls telephony moves or degrades (TelephonyObserver hooks)', () => {
  // Too few agents at site A: calls queue there and are waiting when the shutdown comes.
  const busy = [
    { group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' },
    ...agents.slice(1),
  ];
  const isCall = (e: Seen) => e.ev <= SourceEvent.Released;

  test('graceful shutdown sends calls to the peer site: the leaving source reports them released, the peer as new calls; nothing stuck', () => {
    const variants: Record<string, OptionValue>[] = [{}, { 'dr-peer-trunk': 'to-site-b' }];
    for (const options of variants) {
      const x = run(
        [{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }],
        options,
        3,
        'hot',
        busy,
      );
      const a = x.center.telephony.poolOf(pair('sip-a'));
      const b = x.center.telephony.poolOf(pair('sip-b'));
      const moved = x.moved.filter((m) => m.from === a);
      const queued = moved.filter((m) => m.t === T0); // re-routed from the queue at the shutdown
      expect(queued.length).toBeGreaterThan(5);
      if ('dr-peer-trunk' in options) expect(moved.length).toBeGreaterThan(queued.length + 10); // new calls: 302
      for (const m of moved) {
        expect(m.to).toBe(b);
        const onA = x.events('sip-a').filter((e) => isCall(e) && e.id === m.serial);
        if (m.t === T0) {
          // Announced on sip-a when queued there: released by sip-a at the move.
          expect(onA[0]!.ev).toBe(SourceEvent.CallCreated);
          expect(onA.at(-1)).toEqual({ t: m.t, ev: SourceEvent.Released, id: m.serial });
        } else {
          expect(onA).toEqual([]); // a new call redirected before sip-a announced it
        }
        const onB = x.events('sip-b').filter((e) => isCall(e) && e.id === m.serial);
        expect(onB[0]).toEqual({ t: m.t, ev: SourceEvent.CallCreated, id: m.serial });
      }
      for (const r of x.rows)
        expect([r.icon, r.stuckCalls, r.stuckParties, r.callsPartial]).toEqual([r.icon, 0, 0, 0]);
      expect(x.counters['icon_lost_all']).toBe(0);
      expect(x.counters['calls_dropped']).toBe(0);
    }
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
