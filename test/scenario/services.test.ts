// traffic.services, routing and warmup (SPEC §5.1): what the loader accepts, what it fills in
// from traffic, and the errors a user sees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { formatIssue } from '../../src/scenario/errors.js';
import { inputError, scenarioText, TOPO_SMALL, withFiles } from './helpers.js';

const topo = readFileSync(TOPO_SMALL, 'utf8');

function load(body: string, sets: string[] = []) {
  return withFiles({ 'topo.yaml': topo, 's.yaml': scenarioText(body) }, (dir) =>
    loadScenario(join(dir, 's.yaml'), { sets }),
  );
}

function errors(body: string, sets: string[] = []): string[] {
  return withFiles({ 'topo.yaml': topo, 's.yaml': scenarioText(body) }, (dir) =>
    inputError(() => loadScenario(join(dir, 's.yaml'), { sets })).issues.map((i) =>
      formatIssue(i).replace(`${dir}/`, ''),
    ),
  );
}

const SERVICES = `traffic:
  handle-time: 240s
  patience: 90s
  site-split: { A: 0.5, B: 0.5 }
  services:
    - { name: sales, calls-per-hour: 1200, groups: [sales], site-split: { A: 0.7, B: 0.3 } }
    - { name: support, calls-per-hour: 900, groups: [support], handle-time: 420s, patience: 120s }
`;

describe('services', () => {
  test('keys not given in a service come from traffic', () => {
    const s = load(SERVICES);
    const [sales, support] = s.traffic!.services!;
    expect(sales).toMatchObject({
      name: 'sales',
      callsPerHour: 1200,
      groups: ['sales'],
      patienceMs: 90_000,
    });
    expect(sales!.siteSplit).toEqual({ A: 0.7, B: 0.3 });
    expect(sales!.handleTime).toEqual({ kind: 'exponential', meanMs: 240_000 });
    expect(support).toMatchObject({
      patienceMs: 120_000,
      handleTime: { kind: 'exponential', meanMs: 420_000 },
    });
    expect(support!.siteSplit).toEqual({ A: 0.5, B: 0.5 });
  });

  test('a scenario without services or routing has neither (one implicit service, local-only)', () => {
    const s = load('traffic: { calls-per-hour: 100, handle-time: 3m }\n');
    expect(s.traffic!.services).toBeUndefined();
    expect(s.routing).toBeUndefined();
  });

  test('unknown groups, duplicate names and a missing handle time are reported with their path', () => {
    const e = errors(`traffic:
  calls-per-hour: 100
  services:
    - { name: sales, groups: [salse] }
    - { name: sales, handle-time: 3m }
`);
    expect(
      e.some((l) => l.includes('traffic.services[0].groups[0]') && l.includes('"salse"')),
    ).toBe(true);
    expect(
      e.some((l) => l.includes('traffic.services[1].name') && l.includes('defined twice')),
    ).toBe(true);
    expect(e.some((l) => l.includes('traffic.handle-time') && l.includes('every service'))).toBe(
      true,
    );
  });
});

describe('routing and warmup', () => {
  test('routing.policy and overflow-after, with the overflow default', () => {
    expect(load('routing: { policy: local-first, overflow-after: 5s }\n').routing).toEqual({
      policy: 'local-first',
      overflowAfterMs: 5000,
      overflowAfterGiven: true,
    });
    expect(load('routing: { policy: pooled }\n').routing).toEqual({
      policy: 'pooled',
      overflowAfterMs: 10_000,
      overflowAfterGiven: false,
    });
  });

  test('--set routing.policy and routing.overflow-after', () => {
    const s = load('routing: { policy: local-only }\n', [
      'routing.policy=local-first',
      'routing.overflow-after=20s',
    ]);
    expect(s.routing).toEqual({
      policy: 'local-first',
      overflowAfterMs: 20_000,
      overflowAfterGiven: true,
    });
    // Without a routing block: the default policy (local-only), its overflow-after unused.
    expect(load('', ['routing.overflow-after=20s']).routing).toEqual({
      policy: 'local-only',
      overflowAfterMs: 20_000,
      overflowAfterGiven: true,
    });
  });

  test('an unknown policy names the three', () => {
    const e = errors('routing: { policy: nearest }\n');
    expect(e.join('\n')).toMatch(
      /routing\.policy: .*local-first, local-only, pooled; found "nearest"/,
    );
  });

  test('warmup must end before the run', () => {
    expect(load('warmup: 30m\n').warmupMs).toBe(1_800_000);
    expect(errors('warmup: 3h\n').join('\n')).toMatch(/warmup: warmup must end before the run/);
  });
});
