// deploy/k8s against the Kubernetes API and as pods would run it. Every manifest is type-checked
// by tsc against kubernetes-types (the API's own types, pinned to 1.30), which rejects unknown or
// misplaced fields — a deliberately misspelt copy proves the check bites. The manifests agree with
// each other and with the Dockerfile (image, working directory, claim, ReadWriteMany, a
// podFailurePolicy failing the Job on exit 2, the exit code ccsim gives invalid input). Then each
// pod's command runs under sh, once per JOB_COMPLETION_INDEX, in a directory laid out like the
// image (scenarios in the working directory, the claim's mount path mapped to a temporary one),
// the merge Job's command joins the shards, and the result equals the unsharded sweep byte for
// byte. SWEEP is replaced by a short sweep (8 work items); the shipped one is validated.
// Budget: one tsc run over four small files, 8 pods of one short run each, one merge.
import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Container, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { ccsim, tempDir } from '../cli/helpers.js';
import {
  NODE_DIR,
  ROOT,
  SMALL_SWEEP,
  cleanEnv,
  expectSameCsvs,
  run,
  writeSmallScenario,
} from './helpers.js';

const K8S = join(ROOT, 'deploy/k8s');
const TYPES: Record<string, { module: string; type: string }> = {
  'batch/v1 Job': { module: 'kubernetes-types/batch/v1', type: 'Job' },
  'v1 PersistentVolumeClaim': { module: 'kubernetes-types/core/v1', type: 'PersistentVolumeClaim' },
};

interface Manifest {
  file: string;
  doc: { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;
}

function manifests(): Manifest[] {
  const out: Manifest[] = [];
  for (const file of readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const d of parseAllDocuments(readFileSync(join(K8S, file), 'utf8'))) {
      expect(d.errors, file).toEqual([]);
      if (d.contents !== null) out.push({ file, doc: d.toJS() as Manifest['doc'] });
    }
  }
  return out;
}

/** A TypeScript module declaring each manifest as a constant of its Kubernetes type. */
function typedModule(ms: readonly Manifest[]): string {
  const lines: string[] = [];
  ms.forEach((m, i) => {
    const t = TYPES[`${m.doc.apiVersion} ${m.doc.kind}`];
    expect(t, `${m.file}: no type known for ${m.doc.apiVersion} ${m.doc.kind}`).toBeDefined();
    lines.push(`import type { ${t!.type} as T${i} } from '${t!.module}';`);
    lines.push(`// ${m.file}\nexport const m${i}: T${i} = ${JSON.stringify(m.doc, null, 2)};`);
  });
  return `${lines.join('\n')}\n`;
}

function job(ms: readonly Manifest[], name: string): { job: Job; container: Container } {
  const m = ms.find((x) => x.doc.kind === 'Job' && x.doc.metadata.name === name);
  expect(m, `a Job named ${name}`).toBeDefined();
  const j = m!.doc as unknown as Job;
  expect(j.spec!.template.spec!.containers).toHaveLength(1);
  return { job: j, container: j.spec!.template.spec!.containers[0]! };
}

/** Runs a pod's `sh -c` command like the kubelet would: working directory, env, mounts. */
function podCommand(
  c: Container,
  j: Job,
  env: Record<string, string>,
  work: string,
  mounts: Map<string, string>,
): Promise<{ code: number; out: string }> {
  expect(c.command).toEqual(['/bin/sh', '-c']);
  expect(c.args).toHaveLength(1);
  let script = c.args![0]!;
  for (const vm of c.volumeMounts ?? []) {
    expect(script, `the command uses the mount ${vm.mountPath}`).toContain(vm.mountPath);
    script = script.split(vm.mountPath).join(mounts.get(vm.name)!);
  }
  expect(j.spec!.template.spec!.restartPolicy).toBe('Never');
  const podEnv = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', script],
      {
        cwd: work,
        env: cleanEnv({
          PATH: `${join(ROOT, 'bin')}:${NODE_DIR}:/usr/bin:/bin`,
          ...podEnv,
          ...env,
        }),
        timeout: 120_000,
        killSignal: 'SIGKILL',
      },
      (err, stdout, stderr) =>
        resolve({
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
          out: `${script}\n${stdout}${stderr}`,
        }),
    );
  });
}

