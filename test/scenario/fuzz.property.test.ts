// Fuzzing the loader: random documents always end in a valid spec or an InputError (exit 2),
// never another exception or a hang.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadAny, loadScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/scenario/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ccsim-fuzz-'));
const topo = new URL('../../scenarios/topologies/two-site-hot.yaml', import.meta.url).pathname;

const keys = fc.constantFrom(
  'name',
  'topology',
  'duration',
  'seed',
  'replications',
  'traffic',
  'options',
  'faults',
  'failures',
  'expect',
  'calls-per-hour',
  'site-split',
  'handle-time',
  'at',
  'kind',
  'target',
  'between',
  'link',
  'share',
  'addp-timeout',
  'sites',
  'apps',
  'pairs',
  'agents',
  'hosts',
  'type',
  'host',
  'primary',
  'backup',
  'redundancy',
  'mtbf',
  'mttr',
);
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '9s',
    '2h',
    '-1s',
    '1d',
    'host-crash',
    'a-sip-1',
    'A',
    'hot',
    'sipserver',
    topo,
    '<script>',
    '../x',
  ),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(keys, fc.string()), tie('node'), { maxKeys: 6 }),
})).node;

let n = 0;
function attempt(text: string): void {
  const file = join(dir, `doc-${n++}.yaml`);
  writeFileSync(file, text);
  for (const load of [() => loadAny(file), () => loadScenario(file)]) {
    try {
      load();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      expect(e.issues.length).toBeGreaterThan(0);
    }
  }
}

describe('loader fuzzing', () => {
  test('random structured documents: valid or InputError', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, value, { maxKeys: 8 }), (doc) => attempt(stringify(doc))),
      { numRuns: 300, seed: 424242 },
    );
  });

  test('random text: valid or InputError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => attempt(text)),
      { numRuns: 300, seed: 4243 },
    );
  });

  test('a mutated valid scenario: valid or InputError', () => {
    const base = {
      name: 'x',
      topology: topo,
      duration: '1h',
      faults: [{ at: '10m', kind: 'host-crash', target: 'a-sip-1' }],
    };
    fc.assert(
      fc.property(keys, value, (k, v) => attempt(stringify({ ...base, [k]: v }))),
      { numRuns: 300, seed: 4244 },
    );
  });
});
