// A site lost for good, with compound transient faults around it (DOMAIN §9, §11, §12): at the
// end of the run every pair with a member at the surviving site has exactly one primary in
// service, no SCS order is pending, and every desktop with business continuity works at the
// surviving site. explore cannot draw this (its faults all clear before its liveness phase);
// each of the four bugs it found broke one of these (a restarted SCS that trusted its old view
// of the lost site, a peer-link end that outlived its process, a host booting inside a dead
// site, DR logins waiting for the lost site's CS Proxy forever). Prints the seed and the
// schedule on failure. Budget: 300 runs of ~2 h with 80 agents, ~2.5 s.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Center } from '../../src/models/center.js';
import { handTopology, type FaultDraft } from './hand-spec.js';
import { assertSettled, settledSpec } from './settled-checks.js';
import { faultArbitraries } from './fault-arbitraries.js';

const topology = handTopology('hot', { ctiLinks: 2 });
const MIN = 60_000;
/** The site is lost between 10 and 40 minutes; the other faults within 8 minutes of it. */
const lostAt = fc.integer({ min: 10 * MIN, max: 40 * MIN });
const near = fc.integer({ min: 2 * MIN, max: 48 * MIN });
const dur = fc.integer({ min: 1_000, max: 10 * MIN });
const SETTLE_MS = 60 * MIN;

const kinds = faultArbitraries(topology, near, dur, ['sales', 'support']);
const transient: fc.Arbitrary<FaultDraft> = fc.oneof(
  kinds.hostCrash,
  kinds.processCrash,
  kinds.processHang,
  kinds.lcaCrash,
  kinds.networkPartition,
  kinds.manualSwitchover,
  kinds.gracefulShutdown,
  kinds.confdbDown,
  kinds.gatewayDown,
  kinds.wanDegrade,
  kinds.agentLogout,
  fc.record({
    kind: fc.constant('site-crash' as const),
    target: fc.constantFrom('A', 'B'),
    atMs: near,
    durationMs: dur,
  }),
);

describe('a site lost for good, with other faults around it', () => {
  test('the surviving site ends with its pairs in service, no order pending, every DR desktop working there', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('A', 'B'),
        lostAt,
        fc.array(transient, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        (lost, atMs, others, seed, autoRestore) => {
          const survivor = lost === 'A' ? 'B' : 'A';
          const faults: FaultDraft[] = [{ kind: 'site-crash', target: lost, atMs }, ...others];
          faults.sort((a, b) => a.atMs - b.atMs);
          const lastMs = Math.max(...faults.map((f) => f.atMs + (f.durationMs ?? 0)));
          const spec = settledSpec(faults, seed, topology, lastMs + SETTLE_MS, 300, {
            'disaster-recovery.auto-restore': autoRestore,
            'sipendpoint.reg_timeout': 60_000,
          });
          const center = new Center(spec, 0);
          const r = center.run();
          const why = `seed ${seed}; site ${lost} lost; faults ${JSON.stringify(faults)}`;
          // Pairs with no member left are not judged (the judgement reads the losses for good).
          assertSettled(r, why);
          expect(r.liveness.exemptPairs.length, why).toBeGreaterThan(0);
          const away: string[] = [];
          for (let a = 0; a < 80; a++) {
            const phase = center.desktops.phaseOf(a);
            if (phase === 'off-duty') continue; // agent-logout: logged out on purpose
            const site = center.desktops.siteOf(a);
            if (phase !== 'working' || site !== survivor) away.push(`${a}:${phase}@${site}`);
          }
          if (away.length > 0)
            throw new Error(
              `${why}: ${away.length} desktops not working at ${survivor}: ${away.slice(0, 5).join(' ')}`,
            );
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
    expect(true).toBe(true);
  });
});
