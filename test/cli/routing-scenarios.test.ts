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
    // Two scenario files, one workload (length, traffic, faults): only the design differs, and
    // compare does not warn that the differences mix faults and traffic.
    const workload = (dir: string) =>
      (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { workload_digest: string })
        .workload_digest;
    expect(workload(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(workload(only)).toBe(workload(first));
    expect(cmp.stderr).toBe('');
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

describe('the day of the walkthrough (README)', () => {
  test('day meets its expectations; local-only on the same calls abandons those entering the other site', () => {
    const out = tempDir('day');
    const first = join(out, 'first');
    const only = join(out, 'only');
    const a = ccsim(['run', 'scenarios/day.yaml', '--out', first, '--quiet']);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const b = ccsim([
      'run',
      'scenarios/day.yaml',
      '--set',
      'routing.policy=local-only',
      '--out',
      only,
      '--quiet',
    ]);
    // Its expectations (calls_overflowed, service_level) fail under local-only: exit 1.
    expect(b.code, b.stdout + b.stderr).toBe(1);
    const col = (dir: string, name: string) => {
      const [head, row] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
      return Number(row!.split(',')[head!.split(',').indexOf(name)]);
    };
    const offered = col(first, 'calls_offered');
    expect(col(only, 'calls_offered')).toBe(offered); // same calls
    expect(col(only, 'calls_abandoned') / offered).toBeGreaterThan(0.2);
    expect(col(first, 'calls_abandoned') / offered).toBeLessThan(0.05);
    expect(col(only, 'service_level')).toBeLessThan(0.8);
    // The availability headline per service: under local-only the sales callers entering at B
    // and the support callers entering at A reach no agent of their group all day.
    expect(col(first, 'center_availability')).toBeGreaterThan(0.995);
    expect(col(only, 'center_availability')).toBeLessThan(0.01);
    // Intervals: agents_scheduled follows the shifts (6 at night, 92 in the late morning at A).
    const iv = readFileSync(join(first, 'intervals.csv'), 'utf8');
    expect(iv).toMatch(/\n0,10800\.000,A,sales,(?:[^,\n]*,){9}6,/);
    expect(iv).toMatch(/\n0,39600\.000,A,sales,(?:[^,\n]*,){9}92,/);
  });
});

describe('graceful shutdown without dr-peer-trunk (reach reads the shutdown rule)', () => {
  test("site A's new callers are refused for the whole drain and the headline says so; with the peer trunk they are not", () => {
    const out = tempDir('gs-refused');
    const refused = join(out, 'refused');
    const trunk = join(out, 'trunk');
    const a = ccsim([
      'run',
      'scenarios/graceful-shutdown-refused.yaml',
      '--out',
      refused,
      '--quiet',
    ]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const b = ccsim([
      'run',
      'scenarios/graceful-shutdown-refused.yaml',
      '--set',
      'dr-peer-trunk=site-b-trunk',
      '--out',
      trunk,
      '--quiet',
    ]);
    // Its expectations (calls refused, availability lost) fail with the peer trunk: exit 1.
    expect(b.code, b.stdout + b.stderr).toBe(1);
    const col = (dir: string, name: string) => {
      const [head, row] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
      return Number(row!.split(',')[head!.split(',').indexOf(name)]);
    };
    // The downtime is the drain: from the shutdown to the server's exit.
    const sw = readFileSync(join(refused, 'switchovers.csv'), 'utf8').trim().split('\n');
    const drainS = Number(sw[1]!.split(',')[sw[0]!.split(',').indexOf('drain_s')]);
    expect(drainS).toBeGreaterThan(300);
    const down = (1 - col(refused, 'center_availability')) * col(refused, 'sim_s');
    expect(Math.abs(down - drainS)).toBeLessThan(5);
    expect(col(trunk, 'calls_rejected')).toBe(0);
    expect(col(trunk, 'center_availability')).toBe(1);
  });
});

describe('availability per call service (availability.csv)', () => {
  test('a month of site A failures without DR: sales is down for each whole failure, support only for the failover', () => {
    const out = tempDir('availability-services');
    const r = ccsim(['run', 'scenarios/availability-services.yaml', '--out', out, '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [head, ...lines] = readFileSync(join(out, 'availability.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    const row = (service: string) => {
      const cells = lines.find((l) => l.split(',')[1] === service)!.split(',');
      const v = (c: string) => Number(cells[cols.indexOf(c)]);
      return {
        down: v('downtime_s'),
        availability: v('availability'),
        outages: v('outages'),
        calls: v('calls_lost'),
        agentMin: v('agent_minutes_lost'),
      };
    };
    const siteA = row('telephony:A');
    const sales = row('service:sales');
    const support = row('service:support');
    const center = row('center');
    expect(siteA.outages).toBeGreaterThan(2);
    // Sales' agents are down with site A: the service is down as long (plus their login after it).
    expect(sales.outages).toBe(siteA.outages);
    expect(sales.down).toBeGreaterThanOrEqual(siteA.down);
    expect(sales.down).toBeLessThan(siteA.down * 1.01);
    expect(sales.agentMin).toBeGreaterThan(0);
    // Support's callers entering at A find site B after gateway-detect-time: minutes, not hours.
    expect(support.outages).toBe(siteA.outages);
    expect(support.down).toBeLessThan(siteA.down * 0.05);
    expect(support.agentMin).toBe(0);
    expect(support.calls).toBeLessThan(sales.calls / 5);
    // The center is down while either service is.
    expect(center.availability).toBeLessThanOrEqual(
      Math.min(sales.availability, support.availability),
    );
    const stats = readFileSync(join(out, 'stats.csv'), 'utf8');
    expect(stats).toMatch(/\navailability:service:sales,1,/);
    expect(stats).toMatch(/\navailability:service:support,1,/);
  });
});

describe('routing pair without a primary (routing-pair-hang)', () => {
  test('a router switchover is no outage; an unseen hang is, from router-timeout after it to the restart', () => {
    const out = tempDir('routing-pair-hang');
    const r = ccsim(['run', 'scenarios/routing-pair-hang.yaml', '--out', out, '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [head, row] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    const col = (name: string) => Number(row!.split(',')[head!.split(',').indexOf(name)]);
    const downS = (1 - col('center_availability')) * col('sim_s');
    // 3610 s (hang + router-timeout) to 4800.5 s (the restarted server's promotion).
    expect(downS).toBeGreaterThan(1190);
    expect(downS).toBeLessThan(1191);
  });
});
