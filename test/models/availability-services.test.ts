// The availability headline per service (issue #17): the center is up while the callers of every
// service in its opening hours can reach an agent of its groups from every site they enter at,
// under the routing policy. Two services, each group working at one site, calls of both entering
// at both sites. Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { RoutingPolicy, ShiftSpec } from '../../src/spec/types.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

const M = 60_000;
const H = 60 * M;

function run(
  policy: RoutingPolicy,
  o: { faults?: FaultDraft[]; supportShifts?: ShiftSpec[]; supportHandleMs?: number } = {},
) {
  const t = traffic(0, 180_000, { patienceMs: 90_000 });
  const svc = (name: string) => ({
    name,
    callsPerHour: 120,
    groups: [name],
    siteSplit: { A: 0.5, B: 0.5 },
    handleTime:
      name === 'support' && o.supportHandleMs !== undefined
        ? { ...t.handleTime, meanMs: o.supportHandleMs }
        : t.handleTime,
    wrapUpMs: 0,
    patienceMs: 90_000,
  });
  t.services = [svc('sales'), svc('support')];
  const spec = handScenario(o.faults ?? [], {
    seed: 4,
    durationMs: H,
    topology: handTopology('hot', { urs: true }),
    traffic: t,
    agents: [
      { group: 'sales', count: 10, preferredSite: 'A', peerSite: 'B' },
      {
        group: 'support',
        count: 10,
        preferredSite: 'B',
        peerSite: 'A',
        ...(o.supportShifts ? { shifts: o.supportShifts } : {}),
      },
    ],
  });
  spec.routing = { policy, overflowAfterMs: 10_000 };
  const r = new Center(spec, 0).run();
  const c = r.services.find((s) => s.service === 'center')!;
  return {
    availability: c.uptimeMs / (c.uptimeMs + c.downtimeMs),
    downtimeMs: c.downtimeMs,
    outages: c.outages,
    services: r.services,
    abandonedShare: r.counters.calls_abandoned! / r.counters.calls_offered!,
  };
}

describe('availability headline per service', () => {
  test('local-only: callers entering where their group does not work reach no agent; local-first: they do', () => {
    const only = run('local-only');
    const first = run('local-first');
    // Half of each service's callers enter at the site without its group: abandoned, and the
    // headline says so (it used to stay 1.0 since some agent was reachable at every site).
    expect(only.abandonedShare).toBeGreaterThan(0.3);
    expect(only.availability).toBeLessThan(0.01);
    expect(first.abandonedShare).toBeLessThan(0.12);
    expect(first.availability).toBe(1);
    expect(first.outages).toBe(0); // desktops logging in at the start are no outage
  });

  test('a WAN cut under local-first: callers of the far site reach no agent of their group while it lasts', () => {
    const hosts = handTopology().hosts;
    const r = run('local-first', {
      faults: [
        {
          kind: 'network-partition',
          target: 'A|B',
          sideA: hosts.filter((h) => h.site === 'A').map((h) => h.id),
          sideB: hosts.filter((h) => h.site === 'B').map((h) => h.id),
          atMs: 30 * M,
          durationMs: 5 * M,
        },
      ],
    });
    expect(r.outages).toBe(1);
    expect(r.downtimeMs).toBe(5 * M);
  });

  test('closed hours are not an outage: a service whose groups are off shift does not count', () => {
    // support works 00:00-00:30; its callers after that reach nobody, but support is closed.
    const r = run('local-first', { supportShifts: [{ startMs: 0, endMs: 30 * M, count: 10 }] });
    expect(r.availability).toBe(1);
    expect(r.abandonedShare).toBeGreaterThan(0.15); // the closed service's callers still call
  });

  test('a row per call service: site A lost without DR strands the sales callers, not the support ones', () => {
    // sales works at A, support at B; DR is off, so sales' agents stay down with their site.
    // Support's callers entering at A find B once the gateways marked A down; sales' callers
    // reach no sales agent anywhere until A is back.
    const r = run('local-first', {
      faults: [{ kind: 'site-crash', target: 'A', atMs: 20 * M, durationMs: 20 * M }],
    });
    const row = (name: string) => r.services.find((s) => s.service === name)!;
    const sales = row('service:sales');
    const support = row('service:support');
    expect(sales.callService).toBe('sales');
    expect(sales.outages).toBe(1);
    // Down from the crash until sales' agents are logged in again after the restore.
    expect(sales.downtimeMs).toBeGreaterThanOrEqual(20 * M);
    expect(sales.downtimeMs).toBeLessThan(25 * M); // hosts boot, servers start, desktops log in
    // Support: only until the gateways send site A's callers to B (the first INVITE to A after
    // the crash, a minute or so at 60 calls an hour there, then gateway-detect-time).
    expect(support.downtimeMs).toBeGreaterThan(0);
    expect(support.downtimeMs).toBeLessThan(5 * M);
    expect(sales.callsLost).toBeGreaterThan(5 * support.callsLost);
    // Agent minutes: the ten sales agents for the crash, no support agent.
    expect(sales.agentOutageMs).toBeGreaterThanOrEqual(10 * 20 * M);
    expect(support.agentOutageMs).toBe(0);
    // The center is down while either is: at least as long as sales.
    expect(r.downtimeMs).toBeGreaterThanOrEqual(sales.downtimeMs);
    // The rows of the pairs, sites and center are still there.
    expect(r.services.map((s) => s.service)).toEqual(
      expect.arrayContaining(['sip-a', 'telephony:A', 'telephony:B', 'center']),
    );
  });

  test("customer minutes: each lost call counts its own service's mean handle time, in the center's row too", () => {
    // support calls last 10 min, sales (and the traffic's default) 3 min. The center's row used
    // the traffic's handle time for every lost call.
    const r = run('local-first', {
      faults: [{ kind: 'site-crash', target: 'A', atMs: 20 * M, durationMs: 20 * M }],
      supportHandleMs: 600_000,
    });
    const row = (name: string) => r.services.find((s) => s.service === name)!;
    const sales = row('service:sales');
    const support = row('service:support');
    const center = row('center');
    expect(support.callsLost).toBeGreaterThan(0);
    expect(sales.customerMinutesLost).toBeCloseTo(sales.callsLost * 3, 6);
    expect(support.customerMinutesLost).toBeCloseTo(support.callsLost * 10, 6);
    // The center is down while either service is: its lost calls include both rows' calls.
    expect(center.customerMinutesLost).toBeGreaterThanOrEqual(
      sales.customerMinutesLost + support.customerMinutesLost - 1e-9,
    );
    expect(center.customerMinutesLost).toBeGreaterThan(center.callsLost * 3);
    expect(center.customerMinutesLost).toBeLessThan(center.callsLost * 10);
  });
});
