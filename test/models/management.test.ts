// The management rows of DOMAIN §11, one scenario each, with the outcome an architect expects.
import { describe, expect, test } from 'vitest';
import { Center, runReplication } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { handScenario, handTopology, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const T0 = 600_000;
const run = (faults: F[], opts: Parameters<typeof handScenario>[1] = {}) =>
  runReplication(handScenario(faults, opts), 0);
const sw = (r: ReturnType<typeof run>, pair: string) =>
  r.switchovers.filter((s) => s.pair === pair);
const pair = (r: ReturnType<typeof run>, id: string) => r.pairs.find((p) => p.id === id)!;

describe('process-hang', () => {
  test('heartbeat-period 0: no switchover at all, the pair serves nothing until the end', () => {
    const r = run([{ kind: 'process-hang', target: 'sip-a-1', atMs: T0 }]);
    expect(sw(r, 'sip-a')).toHaveLength(0);
    expect(pair(r, 'sip-a').gapMaxMs).toBe(3_600_000 - T0);
  });

  test('heartbeat-period 10 s: detected within (10 s, 20 s], switched over (cause hang), restarted', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = run([{ kind: 'process-hang', target: 'sip-a-1', atMs: T0 }], {
        seed,
        options: { 'heartbeat-period': 10_000 },
      });
      const s = sw(r, 'sip-a');
      expect(s).toHaveLength(1);
      expect(s[0]!.cause).toBe('hang');
      const detection = s[0]!.detectedAtMs - T0;
      expect(detection).toBeGreaterThan(10_000);
      expect(detection).toBeLessThanOrEqual(20_000 + 5);
      expect(r.faults[0]!.clearedAtMs).toBeGreaterThan(T0 + 20_000); // restarted by the LCA
    }
  });

  test('faults.csv: a hang with a duration is cleared when it ends; an operator start of a running app at once', () => {
    const r = run([
      { kind: 'process-hang', target: 'sip-a-1', atMs: T0, durationMs: 120_000 },
      { kind: 'process-start', target: 'stat-a-1', atMs: T0 + 60_000 }, // running: nothing to do
      { kind: 'process-crash', target: 'stat-a-1', atMs: T0 + 300_000 }, // its restart clears only this
    ]);
    const cleared = Object.fromEntries(r.faults.map((f) => [f.kind, f.clearedAtMs]));
    expect(cleared['process-hang']).toBe(T0 + 120_000);
    expect(cleared['process-start']).toBe(T0 + 60_000);
    expect(cleared['process-crash']).toBeGreaterThan(T0 + 300_000);
  });

  test('hangup-restart false: switched over, the hung process is left alone', () => {
    const r = run([{ kind: 'process-hang', target: 'sip-a-1', atMs: T0 }], {
      options: { 'heartbeat-period': 10_000, 'hangup-restart': false },
    });
    expect(sw(r, 'sip-a')[0]!.cause).toBe('hang');
    expect(r.faults[0]!.clearedAtMs).toBeUndefined();
  });

  test('hangup-restart false: a detected hang of the backup that ends by itself is reported at the next heartbeat; the backup takes over a later crash at once', () => {
    const r = run(
      [
        { kind: 'process-hang', target: 'sip-a-2', atMs: T0, durationMs: 60_000 },
        { kind: 'process-crash', target: 'sip-a-1', atMs: T0 + 600_000 },
      ],
      { options: { 'heartbeat-period': 10_000, 'hangup-restart': false } },
    );
    const s = sw(r, 'sip-a');
    // Before, SCS kept sip-a-2 as hung and waited for sip-a-1's restart (cause recovery, ~20 s).
    expect(s).toHaveLength(1);
    expect(s[0]!.cause).toBe('process-failure');
    expect(s[0]!.to).toBe('sip-a-2');
    expect(pair(r, 'sip-a').gapMaxMs).toBeLessThan(1_000);
  });

  test('hangup-restart false: a hang seen before an operator restart does not make a later unseen one look seen', () => {
    const trace = new MemoryTrace();
    new Center(
      handScenario(
        [
          { kind: 'process-hang', target: 'sip-a-2', atMs: T0 },
          { kind: 'process-start', target: 'sip-a-2', atMs: T0 + 120_000 },
          // Shorter than a heartbeat period: the LCA never sees it, nor its end.
          { kind: 'process-hang', target: 'sip-a-2', atMs: T0 + 300_000, durationMs: 3_000 },
        ],
        { options: { 'heartbeat-period': 10_000, 'hangup-restart': false } },
      ),
      0,
      trace,
    ).run();
    const rows = (state: string) =>
      trace.rows.filter((x) => x.component === 'lca:a-sip-2' && x.state === state);
    expect(rows('hang-detected')).toHaveLength(1);
    expect(rows('hang-ended')).toHaveLength(0);
  });

  test('heartbeat-period 0: the hang stays hidden from a reconnecting SCS and from a guard change', () => {
    // The LCA restarts (its snapshot on reconnect) and the hung Config Server loses its
    // database (its promotion guard changes): before, both told SCS 'hung' and it switched over.
    const r = run(
      [
        { kind: 'process-hang', target: 'sip-a-1', atMs: T0 },
        { kind: 'lca-crash', target: 'a-sip-1', atMs: T0 + 60_000, durationMs: 30_000 },
        { kind: 'process-hang', target: 'cs-a', atMs: T0 },
        { kind: 'confdb-down', target: 'cs-a', atMs: T0 + 60_000 },
      ],
      { options: { 'disconnect-switchover-timeout': 120_000 } },
    );
    expect(sw(r, 'sip-a')).toHaveLength(0);
    expect(sw(r, 'cs')).toHaveLength(0);
    expect(pair(r, 'sip-a').gapMaxMs).toBe(3_600_000 - T0);
  });
});

