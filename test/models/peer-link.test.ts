// The connection between the two members of a pair (ha-pair/peer-link.ts): the SCS peer link and
// the Config Server sync link follow the HA client machine — reconnected as soon as a restarted
// member is Started, retried every reconnect-timeout while the peer runs but cannot be reached.
// Budget: four one-hour replications of the hand topology (< 2 s).
import { describe, expect, test } from 'vitest';
import { runReplication } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { handScenario, handTopology, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const T0 = 600_000;
const RECONNECT_MS = 10_000; // reconnect-timeout default

function traced(faults: F[]) {
  const trace = new MemoryTrace();
  const r = runReplication(handScenario(faults), 0, trace);
  const rows = (component: string, state: string) =>
    trace.rows.filter((x) => x.component === component && x.state === state);
  return { r, rows };
}

const partition = (): F => {
  const sites = handTopology().sites;
  return {
    kind: 'network-partition',
    target: 'A|B',
    sideA: sites[0]!.hosts,
    sideB: sites[1]!.hosts,
    atMs: T0,
    durationMs: 120_000,
  };
};

describe('peer links follow the HA client machine', () => {
  test('Config Server sync: a restarted member is connected the moment it is Started', () => {
    const { rows } = traced([{ kind: 'process-crash', target: 'cs-b', atMs: T0 }]);
    const started = rows('cs-b', 'backup started').filter((x) => x.tMs > T0);
    expect(started.length).toBeGreaterThanOrEqual(1);
    // Both ends' rows (where a loss is traced) say connected, at the same instant.
    for (const end of ['cs-a>cs-b', 'cs-b>cs-a'])
      expect(rows(end, 'connected').map((x) => x.tMs)).toEqual([started[0]!.tMs]);
  });

  test('Config Server sync: the primary restarting is connected the moment it is Started', () => {
    const { rows } = traced([{ kind: 'process-crash', target: 'cs-a', atMs: T0 }]);
    const started = rows('cs-a', 'backup started').filter((x) => x.tMs > T0);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(rows('cs-b>cs-a', 'connected')[0]!.tMs).toBe(started[0]!.tMs);
  });

  test('across a partition both links are lost, then retried every reconnect-timeout: back within one after the heal', () => {
    const heal = T0 + 120_000;
    const { rows } = traced([partition()]);
    // Each end's row: lost during the cut, connected again after it (before, only one row per
    // link said connected, so the other end's row read lost to the end of the run).
    for (const label of ['cs-a>cs-b', 'cs-b>cs-a', 'scs-a>scs-b', 'scs-b>scs-a']) {
      const connected = rows(label, 'connected');
      expect(connected, label).toHaveLength(1);
      expect(connected[0]!.tMs, label).toBeGreaterThan(heal);
      expect(connected[0]!.tMs, label).toBeLessThanOrEqual(heal + RECONNECT_MS);
    }
    // Each end saw the loss (its own ADDP) during the partition.
    expect(rows('scs-a>scs-b', 'lost')).toHaveLength(1);
    expect(rows('scs-b>scs-a', 'lost')).toHaveLength(1);
    expect(rows('cs-a>cs-b', 'lost')).toHaveLength(1);
    expect(rows('cs-b>cs-a', 'lost')).toHaveLength(1);
  });
});

describe('a member’s end dies with it', () => {
  test('site B lost for good, then site A for 390 s before B’s loss was seen: scs-a and cs-a come back primary, A serves again', () => {
    // scs-b vanishes with B; 10 s later, before scs-a's ADDP on the peer link judged the silence,
    // scs-a vanishes with A. Before, scs-a's end stayed open through its own loss: restarted, it
    // found the peer link open, never took the primary role, and nothing at A was started again.
    const faults: F[] = [
      { kind: 'site-crash', target: 'B', atMs: T0 },
      { kind: 'site-crash', target: 'A', atMs: T0 + 10_000, durationMs: 390_000 },
    ];
    const trace = new MemoryTrace();
    const r = runReplication(handScenario(faults, { durationMs: 3_600_000 }), 0, trace);
    const lastPrimary = (id: string) =>
      trace.rows.filter((x) => x.component === id && x.state === 'primary started').at(-1)?.tMs;
    const back = T0 + 400_000; // A restored (host boot and app start come after)
    for (const id of ['scs-a', 'cs-a', 'sip-a-1'])
      expect(lastPrimary(id), id).toBeGreaterThan(back);
    // Only B's two pairs (sip-b, stat-b) stay without a primary, exempt as lost for good (the
    // convergence counters judge what survives); every desktop works at A.
    expect(r.liveness.exemptPairs).toEqual(['sip-b', 'stat-b']);
    expect(r.counters['unconverged_pairs']).toBe(0);
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });
});
