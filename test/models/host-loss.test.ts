// The first end-to-end path: host loss → ADDP detection by SCS → switchover of the SIP pair.
import { describe, expect, test } from 'vitest';
import { Center, runReplication } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { app, handScenario } from './hand-spec.js';

const crashAt = 600_000;

function hostCrash(seed: number, addpMs?: number) {
  const options: Record<string, number> = addpMs === undefined ? {} : { 'addp-timeout': addpMs };
  const r = runReplication(
    handScenario(
      [{ kind: 'host-crash', target: 'a-sip-1', atMs: crashAt, durationMs: 1_200_000 }],
      { seed, options },
    ),
    0,
  );
  const sw = r.switchovers.filter((s) => s.pair === 'sip-a');
  expect(sw).toHaveLength(1);
  return { r, sw: sw[0]! };
}

describe('host crash of the primary SIP Server host', () => {
  test('detection lies in [addp-timeout, 2 × addp-timeout] and varies with the seed', () => {
    const detections: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const { sw } = hostCrash(seed);
      expect(sw.cause).toBe('host-failure');
      expect(sw.fault?.faultId).toBe('f0');
      expect(sw.from).toBe('sip-a-1');
      expect(sw.to).toBe('sip-a-2');
      const detection = sw.detectedAtMs - crashAt;
      expect(detection).toBeGreaterThanOrEqual(9_000);
      expect(detection).toBeLessThanOrEqual(18_000 + 10);
      // Promotion follows detection by switchover-time plus the order's trip to the LCA.
      const switchover = sw.completedAtMs! - crashAt;
      expect(switchover - detection).toBeGreaterThanOrEqual(500);
      expect(switchover - detection).toBeLessThan(600);
      detections.push(detection);
    }
    const spread = Math.max(...detections) - Math.min(...detections);
    expect(spread).toBeGreaterThan(5_000); // the polling phase differs between seeds
    expect(new Set(detections).size).toBeGreaterThan(20);
  });

  test('detection scales with addp-timeout', () => {
    for (const t of [3_000, 5_000, 20_000]) {
      for (let seed = 1; seed <= 10; seed++) {
        const d = hostCrash(seed, t).sw.detectedAtMs - crashAt;
        expect(d).toBeGreaterThanOrEqual(t);
        expect(d).toBeLessThanOrEqual(2 * t + 10);
      }
    }
  });

  test('the pair has no primary in service from the crash until promotion', () => {
    const { r, sw } = hostCrash(4);
    const pair = r.pairs.find((p) => p.id === 'sip-a')!;
    expect(pair.gapMaxMs).toBe(sw.completedAtMs! - crashAt);
    expect(r.splitBrainMs).toBe(0);
  });

  test('the restored host restarts its app as backup: no fail-back', () => {
    const { r } = hostCrash(2);
    expect(r.switchovers.filter((s) => s.pair === 'sip-a')).toHaveLength(1);
    expect(r.faults[0]!.clearedAtMs).toBe(crashAt + 1_200_000 + 120_000);
  });
});

describe('process crash of the primary SIP Server', () => {
  test('switchover far below a host crash: under 3 s', () => {
    const r = runReplication(
      handScenario([{ kind: 'process-crash', target: 'sip-a-1', atMs: crashAt }]),
      0,
    );
    const sw = r.switchovers.filter((s) => s.pair === 'sip-a');
    expect(sw).toHaveLength(1);
    expect(sw[0]!.cause).toBe('process-failure');
    const switchover = sw[0]!.completedAtMs! - crashAt;
    expect(switchover).toBeLessThan(3_000);
    expect(switchover).toBeGreaterThanOrEqual(500);
    // Auto-restart brings the old primary back (as backup) after app-start-time.
    expect(r.faults[0]!.clearedAtMs).toBeGreaterThan(crashAt + 20_000);
  });

  test('with a duration the process stays down until the end, then starts as backup', () => {
    const r = runReplication(
      handScenario([
        { kind: 'process-crash', target: 'sip-a-1', atMs: crashAt, durationMs: 300_000 },
      ]),
      0,
    );
    // SCS repeats the start (each takes app-start-time, the next one app-start-time after a
    // failure): the first attempt after the end of the duration brings it back.
    const cleared = r.faults[0]!.clearedAtMs!;
    expect(cleared).toBeGreaterThanOrEqual(crashAt + 300_000);
    expect(cleared).toBeLessThanOrEqual(crashAt + 300_000 + 20_000);
    expect(r.switchovers.filter((s) => s.pair === 'sip-a')).toHaveLength(1);
  });

  test('restart attempts repeat app-start-time apart, at most restart-attempts of them', () => {
    const starts = (attempts: number) => {
      const r = runReplication(
        handScenario(
          [{ kind: 'process-crash', target: 'sip-a-1', atMs: crashAt, durationMs: 3_570_000 }],
          { durationMs: 2 * 3_600_000, options: { 'restart-attempts': attempts } },
        ),
        0,
      );
      return r;
    };
    // 10 attempts of 20 s, 20 s apart: all fail early on; the operator's start at the end of the
    // duration (process-crash with a duration) brings the process back 20 s later.
    const r = starts(10);
    expect(r.faults[0]!.clearedAtMs).toBe(crashAt + 3_570_000 + 20_000);
    // Enough attempts: the one under way when the process can start again succeeds (attempts
    // start every 40 s: the one from 3,560 s to 3,580 s), before the operator's start would.
    const many = starts(200);
    const cleared = many.faults[0]!.clearedAtMs!;
    expect(cleared).toBeGreaterThanOrEqual(crashAt + 3_570_000);
    expect(cleared).toBeLessThan(crashAt + 3_570_000 + 20_000);
  });
});

