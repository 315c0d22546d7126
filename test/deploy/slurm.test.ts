// deploy/slurm on a real single-node Slurm cluster: Debian's munged, slurmctld and slurmd (.ci/run
// installs them when missing), started by this test on free ports with their own key, socket,
// configuration and state under a temporary directory, and stopped in afterAll whatever happened.
// As a user would: deploy/slurm/submit.sh with the sweep's arguments, from a directory standing
// for the shared filesystem; two tasks fail (a file is in the way of their output), the merge job
// runs anyway (afterany) and names them; they are re-run with `sbatch --array=3,7`, merged again,
// and the merged CSVs equal the unsharded sweep byte for byte. Every wait is bounded.
// Budget: about 10-20 s of cluster start and 10 one-item shards (a 30-minute scenario each).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ccsim, tempDir } from '../cli/helpers.js';
import {
  NODE_DIR,
  ROOT,
  SMALL_SWEEP,
  cleanEnv,
  expectSameCsvs,
  run,
  runOk,
  writeSmallScenario,
} from './helpers.js';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const BINARIES = [
  'munged',
  'slurmctld',
  'slurmd',
  'sbatch',
  'squeue',
  'scontrol',
  'scancel',
  'sinfo',
];
const NODE = `ccsim${process.pid}`; // unique: two suites on one machine run two clusters