describe('lca-crash', () => {
  test('SCS reads host failure and promotes the backup while the old primary runs: split brain until the LCA returns', () => {
    const r = run([{ kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 300_000 }]);
    const s = sw(r, 'sip-a');
    expect(s[0]!.cause).toBe('host-failure');
    expect(s[0]!.detectedAtMs - T0).toBeLessThan(100); // the LCA's connection closed: seen at once
    const split = pair(r, 'sip-a').splitBrainMs;
    expect(split).toBeGreaterThan(290_000);
    expect(split).toBeLessThan(320_000);
    expect(r.splitBrainMs).toBeGreaterThanOrEqual(split);
  });

  test('disconnect-switchover-timeout longer than the LCA outage: no switchover', () => {
    const r = run([{ kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 20_000 }], {
      options: { 'disconnect-switchover-timeout': 60_000 },
    });
    expect(sw(r, 'sip-a')).toHaveLength(0);
    expect(r.splitBrainMs).toBe(0);
  });

  test('disconnect-switchover-timeout shorter than the outage: switchover after it', () => {
    const r = run([{ kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 300_000 }], {
      options: { 'disconnect-switchover-timeout': 30_000 },
    });
    const s = sw(r, 'sip-a')[0]!;
    expect(s.completedAtMs! - T0).toBeGreaterThanOrEqual(30_000);
    expect(s.completedAtMs! - T0).toBeLessThan(31_000);
  });

  test('disconnect-switchover-timeout: a host back within it whose primary does not run: the running backup takes over then', () => {
    // The host is lost for 10 s and boots in 120 s: its LCA is back ~130 s after the crash,
    // inside the 200 s wait, and reports sip-a-1 stopped. The wait has its answer: SCS promotes
    // sip-a-2 (running as backup all along) at once, not the restarted sip-a-1 20 s later.
    const r = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0, durationMs: 10_000 }], {
      options: { 'disconnect-switchover-timeout': 200_000 },
    });
    const s = sw(r, 'sip-a');
    expect(s).toHaveLength(1);
    expect(s[0]!.to).toBe('sip-a-2');
    expect(s[0]!.cause).toBe('host-failure');
    expect(s[0]!.completedAtMs! - T0).toBeGreaterThan(130_000);
    expect(s[0]!.completedAtMs! - T0).toBeLessThan(131_000);
  });

  test('Config Server backup refuses while it still sees its primary', () => {
    const r = run([{ kind: 'lca-crash', target: 'a-mgmt', atMs: T0, durationMs: 300_000 }]);
    const cs = sw(r, 'cs');
    expect(cs.length).toBeGreaterThan(0);
    expect(
      cs.every((s) => s.completedAtMs === undefined && /still connected/.test(s.failure ?? '')),
    ).toBe(true);
    expect(pair(r, 'cs').splitBrainMs).toBe(0);
    expect(sw(r, 'scs')).toHaveLength(0); // backup SCS still sees the primary SCS
  });
});

