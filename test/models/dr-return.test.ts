// The return to the preferred site (disaster-recovery.auto-restore, DOMAIN §9, §12 "Desktops")
// while agents are on calls, and a second fault during a DR move. Observed through a telephony
// observer added after construction (logouts, call ends, dropped calls). Budget: about 1 s
// (four runs of 60 agents for at most 90 minutes).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { LogoutReason } from '../../src/models/telephony/agents.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import type { TrafficSpec } from '../../src/spec/types.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const MIN = 60_000;
const T0 = 10 * MIN;
const WRAP = 10_000;
const SALES = 40; // the first desktops; preferred site A
/** Site A crashed at T0 for 10 minutes: in service again after host boot (120 s) + app start. */
const restoreAt = T0 + 10 * MIN;
const crashA: F = { kind: 'site-crash', target: 'A', atMs: T0, durationMs: 10 * MIN };

function center(
  faults: F[],
  options: Record<string, OptionValue> = {},
  minutes = 60,
  o: { seed?: number; redundancy?: 'warm' | 'hot'; traffic?: TrafficSpec } = {},
) {
  const spec = handScenario(faults, {
    seed: o.seed ?? 5,
    durationMs: minutes * MIN,
    topology: handTopology(o.redundancy ?? 'hot'),
    // 20-minute calls entering B, 55 Erlangs on 60 agents: most agents are on a call.
    traffic: o.traffic ?? traffic(165, 20 * MIN, { siteSplit: { A: 0, B: 1 }, wrapUpMs: WRAP }),
    agents: [
      { group: 'sales', count: SALES, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 20, preferredSite: 'B', peerSite: 'A' },
    ],
    options: {
      'disaster-recovery.enabled': true,
      'disaster-recovery.auto-restore': true,
      'sipendpoint.reg_timeout': 60_000,
      ...options,
    },
  });
  const c = new Center(spec, 0);
  const log = {
    logouts: [] as { a: number; tMs: number; reason: LogoutReason; atCallEnd: boolean }[],
    dropped: [] as number[],
    callEndAt: new Map<number, number>(),
  };
  c.telephony.observe({
    onAgentLoggedOut(a, reason) {
      // A call that ended now owes its wrap-up from now (kept across the logout).
      const atCallEnd = c.telephony.agents.wrapUntilMs[a] === c.sim.nowMs + WRAP;
      log.logouts.push({ a, tMs: c.sim.nowMs, reason, atCallEnd });
    },
    onCallEnded(a) {
      log.callEndAt.set(a, c.sim.nowMs);
    },
    onCallLost(_site, how) {
      if (how === 'dropped') log.dropped.push(c.sim.nowMs);
    },
  });
  return { c, log };
}

describe('auto-restore while agents are on calls', () => {
  test('an agent on a call returns only when the call ends: no call is dropped by the return', () => {
    const { c, log } = center([crashA], {}, 90);
    const r = c.run();
    // Nothing is dropped after the site is back.
    expect(log.dropped.filter((t) => t > restoreAt)).toEqual([]);
    const returns = log.logouts.filter((l) => l.a < SALES && l.tMs > restoreAt);
    // Every sales agent went back, but for one still on the call it had when A came back.
    const back = new Set(returns.map((l) => l.a));
    expect(back.size).toBe(returns.length);
    for (let a = 0; a < SALES; a++) {
      if (back.has(a)) continue;
      expect(c.telephony.agents.isOnCall(a)).toBe(true);
      expect(log.callEndAt.get(a) ?? 0).toBeLessThan(restoreAt);
    }
    expect(returns.length).toBeGreaterThanOrEqual(SALES - 2);
    expect(returns.every((l) => l.reason === 'desktop')).toBe(true);
    // Most returns waited for a call's end (the rest found the agent idle at a registration).
    expect(returns.filter((l) => l.atCallEnd).length).toBeGreaterThan(SALES / 2);
    for (const a of back) expect(r.agents[a]!.finalSite).toBe('A');
  });

  test('the preferred site failing again before the call ends cancels the pending return', () => {
    // A back in service at about restoreAt + 140 s; every endpoint registers within 60 s after:
    // at secondAt, the sales agents still at B are on a call with a return pending.
    const secondAt = restoreAt + 140_000 + 2 * MIN;
    const second: F = { kind: 'site-crash', target: 'A', atMs: secondAt, durationMs: 30 * MIN };
    const { c, log } = center([crashA, second]);
    c.sim.run({ untilMs: secondAt - 1, eventsMax: 1e9 });
    const pending = [...Array(SALES).keys()].filter(
      (a) => c.desktops.siteOf(a) === 'B' && c.telephony.agents.isOnCall(a),
    );
    expect(pending.length).toBeGreaterThan(5);
    const before = log.logouts.length;
    c.sim.run({ untilMs: secondAt + 25 * MIN, eventsMax: 1e9 });
    expect(log.logouts.slice(before).filter((l) => pending.includes(l.a))).toEqual([]);
    // Their calls ended meanwhile (20-minute mean).
    const ended = pending.filter((a) => log.callEndAt.get(a)! > secondAt);
    expect(ended.length).toBeGreaterThan(pending.length / 2);
    for (const a of pending) {
      expect(c.desktops.siteOf(a)).toBe('B');
      expect(c.desktops.phaseOf(a)).toBe('working');
    }
  });
});

