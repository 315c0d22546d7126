// Graceful shutdown of a SIP Server waits for the calls its agents took across sites (issue #17):
// a call delivered from site A to an agent at site B runs through both SIP Servers, so B's
// server draining must not exit while B's agents still talk to A's callers. Budget: ~1 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { handScenario, handTopology, split, traffic } from './hand-spec.js';

const T0 = 1_200_000;

function run() {
  // Every call enters at A; its only group (support) works at B: every call crosses the WAN.
  const spec = handScenario([{ kind: 'graceful-shutdown', target: 'sip-b-1', atMs: T0 }], {
    seed: 6,
    durationMs: 2_400_000,
    topology: handTopology('warm', { urs: true }),
    traffic: traffic(600, 180_000, { siteSplit: { A: 1, B: 0 }, patienceMs: 120_000 }),
    agents: [
      { group: 'sales', count: 2, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' },
    ],
  });
  spec.traffic!.services = [
    {
      name: 'support',
      callsPerHour: 600,
      groups: ['support'],
      siteSplit: split({ A: 1, B: 0 }),
      handleTime: spec.traffic!.handleTime,
      wrapUpMs: 0,
      patienceMs: 120_000,
    },
  ];
  spec.routing = { policy: 'pooled', overflowAfterMs: 0 };
  const center = new Center(spec, 0);
  const r = center.run();
  return { r, t: center.telephony.totals };
}

describe('graceful shutdown and calls across sites', () => {
  test("the draining server at B exits only once B's agents ended the calls they took from A", () => {
    const { r, t } = run();
    expect(t.overflowed).toBeGreaterThan(100);
    const sw = r.switchovers.find((s) => s.pair === 'sip-b')!;
    expect(sw.cause).toBe('shutdown');
    // About 30 calls talk at B when the drain starts (600/h × 3 min); the last of them ends
    // minutes later: the server waits for it, so no call is cut or loses its control.
    expect(sw.drainEndMs! - T0).toBeGreaterThan(60_000);
    expect(t.dropped).toBe(0);
    expect(t.degraded).toBe(0);
  });
});

/**
 * Every call enters at A; the only agents work at B; the WAN loses (nearly) everything, so every
 * call is held ringing for a B agent until Timer B (64 × sip-t1 = 32 s), then routed anew.
 * `drained` (sip-a-1 or sip-b-1) starts a graceful shutdown at T_DRAIN. addp-timeout is long so
 * that SCS declares nothing lost meanwhile. Returns the run and when the drained server exited.
 */
const T_DRAIN = 5 * 60_000;
function heldAcrossWan(drained: string) {
  const spec = handScenario(
    [
      {
        kind: 'wan-degrade',
        target: 'A|B',
        sites: ['A', 'B'],
        latencyMs: 0,
        loss: 0.999,
        atMs: 0,
      },
      { kind: 'graceful-shutdown', target: drained, atMs: T_DRAIN },
    ],
    {
      seed: 7,
      durationMs: 15 * 60_000,
      options: { 'addp-timeout': 7_200_000 },
      topology: handTopology('hot', { urs: true }),
      traffic: traffic(600, 180_000, { siteSplit: { A: 1, B: 0 }, patienceMs: 600_000 }),
      agents: [{ group: 'support', count: 10, preferredSite: 'B', peerSite: 'A' }],
    },
  );
  spec.routing = { policy: 'pooled', overflowAfterMs: 0 };
  const trace = new MemoryTrace();
  const center = new Center(spec, 0, trace);
  center.run();
  const exit = trace.rows.find(
    (r) => r.component === drained && r.state === 'graceful-shutdown' && r.cause === 'exit',
  );
  return { totals: center.telephony.totals, exitMs: exit?.tMs };
}

describe('graceful shutdown and an INVITE across the WAN that times out (Timer B)', () => {
  test("the draining server at B exits once the last INVITE held for one of B's agents gives up", () => {
    // When B's server drains, the only calls it carries are such held legs: it must exit when
    // the last one gives up, not at graceful-shutdown-max. None is ever answered.
    const { totals, exitMs } = heldAcrossWan('sip-b-1');
    expect(exitMs).toBeDefined();
    // Every held INVITE gives up within Timer B of the drain's start.
    expect(exitMs! - T_DRAIN).toBeLessThanOrEqual(32_000);
    expect(exitMs! - T_DRAIN).toBeGreaterThan(0); // it did carry held calls
    expect(totals.answered).toBe(0);
  });

  test('a call whose INVITE gives up while its own entry server drains goes to the peer site', () => {
    // A's server drains: the calls it still holds must not wait in a queue at A that no agent
    // serves (the drain logged A's agents out): like the calls queued at the drain's start they
    // go to B's queue, where B's agents answer them, and A's server exits within Timer B.
    const { totals, exitMs } = heldAcrossWan('sip-a-1');
    expect(exitMs).toBeDefined();
    expect(exitMs! - T_DRAIN).toBeGreaterThan(0); // it did hold calls
    expect(exitMs! - T_DRAIN).toBeLessThanOrEqual(32_000);
    expect(totals.redirected).toBeGreaterThan(0);
    expect(totals.answered).toBeGreaterThan(0); // by B's agents, once at B
    expect(totals.dropped).toBe(0);
  });
});

/**
 * Every call enters at A (600 an hour); 40 sales agents work there (DR off). Runs `faults` with
 * the trace kept.
 */
function atSiteA(faults: Parameters<typeof handScenario>[0], seed: number, durationMs: number) {
  const trace = new MemoryTrace();
  const spec = handScenario(faults, {
    seed,
    durationMs,
    traffic: traffic(600, 180_000, { siteSplit: { A: 1, B: 0 } }),
    agents: [{ group: 'sales', count: 40, preferredSite: 'A', peerSite: 'B' }],
  });
  const center = new Center(spec, 0, trace);
  const r = center.run();
  return { r, t: center.telephony.totals, trace, center };
}

describe('graceful shutdown while SCS cannot switch to the backup', () => {
  test('the drained server exits once; restarted, it serves again (the drain was the old process’s)', () => {
    // sip-a-1 drains; meanwhile a-sip-2's LCA dies, so SCS takes sip-a-2 for lost and cannot
    // switch to it when sip-a-1 exits: it restarts sip-a-1, which takes the role back. The
    // restarted process must not drain and exit again (it did, every few seconds, for as long
    // as the LCA was down).
    const { r, trace, center } = atSiteA(
      [
        { kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 },
        { kind: 'lca-crash', target: 'a-sip-2', atMs: T0 + 60_000, durationMs: 1_200_000 },
      ],
      3,
      3_600_000,
    );
    const exits = trace.rows.filter(
      (x) => x.component === 'sip-a-1' && x.state === 'graceful-shutdown' && x.cause === 'exit',
    );
    expect(exits).toHaveLength(1);
    expect(exits[0]!.tMs).toBeLessThan(T0 + 60_000 + 1_200_000); // while the LCA was down
    expect(center.apps.get('sip-a-1' as never)!.role).toBe('primary');
    const sipA = r.pairs.find((p) => p.id === 'sip-a')!;
    // Out of service only while sip-a-1 restarted (app-start-time 20 s, then the promotion).
    expect(sipA.gapMaxMs).toBeLessThan(30_000);
    expect(r.counters.unconverged_pairs).toBe(0);
  });
});

describe('graceful shutdown in a split brain', () => {
  // a-sip-1's LCA dies: SCS switches sip-a over to sip-a-2 while sip-a-1 runs on as primary (a
  // split brain, sip-a-1 the pool's). 20 s later the operator drains one of the two primaries;
  // the LCA is back at +26 s and SCS demotes sip-a-1. DR is off: agents logged out by the
  // drain wait for their pool to serve again.
  const LCA = T0;
  const BACK = LCA + 26_000;
  const splitBrain = (drained: 'sip-a-1' | 'sip-a-2') =>
    atSiteA(
      [
        { kind: 'lca-crash', target: 'a-sip-1', atMs: LCA, durationMs: 26_000 },
        { kind: 'graceful-shutdown', target: drained, atMs: LCA + 20_000 },
      ],
      4,
      2 * 3_600_000,
    );

  test('draining the primary the pool is served by ends when SCS demotes it: the other member serves, agents log in again', () => {
    const { r, t, trace, center } = splitBrain('sip-a-1');
    const demoted = trace.rows.find((x) => x.component === 'sip-a-1' && x.cause === 'demoted')!;
    expect(demoted.tMs).toBeGreaterThan(BACK);
    expect(center.apps.get('sip-a-2' as never)!.role).toBe('primary');
    // The drain was the pool's until the demotion, not to the end of the run (it had been:
    // every later call refused, all 40 agents logged out for good).
    expect(r.counters.agents_logged_out_end).toBe(0);
    expect(r.counters.agent_outage_max_ms).toBeLessThan(60_000);
    expect(t.rejected).toBeLessThan(5);
    expect(t.answered).toBeGreaterThan(900);
  });

  test('a drain whose server SCS gave up for lost ends with its exit: the promoted backup serves on', () => {
    // sip-a-1 drains; its LCA dies 10 s later, so SCS promotes sip-a-2 while sip-a-1 drains on
    // (a split brain, sip-a-1 still the pool's). When sip-a-1 exits, sip-a-2 already serves:
    // no gap, and the drain must end there, not hold the pool to the end of the run.
    const { r, t, trace, center } = atSiteA(
      [
        { kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 },
        { kind: 'lca-crash', target: 'a-sip-1', atMs: T0 + 10_000, durationMs: 600_000 },
      ],
      5,
      2 * 3_600_000,
    );
    const exit = trace.rows.find(
      (x) => x.component === 'sip-a-1' && x.state === 'graceful-shutdown' && x.cause === 'exit',
    )!;
    expect(exit.tMs).toBeGreaterThan(T0 + 10_000);
    expect(center.apps.get('sip-a-2' as never)!.role).toBe('primary');
    expect(r.counters.agents_logged_out_end).toBe(0);
    // Calls are refused during the drain only (600 an hour, a drain of minutes).
    expect(t.rejected).toBeLessThan(((exit.tMs - T0) / 3_600_000) * 600 * 1.5 + 10);
    expect(t.dropped).toBe(0);
  });

  test('a graceful shutdown of a backup, or of a server already draining, does nothing and says so', () => {
    const { r, t, trace } = atSiteA(
      [
        { kind: 'graceful-shutdown', target: 'sip-a-2', atMs: T0 },
        { kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 + 60_000 },
        { kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 + 70_000 },
      ],
      6,
      3_600_000,
    );
    const rows = trace.rows.filter(
      (x) => x.state === 'graceful-shutdown' && x.component.startsWith('sip-'),
    );
    expect(rows[0]).toMatchObject({
      component: 'sip-a-2',
      tMs: T0,
      cause: 'ignored: not the primary the pool is served by',
    });
    expect(rows[1]).toMatchObject({ component: 'sip-a-1', tMs: T0 + 60_000 });
    expect(rows[1]!.cause).toMatch(/^draining/);
    expect(rows[2]).toMatchObject({
      component: 'sip-a-1',
      tMs: T0 + 70_000,
      cause: 'ignored: its pool is draining already',
    });
    expect(r.switchovers.filter((s) => s.pair === 'sip-a')).toHaveLength(1); // the one drain's
    expect(t.dropped).toBe(0);
  });

  test('a graceful shutdown of a server that is not running does nothing and says so', () => {
    const { t, trace } = atSiteA(
      [
        { kind: 'host-crash', target: 'a-sip-2', atMs: T0, durationMs: 600_000 },
        { kind: 'graceful-shutdown', target: 'sip-a-2', atMs: T0 + 60_000 },
      ],
      6,
      3_600_000,
    );
    const row = trace.rows.find(
      (x) => x.component === 'sip-a-2' && x.state === 'graceful-shutdown',
    )!;
    expect(row).toMatchObject({ tMs: T0 + 60_000, cause: 'ignored: not running' });
    expect(t.dropped).toBe(0);
  });

  test("draining the split brain's other primary leaves the pool alone", () => {
    const { r, t, trace } = splitBrain('sip-a-2');
    const row = trace.rows.find(
      (x) => x.component === 'sip-a-2' && x.state === 'graceful-shutdown',
    )!;
    expect(row.cause).toMatch(/^ignored/);
    expect(r.counters.agents_logged_out_end).toBe(0);
    expect(t.rejected).toBe(0);
    expect(t.dropped).toBe(0);
  });
});
