import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS_BY_NAME, Options, defaultOf } from '../../src/models/options.js';
import {
  LAN_LATENCY_MS_DEFAULT,
  WAN_LATENCY_MS_DEFAULT,
} from '../../src/models/network/defaults.js';
import { loadAny, loadScenario, loadTopology } from '../../src/scenario/load.js';
import { sha256Hex } from '../../src/scenario/yaml.js';
import {
  SCENARIO_SMALL,
  TOPO_SMALL,
  inputError,
  scenarioText,
  topoSmallWith,
  withFiles,
} from './helpers.js';

const HOT = 'scenarios/topologies/two-site-hot.yaml';
const WARM = 'scenarios/topologies/two-site-warm.yaml';

describe('shipped topologies', () => {
  it('two-site-hot is the SPEC §1.1 example and loads', () => {
    const specFile = '/work/shared/SPEC.md'; // the user contract, when present beside the repo
    if (existsSync(specFile)) {
      const spec = readFileSync(specFile, 'utf8');
      const start = spec.indexOf('```yaml\nname: two-site-hot');
      expect(start).toBeGreaterThan(0);
      expect(readFileSync(HOT, 'utf8')).toBe(spec.slice(start + 8, spec.indexOf('```', start + 8)));
    }
    const t = loadTopology(HOT);
    expect(t.name).toBe('two-site-hot');
    expect(t.licenses).toEqual({ ha: true, ctiHa: true });
    expect(t.network).toEqual({ lanLatencyMs: 1, wanLatencyMs: 30 });
    expect(t.sites.map((s) => s.id)).toEqual(['A', 'B']);
    expect(t.hosts).toHaveLength(8);
    expect(t.apps).toHaveLength(20);
    expect(t.apps.map((a) => a.id)).toEqual([...t.apps.map((a) => a.id)].sort());
    expect(t.pairs.map((p) => `${p.id}:${p.type}:${p.redundancy}:${p.ctiLinks}`)).toEqual([
      'cs:confserv:warm:1',
      'scs:scs:warm:1',
      'sip-a:sipserver:hot:1',
      'sip-b:sipserver:hot:1',
      'stat-a:statserver:hot:1',
      'stat-b:statserver:hot:1',
      'ts-a:tserver:warm:2',
    ]);
    expect(t.apps.find((a) => a.id === 'icon-b-2')).toEqual({
      id: 'icon-b-2',
      type: 'icon',
      host: 'a-rep',
      source: 'sip-b',
      idb: 'idb-b-2',
    });
    expect(
      t.agentGroups.map((g) => [g.group, g.count, g.preferredSite, g.peerSite, g.telephony]),
    ).toEqual([
      ['sales', 120, 'A', 'B', undefined],
      ['support', 120, 'B', 'A', undefined],
      ['back-office', 30, 'A', undefined, 'ts-a'],
    ]);
    expect([...t.agentGroups[1]!.options]).toEqual([['disaster-recovery.timeout', 30_000]]);
    expect([...t.options]).toEqual([
      ['addp-timeout', 9_000],
      ['disaster-recovery.enabled', true],
    ]);
    expect(t.digest).toBe(sha256Hex(readFileSync(HOT)));
    expect(t.file).toBe(HOT);
  });

  it('two-site-warm differs only in the redundancy of the SIP and Stat Server pairs', () => {
    const hot = loadTopology(HOT);
    const warm = loadTopology(WARM);
    expect(warm.name).toBe('two-site-warm');
    for (const p of warm.pairs) {
      const h = hot.pairs.find((q) => q.id === p.id)!;
      const changed = ['sip-a', 'sip-b', 'stat-a', 'stat-b'].includes(p.id);
      expect(p).toEqual(changed ? { ...h, redundancy: 'warm' } : h);
    }
    expect(warm.apps).toEqual(hot.apps);
    expect(warm.agentGroups).toEqual(hot.agentGroups);
  });
});

