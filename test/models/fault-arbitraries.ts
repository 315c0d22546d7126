// Fault arbitraries for the property tests on the hand-written topology: one builder per fault
// kind, so that each property picks the kinds it draws and the time ranges it needs.
import fc from 'fast-check';
import type { TopologySpec } from '../../src/spec/types.js';
import type { FaultDraft } from './hand-spec.js';

/** wan-degrade: one-way latency added (ms) and share of messages lost, as explore draws them. */
const WAN_LATENCY_MS_MAX = 1000;
const WAN_LOSS_MAX = 0.5;

/**
 * `groups`: the agent groups agent-logout may target (the scenario's, when the topology given
 * has none: handScenario adds them).
 */
export function faultArbitraries(
  topology: TopologySpec,
  at: fc.Arbitrary<number>,
  dur: fc.Arbitrary<number>,
  groups: readonly string[] = topology.agentGroups.map((g) => g.group),
) {
  const hosts = topology.hosts.map((h) => h.id);
  const apps = topology.apps.map((a) => a.id);
  const pairs = topology.pairs.map((p) => p.id);
  const siteA = topology.sites[0]!.hosts;
  const siteB = topology.sites[1]!.hosts;
  const sites = topology.sites.map((s) => s.id);
  const [wanA, wanB] = [...sites].sort();
  /** Latency only, loss only, or both; never neither (the loader refuses a no-op). */
  const wanEffect = fc.oneof(
    fc.record({ latencyMs: fc.integer({ min: 1, max: WAN_LATENCY_MS_MAX }), loss: fc.constant(0) }),
    fc.record({
      latencyMs: fc.constant(0),
      loss: fc.integer({ min: 1, max: WAN_LOSS_MAX * 100 }).map((p) => p / 100),
    }),
    fc.record({
      latencyMs: fc.integer({ min: 1, max: WAN_LATENCY_MS_MAX }),
      loss: fc.integer({ min: 1, max: WAN_LOSS_MAX * 100 }).map((p) => p / 100),
    }),
  );
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
    gatewayDown: fc.record({
      kind: fc.constant('gateway-down' as const),
      target: fc.constantFrom(...sites),
      atMs: at,
      durationMs: dur,
    }),
    wanDegrade: fc
      .record({ atMs: at, durationMs: dur, effect: wanEffect })
      .map(({ atMs, durationMs, effect }) => ({
        kind: 'wan-degrade' as const,
        target: `${wanA!}|${wanB!}`,
        sites: [wanA!, wanB!] as [string, string],
        atMs,
        durationMs,
        ...effect,
      })),
    /** Only with agent groups (an empty list draws nothing: leave it out of the oneof). */
    agentLogout: fc.record({
      kind: fc.constant('agent-logout' as const),
      target: groups.length > 0 ? fc.constantFrom(...groups) : fc.constant('none'),
      share: fc.integer({ min: 10, max: 100 }).map((p) => p / 100),
      reason: fc.constantFrom('manual' as const, 'supervisor' as const),
      atMs: at,
    }),
  } satisfies Record<string, fc.Arbitrary<FaultDraft>>;
}
