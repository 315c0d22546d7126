// The corpus of broken inputs in test/fixtures/broken/: each must be refused with an InputError
// naming the file, the path inside it, and what is wrong.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, SUPPORTED_FAULT_KINDS } from '../../src/spec/kinds.js';
import { formatIssue } from '../../src/scenario/errors.js';
import { loadAny, loadScenario, loadTopology } from '../../src/scenario/load.js';
import { FIXTURES, inputError, scenarioText, topoSmallWith, withFiles } from './helpers.js';

const BROKEN = `${FIXTURES}/broken`;

/** [file, path inside it ('' = whole file), fragment of the formatted issue]. */
const CORPUS: [string, string, string][] = [
  ['syntax.yaml', '', ':4:1: YAML syntax error'],
  ['duplicate-key.yaml', '', ':5:1: duplicate key "seed"'],
  ['alias-bomb.yaml', '', 'too many YAML alias expansions'],
  ['custom-tag.yaml', '', ':4:7: YAML tag !!js/function is not allowed'],
  ['empty.yaml', '', 'file is empty'],
  ['python-tag.yaml', '', ':3:11: YAML tag !!python/object:os.system is not allowed'],
  [
    'agents-over-limit.topo.yaml',
    'agents[0].count',
    'too large (expected at most 100000; found 200000)',
  ],
  ['duration-over-limit.yaml', 'duration', 'too long (expected at most 3650d; found "4000d")'],
  ['name-is-a-path.yaml', 'name', 'invalid id'],
  [
    'replications-over-limit.yaml',
    'replications',
    'too large (expected at most 100000; found 1000000)',
  ],
  ['not-a-map.yaml', '', 'the top level must be a map'],
  ['a-directory.yaml', '', 'is a directory'],
  [
    'unknown-top-key.yaml',
    'falts',
    'unknown key "falts" (expected one of: duration, expect, failures, faults, name, options, replications, routing, seed, topology, traffic, warmup); did you mean "faults"?',
  ],
  ['unknown-licence.topo.yaml', 'licences', 'did you mean "licenses"?'],
  [
    'unknown-app-key.topo.yaml',
    'apps.sip-a-2.hots',
    'unknown key "hots" (expected one of: host, idb, role, source, type); did you mean "host"?',
  ],
  ['unknown-host.topo.yaml', 'apps.sip-a-2.host', 'unknown host "a-sip-9"'],
  ['app-type.topo.yaml', 'apps.csp-b.type', 'found "cs-proxy"); did you mean "csproxy"?'],
  [
    'bad-app-id.topo.yaml',
    'apps.Csp_B',
    'invalid id (expected a lower-case kebab-case id such as sip-a-1; found "Csp_B"); did you mean "csp-b"?',
  ],
  ['unknown-fault-kind.yaml', 'faults[0].kind', 'found "host-crahs"); did you mean "host-crash"?'],
  ['bad-duration.yaml', 'faults[0].at', 'unknown duration unit "sec"'],
  ['negative-count.topo.yaml', 'agents[0].count', 'too small (expected at least 0; found -5)'],
  [
    'missing-topology.yaml',
    'topology',
    'file not found (found "test/fixtures/no-such-topology.yaml")',
  ],
  [
    'pair-type-mismatch.topo.yaml',
    'pairs.sip-a.backup',
    'the members of a pair must have the same type (expected a sipserver app, like primary "sip-a-1"; found "ts-a-2" (tserver))',
  ],
  ['pair-same-app.topo.yaml', 'pairs.scs.backup', 'backup is the same app as primary'],
  [
    'hot-confserv.topo.yaml',
    'pairs.cs.redundancy',
    'Configuration Server supports warm standby only',
  ],
  ['cti-links-on-sip.topo.yaml', 'pairs.sip-b.cti-links', '"cti-links" is only for tserver pairs'],
  [
    'cti-links-too-many.topo.yaml',
    'pairs.ts-a.cti-links',
    'too large (expected at most 16; found 17)',
  ],
  ['option-wrong-type.yaml', 'options.addp-timeout', 'not a duration'],
  [
    'option-out-of-range.yaml',
    'options.kpl-tolerance',
    'out of range (expected at least 1; found 0)',
  ],
  ['unknown-option.yaml', 'options.adpp-timeout', 'unknown option "adpp-timeout"'],
  [
    'heartbeat.topo.yaml',
    'options.heartbeat-period',
    'below the vendor minimum (expected 0 (off) or at least 10s; found 5s)',
  ],
  [
    'group-option.topo.yaml',
    'agents[1].options.addp-timeout',
    'option "addp-timeout" cannot be set per agent group',
  ],
  [
    'fault-after-end.yaml',
    'faults[0].at',
    'after the end of the scenario (expected before 2h (the scenario duration); found 3h)',
  ],
  [
    'link-above-cti-links.yaml',
    'faults[0].link',
    '"ts-a-1" has 2 CTI links (expected 1..2 or "all"; found 3)',
  ],
  ['icon-no-source.topo.yaml', 'apps.icon-a-1.source', 'an icon app needs "source"'],
  ['unknown-site.topo.yaml', 'agents[0].preferred-site', 'unknown site "C" (expected one of: A, B'],
  ['no-sip-at-site.topo.yaml', 'agents[1].preferred-site', 'site "B" has no SIP Server pair'],
  ['duplicate-group.topo.yaml', 'agents[1].group', 'group "sales" is defined twice'],
  ['host-two-sites.topo.yaml', 'sites.B.hosts[4]', 'host "a-rep" is already in site "A"'],
  ['telephony-not-tserver.topo.yaml', 'agents[2].telephony', '"sip-a" is a sipserver pair'],
  ['expect-unknown-metric.yaml', 'expect[0]', 'unknown metric "switchover_maxs"'],
  ['expect-bad-agg.yaml', 'expect[0]', 'unknown aggregate "avg"'],
  ['share-out-of-range.yaml', 'faults[0].share', 'too large (expected at most 1; found 1.5)'],
  ['unknown-target.yaml', 'faults[0].target', 'unknown app "sip-a-3"'],
  ['duration-on-restore.yaml', 'faults[0].duration', '"host-restore" has no automatic undo'],
  ['site-split-sum.yaml', 'traffic.site-split', 'shares must sum to 1 (found a sum of 1.4)'],
  ['lognormal-no-cv.yaml', 'traffic.handle-time.cv', 'dist: lognormal needs "cv"'],
  ['failure-type-on-host.yaml', 'failures[0].type', '"type" selects apps'],
  ['failure-not-restorable.yaml', 'failures[0].kind', '"host-restore" cannot be a random failure'],
  ['seed-negative.yaml', 'seed', 'too small (expected at least 0; found -1)'],
  ['between-same-site.yaml', 'faults[0].between', 'both sides are the same site'],
];

