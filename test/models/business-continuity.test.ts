// Business continuity as Workspace documents it (seed 003; DOMAIN §12 "Desktops"): logins through
// a CS Proxy of the target site (waiting when none answers), start-up through the other site's
// proxy, per-server-type continuity for Stat Servers and CS Proxies, clusters adding login
// capacity, restore-agent-state after wrap-up, reg_timeout from the last registration, hard phones.
// Budget: about 15 s (the storm runs 2,000 desktops for 20 minutes, twice).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { AgentState } from '../../src/models/telephony/agents.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import type { AppSpec, TopologySpec } from '../../src/spec/types.js';
import {
  app,
  handScenario,
  handTopology,
  host,
  site,
  traffic,
  type FaultDraft,
} from './hand-spec.js';

type F = FaultDraft;
const MIN = 60_000;
const T0 = 30 * MIN;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The hand topology with a second CS Proxy at site B, clustered with csp-b when `cluster`. */
function topoWithProxyB2(cluster: boolean): TopologySpec {
  const t = handTopology('hot');
  const proxyB2: AppSpec = { id: app('csp-b-2'), type: 'csproxy', host: host('b-sip-1') };
  const apps = [...t.apps, proxyB2].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    ...t,
    apps,
    clusters: cluster
      ? [
          {
            id: 'csp-b-cluster',
            type: 'csproxy',
            site: site('B'),
            members: [app('csp-b'), app('csp-b-2')],
          },
        ]
      : [],
  };
}

function run(
  faults: F[],
  o: {
    options?: Record<string, OptionValue>;
    count?: number;
    minutes?: number;
    load?: number;
    wrapUpMs?: number;
    topology?: TopologySpec;
    trace?: MemoryTrace;
    /** Runs the simulation to this time first and calls `at` (then on to the end). */
    before?: { atMs: number; at: (c: Center) => void };
  } = {},
) {
  const count = o.count ?? 40;
  const spec = handScenario(faults, {
    seed: 11,
    durationMs: (o.minutes ?? 120) * MIN,
    topology: o.topology ?? handTopology('hot'),
    traffic: traffic(o.load ?? 600, 180_000, {
      siteSplit: { A: 0.5, B: 0.5 },
      wrapUpMs: o.wrapUpMs ?? 10_000,
    }),
    agents: [
      { group: 'sales', count, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 20, preferredSite: 'B', peerSite: 'A' },
    ],
    options: { 'disaster-recovery.enabled': true, ...o.options },
  });
  const center = new Center(spec, 0, o.trace);
  if (o.before) {
    center.sim.run({ untilMs: o.before.atMs, eventsMax: 1e9 });
    o.before.at(center);
  }
  const r = center.run();
  const sales = r.agents.filter((a) => a.group === 'sales');
  const salesIdx = sales.map((_, i) => i); // sales agents are the first `count` desktops
  return { r, center, sales, salesIdx };
}

describe('start-up through a CS Proxy (seed 002, 003)', () => {
  test('faults at 0 s are in place at start-up: with csp-a down the sales desktops read configuration through csp-b and still log in at A', () => {
    const x = run([{ kind: 'process-crash', target: 'csp-a', atMs: 0, durationMs: 10 * MIN }], {
      minutes: 20,
    });
    for (const a of x.salesIdx) {
      expect(x.center.desktops.configSiteOf(a)).toBe('B');
      expect(x.center.desktops.siteOf(a)).toBe('A');
    }
    expect(x.sales.every((a) => a.outageMs === 0 && a.drSwitchovers === 0)).toBe(true);
    const ok = run([], { minutes: 20 });
    for (const a of ok.salesIdx) expect(ok.center.desktops.configSiteOf(a)).toBe('A');
  });
});

