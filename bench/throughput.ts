// Full-model throughput (issue 21): the cost of one bench-day call against one M/M/c call of the
// bare engine measured in the same process; --workers 2 against the machine's own ceiling (two
// independent single-worker processes side by side); the peak memory of a year of
// availability-year (one replication; five on two workers); explore's schedules per second on the
// shipped process-crash scenario (its liveness phase is always on). Wall time only, in bench/.
// Each measurement has a `tiny` configuration (seconds, not minutes) that only checks the shape.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runOne } from '../src/cli/execute.js';
import { median, quantile } from '../src/sim/stats.js';
import { writeReportHtml } from '../src/report/html.js';
import { MMC_DEFAULTS, runMmc } from './mmc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..'); // dist/bench/throughput.js → repo root
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const peakRssPreload = path.join(here, 'peak-rss.js');

/** Targets of issue 21. */
export const DAY_PER_CALL_VS_MMC_MAX = 6;
export const WORKERS2_VS_CEILING_MIN = 0.95;
export const YEAR_RSS_MB_ONE_MAX = 300;
/**
 * Most a run's peak memory may grow for each replication more, KiB (`memory`): a run keeps a
 * replication's summary row, not its records (each is written to the report as it ends). Its
 * readings from 500 to 2,000 replications of `day` are 17–54 (the workers' heaps move by tens of
 * MB from one run to the next); before, a run kept every replication's output: ~470.
 */
export const RSS_KB_PER_REPLICATION_MAX = 100;
export const YEAR_RSS_MB_FIVE_WORKERS2_MAX = 600;
export const EXPLORE_SCHEDULES_PER_S_MIN = 20;
/** report.html of the five-replication year: size and CPU to build it (was a timed unit test). */
export const YEAR_REPORT_HTML_MB_MAX = 5;
export const YEAR_REPORT_HTML_CPU_S_MAX = 10;

export const DAY_SCENARIO = 'scenarios/bench-day.yaml';
/**
 * --set overrides that leave bench-day's per-replication work alone: 1 call an hour, no T-Server
 * traffic, the same faults (anatomy.js fixed, instructions.js fixed).
 */
export const DAY_LOW_TRAFFIC_SETS = [
  'traffic.calls-per-hour=1',
  'traffic.tserver-calls-per-hour.ts-a=0',
];
export const YEAR_SCENARIO = 'scenarios/availability-year.yaml';
export const EXPLORE_SCENARIO = 'scenarios/process-crash-sip-primary.yaml';
/** A day of the two-site center (270 agents, 65 KB of report records a replication). */
export const MANY_SCENARIO = 'scenarios/day.yaml';
/** explore judges this many schedules at once (the machine's two cores). */
export const EXPLORE_WORKERS = 2;

export interface ThroughputConfig {
  /**
   * bench-day replications run after the cold one and before the timed rounds (JIT warm-up:
   * V8 is still compiling and recompiling hot functions through the first ~10 replications).
   * They are timed too, and reported apart (`warmup_day_per_call_vs_mmc`).
   */
  dayWarmupReplications: number;
  /** bench-day replications timed per round (steady state, after the warm-up ones). */
  dayReplications: number;
  /**
   * Rounds of bench-day replications 0 … dayReplications − 1 in the per-call process, each
   * replication paired with M/M/c runs of at least its own wall time, timed right after it.
   */
  dayRounds: number;
  /** M/M/c calls per run in the per-call process. */
  mmcCalls: number;
  /** The warm-up's M/M/c runs last at least this long, s. */
  mmcMinS: number;
  /** The full-model scenario of the per-call and workers checks (bench-day for the real measurement). */
  dayScenario: string;
  /** --set overrides of it (none for the real measurement). */
  daySets: string[];
  /** Replications of each single-worker process in the ceiling check (--workers 2 runs twice as many). */
  workersReplications: number;
  /** (alone, side by side, --workers 2) triples, the last two in alternating order; the median ratio is kept. */
  workersTriples: number;
  /** --set overrides of availability-year (none for the real measurement). */
  yearSets: string[];
  exploreRuns: number;
  /** Pairs of processes (bench-day alone, then M/M/c alone) that `apart` times. */
  apartPairs: number;
  /**
   * `memory`: the scenario run with --workers 2 at each replication count, and its --set
   * overrides: how the peak memory of a run grows with its replications. Both counts past the
   * first few hundred, where the workers' heaps have grown to their working size (`day`: 267 MB
   * at 200, 284 at 300, 317 at 500, then 326–349 up to 2,000).
   */
  manyReplications: { scenario: string; sets: string[]; counts: [number, number] };
}

