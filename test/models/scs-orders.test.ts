// SCS keeps deciding (DOMAIN §12): an order that is lost is dropped after scs-order-timeout and
// the pair decided again from what SCS sees then — the reports that reached it while the order
// was pending included; no pair is left without a primary because one order got lost.
// Budget: a few one-hour replications of the hand topology and two of wan-degrade-loss (< 3 s).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { loadScenario } from '../../src/scenario/load.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import { handScenario, handTopology, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const T0 = 601_000;
const ORDER_TIMEOUT_MS = 30_000; // scs-order-timeout default

function runCenter(faults: F[], seed = 1, options: Record<string, OptionValue> = {}) {
  const trace = new MemoryTrace();
  const center = new Center(handScenario(faults, { seed, options }), 0, trace);
  const r = center.run();
  const rows = (component: string, state: string) =>
    trace.rows.filter((x) => x.component === component && x.state === state);
  return { r, rows };
}

const others = handTopology()
  .hosts.map((h) => h.id as string)
  .filter((h) => h !== 'a-sip-2');

/** a-sip-2 cut off for `blipMs` while the primary SIP Server of site A crashes. */
const blipAndCrash = (blipMs: number): F[] => [
  {
    kind: 'network-partition',
    target: 'a-sip-2|rest',
    sideA: ['a-sip-2'],
    sideB: others,
    atMs: T0,
    durationMs: blipMs,
  },
  { kind: 'process-crash', target: 'sip-a-1', atMs: T0 },
];