function onPath(name: string): boolean {
  return `${process.env.PATH ?? ''}:${SYSTEM_PATH}`.split(':').some((d) => {
    try {
      accessSync(join(d, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = BINARIES.filter((b) => !onPath(b));
const MISSING =
  missing.length > 0
    ? `Slurm test: ${missing.join(', ')} not found (apt-get install -y slurmctld slurmd slurm-client munge; .ci/run installs them)`
    : process.getuid?.() !== 0
      ? 'Slurm test: needs root (its slurmctld and slurmd run as SlurmUser=root)'
      : '';
const SKIP = MISSING !== '' && process.env.CI !== 'true'; // under CI a missing Slurm fails the test
if (SKIP) console.warn(`\n*** SKIPPED: ${MISSING} ***\n`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() =>
        typeof addr === 'object' && addr !== null
          ? resolve(addr.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

interface TaskState {
  state: string;
  exit: string;
}

/** A single-node cluster living in dir: munged, slurmctld and slurmd started and stopped here. */
class Cluster {
  readonly env: NodeJS.ProcessEnv;
  private readonly pids: number[] = [];

  constructor(readonly dir: string) {
    this.env = cleanEnv({
      SLURM_CONF: join(dir, 'slurm.conf'),
      PATH: `${join(ROOT, 'bin')}:${NODE_DIR}:${SYSTEM_PATH}`,
    });
  }

  private sh(cmd: string, args: string[], timeoutMs = 20_000) {
    return run(cmd, args, { cwd: this.dir, env: this.env, timeoutMs });
  }

  /** The daemons' logs, for failure messages. */
  logs(): string {
    return ['munged.log', 'slurmctld.log', 'slurmd.log']
      .map((f) => join(this.dir, 'log', f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-25).join('\n')}`)
      .join('\n');
  }

  async start(): Promise<void> {
    const d = this.dir;
    for (const sub of ['munge-key', 'munge-run', 'log', 'state', 'spool'])
      mkdirSync(join(d, sub), { mode: sub === 'munge-key' ? 0o700 : 0o755 });
    writeFileSync(join(d, 'munge-key', 'munge.key'), randomBytes(1024), { mode: 0o600 });
    const socket = join(d, 'munge-run', 'munge.socket');
    // munged daemonizes once its socket is ready; --force lets it run as root.
    const m = this.sh('munged', [
      '--force',
      `--socket=${socket}`,
      `--key-file=${join(d, 'munge-key', 'munge.key')}`,
      `--pid-file=${join(d, 'munge-run', 'munged.pid')}`,
      `--log-file=${join(d, 'log', 'munged.log')}`,
      `--seed-file=${join(d, 'munge-key', 'munged.seed')}`,
    ]);
    this.track(join(d, 'munge-run', 'munged.pid'));
    if (m.code !== 0)
      throw new Error(`munged did not start (exit ${m.code}): ${m.stderr}\n${this.logs()}`);

    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const host = hostname().split('.')[0]!;
    writeFileSync(
      join(d, 'slurm.conf'),
      [
        'ClusterName=ccsimtest',
        `SlurmctldHost=${host}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        `StateSaveLocation=${join(d, 'state')}`,
        `SlurmdSpoolDir=${join(d, 'spool')}`,
        `SlurmctldPidFile=${join(d, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(d, 'slurmd.pid')}`,
        `SlurmctldLogFile=${join(d, 'log', 'slurmctld.log')}`,
        `SlurmdLogFile=${join(d, 'log', 'slurmd.log')}`,
        // No cgroups in a CI container: plain process tracking, no task binding, no accounting.
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'MpiDefault=none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_CPU',
        'SchedulerType=sched/builtin',
        'SchedulerParameters=sched_interval=2',
        // The node offers 4 CPUs (two 2-CPU tasks at a time) whatever the machine has.
        'SlurmdParameters=config_overrides',
        'ReturnToService=2',
        'MinJobAge=600',
        'KillWait=5',
        'InactiveLimit=0',
        `NodeName=${NODE} NodeHostname=${host} NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN`,
        `PartitionName=ccsim Nodes=${NODE} Default=YES MaxTime=10 State=UP`,
        '',
      ].join('\n'),
    );
    for (const [cmd, args, pidFile] of [
      ['slurmctld', ['-f', join(d, 'slurm.conf')], 'slurmctld.pid'],
      ['slurmd', ['-f', join(d, 'slurm.conf'), '-N', NODE], 'slurmd.pid'],
    ] as const) {
      const r = this.sh(cmd, [...args]);
      await this.until(
        () => readPid(join(d, pidFile)) !== undefined,
        15_000,
        `${cmd} wrote no pid file`,
      );
      this.track(join(d, pidFile));
      if (r.code !== 0)
        throw new Error(`${cmd} did not start (exit ${r.code}): ${r.stderr}\n${this.logs()}`);
    }
    await this.until(
      () => this.sh('sinfo', ['-h', '-n', NODE, '-o', '%T']).stdout.trim() === 'idle',
      60_000,
      `node ${NODE} never became idle`,
    );
  }

  private track(pidFile: string): void {
    const pid = readPid(pidFile);
    if (pid !== undefined && !this.pids.includes(pid)) this.pids.push(pid);
  }

  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(250)) if (cond()) return;
    if (cond()) return;
    throw new Error(`${what} within ${timeoutMs / 1000} s\n${this.logs()}`);
  }

  sbatch(args: string[], cwd: string): string {
    const r = runOk('sbatch', ['--parsable', ...args], { cwd, env: this.env, timeoutMs: 30_000 });
    return r.stdout.trim().split(';')[0]!;
  }

  /** Waits until none of the jobs is pending or running. */
  async waitDone(ids: string[], timeoutMs: number): Promise<void> {
    await this.until(
      () => {
        const q = this.sh('squeue', ['-h', '-j', ids.join(','), '-o', '%i %T']);
        return q.code === 0 && q.stdout.trim() === '';
      },
      timeoutMs,
      `jobs ${ids.join(', ')} did not finish`,
    );
  }

  /** The state and exit code of a job, or of each task of a job array (by task id). */
  states(id: string): Map<string, TaskState> {
    const r = runOk('scontrol', ['-o', 'show', 'job', id], {
      cwd: this.dir,
      env: this.env,
      timeoutMs: 20_000,
    });
    const out = new Map<string, TaskState>();
    for (const line of r.stdout.trim().split('\n')) {
      const field = (k: string): string => new RegExp(`(?:^| )${k}=(\\S*)`).exec(line)?.[1] ?? '';
      out.set(field('ArrayTaskId') || field('JobId'), {
        state: field('JobState'),
        exit: field('ExitCode'),
      });
    }
    return out;
  }

  /** Cancels what runs, shuts the daemons down, and kills any that outlived the bounded wait. */
  async stop(): Promise<void> {
    if (existsSync(join(this.dir, 'slurm.conf'))) {
      const q = this.sh('squeue', ['-h', '-o', '%A'], 10_000).stdout.trim();
      if (q !== '') {
        this.sh('scancel', q.split('\n'), 10_000);
        await this.until(
          () => this.sh('squeue', ['-h', '-o', '%A'], 10_000).stdout.trim() === '',
          20_000,
          'cancelled jobs did not end',
        ).catch(() => undefined);
      }
      this.sh('scontrol', ['shutdown'], 15_000);
    }
    for (const f of ['slurmctld.pid', 'slurmd.pid', 'munge-run/munged.pid'])
      this.track(join(this.dir, f));
    const munged = readPid(join(this.dir, 'munge-run', 'munged.pid'));
    const others = this.pids.filter((p) => p !== munged);
    await this.until(
      () => others.every((p) => !alive(p)),
      15_000,
      'slurm daemons did not exit',
    ).catch(() => undefined);
    if (munged !== undefined && alive(munged)) process.kill(munged, 'SIGTERM');
    await this.until(() => this.pids.every((p) => !alive(p)), 10_000, 'daemons did not exit').catch(
      () => undefined,
    );
    for (const p of this.pids) if (alive(p)) process.kill(p, 'SIGKILL');
  }
}

describe.skipIf(SKIP)('deploy/slurm on a single-node Slurm cluster', () => {
  const base = tempDir('slurm');
  const cluster = new Cluster(join(base, 'cluster'));

  beforeAll(async () => {
    if (MISSING !== '') throw new Error(MISSING);
    mkdirSync(cluster.dir);
    await cluster.start();
  }, 120_000);

  afterAll(async () => {
    await cluster.stop();
    rmSync(base, { recursive: true, force: true });
  }, 60_000);

  test('submit.sh; two tasks fail, the merge names them; sbatch --array=3,7 re-runs them; the merge equals the unsharded sweep', async () => {
    // The directory every node would share: scenarios, results/ and logs/ (none exist yet).
    const shared = join(base, 'shared');
    cpSync(join(ROOT, 'scenarios'), join(shared, 'scenarios'), { recursive: true });
    writeSmallScenario(shared);
    const unsharded = join(base, 'unsharded');
    expect(ccsim(['sweep', ...SMALL_SWEEP, '--out', unsharded, '--quiet'], shared).code).toBe(0);

    // Tasks 3 and 7 fail: a file stands where their output directory goes (ccsim refuses, exit 2).
    mkdirSync(join(shared, 'results'));
    for (const t of [3, 7]) writeFileSync(join(shared, 'results', `shard-${t}`), 'in the way\n');

    const submitted = runOk(join(ROOT, 'deploy/slurm/submit.sh'), SMALL_SWEEP, {
      cwd: shared,
      env: cluster.env,
      timeoutMs: 30_000,
    });
    const ids = /sweep job (\d+), merge job (\d+)/.exec(submitted.stdout);
    expect(ids, submitted.stdout).not.toBeNull();
    const [, sweepId, mergeId] = ids as unknown as [string, string, string];
    await cluster.waitDone([sweepId, mergeId], 150_000);

    const tasks = cluster.states(sweepId);
    const logs = (glob: string): string =>
      existsSync(join(shared, 'logs', glob))
        ? readFileSync(join(shared, 'logs', glob), 'utf8')
        : `(no ${glob})`;
    const detail = `${[...tasks].map(([t, s]) => `${t}: ${s.state} ${s.exit}`).join('\n')}\n${logs(`ccsim-sweep-${sweepId}_1.out`)}\n${cluster.logs()}`;
    expect(
      [...tasks.keys()].sort((a, b) => Number(a) - Number(b)),
      detail,
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const [t, s] of tasks)
      expect(s, `task ${t}\n${detail}`).toEqual(
        t === '3' || t === '7'
          ? { state: 'FAILED', exit: '2:0' }
          : { state: 'COMPLETED', exit: '0:0' },
      );
    expect(logs(`ccsim-sweep-${sweepId}_3.out`)).toMatch(/refusing to replace/);
    expect(logs(`ccsim-sweep-${sweepId}_2.out`)).toMatch(/shard 2\/8/);

    // The merge ran although two tasks failed, and says what to re-run.
    const merge = logs(`ccsim-merge-${mergeId}.out`);
    expect(cluster.states(mergeId).get(mergeId), merge).toEqual({ state: 'FAILED', exit: '2:0' });
    expect(merge).toMatch(/missing shard 3\/8/);
    expect(merge).toMatch(/missing shard 7\/8/);
    expect(merge).toContain('sbatch --array=3,7 deploy/slurm/sweep.sbatch');
    expect(existsSync(join(shared, 'reports'))).toBe(false);

    // Re-run the two tasks as the merge log says: an array of 2 that still runs shards 3/8 and 7/8.
    for (const t of [3, 7]) rmSync(join(shared, 'results', `shard-${t}`));
    const rerunId = cluster.sbatch(
      ['--array=3,7', join(ROOT, 'deploy/slurm/sweep.sbatch'), ...SMALL_SWEEP],
      shared,
    );
    const merge2Id = cluster.sbatch(
      [`--dependency=afterok:${rerunId}`, join(ROOT, 'deploy/slurm/merge.sbatch')],
      shared,
    );
    await cluster.waitDone([rerunId, merge2Id], 120_000);
    const rerun = cluster.states(rerunId);
    const detail2 = `${logs(`ccsim-sweep-${rerunId}_3.out`)}\n${logs(`ccsim-merge-${merge2Id}.out`)}\n${cluster.logs()}`;
    expect(Object.fromEntries(rerun), detail2).toEqual({
      '3': { state: 'COMPLETED', exit: '0:0' },
      '7': { state: 'COMPLETED', exit: '0:0' },
    });
    expect(cluster.states(merge2Id).get(merge2Id), detail2).toEqual({
      state: 'COMPLETED',
      exit: '0:0',
    });

    const merged = join(shared, 'reports', 'ccsim-sweep');
    expectSameCsvs(unsharded, merged);
    const runJson = JSON.parse(readFileSync(join(merged, 'run.json'), 'utf8')) as {
      merged_from: { shard: string }[];
    };
    expect(runJson.merged_from.map((m) => m.shard).sort()).toEqual([
      '1/8',
      '2/8',
      '3/8',
      '4/8',
      '5/8',
      '6/8',
      '7/8',
      '8/8',
    ]);
  }, 300_000);
});