describe('scenario loading', () => {
  it('loads the fixture scenario with its topology, converting units and sorting faults', () => {
    const s = loadScenario(SCENARIO_SMALL);
    expect(s.name).toBe('small');
    expect(s.topology.name).toBe('topo-small');
    expect(s.topology.file).toBe(TOPO_SMALL);
    expect(s.durationMs).toBe(7_200_000);
    expect([s.seed, s.replications]).toEqual([7, 3]);
    expect(s.faults.map((f) => [f.id, f.atMs, f.kind, f.target, f.durationMs])).toEqual([
      ['f1', 1_800_000, 'host-crash', 'a-sip-1', 1_200_000],
      ['f2', 1_800_000, 'host-crash', 'b-rep', undefined],
      ['f0', 5_400_000, 'process-crash', 'sip-b-1', undefined],
    ]);
    expect(s.failures).toEqual([
      {
        index: 0,
        kind: 'host-crash',
        targets: ['a-sip-1', 'a-sip-2'],
        mtbf: { kind: 'exponential', meanMs: 2000 * 3_600_000 },
        mttr: { kind: 'exponential', meanMs: 4 * 3_600_000 },
      },
      {
        index: 1,
        kind: 'process-crash',
        targets: ['sip-a-1', 'sip-a-2', 'sip-b-1', 'sip-b-2'],
        mtbf: { kind: 'weibull', meanMs: 500 * 3_600_000, shape: 1.5 },
        mttr: { kind: 'weibull', meanMs: 600_000, shape: 1.5 },
      },
    ]);
    expect(s.traffic).toEqual({
      callsPerHour: 600,
      siteSplit: { A: 0.6, B: 0.4 },
      handleTime: { kind: 'lognormal', meanMs: 240_000, cv: 0.8 },
      wrapUpMs: 20_000,
      patienceMs: 90_000,
      serviceLevelThresholdMs: 20_000,
      tserverCallsPerHour: { 'ts-a': 60 },
    });
    expect(s.expect).toEqual([
      { text: 'switchover_max_s <= 20', metric: 'switchover_max_s', op: '<=', value: 20 },
      { text: 'icon_lost_all == 0', metric: 'icon_lost_all', op: '==', value: 0 },
      {
        text: 'p95(agent_outage_max_s) < 1.5m',
        agg: 'p95',
        metric: 'agent_outage_max_s',
        op: '<',
        value: 90,
      },
    ]);
    expect(s.sets).toEqual([]);
    expect(s.digest).toBe(sha256Hex(readFileSync(SCENARIO_SMALL)));
  });

  it('applies defaults: seed 1, replications 1, licences granted, network latencies, even site split', () => {
    const topo = topoSmallWith(
      ['licenses: { ha: true, cti-ha: true }\n', ''],
      ['network: { lan-latency: 2ms, wan-latency: 40ms }\n', ''],
    );
    withFiles(
      {
        'topo.yaml': topo,
        's.yaml': scenarioText('traffic: { calls-per-hour: 100, handle-time: 3m }\n'),
      },
      (dir) => {
        const s = loadScenario(join(dir, 's.yaml'));
        expect([s.seed, s.replications, s.name]).toEqual([1, 1, 's']);
        expect(s.topology.licenses).toEqual({ ha: true, ctiHa: true });
        expect(s.topology.network).toEqual({
          lanLatencyMs: LAN_LATENCY_MS_DEFAULT,
          wanLatencyMs: WAN_LATENCY_MS_DEFAULT,
        });
        expect(s.traffic).toEqual({
          callsPerHour: 100,
          siteSplit: { A: 0.5, B: 0.5 },
          handleTime: { kind: 'exponential', meanMs: 180_000 },
          wrapUpMs: 0,
          serviceLevelThresholdMs: 20_000,
          tserverCallsPerHour: {},
        });
        expect(s.faults).toEqual([]);
        expect(s.failures).toEqual([]);
        expect(s.expect).toEqual([]);
      },
    );
  });

  it('--topology replaces the topology named in the file', () => {
    withFiles({ 's.yaml': 'topology: nowhere.yaml\nduration: 1h\n' }, (dir) => {
      const e = inputError(() => loadScenario(join(dir, 's.yaml')));
      expect(e.issues).toEqual([
        expect.objectContaining({
          path: 'topology',
          message: 'file not found',
          found: JSON.stringify(join(dir, 'nowhere.yaml')),
        }),
      ]);
      const s = loadScenario(join(dir, 's.yaml'), { topologyPath: TOPO_SMALL });
      expect(s.topology.file).toBe(TOPO_SMALL);
      const missing = inputError(() =>
        loadScenario(join(dir, 's.yaml'), { topologyPath: 'no/such.yaml' }),
      );
      expect(missing.message).toBe('--topology: file not found (found "no/such.yaml")');
    });
  });

  it('--seed and --replications replace the file values and are checked', () => {
    const s = loadScenario(SCENARIO_SMALL, { seed: 99, replications: 5 });
    expect([s.seed, s.replications]).toEqual([99, 5]);
    const e = inputError(() => loadScenario(SCENARIO_SMALL, { seed: -3, replications: 0 }));
    expect(e.message).toContain('--seed: too small (expected at least 0; found -3)');
    expect(e.message).toContain('--replications: too small (expected at least 1; found 0)');
  });

  it('loadAny tells scenarios from topologies', () => {
    expect(loadAny(SCENARIO_SMALL).kind).toBe('scenario');
    expect(loadAny(TOPO_SMALL).kind).toBe('topology');
    withFiles({ 'x.yaml': 'name: what\n' }, (dir) => {
      const e = inputError(() => loadAny(join(dir, 'x.yaml')));
      expect(e.message).toContain('neither a scenario nor a topology');
    });
  });

  it('loading the same files twice gives equal specs (deterministic)', () => {
    expect(loadScenario(SCENARIO_SMALL)).toEqual(loadScenario(SCENARIO_SMALL));
  });
});