describe('a DR switchover logs in through the target site’s CS Proxy', () => {
  const siteCrashA: F = { kind: 'site-crash', target: site('A'), atMs: T0, durationMs: 60 * MIN };

  test('the peer’s proxy down: agents wait for it (login.nodes Timeout between attempts), then log in at B', () => {
    const trace = new MemoryTrace();
    const down = run(
      [
        siteCrashA,
        { kind: 'process-crash', target: 'csp-b', atMs: T0 - MIN, durationMs: 10 * MIN },
      ],
      { trace, options: { 'login.nodes.peer-site': '[csp-b],Timeout=15' } },
    );
    const up = run([siteCrashA]);
    // csp-b runs again at T0 + 9 min + app-start-time (20 s): nobody logs in at B before that.
    const back = T0 + 9 * MIN + 20_000;
    for (const a of down.sales) {
      expect(a.finalSite).toBe('B');
      expect(a.drSwitchovers).toBe(1);
      expect(a.outageMs).toBeGreaterThan(back - T0);
      expect(a.outageMs).toBeLessThan(back - T0 + 15_000 + 30_000); // a Timeout, re-login, Ready
    }
    expect(Math.max(...up.sales.map((a) => a.outageMs))).toBeLessThan(2 * MIN);
    const waits = trace.rows.filter(
      (r) => r.component === 'desktops@B' && r.state === 'login-waiting',
    );
    expect(waits.length).toBeGreaterThan(5);
    expect(waits[0]!.cause).toContain('retry in 15 s');
    // A row per retry cycle, not one per desktop's retry (120 desktops wait).
    for (let i = 1; i < waits.length; i++)
      expect(waits[i]!.tMs - waits[i - 1]!.tMs).toBeGreaterThanOrEqual(15_000);
  });
});

describe('Business Continuity per server type (seed 003): no SIP site switchover, no call moves', () => {
  const statA: F[] = [
    { kind: 'process-crash', target: 'stat-a-1', atMs: T0, durationMs: 20 * MIN },
    { kind: 'process-crash', target: 'stat-a-2', atMs: T0, durationMs: 20 * MIN },
  ];

  test('Stat Server pair lost: after disaster-recovery.timeout the desktops use the peer’s Stat Servers and stay logged in at A', () => {
    const x = run(statA, { minutes: 45 });
    expect(x.r.counters['dr_switchovers']).toBe(0);
    expect(x.r.counters['stat_warnings']).toBeGreaterThanOrEqual(40);
    for (const a of x.salesIdx) {
      expect(x.center.desktops.statSiteOf(a)).toBe('B');
      expect(x.center.desktops.siteOf(a)).toBe('A');
    }
    expect(x.sales.every((a) => a.outageMs === 0)).toBe(true);
    expect(x.r.counters['calls_dropped']).toBe(0);
    // Without Business Continuity the desktops only warn.
    const off = run(statA, { minutes: 45, options: { 'disaster-recovery.enabled': false } });
    for (const a of off.salesIdx) expect(off.center.desktops.statSiteOf(a)).toBe('A');
  });

  test('CS Proxy lost: the desktops move their configuration connection to the peer’s proxy, not their SIP site', () => {
    const x = run([{ kind: 'process-crash', target: 'csp-a', atMs: T0, durationMs: 20 * MIN }], {
      minutes: 45,
    });
    expect(x.r.counters['dr_switchovers']).toBe(0);
    for (const a of x.salesIdx) {
      expect(x.center.desktops.configSiteOf(a)).toBe('B');
      expect(x.center.desktops.siteOf(a)).toBe('A');
    }
  });
});

describe('the configuration listener and the move to the peer read the same CS Proxies (login.nodes)', () => {
  /** Site A with a second CS Proxy (primary and backup, no cluster); csp-a crashes. */
  function twoProxiesA(nodes: string) {
    const t = handTopology('hot');
    const proxyA2: AppSpec = { id: app('csp-a-2'), type: 'csproxy', host: host('a-sip-1') };
    const apps = [...t.apps, proxyA2].sort((a, b) => (a.id < b.id ? -1 : 1));
    return run([{ kind: 'process-crash', target: 'csp-a', atMs: T0, durationMs: 20 * MIN }], {
      minutes: 45,
      topology: { ...t, apps },
      options: { 'login.nodes.preferred-site': nodes },
    });
  }

  test('login.nodes [csp-a]: csp-a lost is configuration OFF for these desktops (csp-a-2 runs): warned, then on the peer’s proxy', () => {
    const x = twoProxiesA('[csp-a]');
    expect(x.r.counters['config_warnings']).toBe(40);
    expect(x.r.counters['csproxy_bc_moves']).toBe(40);
    for (const a of x.salesIdx) {
      expect(x.center.desktops.configSiteOf(a)).toBe('B');
      expect(x.center.desktops.siteOf(a)).toBe('A');
    }
  });

  test('login.nodes [csp-a-2]: csp-a lost is nothing to them: no warning, no move', () => {
    const x = twoProxiesA('[csp-a-2]');
    expect(x.r.counters['config_warnings']).toBe(0);
    expect(x.r.counters['csproxy_bc_moves']).toBe(0);
    for (const a of x.salesIdx) expect(x.center.desktops.configSiteOf(a)).toBe('A');
  });
});