describe('CTI links', () => {
  test('one of two CTI links down: no switchover, no service gap', () => {
    const r = run([
      {
        kind: 'cti-link-down',
        target: 'ts-a-1',
        link: 1,
        silent: false,
        atMs: T0,
        durationMs: 600_000,
      },
    ]);
    expect(sw(r, 'ts-a')).toHaveLength(0);
    expect(pair(r, 'ts-a').gapMaxMs).toBe(0);
  });

  test('the only CTI link down: Service Unavailable, switchover to the backup whose link is up', () => {
    const topology = handTopology('hot', { ctiLinks: 1 });
    const r = run([{ kind: 'cti-link-down', target: 'ts-a-1', link: 1, silent: false, atMs: T0 }], {
      topology,
    });
    const s = sw(r, 'ts-a');
    expect(s).toHaveLength(1);
    expect(s[0]!.cause).toBe('service-unavailable');
    expect(s[0]!.to).toBe('ts-a-2');
    expect(s[0]!.completedAtMs! - T0).toBeLessThan(1_000);
  });

  test('a silent link failure is seen after kpl-interval × kpl-tolerance (30–40 s)', () => {
    const topology = handTopology('hot', { ctiLinks: 1 });
    for (let seed = 1; seed <= 6; seed++) {
      const r = run(
        [{ kind: 'cti-link-down', target: 'ts-a-1', link: 1, silent: true, atMs: T0 }],
        { topology, seed },
      );
      const d = sw(r, 'ts-a')[0]!.detectedAtMs - T0;
      expect(d).toBeGreaterThanOrEqual(30_000);
      expect(d).toBeLessThanOrEqual(40_100);
    }
  });

  test('the backup loses its CTI link while it is promoted: that switchover failed, the restarted primary recovers', () => {
    // ts-a-1 crashes; 200 ms later, within the promotion, ts-a-2's only link goes. ts-a-2 is
    // primary but Service Unavailable: no service came back with it. Before, the switchover read
    // completed after 0.5 s while the pair was out of service for ~20 s.
    const topology = handTopology('hot', { ctiLinks: 1 });
    const r = run(
      [
        { kind: 'process-crash', target: 'ts-a-1', atMs: T0 },
        { kind: 'cti-link-down', target: 'ts-a-2', link: 1, silent: false, atMs: T0 + 200 },
      ],
      { topology },
    );
    const s = sw(r, 'ts-a');
    const first = s.find((x) => x.to === 'ts-a-2')!;
    expect(first.completedAtMs).toBeUndefined();
    expect(first.failure).toBe('promoted service-unavailable');
    const recovery = s.find((x) => x.cause === 'recovery')!;
    expect(recovery.to).toBe('ts-a-1');
    expect(recovery.completedAtMs! - T0).toBeGreaterThan(15_000);
    expect(pair(r, 'ts-a').gapMaxMs).toBeGreaterThan(15_000);
  });

  test('switch-link-down: both servers Service Unavailable, no switchover; back after switch-link-up', () => {
    const r = run([
      { kind: 'switch-link-down', target: 'ts-a', silent: false, atMs: T0 },
      { kind: 'switch-link-up', target: 'ts-a', silent: false, atMs: T0 + 120_000 },
    ]);
    // Nothing switches while both are down (an order sent on a stale view is refused)...
    const during = sw(r, 'ts-a').filter(
      (s) => s.completedAtMs !== undefined && s.completedAtMs < T0 + 120_000,
    );
    expect(during).toHaveLength(0);
    const gap = pair(r, 'ts-a').gapMaxMs;
    expect(gap).toBeGreaterThanOrEqual(120_000);
    expect(gap).toBeLessThanOrEqual(122_100); // the next reconnect attempt (connect-tout)
  });
});

describe('licences', () => {
  test('without the HA licence a failed primary is only restarted', () => {
    const topology = handTopology('hot', { ha: false });
    const r = run([{ kind: 'process-crash', target: 'sip-a-1', atMs: T0 }], { topology });
    expect(sw(r, 'sip-a')).toHaveLength(0);
    // It comes back as backup and nothing makes it primary: no service from then on.
    expect(pair(r, 'sip-a').gapMaxMs).toBe(3_600_000 - T0);
  });

  test('hot telephony pair without the cti-ha licence: neither server starts', () => {
    const topology = handTopology('hot', { ctiHa: false });
    const r = run([], { topology });
    expect(pair(r, 'sip-a').gapMaxMs).toBe(3_600_000);
    expect(pair(r, 'ts-a').gapMaxMs).toBe(0); // warm T-Server pair does not need it
  });
});