describe('broken inputs corpus', () => {
  it('covers every file in test/fixtures/broken/', () => {
    const files = readdirSync(BROKEN).sort();
    expect(files).toEqual(CORPUS.map((c) => c[0]).sort());
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS)('%s → %s', (file, path, fragment) => {
    const full = `${BROKEN}/${file}`;
    const e = inputError(() => loadAny(full));
    const lines = e.message.split('\n');
    const prefix = path === '' ? full : `${full}: ${path}: `;
    const line = lines.find((l) => l.startsWith(prefix) && l.includes(fragment));
    expect(line, `no issue with ${JSON.stringify(fragment)} in:\n${e.message}`).toBeDefined();
    const issue = e.issues.find((i) => formatIssue(i) === line)!;
    expect(issue.file).toBe(full);
    expect(issue.path).toBe(path);
    // No stack traces or internal names leak into messages.
    expect(e.message).not.toMatch(/\bat .*\.ts:\d+|ZodError|undefined/);
  });
});

describe('every problem is reported at once', () => {
  it('one scenario file with 3 problems reports all 3', () => {
    const body = [
      'optoins: { addp-timeout: 5s }',
      'faults:',
      '  - { at: 10 mins, kind: host-crash, target: a-sip-1 }',
      '  - { at: 20m, kind: process-crash, target: sip-a-9 }',
      '',
    ].join('\n');
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
      const f = join(dir, 's.yaml');
      const e = inputError(() => loadScenario(f));
      expect(e.issues.map((i) => [i.file, i.path])).toEqual([
        [f, 'optoins'],
        [f, 'faults[0].at'],
        [f, 'faults[1].target'],
      ]);
      expect(e.message).toContain('did you mean "options"?');
      expect(e.message).toContain('did you mean "10m"?');
      expect(e.message).toContain('did you mean "sip-a-1"?');
    });
  });

  it('one topology file with 3 problems reports all 3', () => {
    const topo = topoSmallWith(
      [
        'sip-b-2:  { type: sipserver, host: b-sip-2 }',
        'sip-b-2:  { type: sipserver, host: b-sip-3 }',
      ],
      [
        'cs:    { primary: cs-a,    backup: cs-b }',
        'cs:    { primary: cs-a,    backup: cs-b, redundancy: hot }',
      ],
      ['count: 8', 'count: -8'],
    );
    withFiles({ 'topo.yaml': topo }, (dir) => {
      const f = join(dir, 'topo.yaml');
      const e = inputError(() => loadTopology(f));
      expect(e.issues.map((i) => i.path)).toEqual([
        'apps.sip-b-2.host',
        'pairs.cs.redundancy',
        'agents[1].count',
      ]);
      expect(e.issues.every((i) => i.file === f)).toBe(true);
    });
  });

  it('problems in the topology and in the scenario are reported together, each naming its file', () => {
    const topo = topoSmallWith(['addp-timeout: 9s', 'addp-timeout: 9 seconds']);
    withFiles({ 'topo.yaml': topo, 's.yaml': scenarioText('seed: many\n') }, (dir) => {
      const e = inputError(() => loadScenario(join(dir, 's.yaml')));
      expect(e.issues.map((i) => [i.file, i.path])).toEqual([
        [join(dir, 'topo.yaml'), 'options.addp-timeout'],
        [join(dir, 's.yaml'), 'seed'],
      ]);
    });
  });
});

