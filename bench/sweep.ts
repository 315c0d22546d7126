// Sweep throughput with worker threads: the same sweep of 40 runs (10 points × 4 replications of
// scenarios/bench-day.yaml: a day of a large center) through the built CLI with --workers 1 and
// --workers 2, as a user runs it (process start, pool start-up and each worker's JIT warm-up
// included). Claim: --workers 2 at least 1.7× faster on a machine with two free cores. Both
// sweeps must write identical CSVs. The machine's own ceiling is measured alongside: a pure
// CPU spin in one thread, then in two at once (parallel_capacity: 2.0 on two free cores; a VM
// whose two vCPUs share one core, or a busy machine, shows less — and so will the sweep).
// usage: npm run bench -- --only sweep, or node dist/bench/sweep.js after npm run build

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SWEEP_DEFAULTS = {
  scenario: 'scenarios/bench-day.yaml',
  /** 10 points. */
  sets: ['addp-timeout=3s,4s,5s,6s,7s,8s,9s,10s,11s,12s'],
  replications: 4,
};
/** Interleaved (--workers 1, --workers 2) pairs; the fastest of each is kept, the run least
 * disturbed by other load on a shared machine. */
export const SWEEP_PAIRS = 3;
/** The claimed speed-up of --workers 2 over --workers 1. */
export const SWEEP_SPEEDUP_MIN = 1.7;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..'); // dist/bench/sweep.js → repo root
const cli = path.join(repoRoot, 'dist/src/cli/main.js');

/** How long each thread spins in the capacity check, ms. */
const SPIN_MS = 2_000;
/** Prints the work of one spinning thread, then of two at once (a child process, so that the
 * benchmark stays synchronous like the others of bench/run.ts). */
const SPIN_SCRIPT = `
import { Worker } from 'node:worker_threads';
const code = "const { parentPort } = require('node:worker_threads'); let n = 0; const end = Date.now() + ${SPIN_MS}; while (Date.now() < end) for (let i = 0; i < 1000; i++) n++; parentPort.postMessage(n);";
const spin = (k) => Promise.all(Array.from({ length: k }, () => new Promise((ok, ko) => {
  const w = new Worker(code, { eval: true, execArgv: [] });
  w.once('message', (n) => w.terminate().then(() => ok(n)));
  w.once('error', ko);
}))).then((ns) => ns.reduce((a, b) => a + b, 0));
const one = await spin(1);
const two = await spin(2);
console.log(two / one);`;

/** Work done by two threads spinning at once over the work of one: the machine's ceiling. */
export function parallelCapacity(): number {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SPIN_SCRIPT], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`parallel capacity check failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

interface SweepTiming {
  /** The whole process, as the user waits for it. */
  wall: number;
  /** Sum over the runs of each run's own wall time (run.json replication_wall_s). */
  runsWall: number;
}

function timedSweep(workers: number, out: string): SweepTiming {
  const sets = SWEEP_DEFAULTS.sets.flatMap((s) => ['--set', s]);
  const args = [
    cli,
    'sweep',
    SWEEP_DEFAULTS.scenario,
    ...sets,
    '--replications',
    String(SWEEP_DEFAULTS.replications),
    '--workers',
    String(workers),
    '--out',
    out,
    '--quiet',
  ];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0)
    throw new Error(`ccsim sweep --workers ${workers} failed (exit ${r.status}): ${r.stderr}`);
  const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as {
    replication_wall_s: number;
  };
  return { wall, runsWall: runJson.replication_wall_s };
}

/** The timing with the least wall time (the run least disturbed by other load). */
function fastest(ts: readonly SweepTiming[]): SweepTiming {
  return ts.reduce((a, b) => (b.wall < a.wall ? b : a));
}

export function measureSweep(): Record<string, string | number | boolean> {
  const base = mkdtempSync(path.join(tmpdir(), 'ccsim-bench-sweep-'));
  try {
    const capacity = parallelCapacity();
    const t1: SweepTiming[] = [];
    const t2: SweepTiming[] = [];
    for (let i = 0; i < SWEEP_PAIRS; i++) {
      t1.push(timedSweep(1, path.join(base, 'w1')));
      t2.push(timedSweep(2, path.join(base, 'w2')));
    }
    const f1 = fastest(t1);
    const f2 = fastest(t2);
    const w1 = f1.wall;
    const w2 = f2.wall;
    /** What of the --workers 2 wall time is not the runs shared between the two workers. */
    const serial2 = f2.wall - f2.runsWall / 2;
    for (const f of ['sweep.csv', 'sweep-stats.csv']) {
      if (
        readFileSync(path.join(base, 'w1', f), 'utf8') !==
        readFileSync(path.join(base, 'w2', f), 'utf8')
      ) {
        throw new Error(`${f} differs between --workers 1 and --workers 2`);
      }
    }
    const runs = SWEEP_DEFAULTS.sets[0]!.split(',').length * SWEEP_DEFAULTS.replications;
    return {
      bench: 'sweep',
      impl: 'ccsim',
      runs,
      cpus: availableParallelism(),
      load_avg_1m: loadavg()[0]!,
      wall_workers1_s: w1,
      wall_workers2_s: w2,
      walls_workers1_s: t1.map((t) => t.wall.toFixed(3)).join(' '),
      walls_workers2_s: t2.map((t) => t.wall.toFixed(3)).join(' '),
      // Where the time goes. runs_wall: the runs' own time added up; serial: what is left of the
      // wall time once the runs are shared among the workers (process start, loading and
      // validating the input, starting the pool, writing). per_run_slowdown: how much longer the
      // same 40 runs take when two execute at once — 1.0 on two free, independent cores.
      runs_wall_workers1_s: f1.runsWall,
      runs_wall_workers2_s: f2.runsWall,
      serial_workers1_s: f1.wall - f1.runsWall,
      serial_workers2_s: serial2,
      per_run_slowdown_workers2: f2.runsWall / f1.runsWall,
      // The speed-up this sweep would show if two runs at once ran as fast as one alone.
      speedup_if_no_slowdown: w1 / (serial2 + f1.runsWall / 2),
      sim_wall_s: w2,
      speedup_workers2: w1 / w2,
      speedup_target: SWEEP_SPEEDUP_MIN,
      speedup_met: w1 / w2 >= SWEEP_SPEEDUP_MIN,
      parallel_capacity: capacity,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = measureSweep();
  console.log(
    `sweep of ${r.runs} runs on ${r.cpus} CPU(s), load ${Number(r.load_avg_1m).toFixed(1)}, fastest of ${SWEEP_PAIRS}: ` +
      `--workers 1 ${Number(r.wall_workers1_s).toFixed(2)} s (${r.walls_workers1_s}), ` +
      `--workers 2 ${Number(r.wall_workers2_s).toFixed(2)} s (${r.walls_workers2_s}), speed-up ${Number(r.speedup_workers2).toFixed(2)}× ` +
      `(target ${SWEEP_SPEEDUP_MIN}×: ${r.speedup_met ? 'met' : 'NOT met'}); ` +
      `each run ${Number(r.per_run_slowdown_workers2).toFixed(2)}× slower with two at once, serial part ${Number(r.serial_workers2_s).toFixed(2)} s ` +
      `(speed-up without that slowdown: ${Number(r.speedup_if_no_slowdown).toFixed(2)}×); ` +
      `this machine's parallel capacity with 2 threads: ${Number(r.parallel_capacity).toFixed(2)}×`,
  );
}
