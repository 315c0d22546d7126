// Fault and failure checks for every kind. The "modelled yet" gate is lifted here (it is tested
// in broken.test.ts) so each kind's target rules are checked whatever the models support today.

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { FAULT_TARGETS, FAULT_UNDO } from '../../src/scenario/faults.js';
import { FAULT_KINDS } from '../../src/spec/kinds.js';
import { inputError, scenarioText, topoSmallWith, withFiles } from './helpers.js';

vi.mock('../../src/models/kinds.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/spec/kinds.js')>();
  return { ...m, SUPPORTED_FAULT_KINDS: new Set(m.FAULT_KINDS) };
});

function load(faultLines: string[], extra = '') {
  const body = `faults:\n${faultLines.map((l) => `  - ${l}\n`).join('')}${extra}`;
  return withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) =>
    loadScenario(join(dir, 's.yaml')),
  );
}

function problems(faultLines: string[], extra = ''): string[] {
  const body = `faults:\n${faultLines.map((l) => `  - ${l}\n`).join('')}${extra}`;
  return withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(body) }, (dir) => {
    const e = inputError(() => loadScenario(join(dir, 's.yaml')));
    return e.message.split('\n').map((l) => l.slice(join(dir, 's.yaml').length + 2));
  });
}

describe('faults of every kind', () => {
  it('every fault kind has a target rule', () => {
    expect(Object.keys(FAULT_TARGETS).sort()).toEqual([...FAULT_KINDS].sort());
    for (const undo of Object.values(FAULT_UNDO)) expect(FAULT_KINDS).toContain(undo);
  });

  it('builds the typed fault for each kind, with defaults', () => {
    const s = load([
      '{ at: 1m, kind: host-crash, target: a-sip-1, duration: 5m }',
      '{ at: 2m, kind: host-restore, target: a-sip-1 }',
      '{ at: 3m, kind: site-crash, target: B, duration: 10m }',
      '{ at: 4m, kind: site-restore, target: B }',
      '{ at: 5m, kind: process-hang, target: cs-a }',
      '{ at: 6m, kind: process-start, target: cs-a }',
      '{ at: 7m, kind: lca-crash, target: b-mgmt }',
      '{ at: 8m, kind: cti-link-down, target: ts-a-1 }',
      '{ at: 9m, kind: cti-link-up, target: ts-a-1, link: all }',
      '{ at: 10m, kind: cti-link-down, target: ts-a-2, link: 2, silent: true }',
      '{ at: 11m, kind: switch-link-down, target: ts-a, silent: true }',
      '{ at: 12m, kind: switch-link-up, target: ts-a }',
      '{ at: 13m, kind: graceful-shutdown, target: sip-a-1 }',
      '{ at: 14m, kind: network-partition, between: [A, B], duration: 1m }',
      '{ at: 15m, kind: network-heal, between: [[b-sip-1, a-mgmt], [b-mgmt]] }',
      '{ at: 16m, kind: idb-down, target: icon-a-1, duration: 30m }',
      '{ at: 17m, kind: idb-up, target: icon-a-1 }',
      '{ at: 18m, kind: phone-unregister, target: sales }',
      '{ at: 19m, kind: phone-unregister, target: support, share: 0.25 }',
      '{ at: 20m, kind: manual-switchover, target: scs }',
      '{ at: 21m, kind: lca-restore, target: b-mgmt }',
      '{ at: 22m, kind: process-crash, target: icon-a-2 }',
      '{ at: 23m, kind: agent-logout, target: sales }',
      '{ at: 24m, kind: agent-logout, target: support, share: 0.5, reason: supervisor }',
    ]);
    const byIndex = new Map(s.faults.map((f) => [f.index, f]));
    expect(byIndex.get(0)).toEqual({
      id: 'f0',
      index: 0,
      atMs: 60_000,
      durationMs: 300_000,
      kind: 'host-crash',
      target: 'a-sip-1',
    });
    expect(byIndex.get(2)).toMatchObject({ kind: 'site-crash', target: 'B', durationMs: 600_000 });
    expect(byIndex.get(7)).toMatchObject({
      kind: 'cti-link-down',
      target: 'ts-a-1',
      link: 1,
      silent: false,
    });
    expect(byIndex.get(8)).toMatchObject({ kind: 'cti-link-up', link: 'all', silent: false });
    expect(byIndex.get(9)).toMatchObject({
      kind: 'cti-link-down',
      target: 'ts-a-2',
      link: 2,
      silent: true,
    });
    expect(byIndex.get(10)).toMatchObject({
      kind: 'switch-link-down',
      target: 'ts-a',
      silent: true,
    });
    expect(byIndex.get(11)).toMatchObject({ kind: 'switch-link-up', silent: false });
    expect(byIndex.get(13)).toEqual({
      id: 'f13',
      index: 13,
      atMs: 840_000,
      durationMs: 60_000,
      kind: 'network-partition',
      target: 'A|B',
      sideA: ['a-mgmt', 'a-rep', 'a-sip-1', 'a-sip-2'],
      sideB: ['b-mgmt', 'b-rep', 'b-sip-1', 'b-sip-2'],
    });
    expect(byIndex.get(14)).toMatchObject({
      kind: 'network-heal',
      target: 'b-sip-1,a-mgmt|b-mgmt',
      sideA: ['a-mgmt', 'b-sip-1'],
      sideB: ['b-mgmt'],
    });
    expect(byIndex.get(17)).toMatchObject({ kind: 'phone-unregister', target: 'sales', share: 1 });
    expect(byIndex.get(18)).toMatchObject({ share: 0.25 });
    expect(byIndex.get(19)).toMatchObject({ kind: 'manual-switchover', target: 'scs' });
    expect(byIndex.get(22)).toMatchObject({
      kind: 'agent-logout',
      target: 'sales',
      share: 1,
      reason: 'manual',
    });
    expect(byIndex.get(23)).toMatchObject({ share: 0.5, reason: 'supervisor' });
    expect(s.faults).toHaveLength(24);
  });

  it('gateway-down / gateway-up target a site; gateway-down takes a duration', () => {
    const s = load([
      '{ at: 1m, kind: gateway-down, target: A, duration: 10m }',
      '{ at: 2m, kind: gateway-up, target: B }',
    ]);
    expect(s.faults[0]).toEqual({
      id: 'f0',
      index: 0,
      atMs: 60_000,
      durationMs: 600_000,
      kind: 'gateway-down',
      target: 'A',
    });
    expect(s.faults[1]).toMatchObject({ kind: 'gateway-up', target: 'B' });
    expect(problems(['{ at: 1m, kind: gateway-down, target: a-sip-1 }'])[0]).toBe(
      'faults[0].target: unknown site "a-sip-1" (expected one of: A, B; found "a-sip-1")',
    );
    expect(problems(['{ at: 1m, kind: gateway-up, target: A, duration: 1m }'])[0]).toContain(
      'faults[0].duration: "gateway-up" has no automatic undo',
    );
  });

  it('wan-degrade / wan-restore: the WAN between two sites, latency and/or loss', () => {
    const s = load([
      '{ at: 1m, kind: wan-degrade, between: [B, A], latency: 200ms, loss: 0.1, duration: 10m }',
      '{ at: 2m, kind: wan-degrade, between: [A, B], loss: 0.5 }',
      '{ at: 3m, kind: wan-restore, between: [A, B] }',
    ]);
    expect(s.faults[0]).toEqual({
      id: 'f0',
      index: 0,
      atMs: 60_000,
      durationMs: 600_000,
      kind: 'wan-degrade',
      target: 'A|B',
      sites: ['A', 'B'],
      latencyMs: 200,
      loss: 0.1,
    });
    expect(s.faults[1]).toMatchObject({ latencyMs: 0, loss: 0.5 });
    expect(s.faults[2]).toMatchObject({ kind: 'wan-restore', target: 'A|B', loss: 0 });
  });

  it.each([
    [
      '{ at: 1m, kind: wan-degrade, between: [A, B] }',
      'faults[0]: "wan-degrade" needs "latency" and/or "loss"',
    ],
    [
      '{ at: 1m, kind: wan-degrade, between: [A, B], latency: 0, loss: 0 }',
      'faults[0]: "wan-degrade" with no latency and no loss changes nothing',
    ],
    [
      '{ at: 1m, kind: wan-degrade, between: [A, B], loss: 1 }',
      'faults[0].loss: a WAN losing every message is cut, not degraded (expected a share from 0 up to, not including, 1; found 1)',
    ],
    [
      '{ at: 1m, kind: wan-degrade, between: [A, B], loss: 1.5 }',
      'faults[0].loss: too large (expected at most 1; found 1.5)',
    ],
    [
      '{ at: 1m, kind: wan-degrade, between: [[a-mgmt], [b-mgmt]], loss: 0.1 }',
      'faults[0].between: "wan-degrade" is the WAN between two sites',
    ],
    [
      '{ at: 1m, kind: wan-degrade, target: A, loss: 0.1 }',
      'faults[0].target: "wan-degrade" takes "between", not "target"',
    ],
    [
      '{ at: 1m, kind: wan-restore, between: [A, B], loss: 0.1 }',
      'faults[0].loss: "loss" is only for wan-degrade faults',
    ],
    [
      '{ at: 1m, kind: network-partition, between: [A, B], latency: 1s }',
      'faults[0].latency: "latency" is only for wan-degrade faults',
    ],
    [
      '{ at: 1m, kind: wan-degrade, between: [A, C], latency: 1s }',
      'faults[0].between[1]: unknown site "C"',
    ],
  ])('%s → %s', (line, message) => {
    expect(problems([line]).some((p) => p.startsWith(message))).toBe(true);
  });

  it('sorts by time, then by position in the file', () => {
    const s = load([
      '{ at: 30m, kind: host-crash, target: a-sip-1 }',
      '{ at: 10m, kind: host-crash, target: a-sip-2 }',
      '{ at: 30m, kind: host-crash, target: b-sip-1 }',
      '{ at: 0, kind: host-crash, target: b-sip-2 }',
    ]);
    expect(s.faults.map((f) => f.id)).toEqual(['f3', 'f1', 'f0', 'f2']);
  });

  it.each([
    [
      '{ at: 1m, kind: graceful-shutdown, target: ts-a-1 }',
      'faults[0].target: "graceful-shutdown" needs a sipserver app; "ts-a-1" is a tserver app',
    ],
    [
      '{ at: 1m, kind: cti-link-down, target: sip-a-1 }',
      'faults[0].target: "cti-link-down" needs a tserver app; "sip-a-1" is a sipserver app',
    ],
    [
      '{ at: 1m, kind: idb-down, target: sip-a-1 }',
      'faults[0].target: "idb-down" needs an icon app',
    ],
    [
      '{ at: 1m, kind: switch-link-down, target: sip-a }',
      'faults[0].target: "switch-link-down" needs a tserver pair; "sip-a" is a sipserver pair',
    ],
    ['{ at: 1m, kind: host-crash, target: sip-a-1 }', 'faults[0].target: unknown host "sip-a-1"'],
    [
      '{ at: 1m, kind: site-crash, target: a }',
      'faults[0].target: unknown site "a" (expected one of: A, B; found "a"); did you mean "A"?',
    ],
    [
      '{ at: 1m, kind: phone-unregister, target: sale }',
      'faults[0].target: unknown agent group "sale"',
    ],
    [
      '{ at: 1m, kind: manual-switchover, target: sip-c }',
      'faults[0].target: unknown pair "sip-c"',
    ],
    [
      '{ at: 1m, kind: host-crash }',
      'faults[0].target: missing required key "target" (expected a host)',
    ],
    [
      '{ at: 1m, kind: network-partition, target: A }',
      'faults[0].target: "network-partition" takes "between", not "target"',
    ],
    ['{ at: 1m, kind: network-partition }', 'faults[0].between: missing required key "between"'],
    [
      '{ at: 1m, kind: network-partition, between: [A, [b-mgmt]] }',
      'faults[0].between: mixed sides',
    ],
    [
      '{ at: 1m, kind: network-partition, between: [A, C] }',
      'faults[0].between[1]: unknown site "C"',
    ],
    [
      '{ at: 1m, kind: network-partition, between: [[a-mgmt], [a-mgmt, b-mgmt]] }',
      'faults[0].between[1][0]: host "a-mgmt" is on both sides',
    ],
    ['{ at: 1m, kind: network-partition, between: [A] }', 'faults[0].between'],
    [
      '{ at: 1m, kind: host-crash, target: a-sip-1, link: 1 }',
      'faults[0].link: "link" is only for cti-link-down and cti-link-up faults',
    ],
    [
      '{ at: 1m, kind: host-crash, target: a-sip-1, share: 0.5 }',
      'faults[0].share: "share" is only for phone-unregister and agent-logout faults',
    ],
    [
      '{ at: 1m, kind: phone-unregister, target: sales, reason: manual }',
      'faults[0].reason: "reason" is only for agent-logout faults',
    ],
    ['{ at: 1m, kind: agent-logout, target: sales, reason: boss }', 'faults[0].reason'],
    [
      '{ at: 1m, kind: phone-unregister, target: sales, duration: 10m }',
      'faults[0].duration: "phone-unregister" has no automatic undo',
    ],
    [
      '{ at: 1m, kind: agent-logout, target: sale }',
      'faults[0].target: unknown agent group "sale"',
    ],
    [
      '{ at: 1m, kind: cti-link-up, target: ts-a-1, silent: true }',
      'faults[0].silent: "silent" is only for cti-link-down and switch-link-down faults',
    ],
    [
      '{ at: 1m, kind: manual-switchover, target: scs, duration: 1m }',
      'faults[0].duration: "manual-switchover" has no automatic undo',
    ],
    [
      '{ at: 1m, kind: cti-link-down, target: ts-a-1, link: 0 }',
      'faults[0].link: too small (expected at least 1; found 0)',
    ],
    [
      '{ at: 1m, kind: cti-link-down, target: ts-a-1, link: two }',
      'faults[0].link: wrong type (expected a number or "all"; found "two")',
    ],
    [
      '{ at: 1m, kind: phone-unregister, target: sales, share: 0 }',
      'faults[0].share: too small (expected above 0; found 0)',
    ],
    [
      '{ at: 1m, kind: host-crash, target: a-sip-1, duration: 0s }',
      'faults[0].duration: must not be 0',
    ],
    [
      '{ at: -1m, kind: host-crash, target: a-sip-1 }',
      'faults[0].at: duration must not be negative',
    ],
    [
      '{ at: 2h, kind: host-crash, target: a-sip-1 }',
      'faults[0].at: after the end of the scenario',
    ],
    ['{ kind: host-crash, target: a-sip-1 }', 'faults[0].at: missing required key "at"'],
    [
      '{ at: 1m, kind: host-crash, target: a-sip-1, tagret: x }',
      'faults[0].tagret: unknown key "tagret"',
    ],
  ])('%s is refused', (line, want) => {
    const got = problems([line]);
    expect(
      got.some((g) => g.startsWith(want)),
      got.join('\n'),
    ).toBe(true);
  });
});