describe('fault kinds not modelled yet', () => {
  const unmodelled = FAULT_KINDS.filter((k) => !SUPPORTED_FAULT_KINDS.has(k));
  const modelled = [...SUPPORTED_FAULT_KINDS].sort().join(', ');

  it.runIf(unmodelled.length > 0)('are refused with the list of modelled kinds', () => {
    const kind = unmodelled[0]!;
    const body = `faults:\n  - { at: 10m, kind: host-crash, target: a-sip-1 }\n  - { at: 20m, kind: ${kind}, target: sales }\n`;
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
      const f = join(dir, 's.yaml');
      const e = inputError(() => loadScenario(f));
      expect(e.message).toContain(
        `${f}: faults[1].kind: "${kind}" is not modelled yet in this version (modelled: ${modelled})`,
      );
    });
  });

  it('random failures of an unmodelled kind are refused too', () => {
    const kind = unmodelled.find((k) =>
      ['idb-down', 'site-crash', 'lca-crash', 'process-hang', 'cti-link-down'].includes(k),
    );
    if (kind === undefined) return; // every restorable kind is modelled
    withFiles(
      {
        'topo.yaml': topoSmallWith(),
        's.yaml': scenarioText(
          `failures:\n  - { kind: ${kind}, targets: [x], mtbf: 10h, mttr: 1h }\n`,
        ),
      },
      (dir) => {
        expect(inputError(() => loadScenario(join(dir, 's.yaml'))).message).toContain(
          'is not modelled yet in this version',
        );
      },
    );
  });
});
