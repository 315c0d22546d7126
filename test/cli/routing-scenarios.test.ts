// The shipped routing scenarios as an architect reads them (issue #17): the same site failure
// with DR and no auto-restore, local-first vs local-only; `check` evaluates their expect: lines
// and `compare` shows them side by side. Budget: ~10 s (two 3-hour runs of 7,000 calls).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ccsim, tempDir } from './helpers.js';

describe('site failure: local-first vs local-only', () => {
  test('both scenarios meet their expectations, and compare shows the abandoned calls apart', () => {
    const out = tempDir('routing');
    const first = join(out, 'first');
    const only = join(out, 'only');
    const a = ccsim(['run', 'scenarios/site-failure-local-first.yaml', '--out', first, '--quiet']);
    const b = ccsim(['run', 'scenarios/site-failure-local-only.yaml', '--out', only, '--quiet']);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const cmp = ccsim(['compare', first, only, '--csv', join(out, 'cmp.csv')]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/calls_abandoned/);
    expect(cmp.stdout).toMatch(/calls_overflowed/);
  });
});