describe('SCS pair and partitions', () => {
  test('process crash of the primary SCS: the backup promotes itself within a second', () => {
    const r = run([{ kind: 'process-crash', target: 'scs-a', atMs: T0 }]);
    const s = sw(r, 'scs');
    expect(s[0]!.to).toBe('scs-b');
    expect(s[0]!.completedAtMs! - T0).toBeLessThan(1_000);
  });

  test('network partition between sites: the backup SCS promotes itself; split brain until heal', () => {
    const topology = handTopology();
    const sites = topology.sites;
    const r = run(
      [
        {
          kind: 'network-partition',
          target: 'A|B',
          sideA: sites[0]!.hosts,
          sideB: sites[1]!.hosts,
          atMs: T0,
          durationMs: 600_000,
        },
      ],
      { topology },
    );
    const s = sw(r, 'scs');
    expect(s[0]!.to).toBe('scs-b');
    expect(s[0]!.detectedAtMs - T0).toBeGreaterThanOrEqual(9_000);
    expect(pair(r, 'scs').splitBrainMs).toBeGreaterThan(500_000);
    // The backup Config Server lost its primary too: it obeys, both sides run a primary.
    expect(pair(r, 'cs').splitBrainMs).toBeGreaterThan(500_000);
    // A pair wholly inside site A is out of scs-b's reach: it is not touched.
    expect(sw(r, 'sip-a')).toHaveLength(0);
    expect(r.splitBrainMs).toBeLessThan(620_000);
  });

  test('manual switchover: the backup becomes primary in about switchover-time', () => {
    const r = run([{ kind: 'manual-switchover', target: 'sip-b', atMs: T0 }]);
    const s = sw(r, 'sip-b')[0]!;
    expect(s.cause).toBe('manual');
    expect(s.to).toBe('sip-b-2');
    expect(s.completedAtMs! - T0).toBeLessThan(700);
    expect(pair(r, 'sip-b').splitBrainMs).toBe(0);
  });
});

describe('heartbeat-period minimum for the management layer', () => {
  test('a hung Config Server is seen after at least 40 s even with heartbeat-period 10 s', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = run([{ kind: 'process-hang', target: 'cs-a', atMs: T0 }], {
        seed,
        options: { 'heartbeat-period': 10_000 },
      });
      const s = sw(r, 'cs')[0]!;
      expect(s.cause).toBe('hang');
      expect(s.detectedAtMs - T0).toBeGreaterThan(40_000);
      expect(s.detectedAtMs - T0).toBeLessThanOrEqual(80_000 + 5);
    }
  });
});