describe('a second fault during a DR move', () => {
  test('the peer’s SIP Servers fail while the agents log in there: after the timeout they are back at A', () => {
    // A down one minute: the sales desktops notice (ADDP), and after disaster-recovery.timeout
    // (60 s) move to B, T0 + 70..85 s; B's SIP Server hosts crash for good in the middle of it.
    const atB = T0 + 75_000;
    const faults: F[] = [
      { kind: 'site-crash', target: 'A', atMs: T0, durationMs: MIN },
      { kind: 'host-crash', target: 'b-sip-1', atMs: atB },
      { kind: 'host-crash', target: 'b-sip-2', atMs: atB },
    ];
    const { c } = center(faults, {}, 30);
    c.sim.run({ untilMs: atB - 1, eventsMax: 1e9 });
    const switching = [...Array(SALES).keys()].filter((a) => c.desktops.phaseOf(a) === 'switching');
    expect(switching.length).toBeGreaterThan(0);
    const r = c.run();
    for (let a = 0; a < SALES; a++) {
      expect(c.desktops.phaseOf(a)).toBe('working');
      expect(c.desktops.siteOf(a)).toBe('A');
      // To B, and back after the timeout there; a desktop whose login waited at A for longer
      // than disaster-recovery.timeout (A's CS Proxies still starting) went to B and back once
      // more.
      expect([2, 4]).toContain(r.agents[a]!.drSwitchovers);
      // Back at A within a few minutes of A's restore (host boot, app start, DR timeouts).
      expect(r.agents[a]!.outageMs).toBeLessThan(6 * MIN);
    }
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });

  test('the whole peer site fails while the agents log in there: disaster-recovery.timeout runs during the wait, and they are back at A', () => {
    // As above, but B crashes as a whole (for good): its CS Proxies no longer answer, so the
    // logins wait login.nodes Timeout after Timeout; telephony is OFF all that time, and after
    // disaster-recovery.timeout the desktops switch again, to A (up again since T0 + ~3 min).
    // B's own agents (support) move to A after theirs.
    const atB = T0 + 75_000;
    const faults: F[] = [
      { kind: 'site-crash', target: 'A', atMs: T0, durationMs: MIN },
      { kind: 'site-crash', target: 'B', atMs: atB },
    ];
    const { c } = center(faults, {}, 30);
    c.sim.run({ untilMs: atB - 1, eventsMax: 1e9 });
    const switching = [...Array(SALES).keys()].filter((a) => c.desktops.phaseOf(a) === 'switching');
    expect(switching.length).toBeGreaterThan(0);
    const r = c.run();
    for (let a = 0; a < SALES + 20; a++) {
      expect(c.desktops.phaseOf(a)).toBe('working');
      expect(c.desktops.siteOf(a)).toBe('A');
    }
    for (let a = 0; a < SALES; a++) {
      // To B, and back to A once the timeout has passed and A's CS Proxy answers (a login at
      // B gives up only for a site that answers: A's proxies are still starting at the timeout).
      expect(r.agents[a]!.drSwitchovers).toBe(2);
      expect(r.agents[a]!.outageMs).toBeLessThan(6 * MIN);
    }
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });
});

