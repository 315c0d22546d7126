// Workspace option levels (seed 003: Application, Tenant, Agent Group, Person; the most specific
// wins), `ccsim options` naming where a value comes from, topology `clusters:` and the
// `login.nodes` values. Budget: about 2 s (one short model run).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { parseLoginNodes } from '../../src/models/desktop/login-nodes.js';
import { loadScenario, loadTopology } from '../../src/scenario/load.js';
import { lintTopology } from '../../src/scenario/lint.js';
import { optionOrigins } from '../../src/scenario/option-origin.js';
import { handScenario, handTopology, traffic } from '../models/hand-spec.js';
import { inputError, scenarioText, topoSmallWith, withFiles } from './helpers.js';

const SALES = '  - { group: sales, count: 10, preferred-site: A, peer-site: B }\n';
const withPersons = topoSmallWith(
  [
    SALES,
    `  - { group: sales, count: 10, preferred-site: A, peer-site: B,
      options: { disaster-recovery.timeout: 45s },
      persons: { sales-03: { disaster-recovery.timeout: 15s }, sales-07: { disaster-recovery.enabled: false } } }\n`,
  ],
  [
    'options:\n',
    'tenant-options:\n  disaster-recovery.timeout: 90s\n  sipendpoint.reg_timeout: 60s\noptions:\n',
  ],
);

function loadTopo(text: string) {
  return withFiles({ 'topo.yaml': text }, (dir) => loadTopology(join(dir, 'topo.yaml')));
}
function topoErrors(text: string): string {
  return withFiles(
    { 'topo.yaml': text },
    (dir) => inputError(() => loadTopology(join(dir, 'topo.yaml'))).message,
  );
}