export const THROUGHPUT_FULL: ThroughputConfig = {
  dayWarmupReplications: 20,
  dayReplications: 10,
  dayRounds: 2,
  mmcCalls: MMC_DEFAULTS.calls,
  mmcMinS: 1,
  dayScenario: DAY_SCENARIO,
  daySets: [],
  workersReplications: 4,
  workersTriples: 5,
  yearSets: [],
  exploreRuns: 200,
  apartPairs: 4,
  manyReplications: { scenario: MANY_SCENARIO, sets: [], counts: [500, 2000] },
};

/** Seconds of work in all: only the shape of the output means anything. */
export const THROUGHPUT_TINY: ThroughputConfig = {
  dayWarmupReplications: 1,
  dayReplications: 2,
  dayRounds: 1,
  mmcCalls: 20_000,
  mmcMinS: 0.05,
  dayScenario: EXPLORE_SCENARIO, // two hours of a small center
  daySets: [],
  workersReplications: 1,
  workersTriples: 1,
  yearSets: ['duration=2d'],
  exploreRuns: 2,
  apartPairs: 1,
  manyReplications: { scenario: EXPLORE_SCENARIO, sets: [], counts: [2, 4] },
};

type Row = Record<string, string | number | boolean>;

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

/** Wall time of M/M/c runs (at least `minS` in all) and the calls they served. */
function timeMmc(params: typeof MMC_DEFAULTS, minS: number): { s: number; calls: number } {
  let s = 0;
  let calls = 0;
  while (s < minS) {
    const t0 = process.hrtime.bigint();
    const m = runMmc(params);
    s += seconds(t0);
    calls += m.calls;
  }
  return { s, calls };
}

/** Wall time of bench-day replications `from` … `from + n − 1` and their calls and events. */
function timeDay(
  spec: ReturnType<typeof loadScenario>,
  from: number,
  n: number,
): { s: number; calls: number; events: number } {
  let s = 0;
  let calls = 0;
  let events = 0;
  for (let r = from; r < from + n; r++) {
    const t0 = process.hrtime.bigint();
    const out = runOne(spec, r);
    s += seconds(t0);
    calls += out.result.counters.calls_offered ?? 0;
    events += out.result.events;
  }
  return { s, calls, events };
}

/**
 * In this process, bench-day against M/M/c (steady state, as issue 21 asks): replication 0 cold;
 * then the warm-up, dayWarmupReplications replications (10 … 10 + n − 1) beside M/M/c, timed and
 * reported apart; then the measured pairs: each of bench-day's replications 0 … n − 1 (dayRounds
 * times over) followed at once by M/M/c runs lasting at least as long. Per call: wall time over
 * calls offered (bench-day) or calls served (M/M/c). The ratio judged is the median over the
 * pairs of the two per-call costs' ratio: the two halves of a pair share the same second of a
 * shared machine, and a burst of someone else's load moves one pair, not the median.
 */
