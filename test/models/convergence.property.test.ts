// Property: for random fault schedules, once every fault is healed and a settling time has
// passed, every pair has exactly one primary in service. Prints the seed on failure.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology } from './hand-spec.js';
import type { FaultSpec } from '../../src/spec/types.js';

type F = Omit<FaultSpec, 'id' | 'index'>;
const topology = handTopology('hot', { ctiLinks: 2 });
const hosts = topology.hosts.map((h) => h.id);
const apps = topology.apps.map((a) => a.id);
const pairs = topology.pairs.map((p) => p.id);
const siteA = topology.sites[0]!.hosts;
const siteB = topology.sites[1]!.hosts;

const at = fc.integer({ min: 60_000, max: 2_400_000 });
const dur = fc.integer({ min: 1_000, max: 900_000 });

const fault: fc.Arbitrary<F> = fc.oneof(
  fc.record({
    kind: fc.constant('host-crash' as const),
    target: fc.constantFrom(...hosts),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('process-crash' as const),
    target: fc.constantFrom(...apps),
    atMs: at,
  }),
  fc.record({
    kind: fc.constant('process-hang' as const),
    target: fc.constantFrom(...apps),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('lca-crash' as const),
    target: fc.constantFrom(...hosts),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('cti-link-down' as const),
    target: fc.constantFrom('ts-a-1', 'ts-a-2'),
    link: fc.constantFrom(1, 2, 'all' as const),
    silent: fc.boolean(),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('switch-link-down' as const),
    target: fc.constant('ts-a'),
    silent: fc.boolean(),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('network-partition' as const),
    target: fc.constant('A|B'),
    sideA: fc.constant(siteA),
    sideB: fc.constant(siteB),
    atMs: at,
    durationMs: dur,
  }),
  fc.record({
    kind: fc.constant('manual-switchover' as const),
    target: fc.constantFrom(...pairs),
    atMs: at,
  }),
);

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
