// The failure impact table (cause × call state → drop / degrade / keep), written out here on its
// own so a change to any cell fails, and two runs that really have queued calls when the failure
// hits: a warm switchover and a CTI link loss apply their rows to live calls. Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { CallState } from '../../src/models/telephony/calls.js';
import {
  callImpact,
  FAILURE_CAUSES,
  LIVE_CALL_STATES,
  type CallImpactKind,
  type FailureCause,
} from '../../src/models/telephony/impact.js';
import { handScenario, handTopology, pair, traffic, type FaultDraft } from './hand-spec.js';

const EXPECTED: Record<
  FailureCause,
  Record<'pending' | 'queued' | 'ringing' | 'talking', CallImpactKind>
> = {
  'site-failure': { pending: 'keep', queued: 'drop', ringing: 'drop', talking: 'drop' },
  'cti-link-loss': { pending: 'keep', queued: 'keep', ringing: 'degrade', talking: 'degrade' },
  'warm-switchover': { pending: 'keep', queued: 'drop', ringing: 'drop', talking: 'degrade' },
  'hot-switchover-unsynced': {
    pending: 'keep',
    queued: 'degrade',
    ringing: 'degrade',
    talking: 'degrade',
  },
  'hot-switchover-synced': { pending: 'keep', queued: 'keep', ringing: 'keep', talking: 'keep' },
  'shutdown-cap': { pending: 'drop', queued: 'drop', ringing: 'drop', talking: 'drop' },
};
const STATE_NAME = {
  [CallState.Pending]: 'pending',
  [CallState.Queued]: 'queued',
  [CallState.Ringing]: 'ringing',
  [CallState.Talking]: 'talking',
} as const;

describe('failure impact table', () => {
  test('every cause × call state is decided, as written here', () => {
    expect([...FAILURE_CAUSES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(LIVE_CALL_STATES).toHaveLength(4);
    for (const cause of FAILURE_CAUSES) {
      for (const st of LIVE_CALL_STATES) {
        expect(`${cause}/${STATE_NAME[st]}: ${callImpact(cause, st)}`).toBe(
          `${cause}/${STATE_NAME[st]}: ${EXPECTED[cause][STATE_NAME[st]]}`,
        );
      }
    }
  });
});

type F = FaultDraft;
const T0 = 1_200_000;

/** Runs to just before the fault, counts the pool's calls by state, then runs to the end. */
function runAround(
  fault: F | F[],
  pairId: string,
  redundancy: 'warm' | 'hot',
  tserverCallsPerHour: Record<string, number> = {},
  options: Record<string, number> = {},
) {
  const topology = handTopology(redundancy, { ctiLinks: 1 });
  // The T-Server pair of the hand topology is warm; `redundancy` sets it too.
  const ts = topology.pairs.find((p) => p.id === pair('ts-a'))!;
  (ts as { redundancy: 'warm' | 'hot' }).redundancy = redundancy;
  const spec = handScenario(Array.isArray(fault) ? fault : [fault], {
    options,
    seed: 4,
    durationMs: T0 + 600_000,
    topology,
    // Far more calls than agents: a queue is always there.
    traffic: traffic(3000, 180_000, { tserverCallsPerHour }),
    agents: [
      { group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' },
      { group: 'back-office', count: 10, preferredSite: 'A', telephony: 'ts-a' },
    ],
  });
  const center = new Center(spec, 0);
  const tel = center.telephony;
  center.sim.run({ untilMs: T0 - 1 });
  const pool = tel.poolOf(pair(pairId));
  const byState = new Int32Array(5);
  for (let c = 0; c < tel.calls.cap; c++)
    if (tel.calls.pool[c] === pool) byState[tel.calls.state[c]!]!++;
  const r = center.run();
  const impact = tel.impacts.find((i) => i.pair === pairId && i.atMs === T0);
  const impacts = tel.impacts.filter((i) => i.pair === pairId);
  return {
    queued: byState[CallState.Queued]!,
    talking: byState[CallState.Talking]!,
    impact,
    impacts,
    r,
  };
}

describe('the table applied to live calls', () => {
  test('a warm switchover with queued calls drops every queued call and degrades every talking one', () => {
    const x = runAround({ kind: 'process-crash', target: 'sip-a-1', atMs: T0 }, 'sip-a', 'warm');
    expect(x.queued).toBeGreaterThan(50);
    expect(x.talking).toBe(20);
    expect(x.impact).toEqual({ pair: 'sip-a', atMs: T0, dropped: x.queued, degraded: x.talking });
    expect(x.r.switchovers.find((s) => s.pair === 'sip-a')?.callsDropped).toBe(x.queued);
  });

  test('a CTI link loss keeps the queued calls (the queue is in the switch) and degrades the talking ones', () => {
    const x = runAround(
      { kind: 'cti-link-down', target: 'ts-a-1', link: 1, silent: false, atMs: T0 },
      'ts-a',
      'hot',
      { 'ts-a': 600 },
    );
    expect(x.queued).toBeGreaterThan(5);
    expect(x.talking).toBe(10);
    expect(x.impact).toEqual({ pair: 'ts-a', atMs: T0, dropped: 0, degraded: x.talking });
  });

  test('hot T-Server pair, the backup lost before it took over: the kept calls lose their state as in a warm switchover', () => {
    // Both members crash 100 ms apart: nobody holds the calls' synchronised state any more.
    // Before, they stayed "synchronised" (nothing degraded) under a restarted, empty primary.
    const x = runAround(
      [
        { kind: 'process-crash', target: 'ts-a-1', atMs: T0 },
        { kind: 'process-crash', target: 'ts-a-2', atMs: T0 + 100 },
      ],
      'ts-a',
      'hot',
      { 'ts-a': 600 },
    );
    expect(x.queued).toBeGreaterThan(5);
    expect(x.talking).toBe(10);
    expect(x.impacts).toEqual([
      { pair: 'ts-a', atMs: T0 + 100, dropped: x.queued, degraded: x.talking },
    ]);
  });

  test('hot SIP pair, the backup hung when the primary crashed: the restarted primary knows no call', () => {
    // heartbeat-period 0: the LCA never finds the hang; SCS's order to sip-a-2 times out and the
    // restarted sip-a-1 takes the role back (a recovery, ~30.5 s later). sip-a-2 held the calls'
    // state but never served them: the calls still in progress from before the crash are
    // degraded when sip-a-1 serves.
    const x = runAround(
      [
        { kind: 'process-hang', target: 'sip-a-2', atMs: T0 - 60_000, durationMs: 300_000 },
        { kind: 'process-crash', target: 'sip-a-1', atMs: T0 },
      ],
      'sip-a',
      'hot',
      {},
      { 'heartbeat-period': 0 },
    );
    expect(x.talking).toBe(20);
    expect(x.impacts).toHaveLength(1);
    const [back] = x.impacts;
    expect(back!.atMs).toBeGreaterThan(T0 + 30_000);
    expect(back!.atMs).toBeLessThan(T0 + 32_000);
    expect(back!.degraded).toBeGreaterThan(10);
    // The order to the hung backup never completed: no switchover, a recovery.
    const sw = x.r.switchovers.filter((s) => s.pair === 'sip-a');
    expect(sw.filter((s) => s.completedAtMs !== undefined && s.cause !== 'recovery')).toEqual([]);
    // The recovery that brought the restarted primary carries the degraded calls.
    expect(sw.find((s) => s.cause === 'recovery')!.callsDegraded).toBe(back!.degraded);
  });
});
