// The shipped routing scenarios as an architect reads them (issue #17): the same site failure
// with DR and no auto-restore, local-first vs local-only; `check` evaluates their expect: lines
// and `compare` shows them side by side; agents logging out on purpose. Budget: ~12 s (two
// 3-hour runs of 7,000 calls, one 2-hour run of 5,000).
import { readFileSync } from 'node:fs';
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

describe('agent-logout (SPEC §5.2)', () => {
  test('the shipped scenario meets its expectations; the timeline says who logged out and why', () => {
    const out = tempDir('agent-logout');
    const r = ccsim(['run', 'scenarios/agent-logout.yaml', '--out', out, '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const timeline = readFileSync(join(out, 'timeline.csv'), 'utf8');
    expect(timeline).toContain('1800.000,desktops:sales,logged-out,manual: 60 agents');
    expect(timeline).toContain('3600.000,desktops:support,logged-out,supervisor: 30 agents');
    expect(timeline).not.toMatch(/dr-switchover/);
  });
});