describe('option levels: application, tenant, agent group, person', () => {
  test('the topology carries tenant-options and each group its persons, by agent index', () => {
    const t = loadTopo(withPersons);
    expect([...t.tenantOptions]).toEqual([
      ['disaster-recovery.timeout', 90_000],
      ['sipendpoint.reg_timeout', 60_000],
    ]);
    const sales = t.agentGroups.find((g) => g.group === 'sales')!;
    expect(sales.persons.map((p) => [p.agent, p.index, [...p.options]])).toEqual([
      ['sales-03', 2, [['disaster-recovery.timeout', 15_000]]],
      ['sales-07', 6, [['disaster-recovery.enabled', false]]],
    ]);
  });

  test('the most specific level wins, and `options` says which one it was', () => {
    const s = withFiles(
      {
        'topo.yaml': withPersons,
        's.yaml': scenarioText(
          'options:\n  disaster-recovery.timeout: 20s\n  sipendpoint.reg_timeout: 30s\n  addp-timeout: 5s\n',
        ),
      },
      (dir) => loadScenario(join(dir, 's.yaml')),
    );
    const loaded = { kind: 'scenario' as const, spec: s };
    const row = (flags: { group?: string; person?: string }, name: string) => {
      const r = optionOrigins(loaded, flags).rows.find((x) => x.name === name)!;
      return [r.value, r.from];
    };
    // Application level: the scenario overrides the topology; tenant sits above both.
    expect(row({}, 'addp-timeout')).toEqual([5_000, 'scenario']);
    expect(row({}, 'disaster-recovery.timeout')).toEqual([90_000, 'tenant']);
    expect(row({}, 'disaster-recovery.enabled')).toEqual([true, 'topology']);
    expect(row({}, 'disaster-recovery.auto-restore')).toEqual([false, 'default']);
    expect(row({ group: 'sales' }, 'disaster-recovery.timeout')).toEqual([
      45_000,
      'agent group sales',
    ]);
    expect(row({ group: 'sales' }, 'sipendpoint.reg_timeout')).toEqual([60_000, 'tenant']);
    expect(row({ person: 'sales-03' }, 'disaster-recovery.timeout')).toEqual([
      15_000,
      'person sales-03',
    ]);
    expect(row({ person: 'sales-04' }, 'disaster-recovery.timeout')).toEqual([
      45_000,
      'agent group sales',
    ]);
    expect(row({ person: 'sales-07' }, 'disaster-recovery.enabled')).toEqual([
      false,
      'person sales-07',
    ]);
    expect(optionOrigins(loaded, { person: 'sales-07' }).subject).toBe(
      'person sales-07 (agent group sales)',
    );
    // support sets its own timeout at group level (topo-small); the tenant value does not reach it.
    expect(row({ group: 'support' }, 'disaster-recovery.timeout')).toEqual([
      30_000,
      'agent group support',
    ]);
  });

  test('unknown groups and persons are input errors with a hint', () => {
    const t = loadTopo(withPersons);
    const loaded = { kind: 'topology' as const, spec: t };
    expect(inputError(() => optionOrigins(loaded, { group: 'sale' })).message).toContain(
      '--group: unknown agent group "sale"',
    );
    expect(inputError(() => optionOrigins(loaded, { person: 'sales-11' })).message).toContain(
      '--person: unknown person "sales-11" (expected an agent of group "sales": sales-01 … sales-10)',
    );
  });

  test('validation: a person must name an agent of its group; tenant and person levels take desktop options only', () => {
    const e = topoErrors(
      topoSmallWith(
        [
          SALES,
          '  - { group: sales, count: 10, preferred-site: A, peer-site: B, persons: { sales-7: {}, sales-12: {} } }\n',
        ],
        ['options:\n', 'tenant-options:\n  addp-timeout: 5s\noptions:\n'],
      ),
    );
    expect(e).toContain('agents[0].persons.sales-7: unknown person "sales-7"');
    expect(e).toContain('did you mean "sales-07"?');
    expect(e).toContain(
      'agents[0].persons.sales-12: unknown person "sales-12" (expected an agent of group "sales" as agents.csv names it: sales-01 … sales-10',
    );
    expect(e).toContain(
      'tenant-options.addp-timeout: option "addp-timeout" cannot be set per tenant',
    );
  });

  test('a person-level override changes that desktop only: DR disabled for one agent keeps it at the failed site', () => {
    const spec = handScenario(
      [{ kind: 'site-crash', target: 'A', atMs: 600_000, durationMs: 1_200_000 }],
      {
        seed: 4,
        durationMs: 1_800_000,
        topology: {
          ...handTopology('hot'),
          tenantOptions: new Map([['disaster-recovery.timeout', 30_000]]),
        },
        traffic: traffic(120, 180_000, { siteSplit: { A: 0.5, B: 0.5 } }),
        agents: [
          {
            group: 'sales',
            count: 8,
            preferredSite: 'A',
            peerSite: 'B',
            persons: { 'sales-3': { 'disaster-recovery.enabled': false } },
          },
        ],
        options: { 'disaster-recovery.enabled': true },
      },
    );
    const r = new Center(spec, 0).run();
    const moved = r.agents.filter((a) => a.drSwitchovers === 1).map((a) => a.agent);
    expect(moved).toEqual([
      'sales-1',
      'sales-2',
      'sales-4',
      'sales-5',
      'sales-6',
      'sales-7',
      'sales-8',
    ]);
    const stayed = r.agents.find((a) => a.agent === 'sales-3')!;
    expect([stayed.drSwitchovers, stayed.finalSite]).toEqual([0, 'A']);
    // The tenant's 30 s, not the 60 s default: detection (≤ 20 s) + 30 s + re-login and Ready.
    for (const a of r.agents.filter((x) => x.drSwitchovers === 1))
      expect(a.outageMs).toBeLessThan(75_000);
  });
});

