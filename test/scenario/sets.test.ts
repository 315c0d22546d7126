// `--set K=V`: applied to the raw documents before validation; problems name `--set` and the key.

import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { join } from 'node:path';
import { SCENARIO_SMALL, TOPO_SMALL, inputError, topoSmallWith, withFiles } from './helpers.js';

const load = (...sets: string[]) => loadScenario(SCENARIO_SMALL, { sets });
const issues = (...sets: string[]) => inputError(() => load(...sets)).message.split('\n');

describe('--set', () => {
  it('sets a scenario option, overriding the file', () => {
    const s = load('addp-timeout=3s', 'hangup-restart=false', 'disaster-recovery.timeout=0');
    expect(s.options.get('addp-timeout')).toBe(3_000);
    expect(s.options.get('hangup-restart')).toBe(false);
    expect(s.options.get('disaster-recovery.timeout')).toBe(0);
    expect(s.sets).toEqual([
      'addp-timeout=3s',
      'hangup-restart=false',
      'disaster-recovery.timeout=0',
    ]);
  });

  it('the last of repeated keys wins', () => {
    expect(load('addp-timeout=3s', 'addp-timeout=4s').options.get('addp-timeout')).toBe(4_000);
  });

  it('sets traffic keys, including nested ones', () => {
    const s = load(
      'traffic.calls-per-hour=1200',
      'traffic.site-split.A=0.5',
      'traffic.site-split.B=0.5',
      'traffic.handle-time.cv=1.2',
    );
    expect(s.traffic?.callsPerHour).toBe(1200);
    expect(s.traffic?.siteSplit).toEqual({ A: 0.5, B: 0.5 });
    expect(s.traffic?.handleTime).toEqual({ kind: 'lognormal', meanMs: 240_000, cv: 1.2 });
    expect(load('traffic.handle-time=90s').traffic?.handleTime).toEqual({
      kind: 'exponential',
      meanMs: 90_000,
    });
  });

  it('sets a pair redundancy or CTI link count in the topology', () => {
    const s = load('pairs.sip-a.redundancy=warm', 'pairs.ts-a.cti-links=1');
    expect(s.topology.pairs.find((p) => p.id === 'sip-a')?.redundancy).toBe('warm');
    expect(s.topology.pairs.find((p) => p.id === 'ts-a')?.ctiLinks).toBe(1);
  });

  it('moves a fault through the day, re-sorting the faults', () => {
    const s = load('faults.0.at=10m');
    expect(s.faults.map((f) => [f.id, f.atMs])).toEqual([
      ['f0', 600_000],
      ['f1', 1_800_000],
      ['f2', 1_800_000],
    ]);
  });

  it('sets duration, seed, replications, licences and a group size', () => {
    const s = load(
      'duration=3h',
      'seed=42',
      'replications=10',
      'licenses.ha=false',
      'agents.sales.count=25',
    );
    expect([s.durationMs, s.seed, s.replications]).toEqual([10_800_000, 42, 10]);
    expect(s.topology.licenses.ha).toBe(false);
    expect(s.topology.agentGroups.find((g) => g.group === 'sales')?.count).toBe(25);
  });

  it('reaches the Workspace option levels: tenant, agent group, person (seed 003)', () => {
    const s = load(
      'tenant-options.sipendpoint.reg_timeout=60s',
      'agents.sales.options.disaster-recovery.timeout=20s',
      'agents.support.options.disaster-recovery.timeout=40s', // replaces the file's 30 s
      'agents.sales.persons.sales-03.disaster-recovery.enabled=false',
      'agents.sales.persons.sales-03.login.nodes.peer-site="[csp-b],Timeout=15"',
    );
    expect([...s.topology.tenantOptions]).toEqual([['sipendpoint.reg_timeout', 60_000]]);
    const group = (g: string) => s.topology.agentGroups.find((x) => x.group === g)!;
    expect(group('sales').options.get('disaster-recovery.timeout')).toBe(20_000);
    expect(group('support').options.get('disaster-recovery.timeout')).toBe(40_000);
    expect(group('sales').persons.map((p) => [p.agent, p.index, [...p.options]])).toEqual([
      [
        'sales-03',
        2,
        [
          ['disaster-recovery.enabled', false],
          ['login.nodes.peer-site', '[csp-b],Timeout=15'],
        ],
      ],
    ]);
    // The same values written in the topology give the same spec.
    const text = topoSmallWith(
      [
        '  - { group: sales, count: 10, preferred-site: A, peer-site: B }\n',
        `  - { group: sales, count: 10, preferred-site: A, peer-site: B,
      options: { disaster-recovery.timeout: 20s },
      persons: { sales-03: { disaster-recovery.enabled: false, login.nodes.peer-site: "[csp-b],Timeout=15" } } }\n`,
      ],
      [
        '      options: { disaster-recovery.timeout: 30s } }',
        '      options: { disaster-recovery.timeout: 40s } }',
      ],
      ['options:\n', 'tenant-options:\n  sipendpoint.reg_timeout: 60s\noptions:\n'],
    );
    const file = withFiles({ 'topo.yaml': text }, (dir) =>
      loadScenario(SCENARIO_SMALL, { topologyPath: join(dir, 'topo.yaml') }),
    );
    expect(s.topology.tenantOptions).toEqual(file.topology.tenantOptions);
    expect(s.topology.agentGroups).toEqual(file.topology.agentGroups);
  });

  it('the same value with or without --set gives the same spec (apart from sets)', () => {
    const a = load('addp-timeout=5s');
    const b = load();
    expect({ ...a, sets: [] }).toEqual(b);
  });

  it('works with --topology', () => {
    const s = loadScenario(SCENARIO_SMALL, {
      topologyPath: TOPO_SMALL,
      sets: ['pairs.sip-b.redundancy=warm'],
    });
    expect(s.topology.pairs.find((p) => p.id === 'sip-b')?.redundancy).toBe('warm');
  });

  it.each([
    [['adpp-timeout=5s'], '--set: adpp-timeout: unknown --set key', 'did you mean "addp-timeout"?'],
    [
      ['traffic.calls-per-hour=many'],
      '--set: traffic.calls-per-hour: wrong type (expected a number; found "many")',
      '',
    ],
    [
      ['traffic.calls-per-hr=10'],
      '--set: traffic.calls-per-hr: unknown key "calls-per-hr"',
      'did you mean "calls-per-hour"?',
    ],
    [
      ['addp-timeout=5 sec'],
      '--set: addp-timeout: unknown duration unit "sec"',
      'did you mean "5s"?',
    ],
    [['addp-timeout'], '--set: addp-timeout: expected K=V', ''],
    [['=5s'], '--set: =5s: expected K=V', ''],
    [
      ['faults.9.at=1m'],
      '--set: faults.9.at: no fault with index 9 (expected an index from 0 to 2 (position in faults:))',
      '',
    ],
    [
      ['faults.0.kind=host-restore'],
      '--set: faults.0.kind: a --set cannot change "kind" of a fault',
      '',
    ],
    [['faults.0.at=5h'], '--set: faults.0.at: after the end of the scenario', ''],
    [['duration=20m'], 'faults[0].at: after the end of the scenario', ''],
    [
      ['pairs.sip-c.redundancy=hot'],
      '--set: pairs.sip-c.redundancy: unknown pair "sip-c"',
      'did you mean "sip-a"?',
    ],
    [
      ['pairs.cs.redundancy=hot'],
      '--set: pairs.cs.redundancy: Configuration Server supports warm standby only',
      '',
    ],
    [['pairs.sip-a.redundancy=cold'], '--set: pairs.sip-a.redundancy: invalid value', ''],
    [
      ['agents.sale.count=5'],
      '--set: agents.sale.count: unknown agent group "sale"',
      'did you mean "sales"?',
    ],
    [['seed=-2'], '--set: seed: too small', ''],
    [
      ['traffic.handle-time.mean.x=1'],
      '--set: traffic.handle-time.mean.x: cannot set inside "traffic.handle-time.mean"',
      '',
    ],
    [['addp-timeout=[1, 2'], '--set: addp-timeout: value is not a plain YAML value', ''],
    [
      ['tenant-options.disaster-recovery.timeot=20s'],
      '--set: tenant-options.disaster-recovery.timeot: unknown option "disaster-recovery.timeot"',
      'did you mean "disaster-recovery.timeout"?',
    ],
    [
      ['tenant-options.disaster-recovery.timeout=soon'],
      '--set: tenant-options.disaster-recovery.timeout: not a duration',
      'found "soon"',
    ],
    [
      ['tenant-options.addp-timeout=5s'],
      '--set: tenant-options.addp-timeout: option "addp-timeout" cannot be set per tenant',
      'set it in the topology or scenario options',
    ],
    [
      ['agents.sale.options.disaster-recovery.timeout=20s'],
      '--set: agents.sale.options.disaster-recovery.timeout: unknown agent group "sale"',
      'did you mean "sales"?',
    ],
    [
      ['agents.sales.options.disaster-recovery.timout=20s'],
      '--set: agents.sales.options.disaster-recovery.timout: unknown option "disaster-recovery.timout"',
      'did you mean "disaster-recovery.timeout"?',
    ],
    [
      ['agents.sales.persons.sales-3.disaster-recovery.enabled=false'],
      '--set: agents.sales.persons.sales-3.disaster-recovery.enabled: unknown person "sales-3"',
      'did you mean "sales-03"?',
    ],
    [
      ['agents.sales.persons.sales-03.login.nodes.peer-site="[csp-x]"'],
      '--set: agents.sales.persons.sales-03.login.nodes.peer-site: unknown CS Proxy "csp-x"',
      'expected one of: csp-a, csp-b',
    ],
    [
      ['agents.sales.persons.sales-03=1'],
      '--set: agents.sales.persons.sales-03: unknown --set key',
      '',
    ],
  ])('%j is refused: %s', (sets, want, hint) => {
    const got = issues(...sets);
    const line = got.find((l) => l.includes(want));
    expect(line, got.join('\n')).toBeDefined();
    expect(line).toContain(hint);
  });

  it('cannot reach Object.prototype', () => {
    for (const key of [
      'traffic.__proto__.polluted',
      'pairs.__proto__.redundancy',
      'constructor.prototype.polluted',
    ]) {
      expect(issues(`${key}=1`)[0]).toContain(`--set: ${key}: unknown --set key`);
    }
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports every bad --set at once, together with file problems', () => {
    const got = issues('adpp-timeout=5s', 'traffic.calls-per-hour=-1', 'pairs.nope.redundancy=hot');
    expect(got.map((l) => l.split(': ').slice(0, 2).join(': '))).toEqual([
      '--set: adpp-timeout',
      '--set: pairs.nope.redundancy',
      '--set: traffic.calls-per-hour',
    ]);
  });
});