describe('deploy/k8s', () => {
  test(
    'every manifest type-checks against the Kubernetes API types; a misspelt field is rejected',
    { timeout: 300_000 },
    () => {
      const ms = manifests();
      expect(ms.map((m) => `${m.file}: ${m.doc.kind} ${m.doc.metadata.name}`)).toEqual([
        'merge-job.yaml: Job ccsim-merge',
        'pvc.yaml: PersistentVolumeClaim ccsim-results',
        'sweep-job.yaml: Job ccsim-sweep',
      ]);
      const dir = tempDir('k8s-types');
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'manifests.ts'), typedModule(ms));
      // The control: the sweep Job with one field misspelt, deep in the pod template.
      const bad = structuredClone(ms.find((m) => m.doc.metadata.name === 'ccsim-sweep')!);
      const spec = (bad.doc.spec as { template: { spec: Record<string, unknown> } }).template.spec;
      spec.restartPolcy = spec.restartPolicy;
      delete spec.restartPolicy;
      writeFileSync(join(dir, 'misspelt.ts'), typedModule([bad]));
      const tsc = run(
        process.execPath,
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          '--noEmit',
          '--pretty',
          'false',
          '--strict',
          '--skipLibCheck', // the API types are trusted; the manifests are what is checked
          '--target',
          'es2022',
          '--module',
          'preserve',
          '--moduleResolution',
          'bundler',
          '--types',
          'node',
          'manifests.ts',
          'misspelt.ts',
        ],
        { cwd: dir, timeoutMs: 120_000 },
      );
      const errors = tsc.stdout.split('\n').filter((l) => /error TS/.test(l));
      expect(
        errors.filter((l) => !l.startsWith('misspelt.ts')),
        tsc.stdout + tsc.stderr,
      ).toEqual([]);
      expect(errors, tsc.stdout + tsc.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^misspelt\.ts.*'"?restartPolcy"?' does not exist in type 'PodSpec'/,
      );
    },
  );

  test('the manifests agree with each other, with the Dockerfile and with ccsim exit codes', () => {
    const ms = manifests();
    const sweep = job(ms, 'ccsim-sweep');
    const merge = job(ms, 'ccsim-merge');
    const pvc = ms.find((m) => m.doc.kind === 'PersistentVolumeClaim')!
      .doc as unknown as PersistentVolumeClaim;
    expect(pvc.spec!.accessModes).toEqual(['ReadWriteMany']); // pods on several nodes

    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const version = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const workdirs = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].map((m) => m[1]);
    expect(dockerfile).toMatch(/^COPY scenarios\/ \.\/scenarios\/$/m);
    expect(dockerfile).toMatch(/^FROM node:20-/m);
    expect(dockerfile).toMatch(/npm install --global .*ccsim-\*\.tgz/);
    for (const { job: j, container: c } of [sweep, merge]) {
      expect(c.image).toBe(`registry.example.com/ccsim:${version}`);
      expect(dockerfile).toContain(`docker build -t ${c.image} .`);
      expect(c.workingDir).toBe(workdirs.at(-1));
      const vols = j.spec!.template.spec!.volumes!;
      expect(vols.map((v) => v.persistentVolumeClaim?.claimName)).toEqual([pvc.metadata!.name]);
      expect(c.volumeMounts!.map((v) => v.name)).toEqual(vols.map((v) => v.name));
      // Invalid input fails the Job at once: a retry would fail the same way.
      const rules = j.spec!.podFailurePolicy!.rules;
      expect(rules.find((r) => r.action === 'FailJob')!.onExitCodes).toEqual({
        containerName: c.name,
        operator: 'In',
        values: [2],
      });
      expect(
        rules.filter((r) => r.onExitCodes?.values.includes(2) && r.action !== 'FailJob'),
      ).toEqual([]);
    }
    expect(sweep.job.spec!.completionMode).toBe('Indexed');
    const env = Object.fromEntries(sweep.container.env!.map((e) => [e.name, e.value]));
    expect(Number(env.SHARDS)).toBe(sweep.job.spec!.completions);
    // The shipped SWEEP names a scenario the image holds, and it is valid.
    const scenario = env.SWEEP!.trim().split(/\s+/)[0]!;
    const v = ccsim(['validate', scenario]);
    expect(v.code, v.stderr).toBe(0);
  });

  test(
    'each pod command under sh for every JOB_COMPLETION_INDEX, then the merge Job: equal to the unsharded sweep; bad input exits 2',
    { timeout: 300_000 },
    async () => {
      const ms = manifests();
      const sweep = job(ms, 'ccsim-sweep');
      const merge = job(ms, 'ccsim-merge');
      const base = tempDir('k8s-pods');
      const work = join(base, 'work'); // the image's /work: the shipped scenarios
      cpSync(join(ROOT, 'scenarios'), join(work, 'scenarios'), { recursive: true });
      writeSmallScenario(work);
      const mounts = new Map([['results', join(base, 'volume')]]); // the claim, shared by every pod
      mkdirSync(join(base, 'volume'));
      const unsharded = join(base, 'unsharded');
      expect(ccsim(['sweep', ...SMALL_SWEEP, '--out', unsharded, '--quiet'], work).code).toBe(0);

      const SWEEP = SMALL_SWEEP.join(' ');
      const pods = await Promise.all(
        Array.from({ length: sweep.job.spec!.completions! }, (_, i) =>
          podCommand(
            sweep.container,
            sweep.job,
            { SWEEP, JOB_COMPLETION_INDEX: String(i) },
            work,
            mounts,
          ),
        ),
      );
      pods.forEach((p, i) => expect(p.code, `pod ${i}\n${p.out}`).toBe(0));
      expect(readdirSync(join(base, 'volume')).sort()).toEqual([
        'shard-1',
        'shard-2',
        'shard-3',
        'shard-4',
        'shard-5',
        'shard-6',
        'shard-7',
        'shard-8',
      ]);

      const merged = await podCommand(merge.container, merge.job, {}, work, mounts);
      expect(merged.code, merged.out).toBe(0);
      expectSameCsvs(unsharded, join(base, 'volume', 'ccsim-sweep'));

      // Input errors exit 2, the code the podFailurePolicy fails the Job on.
      const bad = await podCommand(
        sweep.container,
        sweep.job,
        { SWEEP: `${SWEEP} --set addp-timout=4s`, JOB_COMPLETION_INDEX: '0' },
        work,
        new Map([['results', join(base, 'bad')]]),
      );
      expect(bad.code, bad.out).toBe(2);
      expect(bad.out).toMatch(/addp-timout/);
    },
  );
});