describe('clusters of CS Proxies and Stat Servers (seed 003)', () => {
  const clustered = topoSmallWith(
    [
      '  csp-b:    { type: csproxy,   host: b-mgmt }\n',
      '  csp-b:    { type: csproxy,   host: b-mgmt }\n  csp-b-2:  { type: csproxy,   host: b-sip-1 }\n  stat-b-1: { type: statserver, host: b-sip-1 }\n',
    ],
    [
      'pairs:\n',
      'clusters:\n  csp-b-cluster: { members: [csp-b-2, csp-b] }\n  stat-b: { members: [stat-b-1] }\npairs:\n',
    ],
  );

  test('a cluster takes its type and site from its members (sorted)', () => {
    expect(loadTopo(clustered).clusters).toEqual([
      { id: 'csp-b-cluster', type: 'csproxy', site: 'B', members: ['csp-b', 'csp-b-2'] },
      { id: 'stat-b', type: 'statserver', site: 'B', members: ['stat-b-1'] },
    ]);
  });

  test('lint: a single-member cluster is no redundancy', () => {
    const w = lintTopology(loadTopo(clustered));
    expect(w.map((x) => `${x.path}: ${x.code}`)).toContain(
      'clusters.stat-b.members: cluster-single-member',
    );
  });

  test('validation: members exist, share a type and a site, and belong to no pair or other cluster', () => {
    const e = topoErrors(
      topoSmallWith([
        'pairs:\n',
        'clusters:\n  c1: { members: [csp-a, csp-b] }\n  c2: { members: [csp-c, cs-a] }\n  c3: { members: [csp-a] }\n  c4: { members: [sip-a-1] }\npairs:\n',
      ]),
    );
    expect(e).toContain('clusters.c1.members: the members of a cluster run at one site');
    expect(e).toContain('clusters.c2.members[0]: unknown csproxy or statserver app "csp-c"');
    expect(e).toContain('did you mean "csp-a"?');
    expect(e).toContain('clusters.c2.members[1]: "cs-a" is a confserv app');
    expect(e).toContain('clusters.c4.members[0]: "sip-a-1" is a sipserver app');
  });
});

describe('login.nodes (seed 003)', () => {
  test('parses the vendor form with CS Proxy ids; Timeout defaults to the seed example (10 s)', () => {
    expect(parseLoginNodes('[csp-a-1][csp-a-2],Timeout=10')).toEqual({
      ok: true,
      value: { nodes: ['csp-a-1', 'csp-a-2'], timeoutMs: 10_000 },
    });
    expect(parseLoginNodes(' [csp-b] , Timeout = 2.5 ')).toEqual({
      ok: true,
      value: { nodes: ['csp-b'], timeoutMs: 2_500 },
    });
    expect(parseLoginNodes('[csp-b]')).toEqual({
      ok: true,
      value: { nodes: ['csp-b'], timeoutMs: 10_000 },
    });
    expect(parseLoginNodes('')).toEqual({ ok: true, value: { nodes: [], timeoutMs: 10_000 } });
    expect(parseLoginNodes('Timeout=30')).toEqual({
      ok: true,
      value: { nodes: [], timeoutMs: 30_000 },
    });
    expect(parseLoginNodes('csp-a,Timeout=10').ok).toBe(false);
    expect(parseLoginNodes('[csp-a][csp-a]').ok).toBe(false);
  });

  test('validation: the format, and every node a CS Proxy app', () => {
    const e = topoErrors(
      topoSmallWith(
        [
          SALES,
          "  - { group: sales, count: 10, preferred-site: A, peer-site: B, options: { login.nodes.peer-site: 'csp-b' } }\n",
        ],
        [
          'options:\n',
          "tenant-options:\n  login.nodes.preferred-site: '[csp-a][csp-x],Timeout=5'\noptions:\n  login.nodes.peer-site: '[cs-b]'\n",
        ],
      ),
    );
    expect(e).toContain('agents[0].options.login.nodes.peer-site: not a login.nodes value');
    expect(e).toContain('tenant-options.login.nodes.preferred-site: unknown CS Proxy "csp-x"');
    expect(e).toContain('options.login.nodes.peer-site: "cs-b" is a confserv app');
  });

  test('lint: a list naming another site’s proxies', () => {
    const t = loadTopo(
      topoSmallWith([
        SALES,
        "  - { group: sales, count: 10, preferred-site: A, peer-site: B, options: { login.nodes.preferred-site: '[csp-b]' } }\n",
      ]),
    );
    const w = lintTopology(t).map((x) => `${x.path}: ${x.code}: ${x.message}`);
    expect(w).toContain(
      'agents[0].options.login.nodes.preferred-site: login-nodes-wrong-site: login.nodes.preferred-site of group "sales" lists "csp-b", not at site A',
    );
  });
});
