import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../src/models/options.js';
import { jsonSchemas } from '../../src/scenario/json-schema.js';

type Json = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): Json =>
  path.reduce<Json>((cur, k) => (cur[k] ?? {}) as Json, o as Json);

describe('jsonSchemas', () => {
  const { topology, scenario } = jsonSchemas();

  it('describes the SPEC §1 keys, refusing unknown ones', () => {
    expect(Object.keys(at(topology, 'properties')).sort()).toEqual([
      'agents',
      'apps',
      'clusters',
      'licenses',
      'name',
      'network',
      'options',
      'pairs',
      'sites',
      'tenant-options',
    ]);
    expect(Object.keys(at(scenario, 'properties')).sort()).toEqual([
      'duration',
      'expect',
      'failures',
      'faults',
      'name',
      'options',
      'replications',
      'routing',
      'seed',
      'topology',
      'traffic',
      'warmup',
    ]);
    expect(at(topology).additionalProperties).toBe(false);
    expect(at(topology).required).toEqual(['sites', 'apps']);
    expect(at(scenario).required).toEqual(['duration']);
    expect(
      at(topology, 'properties', 'apps', 'additionalProperties', 'properties', 'type').enum,
    ).toContain('sipserver');
    expect(at(scenario, 'properties', 'faults', 'items', 'properties', 'kind').enum).toContain(
      'host-crash',
    );
  });

  it('lists every option with its default, and only desktop options per agent group', () => {
    const opts = at(topology, 'properties', 'options', 'properties');
    expect(Object.keys(opts).sort()).toEqual(OPTION_SPECS.map((o) => o.name).sort());
    expect(at(opts, 'addp-timeout').default).toBe('9s');
    const group = at(
      topology,
      'properties',
      'agents',
      'items',
      'properties',
      'options',
      'properties',
    );
    expect(Object.keys(group)).toContain('disaster-recovery.timeout');
    expect(Object.keys(group)).not.toContain('addp-timeout');
  });

  it('is plain JSON', () => {
    const text = JSON.stringify({ topology, scenario });
    expect(JSON.parse(text)).toEqual({ topology, scenario });
    expect(at(topology).title).toBe('ccsim topology');
  });
});
