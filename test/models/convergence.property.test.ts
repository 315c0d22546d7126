// Property: for random fault schedules, once every fault is healed and a settling time has
// passed, every pair has exactly one primary in service. Prints the seed on failure.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';
import { faultArbitraries } from './fault-arbitraries.js';

const topology = handTopology('hot', { ctiLinks: 2 });
const at = fc.integer({ min: 60_000, max: 2_400_000 });
const dur = fc.integer({ min: 1_000, max: 900_000 });

const kinds = faultArbitraries(topology, at, dur, ['sales', 'support']);
const fault: fc.Arbitrary<FaultDraft> = fc.oneof(
  kinds.hostCrash,
  kinds.processCrash,
  kinds.processHang,
  kinds.lcaCrash,
  kinds.ctiLinkDown,
  kinds.switchLinkDown,
  kinds.networkPartition,
  kinds.manualSwitchover,
  kinds.gatewayDown,
  kinds.wanDegrade,
);
/** With agents: a logout on purpose too (those agents end off duty, nothing else). */
const clientFault: fc.Arbitrary<FaultDraft> = fc.oneof(fault, kinds.agentLogout);

describe('convergence after every fault heals', () => {
  test('every pair ends with exactly one primary in service', () => {
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (faults, seed) => {
          faults.sort((a, b) => a.atMs - b.atMs);
          const spec = handScenario(faults, {
            seed,
            topology,
            durationMs: 3 * 3_600_000, // last fault healed by ~55 min; two hours to settle
            options: { 'heartbeat-period': 10_000 },
          });
          const center = new Center(spec, 0);
          center.run();
          for (const p of center.pairs) {
            const primary = p.primaryInService();
            if (!primary || p.primariesUp() !== 1) {
              throw new Error(
                `seed ${seed}: pair ${p.id} ends with ${p.primariesUp()} primaries, in service: ${primary?.id ?? 'none'}; ` +
                  `members ${p.members.map((m) => `${m.id}=${m.stateLabel()}`).join(', ')}; faults ${JSON.stringify(faults)}`,
              );
            }
          }
        },
      ),
      { numRuns: 150, seed: 20261122 },
    );
    expect(true).toBe(true);
  });
});

// The same property with calls and agents, warm and hot: once every fault is healed, the pairs
// converge and so do their clients — every desktop is logged in and connected to the primary
// of its pool (hot: to every running member too), and calls are conserved (checked by run()).
// Budget: 2 × 12 runs of 3 h with 40 agents at 400 calls/h (a few seconds each).
/** Runs the faults with traffic and agents; throws what did not converge. */
function checkClientsConverge(
  faults: FaultDraft[],
  seed: number,
  redundancy: 'warm' | 'hot',
): void {
  faults.sort((a, b) => a.atMs - b.atMs);
  const spec = handScenario(faults, {
    seed,
    topology: handTopology(redundancy, { ctiLinks: 2 }),
    durationMs: 3 * 3_600_000,
    options: { 'heartbeat-period': 10_000, 'disaster-recovery.enabled': true },
    traffic: traffic(400, 180_000, { siteSplit: { A: 0.5, B: 0.5 } }),
    agents: [
      { group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 20, preferredSite: 'B', peerSite: 'A' },
    ],
  });
  const center = new Center(spec, 0);
  center.run();
  const fail = (what: string) => {
    throw new Error(`seed ${seed} (${redundancy}): ${what}; faults ${JSON.stringify(faults)}`);
  };
  for (const p of center.pairs)
    if (!p.primaryInService() || p.primariesUp() !== 1) fail(`pair ${p.id} did not converge`);
  const d = center.desktops;
  const tel = center.telephony;
  const loggedOutGroups = new Set(
    faults.filter((f) => f.kind === 'agent-logout').map((f) => f.target),
  );
  for (let a = 0; a < tel.agents.count; a++) {
    // Only an agent-logout of its group leaves a desktop off duty; it then holds no link.
    if (
      d.phaseOf(a) === 'off-duty' &&
      loggedOutGroups.has(spec.topology.agentGroups[tel.agents.group[a]!]!.group)
    )
      continue;
    if (d.phaseOf(a) !== 'working') fail(`desktop ${a} ends ${d.phaseOf(a)}`);
    const pool = tel.agents.pool[a]!;
    const pair = tel.pools[pool]!.pair;
    pair.members.forEach((m, i) => {
      const link = d.linkOf(a, i as 0 | 1);
      const want = m === pair.primaryInService() || (redundancy === 'hot' && m.serving);
      if (want && link !== 'up') fail(`desktop ${a} ${link} to ${m.id} (${m.stateLabel()})`);
    });
  }
}

describe('convergence with traffic and agents', () => {
  for (const redundancy of ['warm', 'hot'] as const) {
    test(`${redundancy}: every desktop ends connected to its pool's primary`, () => {
      fc.assert(
        fc.property(
          fc.array(clientFault, { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 1_000_000 }),
          (faults, seed) => checkClientsConverge(faults, seed, redundancy),
        ),
        { numRuns: 12, seed: 20261130 },
      );
      expect(true).toBe(true);
    });
  }
});