describe('Stat Server and CS Proxy connections back at the site the desktop is logged in at', () => {
  const statA: F[] = [
    { kind: 'process-crash', target: 'stat-a-1', atMs: T0, durationMs: 10 * MIN },
    { kind: 'process-crash', target: 'stat-a-2', atMs: T0, durationMs: 10 * MIN },
  ];

  test('bc-server-return next-login (the default: auto-restore is for T-Server only, seed 003): the connection stays at the peer until the next login', () => {
    const trace = new MemoryTrace();
    const x = run(statA, { minutes: 60, trace });
    for (const a of x.salesIdx) expect(x.center.desktops.statSiteOf(a)).toBe('B');
    expect(trace.rows.some((r) => r.state === 'statserver-back')).toBe(false);
    // The next login reconnects at the site logged in at: here the re-login at A after the SIP
    // registrations expired (dr-force_logout) and came back on a 60 s reg_timeout. (Nearly no
    // traffic: an agent on a call whose phone registers again before the call ends is never
    // logged out, so it would not log in again.)
    const relogin = run(
      [...statA, { kind: 'phone-unregister', target: 'sales', atMs: T0 + 20 * MIN, share: 1 }],
      { minutes: 60, load: 1, options: { 'sipendpoint.reg_timeout': 60_000 } },
    );
    for (const a of relogin.salesIdx) {
      expect(relogin.center.desktops.siteOf(a)).toBe('A');
      expect(relogin.center.desktops.statSiteOf(a)).toBe('A');
    }
  });

  test('a crash is heard at once; a hang or a lost host is learnt from each desktop’s own ADDP, and one shorter than that is never missed', () => {
    const warnedAt = (faults: F[]) => {
      const trace = new MemoryTrace();
      const x = run(faults, { minutes: 45, trace });
      const rows = trace.rows.filter(
        (r) => r.component === 'desktops@A' && r.state === 'statistics-off',
      );
      const moves = trace.rows.filter((r) => r.state === 'statserver-peer').length;
      return { x, first: rows[0]?.tMs, rows: rows.length, moves };
    };
    const crash = warnedAt(statA);
    expect(crash.first).toBe(T0);
    expect(crash.x.r.counters['stat_warnings']).toBe(40);
    // Hung (SCS has no heartbeat here, so nothing restarts them): each desktop's poll at stake
    // goes unanswered, client-addp-timeout (10 s) later it knows. Then disaster-recovery.timeout.
    const hang: F[] = statA.map((f) => ({ ...f, kind: 'process-hang' as const }));
    const hung = warnedAt(hang);
    expect(hung.first).toBeGreaterThanOrEqual(T0 + 10_000);
    expect(hung.first).toBeLessThanOrEqual(T0 + 20_000);
    expect(hung.x.r.counters['stat_warnings']).toBe(40);
    expect(hung.x.r.counters['statserver_bc_moves']).toBe(40);
    // Each desktop learns at its own moment, but the timeline has one row for the loss and one
    // for the moves, not one per desktop.
    expect([hung.rows, hung.moves]).toEqual([1, 1]);
    for (const a of hung.x.salesIdx) expect(hung.x.center.desktops.statSiteOf(a)).toBe('B');
    // The last one's host lost (stat-a-2 crashed a minute before, heard): the same. The SIP
    // pair keeps serving on sip-a-2, so the desktops keep working at A.
    const lost = warnedAt([
      { kind: 'process-crash', target: 'stat-a-2', atMs: T0 - MIN, durationMs: 30 * MIN },
      { kind: 'host-crash', target: 'a-sip-1', atMs: T0, durationMs: 20 * MIN },
    ]);
    expect(lost.first).toBeGreaterThanOrEqual(T0 + 10_000);
    expect(lost.first).toBeLessThanOrEqual(T0 + 20_000);
    // A hang of 2 s ends before any desktop's ADDP could tell: nobody is warned, nobody moves.
    const brief = warnedAt(hang.map((f) => ({ ...f, durationMs: 2_000 })));
    expect(brief.first).toBeUndefined();
    expect(brief.x.r.counters['stat_warnings']).toBe(0);
    expect(brief.x.r.counters['statserver_bc_moves']).toBe(0);
  });

  test('desktops on the peer’s Stat Servers across the WAN: a partition is a loss their ADDP finds', () => {
    // A's Stat Servers crash: after disaster-recovery.timeout (60 s) the sales desktops (standing
    // at A) use B's. Then a partition cuts A from B for 5 min: B's Stat Servers are out of reach,
    // found by each desktop's ADDP; A's still do not serve, so the desktops wait on B's.
    const trace = new MemoryTrace();
    const cut: F = {
      kind: 'network-partition',
      target: 'A|B',
      sideA: ['a-mgmt', 'a-sip-1', 'a-sip-2', 'a-rep'].map(host),
      sideB: ['b-mgmt', 'b-sip-1', 'b-sip-2', 'b-rep'].map(host),
      atMs: T0 + 3 * MIN,
      durationMs: 5 * MIN,
    };
    const x = run([...statA, cut], { minutes: 45, trace });
    const offs = trace.rows.filter((r) => r.state === 'statistics-off');
    expect(offs.map((r) => [r.tMs, r.component])[0]).toEqual([T0, 'desktops@A']);
    // B's Stat Servers, lost to them: each desktop's poll at stake unanswered, 10 s later.
    const second = offs.find((r) => r.tMs > T0)!;
    expect(second.component).toBe('desktops@B');
    expect(second.tMs).toBeGreaterThanOrEqual(T0 + 3 * MIN + 10_000);
    expect(second.tMs).toBeLessThanOrEqual(T0 + 3 * MIN + 20_500);
    expect(x.r.counters['stat_warnings']).toBe(80);
    // A's did not serve at the timeout either: they waited, on B's, which serve again at the
    // heal (one move, to B, in all).
    expect(x.r.counters['statserver_bc_moves']).toBe(40);
    for (const a of x.salesIdx) expect(x.center.desktops.statSiteOf(a)).toBe('B');
  });

  test('a site crash moves the desktops by DR switchover, not by Stat Server or CS Proxy continuity', () => {
    const x = run([{ kind: 'site-crash', target: site('A'), atMs: T0, durationMs: 10 * MIN }], {
      minutes: 45,
    });
    expect(x.r.counters['dr_switchovers']).toBe(40);
    // Every desktop at A learns by ADDP that its Stat Servers and CS Proxy are gone (warned, its
    // telephony OFF at the same moment), and its DR switchover moves all its connections to B.
    expect(x.r.counters['stat_warnings']).toBe(40);
    expect(x.r.counters['config_warnings']).toBe(40);
    expect(x.r.counters['statserver_bc_moves']).toBe(0);
    expect(x.r.counters['csproxy_bc_moves']).toBe(0);
  });

  test('bc-server-return when-available: back on site A’s Stat Servers (and CS Proxy) once they serve again', () => {
    const trace = new MemoryTrace();
    const x = run(
      [...statA, { kind: 'process-crash', target: 'csp-a', atMs: T0, durationMs: 10 * MIN }],
      { minutes: 60, trace, options: { 'bc-server-return': 'when-available' } },
    );
    for (const a of x.salesIdx) {
      expect(x.center.desktops.statSiteOf(a)).toBe('A');
      expect(x.center.desktops.configSiteOf(a)).toBe('A');
      expect(x.center.desktops.siteOf(a)).toBe('A');
    }
    const back = trace.rows.filter(
      (r) => r.component === 'desktops@A' && r.state.endsWith('-back'),
    );
    expect(back.map((r) => r.state).sort()).toEqual(['csproxy-back', 'statserver-back']);
    // The moves to B came first, after disaster-recovery.timeout; the returns when A's servers
    // were Started again (10 min + app-start-time).
    for (const r of back) expect(r.tMs).toBeGreaterThanOrEqual(T0 + 10 * MIN);
    expect(x.r.counters['statserver_bc_moves']).toBe(40);
    expect(x.r.counters['dr_switchovers']).toBe(0);
  });

  test('neither site’s Stat Servers serve at the timeout: the desktops connect to the first site whose serve again', () => {
    const both: F[] = [
      ...statA.map((f) => ({ ...f, durationMs: 20 * MIN })),
      { kind: 'process-crash', target: 'stat-b-1', atMs: T0, durationMs: 5 * MIN },
      { kind: 'process-crash', target: 'stat-b-2', atMs: T0, durationMs: 5 * MIN },
    ];
    const trace = new MemoryTrace();
    const x = run(both, { minutes: 45, trace });
    for (const a of x.salesIdx) expect(x.center.desktops.statSiteOf(a)).toBe('B');
    const joined = trace.rows.find(
      (r) => r.component === 'desktops@B' && r.state === 'statserver-peer',
    );
    expect(joined?.tMs).toBeGreaterThanOrEqual(T0 + 5 * MIN);
    expect(joined?.tMs).toBeLessThan(T0 + 6 * MIN);
  });
});

