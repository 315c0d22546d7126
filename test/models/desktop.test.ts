// Agent desktops and two-site business continuity (DOMAIN §9; seeds 002 and 003).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { TelephonyListener } from '../../src/models/desktop/telephony-listener.js';
import { Simulator } from '../../src/sim/simulator.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';
import type { OptionValue } from '../../src/spec/option-spec.js';

type F = FaultDraft;
const T0 = 1_800_000;

function run(
  faults: F[],
  o: {
    options?: Record<string, OptionValue>;
    count?: number;
    hours?: number;
    load?: number;
    redundancy?: 'warm' | 'hot';
  } = {},
) {
  const count = o.count ?? 40;
  const spec = handScenario(faults, {
    seed: 9,
    durationMs: (o.hours ?? 2) * 3_600_000,
    topology: handTopology(o.redundancy ?? 'hot'),
    traffic: traffic(o.load ?? 600, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, wrapUpMs: 10_000 }),
    agents: [
      { group: 'sales', count, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count, preferredSite: 'B', peerSite: 'A' },
    ],
    options: { 'disaster-recovery.enabled': true, ...o.options },
  });
  const center = new Center(spec, 0);
  const r = center.run();
  const sales = r.agents.filter((a) => a.group === 'sales');
  const support = r.agents.filter((a) => a.group === 'support');
  return { r, center, sales, support };
}

const siteCrashA: F = { kind: 'site-crash', target: 'A', atMs: T0, durationMs: 1_800_000 };
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('telephony listener: site failure', () => {
  test('agents of the failed site are out for about disaster-recovery.timeout plus re-login, then work at the peer site', () => {
    const { sales, support } = run([siteCrashA]);
    for (const a of sales) {
      expect(a.drSwitchovers).toBe(1);
      expect(a.finalSite).toBe('B');
      // Detection (client ADDP: 10–20 s) + DR timeout 60 s + re-login 5 s + login queue
      // + setting Ready by hand (agent-ready-delay 10 s, no restore-agent-state).
      expect(a.outageMs).toBeGreaterThan(75_000); // less any wrap-up under way at the crash
      expect(a.outageMs).toBeLessThan(97_000);
    }
    expect(support.every((a) => a.drSwitchovers === 0 && a.outageMs === 0)).toBe(true);
  });

  test('the outage follows disaster-recovery.timeout', () => {
    const short = run([siteCrashA], { options: { 'disaster-recovery.timeout': 20_000 } });
    const long = run([siteCrashA], { options: { 'disaster-recovery.timeout': 120_000 } });
    const d = mean(long.sales.map((a) => a.outageMs)) - mean(short.sales.map((a) => a.outageMs));
    expect(d).toBeGreaterThan(95_000);
    expect(d).toBeLessThan(105_000);
  });

  test('timeout 0 or DR disabled: agents stay out until the site returns', () => {
    const variants: Record<string, OptionValue>[] = [
      { 'disaster-recovery.timeout': 0 },
      { 'disaster-recovery.enabled': false },
    ];
    for (const options of variants) {
      const { sales } = run([siteCrashA], { options });
      for (const a of sales) {
        expect(a.drSwitchovers).toBe(0);
        expect(a.finalSite).toBe('A');
        // Out for the 30 min outage, plus host boot (120 s), SCS reconnect, app start (20 s), a retry.
        expect(a.outageMs).toBeGreaterThan(1_800_000 + 130_000);
        expect(a.outageMs).toBeLessThan(1_800_000 + 200_000);
      }
    }
  });
});

