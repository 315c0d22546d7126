// Liveness under traffic (DOMAIN §12): random compound fault schedules run with calls and
// desktops; once the last fault has cleared and a settling time has passed, every pair has
// exactly one primary in service, no SCS order is pending and every agent is logged in again.
// Prints the seed and the schedule on failure. Budget: 400 runs of 2–3 h with 80 agents, ~3 s.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Center } from '../../src/models/center.js';
import { handTopology, type FaultDraft } from './hand-spec.js';
import { assertSettled, settledSpec } from './settled-checks.js';
import { faultArbitraries } from './fault-arbitraries.js';

const topology = handTopology('hot', { ctiLinks: 2 });
/** Faults land in the first 40 minutes and last at most 10: the last clears by 50 min. */
const at = fc.integer({ min: 300_000, max: 2_400_000 });
const dur = fc.integer({ min: 1_000, max: 600_000 });
/** After the last fault cleared: host boot, restart attempts, desktop retries and DR moves. */
const SETTLE_MS = 70 * 60_000;

const kinds = faultArbitraries(topology, at, dur, ['sales', 'support']);
const fault: fc.Arbitrary<FaultDraft> = fc.oneof(
  kinds.hostCrash,
  kinds.processCrash,
  kinds.processHang,
  kinds.lcaCrash,
  kinds.switchLinkDown,
  kinds.networkPartition,
  kinds.manualSwitchover,
  kinds.gracefulShutdown,
  kinds.confdbDown,
  kinds.gatewayDown,
  kinds.wanDegrade,
  kinds.agentLogout,
);

describe('liveness with traffic and desktops', () => {
  test('after the last fault clears and a settling time: one primary per pair, no order pending, agents logged in', () => {
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (faults, seed) => {
          faults.sort((a, b) => a.atMs - b.atMs);
          const lastClearMs = Math.max(...faults.map((f) => f.atMs + (f.durationMs ?? 0)));
          const spec = settledSpec(faults, seed, topology, lastClearMs + SETTLE_MS, 600);
          const center = new Center(spec, 0);
          const r = center.run();
          assertSettled(r, `seed ${seed}; faults ${JSON.stringify(faults)}`);
        },
      ),
      { numRuns: 400, seed: 20261130 },
    );
    expect(true).toBe(true);
  });
});
