// The shipped scenarios' expect: lines are claims about a design, not about one seed: an
// architect who runs one with more replications, or another seed, must see them hold. Each
// scenario here is checked over 20 replications at a seed none of them is shipped with. (The
// first time this ran, at 200 replications: seven scenarios had lines true only at their own
// seed — a warm pair's queued calls, a call outlasting the run, a login at the start — and one
// found two attribution faults in the lossy-WAN model; see the scenarios' comments.)
// availability-year is left out (a year a replication: its own tests run it).
// Budget: 52 scenarios × 20 replications, ~20 s on two workers.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ccsim } from './helpers.js';

const SCENARIOS = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml') && f !== 'availability-year.yaml')
  .sort()
  .map((f) => `scenarios/${f}`);

describe('the shipped scenarios’ expectations, at another seed', () => {
  test(
    'every expect: line holds over 20 replications at seed 20261203',
    { timeout: 300_000 },
    () => {
      expect(SCENARIOS.length).toBeGreaterThan(40);
      const r = ccsim([
        'check',
        ...SCENARIOS,
        '--replications',
        '20',
        '--seed',
        '20261203',
        '--workers',
        '2',
      ]);
      const failed = r.stdout
        .split('\n')
        .filter((l) => l.includes('FAIL') || / on [\w-]+ {2}scenarios\//.test(l))
        .join('\n');
      expect(r.stdout).toContain(`check: ${SCENARIOS.length} run(s):`);
      expect(r.code, failed + r.stderr).toBe(0);
    },
  );
});