describe('DN listener', () => {
  test('graceful_shutdown_logout: agents move at once, without waiting for the timeout', () => {
    const { sales } = run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }], {
      options: { 'disaster-recovery.timeout': 600_000 },
    });
    for (const a of sales) {
      expect(a.drSwitchovers).toBe(1);
      expect(a.finalSite).toBe('B');
      expect(a.outageMs).toBeLessThan(20_000 + 10_000); // re-login + ready delay, no DR timeout
    }
  });

  test('dr-force_logout: wait for re-registration; with wait-for-sipphone-timeout the desktop switches', () => {
    const fault: F = { kind: 'phone-unregister', target: 'sales', share: 0.5, atMs: T0 };
    const wait = run([fault], {
      options: { 'disaster-recovery.wait-for-sipphone-timeout': 30_000 },
    });
    const switched = wait.sales.filter((a) => a.drSwitchovers === 1);
    expect(switched).toHaveLength(20);
    expect(switched.every((a) => a.finalSite === 'B')).toBe(true);
    const never = run([fault], {
      options: {
        'disaster-recovery.wait-for-sipphone-timeout': 0,
        'sipendpoint.reg_timeout': 60_000,
      },
    });
    expect(never.sales.every((a) => a.drSwitchovers === 0 && a.finalSite === 'A')).toBe(true);
    // Logged out: the agents idle at T0, and those whose call ended before the endpoint's next
    // registration. An agent still on its call when the phone registers again stays logged in.
    const out = never.sales.filter((a) => a.outageMs > 0);
    expect(out.length).toBeGreaterThan(10);
    expect(out.length).toBeLessThan(20);
    // They are back when the endpoint re-registers on its 60 s cycle (plus re-login).
    expect(Math.max(...out.map((a) => a.outageMs))).toBeLessThan(60_000 + 20_000);
  });

  test('a dead site sends no dr-force_logout: phones expiring after a site crash do not hold the DR move', () => {
    // Site A crashes at T0; the sales registrations expire 30 s later. A's SIP Servers are gone:
    // nobody logs the agents out, and their disaster-recovery.timeout (60 s from detection)
    // moves them to B as usual. Before, the dead server's logout cancelled the DR timer and the
    // agents waited for their phones' next registration (sipendpoint.reg_timeout, an hour).
    const { sales } = run([
      siteCrashA,
      { kind: 'phone-unregister', target: 'sales', share: 1, atMs: T0 + 30_000 },
    ]);
    for (const a of sales) {
      expect(a.drSwitchovers).toBe(1);
      expect(a.finalSite).toBe('B');
      expect(a.outageMs).toBeLessThan(200_000);
    }
  });

  test('waiting for the phone after dr-force_logout, the desktop still follows its server: a site crash then moves it', () => {
    // The sales registrations expire at T0 (wait-for-sipphone-timeout 0: wait for the phone as
    // long as it takes); site A crashes 2 minutes later. The desktops' telephony listeners see
    // the loss and, after disaster-recovery.timeout, move them to B; an agent still on a call at
    // T0 (its logout waiting for the call's end) loses the call with the site, and no logout
    // comes from the dead server. Before, they all waited for their phones' next registration
    // (an hour) at a dead site.
    const { sales } = run(
      [
        { kind: 'phone-unregister', target: 'sales', share: 1, atMs: T0 },
        { ...siteCrashA, atMs: T0 + 120_000 },
      ],
      { options: { 'disaster-recovery.wait-for-sipphone-timeout': 0 } },
    );
    for (const a of sales) {
      expect(a.drSwitchovers).toBe(1);
      expect(a.finalSite).toBe('B');
      expect(a.outageMs).toBeLessThan(120_000 + 200_000);
    }
  });

  test('a manual logout leads to nothing (no switchover, no re-login)', () => {
    const { center } = run([]);
    const tel = center.telephony;
    const before = center.desktops.drSwitchovers[0];
    tel.agentControl.logout(0, 'desktop');
    expect(center.desktops.drSwitchovers[0]).toBe(before);
    expect(tel.agents.pool[0]).toBe(-1);
  });
});

describe('configuration and statistics listeners', () => {
  test('loss of the CS Proxy or both Stat Servers: warnings, no site switchover', () => {
    const { r } = run([
      { kind: 'process-crash', target: 'csp-a', atMs: T0, durationMs: 600_000 },
      { kind: 'host-crash', target: 'a-sip-1', atMs: T0 + 1_000_000, durationMs: 300_000 },
    ]);
    expect(r.counters.config_warnings).toBeGreaterThanOrEqual(40);
    expect(r.counters.dr_switchovers).toBe(0);
    const stat = run([
      { kind: 'process-crash', target: 'stat-b-1', atMs: T0, durationMs: 600_000 },
      { kind: 'process-crash', target: 'stat-b-2', atMs: T0, durationMs: 600_000 },
    ]);
    expect(stat.r.counters.stat_warnings).toBeGreaterThanOrEqual(40);
    expect(stat.r.counters.dr_switchovers).toBe(0);
  });
});