describe('Config Server guard (DOMAIN §12)', () => {
  test('the backup obeys only once its own ADDP lost the primary: never before client-addp-timeout', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = run([{ kind: 'host-crash', target: 'a-mgmt', atMs: T0 }], { seed });
      const done = sw(r, 'cs').filter((s) => s.completedAtMs !== undefined);
      expect(done).toHaveLength(1);
      expect(done[0]!.completedAtMs! - T0).toBeGreaterThanOrEqual(10_000); // client-addp-timeout
      expect(done[0]!.completedAtMs! - T0).toBeLessThanOrEqual(2 * 10_000 + 1_000);
      // A refusal before that is one row, not one per report.
      expect(sw(r, 'cs').length).toBeLessThanOrEqual(2);
    }
  });

  test('without its Configuration Database the backup refuses; ordered again on confdb-up', () => {
    const r = run([
      { kind: 'confdb-down', target: 'cs-b', atMs: T0 - 60_000 },
      { kind: 'host-crash', target: 'a-mgmt', atMs: T0 },
      { kind: 'confdb-up', target: 'cs-b', atMs: T0 + 300_000 },
    ]);
    const rows = sw(r, 'cs');
    const refused = rows.filter((s) => /no Configuration Database/.test(s.failure ?? ''));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const done = rows.filter((s) => s.completedAtMs !== undefined);
    expect(done).toHaveLength(1);
    expect(done[0]!.completedAtMs! - (T0 + 300_000)).toBeGreaterThanOrEqual(0);
    expect(done[0]!.completedAtMs! - (T0 + 300_000)).toBeLessThan(1_000);
    expect(pair(r, 'cs').gapMaxMs).toBeGreaterThan(280_000);
  });

  test('the backup losing its database during its promotion does not become primary: refused; cs-a takes the role back once restarted', () => {
    // Where the order reaches cs-b: switchover-time (500 ms) before the promotion completes.
    const crash: F = { kind: 'process-crash', target: 'cs-a', atMs: T0 };
    const alone = sw(run([crash]), 'cs');
    expect(alone).toHaveLength(1);
    const promotedAt = alone[0]!.completedAtMs!;
    const upAt = T0 + 300_000;
    const r = run([
      crash,
      { kind: 'confdb-down', target: 'cs-b', atMs: promotedAt - 200 },
      { kind: 'confdb-up', target: 'cs-b', atMs: upAt },
    ]);
    const rows = sw(r, 'cs');
    expect(rows[0]!.completedAtMs).toBeUndefined();
    expect(rows[0]!.failure).toMatch(/no Configuration Database/);
    // cs-a, restarted by its LCA (app-restart 20 s), is ordered to primary: the only promotion.
    const done = rows.filter((s) => s.completedAtMs !== undefined);
    expect(done).toHaveLength(1);
    expect(done[0]!.to).toBe('cs-a');
    expect(done[0]!.completedAtMs! - T0).toBeGreaterThan(20_000);
    expect(done[0]!.completedAtMs! - T0).toBeLessThan(25_000);
    expect(pair(r, 'cs').gapMaxMs).toBe(done[0]!.completedAtMs! - T0);
  });
});

const SITE_A = handTopology().sites[0]!.hosts;
const SITE_B = handTopology().sites[1]!.hosts;

describe('SCS keeps deciding (DOMAIN §12)', () => {
  test('Service Unavailable on both: no switchover, no demotion; the primary serves again first', () => {
    const r = run([
      { kind: 'switch-link-down', target: 'ts-a', silent: false, atMs: T0 },
      { kind: 'cti-link-up', target: 'ts-a-1', link: 'all', silent: false, atMs: T0 + 60_000 },
      { kind: 'cti-link-up', target: 'ts-a-2', link: 'all', silent: false, atMs: T0 + 120_000 },
    ]);
    expect(sw(r, 'ts-a').filter((s) => s.completedAtMs !== undefined)).toHaveLength(0);
    expect(pair(r, 'ts-a').gapMaxMs).toBeLessThan(61_000);
  });

  test('an order whose target LCA is cut off is dropped: a crash after the heal is switched over', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = run(
        [
          {
            kind: 'network-partition',
            target: 'A|B',
            sideA: SITE_A,
            sideB: SITE_B,
            atMs: T0,
            durationMs: 600_000,
          },
          { kind: 'process-crash', target: 'sip-b-1', atMs: T0 + 1_800_000 },
        ],
        { seed, durationMs: 2 * 3_600_000 },
      );
      const crash = sw(r, 'sip-b').filter((s) => s.fault?.faultId === 'f1');
      expect(crash.filter((s) => s.completedAtMs !== undefined)).toHaveLength(1);
      expect(pair(r, 'sip-b').gapMaxMs).toBeLessThan(2_000);
    }
  });

  test('a demotion a hung process could not read is carried out when the hang ends', () => {
    const r = run([
      { kind: 'process-hang', target: 'stat-a-1', atMs: T0, durationMs: 600_000 },
      { kind: 'manual-switchover', target: 'stat-a', atMs: T0 + 60_000 },
    ]);
    expect(sw(r, 'stat-a').filter((s) => s.completedAtMs !== undefined)).toHaveLength(1);
    expect(pair(r, 'stat-a').splitBrainMs).toBe(0);
  });
});

