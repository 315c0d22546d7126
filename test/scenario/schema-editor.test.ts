// `ccsim schema topology` / `ccsim schema scenario` as an editor uses them: each printed schema,
// compiled by a real JSON Schema validator (ajv, draft 2020-12), accepts every shipped file of its
// kind and rejects a misspelt key. Budget: ~3 s.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ccsim, ROOT } from '../cli/helpers.js';

function validator(kind: 'topology' | 'scenario') {
  const r = ccsim(['schema', kind]);
  expect(r.code).toBe(0);
  const schema = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

const yamlIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

describe.each([
  ['topology', yamlIn('scenarios/topologies')],
  ['scenario', yamlIn('scenarios')],
] as const)('ccsim schema %s', (kind, files) => {
  const validate = validator(kind);

  test.each(files)('accepts %s', (file) => {
    const doc = parse(readFileSync(join(ROOT, file), 'utf8')) as unknown;
    const ok = validate(doc);
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  test('rejects a misspelt key, naming it', () => {
    const doc = parse(readFileSync(join(ROOT, files[0]!), 'utf8')) as Record<string, unknown>;
    const misspelt = kind === 'topology' ? { ...doc, hots: {} } : { ...doc, durration: '1h' };
    expect(validate(misspelt)).toBe(false);
    expect(
      validate.errors!.some(
        (e) =>
          e.keyword === 'additionalProperties' &&
          Object.values(e.params).includes(kind === 'topology' ? 'hots' : 'durration'),
      ),
    ).toBe(true);
  });

  test('rejects a misspelt key inside (an app, a fault)', () => {
    const doc = parse(readFileSync(join(ROOT, files[0]!), 'utf8')) as Record<string, unknown>;
    const apps = (doc['apps'] ?? {}) as Record<string, object>;
    const [first] = Object.keys(apps);
    const good =
      kind === 'topology'
        ? doc
        : { ...doc, faults: [{ at: '1m', kind: 'host-crash', target: 'a-sip-1' }] };
    expect(validate(good)).toBe(true);
    const bad =
      kind === 'topology'
        ? { ...doc, apps: { ...apps, [first!]: { ...apps[first!], hots: 'a' } } }
        : {
            ...doc,
            faults: [{ at: '1m', kind: 'host-crash', target: 'a-sip-1', targt: 'a-sip-1' }],
          };
    expect(validate(bad)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain(kind === 'topology' ? 'hots' : 'targt');
  });
});

test('bare ccsim schema still prints {topology, scenario}', () => {
  const both = JSON.parse(ccsim(['schema']).stdout) as Record<string, unknown>;
  expect(Object.keys(both).sort()).toEqual(['scenario', 'topology']);
});