describe('random failures', () => {
  const failures = (lines: string[]) => `failures:\n${lines.map((l) => `  - ${l}\n`).join('')}`;
  const loadF = (lines: string[]) =>
    withFiles({ 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(failures(lines)) }, (dir) =>
      loadScenario(join(dir, 's.yaml')),
    );
  const problemsF = (lines: string[]) =>
    withFiles(
      { 'topo.yaml': topoSmallWith(), 's.yaml': scenarioText(failures(lines)) },
      (dir) => inputError(() => loadScenario(join(dir, 's.yaml'))).message,
    );

  it('resolves targets and distributions', () => {
    const s = loadF([
      '{ kind: site-crash, targets: [B, A], mtbf: 10000h, mttr: 8h }',
      '{ kind: idb-down, type: icon, mtbf: 100h, mttr: 30m, dist: lognormal, cv: 0.5 }',
      '{ kind: cti-link-down, type: tserver, mtbf: 50h, mttr: 2m }',
    ]);
    expect(s.failures.map((f) => [f.kind, f.targets, f.mttr.kind])).toEqual([
      ['site-crash', ['A', 'B'], 'exponential'],
      ['idb-down', ['icon-a-1', 'icon-a-2'], 'lognormal'],
      ['cti-link-down', ['ts-a-1', 'ts-a-2'], 'exponential'],
    ]);
    expect(s.failures[1]!.mtbf).toEqual({ kind: 'lognormal', meanMs: 360_000_000, cv: 0.5 });
  });

  it.each([
    [
      '{ kind: host-crash, targets: [a-sip-1], type: sipserver, mtbf: 1h, mttr: 1m }',
      'failures[0].type: give "targets" or "type", not both',
    ],
    ['{ kind: host-crash, mtbf: 1h, mttr: 1m }', 'failures[0]: missing "targets" or "type"'],
    [
      '{ kind: host-crash, targets: [a-sip-1, a-sip-1], mtbf: 1h, mttr: 1m }',
      'failures[0].targets[1]: "a-sip-1" is listed twice',
    ],
    [
      '{ kind: host-crash, targets: [a-sip-9], mtbf: 1h, mttr: 1m }',
      'failures[0].targets[0]: unknown host "a-sip-9"',
    ],
    [
      '{ kind: idb-down, type: sipserver, mtbf: 1h, mttr: 1m }',
      'failures[0].type: "idb-down" needs icon apps',
    ],
    [
      '{ kind: process-crash, type: statserver, mtbf: 1h, mttr: 1m }',
      'failures[0].type: the topology has no statserver app',
    ],
    [
      '{ kind: host-crash, targets: [a-sip-1], mtbf: 1h, mttr: 1m, dist: weibull }',
      'failures[0].shape: a weibull failure needs "shape"',
    ],
    [
      '{ kind: host-crash, targets: [a-sip-1], mtbf: 1h, mttr: 1m, cv: 1 }',
      'failures[0].cv: "cv" is only for dist: lognormal',
    ],
    [
      '{ kind: host-crash, targets: [a-sip-1], mtbf: 0h, mttr: 1m }',
      'failures[0].mtbf: must not be 0',
    ],
    [
      '{ kind: manual-switchover, targets: [scs], mtbf: 1h, mttr: 1m }',
      'failures[0].kind: "manual-switchover" cannot be a random failure',
    ],
  ])('%s is refused', (line, want) => {
    expect(problemsF([line])).toContain(want);
  });
});
