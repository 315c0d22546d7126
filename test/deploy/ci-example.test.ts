// docs/ci-example/ccsim-check.yml, the GitHub Actions gate: parsed, checked for what makes it a
// gate (it runs on pushes and pull requests, `ccsim check --junit` into the uploaded artifact,
// uploaded even when the check fails), and its `run:` commands executed as the runner would
// (bash -eo pipefail, the workflow's env) in a copy of the clone. `npm ci` and `npm run build`
// are not re-run: their result (node_modules, dist/) is linked from this checkout, which the
// test setup built (test/deploy/package.test.ts builds a fresh clone). The same check step with a
// scenario whose expectation fails must fail the step and report the failure in the JUnit file.
// Budget: three one-replication runs and one short two-replication run.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tempDir } from '../cli/helpers.js';
import { ROOT, cleanEnv, copyClone, run } from './helpers.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const FILE = join(ROOT, 'docs/ci-example/ccsim-check.yml');
const INSTALL = ['npm ci', 'npm run build'];

function workflow(): { wf: Workflow; steps: Step[] } {
  const wf = parse(readFileSync(FILE, 'utf8')) as Workflow;
  const jobs = Object.values(wf.jobs);
  expect(jobs).toHaveLength(1);
  return { wf, steps: jobs[0]!.steps };
}

/** Runs a `run:` script the way GitHub's Linux runner does (`bash --noprofile --norc -eo pipefail`). */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  return run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: cleanEnv({ ...env, CI: 'true', GITHUB_ACTIONS: 'true', PATH: process.env.PATH ?? '' }),
    timeoutMs: 180_000,
  });
}

describe('docs/ci-example: the GitHub Actions gate', () => {
  test('parses, gates pushes and pull requests, uploads the JUnit file of ccsim check even on failure', () => {
    const { wf, steps } = workflow();
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'actions/upload-artifact@v4',
    ]);
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node'))!.with!['node-version'];
    expect(engines).toMatch(new RegExp(`^>=${String(node)}\\.`));
    const check = steps.find((s) => s.run?.includes('ccsim check'))!;
    const junit = /--junit (\S+)/.exec(check.run!)![1]!;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(junit.startsWith(String(upload.with!.path))).toBe(true);
    expect(steps.map((s) => s.run).filter((r) => r !== undefined && !r.includes('ccsim'))).toEqual(
      INSTALL,
    );
  });

  test(
    'its commands pass on the shipped scenarios and fail, with a JUnit failure, on a failing expectation',
    { timeout: 300_000 },
    () => {
      const { wf, steps } = workflow();
      const clone = join(tempDir('ci-example'), 'clone');
      copyClone(clone); // like actions/checkout; node_modules linked like npm ci
      symlinkSync(join(ROOT, 'dist'), join(clone, 'dist'), 'dir'); // like npm run build
      const scripts = steps.flatMap((s) =>
        s.run !== undefined && !INSTALL.includes(s.run) ? [s.run] : [],
      );
      expect(scripts).toHaveLength(1);
      const env = wf.env ?? {};
      const junit = /--junit (\S+)/.exec(scripts[0]!)![1]!;

      const ok = runStep(scripts[0]!, clone, env);
      expect(ok.code, `${ok.stdout}\n${ok.stderr}`).toBe(0);
      const xml = readFileSync(join(clone, junit), 'utf8');
      expect(xml.match(/<testsuite /g)).toHaveLength(env.SCENARIOS!.trim().split(/\s+/).length);
      expect(xml).toMatch(/<testsuites[^>]* failures="0"/);

      const failing = runStep(scripts[0]!, clone, {
        ...env,
        SCENARIOS: 'test/fixtures/experiments/host-loss-strict.yaml',
      });
      expect(failing.code, `${failing.stdout}\n${failing.stderr}`).toBe(1);
      expect(existsSync(join(clone, junit))).toBe(true);
      expect(readFileSync(join(clone, junit), 'utf8')).toMatch(/<failure /);
    },
  );
});
