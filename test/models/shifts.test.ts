// Shifts (SPEC §5.1): agents log in at their shift's start and out at its end, after their call
// and its wrap-up; intervals' agents_scheduled follows the shifts; a group off shift takes no
// call. agent-logout (SPEC §5.2): manual after the call and wrap-up, supervisor when the call
// ends, no DR action; back at the next shift. Budget: ~2 s (short runs of 60 agents at most).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { AgentState } from '../../src/models/telephony/telephony.js';
import { handScenario, handTopology, split, traffic, type FaultDraft } from './hand-spec.js';
import type { IntervalRow } from '../../src/models/telephony/telephony.js';

const H = 3_600_000;

function center(o: {
  faults?: FaultDraft[];
  hours: number;
  callsPerHour: number;
  ahtMs: number;
  wrapUpMs?: number;
  shifts: { startMs: number; endMs: number; count: number }[];
  count: number;
  services?: boolean;
}) {
  const t = traffic(o.callsPerHour, o.ahtMs, {
    siteSplit: { A: 1, B: 0 },
    wrapUpMs: o.wrapUpMs ?? 0,
    patienceMs: 120_000,
  });
  if (o.services === true) {
    // sales works shifts; night takes its own calls around the clock.
    t.services = [
      {
        name: 'sales',
        callsPerHour: o.callsPerHour,
        groups: ['sales'],
        siteSplit: split({ A: 1, B: 0 }),
        handleTime: t.handleTime,
        wrapUpMs: t.wrapUpMs,
        patienceMs: t.patienceMs,
      },
      {
        name: 'night',
        callsPerHour: 20,
        groups: ['night'],
        siteSplit: split({ A: 1, B: 0 }),
        handleTime: t.handleTime,
        wrapUpMs: t.wrapUpMs,
        patienceMs: t.patienceMs,
      },
    ];
  }
  const spec = handScenario(o.faults ?? [], {
    seed: 5,
    durationMs: o.hours * H,
    topology: handTopology('hot'),
    traffic: t,
    agents: [
      { group: 'sales', count: o.count, preferredSite: 'A', peerSite: 'B', shifts: o.shifts },
      ...(o.services === true
        ? [{ group: 'night', count: 5, preferredSite: 'A', peerSite: 'B' }]
        : []),
    ],
    options: { 'disaster-recovery.enabled': true },
  });
  return new Center(spec, 0);
}

/** The interval row of site A and a service starting at `atMs`. */
function row(rows: readonly IntervalRow[], atMs: number, service = 'all'): IntervalRow {
  const r = rows.find((x) => x.startMs === atMs && x.site === 'A' && x.service === service);
  expect(r, `interval at ${atMs / H} h`).toBeDefined();
  return r!;
}