describe('return to the preferred site', () => {
  test('reg_timeout 60 s vs 3600 s: the return follows the SIP endpoint cycle', () => {
    const fault: F = { kind: 'site-crash', target: 'A', atMs: T0, durationMs: 600_000 };
    const opts = (reg: number) => ({
      'disaster-recovery.auto-restore': true,
      'sipendpoint.reg_timeout': reg,
    });
    // Light load: agents are seldom on a call when their endpoint re-registers (a call in
    // progress postpones the return until it ends).
    const fast = run([fault], { options: opts(60_000), hours: 4, load: 60 });
    const slow = run([fault], { options: opts(3_600_000), hours: 4, load: 60 });
    const back = (xs: typeof fast.sales) => xs.map((a) => a.backOnPreferredAtMs ?? Infinity);
    const restored = T0 + 600_000 + 130_000; // host boot + SCS reconnect + app start
    const fastBack = back(fast.sales);
    expect(fastBack.every((t) => t > restored && Number.isFinite(t))).toBe(true);
    expect(mean(fastBack) - restored).toBeLessThan(60_000);
    expect(Math.max(...fastBack) - restored).toBeLessThan(400_000);
    const slowBack = back(slow.sales);
    expect(mean(slowBack.filter(Number.isFinite)) - restored).toBeGreaterThan(600_000);
    expect(fast.sales.every((a) => a.finalSite === 'A')).toBe(true);
  });
});

describe('reconnection storm', () => {
  test('2,000 agents moving at once take measurably longer than 20', () => {
    const small = run([siteCrashA], { count: 20, load: 60, hours: 1 });
    const big = run([siteCrashA], {
      count: 2000,
      load: 6000,
      hours: 1,
      options: { 'csproxy-login-rate': 50, 'sipserver-login-rate': 100 },
    });
    const worst = (xs: typeof small.sales) => Math.max(...xs.map((a) => a.outageMs));
    // 2,000 logins through one CS Proxy at 50/s queue for 40 s.
    expect(worst(big.sales) - worst(small.sales)).toBeGreaterThan(30_000);
  });
});

// How a desktop follows its site's SIP Server pair (ha-pair/client.ts) through a manual
// switchover and a member restart, warm and hot. Budget: four 45-minute runs of 80 agents.
describe('telephony connections through a switchover and a member restart', () => {
  /** Runs to `atMs` and returns each sales desktop's links to sip-a-1 and sip-a-2. */
  function linksAt(
    redundancy: 'warm' | 'hot',
    faults: F[],
    atMs: number,
    options: Record<string, OptionValue> = {},
  ) {
    const spec = handScenario(faults, {
      seed: 9,
      durationMs: 2_700_000,
      topology: handTopology(redundancy),
      traffic: traffic(600, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, wrapUpMs: 10_000 }),
      agents: [
        { group: 'sales', count: 40, preferredSite: 'A', peerSite: 'B' },
        { group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' },
      ],
      options: { 'disaster-recovery.enabled': true, ...options },
    });
    const center = new Center(spec, 0);
    center.sim.run({ untilMs: atMs, eventsMax: 10_000_000 });
    const d = center.desktops;
    const sales = [...Array(40).keys()]; // sales agents come first
    return {
      links: new Set(sales.map((a) => `${d.linkOf(a, 0)}/${d.linkOf(a, 1)}`)),
      phases: new Set(sales.map((a) => d.phaseOf(a))),
      center,
    };
  }
  const switchover: F = { kind: 'manual-switchover', target: 'sip-a', atMs: T0 };
  const backupCrash: F = { kind: 'process-crash', target: 'sip-a-2', atMs: T0 };

  test('hot: desktops stay connected to both servers through a manual switchover', () => {
    // Right after the demotion too: a demoted hot member keeps its clients (no reconnection).
    expect([...linksAt('hot', [switchover], T0 + 3_000).links]).toEqual(['up/up']);
    const x = linksAt('hot', [switchover], T0 + 60_000);
    expect(
      x.center.telephony.pools.find((p) => p.pair.id === 'sip-a')!.pair.primaryInService()!.id,
    ).toBe('sip-a-2');
    expect([...x.links]).toEqual(['up/up']);
    expect([...x.phases]).toEqual(['working']);
  });

  test('warm: the demoted primary closes its desktops; they reconnect to the new primary', () => {
    const during = linksAt('warm', [switchover], T0 + 3_000);
    // Closed by sip-a-1 leaving primary mode: telephony OFF until the next attempt.
    expect([...during.phases]).toEqual(['off']);
    const after = linksAt('warm', [switchover], T0 + 60_000);
    expect([...after.links]).toEqual(['down/up']);
    expect([...after.phases]).toEqual(['working']);
  });

  test('hot: a restarted backup is connected again as soon as it is Started', () => {
    const down = linksAt('hot', [backupCrash], T0 + 1_000);
    expect([...down.links]).toEqual(['up/down']);
    const back = linksAt('hot', [backupCrash], T0 + 120_000);
    expect(
      back.center.telephony.pools.find((p) => p.pair.id === 'sip-a')!.pair.members[1].serving,
    ).toBe(true);
    expect([...back.links]).toEqual(['up/up']);
  });

  test('warm: after the primary’s host is lost, no call reaches an agent before its desktop reconnects', () => {
    // sip-a-1's host vanishes: sip-a-2 is primary ~11 s later, but each desktop still holds its
    // connection to sip-a-1 until its ADDP (client-addp-timeout 60 s here) judges it lost. The
    // new primary knows no login of those agents. Before, they counted as connected from the
    // promotion on (calls delivered to them, outage ~21 s for all whatever the ADDP timing).
    const hostLoss: F = { kind: 'host-crash', target: 'a-sip-1', atMs: T0 };
    const addp = { 'client-addp-timeout': 60_000 };
    const x = linksAt('warm', [hostLoss], T0 + 40_000, addp);
    const pair = x.center.telephony.pools.find((p) => p.pair.id === 'sip-a')!.pair;
    expect(pair.primaryInService()!.id).toBe('sip-a-2');
    expect([...x.links]).toEqual(['up/down']); // not judged yet
    const connected = x.center.telephony.agents.connected;
    for (let a = 0; a < 40; a++) expect(connected[a], `sales ${a}`).toBe(0);
    // Once every desktop's ADDP has judged the loss (≤ 2 × 60 s) and it reconnected: working.
    const later = linksAt('warm', [hostLoss], T0 + 160_000, addp);
    expect([...later.links]).toEqual(['down/up']);
    for (let a = 0; a < 40; a++) expect(later.center.telephony.agents.connected[a]).toBe(1);
  });

  test('warm: a restarted backup serves no client; desktops stay on the primary', () => {
    const back = linksAt('warm', [backupCrash], T0 + 120_000);
    expect([...back.links]).toEqual(['up/down']);
    expect([...back.phases]).toEqual(['working']);
  });
});

