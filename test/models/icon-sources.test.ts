// The last reporting-data statements of seed 001 (DOMAIN §12 "Reporting data"): a restart that
// fails to restore the persistent queue, the Configuration Server as a data source (role cfg),
// and idb-down / idb-up aimed at an IDB. Budget: about 3 s (two-hour runs, light traffic).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import type { IconRole } from '../../src/spec/kinds.js';
import type { OptionValue } from '../../src/spec/option-spec.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { TopologySpec } from '../../src/spec/types.js';
import { inputError, scenarioText, topoSmallWith, withFiles } from '../scenario/helpers.js';
import { HAND_ICONS, handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const MIN = 60_000;
const T0 = 30 * MIN;

function run(
  faults: F[],
  options: Record<string, OptionValue> = {},
  topology: TopologySpec = handTopology('hot', { icons: HAND_ICONS }),
) {
  const spec = handScenario(faults, {
    seed: 5,
    durationMs: 2 * 3_600_000,
    topology,
    traffic: traffic(600, 180_000, { siteSplit: { A: 0.5, B: 0.5 }, wrapUpMs: 10_000 }),
    agents: [
      { group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' },
      { group: 'support', count: 20, preferredSite: 'B', peerSite: 'A' },
    ],
    options,
  });
  const r = new Center(spec, 0).run();
  return { r, row: (icon: string) => r.icon.dataLoss.find((x) => x.icon === icon)! };
}

describe('an ICON restart that fails to restore its persistent queue (seed 001)', () => {
  // The IDB is down from T0, so records wait in the persistent queue; the ICON crashes at
  // T0 + 10 min and restarts a minute later; the IDB comes back at T0 + 20 min.
  const faults: F[] = [
    { kind: 'idb-down', target: 'icon-a-1', atMs: T0, durationMs: 20 * MIN },
    { kind: 'process-crash', target: 'icon-a-1', atMs: T0 + 10 * MIN, durationMs: MIN },
  ];

  test('restored: what was queued reaches the IDB after all; only the outage and the accumulator are missing', () => {
    const { row } = run(faults, { 'pq-restore-failure-probability': 0 });
    const r = row('icon-a-1');
    expect(r.lostPqRestore).toBe(0);
    expect(r.eventsMissing).toBeGreaterThan(0); // the minute the ICON was down
    expect(r.eventsMissing).toBeLessThan(200);
  });

  test('not restored: the ten minutes queued are lost for that IDB, and show in its row; the pair loses nothing', () => {
    const ok = run(faults, { 'pq-restore-failure-probability': 0 }).row('icon-a-1');
    const { r, row } = run(faults, { 'pq-restore-failure-probability': 1 });
    const x = row('icon-a-1');
    // About ten minutes of sip-a events at 600 calls an hour over two sites: hundreds.
    expect(x.lostPqRestore).toBeGreaterThan(300);
    expect(x.eventsMissing).toBe(ok.eventsMissing + x.lostPqRestore);
    expect(x.eventsStored).toBe(x.eventsExpected - x.eventsMissing);
    expect(row('icon-a-2').eventsMissing).toBe(0);
    expect(r.counters['icon_lost_all']).toBe(0);
    expect(r.counters['icon_missing_max']).toBe(x.eventsMissing);
  });

  test('the draw is the ICON’s own: its partner and the other source see the same data whatever the probability', () => {
    const a = run(faults, { 'pq-restore-failure-probability': 0 });
    const b = run(faults, { 'pq-restore-failure-probability': 1 });
    for (const id of ['icon-a-2', 'icon-b-1', 'icon-b-2']) expect(b.row(id)).toEqual(a.row(id));
  });
});

describe('the Configuration Server as an ICON data source (role cfg)', () => {
  function withRoles(roles: IconRole[] | undefined): TopologySpec {
    const t = handTopology('hot', { icons: HAND_ICONS });
    return { ...t, apps: t.apps.map((a) => (a.type === 'icon' && roles ? { ...a, roles } : a)) };
  }

  test('by default (role all) each ICON has a session with the primary Configuration Server', () => {
    const { r } = run([]);
    const cfg = r.icon.sessions.filter((s) => s.source === 'cs');
    expect(cfg.map((s) => [s.icon, s.idb, s.server, s.reason, s.fromMs, s.toMs])).toEqual([
      ['icon-a-1', 'idb-a-1', 'cs-a', 'first-connect', 0, undefined],
      ['icon-a-2', 'idb-a-2', 'cs-a', 'first-connect', 0, undefined],
      ['icon-b-1', 'idb-b-1', 'cs-a', 'first-connect', 0, undefined],
      ['icon-b-2', 'idb-b-2', 'cs-a', 'first-connect', 0, undefined],
    ]);
  });

  test('without cfg in its role an ICON records no Configuration Server session', () => {
    const { r } = run([], {}, withRoles(['gcc', 'gls', 'gud']));
    expect(r.icon.sessions.filter((s) => s.source === 'cs')).toEqual([]);
    expect(r.icon.sessions.length).toBeGreaterThan(0); // the telephony sessions remain
  });

  test('the primary Configuration Server exits: the session closes and the ICON follows the new primary (switchover)', () => {
    const { r } = run(
      [{ kind: 'process-crash', target: 'cs-a', atMs: T0 }],
      {},
      withRoles(['cfg', 'gcc']),
    );
    const s = r.icon.sessions.filter((x) => x.source === 'cs' && x.icon === 'icon-a-1');
    expect(s.map((x) => [x.server, x.reason, x.endReason])).toEqual([
      ['cs-a', 'first-connect', 'closed'],
      ['cs-b', 'switchover', undefined],
    ]);
    expect(s[0]!.toMs).toBe(T0 + 1); // the close crosses the LAN (lan-latency 1 ms)
    // Warm standby: reconnect-timeout (10 s) after the close, once cs-b is primary.
    expect(s[1]!.fromMs).toBeGreaterThanOrEqual(T0 + 10_000);
    expect(s[1]!.fromMs).toBeLessThan(T0 + 60_000);
  });

  test('the ICON host dies: its cfg session ends with icon-host-lost and a new one starts after the reboot', () => {
    const { r } = run([{ kind: 'host-crash', target: 'a-rep', atMs: T0, durationMs: 5 * MIN }]);
    const s = r.icon.sessions.filter((x) => x.source === 'cs' && x.icon === 'icon-a-1');
    expect(s.map((x) => [x.server, x.reason, x.endReason])).toEqual([
      ['cs-a', 'first-connect', 'icon-host-lost'],
      ['cs-a', 'icon-restart', undefined],
    ]);
    expect(s[1]!.fromMs).toBeGreaterThanOrEqual(T0 + 5 * MIN + 140_000); // boot + app start
  });
});

describe('idb-down / idb-up with an IDB as target', () => {
  test('an IDB id acts on every ICON writing to it, exactly as naming the ICON does', () => {
    const byIcon = run([{ kind: 'idb-down', target: 'icon-a-1', atMs: 110 * MIN }]);
    const byIdb = run([{ kind: 'idb-down', target: 'idb-a-1', atMs: 110 * MIN }]);
    expect(byIdb.row('icon-a-1').pqBacklog).toBeGreaterThan(10);
    expect(byIdb.r.icon.dataLoss).toEqual(byIcon.r.icon.dataLoss);
  });

  test('two ICONs sharing one IDB both lose it', () => {
    const t = handTopology('hot', { icons: HAND_ICONS });
    const shared = {
      ...t,
      apps: t.apps.map((a) => (a.id === 'icon-b-2' ? { ...a, idb: 'idb-a-1' } : a)),
    };
    const { row } = run([{ kind: 'idb-down', target: 'idb-a-1', atMs: 110 * MIN }], {}, shared);
    expect(row('icon-a-1').pqBacklog).toBeGreaterThan(10);
    expect(row('icon-b-2').pqBacklog).toBeGreaterThan(10);
    expect(row('icon-a-2').pqBacklog).toBe(0);
  });

  function problems(fault: string, topo = topoSmallWith()): string[] {
    return withFiles(
      { 'topo.yaml': topo, 's.yaml': scenarioText(`faults:\n  - ${fault}\n`) },
      (dir) => {
        const e = inputError(() => loadScenario(join(dir, 's.yaml')));
        return e.message.split('\n').map((l) => l.slice(join(dir, 's.yaml').length + 2));
      },
    );
  }

  test('validation: an IDB id is accepted; an unknown one gets a did-you-mean among ICONs and IDBs', () => {
    const s = withFiles(
      {
        'topo.yaml': topoSmallWith(),
        's.yaml': scenarioText(
          'faults:\n  - { at: 1m, kind: idb-down, target: idb-a-2, duration: 5m }\n',
        ),
      },
      (dir) => loadScenario(join(dir, 's.yaml')),
    );
    expect(s.faults[0]).toMatchObject({ kind: 'idb-down', target: 'idb-a-2', durationMs: 300_000 });
    const p = problems('{ at: 1m, kind: idb-up, target: idb-a-3 }');
    expect(p[0]).toContain('faults[0].target: unknown icon app or IDB "idb-a-3"');
    expect(p[0]).toContain('idb-a-1');
    expect(p[0]).toContain('icon-a-1');
    expect(p[0]).toMatch(/did you mean "idb-a-[12]"\?/);
    expect(problems('{ at: 1m, kind: idb-down, target: cs-a }')[0]).toContain(
      '"idb-down" needs an icon app or IDB; "cs-a" is a confserv app',
    );
  });

  test('validation: role takes the vendor list; a misspelt role and a cfg role without a Configuration Server pair are refused', () => {
    const topo = (role: string, extra: [string, string][] = []) =>
      topoSmallWith(
        [
          'icon-a-1: { type: icon, host: a-rep, source: sip-a, idb: idb-a-1 }',
          `icon-a-1: { type: icon, host: a-rep, source: sip-a, idb: idb-a-1, role: ${role} }`,
        ],
        ...extra,
      );
    const ok = withFiles({ 'topo.yaml': topo('"gcc, cfg"'), 's.yaml': scenarioText('') }, (dir) =>
      loadScenario(join(dir, 's.yaml')),
    );
    expect(ok.topology.apps.find((a) => a.id === 'icon-a-1')!.roles).toEqual(['cfg', 'gcc']);
    const bad = withFiles(
      { 'topo.yaml': topo('"gcc,cgf"'), 's.yaml': scenarioText('') },
      (dir) => inputError(() => loadScenario(join(dir, 's.yaml'))).message,
    );
    expect(bad).toContain('apps.icon-a-1.role: unknown ICON role');
    expect(bad).toContain('did you mean "cfg"?');
    const noCs = withFiles(
      {
        'topo.yaml': topo('[cfg, gcc]', [['  cs:    { primary: cs-a,    backup: cs-b }\n', '']]),
        's.yaml': scenarioText(''),
      },
      (dir) => inputError(() => loadScenario(join(dir, 's.yaml'))).message,
    );
    expect(noCs).toContain(
      'apps.icon-a-1.role: role "cfg" records the Configuration Server, but the topology has no confserv pair',
    );
  });
});