export function measureDayPerCall(cfg: ThroughputConfig): Row {
  const spec = loadScenario(path.join(repoRoot, cfg.dayScenario), { sets: cfg.daySets });
  const mmcParams = { ...MMC_DEFAULTS, calls: cfg.mmcCalls };
  const t0 = process.hrtime.bigint();
  runOne(spec, 0);
  const coldDayS = seconds(t0);
  for (let i = 0; i < 3; i++) runMmc(mmcParams); // warm-up
  const warmMmc = timeMmc(mmcParams, cfg.mmcMinS);
  const warmDay = timeDay(spec, cfg.dayReplications, cfg.dayWarmupReplications);
  let daySum = 0;
  let dayCalls = 0;
  let dayEvents = 0;
  let mmcSum = 0;
  let mmcCalls = 0;
  const ratios: number[] = [];
  for (let round = 0; round < cfg.dayRounds; round++)
    for (let r = 0; r < cfg.dayReplications; r++) {
      const d = timeDay(spec, r, 1);
      const m = timeMmc(mmcParams, d.s);
      daySum += d.s;
      dayCalls += d.calls;
      dayEvents += d.events;
      mmcSum += m.s;
      mmcCalls += m.calls;
      ratios.push(d.s / d.calls / (m.s / m.calls));
    }
  ratios.sort((a, b) => a - b);
  const dayPerCall = daySum / dayCalls;
  const mmcPerCall = mmcSum / mmcCalls;
  const warmDayPerCall = warmDay.s / warmDay.calls;
  return {
    bench: 'percall',
    impl: 'ccsim',
    scenario: cfg.dayScenario,
    warmup_replications: cfg.dayWarmupReplications,
    replications: cfg.dayReplications * cfg.dayRounds,
    pairs: ratios.length,
    calls: dayCalls,
    events: dayEvents,
    sim_wall_s: daySum,
    cold_day_wall_s: coldDayS,
    day_us_per_call: dayPerCall * 1e6,
    day_events_per_call: dayEvents / dayCalls,
    mmc_calls: mmcCalls,
    mmc_us_per_call: mmcPerCall * 1e6,
    day_per_call_vs_mmc: quantile(ratios, 0.5),
    day_per_call_vs_mmc_q1: quantile(ratios, 0.25),
    day_per_call_vs_mmc_q3: quantile(ratios, 0.75),
    day_per_call_vs_mmc_of_sums: dayPerCall / mmcPerCall,
    warmup_day_us_per_call: warmDayPerCall * 1e6,
    warmup_day_per_call_vs_mmc: warmDayPerCall / (warmMmc.s / warmMmc.calls),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * One half of the per-call ratio measured apart (`apart`): this process runs only bench-day (cold
 * replication 0, the warm-up, then dayRounds × dayReplications timed, as `percall` times them)
 * or only M/M/c (warmed as `percall` warms it, then timed at least as long), so that the engine's
 * compiled code serves that one model alone, as in a user's process. Returns µs a call.
 */
export function measureAlone(kind: 'day' | 'mmc', cfg: ThroughputConfig): Row {
  if (kind === 'day') {
    const spec = loadScenario(path.join(repoRoot, cfg.dayScenario), { sets: cfg.daySets });
    runOne(spec, 0);
    timeDay(spec, cfg.dayReplications, cfg.dayWarmupReplications);
    let s = 0;
    let calls = 0;
    for (let round = 0; round < cfg.dayRounds; round++) {
      const d = timeDay(spec, 0, cfg.dayReplications);
      s += d.s;
      calls += d.calls;
    }
    return { bench: 'apart-day', us_per_call: (s / calls) * 1e6, sim_wall_s: s };
  }
  const params = { ...MMC_DEFAULTS, calls: cfg.mmcCalls };
  for (let i = 0; i < 3; i++) runMmc(params);
  timeMmc(params, cfg.mmcMinS);
  const m = timeMmc(params, cfg.mmcMinS);
  return { bench: 'apart-mmc', us_per_call: (m.s / m.calls) * 1e6, sim_wall_s: m.s };
}

interface CliRun {
  wallS: number;
  status: number | null;
  stderr: string;
}

/** Runs the built CLI as a child process; resolves when it exits, with its wall time. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(process.execPath, args, {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('error', reject);
    p.once('close', (status) => resolve({ wallS: seconds(t0), status, stderr }));
  });
}

function ok(r: CliRun, what: string, statuses: readonly number[] = [0]): CliRun {
  if (r.status === null || !statuses.includes(r.status))
    throw new Error(`${what} failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return r;
}

/**
 * The machine's ceiling for two workers, measured with the software itself on the same work:
 * the 2n replications of one run, split between two independent `run --workers 1` processes
 * with `--shard 1/2` and `--shard 2/2` (what a user would start by hand). One shard alone (time
 * T1), both side by side (T2: the later to end), and one `run --workers 2` process doing all 2n
 * (Tw), the last two in alternating order from one round to the next (`workersTriples` rounds;
 * the median). The ceiling's throughput is 2n/T2, the workers' 2n/Tw: workers2_vs_ceiling =
 * T2 / Tw (1 when a worker thread costs what an independent process costs; above 1 when it
 * costs less). Until session 24 both processes ran replications 0..n-1, work that ends
 * together, while --workers 2 ran 0..2n-1: not the same work.
 */
export async function measureWorkers(cfg: ThroughputConfig): Promise<Row> {
  const base = mkdtempSync(path.join(tmpdir(), 'ccsim-bench-workers-'));
  const n = cfg.workersReplications;
  const runArgs = (workers: number, out: string, shard?: string): string[] => [
    cli,
    'run',
    cfg.dayScenario,
    ...cfg.daySets.flatMap((s) => ['--set', s]),
    '--replications',
    String(2 * n),
    ...(shard === undefined ? [] : ['--shard', shard]),
    '--workers',
    String(workers),
    '--out',
    path.join(base, out),
    '--quiet',
  ];
  try {
    const alone: number[] = [];
    const pair: number[] = [];
    const w2: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < cfg.workersTriples; i++) {
      alone.push(ok(await runCli(runArgs(1, 'alone', '1/2')), 'run --shard 1/2').wallS);
      const sideBySide = async (): Promise<number> => {
        const t0 = process.hrtime.bigint();
        const both = await Promise.all([
          runCli(runArgs(1, 'left', '1/2')),
          runCli(runArgs(1, 'right', '2/2')),
        ]);
        both.forEach((b) => ok(b, 'run --shard (side by side)'));
        return seconds(t0);
      };
      const workers2 = async (): Promise<number> =>
        ok(await runCli(runArgs(2, 'w2')), 'run --workers 2').wallS;
      // Alternating which of the two goes first: a drift of the machine's speed during the
      // measurement (a neighbour's load coming or going) favours neither.
      if (i % 2 === 0) {
        pair.push(await sideBySide());
        w2.push(await workers2());
      } else {
        w2.push(await workers2());
        pair.push(await sideBySide());
      }
      ratios.push(pair[i]! / w2[i]!);
    }
    // The same seed gives the same replications whatever the worker count or the shard.
    const rows = (dir: string) =>
      readFileSync(path.join(base, dir, 'summary.csv'), 'utf8')
        .split('\n')
        .filter(Boolean);
    const whole = new Set(rows('w2'));
    const shardRows = [...rows('left'), ...rows('right').slice(1)];
    if (shardRows.length !== 2 * n + 1 || !shardRows.every((r) => whole.has(r)))
      throw new Error('summary.csv of --workers 2 differs from the two shards of --workers 1');
    const t1 = median(alone);
    const t2 = median(pair);
    return {
      bench: 'workers',
      impl: 'ccsim',
      scenario: cfg.dayScenario,
      replications_per_process: n,
      triples: cfg.workersTriples,
      wall_alone_s: t1,
      wall_side_by_side_s: t2,
      wall_workers2_s: median(w2),
      walls_alone_s: alone.map((x) => x.toFixed(3)).join(' '),
      walls_side_by_side_s: pair.map((x) => x.toFixed(3)).join(' '),
      walls_workers2_s: w2.map((x) => x.toFixed(3)).join(' '),
      // 2.0 on two free, independent cores; what this machine gives two processes.
      ceiling_speedup: (2 * t1) / t2,
      workers2_speedup: (2 * t1) / median(w2),
      workers2_vs_ceiling: median(ratios),
      sim_wall_s: median(w2),
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Peak RSS of a whole CLI process (its worker threads are in it), from a preload's exit hook. */
async function cliPeakRssMb(
  args: readonly string[],
  file: string,
): Promise<{ mb: number; wallS: number }> {
  const r = ok(
    await runCli(['--import', peakRssPreload, ...args], {
      ...process.env,
      CCSIM_BENCH_PEAK_RSS: file,
    }),
    args.slice(1, 3).join(' '),
  );
  return { mb: Number(readFileSync(file, 'utf8')) / 1024, wallS: r.wallS };
}

/** availability-year: one replication (--workers 1), then five on two workers. */
export async function measureYearMemory(cfg: ThroughputConfig): Promise<Row> {
  const base = mkdtempSync(path.join(tmpdir(), 'ccsim-bench-year-'));
  const sets = cfg.yearSets.flatMap((s) => ['--set', s]);
  try {
    const yearRun = (name: string, replications: readonly string[]) =>
      cliPeakRssMb(
        [
          cli,
          'run',
          YEAR_SCENARIO,
          ...sets,
          ...replications,
          '--out',
          path.join(base, name),
          '--quiet',
        ],
        path.join(base, `${name}.rss`),
      );
    const one = await yearRun('one', ['--replications', '1']);
    const five = await yearRun('five', ['--replications', '5', '--workers', '2']);
    // Replications: the same run at two counts; what a replication more costs at the peak.
    const many = cfg.manyReplications;
    const manyRun = (n: number, shard = false) => {
      const name = `many-${n}${shard ? '-shard' : ''}`;
      return cliPeakRssMb(
        [
          cli,
          'run',
          many.scenario,
          ...many.sets.flatMap((s) => ['--set', s]),
          '--replications',
          String(n),
          '--workers',
          '2',
          ...(shard ? ['--shard', '1/1'] : []),
          '--out',
          path.join(base, name),
          '--quiet',
        ],
        path.join(base, `${name}.rss`),
      );
    };
    const lo = await manyRun(many.counts[0]);
    const hi = await manyRun(many.counts[1]);
    // The same as one shard (--shard 1/1: its replications appended to shard-data as they end),
    // and the merge of the larger one (reading them back one at a time).
    const shardLo = await manyRun(many.counts[0], true);
    const shardHi = await manyRun(many.counts[1], true);
    const merged = await cliPeakRssMb(
      [
        cli,
        'merge',
        path.join(base, `many-${many.counts[1]}-shard`),
        '--out',
        path.join(base, 'many-merged'),
        '--quiet',
      ],
      path.join(base, 'many-merged.rss'),
    );
    // The page of that run, built in this process: CPU time (user + system) and size.
    const before = process.cpuUsage();
    const html = writeReportHtml(path.join(base, 'five'));
    const used = process.cpuUsage(before);
    return {
      bench: 'memory',
      impl: 'ccsim',
      scenario: YEAR_SCENARIO,
      year_rss_mb_one_replication: one.mb,
      year_wall_s_one_replication: one.wallS,
      year_rss_mb_five_replications_workers2: five.mb,
      year_wall_s_five_replications_workers2: five.wallS,
      year_report_html_cpu_s: (used.user + used.system) / 1e6,
      year_report_html_mb: statSync(html).size / 1024 / 1024,
      replications_scenario: many.scenario,
      replications_low: many.counts[0],
      replications_high: many.counts[1],
      replications_rss_mb_low: lo.mb,
      replications_rss_mb_high: hi.mb,
      replications_wall_s_low: lo.wallS,
      replications_wall_s_high: hi.wallS,
      rss_kb_per_replication: ((hi.mb - lo.mb) * 1024) / (many.counts[1] - many.counts[0]),
      rss_kb_per_replication_max: RSS_KB_PER_REPLICATION_MAX,
      shard_rss_mb_low: shardLo.mb,
      shard_rss_mb_high: shardHi.mb,
      rss_kb_per_replication_shard:
        ((shardHi.mb - shardLo.mb) * 1024) / (many.counts[1] - many.counts[0]),
      merge_rss_mb_high: merged.mb,
      merge_wall_s_high: merged.wallS,
      sim_wall_s: one.wallS,
      peak_rss_mb: five.mb,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** `ccsim explore` on the process-crash scenario: schedules per second, whole process. */
export async function measureExplore(cfg: ThroughputConfig): Promise<Row> {
  const base = mkdtempSync(path.join(tmpdir(), 'ccsim-bench-explore-'));
  try {
    const out = path.join(base, 'x');
    const args = [
      cli,
      'explore',
      EXPLORE_SCENARIO,
      '--runs',
      String(cfg.exploreRuns),
      '--seed',
      '1',
      '--workers',
      String(EXPLORE_WORKERS),
      '--out',
      out,
      '--quiet',
    ];
    // Exit 1 means a violation was found: still a measurement (its shrinking is part of explore).
    const r = ok(await runCli(args), 'explore', [0, 1]);
    const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as {
      wall_s: number;
      violations: unknown[];
    };
    return {
      bench: 'explore',
      impl: 'ccsim',
      scenario: EXPLORE_SCENARIO,
      runs: cfg.exploreRuns,
      workers: EXPLORE_WORKERS,
      violations: runJson.violations.length,
      process_wall_s: r.wallS,
      sim_wall_s: runJson.wall_s,
      explore_schedules_per_s: cfg.exploreRuns / r.wallS,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Checks that the CLI is built (the measurements run it as a user does). */
export function assertBuilt(): void {
  const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cli} does not run: npm run build first (${r.stderr})`);
}
