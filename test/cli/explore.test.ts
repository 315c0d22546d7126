// `ccsim explore`: finds a schedule that loses reporting data, shrinks it, and the reproducer
// fails `ccsim check`.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ccsim, tempDir } from './helpers.js';

describe('ccsim explore', () => {
  test('finds an ICON data loss, shrinks it to at most 3 faults, and check replays it (exit 1)', () => {
    const out = join(tempDir('explore'), 'x');
    const r = ccsim([
      'explore',
      'test/fixtures/explore/icon.yaml',
      '--runs',
      '25',
      '--seed',
      '6', // schedules follow the scenario's content (and seed): this seed draws an ICON loss
      '--out',
      out,
      '--workers', // judged two at a time, read in order: what one worker finds (test below)
      '2',
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/violation icon_lost_all == 0/);
    expect(r.stdout).toMatch(/coverage/);
    expect(existsSync(join(out, 'coverage.csv'))).toBe(true);
    const repros = readdirSync(out).filter((f) => f.startsWith('repro-'));
    const icon = repros
      .map((f) => join(out, f))
      .find((f) => readFileSync(f, 'utf8').includes('Violates: icon_lost_all == 0'));
    expect(icon).toBeDefined();
    const doc = parse(readFileSync(icon!, 'utf8')) as { faults: unknown[]; expect: string[] };
    expect(doc.faults.length).toBeGreaterThanOrEqual(1);
    expect(doc.faults.length).toBeLessThanOrEqual(3);
    expect(doc.expect).toContain('icon_lost_all == 0');
    const check = ccsim(['check', icon!]);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toMatch(/icon_lost_all/);
  });

  test('the same seed explores the same schedules, and finds the same reproducers whatever --workers', () => {
    const da = join(tempDir('ea'), 'x');
    const db = join(tempDir('eb'), 'x');
    const a = ccsim([
      'explore',
      'test/fixtures/explore/icon.yaml',
      '--runs',
      '6',
      '--seed',
      '9',
      '--out',
      da,
      '--quiet',
    ]);
    const b = ccsim([
      'explore',
      'test/fixtures/explore/icon.yaml',
      '--runs',
      '6',
      '--seed',
      '9',
      '--out',
      db,
      '--quiet',
      '--workers',
      '2',
    ]);
    expect(a.code).toBe(b.code);
    const cov = readFileSync(join(da, 'coverage.csv'), 'utf8');
    expect(cov.split('\n').length).toBeGreaterThan(3);
    expect(readFileSync(join(db, 'coverage.csv'), 'utf8')).toBe(cov);
    // Schedules judged two at a time are read in order: the same violations, shrunk alike.
    const repros = (d: string): string[] =>
      readdirSync(d)
        .filter((f) => f.startsWith('repro-'))
        .sort()
        .map((f) => readFileSync(join(d, f), 'utf8').replaceAll(d, 'OUT'));
    expect(repros(db)).toEqual(repros(da));
    const other = join(tempDir('ec'), 'x');
    ccsim([
      'explore',
      'test/fixtures/explore/icon.yaml',
      '--runs',
      '6',
      '--seed',
      '10',
      '--out',
      other,
      '--quiet',
    ]);
    expect(readFileSync(join(other, 'coverage.csv'), 'utf8')).not.toBe(cov);
  });

  test('liveness phase: split brain during a partition is an expected consequence, not a violation', () => {
    const out = join(tempDir('explore-live'), 'x');
    const r = ccsim([
      'explore',
      'scenarios/explore-liveness.yaml',
      '--runs',
      '40',
      '--seed',
      '5',
      '--out',
      out,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /expected by the drawn fault \(its mechanism moves the metric; not counted\)/,
    );
    expect(r.stdout).toMatch(
      /split_brain_s < 5 <- network-partition: \d+ run\(s\) — each side of a cut/,
    );
    expect(r.stdout).toMatch(/no violation \(invariants and liveness hold\) in 40 runs/);
    expect(r.stdout).toMatch(/confdb-down +2\/2/); // every fault kind is drawn, confdb-down too
  });

  test('switchover_max_s < 3, written for a process crash: a host crash breaks it by design (ADDP), not counted; harm-asserting lines are not judged', () => {
    const out = join(tempDir('explore-judge'), 'x');
    const r = ccsim([
      'explore',
      'scenarios/process-crash-sip-primary.yaml',
      '--runs',
      '40',
      '--seed',
      '1',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      violations: unknown[];
      by_design: { outcome: string; runs: number; why: string }[];
    };
    expect(j.violations).toEqual([]);
    const host = j.by_design.find((b) => b.outcome === 'switchover_max_s < 3 <- host-crash');
    expect(host?.runs).toBeGreaterThan(0);
    expect(host?.why).toMatch(/ADDP/);
    // Never explained by a kind whose switchover is fast by design.
    for (const k of ['process-crash', 'manual-switchover', 'graceful-shutdown'])
      expect(j.by_design.map((b) => b.outcome)).not.toContain(`switchover_max_s < 3 <- ${k}`);

    // wan-degrade-loss asserts its own fault's harm (switchovers > 0, split_brain_s > 0): with
    // that fault replaced those lines say nothing, so a schedule without switchover is no violation.
    const w = ccsim([
      'explore',
      'scenarios/wan-degrade-loss.yaml',
      '--runs',
      '6',
      '--seed',
      '1',
      '--out',
      join(tempDir('explore-harm'), 'x'),
      '--json',
    ]);
    const wj = JSON.parse(w.stdout) as {
      not_judged: string[];
      violations: { violated: string[] }[];
    };
    expect(wj.not_judged).toEqual(['switchovers > 0', 'split_brain_s > 0']);
    for (const v of wj.violations) expect(v.violated).not.toContain('switchovers > 0');
  });

  test('liveness phase: a design that never converges is a violation, replayed by check', () => {
    const out = join(tempDir('explore-noha'), 'x');
    const r = ccsim([
      'explore',
      'test/fixtures/explore/no-ha.yaml',
      '--runs',
      '12',
      '--seed',
      '3',
      '--out',
      out,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/violation unconverged_pairs == 0/);
    const repro = join(out, 'repro-1.yaml');
    const doc = parse(readFileSync(repro, 'utf8')) as { expect: string[]; duration: string };
    expect(doc.expect).toContain('orders_pending_end == 0');
    expect(doc.duration).toBeDefined();
    const check = ccsim(['check', repro]);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toMatch(/FAIL +unconverged_pairs == 0/);
  });

  test('--runs is required and must be a whole number', () => {
    const r = ccsim(['explore', 'test/fixtures/explore/icon.yaml', '--runs', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--runs/);
  });
});
