import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatWarning, lintScenario, lintTopology } from '../../src/scenario/lint.js';
import { loadScenario, loadTopology } from '../../src/scenario/load.js';
import { FIXTURES, TOPO_SMALL, scenarioText, topoSmallWith, withFiles } from './helpers.js';

const codes = (ws: { path: string; code: string }[]) => ws.map((w) => `${w.path} ${w.code}`);

describe('lintTopology', () => {
  it('the first-round topologies warn that the T-Server pair is lost with site A and that no site has a routing pair', () => {
    for (const f of [
      'scenarios/topologies/two-site-hot.yaml',
      'scenarios/topologies/two-site-warm.yaml',
    ]) {
      const ws = lintTopology(loadTopology(f));
      expect(ws.map(formatWarning)).toEqual([
        `${f}: pairs.ts-a: both members at site "A": a failure of that site stops the tserver pair [pair-one-site]`,
        `${f}: sites.A: site "A" has agents and no routing (urs) pair: its calls take the default route (its own agents only) whatever routing.policy says [site-no-routing-pair]`,
        `${f}: sites.B: site "B" has agents and no routing (urs) pair: its calls take the default route (its own agents only) whatever routing.policy says [site-no-routing-pair]`,
      ]);
    }
  });

  it('finds each risky design, sorted by path then code', () => {
    const ws = lintTopology(loadTopology(`${FIXTURES}/topo-lint.yaml`));
    expect(codes(ws)).toEqual([
      'agents[0] dr-no-peer-site',
      'agents[1].peer-site dr-peer-is-preferred',
      'agents[2].options.disaster-recovery.enabled dr-disabled',
      'agents[3].options.disaster-recovery.timeout dr-timeout-zero',
      'agents[4] slow-restore',
      'agents[5].peer-site peer-site-ignored',
      'apps.cs-a no-backup',
      'apps.icon-a-2.host icon-shared-host',
      'apps.icon-a-2.idb icon-shared-idb',
      'apps.icon-b-1.source icon-single',
      'licenses.ha no-ha-licence',
      'options.heartbeat-period heartbeat-below-mgmt-min',
      'pairs.scs scs-one-site',
      'pairs.sip-a pair-one-host',
      'pairs.sip-b.redundancy hot-without-cti-ha',
      'pairs.ts-b pair-one-site',
      'pairs.ts-b single-cti-link',
      'sites.A site-no-routing-pair',
      'sites.B site-no-csproxy',
      'sites.B site-no-routing-pair',
    ]);
    expect(ws.every((w) => w.file === `${FIXTURES}/topo-lint.yaml`)).toBe(true);
  });

  it('refuses a topology with no SCS pair (an error, not a warning: the model would flap)', () => {
    const topo = topoSmallWith(['  scs:   { primary: scs-a,   backup: scs-b }\n', '']);
    withFiles({ 'topo.yaml': topo }, (dir) => {
      expect(() => loadTopology(join(dir, 'topo.yaml'))).toThrow(
        /pairs: no SCS pair.*scs app\(s\) scs-a, scs-b in no pair/,
      );
    });
  });

  it('is deterministic', () => {
    const t = loadTopology(`${FIXTURES}/topo-lint.yaml`);
    expect(lintTopology(t)).toEqual(lintTopology(t));
  });
});

describe('lintScenario', () => {
  it('includes the scenario option overrides and names the scenario file for them', () => {
    const body =
      'options:\n  disaster-recovery.timeout: 0s\nfaults:\n  - { at: 90m, kind: host-crash, target: a-sip-1, duration: 30m }\n';
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
      const s = loadScenario(join(dir, 's.yaml'));
      const ws = lintScenario(s);
      const f = join(dir, 's.yaml');
      // support overrides the timeout (30s) at group level: only sales is affected.
      expect(ws.filter((w) => w.file === f).map((w) => `${w.path} ${w.code}`)).toEqual([
        'faults[0].duration undo-after-end',
        'options.disaster-recovery.timeout dr-timeout-zero',
      ]);
      expect(ws.find((w) => w.code === 'dr-timeout-zero')?.message).toContain('group "sales"');
    });
  });

  it('routing without a policy is local-only; overflow-after then does nothing and is named', () => {
    const cases: [string, string, string[]][] = [
      [
        'routing: { overflow-after: 20s }\n',
        'local-only',
        ['routing.overflow-after overflow-after-unused'],
      ],
      [
        'routing: { policy: pooled, overflow-after: 20s }\n',
        'pooled',
        ['routing.overflow-after overflow-after-unused'],
      ],
      ['routing: { policy: local-first, overflow-after: 20s }\n', 'local-first', []],
      ['routing: { policy: local-only }\n', 'local-only', []],
    ];
    for (const [body, policy, warned] of cases)
      withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
        const s = loadScenario(join(dir, 's.yaml'));
        expect(s.routing?.policy, body).toBe(policy);
        expect(s.routing?.overflowAfterMs, body).toBe(body.includes('20s') ? 20_000 : 10_000);
        expect(codes(lintScenario(s).filter((w) => w.file === join(dir, 's.yaml'))), body).toEqual(
          warned,
        );
      });
  });

  it('wan-degrade whose round trip reaches addp-timeout: a cut in effect', () => {
    const body =
      'options:\n  addp-timeout: 9s\nfaults:\n  - { at: 10m, kind: wan-degrade, between: [A, B], latency: 4500ms }\n  - { at: 20m, kind: wan-degrade, between: [A, B], latency: 4s, loss: 0.2 }\n';
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
      const ws = lintScenario(loadScenario(join(dir, 's.yaml'))).filter(
        (w) => w.code === 'wan-degrade-beyond-addp',
      );
      expect(ws.map((w) => w.path)).toEqual(['faults[0].latency']);
      expect(ws[0]!.message).toContain('is not below addp-timeout 9s');
    });
  });

  it('adds nothing for a clean scenario on a clean topology beyond the topology lint', () => {
    const s = loadScenario(`${FIXTURES}/scenario-small.yaml`);
    expect(lintScenario(s)).toEqual(lintTopology(loadTopology(TOPO_SMALL)));
  });
});