describe('option resolution: agent group → scenario → topology → default', () => {
  it('the most specific level that sets a name wins', () => {
    const s = loadScenario(SCENARIO_SMALL);
    const t = s.topology;
    const base = new Options([s.options, t.options]);
    const support = base.withLayer(t.agentGroups.find((g) => g.group === 'support')!.options);
    const sales = base.withLayer(t.agentGroups.find((g) => g.group === 'sales')!.options);
    // group (30s) beats scenario (45s)
    expect(support.ms('disaster-recovery.timeout')).toBe(30_000);
    // scenario (45s) beats the default (60s)
    expect(sales.ms('disaster-recovery.timeout')).toBe(45_000);
    // scenario (5s) beats topology (9s)
    expect(sales.ms('addp-timeout')).toBe(5_000);
    // topology only
    expect(sales.bool('disaster-recovery.enabled')).toBe(true);
    // nobody sets it: built-in default
    const spec = OPTIONS_BY_NAME.get('reconnect-timeout')!;
    expect(sales.ms('reconnect-timeout')).toBe(defaultOf(spec));
    // without the scenario layer the topology value shows
    expect(new Options([t.options]).ms('addp-timeout')).toBe(9_000);
  });

  it('option layers are sorted by name whatever the file order', () => {
    const topo = topoSmallWith([
      '  addp-timeout: 9s\n  disaster-recovery.enabled: true\n',
      '  disaster-recovery.enabled: true\n  addp-timeout: 9s\n  app-start-time: 30s\n',
    ]);
    withFiles({ 'topo.yaml': topo }, (dir) => {
      const t = loadTopology(join(dir, 'topo.yaml'));
      expect([...t.options.keys()]).toEqual([
        'addp-timeout',
        'app-start-time',
        'disaster-recovery.enabled',
      ]);
    });
  });

  it('checks every option type: duration, boolean, integer, number, string', () => {
    const body =
      'options:\n  addp-timeout: 1.5\n  autorestart: false\n  kpl-tolerance: 5\n  csproxy-login-rate: 12.5\n  dr-peer-trunk: trunk-b\n';
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
      const s = loadScenario(join(dir, 's.yaml'));
      expect(Object.fromEntries(s.options)).toEqual({
        'addp-timeout': 1_500,
        autorestart: false,
        'kpl-tolerance': 5,
        'csproxy-login-rate': 12.5,
        'dr-peer-trunk': 'trunk-b',
      });
    });
    const bad =
      'options:\n  autorestart: "yes"\n  kpl-tolerance: 2.5\n  csproxy-login-rate: fast\n  dr-peer-trunk: 5000\n  shutdown-sip-reject-code: 700\n';
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(bad) }, (dir) => {
      const e = inputError(() => loadScenario(join(dir, 's.yaml')));
      const f = join(dir, 's.yaml');
      expect(e.message.split('\n')).toEqual([
        `${f}: options.autorestart: wrong type (expected true or false; found "yes"); write true or false, without quotes`,
        `${f}: options.csproxy-login-rate: wrong type (expected a number; found "fast")`,
        `${f}: options.dr-peer-trunk: wrong type (expected a string; found 5000); quote the value`,
        `${f}: options.kpl-tolerance: wrong type (expected an integer; found 2.5)`,
        `${f}: options.shutdown-sip-reject-code: out of range (expected between 300 and 699; found 700)`,
      ]);
    });
  });
});

