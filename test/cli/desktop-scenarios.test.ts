// Business continuity as Workspace documents it (seed 002, 003; DOMAIN §12 "Desktops"), as an
// architect checks it: each shipped scenario states its outcome in `expect:` and `ccsim run`
// must pass on it; paired scenarios are then compared (cluster against one proxy, reg_timeout
// 3,600 s against 60 s) from their summary.csv.
// Budget: 14 one-replication runs of a few seconds each, about 40 s on one core.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ccsim, ROOT, tempDir } from './helpers.js';

const SCENARIOS = [
  'startup-csproxy-down', // start-up through site B's proxy, login at A, no DR
  'dr-peer-csproxy-down', // DR waits for the target site's proxy
  'restore-after-wrapup', // Ready restored only after a 300 s wrap-up
  'return-preferred-reg-3600', // back about an hour after the registration at the peer
  'return-preferred-reg-60', // ... about a minute
  'statserver-pair-lost', // desktops on the peer's Stat Servers, no site switchover
  'startup-one-proxy', // 2,000 desktops through one CS Proxy
  'startup-proxy-cluster', // ... through a cluster of two
  'storm-one-proxy', // 2,000-desktop reconnection storm after a site failure, one proxy at B
  'storm-proxy-cluster', // ... a cluster of two at B
  'wan-degrade-desktops', // after a DR move, 6 s more WAN latency: false disconnects (ADDP)
  'wan-degrade-desktops-below', // ... 2 s: polls answered within client-addp-timeout, none
  'split-brain-warm-desktops', // warm desktops reach the primary they can reach; none lost at the heal
] as const;
type Name = (typeof SCENARIOS)[number];

/** summary.csv of a report directory as column → value (one replication). */
function summary(dir: string): Record<string, string> {
  const [head, row] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const vals = row!.split(',');
  return Object.fromEntries(cols.map((c, i) => [c, vals[i]!]));
}

describe('desktop business continuity: the shipped scenarios', () => {
  const out = tempDir('desktop');
  const rows = new Map<Name, Record<string, string>>();
  const num = (s: Name, col: string) => {
    const v = rows.get(s)?.[col];
    expect(v, `${s}: ${col}`).toBeDefined();
    return Number(v);
  };

  test('every expectation holds', { timeout: 240_000 }, () => {
    for (const s of SCENARIOS) {
      const dir = join(out, s);
      const r = ccsim(['run', `scenarios/${s}.yaml`, '--out', dir, '--quiet']);
      expect(r.code, `${s}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout, s).not.toContain('FAIL');
      rows.set(s, summary(dir));
    }
  });

  // desktop-relogin-time (model default): what a login takes before it reaches the queues.
  const RELOGIN_S = 5;

  test('a cluster of two CS Proxies logs site A in twice as fast as one proxy', () => {
    const one = num('startup-one-proxy', 'desktop_login_max_s') - RELOGIN_S;
    const two = num('startup-proxy-cluster', 'desktop_login_max_s') - RELOGIN_S;
    expect(one).toBeGreaterThanOrEqual(2000 / 50); // never faster than the proxy's login rate
    expect(one / two).toBeGreaterThan(1.9);
    expect(one / two).toBeLessThan(2.1);
  });

  test('the 2,000-desktop storm stays within the login limits and its length scales with proxy capacity', () => {
    for (const s of ['storm-one-proxy', 'storm-proxy-cluster'] as const) {
      expect(num(s, 'dr_switchovers'), s).toBe(2000);
      expect(num(s, 'agents_logged_out_end'), s).toBe(0);
    }
    const one = num('storm-one-proxy', 'dr_login_span_s') - RELOGIN_S;
    const two = num('storm-proxy-cluster', 'dr_login_span_s') - RELOGIN_S;
    expect(one).toBeGreaterThanOrEqual(2000 / 50);
    expect(two).toBeGreaterThanOrEqual(2000 / 100); // both proxies and the SIP Server's 100/s
    expect(one / two).toBeGreaterThan(1.8);
    expect(one / two).toBeLessThan(2.2);
  });

  test('two site failures 20 min apart are two storms: dr_login_span_s is the longer one', () => {
    // storm-one-proxy, with site A back after 5 min (its desktops stay at B) and site B lost
    // for good at 25 min: every desktop moves again, to A. Each storm is about 50 s; the span
    // from the first DR switchover to the last DR login is about 20 min.
    const text = readFileSync(join(ROOT, 'scenarios/storm-one-proxy.yaml'), 'utf8')
      .replace('topology: topologies/', `topology: ${join(ROOT, 'scenarios/topologies')}/`)
      .replace('duration: 10m', 'duration: 40m')
      .replace(
        '  - { at: 5m, kind: site-crash, target: A }',
        '  - { at: 5m, kind: site-crash, target: A, duration: 5m }\n  - { at: 25m, kind: site-crash, target: B }',
      )
      .replace(/^expect:[\s\S]*$/m, '');
    const file = join(out, 'storm-twice.yaml');
    writeFileSync(file, text);
    const dir = join(out, 'storm-twice');
    const r = ccsim(['run', file, '--out', dir, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const row = summary(dir);
    expect(Number(row.dr_switchovers)).toBeGreaterThanOrEqual(4000);
    expect(Number(row.agents_logged_out_end)).toBe(0);
    const span = Number(row.dr_login_span_s) - RELOGIN_S;
    expect(span).toBeGreaterThanOrEqual(2000 / 50);
    expect(span).toBeLessThan(60);
  });

  test('reg_timeout 3,600 s returns about an hour after the peer registration, 60 s about a minute', () => {
    const slow = num('return-preferred-reg-3600', 'return_to_preferred_mean_s');
    const fast = num('return-preferred-reg-60', 'return_to_preferred_mean_s');
    expect(slow).toBeGreaterThanOrEqual(3600);
    expect(slow).toBeLessThan(3600 + 60);
    expect(fast).toBeGreaterThanOrEqual(60);
    expect(fast).toBeLessThan(60 + 60);
    // Every desktop at its own registration + reg_timeout: not spread over a cycle of the run.
    expect(num('return-preferred-reg-3600', 'return_to_preferred_max_s') - slow).toBeLessThan(30);
  });
});
