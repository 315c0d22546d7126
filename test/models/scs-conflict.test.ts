// Two primaries after a heal (DOMAIN §3, §12): each pair is resolved once, and the member that
// survives is the one in service if only one is, else the one the acting SCS promoted last —
// or, when it promoted neither, the one configured as primary; of the SCS pair itself, the
// configured backup steps down.
// Budget: two one-hour replications of the hand topology (< 1 s).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { app, handScenario, handTopology, isolateHost, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const T0 = 600_000;

function runCenter(faults: F[]) {
  const trace = new MemoryTrace();
  const center = new Center(handScenario(faults), 0, trace);
  const r = center.run();
  const role = (id: string) => center.apps.get(app(id))!.role;
  const demotions = (pair: string) =>
    trace.rows.filter((x) => x.component === pair && x.state === 'demote-ordered');
  return { r, role, demotions };
}

/** a-sip-1 cut off from every other host from T0 for `durationMs`. */
const isolateASip1 = (durationMs: number): F => isolateHost('a-sip-1', T0, durationMs);

describe('SCS conflict after a heal: which member survives', () => {
  test('the member SCS promoted during the cut survives; the old primary it could not reach is demoted', () => {
    // a-sip-1 cut off from every other host: scs-a loses its LCA and promotes sip-a-2 while
    // sip-a-1 still runs as primary.
    const { r, role, demotions } = runCenter([isolateASip1(120_000)]);
    const pair = r.pairs.find((p) => p.id === 'sip-a')!;
    expect(pair.splitBrainMs).toBeGreaterThan(60_000); // two primaries until the heal
    expect(role('sip-a-2')).toBe('primary');
    expect(role('sip-a-1')).toBe('backup');
    const d = demotions('sip-a');
    expect(d).toHaveLength(1);
    expect(d[0]!.cause).toMatch(/^sip-a-1:/);
    expect(d[0]!.tMs).toBeGreaterThanOrEqual(T0 + 120_000);
  });

  test('a partition between the sites: scs-b (configured backup) steps down, scs-a keeps cs-a (it promoted neither) and demotes cs-b', () => {
    const sites = handTopology().sites;
    const { r, role, demotions } = runCenter([
      {
        kind: 'network-partition',
        target: 'A|B',
        sideA: sites[0]!.hosts,
        sideB: sites[1]!.hosts,
        atMs: T0,
        durationMs: 120_000,
      },
    ]);
    expect(r.pairs.find((p) => p.id === 'cs')!.splitBrainMs).toBeGreaterThan(60_000);
    expect(role('scs-a')).toBe('primary');
    expect(role('scs-b')).toBe('backup');
    expect(role('cs-a')).toBe('primary');
    expect(role('cs-b')).toBe('backup');
    const d = demotions('cs');
    expect(d).toHaveLength(1);
    expect(d[0]!.cause).toMatch(/^cs-b:/);
  });

  test('the SCS that resolves promoted neither: the member in service survives, not the configured primary that is Service Unavailable', () => {
    // a-sip-1 cut off 10 min: scs-a promotes ts-a-2; ts-a-1, cut off, loses its only CTI links
    // (Service Unavailable) and scs-a crashes, so scs-b — which promoted neither — resolves the
    // heal. Before, it kept the configured primary ts-a-1 and demoted ts-a-2, then switched
    // back to ts-a-2 for Service Unavailable: two demotions and a 507 s switchover.
    const { r, role, demotions } = runCenter([
      isolateASip1(600_000),
      { kind: 'cti-link-down', target: 'ts-a-1', link: 'all', silent: false, atMs: T0 + 100_000 },
      { kind: 'process-crash', target: 'scs-a', atMs: T0 + 200_000 },
    ]);
    expect(role('scs-b')).toBe('primary');
    expect(role('ts-a-2')).toBe('primary');
    expect(role('ts-a-1')).toBe('backup');
    const d = demotions('ts-a');
    expect(d).toHaveLength(1);
    expect(d[0]!.cause).toMatch(/^ts-a-1:/);
    const ts = r.switchovers.filter((s) => s.pair === 'ts-a');
    expect(ts.map((s) => s.cause)).toEqual(['host-failure']);
    expect(r.counters.unconverged_pairs).toBe(0);
  });
});

describe('a manual switchover while SCS believes the old primary lost', () => {
  test('it starts from the member SCS promoted, not the one it lost: refused at once, nothing pending', () => {
    // lca-crash of a-sip-1: scs-a promotes sip-a-2 while sip-a-1 runs on (split brain). The
    // operator's switchover during the outage would go back to sip-a-1, which SCS sees as down.
    const { r } = runCenter([
      { kind: 'lca-crash', target: 'a-sip-1', atMs: T0, durationMs: 300_000 },
      { kind: 'manual-switchover', target: 'sip-a', atMs: T0 + 120_000 },
    ]);
    const manual = r.switchovers.filter((s) => s.pair === 'sip-a' && s.cause === 'manual');
    expect(manual).toHaveLength(1);
    expect(manual[0]!.from).toBe('sip-a-2');
    expect(manual[0]!.to).toBe('sip-a-1');
    expect(manual[0]!.failure).toMatch(/not running and Started/);
  });
});