describe('SCS pair', () => {
  test('host crash of the primary SCS host: the backup SCS promotes itself, then switches the Config Server', () => {
    const r = runReplication(
      handScenario([{ kind: 'host-crash', target: 'a-mgmt', atMs: crashAt }], { seed: 3 }),
      0,
    );
    const scs = r.switchovers.find((s) => s.pair === 'scs')!;
    const cs = r.switchovers.find((s) => s.pair === 'cs')!;
    expect(scs.to).toBe('scs-b');
    expect(scs.detectedAtMs - crashAt).toBeGreaterThanOrEqual(9_000);
    expect(cs.to).toBe('cs-b');
    expect(cs.completedAtMs!).toBeGreaterThan(scs.completedAtMs!);
  });
});

describe('host-boot-time', () => {
  // a-sip-2 (the backups' host) is down for a minute: its apps start once the restored host has
  // booted (host-boot-time) and its LCA has reconnected, and are Started app-start-time later.
  const restoreAt = crashAt + 60_000;
  function appRows(options: Record<string, number>) {
    const trace = new MemoryTrace();
    const spec = handScenario(
      [{ kind: 'host-crash', target: 'a-sip-2', atMs: crashAt, durationMs: 60_000 }],
      { durationMs: 1_200_000, options },
    );
    new Center(spec, 0, trace).run();
    const on = (state: string) =>
      trace.rows.filter(
        (r) =>
          r.tMs > restoreAt &&
          ['sip-a-2', 'ts-a-2', 'stat-a-2'].includes(r.component) &&
          r.state === state,
      );
    return { starting: on('starting'), started: on('backup started') };
  }

  for (const [label, options, bootMs] of [
    ['default 120 s', {}, 120_000],
    ['30 s', { 'host-boot-time': 30_000 }, 30_000],
    ['300 s', { 'host-boot-time': 300_000, 'app-start-time': 10_000 }, 300_000],
  ] as const) {
    test(`${label}: the apps start host-boot-time after the restore, Started app-start-time later`, () => {
      const startMs = 'app-start-time' in options ? options['app-start-time'] : 20_000;
      const { starting, started } = appRows(options);
      expect(starting).toHaveLength(3);
      expect(started).toHaveLength(3);
      for (const r of starting) {
        expect(r.tMs - restoreAt).toBeGreaterThanOrEqual(bootMs);
        expect(r.tMs - restoreAt).toBeLessThan(bootMs + 100); // the LCA's reconnect
      }
      for (const r of started) {
        expect(r.tMs - restoreAt).toBeGreaterThanOrEqual(bootMs + startMs);
        expect(r.tMs - restoreAt).toBeLessThan(bootMs + startMs + 100);
      }
    });
  }
});

describe('a host crash and its site’s crash together', () => {
  const rowsOf = (trace: MemoryTrace, host: string) =>
    trace.rows.filter((x) => x.component === host).map((x) => [x.tMs, x.state, x.cause]);

  test('a host whose own crash ends while its site is down stays down: no host boots in a site without power', () => {
    const trace = new MemoryTrace();
    const c = new Center(
      handScenario([
        { kind: 'host-crash', target: 'b-sip-1', atMs: crashAt - 40_000, durationMs: 80_000 },
        { kind: 'site-crash', target: 'B', atMs: crashAt },
      ]),
      0,
      trace,
    );
    c.run();
    // Before, b-sip-1 booted at crashAt + 40 s (its crash's end) inside the dead site, and its
    // SIP Server came back: B's pool in service without B.
    expect(rowsOf(trace, 'b-sip-1').slice(2)).toEqual([
      [crashAt + 40_000, 'restore-waits', 'site-crash B'],
    ]);
    expect(c.apps.get(app('sip-b-1'))!.up).toBe(false);
  });

  test('the site restored while one of its hosts is still crashed: that host waits for its own restore', () => {
    const trace = new MemoryTrace();
    const restoreAt = crashAt + 600_000;
    const c = new Center(
      handScenario([
        { kind: 'host-crash', target: 'a-sip-1', atMs: crashAt },
        { kind: 'site-crash', target: 'A', atMs: crashAt + 60_000, durationMs: 300_000 },
        { kind: 'host-restore', target: 'a-sip-1', atMs: restoreAt },
      ]),
      0,
      trace,
    );
    c.run();
    const siteBack = crashAt + 360_000;
    expect(rowsOf(trace, 'a-sip-1').filter((r) => (r[0] as number) >= siteBack)).toEqual([
      [siteBack, 'restore-waits', 'host-crash'],
      [restoreAt, 'booting', 'f2'],
      [restoreAt + 120_000, 'up', 'booted'],
    ]);
    expect(rowsOf(trace, 'a-sip-2').filter((r) => r[0] === siteBack)).toEqual([
      [siteBack, 'booting', 'f1-end'],
    ]);
  });
});