// Telephony OFF retries (DOMAIN §9): the first attempt after reconnect-timeout, then every
// warm-standby.retry-delay plus 0..warm-standby.retry-jitter. Observed by recording what the
// telephony listener schedules (kind 1 = its next reconnection attempt). Budget: two short runs.
describe('telephony OFF: retry spacing', () => {
  const K_RETRY = 1;
  /** Each sales desktop's retry delays, in order, while both sip-a servers are down 5 minutes. */
  function retryDelays(options: Record<string, OptionValue>): number[][] {
    const spec = handScenario(
      [
        { kind: 'process-crash', target: 'sip-a-1', atMs: T0 / 6, durationMs: 300_000 },
        { kind: 'process-crash', target: 'sip-a-2', atMs: T0 / 6, durationMs: 300_000 },
      ],
      {
        seed: 9,
        durationMs: T0,
        topology: handTopology('hot'),
        agents: [{ group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' }],
        // No DR move: the desktops stay OFF and keep retrying until the pair is back.
        options: { 'disaster-recovery.enabled': false, autorestart: false, ...options },
      },
    );
    const proto = Simulator.prototype;
    const { handler, schedule } = proto;
    const hids = new Set<number>();
    const delays: number[][] = [];
    proto.handler = function (h) {
      const id = handler.call(this, h);
      if (h instanceof TelephonyListener) hids.add(id);
      return id;
    };
    proto.schedule = function (delayMs, h, kind = 0, arg = 0) {
      if (typeof h === 'number' && hids.has(h) && kind === K_RETRY)
        (delays[arg] ??= []).push(delayMs);
      return schedule.call(this, delayMs, h, kind, arg);
    };
    try {
      new Center(spec, 0).run();
    } finally {
      proto.handler = handler;
      proto.schedule = schedule;
    }
    expect(hids.size).toBe(1);
    return delays;
  }

  for (const [label, options, delayMs] of [
    ['default 10 s', {}, 10_000],
    ['retry-delay 30 s', { 'warm-standby.retry-delay': 30_000 }, 30_000],
  ] as const) {
    test(`${label}: after the first retry, every retry-delay + 0..2 s`, () => {
      const perAgent = retryDelays(options);
      expect(perAgent.filter((x) => x !== undefined)).toHaveLength(20);
      const later: number[] = [];
      for (const xs of perAgent) {
        expect(xs.length).toBeGreaterThanOrEqual(1 + Math.floor(300_000 / (delayMs + 2_000)) - 1);
        expect(xs[0]).toBe(10_000); // reconnect-timeout, whatever the retry-delay
        later.push(...xs.slice(1));
      }
      for (const x of later) {
        expect(x).toBeGreaterThanOrEqual(delayMs);
        expect(x).toBeLessThan(delayMs + 2_000);
      }
      // The jitter is drawn: the delays spread over most of the 2 s.
      expect(Math.max(...later) - Math.min(...later)).toBeGreaterThan(1_500);
    });
  }
});