describe('an order lost in a network blip', () => {
  test('a 100 ms blip: the order is dropped after scs-order-timeout and the pair decided again from the report that came meanwhile', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const { r, rows } = runCenter(blipAndCrash(100), seed);
      const sipA = r.switchovers.filter((s) => s.pair === 'sip-a');
      // The first order crossed the cut and was lost; sip-a-1 restarted as backup meanwhile.
      expect(sipA[0]!.failure).toMatch(/scs-order-timeout/);
      const done = sipA.filter((s) => s.completedAtMs !== undefined);
      expect(done).toHaveLength(1);
      // Decided again at the drop, not left without a primary to the end of the run.
      expect(done[0]!.detectedAtMs - T0).toBeLessThanOrEqual(ORDER_TIMEOUT_MS + 10);
      const gap = r.pairs.find((p) => p.id === 'sip-a')!.gapMaxMs;
      expect(gap).toBeLessThan(ORDER_TIMEOUT_MS + 2_000);
      expect(rows('sip-a', 'order-dropped')).toHaveLength(1);
      expect(r.counters.unconverged_pairs).toBe(0);
      expect(r.counters.orders_pending_end).toBe(0);
    }
  });

  test('a cut SCS does not notice: the lost order is retried every scs-order-timeout, then carried out', () => {
    // addp-timeout 5 min: the 100 s cut goes unnoticed, so nothing but the timeout ends the
    // orders. sip-a-1 is not restarted: sip-a-2 is the only member that can take the role.
    const { r, rows } = runCenter(blipAndCrash(100_000), 1, {
      'addp-timeout': 300_000,
      autorestart: false,
    });
    const drops = rows('sip-a', 'order-dropped').map((x) => x.tMs - T0);
    // Ordered at +1 ms, +30 s, +60 s, +90 s (all lost in the cut), +120 s (carried out).
    expect(drops).toEqual([1, 2, 3, 4].map((k) => k * ORDER_TIMEOUT_MS + 1));
    const sipA = r.switchovers.filter((s) => s.pair === 'sip-a');
    expect(sipA.map((s) => s.to)).toEqual(Array(5).fill('sip-a-2'));
    const done = sipA.filter((s) => s.completedAtMs !== undefined);
    expect(done).toHaveLength(1);
    expect(done[0]!.completedAtMs! - T0).toBeGreaterThan(100_000);
    expect(done[0]!.completedAtMs! - T0).toBeLessThan(4 * ORDER_TIMEOUT_MS + 2_000);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('an order that finds its target already in the mode it orders', () => {
  test('a demote to a member already backup: its LCA reports the mode, the order ends at once (no scs-order-timeout, no re-send)', () => {
    const trace = new MemoryTrace();
    const center = new Center(handScenario([], { seed: 1 }), 0, trace);
    center.sim.run({ untilMs: T0, eventsMax: 1e9 });
    const scs = center.scs.find((s) => s.acting)!;
    const pair = center.pairs.find((p) => p.id === 'sip-a')!;
    const backup = pair.members.find((m) => m.role === 'backup')!;
    // As after a lost report: SCS orders to backup a member that already runs as backup.
    scs.orders.orderDemote(pair, backup, 'stale view');
    center.sim.run({ untilMs: T0 + 5_000, eventsMax: 1e9 });
    expect(scs.orders.pairs()).toEqual([]);
    const r = center.run();
    const rows = (state: string) =>
      trace.rows.filter((x) => x.component === 'sip-a' && x.state === state);
    expect(rows('demote-ordered')).toHaveLength(1);
    expect(rows('order-dropped')).toHaveLength(0);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('an order its hung target reads after SCS gave it up', () => {
  test('the switchover stays failed; the pair recovered through the restarted member, not at the late read', () => {
    // heartbeat-period 0: nobody sees sip-a-2 hang (5 min). sip-a-1 crashes a minute in: the
    // order to sip-a-2 waits unread, is dropped after scs-order-timeout, and SCS takes back the
    // restarted sip-a-1. When the hang ends sip-a-2 reads the stale order and runs as primary:
    // two primaries for an instant (SCS demotes it), not the completion of the switchover.
    const hangAt = T0 - 60_000;
    const { r, rows } = runCenter(
      [
        { kind: 'process-hang', target: 'sip-a-2', atMs: hangAt, durationMs: 300_000 },
        { kind: 'process-crash', target: 'sip-a-1', atMs: T0 },
      ],
      1,
      { 'heartbeat-period': 0 },
    );
    const sipA = r.switchovers.filter((s) => s.pair === 'sip-a');
    const ordered = sipA.find((s) => s.to === 'sip-a-2')!;
    expect(ordered.failure).toMatch(/scs-order-timeout/);
    expect(ordered.completedAtMs).toBeUndefined(); // before: completed at the end of the hang
    const recovery = sipA.find((s) => s.to === 'sip-a-1')!;
    expect(recovery.cause).toBe('recovery');
    expect(recovery.completedAtMs! - T0).toBeLessThan(ORDER_TIMEOUT_MS + 2_000);
    // The late read is in the timeline, with the reason the order was given up.
    const stale = rows('sip-a-2', 'stale-order');
    expect(stale).toHaveLength(1);
    expect(stale[0]!.tMs - (hangAt + 300_000)).toBeLessThan(1_000);
    expect(stale[0]!.cause).toMatch(/scs-order-timeout/);
    expect(rows('sip-a', 'demote-ordered').length).toBeGreaterThan(0);
    expect(r.counters.unconverged_pairs).toBe(0);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('two primaries made by an order SCS gave up', () => {
  test('SCS keeps the member that served meanwhile, not the stale order’s target', () => {
    // sip-a-2 hung unseen; the LCA of a-sip-1 crashes for 20 s: SCS reads a host loss and orders
    // sip-a-2 to primary (unread), gives the order up after scs-order-timeout and, the LCA back,
    // leaves sip-a-1 primary. At the hang's end sip-a-2 carries out the stale order: of the two
    // primaries SCS keeps sip-a-1, which served all along (before: the "promoted last" sip-a-2).
    const hangAt = T0 - 60_000;
    const { r, rows } = runCenter(
      [
        { kind: 'process-hang', target: 'sip-a-2', atMs: hangAt, durationMs: 300_000 },
        { kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 20_000 },
      ],
      1,
      { 'heartbeat-period': 0 },
    );
    expect(rows('sip-a-2', 'stale-order')).toHaveLength(1);
    const resolved = rows('sip-a', 'conflict-resolving');
    expect(resolved.map((x) => x.cause)).toEqual(['keep sip-a-1, demote sip-a-2']);
    expect(rows('sip-a-1', 'backup started').filter((x) => x.tMs > T0)).toHaveLength(0);
    expect(r.counters.unconverged_pairs).toBe(0);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('a lossy WAN: orders given up and polls lost just before the heal', () => {
  // scenarios/wan-degrade-loss.yaml: 40 % loss on the WAN for 30 minutes (30–60 min). ADDP
  // reads lost polls as lost hosts, the backup SCS promotes itself for a while, and an order can
  // wait behind TCP retransmissions for minutes.
  const run = (seed: number, replication: number) => {
    const spec = loadScenario('scenarios/wan-degrade-loss.yaml', { seed });
    const trace = new MemoryTrace();
    const r = new Center(spec, replication, trace).run();
    return { r, trace };
  };

  test('an order its SCS dropped when it stepped down stays failed when its target gets it later', () => {
    // Seed 7, replication 0: scs-b, primary for a while, orders urs-a-2 to primary and steps
    // down; the order reaches urs-a-2 seconds later (before: the switchover "completed" then).
    const { r, trace } = run(7, 0);
    const dropped = trace.rows.filter(
      (x) => x.state === 'order-dropped' && x.cause.startsWith('promote '),
    );
    expect(dropped.some((x) => x.cause.endsWith('SCS stepped down'))).toBe(true);
    let stale = 0;
    for (const d of dropped) {
      const target = d.cause.slice('promote '.length, d.cause.indexOf(':'));
      // The switchover whose order this was: the last one of that pair and target ordered before.
      const s = r.switchovers
        .filter((x) => x.pair === d.component && x.to === target && x.detectedAtMs <= d.tMs)
        .at(-1)!;
      expect(s.completedAtMs === undefined || s.completedAtMs <= d.tMs, JSON.stringify(s)).toBe(
        true,
      );
      if (s.completedAtMs === undefined) expect(s.failure).toBeDefined();
      if (
        trace.rows.some((x) => x.component === target && x.state === 'stale-order' && x.tMs > d.tMs)
      )
        stale++;
    }
    expect(stale).toBeGreaterThan(0); // carried out late, as a stale order
    expect(r.counters.unconverged_pairs).toBe(0);
  });

  test('a poll lost on the degraded WAN whose timeout fires after the heal is blamed at the poll', () => {
    // Seed 4242, replication 56: scs-a's poll of lca:b-sip-1 goes out at ~3591 s, unanswered;
    // its timeout fires 26 ms after the WAN is healthy again (3600 s). The false switchovers it
    // causes count from the poll, not from the degradation's start 30 minutes before.
    const { r, trace } = run(4242, 56);
    const healAt = trace.rows.find((x) => x.state === 'wan-restored')!.tMs;
    const late = r.switchovers.filter((s) => s.detectedAtMs > healAt);
    expect(late.length).toBeGreaterThan(0);
    for (const s of late) {
      expect(s.fault?.faultId).toBe('f0');
      expect(s.detectedAtMs - s.fault!.atMs).toBeLessThanOrEqual(9_000); // addp-timeout
    }
  });

  test('the backup SCS promoting itself again counts from the poll that cut the peer link this time', () => {
    // Seed 4242, replication 182: scs-b loses lca:a-mgmt once (never back during the loss) and
    // its link to scs-a three times; each loss of the link makes it promote itself, and SCS
    // resolves the two primaries at the reconnect. Before: the second and third counted from the
    // LCA's loss (37.9 s, 65.9 s).
    const { r } = run(4242, 182);
    const scs = r.switchovers.filter((s) => s.pair === 'scs');
    expect(scs.length).toBeGreaterThanOrEqual(3);
    for (const s of scs) {
      expect(s.fault?.faultId).toBe('f0');
      // addp-timeout after the poll, plus the peer's close crossing the WAN
      expect(s.detectedAtMs - s.fault!.atMs).toBeLessThanOrEqual(9_000 + 100);
    }
  });
});
