// User-side fixes: single-file outputs (--csv, --html, --junit) are guarded as --out is; a --set
// that breaks a group's shifts names the --set key; a run that outgrows a bound of ccsim is
// invalid input (exit 2) for check as for run. Budget: two 15-minute runs, a few CLI calls and
// one run flooded to the pending-events bound (~4 M events, ~10 s).
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ccsim, ROOT, tempDir } from './helpers.js';

const SHORT = 'test/fixtures/experiments/host-loss-short.yaml';

describe('--csv, --html and --junit never overwrite a file ccsim did not write', () => {
  let base = '';
  let a = '';
  let b = '';
  beforeAll(() => {
    base = tempDir('outfile');
    a = join(base, 'a');
    b = join(base, 'b');
    for (const [dir, seed] of [
      [a, '1'],
      [b, '2'],
    ] as const) {
      const r = ccsim([
        'run',
        SHORT,
        '--set',
        'duration=15m',
        '--replications',
        '1',
        '--seed',
        seed,
        '--out',
        dir,
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  test('compare --csv / --html: a user file is refused (exit 2, untouched); a new or earlier ccsim output is written', () => {
    const mine = join(base, 'notes.csv');
    writeFileSync(mine, 'my,own\n1,2\n');
    const r = ccsim(['compare', a, b, '--csv', mine, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.csv: --csv: refusing to overwrite an existing file/);
    expect(r.stderr).toMatch(
      /expected a new file, or a comparison CSV written by ccsim compare --csv/,
    );
    expect(r.stderr).toMatch(/found a file with other content/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(readFileSync(mine, 'utf8')).toBe('my,own\n1,2\n');

    const csv = join(base, 'cmp.csv');
    expect(ccsim(['compare', a, b, '--csv', csv, '--quiet']).code).toBe(0);
    const first = readFileSync(csv, 'utf8');
    expect(ccsim(['compare', b, a, '--csv', csv, '--quiet']).code).toBe(0); // its own output: replaced
    expect(readFileSync(csv, 'utf8')).not.toBe(first);

    const page = join(base, 'mine.html');
    writeFileSync(page, '<!DOCTYPE html><title>my notes</title>');
    const h = ccsim(['compare', a, b, '--html', page, '--quiet']);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/--html: refusing to overwrite/);
    expect(readFileSync(page, 'utf8')).toBe('<!DOCTYPE html><title>my notes</title>');
    const ours = join(base, 'cmp.html');
    expect(ccsim(['compare', a, b, '--html', ours, '--quiet']).code).toBe(0);
    expect(ccsim(['compare', a, b, '--html', ours, '--quiet']).code).toBe(0);

    // Neither a directory nor a symbolic link, even to a ccsim output.
    mkdirSync(join(base, 'dir.csv'));
    expect(ccsim(['compare', a, b, '--csv', join(base, 'dir.csv'), '--quiet']).stderr).toMatch(
      /found a directory/,
    );
    symlinkSync(csv, join(base, 'link.csv'));
    const l = ccsim(['compare', a, b, '--csv', join(base, 'link.csv'), '--quiet']);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/found a symbolic link/);
  });

  test('check --junit: refused before any run; replaced when it is an earlier check --junit', () => {
    const mine = join(base, 'results.xml');
    writeFileSync(mine, '<?xml version="1.0"?><mine/>');
    const r = ccsim(['check', a, '--junit', mine]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\.xml: --junit: refusing to overwrite/);
    expect(r.stdout).toBe(''); // nothing was checked
    expect(readFileSync(mine, 'utf8')).toBe('<?xml version="1.0"?><mine/>');
    const junit = join(base, 'junit.xml');
    expect(ccsim(['check', a, '--junit', junit]).code).toBe(0);
    expect(ccsim(['check', a, '--junit', junit]).code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites name="ccsim check"/);
  });

  test('--junit, --csv and --html where a parent is a file: exit 3 before any work, naming the path given as --out does', () => {
    const cwd = tempDir('outfile-parent');
    writeFileSync(join(cwd, 'afile'), '');
    const said = (path: string): RegExp =>
      new RegExp(`^error ${path}: cannot create it: \\S*/afile is not a directory\n$`);
    const run = ccsim(['run', join(ROOT, SHORT), '--out', 'afile/x'], cwd);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(said('afile/x'));
    const check = ccsim(['check', join(ROOT, SHORT), '--junit', 'afile/j.xml'], cwd);
    expect(check.code).toBe(3);
    expect(check.stderr).toMatch(said('afile/j\\.xml'));
    expect(check.stdout).toBe(''); // refused before anything ran
    const csv = ccsim(['compare', a, b, '--csv', 'afile/c.csv'], cwd);
    expect(csv.code).toBe(3);
    expect(csv.stderr).toMatch(said('afile/c\\.csv'));
    expect(csv.stdout).toBe('');
    const html = ccsim(['compare', a, b, '--html', 'afile/sub/c.html', '--quiet'], cwd);
    expect(html.code).toBe(3);
    expect(html.stderr).toMatch(said('afile/sub/c\\.html'));
  });
});

describe('--set agents.<group>.count below the shifts', () => {
  test('the error names the --set key, the count and the shifts it breaks (exit 2)', () => {
    const r = ccsim([
      'run',
      'scenarios/day.yaml',
      '--set',
      'agents.sales.count=10',
      '--out',
      join(tempDir('setcount'), 'x'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--set: agents\.sales\.count: the shifts have more agents than the group/,
    );
    expect(r.stderr).toMatch(/expected at most the group's count, 10/);
    expect(r.stderr).toMatch(/found 120 \(/);
    expect(r.stderr).toMatch(/agents\[0\]\.shifts in .*two-site-day\.yaml/);
    expect(r.stderr).not.toMatch(/error [^\n]*two-site-day\.yaml: agents\[0\]\.shifts:/);
  });
});

describe('--set duration before a fault', () => {
  test('the error names the --set that shortened the run, not only the file (exit 2)', () => {
    const r = ccsim(['run', SHORT, '--set', 'duration=5m', '--out', join(tempDir('setdur'), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /faults\[0\]\.at: after the end of the scenario \(expected before 5m \(--set duration=5m\); found 10m\)/,
    );
    // Without the --set, the file's own duration is named.
    const dir = tempDir('lateat');
    const file = join(dir, 'late.yaml');
    writeFileSync(
      file,
      readFileSync(join(ROOT, SHORT), 'utf8')
        .replace('../../../scenarios/topologies/', join(ROOT, 'scenarios/topologies') + '/')
        .replace('at: 10m', 'at: 40m'),
    );
    const own = ccsim(['run', file, '--out', join(dir, 'x')]);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/\(expected before 30m \(the scenario duration\); found 40m\)/);
  });
});

describe('a run that outgrows a bound of ccsim', () => {
  test('check says it as run does: invalid input, exit 2, not an invariant failure', () => {
    // 3.6 M calls an hour, each agent busy for a day, a day of patience: the calls pending
    // abandon outgrow the event queue's bound (pendingEventsMax) in the second simulated hour.
    const dir = tempDir('limit');
    const file = join(dir, 'flood.yaml');
    writeFileSync(
      file,
      [
        'name: flood',
        `topology: ${join(ROOT, 'scenarios/topologies/two-site-hot.yaml')}`,
        'duration: 2h',
        'seed: 1',
        'traffic: { calls-per-hour: 3600000, site-split: { A: 1, B: 0 }, handle-time: 1d, patience: 1d }',
        'expect:',
        '  - calls_dropped == 0',
      ].join('\n'),
    );
    const check = ccsim(['check', file]);
    expect(check.code, check.stdout + check.stderr).toBe(2);
    expect(check.stderr).toMatch(/the run outgrew a bound of ccsim/);
    expect(check.stdout).not.toMatch(/invariant failed/);
    // ~17 s and 1 GB on a quiet machine (4 M pending events); a loaded CI machine took 121 s.
  }, 300_000);
});

describe('check of a report directory whose scenario changed since the run', () => {
  test('says that the run’s own expect: lines are judged, not the file’s', () => {
    // A gate on cached report directories: the scenario file gained a line that fails, or is
    // gone. Before, check judged the directory's frozen lines and said nothing.
    const dir = tempDir('stale');
    const file = join(dir, 'mod.yaml');
    const text = readFileSync(join(ROOT, SHORT), 'utf8').replace(
      '../../../scenarios/topologies/',
      join(ROOT, 'scenarios/topologies') + '/',
    );
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const run = ccsim(['run', 'mod.yaml', '--set', 'duration=15m', '--out', out, '--quiet'], dir);
    expect(run.code, run.stderr).toBe(0);
    const same = ccsim(['check', out], dir);
    expect(same.code).toBe(0);
    expect(same.stdout).not.toMatch(/warning/);
    writeFileSync(file, `${text}  - calls_dropped == 99999\n`);
    const changed = ccsim(['check', out, '--json'], dir);
    expect(changed.code).toBe(0); // the run's lines still pass: said, not failed
    const j = JSON.parse(changed.stdout) as { runs: { warnings: string[] }[] };
    expect(j.runs[0]!.warnings).toEqual([
      "the scenario mod.yaml or its topology changed since this run: the run's expect: lines (kept in its directory) are judged, not the file's (check the file to run it anew)",
    ]);
    const gone = ccsim(['check', out], ROOT);
    expect(gone.stdout).toMatch(
      /warning the scenario mod\.yaml named by the run does not read from here: the run's expect: lines \(kept in its directory\) are judged/,
    );
  });
});

describe('text a report directory holds reaches the terminal escaped', () => {
  test('a column name in compare’s warning and a scenario name in check’s are written as escapes', () => {
    const dir = tempDir('escape');
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    for (const d of [a, b]) {
      const r = ccsim(['run', SHORT, '--set', 'duration=15m', '--out', d, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    // b's summary.csv gains a column whose name carries an escape sequence.
    const csv = join(b, 'summary.csv');
    const [head, ...rest] = readFileSync(csv, 'utf8').split('\n');
    writeFileSync(
      csv,
      [`${head},x\u001b[2J`, ...rest.map((l) => (l === '' ? l : `${l},1`))].join('\n'),
    );
    const cmp = ccsim(['compare', a, b]);
    expect(cmp.stderr).toMatch(/x\\x1b\[2J/);
    expect(cmp.stderr).not.toMatch(/\u001b\[2J/);
    // a's run.json names a scenario file with one: check's warning escapes it.
    const runJson = join(a, 'run.json');
    const o = JSON.parse(readFileSync(runJson, 'utf8')) as { scenario: { file: string } };
    o.scenario.file = 'gone\u001b[2J.yaml';
    writeFileSync(runJson, JSON.stringify(o));
    const chk = ccsim(['check', a]);
    expect(chk.stdout).toMatch(/the scenario gone\\x1b\[2J\.yaml named by the run/);
    expect(chk.stdout).not.toMatch(/\u001b\[2J/);
  });
});