describe('shifts', () => {
  test('agents_scheduled and agents logged in follow the shifts, day after day', () => {
    const c = center({
      hours: 48,
      callsPerHour: 60,
      ahtMs: 120_000,
      count: 30,
      shifts: [
        { startMs: 7 * H, endMs: 15 * H, count: 20 },
        { startMs: 12 * H, endMs: 20 * H, count: 10 },
      ],
    });
    const r = c.run();
    const rows = r.intervals;
    for (const day of [0, 24 * H]) {
      for (const [h, n] of [
        [3, 0],
        [8, 20],
        [13, 30],
        [16, 10],
        [21, 0],
      ] as const) {
        const x = row(rows, day + h * H);
        expect(x.scheduledMean, `scheduled at ${h} h`).toBe(n);
        // Logged in: everyone scheduled, a few seconds after the shift starts (client restart
        // and login queues); nobody outside the shifts.
        expect(x.loggedInMean, `logged in at ${h} h`).toBeCloseTo(n, 5);
      }
      // The quarter hour in which the second shift starts: 10 agents for the last 15 min, less
      // the seconds their login takes.
      const start = row(rows, day + 12 * H);
      expect(start.scheduledMean).toBe(30);
      expect(start.loggedInMean).toBeGreaterThan(29.8);
      expect(start.loggedInMean).toBeLessThan(30);
    }
    // Agents off shift are not in outage, and the run ends with none missing.
    expect(r.agents.every((a) => a.outageMs === 0)).toBe(true);
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });

  test('a call in progress at the shift end completes; the agent logs out after its wrap-up', () => {
    const c = center({
      hours: 3,
      callsPerHour: 120,
      ahtMs: 600_000,
      wrapUpMs: 30_000,
      count: 4,
      shifts: [{ startMs: 0, endMs: 1 * H, count: 4 }],
    });
    c.sim.run({ untilMs: H - 1, eventsMax: 10_000_000 });
    const tel = c.telephony;
    const talking = [0, 1, 2, 3].filter((a) => tel.agents.state[a] === AgentState.Talking);
    expect(talking.length).toBeGreaterThan(0); // 120 calls an hour of 10 min for 4 agents
    const calls = talking.map((a) => tel.agents.call[a]!);
    c.sim.run({ untilMs: H + 1, eventsMax: 10_000_000 });
    // Past the shift end: the talking agents are still logged in, on the same call.
    for (const [i, a] of talking.entries()) {
      expect(tel.agents.pool[a]).toBeGreaterThanOrEqual(0);
      expect(tel.agents.call[a]).toBe(calls[i]);
    }
    // The first of them: its call ends, it wraps up (30 s) still logged in, then logs out.
    const a0 = talking[0]!;
    let t = H + 1;
    while (tel.agents.call[a0] === calls[0] && t < 3 * H - 60_000) {
      t += 1000;
      c.sim.run({ untilMs: t, eventsMax: 10_000_000 });
    }
    expect(tel.agents.state[a0]).toBe(AgentState.WrapUp);
    expect(tel.agents.pool[a0]).toBeGreaterThanOrEqual(0);
    c.sim.run({ untilMs: t + 31_000, eventsMax: 10_000_000 });
    expect(tel.agents.pool[a0]).toBe(-1);
    const before = c.telephony.totals.dropped;
    // The calls ended in their own time: none was cut, every agent logged out after its own.
    const r = c.run();
    expect(r.counters['calls_dropped']).toBe(before);
    expect(r.counters['calls_dropped']).toBe(0);
    for (let a = 0; a < 4; a++) expect(tel.agents.pool[a]).toBe(-1);
    expect(r.counters['agents_logged_out_end']).toBe(0);
    expect(r.agents.every((a) => a.outageMs === 0)).toBe(true);
  });

  test('no call reaches a group off shift at 03:00; another service is served meanwhile', () => {
    const c = center({
      hours: 10,
      callsPerHour: 60,
      ahtMs: 120_000,
      count: 10,
      shifts: [{ startMs: 7 * H, endMs: 15 * H, count: 10 }],
      services: true,
    });
    const r = c.run();
    for (const h of [0, 1, 2, 3, 4, 5, 6]) {
      const sales = row(r.intervals, h * H, 'sales');
      expect(sales.offered).toBeGreaterThan(0);
      expect(sales.answered, `sales answered at ${h} h`).toBe(0);
      expect(sales.loggedInMean).toBe(0);
    }
    const answered = (svc: string, from: number, to: number) =>
      r.intervals
        .filter((x) => x.service === svc && x.startMs >= from * H && x.startMs < to * H)
        .reduce((n, x) => n + x.answered, 0);
    expect(answered('night', 0, 7)).toBeGreaterThan(50);
    expect(answered('sales', 7, 10)).toBeGreaterThan(120);
  });
});

