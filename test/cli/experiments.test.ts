// Experiments end to end through the built CLI: parallel workers, sweeps, shards and merge,
// compare, check, and their usage errors. Short fixture scenarios keep each test fast.
import { describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccsim, csvFiles, tempDir } from './helpers.js';
import { readCsvTable } from '../../src/report/csv-read.js';

const SHORT = 'test/fixtures/experiments/host-loss-short.yaml';
const STRICT = 'test/fixtures/experiments/host-loss-strict.yaml';
const HOST_LOSS = 'scenarios/host-loss-sip-primary.yaml';
const GRID = [
  '--set',
  'addp-timeout=4s,8s',
  '--set',
  'pairs.sip-a.redundancy=hot,warm',
  '--replications',
  '2',
];

function ok(args: string[]): { stdout: string; stderr: string } {
  const r = ccsim(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

function expectSameCsvs(a: string, b: string): void {
  const fa = csvFiles(a);
  const fb = csvFiles(b);
  expect([...fb.keys()]).toEqual([...fa.keys()]);
  expect(fa.size).toBeGreaterThan(0);
  for (const [name, text] of fa) expect(fb.get(name), name).toBe(text);
}

/** Checks that text is well-formed XML (tags nest and close; attributes quoted); returns the tags. */
function xmlTags(text: string): { name: string; attrs: Record<string, string> }[] {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tags: { name: string; attrs: Record<string, string> }[] = [];
  const re = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let at = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    at = re.lastIndex;
    if (m[5] !== undefined) {
      expect(m[5], 'text may hold only escaped entities').not.toMatch(
        /&(?!(amp|lt|gt|quot|apos);)/,
      );
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
      continue;
    }
    const attrs = Object.fromEntries(
      [...attrText!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]),
    );
    tags.push({ name: name!, attrs });
    if (!selfClose) stack.push(name!);
  }
  expect(at, 'the whole document parses').toBe(body.length);
  expect(stack).toEqual([]);
  return tags;
}