describe('clusters and the login storm', () => {
  // A graceful shutdown logs every idle sales agent out at once: they all log in at B together,
  // so the spread of their outages is the login queue alone.
  function spread(cluster: boolean, count: number): number {
    const x = run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: 10 * MIN }], {
      count,
      minutes: 20,
      load: 6,
      topology: topoWithProxyB2(cluster),
      options: { 'sipserver-login-rate': 10_000, 'disaster-recovery.restore-agent-state': true },
    });
    const moved = x.sales.filter((a) => a.drSwitchovers === 1).map((a) => a.outageMs);
    expect(moved.length).toBeGreaterThan(count - 5);
    return Math.max(...moved) - Math.min(...moved);
  }

  test('a cluster of two CS Proxies logs a site in twice as fast as one', () => {
    const one = spread(false, 1000); // csp-b-2 exists but is not in the desktops' cluster
    const two = spread(true, 1000);
    expect(one).toBeGreaterThan(19_000); // 1,000 logins at 50 a second
    expect(one / two).toBeGreaterThan(1.8);
    expect(one / two).toBeLessThan(2.2);
  });

  test('a reconnection storm of 2,000 desktops after a site failure completes within the login limits and scales with proxy capacity', () => {
    const storm = (cluster: boolean) =>
      run([{ kind: 'site-crash', target: site('A'), atMs: 5 * MIN, durationMs: 30 * MIN }], {
        count: 2000,
        minutes: 20,
        load: 60,
        topology: topoWithProxyB2(cluster),
      }).sales;
    const one = storm(false);
    const two = storm(true);
    for (const xs of [one, two])
      expect(xs.every((a) => a.finalSite === 'B' && a.drSwitchovers === 1)).toBe(true);
    const worst = (xs: typeof one) => Math.max(...xs.map((a) => a.outageMs));
    // Detection ≤ 20 s + DR timeout 60 s + re-login 5 s + the queue (2,000 at 50 a second: 40 s;
    // 20 s with two proxies) + agent-ready-delay 10 s.
    expect(worst(one)).toBeLessThan(20_000 + 60_000 + 5_000 + 40_000 + 10_000 + 2_000);
    expect(worst(one) - worst(two)).toBeGreaterThan(15_000);
    expect(worst(one) - worst(two)).toBeLessThan(25_000);
  });
});

