// Shared by the deployment tests: a copy of the clone, commands run with a bound on their time,
// and byte comparison of report directories.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, csvFiles } from '../cli/helpers.js';

export { ROOT };

/** The directory of the node binary running the tests, so `#!/usr/bin/env node` finds it. */
export const NODE_DIR = dirname(process.execPath);

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without the npm_* variables `npm test` sets (they would steer a nested npm). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, FORCE_COLOR: '0', ...extra };
}

/** Runs a command and waits for it, at most timeoutMs (then it is killed and code is -1). */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Ran {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: `${r.stderr ?? ''}${timedOut ? `\n[${cmd} ${args.join(' ')}: killed after ${opts.timeoutMs} ms]` : r.error ? `\n[${r.error.message}]` : ''}`,
  };
}

/** Like run, but fails the test (with the command's output) unless it exits 0. */
export function runOk(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Ran {
  const r = run(cmd, args, opts);
  expect(r.code, `${cmd} ${args.join(' ')} (in ${opts.cwd})\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/**
 * What a fresh clone of this checkout holds: every tracked file plus the untracked ones git does
 * not ignore (so uncommitted work is tested too), copied to dest. node_modules is linked, as if
 * `npm ci` had run.
 */
export function copyClone(dest: string): void {
  const ls = runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    timeoutMs: 30_000,
  });
  for (const rel of ls.stdout.split('\0')) {
    if (rel === '' || !existsSync(join(ROOT, rel))) continue; // deleted but still in the index
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    copyFileSync(join(ROOT, rel), join(dest, rel));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
}

/** Every CSV of b equals a's, byte for byte, and there is at least one. */
export function expectSameCsvs(expected: string, actual: string): void {
  const fa = csvFiles(expected);
  const fb = csvFiles(actual);
  expect([...fb.keys()]).toEqual([...fa.keys()]);
  expect(fa.size).toBeGreaterThan(0);
  for (const [name, text] of fa) expect(fb.get(name), name).toBe(text);
}

/**
 * A short sweep for the deployment tests: the host loss of the CLI tests (30 simulated minutes),
 * written beside the shipped scenarios of dir (so it names its topology the way a user's
 * scenario next to them would), and a 2×2 grid of 2 replications: 8 work items.
 */
export const SMALL_SCENARIO = 'scenarios/host-loss-short.yaml';
export const SMALL_SWEEP = [
  SMALL_SCENARIO,
  '--set',
  'addp-timeout=4s,8s',
  '--set',
  'pairs.sip-a.redundancy=hot,warm',
  '--replications',
  '2',
];

export function writeSmallScenario(dir: string): void {
  const text = readFileSync(join(ROOT, 'test/fixtures/experiments/host-loss-short.yaml'), 'utf8');
  const local = text.replace(/^topology: .*$/m, 'topology: topologies/two-site-hot.yaml');
  expect(local).not.toBe(text);
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(join(dir, SMALL_SCENARIO), local);
}