describe('--workers', () => {
  test('--workers 1 and --workers 2 give identical bytes: run with 4 replications', () => {
    const base = tempDir('workers');
    // Traffic, scripted faults and random failures: every stream of the model is exercised.
    const args = ['run', 'test/fixtures/scenario-small.yaml', '--replications', '4', '--quiet'];
    for (const w of ['1', '2']) ok([...args, '--workers', w, '--out', join(base, w)]);
    expectSameCsvs(join(base, '1'), join(base, '2'));
    expect(
      readFileSync(join(base, '2', 'summary.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(5);
  });

  test('--workers 1 and --workers 2 give identical bytes: a sweep', () => {
    const base = tempDir('workers-sweep');
    for (const w of ['1', '2'])
      ok(['sweep', SHORT, ...GRID, '--workers', w, '--out', join(base, w), '--quiet']);
    expectSameCsvs(join(base, '1'), join(base, '2'));
  });
});

describe('--precision', () => {
  // switchover_max_s of SHORT's replications 0..3: 13.35, 13.68, 14.18, 16.16 s — a 95% half-width
  // of 2.08 s over the first two, 1.04 s over the first three.
  const runJsonOf = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      replications: number;
      replication_indices: number[];
      precision: { targets: { metric: string; met: boolean }[] };
    };

  test('stops at the first count that meets the target: the files are those of a plain run of that many, even when two workers ran one more', () => {
    const base = tempDir('precision');
    const p = join(base, 'p');
    ok([
      'run',
      SHORT,
      '--precision',
      'switchover_max_s=1.2s',
      '--workers',
      '2',
      '--out',
      p,
      '--quiet',
    ]);
    ok(['run', SHORT, '--replications', '3', '--out', join(base, 'plain'), '--quiet']);
    expectSameCsvs(p, join(base, 'plain'));
    const run = runJsonOf(p);
    expect(run.replications).toBe(3);
    expect(run.replication_indices).toEqual([0, 1, 2]);
    expect(run.precision.targets).toMatchObject([{ metric: 'switchover_max_s', met: true }]);
  });

  test('a target not met by --replications-max: that many replications, a warning, met false', () => {
    const base = tempDir('precision-max');
    const p = join(base, 'p');
    const r = ok([
      'run',
      SHORT,
      '--precision',
      'switchover_max_s=0.5s',
      '--replications-max',
      '5',
      '--workers',
      '2',
      '--out',
      p,
      '--quiet',
    ]);
    expect(r.stderr).toMatch(/switchover_max_s: 95% half-width .* after 5 replications/);
    ok(['run', SHORT, '--replications', '5', '--out', join(base, 'plain'), '--quiet']);
    expectSameCsvs(p, join(base, 'plain'));
    expect(runJsonOf(p).precision.targets).toMatchObject([{ met: false }]);
  });
});

describe('--replication', () => {
  test('runs only that replication, with the same numbers as in a full run', () => {
    const base = tempDir('replication');
    ok(['run', SHORT, '--replications', '3', '--out', join(base, 'all'), '--quiet']);
    ok(['run', SHORT, '--replication', '2', '--out', join(base, 'one'), '--quiet']);
    const all = readFileSync(join(base, 'all', 'summary.csv'), 'utf8')
      .trim()
      .split('\n');
    const one = readFileSync(join(base, 'one', 'summary.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(one).toEqual([all[0], all[3]]);
  });
});

describe('ccsim sweep', () => {
  test('grid order, swept keys as leading columns, one stats row per point and metric', () => {
    const out = join(tempDir('sweep'), 's');
    ok(['sweep', SHORT, ...GRID, '--set', 'duration=20m', '--out', out, '--quiet']);
    const sweep = readCsvTable(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    const summaryHeader = readFileSync(join(out, '..', 's', 'sweep.csv'), 'utf8').split('\n')[0]!;
    expect(sweep.header.slice(0, 3)).toEqual([
      'addp-timeout',
      'pairs.sip-a.redundancy',
      'scenario',
    ]);
    expect(summaryHeader).not.toContain('duration'); // a single value is an override, not an axis
    expect(
      sweep.rows.map((r) => `${r['addp-timeout']}/${r['pairs.sip-a.redundancy']}/${r.replication}`),
    ).toEqual([
      '4s/hot/0',
      '4s/hot/1',
      '4s/warm/0',
      '4s/warm/1',
      '8s/hot/0',
      '8s/hot/1',
      '8s/warm/0',
      '8s/warm/1',
    ]);
    expect(new Set(sweep.rows.map((r) => r.sim_s))).toEqual(new Set(['1200.000']));
    // Common random numbers: same seed and replication indices at every point.
    expect(new Set(sweep.rows.map((r) => r.seed))).toEqual(new Set(['11']));
    const stats = readCsvTable(readFileSync(join(out, 'sweep-stats.csv'), 'utf8'));
    expect(stats.header).toEqual([
      'addp-timeout',
      'pairs.sip-a.redundancy',
      'metric',
      'n',
      'mean',
      'stddev',
      'ci95_low',
      'ci95_high',
      'min',
      'p50',
      'p95',
      'max',
    ]);
    const sw = stats.rows.filter((r) => r.metric === 'switchover_max_s');
    expect(sw).toHaveLength(4);
    // A longer addp-timeout detects the host loss later.
    expect(Number(sw[2]!.mean)).toBeGreaterThan(Number(sw[0]!.mean));
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });

  test('a value list may hold commas inside brackets or escaped', () => {
    const out = join(tempDir('sweep-comma'), 's');
    const traffic = ['--set', 'traffic.calls-per-hour=600', '--set', 'traffic.handle-time=240s'];
    ok([
      'sweep',
      SHORT,
      '--set',
      'traffic.site-split={A: 0.5, B: 0.5},{A: 0.7\\, B: 0.3}',
      ...traffic,
      '--replications',
      '1',
      '--out',
      out,
      '--quiet',
    ]);
    const sweep = readCsvTable(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(sweep.header[0]).toBe('traffic.site-split');
    expect(sweep.rows.map((r) => r['traffic.site-split'])).toEqual([
      '{A: 0.5, B: 0.5}',
      '{A: 0.7, B: 0.3}',
    ]);
    expect(Number(sweep.rows[0]!.calls_offered)).toBeGreaterThan(0);
  });
});

describe('--shard and ccsim merge', () => {
  test('a 2×2 sweep in two shards, merged, equals the unsharded sweep byte for byte', () => {
    const base = tempDir('shard-sweep');
    ok(['sweep', SHORT, ...GRID, '--out', join(base, 'full'), '--quiet']);
    ok(['sweep', SHORT, ...GRID, '--shard', '1/2', '--out', join(base, 'a'), '--quiet']);
    ok([
      'sweep',
      SHORT,
      ...GRID,
      '--shard',
      '2/2',
      '--workers',
      '2',
      '--out',
      join(base, 'b'),
      '--quiet',
    ]);
    expect(existsSync(join(base, 'a', 'sweep-stats.csv'))).toBe(false); // a shard leaves statistics to merge
    ok(['merge', join(base, 'b'), join(base, 'a'), '--out', join(base, 'merged'), '--quiet']);
    expectSameCsvs(join(base, 'full'), join(base, 'merged'));
  });

  test('run shards merge into every CSV of the unsharded run, aggregates and stats.csv included', () => {
    const base = tempDir('shard-run');
    // Random failures too: availability.csv and criticality.csv aggregate over replications.
    const args = ['run', 'test/fixtures/scenario-small.yaml', '--replications', '4', '--quiet'];
    ok([...args, '--out', join(base, 'full')]);
    for (const i of ['1', '2', '3']) ok([...args, '--shard', `${i}/3`, '--out', join(base, i)]);
    expect(existsSync(join(base, '1', 'stats.csv'))).toBe(false); // a shard leaves aggregates to merge
    ok([
      'merge',
      join(base, '3'),
      join(base, '1'),
      join(base, '2'),
      '--out',
      join(base, 'merged'),
      '--quiet',
    ]);
    expectSameCsvs(join(base, 'full'), join(base, 'merged'));
    expect(csvFiles(join(base, 'merged')).has('criticality.csv')).toBe(true);
  });

  test('merge judges the expect: lines over the merged replications as the unsharded run does; a shard says it leaves them to merge', () => {
    const base = tempDir('shard-expect');
    const args = ['run', STRICT, '--replications', '4'];
    const full = ccsim([...args, '--out', join(base, 'full'), '--json']);
    expect(full.code).toBe(1);
    for (const i of ['1', '2', '3']) {
      const shard = ok([...args, '--shard', `${i}/3`, '--out', join(base, i)]);
      expect(shard.stdout).toMatch(
        /\n {2}expect: 2 line\(s\) judged by ccsim merge, over the replications of every shard\n/,
      );
      expect(shard.stdout).not.toMatch(/FAIL|✓ ok/);
    }
    const shards = [join(base, '3'), join(base, '1'), join(base, '2')];
    const merged = ccsim(['merge', ...shards, '--out', join(base, 'm')]);
    expect(merged.code, merged.stderr).toBe(1);
    expect(merged.stdout).toMatch(/ {2}expect:\n {2}✓ ok {4}split_brain_s == 0 /);
    expect(merged.stdout).toMatch(
      /✗ FAIL {2}switchover_max_s < 5\n.*worst of 4; 4 of 4 fail.*\n\s+replay: npx ccsim run \S+host-loss-strict\.yaml --seed 11 --replication \d\n/,
    );
    expect(merged.stderr).toMatch(/1 expectation\(s\) failed: exit 1/);
    expect(existsSync(join(base, 'm', 'summary.csv'))).toBe(true); // written either way, as run
    const json = ccsim(['merge', ...shards, '--out', join(base, 'm'), '--json']);
    expect(json.code).toBe(1);
    const strip = (text: string): unknown =>
      (JSON.parse(text) as Record<string, unknown>[]).map(({ dir: _dir, ...rest }) => rest);
    expect(strip(json.stdout)).toEqual(strip(full.stdout));
    const quiet = ccsim(['merge', ...shards, '--out', join(base, 'm'), '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/^host-loss-strict\n {2}✗ FAIL {2}switchover_max_s < 5\n/);
  });

  test('merge refuses shards of another run, and missing shards, with exit 2 and no output', () => {
    const base = tempDir('shard-bad');
    ok(['sweep', SHORT, ...GRID, '--shard', '1/2', '--out', join(base, 'a'), '--quiet']);
    ok([
      'sweep',
      SHORT,
      ...GRID,
      '--seed',
      '12',
      '--shard',
      '2/2',
      '--out',
      join(base, 'b'),
      '--quiet',
    ]);
    const other = ccsim(['merge', join(base, 'a'), join(base, 'b'), '--out', join(base, 'm')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/not a shard of the same run .*seed: 11 vs 12/);
    const missing = ccsim(['merge', join(base, 'a'), '--out', join(base, 'm')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard 2\/2/);
    const twice = ccsim(['merge', join(base, 'a'), join(base, 'a'), '--out', join(base, 'm')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/given twice/);
    expect(existsSync(join(base, 'm'))).toBe(false);
  });
});

describe('ccsim compare', () => {
  test('warm vs hot topology on the host loss: paired intervals, warm standby worse for calls', () => {
    const base = tempDir('compare');
    const args = [
      'run',
      HOST_LOSS,
      '--set',
      'duration=45m',
      '--replications',
      '3',
      '--workers',
      '2',
      '--quiet',
    ];
    ok([...args, '--out', join(base, 'hot')]);
    ok([
      ...args,
      '--topology',
      'scenarios/topologies/two-site-warm.yaml',
      '--out',
      join(base, 'warm'),
    ]);
    const csvPath = join(base, 'compare.csv');
    const r = ok(['compare', join(base, 'hot'), join(base, 'warm'), '--csv', csvPath]);
    expect(r.stdout).toMatch(/paired over replications/);
    const table = readCsvTable(readFileSync(csvPath, 'utf8'));
    expect(table.header).toEqual([
      'metric',
      'run',
      'label',
      'dir',
      'n',
      'mean',
      'ci95_low',
      'ci95_high',
      'delta',
      'delta_ci95_low',
      'delta_ci95_high',
      'test',
      'significant',
      'worse',
    ]);
    const row = (metric: string, run: string) =>
      table.rows.find((x) => x.metric === metric && x.run === run)!;
    // The switchover itself: both promote after detection; intervals around each mean.
    for (const run of ['1', '2']) {
      const s = row('switchover_max_s', run);
      expect(Number(s.ci95_low)).toBeLessThanOrEqual(Number(s.mean));
      expect(Number(s.ci95_high)).toBeGreaterThanOrEqual(Number(s.mean));
      expect(Number(s.mean)).toBeGreaterThan(5);
    }
    // Its effect on calls: warm standby loses call control (new ConnIDs) — significantly worse.
    const degraded = row('calls_degraded', '2');
    expect(degraded.test).toBe('paired');
    expect(degraded.significant).toBe('yes');
    expect(degraded.worse).toBe('yes');
    expect(Number(degraded.delta_ci95_low)).toBeGreaterThan(0);
    expect(row('calls_degraded', '1').delta).toBe('');
  });
});

describe('ccsim check', () => {
  test('passing expectations exit 0; JUnit XML parses with a testsuite per scenario', () => {
    const junit = join(tempDir('check-ok'), 'junit.xml');
    const r = ok([
      'check',
      SHORT,
      HOST_LOSS,
      '--set',
      'duration=45m',
      '--replications',
      '2',
      '--workers',
      '2',
      '--junit',
      junit,
    ]);
    expect(r.stdout).toMatch(/0 failed/);
    const tags = xmlTags(readFileSync(junit, 'utf8'));
    const suites = tags.filter((t) => t.name === 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'host-loss-short on two-site-hot',
      'host-loss-sip-primary on two-site-hot',
    ]);
    expect(tags.filter((t) => t.name === 'testcase').map((t) => t.attrs.name)).toContain(
      'switchover_max_s &lt;= 20s',
    );
    expect(tags.some((t) => t.name === 'failure')).toBe(false);
  });

  test('a failing expectation exits 1, prints bound, value, interval and a replay command that reproduces it', () => {
    const junit = join(tempDir('check-fail'), 'junit.xml');
    const r = ccsim(['check', STRICT, '--replications', '3', '--junit', junit]);
    expect(r.code, r.stderr).toBe(1);
    const m =
      /FAIL\s+switchover_max_s < 5\n\s+observed switchover_max_s ([\d.]+) s in replication (\d) \(worst of 3; \d of 3 fail\); bound < 5\.000 s; mean [\d.]+ s, 95% interval \[[\d.]+ s, [\d.]+ s\]\n\s+replay: (.*)\n/.exec(
        r.stdout,
      );
    expect(m, r.stdout).not.toBeNull();
    const [, observed, replication, replay] = m!;
    expect(replay).toBe(`npx ccsim run ${STRICT} --seed 11 --replication ${replication}`);
    const out = join(tempDir('replay'), 'r');
    // The replay fails the same expectation (exit 1) and reproduces the value.
    expect(ccsim([...replay!.split(' ').slice(2), '--out', out, '--quiet']).code).toBe(1);
    const row = readCsvTable(readFileSync(join(out, 'summary.csv'), 'utf8')).rows[0]!;
    expect(row.switchover_max_s).toBe(observed);
    const tags = xmlTags(readFileSync(junit, 'utf8'));
    const failures = tags.filter((t) => t.name === 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attrs.message).toMatch(/^switchover_max_s &lt; 5: observed/);
    expect(tags.find((t) => t.name === 'testsuite')!.attrs.failures).toBe('1');
  });

  test('a report directory is checked against the expect: lines recorded in its run.json', () => {
    const base = tempDir('check-dir');
    expect(ccsim(['run', STRICT, '--out', join(base, 'r'), '--quiet']).code).toBe(1); // run evaluates expect: too
    const r = ccsim(['check', join(base, 'r')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /replay: npx ccsim run test\/fixtures\/experiments\/host-loss-strict\.yaml --seed 11 --replication \d/,
    );
  });

  test('--baseline flags metrics worse than the stored run by more than --tolerance', () => {
    const base = tempDir('check-baseline');
    const args = ['--set', 'duration=45m', '--replications', '2'];
    ok(['run', HOST_LOSS, ...args, '--out', join(base, 'hot'), '--quiet']);
    ok(['check', HOST_LOSS, ...args, '--baseline', join(base, 'hot')]);
    const worse = ccsim([
      'check',
      HOST_LOSS,
      ...args,
      '--topology',
      'scenarios/topologies/two-site-warm.yaml',
      '--baseline',
      join(base, 'hot'),
      '--tolerance',
      '10',
    ]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/WORSE calls_degraded mean .* vs baseline .*tolerance 10%/);
  });
});

describe('check --baseline says what compare says about the baseline', () => {
  test('another scenario, length and seed as baseline: the warnings of compare, in text and --json; no baseline found: a skipped JUnit testcase', () => {
    const base = tempDir('check-baseline-other');
    const other = join(base, 'other');
    // Another scenario, length and seed than STRICT's (30 min at seed 11).
    ok(['run', SHORT, '--set', 'duration=45m', '--seed', '12', '--out', other, '--quiet']);
    // What `compare <baseline> <current>` warns about, its labels those of check.
    const strict = join(base, 'strict');
    expect(ccsim(['run', STRICT, '--out', strict, '--quiet']).code).toBe(1);
    const fromCompare = ok(['compare', other, strict, '--json']).stdout;
    const warnings = (JSON.parse(fromCompare) as { warnings: string[] }).warnings.map((w) =>
      w.replace(/^B vs A:/, 'current vs baseline:'),
    );
    expect(warnings).toHaveLength(3);
    const r = ccsim(['check', STRICT, '--baseline', other]);
    expect(r.code).toBe(1); // STRICT's own expect: line fails; the warnings come beside
    for (const w of warnings) expect(r.stdout).toContain(`  warning ${w}\n`);
    expect(r.stdout).toMatch(
      /warning current vs baseline: different scenarios \(host-loss-strict vs host-loss-short\)/,
    );
    const json = JSON.parse(ccsim(['check', STRICT, '--baseline', other, '--json']).stdout) as {
      runs: { baseline: { warnings: string[] } }[];
    };
    expect(json.runs[0]!.baseline.warnings).toEqual(warnings);
    // The baseline of the same scenario, length and seed: nothing to warn about.
    expect(ccsim(['check', STRICT, '--baseline', strict]).stdout).not.toMatch(/warning/);

    const junit = join(base, 'junit.xml');
    const empty = join(base, 'empty');
    mkdirSync(empty);
    ok(['check', SHORT, '--baseline', empty, '--junit', junit]);
    const tags = xmlTags(readFileSync(junit, 'utf8'));
    const at = tags.findIndex((t) => t.name === 'skipped');
    expect(at).toBeGreaterThan(0);
    expect(tags[at - 1]).toEqual({
      name: 'testcase',
      attrs: expect.objectContaining({
        name: 'baseline',
        classname: 'ccsim.host-loss-short.two-site-hot.baseline',
      }) as unknown,
    });
    expect(tags[at]!.attrs.message).toBe(
      `no baseline for host-loss-short on two-site-hot in ${empty}`,
    );
    expect(tags.find((t) => t.name === 'testsuite')!.attrs.skipped).toBe('1');
  });
});

describe('a report directory of an older ccsim, with fewer summary.csv columns', () => {
  /** Copies report directory `from` to `to` without `column` in summary.csv (an older ccsim's). */
  function withoutColumn(from: string, to: string, column: string): void {
    cpSync(from, to, { recursive: true });
    const path = join(to, 'summary.csv');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const at = lines[0]!.split(',').indexOf(column);
    expect(at).toBeGreaterThan(0);
    const cut = lines.map((l) =>
      l
        .split(',')
        .filter((_, i) => i !== at)
        .join(','),
    );
    writeFileSync(path, `${cut.join('\n')}\n`);
  }

  test('compare and check --baseline compare the shared columns and name the one only one side has; an expect: line on it is an error', () => {
    const base = tempDir('old-columns');
    const current = join(base, 'current');
    const old = join(base, 'old');
    ok(['run', SHORT, '--out', current, '--quiet']);
    withoutColumn(current, old, 'desktop_disconnects');
    const lacks =
      /lacks column\(s\) desktop_disconnects that \w+ has \(written by another ccsim version\?\): only the columns every run has are compared/;

    const text = ok(['compare', old, current]);
    expect(text.stderr).toMatch(new RegExp(`warning A ${lacks.source}`));
    expect(text.stdout).toMatch(/\nswitchover_max_s /);
    expect(text.stdout).not.toMatch(/desktop_disconnects/);
    const json = JSON.parse(ok(['compare', current, old, '--json']).stdout) as {
      warnings: string[];
      metrics: { metric: string }[];
    };
    expect(json.warnings).toEqual([expect.stringMatching(new RegExp(`^B ${lacks.source}`))]);
    expect(json.metrics.map((m) => m.metric)).toContain('switchover_max_s');
    expect(json.metrics.map((m) => m.metric)).not.toContain('desktop_disconnects');

    const check = ok(['check', SHORT, '--baseline', old]);
    expect(check.stdout).toMatch(new RegExp(`warning baseline ${lacks.source}`));
    const checkJson = JSON.parse(ok(['check', SHORT, '--baseline', old, '--json']).stdout) as {
      runs: { baseline: { warnings: string[]; metrics: { metric: string }[] } }[];
    };
    const baseline = checkJson.runs[0]!.baseline;
    expect(baseline.warnings).toEqual([
      expect.stringMatching(new RegExp(`^baseline ${lacks.source}`)),
    ]);
    expect(baseline.metrics.map((m) => m.metric)).toContain('switchover_max_s');
    expect(ok(['check', old, '--baseline', current]).stdout).toMatch(
      new RegExp(`warning current ${lacks.source}`),
    );

    // A column an expect: line reads is needed: checking without it stays an input error.
    withoutColumn(current, join(base, 'no-split'), 'split_brain_s');
    const needed = ccsim(['check', join(base, 'no-split')]);
    expect(needed.code).toBe(2);
    expect(needed.stderr).toMatch(
      /no-split\/summary\.csv: lacks column split_brain_s, which expect\[1\] "split_brain_s == 0" needs/,
    );
  });
});

describe('usage errors exit 2 with a message', () => {
  test.each([
    [['run', SHORT, '--shard', '3/2'], /--shard expects I\/N .*found "3\/2"/],
    [['run', SHORT, '--shard', '0/2'], /--shard expects I\/N/],
    [
      ['sweep', SHORT, '--set', 'addp-timeout=4s,8s', '--shard', 'two'],
      /--shard expects I\/N .*found "two"/,
    ],
    [
      ['sweep', SHORT, '--set', 'addp-timout=4s,8s'],
      /unknown --set key .*did you mean "addp-timeout"/,
    ],
    [['sweep', SHORT, '--set', 'traffic.site-split={A: 0.5,{A: 1}'], /unclosed quote or bracket/],
    [['sweep', SHORT], /at least one --set/],
    [['run', SHORT, '--replication', '1', '--replications', '2'], /--replication/],
    [['check', SHORT, '--tolerance', 'lots'], /--tolerance expects a number/],
    [['run', SHORT, '--precision', 'switchover_max=1'], /unknown metric "switchover_max"/],
  ])('%j', (args, message) => {
    const out = join(tempDir('usage'), 'r');
    const r = ccsim(args[0] === 'check' ? args : [...args, '--out', out]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at [\w.<]+ \(/);
    expect(existsSync(out)).toBe(false);
  });
});