describe('restore-agent-state waits for the interaction to close (seed 003)', () => {
  /**
   * Graceful shutdown of sip-a-1 at T0 with a 300 s wrap-up: the first sales agent on a call
   * then is logged out at the call's end and owes its wrap-up at the peer site. Its state at each
   * of `offsetsMs` after that call ended, in order.
   */
  const statesAfterCallEnd = (options: Record<string, OptionValue>, offsetsMs: number[]) => {
    let agent = -1;
    let endMs = -1;
    const states: number[] = [];
    run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }], {
      wrapUpMs: 300_000,
      load: 1200,
      minutes: 60,
      options,
      before: {
        atMs: T0,
        at: (c) => {
          agent = [...Array(40).keys()].find((a) => c.telephony.agents.isOnCall(a)) ?? -1;
          c.telephony.observe({
            onCallEnded: (a) => {
              if (a !== agent || endMs >= 0) return;
              endMs = c.sim.nowMs;
              for (const dt of offsetsMs)
                c.sim.call(dt, () => states.push(c.telephony.agents.state[agent]!));
            },
          });
        },
      },
    });
    expect(agent).toBeGreaterThanOrEqual(0);
    expect(endMs).toBeGreaterThan(T0);
    expect(states).toHaveLength(offsetsMs.length);
    return states;
  };

  test('an agent logged out at the end of a call keeps its 300 s wrap-up at the peer site before Ready is restored', () => {
    const [at60, at305] = statesAfterCallEnd(
      { 'disaster-recovery.restore-agent-state': true },
      [60_000, 305_000],
    );
    expect(at60).toBe(AgentState.WrapUp); // logged in at B, still in wrap-up
    expect(at305).not.toBe(AgentState.WrapUp);
    expect(at305).not.toBe(AgentState.LoggedOut);
  });

  test('without restore-agent-state the owed wrap-up ends NotReady: Ready by hand agent-ready-delay after the login, or at the wrap-up’s end when that comes later', () => {
    // 305 s after the call ended (its 300 s wrap-up owed at the peer site), and 15 minutes after.
    const [late305, late15] = statesAfterCallEnd({ 'agent-ready-delay': 10 * MIN }, [
      305_000,
      15 * MIN,
    ]); // the hand's Ready comes after the wrap-up
    expect(late305).toBe(AgentState.NotReady);
    expect(late15).not.toBe(AgentState.NotReady);
    expect(late15).not.toBe(AgentState.LoggedOut);
    // Asked during the wrap-up: Ready at its end.
    const [early305] = statesAfterCallEnd({ 'agent-ready-delay': 60_000 }, [305_000]);
    expect(early305).not.toBe(AgentState.NotReady);
    expect(early305).not.toBe(AgentState.WrapUp);
    expect(early305).not.toBe(AgentState.LoggedOut);
  });
});

