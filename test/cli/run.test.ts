// `ccsim run` end to end on the shipped scenarios: report files, determinism, exit codes.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccsim, csvFiles, tempDir } from './helpers.js';
import { SUMMARY_COLUMNS } from '../../src/scenario/columns.js';

function parse(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

describe('ccsim run', () => {
  test('host loss of the SIP primary: a switchovers.csv row with detection in [T, 2T]', () => {
    const out = join(tempDir('run'), 'r');
    const r = ccsim(['run', 'scenarios/host-loss-sip-primary.yaml', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of [
      'summary.csv',
      'stats.csv',
      'switchovers.csv',
      'faults.csv',
      'timeline.csv',
      'run.json',
    ]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
    expect(summary.split('\n')[0]).toBe(SUMMARY_COLUMNS.join(','));
    const sip = parse(readFileSync(join(out, 'switchovers.csv'), 'utf8')).filter(
      (s) => s.pair === 'sip-a',
    );
    expect(sip).toHaveLength(1);
    const d = Number(sip[0]!.detection_s);
    expect(d).toBeGreaterThanOrEqual(9);
    expect(d).toBeLessThanOrEqual(18.01);
    expect(Number(sip[0]!.switchover_s) - d).toBeGreaterThanOrEqual(0.5);
    expect(Number(sip[0]!.switchover_s) - d).toBeLessThan(0.6);
    expect(sip[0]!.fault_id).toBe('f0');
  });

  test('detection varies with the seed', () => {
    const seen = new Set<string>();
    for (const seed of ['1', '2', '3', '4']) {
      const out = join(tempDir('seed'), 'r');
      expect(
        ccsim([
          'run',
          'scenarios/host-loss-sip-primary.yaml',
          '--out',
          out,
          '--quiet',
          '--seed',
          seed,
        ]).code,
      ).toBe(0);
      const sip = parse(readFileSync(join(out, 'switchovers.csv'), 'utf8')).find(
        (s) => s.pair === 'sip-a',
      )!;
      seen.add(sip.detection_s!);
    }
    expect(seen.size).toBe(4);
  });

  test('process crash of the SIP primary: switchover under 3 s', () => {
    const out = join(tempDir('pc'), 'r');
    expect(
      ccsim(['run', 'scenarios/process-crash-sip-primary.yaml', '--out', out, '--quiet']).code,
    ).toBe(0);
    const sip = parse(readFileSync(join(out, 'switchovers.csv'), 'utf8')).find(
      (s) => s.pair === 'sip-a',
    )!;
    expect(Number(sip.switchover_s)).toBeLessThan(3);
  });

  test('the summary table: no call rows without traffic, the service level where calls were offered', () => {
    const base = tempDir('sl');
    const quiet = ccsim([
      'run',
      'test/fixtures/experiments/host-loss-short.yaml', // no traffic
      '--out',
      join(base, 'a'),
      '--no-color',
    ]);
    expect(quiet.code).toBe(0);
    // Without traffic: one line instead of the calls' rows (zeros with a Poisson interval).
    expect(quiet.stdout).toMatch(/\n {2}calls {18}none \(no traffic in this scenario\)\n/);
    expect(quiet.stdout).not.toMatch(/calls offered|service level/);
    // summary.csv keeps its 0: the table and the page show a dash instead of it.
    const rows = parse(readFileSync(join(base, 'a', 'summary.csv'), 'utf8'));
    expect(rows.map((r) => r.service_level)).toEqual(['0', '0']);
    const busy = ccsim([
      'run',
      'scenarios/process-crash-sip-primary.yaml',
      '--out',
      join(base, 'b'),
      '--no-color',
    ]);
    expect(busy.stdout).toMatch(/\n {2}calls offered {10}\d+/);
    expect(busy.stdout).toMatch(/\n {2}service level {10}0\.\d{4}/);
    // Traffic, and not one call offered in the two hours: the calls' rows, and no service level.
    const none = ccsim([
      'run',
      'scenarios/process-crash-sip-primary.yaml',
      '--set',
      'traffic.calls-per-hour=0.001',
      '--set',
      'traffic.tserver-calls-per-hour.ts-a=0.001',
      '--out',
      join(base, 'c'),
      '--no-color',
    ]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/\n {2}calls offered {10}0\n/);
    expect(none.stdout).toMatch(/\n {2}service level {10}– \(no call offered\)\n/);
  });

  test('same inputs and seed: byte-identical CSVs', () => {
    const a = join(tempDir('det'), 'a');
    const b = join(tempDir('det'), 'b');
    const args = ['run', 'scenarios/host-loss-sip-primary.yaml', '--quiet', '--replications', '3'];
    expect(ccsim([...args, '--out', a]).code).toBe(0);
    expect(ccsim([...args, '--out', b]).code).toBe(0);
    const fa = csvFiles(a);
    const fb = csvFiles(b);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [name, text] of fa) expect(fb.get(name), name).toBe(text);
    expect(fa.get('summary.csv')!.trim().split('\n')).toHaveLength(4);
  });

  test('--set changes the option: a longer addp-timeout detects later', () => {
    const out = join(tempDir('set'), 'r');
    const r = ccsim([
      'run',
      'scenarios/host-loss-sip-primary.yaml',
      '--out',
      out,
      '--quiet',
      '--set',
      'addp-timeout=30s',
    ]);
    // The scenario's own expect: (switchover within 20 s) no longer holds: run says so, exit 1.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ FAIL\s+switchover_max_s <= 20\n/);
    const sip = parse(readFileSync(join(out, 'switchovers.csv'), 'utf8')).find(
      (s) => s.pair === 'sip-a',
    )!;
    expect(Number(sip.detection_s)).toBeGreaterThanOrEqual(30);
    expect(Number(sip.detection_s)).toBeLessThanOrEqual(60.01);
  });

  test('--json prints the summary rows', () => {
    const out = join(tempDir('json'), 'r');
    const r = ccsim(['run', 'scenarios/process-crash-sip-primary.yaml', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { summary: Record<string, unknown>[] }[];
    expect(j[0]!.summary[0]!.switchovers).toBeGreaterThan(0);
  });

  test('a bad flag exits 2 without a stack trace', () => {
    const r = ccsim(['run', 'scenarios/host-loss-sip-primary.yaml', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the output directory', () => {
  test('an existing directory that is not a ccsim report is never replaced (exit 2, before running)', () => {
    const dir = tempDir('userdir');
    writeFileSync(join(dir, 'thesis.txt'), 'precious');
    const r = ccsim(['run', 'scenarios/process-crash-sip-primary.yaml', '--out', dir, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to replace/);
    expect(readFileSync(join(dir, 'thesis.txt'), 'utf8')).toBe('precious');
  });

  test('an earlier report directory is replaced whole', () => {
    const dir = join(tempDir('again'), 'r');
    expect(
      ccsim(['run', 'scenarios/process-crash-sip-primary.yaml', '--out', dir, '--quiet']).code,
    ).toBe(0);
    writeFileSync(join(dir, 'report.html'), 'x'); // written by ccsim report; this run writes none
    expect(
      ccsim(['run', 'scenarios/process-crash-sip-primary.yaml', '--out', dir, '--quiet']).code,
    ).toBe(0);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'summary.csv'))).toBe(true);
  });
});
