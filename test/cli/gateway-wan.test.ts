// The gateway and WAN fault kinds (SPEC §5.2) as an architect checks them: each shipped scenario
// states its outcome in `expect:` and `ccsim check` must pass on it; intervals.csv shows where
// site A's callers got in. Budget: one replication each, about 10 s on one core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ccsim, tempDir } from './helpers.js';

const SCENARIOS = ['gateway-down', 'wan-degrade-latency', 'wan-degrade-loss'];

describe('gateway and WAN faults: ccsim check on the shipped scenarios', () => {
  test('every expectation holds', { timeout: 120_000 }, () => {
    const r = ccsim(['check', ...SCENARIOS.map((s) => `scenarios/${s}.yaml`), '--workers', '1']);
    expect(r.stdout).toContain(`check: ${SCENARIOS.length} run(s):`);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  test(
    "gateway-down: while A's gateways are down, A's callers enter at B",
    { timeout: 60_000 },
    () => {
      const out = join(tempDir('gateway-down'), 'out');
      const r = ccsim(['run', 'scenarios/gateway-down.yaml', '--out', out]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const rows = readFileSync(join(out, 'intervals.csv'), 'utf8').trim().split('\n');
      const head = rows[0]!.split(',');
      const col = (name: string) => head.indexOf(name);
      const at = (start: number, site: string) =>
        rows
          .slice(1)
          .map((l) => l.split(','))
          .find((c) => Number(c[col('interval_start_s')]) === start && c[col('site')] === site)!;
      // 45–60 min: A's gateways down, the carrier has re-routed; B's are up.
      expect(Number(at(2700, 'A')[col('calls_offered')])).toBe(0);
      expect(Number(at(2700, 'B')[col('calls_offered')])).toBeGreaterThan(450);
      // Before the fault both sites take their half.
      expect(Number(at(900, 'A')[col('calls_offered')])).toBeGreaterThan(200);
    },
  );

  test(
    'report.html: the what-if form lists the options that matter for these faults',
    { timeout: 60_000 },
    () => {
      const out = join(tempDir('gateway-down-html'), 'out');
      const r = ccsim(['run', 'scenarios/gateway-down.yaml', '--out', out, '--quiet', '--html']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('name="carrier-detect-time"');
      expect(html).toContain('name="carrier-options-interval"');
      expect(html).not.toContain('name="tcp-retransmit-timeout"'); // no wan-degrade here
    },
  );
});
