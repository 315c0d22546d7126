// A restored host or LCA (DOMAIN §2): SCS starts the apps that were running before the loss —
// and, with autorestart, the failed ones it would restart anyway — never an app that had been
// stopped since before the loss while nothing restarts failed apps (autorestart false).
// Budget: four one-hour replications of the hand topology (< 2 s).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { app, handScenario, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const CRASH_MS = 600_000; // sip-a-1 crashes
const LOSS_MS = 900_000; // its host (or LCA) is lost

function runCenter(faults: F[], autorestart: boolean) {
  const trace = new MemoryTrace();
  const center = new Center(handScenario(faults, { options: { autorestart } }), 0, trace);
  const r = center.run();
  const status = (id: string) => center.apps.get(app(id))!.status;
  const starts = (id: string) =>
    trace.rows.filter((x) => x.component === id && x.state === 'starting').map((x) => x.tMs);
  return { r, status, starts };
}

const losses: { name: string; loss: F }[] = [
  {
    name: 'host-crash for 5 min',
    loss: { kind: 'host-crash', target: 'a-sip-1', atMs: LOSS_MS, durationMs: 300_000 },
  },
  {
    name: 'lca-crash for 1 min',
    loss: { kind: 'lca-crash', target: 'a-sip-1', atMs: LOSS_MS, durationMs: 60_000 },
  },
];

describe('restore of a host or its LCA', () => {
  test.each(losses)(
    'autorestart false, $name: the app stopped before the loss stays stopped; the others run again',
    ({ loss }) => {
      const { status, starts } = runCenter(
        [{ kind: 'process-crash', target: 'sip-a-1', atMs: CRASH_MS }, loss],
        false,
      );
      expect(starts('sip-a-1')).toEqual([]);
      expect(status('sip-a-1')).toBe('stopped');
      // The apps that ran on the host when it was lost run again (started if they were gone).
      expect(status('ts-a-1')).toBe('started');
      expect(status('stat-a-1')).toBe('started');
    },
  );

  test.each(losses)(
    'autorestart true, $name: the failed app is restarted as before, the host’s apps run again',
    ({ loss }) => {
      const { status, starts } = runCenter(
        [{ kind: 'process-crash', target: 'sip-a-1', atMs: CRASH_MS }, loss],
        true,
      );
      expect(starts('sip-a-1')[0]).toBeLessThan(CRASH_MS + 1_000); // restarted at once
      expect(status('sip-a-1')).toBe('started');
      expect(status('ts-a-1')).toBe('started');
      expect(status('stat-a-1')).toBe('started');
    },
  );
});

describe('a restarted SCS and the hosts it cannot reach', () => {
  test('B restarts after A is lost for good: scs-b takes over A’s members too (cs-b primary), only A’s pairs stay down', () => {
    // B crashes for 7 s; A crashes for good 85 s later, while B's hosts boot. scs-b restarts
    // with a view of cs-a as it was (primary, started); a-mgmt never answers. Before, scs-b
    // kept that view: cs-b stayed backup, the whole center without a Configuration Server.
    const faults: F[] = [
      { kind: 'site-crash', target: 'B', atMs: LOSS_MS - 85_000, durationMs: 7_000 },
      { kind: 'site-crash', target: 'A', atMs: LOSS_MS },
    ];
    const trace = new MemoryTrace();
    const center = new Center(handScenario(faults), 0, trace);
    const r = center.run();
    const cs = r.switchovers.filter((s) => s.pair === 'cs' && s.completedAtMs !== undefined);
    expect(cs.map((s) => s.to)).toEqual(['cs-b']);
    expect(cs[0]!.cause).toBe('recovery'); // cs-b came back with B after A's loss
    expect(center.apps.get(app('cs-b'))!.role).toBe('primary');
    // sip-a, stat-a and ts-a have no member left (exempt: lost for good); every other pair has
    // its primary. The back-office agents work only through ts-a: exempt too.
    expect([...r.liveness.exemptPairs].sort()).toEqual(['sip-a', 'stat-a', 'ts-a']);
    expect(r.counters['unconverged_pairs']).toBe(0);
    expect(r.liveness.exemptAgents).toBe(r.agents.filter((a) => a.group === 'back-office').length);
    expect(r.counters['agents_logged_out_end']).toBe(0);
  });
});