describe('SIP registration (seed 003)', () => {
  const siteCrashA: F = { kind: 'site-crash', target: site('A'), atMs: T0, durationMs: 10 * MIN };
  const restored = T0 + 10 * MIN + 130_000; // host boot + SCS reconnect + app start

  test('reg_timeout counts from the registration at the peer site: about an hour later with 3,600 s, about a minute with 60 s', () => {
    const back = (reg: number) =>
      run([siteCrashA], {
        minutes: 180,
        load: 30,
        options: { 'disaster-recovery.auto-restore': true, 'sipendpoint.reg_timeout': reg },
      }).sales.map((a) => a.backOnPreferredAtMs ?? Infinity);
    const slow = back(3_600_000);
    // Registered at B about 85–100 s after the crash (detection, DR timeout, re-login).
    for (const t of slow) {
      expect(t).toBeGreaterThan(T0 + 3_600_000 + 75_000);
      expect(t).toBeLessThan(T0 + 3_600_000 + 140_000 + 10 * MIN); // a call may delay the return
    }
    const fast = back(60_000);
    for (const t of fast) expect(t).toBeGreaterThan(restored);
    expect(mean(fast) - restored).toBeLessThan(60_000);
  });

  test('a phone lost in the first registration cycle comes back at that cycle’s registration, not one cycle later', () => {
    // Hard phones register every 30 min, each on its own phase drawn in [0, 30 min). Lost at
    // 1 min, each is back at its first registration after that: all within 30 min (before, a
    // phase still to come counted as a registration already made: back up to 60 min later).
    const x = run([{ kind: 'phone-unregister', target: 'sales', share: 1, atMs: 60_000 }], {
      minutes: 32,
      load: 30,
      options: {
        'phone-type': 'hard-phone',
        'hard-phone.register-interval': 1_800_000,
      },
    });
    expect(x.salesIdx.every((a) => x.center.telephony.agents.pool[a]! >= 0)).toBe(true);
    expect(x.r.counters.agents_logged_out_end).toBe(0);
  });

  test('a return to the preferred site under way when the run ends is no agent left logged out', () => {
    const options = { 'disaster-recovery.auto-restore': true, 'sipendpoint.reg_timeout': 60_000 };
    const full = run([siteCrashA], { minutes: 60, load: 30, options });
    const first = Math.min(...full.sales.map((a) => a.backOnPreferredAtMs ?? Infinity));
    expect(first).toBeLessThan(60 * MIN);
    // The same run, ended one second before that agent's login at A completes: it is logged
    // out (its client layer restarting for A), and will be logged in a second later.
    const cut = run([siteCrashA], { minutes: (first - 1_000) / MIN, load: 30, options });
    const out = cut.salesIdx.filter((a) => cut.center.telephony.agents.pool[a]! < 0);
    expect(out.length).toBeGreaterThan(0);
    expect(cut.r.counters.agents_logged_out_end).toBe(0);
  });

  test('a phone that registers again before its call ends voids the dr-force_logout waiting for that call', () => {
    // Registrations expire at T0 for every sales agent; those on a call are logged out only when
    // the call ends. The endpoint registers every 30 s meanwhile: once it has, the DN is back in
    // service and the agent stays logged in (before, the registration during the call was
    // missed: the agent was logged out at the call's end and waited a whole cycle more).
    let onCall: number[] = [];
    const x = run([{ kind: 'phone-unregister', target: 'sales', share: 1, atMs: T0 }], {
      minutes: 60,
      options: { 'sipendpoint.reg_timeout': 30_000 },
      before: {
        atMs: T0 - 1,
        at: (c) => {
          onCall = [...Array(40).keys()].filter((a) => c.telephony.agents.call[a]! >= 0);
        },
      },
    });
    const idle = x.salesIdx.filter((a) => !onCall.includes(a));
    expect(onCall.length).toBeGreaterThan(10);
    // Calls last 3 minutes on average: most outlast the next registration.
    const stayed = onCall.filter((a) => x.sales[a]!.outageMs === 0);
    expect(stayed.length).toBeGreaterThan(onCall.length / 2);
    for (const a of idle) expect(x.sales[a]!.outageMs).toBeGreaterThan(0);
    expect(x.r.counters.agents_logged_out_end).toBe(0);
  });

  test('hard phones ignore reg_timeout: they come back on their own registration timer', () => {
    const back = (phone: string) =>
      run([siteCrashA], {
        minutes: 180,
        load: 30,
        options: {
          'disaster-recovery.auto-restore': true,
          'sipendpoint.reg_timeout': 60_000,
          'phone-type': phone,
          'hard-phone.register-interval': 1_800_000,
        },
      }).sales.map((a) => (a.backOnPreferredAtMs ?? Infinity) - restored);
    expect(mean(back('sip-endpoint'))).toBeLessThan(60_000);
    // Uniform phases over 30 minutes: about 15 minutes on average.
    expect(mean(back('hard-phone'))).toBeGreaterThan(8 * MIN);
  });

  test('after dr-force_logout an unregistered hard phone takes no call at the peer until EventDNBackInService', () => {
    const fault: F = { kind: 'phone-unregister', target: 'sales', share: 1, atMs: T0 };
    const outage = (phone: string) =>
      mean(
        run([fault], {
          minutes: 120,
          load: 60,
          options: {
            'disaster-recovery.wait-for-sipphone-timeout': 30_000,
            'phone-type': phone,
            'hard-phone.register-interval': 1_800_000,
          },
        }).sales.map((a) => a.outageMs),
      );
    const endpoint = outage('sip-endpoint'); // Workspace relaunches it at the peer: registered
    const hard = outage('hard-phone');
    expect(endpoint).toBeLessThan(90_000);
    expect(hard - endpoint).toBeGreaterThan(5 * MIN);
  });
});
