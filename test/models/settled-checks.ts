// What the liveness property tests build and check at the end of a run: the 80-agent two-site
// center they share (sales preferring A, support B, business continuity on), and "every pair
// that can have one ends with exactly one primary in service, and no SCS order is pending".
import type { Center } from '../../src/models/center.js';
import type { HaPair } from '../../src/models/ha-pair/pair.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import type { TopologySpec } from '../../src/spec/types.js';
import { handScenario, traffic, type FaultDraft } from './hand-spec.js';

/** The shared center under `faults`, run for `durationMs` (calls-per-hour `cph`). */
export function settledSpec(
  faults: FaultDraft[],
  seed: number,
  topology: TopologySpec,
  durationMs: number,
  cph: number,
  options: Record<string, OptionValue> = {},
) {
  return handScenario(faults, {
    seed,
    topology,
    durationMs,
    traffic: traffic(cph, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, wrapUpMs: 10_000 }),
    agents: [
      { group: 'sales', count: 40, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 40, preferredSite: 'B', peerSite: 'A' },
    ],
    options: { 'heartbeat-period': 10_000, 'disaster-recovery.enabled': true, ...options },
  });
}

/**
 * Throws (with `why`) unless every pair not `skipped` ends with exactly one primary in service
 * and no SCS has an order pending.
 */
export function assertSettled(
  center: Center,
  why: string,
  skipped: (p: HaPair) => boolean = () => false,
): void {
  for (const p of center.pairs) {
    if (skipped(p)) continue;
    const primary = p.primaryInService();
    if (!primary || p.primariesUp() !== 1)
      throw new Error(
        `${why}: pair ${p.id} ends with ${p.primariesUp()} primaries, in service: ${primary?.id ?? 'none'}; ` +
          `members ${p.members.map((m) => `${m.id}=${m.stateLabel()}`).join(', ')}`,
      );
  }
  const pending = center.scs.flatMap((s) => s.pairsWithOrders().map((p) => `${s.id}:${p}`));
  if (pending.length > 0) throw new Error(`${why}: orders still pending ${pending.join(', ')}`);
}