describe('defaults and limits', () => {
  it('a partly written licenses block grants what it omits', () => {
    withFiles(
      {
        'topo.yaml': topoSmallWith([
          'licenses: { ha: true, cti-ha: true }',
          'licenses: { ha: false }',
        ]),
      },
      (dir) => {
        expect(loadTopology(join(dir, 'topo.yaml')).licenses).toEqual({ ha: false, ctiHa: true });
      },
    );
  });

  it('plain YAML anchors and aliases are fine within the alias limit', () => {
    const topo = topoSmallWith(
      [
        '  - { group: sales, count: 10, preferred-site: A, peer-site: B }',
        '  - &g { group: sales, count: 10, preferred-site: A, peer-site: B }',
      ],
      ['options:\n', 'x-unused: *g\noptions:\n'],
    );
    withFiles({ 'topo.yaml': topo }, (dir) => {
      // The alias resolves; the extra top-level key is then refused by the schema, not the YAML reader.
      const e = inputError(() => loadTopology(join(dir, 'topo.yaml')));
      expect(e.issues.map((i) => i.path)).toEqual(['x-unused']);
    });
  });

  it.each([
    [
      [
        ['count: 10', 'count: 60000'],
        ['count: 8', 'count: 60000'],
      ],
      'agents: too many agents (expected at most 100000 in all groups; found 120004)',
    ],
  ] as [[string, string][], string][])('refuses a topology beyond a named limit', (edits, want) => {
    withFiles({ 'topo.yaml': topoSmallWith(...edits) }, (dir) => {
      expect(inputError(() => loadTopology(join(dir, 'topo.yaml'))).message).toContain(want);
    });
  });

  it.each([
    ['duration: 11y', '', 'duration: unknown duration unit "y"'],
    ['duration: 3651d', '', 'duration: too long (expected at most 3650d; found "3651d")'],
    ['duration: 0s', '', 'duration: must not be 0'],
    [
      'duration: 1h',
      'replications: 100001\n',
      'replications: too large (expected at most 100000; found 100001)',
    ],
    ['duration: 1h', 'seed: 1.5\n', 'seed: wrong type (expected an integer; found 1.5)'],
  ])('refuses a scenario beyond a limit: %s %s', (duration, extra, want) => {
    const text = `topology: topo.yaml\n${duration}\n${extra}`;
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': text }, (dir) => {
      expect(inputError(() => loadScenario(join(dir, 's.yaml'))).message).toContain(want);
    });
  });

  it('refuses more faults than FAULTS_MAX', () => {
    const faults = Array.from(
      { length: 10_001 },
      () => '  - { at: 1m, kind: host-crash, target: a-sip-1 }',
    ).join('\n');
    withFiles(
      { 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(`faults:\n${faults}\n`) },
      (dir) => {
        expect(inputError(() => loadScenario(join(dir, 's.yaml'))).message).toContain(
          'faults: too many entries (expected at most 10000; found 10001)',
        );
      },
    );
  });
});