describe('agent-logout', () => {
  /** Runs to just before the logout at 30 min, returns the talking agents and their calls. */
  function atLogout(
    reason: 'manual' | 'supervisor',
    shifts = [{ startMs: 0, endMs: 20 * H, count: 6 }],
  ) {
    const c = center({
      faults: [{ kind: 'agent-logout', target: 'sales', share: 1, reason, atMs: 0.5 * H }],
      hours: 26,
      callsPerHour: 150,
      ahtMs: 600_000,
      wrapUpMs: 30_000,
      count: 6,
      shifts,
    });
    c.sim.run({ untilMs: 0.5 * H - 1, eventsMax: 10_000_000 });
    const tel = c.telephony;
    const talking = [0, 1, 2, 3, 4, 5].filter((a) => tel.agents.state[a] === AgentState.Talking);
    expect(talking.length).toBeGreaterThan(0);
    return { c, tel, a0: talking[0]!, call0: tel.agents.call[talking[0]!]! };
  }

  /** Steps until agent a's call is over. */
  function untilCallEnds(c: Center, a: number, call: number): number {
    let t = c.sim.nowMs;
    while (c.telephony.agents.call[a] === call && t < 5 * H) {
      t += 1000;
      c.sim.run({ untilMs: t, eventsMax: 10_000_000 });
    }
    return t;
  }

  test('manual: a talking agent finishes its call and wrap-up, then logs out; idle agents at once', () => {
    const { c, tel, a0, call0 } = atLogout('manual');
    c.sim.run({ untilMs: 0.5 * H + 1, eventsMax: 10_000_000 });
    for (let a = 0; a < 6; a++)
      if (tel.agents.call[a]! < 0 && tel.agents.state[a] !== AgentState.WrapUp)
        expect(tel.agents.pool[a], `idle agent ${a}`).toBe(-1);
    expect(tel.agents.pool[a0]).toBeGreaterThanOrEqual(0);
    const t = untilCallEnds(c, a0, call0);
    expect(tel.agents.state[a0]).toBe(AgentState.WrapUp);
    expect(tel.agents.pool[a0]).toBeGreaterThanOrEqual(0);
    c.sim.run({ untilMs: t + 31_000, eventsMax: 10_000_000 });
    expect(tel.agents.pool[a0]).toBe(-1);
    expect(c.desktops.phaseOf(a0)).toBe('off-duty');
  });

  test('supervisor: the logout comes when the call ends; the wrap-up is owed at the next login', () => {
    const { c, tel, a0, call0 } = atLogout('supervisor');
    untilCallEnds(c, a0, call0);
    expect(tel.agents.pool[a0]).toBe(-1);
    expect(tel.agents.wrapUntilMs[a0]).toBeGreaterThan(c.sim.nowMs);
  });

  test('no DR action, no outage, no call cut; the agents are back at their next shift', () => {
    const { c } = atLogout('manual');
    const r = c.run();
    expect(r.counters['calls_dropped']).toBe(0);
    expect(r.counters['dr_switchovers']).toBe(0);
    expect(r.agents.every((a) => a.outageMs === 0)).toBe(true);
    // Shift 0–20 h: logged out at 30 min, back at midnight (the run ends at 26 h).
    const back = r.intervals.find((x) => x.startMs === 24 * H && x.site === 'A')!;
    expect(back.loggedInMean).toBeCloseTo(6, 1);
    const gone = r.intervals.find((x) => x.startMs === 10 * H && x.site === 'A')!;
    expect(gone.loggedInMean).toBe(0);
    expect(gone.scheduledMean).toBe(6); // scheduled all the same
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });

  test('with a duration the agents log in again when it ends (login path); not one whose shift ended', () => {
    const run = (endMs: number) =>
      center({
        faults: [
          {
            kind: 'agent-logout',
            target: 'sales',
            share: 1,
            reason: 'supervisor',
            atMs: 0.5 * H,
            durationMs: H,
          },
        ],
        hours: 3,
        callsPerHour: 150,
        ahtMs: 600_000,
        wrapUpMs: 30_000,
        count: 6,
        shifts: [{ startMs: 0, endMs, count: 6 }],
      });
    const c = run(20 * H);
    const tel = c.telephony;
    const loggedIn = () => [0, 1, 2, 3, 4, 5].filter((a) => tel.agents.pool[a]! >= 0).length;
    c.sim.run({ untilMs: 1.5 * H - 1, eventsMax: 10_000_000 });
    expect(loggedIn()).toBe(0); // every call of 10 min ended within the hour
    c.sim.run({ untilMs: 1.5 * H + 1000, eventsMax: 10_000_000 });
    expect(loggedIn()).toBe(0); // start-up: desktop-relogin-time before the login
    c.sim.run({ untilMs: 1.5 * H + 60_000, eventsMax: 10_000_000 });
    expect(loggedIn()).toBe(6);
    // The shift ended at 1 h, during the logout: nobody comes back at 1.5 h.
    const ended = run(H);
    ended.sim.run({ untilMs: 1.5 * H + 60_000, eventsMax: 10_000_000 });
    expect([0, 1, 2, 3, 4, 5].filter((a) => ended.telephony.agents.pool[a]! >= 0)).toEqual([]);
  });
});