describe('recovery is not a switchover (SPEC §5.3)', () => {
  test('a site outage: the pairs back after the restore are recoveries, not 30-minute switchovers', () => {
    const r = run([{ kind: 'site-crash', target: 'A', atMs: T0, durationMs: 1_800_000 }], {
      durationMs: 2 * 3_600_000,
    });
    const back = sw(r, 'sip-a').filter((s) => s.completedAtMs !== undefined);
    expect(back).toHaveLength(1);
    expect(back[0]!.cause).toBe('recovery');
    expect(back[0]!.completedAtMs! - T0).toBeGreaterThan(1_800_000); // host boot + app start
    // Every completed switchover (not a recovery) of the run is a promotion of a running member.
    for (const s of r.switchovers.filter(
      (x) => x.completedAtMs !== undefined && x.cause !== 'recovery',
    )) {
      expect(s.completedAtMs! - T0).toBeLessThan(60_000);
    }
  });
});

describe('disconnect-switchover-timeout delays only a switchover after an LCA loss', () => {
  const opts = { options: { 'disconnect-switchover-timeout': 60_000 } };

  test('a manual switchover completes within a second of the order', () => {
    const r = run([{ kind: 'manual-switchover', target: 'sip-a', atMs: T0 }], opts);
    const s = sw(r, 'sip-a');
    expect(s).toHaveLength(1);
    expect(s[0]!.completedAtMs! - T0).toBeLessThan(1_000);
  });

  test('a Service Unavailable switchover (the only CTI link down) completes within a second', () => {
    const topology = handTopology('hot', { ctiLinks: 1 });
    const r = run(
      [{ kind: 'cti-link-down', target: 'ts-a-1', link: 'all', silent: false, atMs: T0 }],
      { ...opts, topology },
    );
    const s = sw(r, 'ts-a');
    expect(s).toHaveLength(1);
    expect(s[0]!.cause).toBe('service-unavailable');
    expect(s[0]!.completedAtMs! - T0).toBeLessThan(1_000);
  });

  test('control: after an LCA loss the switchover waits the timeout out', () => {
    const r = run([{ kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 300_000 }], opts);
    const s = sw(r, 'sip-a').filter((x) => x.completedAtMs !== undefined);
    expect(s).toHaveLength(1);
    expect(s[0]!.completedAtMs! - T0).toBeGreaterThanOrEqual(60_000);
  });
});

describe('a primary is ordered to backup only once the backup has taken the primary role (DOMAIN §12)', () => {
  const topology = handTopology('hot', { ctiLinks: 1 });
  const linkDown: F = {
    kind: 'cti-link-down',
    target: 'ts-a-1',
    link: 'all',
    silent: false,
    atMs: T0,
  };
  const rows = (faults: F[]) => {
    const trace = new MemoryTrace();
    new Center(handScenario(faults, { topology, durationMs: 1_200_000 }), 0, trace).run();
    return trace.rows.filter((r) => r.tMs >= T0);
  };

  test('Service Unavailable: the demotion of the old primary follows the new primary’s start', () => {
    const r = rows([linkDown]);
    const promoted = r.findIndex((x) => x.component === 'ts-a-2' && x.state === 'primary started');
    const ordered = r.findIndex((x) => x.component === 'ts-a' && x.state === 'demote-ordered');
    const demoted = r.findIndex((x) => x.component === 'ts-a-1' && x.cause === 'demoted');
    expect(promoted).toBeGreaterThanOrEqual(0);
    expect(ordered).toBeGreaterThan(promoted);
    expect(r[ordered]!.cause).toMatch(/^ts-a-1:/);
    expect(demoted).toBeGreaterThan(promoted);
  });

  test('the backup dies during its promotion: no demotion until it has restarted and taken the role', () => {
    // switchover-time is 500 ms: the backup crashes 200 ms into it and is restarted
    // app-start-time (20 s) later, as backup; only then is it promoted and ts-a-1 demoted.
    const r = rows([linkDown, { kind: 'process-crash', target: 'ts-a-2', atMs: T0 + 200 }]);
    const before = r.filter((x) => x.tMs < T0 + 20_000);
    expect(before.some((x) => x.component === 'ts-a-2' && x.state === 'primary started')).toBe(
      false,
    );
    expect(before.some((x) => x.component === 'ts-a' && x.state === 'demote-ordered')).toBe(false);
    expect(before.some((x) => x.component === 'ts-a-1' && x.cause === 'demoted')).toBe(false);
    const promoted = r.findIndex((x) => x.component === 'ts-a-2' && x.state === 'primary started');
    const ordered = r.findIndex((x) => x.component === 'ts-a' && x.state === 'demote-ordered');
    expect(promoted).toBeGreaterThanOrEqual(0);
    expect(ordered).toBeGreaterThan(promoted);
  });
});
