// What crosses the worker boundary is plain data: a ScenarioSpec and a ReplicationOutput survive
// structured cloning unchanged (no class instance, no function); --workers 1 starts no worker.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { runOne } from '../../src/cli/execute.js';
import { TaskRunner } from '../../src/cli/pool.js';
import { splitValues } from '../../src/scenario/sweep.js';
import { ROOT } from './helpers.js';

const PLAIN_PROTOTYPES = new Set<unknown>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  null,
]);

/** Paths of values that structured clone would not carry faithfully. */
function notPlain(v: unknown, path = '$', out: string[] = []): string[] {
  if (typeof v === 'function' || typeof v === 'symbol') out.push(`${path}: ${typeof v}`);
  if (v === null || typeof v !== 'object') return out;
  if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(v)))
    out.push(`${path}: ${Object.getPrototypeOf(v)?.constructor?.name}`);
  if (v instanceof Map) for (const [k, x] of v) notPlain(x, `${path}.get(${String(k)})`, out);
  else if (v instanceof Set) for (const x of v) notPlain(x, `${path}.has()`, out);
  else for (const [k, x] of Object.entries(v)) notPlain(x, `${path}.${k}`, out);
  return out;
}

describe('worker boundary', () => {
  const spec = loadScenario(join(ROOT, 'test/fixtures/experiments/host-loss-short.yaml'));

  test('ScenarioSpec is plain data', () => {
    expect(notPlain(spec)).toEqual([]);
    expect(structuredClone(spec)).toEqual(spec);
  });

  test('ReplicationOutput is plain data and survives structured cloning', () => {
    const out = runOne(spec, 0);
    expect(notPlain(out)).toEqual([]);
    expect(structuredClone(out)).toStrictEqual(out);
  });

  test('--workers 1 runs tasks in this thread and starts no pool', async () => {
    const runner = new TaskRunner(1);
    const [o] = await runner.run([{ kind: 'summary', spec, replication: 0 }]);
    expect(o?.ok).toBe(true);
    expect((runner as unknown as { pool: unknown }).pool).toBeUndefined();
    await runner.close();
  });
});

describe('sweep value lists', () => {
  test.each([
    ['5s,10s', ['5s', '10s']],
    ['a\\,b,c', ['a,b', 'c']],
    ['"a,b",c', ['"a,b"', 'c']],
    ["'x, y',z", ["'x, y'", 'z']],
    ['{A: 0.6, B: 0.4},[1, 2]', ['{A: 0.6, B: 0.4}', '[1, 2]']],
    [' 5s , 10s ', ['5s', '10s']],
  ])('%s', (text, values) => {
    expect(splitValues(text)).toEqual(values);
  });

  test('unclosed quotes and brackets are refused', () => {
    expect(splitValues('"a,b')).toBeUndefined();
    expect(splitValues('{A: 1')).toBeUndefined();
  });
});
