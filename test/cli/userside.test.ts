// What a user meets first: `run` fails on its scenario's expect:, a topology passed to `run` is
// named as such, colour follows NO_COLOR / FORCE_COLOR / --no-color, the terminal comes back
// after Ctrl-C, --help marks required options, completion scripts parse. Budget: ~15 s.
import { describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ccsim, ROOT, tempDir } from './helpers.js';
import { colorLevel } from '../../src/cli/terminal.js';

const STRICT = 'test/fixtures/experiments/host-loss-strict.yaml';
const ESC = '\x1b';
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('ccsim run evaluates expect:', () => {
  test('a failing expectation: ✗ line with the observed value and a replay command, exit 1, report still written', () => {
    const out = join(tempDir('run-expect'), 'r');
    const r = ccsim(['run', STRICT, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✓ ok\s+split_brain_s == 0/);
    expect(r.stdout).toMatch(
      /✗ FAIL\s+switchover_max_s < 5\n\s+observed switchover_max_s [\d.]+ s in replication \d \(worst of 2; 2 of 2 fail\)/,
    );
    expect(r.stdout).toMatch(
      /replay: npx ccsim run test\/fixtures\/experiments\/host-loss-strict\.yaml --seed 11 --replication \d/,
    );
    expect(r.stderr).toMatch(/1 expectation\(s\) failed/);
    expect(existsSync(join(out, 'summary.csv'))).toBe(true);
    const json = ccsim(['run', STRICT, '--out', join(tempDir('run-expect-json'), 'r'), '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean;
      expectations: { expect: string; pass: boolean }[];
    }[];
    expect(parsed[0]!.ok).toBe(false);
    expect(parsed[0]!.expectations.map((e) => [e.expect, e.pass])).toEqual([
      ['split_brain_s == 0', true],
      ['switchover_max_s < 5', false],
    ]);
  });

  test('a topology file given to run is named as one, in one message', () => {
    const r = ccsim(['run', 'scenarios/topologies/two-site-hot.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('this is a topology, not a scenario');
    expect(r.stderr).toContain('--topology');
  });
});

test('validate prints a warning shared by several scenarios once, saying how many files reached it', () => {
  const r = ccsim([
    'validate',
    'scenarios/lca-crash.yaml',
    'scenarios/site-failure.yaml',
    'scenarios/icon-one-down.yaml',
  ]);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l.includes('[pair-one-site]'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('(through 3 files given)');
});

describe('colour', () => {
  test('--no-color, then FORCE_COLOR, then NO_COLOR, then the terminal decide', () => {
    expect(colorLevel(['run', 'x', '--no-color'], { FORCE_COLOR: '1' }, true)).toBe(0);
    expect(colorLevel(['run', '--', '--no-color'], {}, true)).toBe(2);
    expect(colorLevel([], { FORCE_COLOR: '0' }, true)).toBe(0);
    expect(colorLevel([], { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(1);
    expect(colorLevel([], { NO_COLOR: '1' }, true)).toBe(0);
    expect(colorLevel([], { NO_COLOR: '' }, true)).toBe(2);
    expect(colorLevel([], {}, false)).toBe(0);
    expect(colorLevel([], { TERM: 'dumb' }, true)).toBe(0);
  });

  /** Runs the CLI under a pseudo-terminal (util-linux `script`): stdout and stderr are a terminal. */
  function underPty(
    args: string,
    env: Record<string, string | undefined>,
  ): Promise<{ code: number; out: string }> {
    const e: Record<string, string | undefined> = {
      ...process.env,
      FORCE_COLOR: undefined,
      NO_COLOR: undefined,
      TERM: 'xterm-256color',
      ...env,
    };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    return new Promise((done) => {
      const p = spawn(
        'script',
        ['-qefc', `${process.execPath} dist/src/cli/main.js ${args}`, '/dev/null'],
        { cwd: ROOT, env: e as NodeJS.ProcessEnv },
      );
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      p.on('exit', (code) => done({ code: code ?? -1, out }));
      p.stdin.end();
    });
  }

  test.skipIf(!hasScript)(
    'NO_COLOR under a terminal: no escape sequence at all (colour, cursor, progress)',
    async () => {
      const out = join(tempDir('nocolor'), 'r');
      const args = `run ${STRICT} --replications 2 --set duration=12m --out ${out}`;
      const plain = await underPty(args, { NO_COLOR: '1' });
      expect(plain.code).toBe(1);
      expect(plain.out).toContain('✗ FAIL');
      expect(plain.out).toContain('replications ['); // the progress line was drawn, in plain text
      expect(plain.out.includes(ESC)).toBe(false);
      const flag = await underPty(`${args}-flag --no-color`, {});
      expect(flag.out.includes(ESC)).toBe(false);
      // The same command with colour: escapes are there, so the check above can fail.
      const coloured = await underPty(`${args}-col`, {});
      expect(coloured.out).toContain(`${ESC}[31m`);
    },
  );

  test.skipIf(!hasScript)(
    'Ctrl-C during a run: exit 130, the cursor shown again, nothing half-written',
    async () => {
      const out = join(tempDir('ctrlc'), 'r');
      const e: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
      delete e.FORCE_COLOR;
      delete e.NO_COLOR;
      const r = await new Promise<{ code: number; out: string }>((done) => {
        const p = spawn(
          'script',
          [
            '-qefc',
            `${process.execPath} dist/src/cli/main.js run ${STRICT} --replications 200 --out ${out}`,
            '/dev/null',
          ],
          { cwd: ROOT, env: e },
        );
        let text = '';
        let sent = false;
        p.stdout.on('data', (d: Buffer) => {
          text += d.toString('utf8');
          // Ctrl-C typed at the terminal once the progress line (and its hidden cursor) is drawn.
          if (!sent && text.includes('replications [')) {
            sent = true;
            p.stdin.write('\x03');
          }
        });
        p.on('exit', (code) => done({ code: code ?? -1, out: text }));
      });
      expect(r.code).toBe(130);
      expect(r.out).toContain('interrupted (SIGINT)');
      const hidden = r.out.lastIndexOf(`${ESC}[?25l`);
      expect(hidden).toBeGreaterThanOrEqual(0);
      expect(r.out.lastIndexOf(`${ESC}[?25h`)).toBeGreaterThan(hidden);
      expect(r.out.lastIndexOf(`${ESC}[?7h`)).toBeGreaterThan(hidden);
      expect(existsSync(join(out, 'summary.csv'))).toBe(false);
      // The records written while the run went on (a staged directory beside --out) are gone too.
      expect(readdirSync(dirname(out))).toEqual([]);
    },
  );
});

describe('help and completion', () => {
  test('--help marks required options and shows examples', () => {
    const r = ccsim(['explore', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--runs <n>\s+number of random schedules \(required\)/);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ npx ccsim explore scenarios\//);
    expect(ccsim(['merge', '--help']).stdout).toMatch(/--out <dir>.*\(required\)/);
    expect(ccsim(['--help']).stdout).toContain('NO_COLOR');
  });

  test('bash completion parses and completes commands, options and --set keys', () => {
    const script = ccsim(['completion', 'bash']).stdout;
    const complete = (words: string[]): string[] => {
      const body = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ccsim; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', body], { encoding: 'utf8', cwd: ROOT });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    expect(complete(['ccsim', 'co'])).toEqual(['compare', 'completion']);
    expect(complete(['ccsim', 'run', '--rep']).sort()).toEqual([
      '--replication',
      '--replications',
      '--replications-max',
    ]);
    expect(complete(['ccsim', 'run', 'x.yaml', '--set', 'addp-t'])).toEqual(['addp-timeout=']);
    expect(complete(['ccsim', 'schema', 's'])).toEqual(['scenario']);
    const zsh = ccsim(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.startsWith('#compdef ccsim')).toBe(true);
    expect(zsh.stdout).toContain("'*--set[");
    expect(ccsim(['completion', 'fish']).code).toBe(2);
  });
});

describe('--json and comparisons that say what they compare', () => {
  test('compare: paired for the same seed, a warning for another scenario or seed; --json parses', () => {
    const base = tempDir('cmp-json');
    const short = ['--set', 'duration=12m', '--replications', '2', '--quiet'];
    const a = join(base, 'a');
    const b = join(base, 'b');
    const c = join(base, 'c');
    const ra = ccsim(['run', STRICT, ...short, '--out', a]);
    expect(ra.code, ra.stderr).toBe(1);
    expect(ccsim(['run', STRICT, ...short, '--set', 'addp-timeout=5s', '--out', b]).code).toBe(1);
    expect(
      ccsim([
        'run',
        'test/fixtures/experiments/host-loss-short.yaml',
        '--seed',
        '3',
        '--set',
        'faults.0.at=5m', // another workload: the host lost earlier
        ...short,
        '--out',
        c,
      ]).code,
    ).toBe(0);
    const same = ccsim(['compare', a, b]);
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('');
    expect(same.stdout).toContain('paired over replications');
    const other = ccsim(['compare', a, c, '--json']);
    expect(other.code).toBe(0);
    const j = JSON.parse(other.stdout) as {
      warnings: string[];
      metrics: { metric: string; runs: { low?: number }[]; deltas: ({ test: string } | null)[] }[];
    };
    expect(j.warnings.join('\n')).toMatch(
      /different scenarios \(host-loss-short vs host-loss-strict\)/,
    );
    expect(j.warnings.join('\n')).toMatch(/Welch/);
    const dropped = j.metrics.find((m) => m.metric === 'calls_dropped')!;
    expect(dropped.deltas[1]!.test).toBe('welch');
    for (const m of j.metrics)
      for (const r of m.runs)
        if (r.low !== undefined && m.metric !== 'seed')
          expect(r.low, m.metric).toBeGreaterThanOrEqual(0);
    expect(ccsim(['compare', a, c]).stderr).toContain('warning B vs A: different scenarios');
    // The other file with the same workload (it differs in its expect: lines only): no warning
    // about the scenarios, only about the seeds.
    const d = join(base, 'd');
    const rd = ccsim([
      'run',
      'test/fixtures/experiments/host-loss-short.yaml',
      '--seed',
      '3',
      ...short,
      '--out',
      d,
    ]);
    expect(rd.code, rd.stderr).toBe(0);
    const sameWork = ccsim(['compare', a, d]);
    expect(sameWork.stderr).not.toContain('different scenarios');
    expect(sameWork.stderr).toContain('Welch');
  });

  test('check --json: one object with every expectation and its outcome', () => {
    const r = ccsim(['check', STRICT, '--set', 'duration=12m', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      failed: number;
      runs: { expectations: { expect: string; pass: boolean; replay: string | null }[] }[];
    };
    expect(j.ok).toBe(false);
    expect(j.failed).toBe(1);
    const fail = j.runs[0]!.expectations.find((e) => !e.pass)!;
    expect(fail.expect).toBe('switchover_max_s < 5');
    expect(fail.replay).toMatch(/^npx ccsim run /);
  });
});
