// Fault arbitraries for the property tests on the hand-written topology: one builder per fault
// kind, so that each property picks the kinds it draws and the time ranges it needs.
import fc from 'fast-check';
import type { FaultSpec, TopologySpec } from '../../src/spec/types.js';

export type DrawnFault = Omit<FaultSpec, 'id' | 'index'>;

export function faultArbitraries(
  topology: TopologySpec,
  at: fc.Arbitrary<number>,
  dur: fc.Arbitrary<number>,
) {
  const hosts = topology.hosts.map((h) => h.id);
  const apps = topology.apps.map((a) => a.id);
  const pairs = topology.pairs.map((p) => p.id);
  const siteA = topology.sites[0]!.hosts;
  const siteB = topology.sites[1]!.hosts;
  return {
    hostCrash: fc.record({
      kind: fc.constant('host-crash' as const),
      target: fc.constantFrom(...hosts),
      atMs: at,
      durationMs: dur,
    }),
    processCrash: fc.record({
      kind: fc.constant('process-crash' as const),
      target: fc.constantFrom(...apps),
      atMs: at,
    }),
    processHang: fc.record({
      kind: fc.constant('process-hang' as const),
      target: fc.constantFrom(...apps),
      atMs: at,
      durationMs: dur,
    }),
    lcaCrash: fc.record({
      kind: fc.constant('lca-crash' as const),
      target: fc.constantFrom(...hosts),
      atMs: at,
      durationMs: dur,
    }),
    ctiLinkDown: fc.record({
      kind: fc.constant('cti-link-down' as const),
      target: fc.constantFrom('ts-a-1', 'ts-a-2'),
      link: fc.constantFrom(1, 2, 'all' as const),
      silent: fc.boolean(),
      atMs: at,
      durationMs: dur,
    }),
    switchLinkDown: fc.record({
      kind: fc.constant('switch-link-down' as const),
      target: fc.constant('ts-a'),
      silent: fc.boolean(),
      atMs: at,
      durationMs: dur,
    }),
    networkPartition: fc.record({
      kind: fc.constant('network-partition' as const),
      target: fc.constant('A|B'),
      sideA: fc.constant(siteA),
      sideB: fc.constant(siteB),
      atMs: at,
      durationMs: dur,
    }),
    manualSwitchover: fc.record({
      kind: fc.constant('manual-switchover' as const),
      target: fc.constantFrom(...pairs),
      atMs: at,
    }),
    gracefulShutdown: fc.record({
      kind: fc.constant('graceful-shutdown' as const),
      target: fc.constantFrom('sip-a-1', 'sip-b-1'),
      atMs: at,
    }),
    confdbDown: fc.record({
      kind: fc.constant('confdb-down' as const),
      target: fc.constantFrom('cs-a', 'cs-b'),
      atMs: at,
      durationMs: dur,
    }),
  } satisfies Record<string, fc.Arbitrary<DrawnFault>>;
}