describe('both SCS lost one after the other', () => {
  test('back as backup both, one takes the primary role and the center converges', () => {
    // a-mgmt crashes: scs-b promotes itself and cs-b takes over. While a-mgmt boots, site B
    // crashes too: no SCS runs. a-mgmt's host comes back first and scs-a restarts as backup (the
    // configuration last made scs-b primary), with no SCS in primary mode to detect; scs-b then
    // restarts as backup too. The configured primary takes the role once they see each other,
    // and starts and promotes what the crashes left stopped.
    const { r, role } = runCenter([
      { kind: 'host-crash', target: 'a-mgmt', atMs: T0, durationMs: 18_000 },
      { kind: 'site-crash', target: 'B', atMs: T0 + 46_000, durationMs: 1_000 },
    ]);
    expect(role('scs-a')).toBe('primary');
    expect(role('scs-b')).toBe('backup');
    const promoted = r.switchovers.filter((s) => s.pair === 'scs' && s.cause === 'no-primary');
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.to).toBe('scs-a');
    expect(r.counters.unconverged_pairs).toBe(0);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('a manual switchover to a backup hung unseen', () => {
  // The operator's order goes to both members at once; the backup hangs before it (no
  // heartbeat: nobody can tell, DOMAIN §2, §4). Its LCA sees it Started and passes the order on;
  // the hung process reads nothing, and the order waits on its connection until the hang ends.
  // (Before, the LCA read the hidden status and refused at once.) Of the SCS pair, the primary
  // SCS stepped down with the order: no SCS acts until scs-b answers again and takes the role.
  test.each([
    { pair: 'sip-a', primary: 'sip-a-1', backup: 'sip-a-2', hangMs: 5_000, orderMs: 4_000 },
    { pair: 'scs', primary: 'scs-a', backup: 'scs-b', hangMs: 18_000, orderMs: 11_000 },
  ])('$pair: no refusal; the backup takes the role when the hang ends', (x) => {
    const { r, role } = runCenter([
      { kind: 'process-hang', target: x.backup, atMs: T0, durationMs: x.hangMs },
      { kind: 'manual-switchover', target: x.pair, atMs: T0 + x.orderMs },
    ]);
    const records = r.switchovers.filter((s) => s.pair === x.pair);
    expect(records.map((s) => [s.cause, s.to])).toEqual([['manual', x.backup]]);
    expect(records[0]!.failure ?? '').not.toMatch(/hung/);
    expect(records[0]!.completedAtMs).toBe(T0 + x.hangMs + 500); // + switchover-time
    expect(role(x.backup)).toBe('primary');
    expect(role(x.primary)).toBe('backup');
    expect(r.counters.unconverged_pairs).toBe(0);
  });

  test('a hang longer than scs-order-timeout: the order is dropped, the old primary ordered back; the late promotion is resolved once', () => {
    const { r, role, demotions } = runCenter([
      { kind: 'process-hang', target: 'sip-a-2', atMs: T0, durationMs: 120_000 },
      { kind: 'manual-switchover', target: 'sip-a', atMs: T0 + 4_000 },
    ]);
    const sipA = r.switchovers.filter((s) => s.pair === 'sip-a');
    expect(sipA.map((s) => [s.cause, s.to])).toEqual([
      ['manual', 'sip-a-2'],
      ['no-primary', 'sip-a-1'],
    ]);
    expect(sipA[0]!.failure).toMatch(/scs-order-timeout/);
    expect(sipA[1]!.detectedAtMs).toBe(T0 + 4_000 + 30_000); // at the drop
    // sip-a-2 reads the queued order when it answers again: two primaries, one demotion.
    const d = demotions('sip-a');
    expect(d).toHaveLength(1);
    expect(d[0]!.cause).toMatch(/^sip-a-2:/);
    expect(role('sip-a-1')).toBe('primary');
    expect(role('sip-a-2')).toBe('backup');
    expect(r.counters.unconverged_pairs).toBe(0);
  });
});

describe('a switchover refused by a member is not ordered to it again before SCS hears of it', () => {
  test('the refusal reaches SCS before the old primary’s demotion: the old primary is ordered back, not the refusing member again', () => {
    // cs-b is primary after a first switchover; the operator switches back to cs-a, which lost
    // its Configuration Database 4 s before. cs-a refuses at once; cs-b's demotion crosses the
    // WAN and comes after. SCS then decides again and must not pick cs-a (before, it ordered
    // cs-a again, was refused, and both waited to the end of the run). (It used a hang unseen:
    // a hidden hang is no refusal now, the order waits unread.)
    const { r, role } = runCenter([
      { kind: 'manual-switchover', target: 'cs', atMs: T0 },
      { kind: 'confdb-down', target: 'cs-a', atMs: T0 + 600_000 },
      { kind: 'manual-switchover', target: 'cs', atMs: T0 + 604_000 },
    ]);
    const cs = r.switchovers.filter((s) => s.pair === 'cs');
    expect(cs.map((s) => [s.cause, s.to, s.failure === undefined])).toEqual([
      ['manual', 'cs-b', true],
      ['manual', 'cs-a', false],
      ['no-primary', 'cs-b', true],
    ]);
    expect(cs[2]!.completedAtMs! - (T0 + 604_000)).toBeLessThan(2_000);
    expect(role('cs-b')).toBe('primary');
    expect(r.counters.unconverged_pairs).toBe(0);
    expect(r.counters.orders_pending_end).toBe(0);
  });
});

describe('a manual switchover of the SCS pair while the LCA of the primary SCS is down', () => {
  test('scs-b takes the role and scs-a steps down itself, without its LCA: one SCS in primary mode', () => {
    const { r, role } = runCenter([
      { kind: 'lca-crash', target: 'a-mgmt', atMs: T0, durationMs: 37_000 },
      { kind: 'manual-switchover', target: 'scs', atMs: T0 + 20_000 },
    ]);
    expect(role('scs-b')).toBe('primary');
    expect(role('scs-a')).toBe('backup');
    const scs = r.pairs.find((p) => p.id === 'scs')!;
    expect(scs.splitBrainMs).toBeLessThan(1_000); // until scs-a hears that scs-b runs as primary
    expect(r.counters.unconverged_pairs).toBe(0);
  });
});