describe('the return needs the preferred site’s CS Proxy', () => {
  // A crashes for 5 minutes and its management host (the CS Proxy) with it, for good or for 30
  // minutes: A's SIP Servers serve again after ~7 minutes, its CS Proxy not.
  const faults = (mgmtMs?: number): F[] => [
    { kind: 'site-crash', target: 'A', atMs: T0, durationMs: 5 * MIN },
    { kind: 'host-crash', target: 'a-mgmt', atMs: T0, durationMs: mgmtMs },
  ];

  test('A’s CS Proxy lost for good: the sales desktops stay at B, one DR switchover each', () => {
    // Before, each registration at B sent them back to A, where the login waited for the CS
    // Proxy until disaster-recovery.timeout sent them to B again: ~45 switchovers each.
    const { c } = center(faults(), {}, 90);
    const r = c.run();
    for (let a = 0; a < SALES; a++) {
      expect(c.desktops.phaseOf(a)).toBe('working');
      expect(c.desktops.siteOf(a)).toBe('B');
      expect(r.agents[a]!.drSwitchovers).toBe(1);
      expect(r.agents[a]!.outageMs).toBeLessThan(5 * MIN);
    }
  });

  test('A’s CS Proxy back after 30 minutes: they return once it answers, not before', () => {
    const proxyBack = T0 + 30 * MIN + 120_000; // host boot; the proxy starts after it
    const { c, log } = center(faults(30 * MIN), {}, 90);
    const r = c.run();
    const returns = log.logouts.filter((l) => l.a < SALES && l.tMs > T0 + 5 * MIN);
    expect(returns.length).toBeGreaterThan(SALES / 2);
    for (const l of returns) expect(l.tMs).toBeGreaterThan(proxyBack);
    for (let a = 0; a < SALES; a++) expect(r.agents[a]!.drSwitchovers).toBeLessThanOrEqual(2);
  });

  test('a return that waited for a call’s end while A’s CS Proxy failed meanwhile goes once the proxy is back', () => {
    // A back at T0 + 10 min: the sales agents on calls at B owe a return at their call's end.
    // A's CS Proxy crashes at T0 + 13 min for 10 minutes (A's SIP Servers keep serving): calls
    // ending then find A unavailable. Before, the owed return was then dropped for good: those
    // agents stayed at B to the end, idle or not.
    const from = T0 + 13 * MIN;
    const proxyBack = T0 + 23 * MIN;
    const { c, log } = center(
      [crashA, { kind: 'process-crash', target: 'csp-a', atMs: from, durationMs: 10 * MIN }],
      {},
      90,
    );
    const endedAtB = new Set<number>();
    c.telephony.observe({
      onCallEnded(a) {
        const t = c.sim.nowMs;
        if (a < SALES && t > from && t < proxyBack && c.desktops.siteOf(a) === 'B') endedAtB.add(a);
      },
    });
    c.run();
    expect(endedAtB.size).toBeGreaterThan(3);
    for (const a of endedAtB) {
      const back = log.logouts.filter(
        (l) => l.a === a && l.reason === 'desktop' && l.tMs > proxyBack,
      );
      expect(back.length, `sales ${a}`).toBe(1);
      expect(c.desktops.siteOf(a), `sales ${a}`).toBe('A');
    }
  });
});

describe('a registration while telephony is OFF at the peer site', () => {
  test('the return is not lost: the next registration after the desktop reconnects takes it home', () => {
    // Warm standby: A crashes for 5 minutes, the sales desktops move to B (~T0 + 70 s) and
    // register there, next on their 600 s cycle (~T0 + 670 s). B's SIP primary crashes 5 s before
    // that: the desktops are OFF (retrying) at their registration. Before, that registration
    // was dropped and none was armed again: the desktops stayed at B to the end of the run.
    const regMs = 600_000;
    const { c } = center(
      [
        { kind: 'site-crash', target: 'A', atMs: T0, durationMs: 5 * MIN },
        { kind: 'process-crash', target: 'sip-b-1', atMs: T0 + 66_000 + regMs },
      ],
      { 'sipendpoint.reg_timeout': regMs },
      60,
      {
        seed: 7,
        redundancy: 'warm',
        traffic: traffic(120, 3 * MIN, { siteSplit: { A: 0.5, B: 0.5 } }),
      },
    );
    const offAtTick: number[] = [];
    c.sim.run({ untilMs: T0 + 72_000 + regMs, eventsMax: 1e9 });
    for (let a = 0; a < SALES; a++)
      if (c.desktops.siteOf(a) === 'B' && c.desktops.phaseOf(a) === 'off') offAtTick.push(a);
    expect(offAtTick.length).toBeGreaterThan(SALES / 2);
    const r = c.run();
    for (const a of offAtTick) {
      expect(c.desktops.siteOf(a), `sales ${a}`).toBe('A');
      // Home on a later registration (a return is not a DR switchover).
      expect(r.agents[a]!.drSwitchovers, `sales ${a}`).toBe(1);
    }
  });
});
