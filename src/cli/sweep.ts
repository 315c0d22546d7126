// `ccsim sweep <scenario> --set K=V1,V2,... [--set ...]`: runs every point of the cartesian grid
// with the same seed and replication indices (common random numbers), writes sweep.csv,
// sweep-stats.csv and run.json. Work items are numbered point by point, then by replication;
// with --shard I/N, item k runs in shard (k mod N) + 1 and `ccsim merge` joins the shards.

import chalk from 'chalk';
import { SUMMARY_METRIC_COLUMNS } from '../scenario/columns.js';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { InputError, formatIssue, type InputIssue } from '../scenario/errors.js';
import {
  gridPoints,
  parseSweepAxes,
  pointSets,
  sweptAxes,
  type SweepAxis,
} from '../scenario/sweep.js';
import type { ScenarioSpec } from '../spec/types.js';
import { summarize } from '../sim/stats.js';
import { SHARD_FILE, type ShardItem } from '../report/shard.js';
import { sweepCsv, sweepStatsCsv, type PointRows, type SweepGrid } from '../report/sweep.js';
import type { SummaryRow } from '../report/summary.js';
import { metric as fmtMetric } from '../report/format.js';
import { preflightOut, writeReportDir } from '../report/write.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { inShard, type ShardSpec } from './args.js';
import { EXIT_OK } from './errors.js';
import { runSummaryItems, withRunner } from './pool.js';
import { progressBar } from './progress.js';
import { runJson, shardManifestText } from './run-plan.js';
import { replayCommand } from './run.js';

export interface SweepFlags {
  topology?: string;
  seed?: number;
  replications?: number;
  set: string[];
  workers?: number;
  shard?: ShardSpec;
  out?: string;
  quiet?: boolean;
  /** Print every point's means as JSON on stdout instead of the table. */
  json?: boolean;
}

/** Metrics shown in the sweep's table (means per point); every metric is in the CSVs. */
const SHOWN = [
  'switchover_max_s',
  'service_gap_max_s',
  'calls_dropped',
  'service_level',
  'agent_outage_max_s',
  'icon_lost_all',
] as const;

export function defaultSweepDir(spec: ScenarioSpec): string {
  return join('reports', `${spec.name}--${spec.topology.name}--sweep`);
}

/** Loads the scenario once per point, reporting every problem of every point at once. */
function loadPoints(
  file: string,
  axes: readonly SweepAxis[],
  grid: SweepGrid,
  flags: SweepFlags,
): ScenarioSpec[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  const specs: ScenarioSpec[] = [];
  for (const point of grid.points) {
    try {
      specs.push(
        loadScenario(file, {
          topologyPath: flags.topology,
          sets: pointSets(axes, point),
          seed: flags.seed,
          replications: flags.replications,
        }),
      );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const i of e.issues) {
        const text = formatIssue(i);
        if (!seen.has(text)) issues.push(i);
        seen.add(text);
      }
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return specs;
}

export async function sweepCommand(
  file: string,
  flags: SweepFlags,
  argv: string[],
): Promise<number> {
  const axes = parseSweepAxes(flags.set);
  const grid: SweepGrid = { keys: sweptAxes(axes).map((a) => a.key), points: gridPoints(axes) };
  const specs = loadPoints(file, axes, grid, flags);
  const base = specs[0]!;
  const dir = flags.out ?? defaultSweepDir(base);
  preflightOut(dir);

  const items: ShardItem[] = [];
  specs.forEach((spec, point) => {
    for (let r = 0; r < spec.replications; r++)
      items.push({ item: items.length, point, replication: r });
  });
  const mine = items.filter((it) => inShard(it.item, flags.shard));
  const replay = (spec: ScenarioSpec, r: number): string => replayCommand(spec, r, flags.topology);

  const t0 = process.hrtime.bigint();
  const progress = progressBar('sweep', mine.length, flags);
  let done;
  try {
    done = await withRunner(flags.workers ?? 1, (runner) =>
      runSummaryItems(
        runner,
        mine.map((it) => ({ spec: specs[it.point]!, replication: it.replication })),
        replay,
        progress,
      ),
    );
  } finally {
    progress.stop();
  }
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  // A signal that came during the run is handled here, before anything is written.
  await yieldToLoop();

  const byPoint: PointRows[] = specs.map((_, point) => ({ point, rows: [] as SummaryRow[] }));
  mine.forEach((it, i) => byPoint[it.point]!.rows.push(done[i]!.value));
  const files = new Map<string, string>([['sweep.csv', sweepCsv(grid, byPoint)]]);
  const extra: Record<string, unknown> = {
    sets: flags.set,
    sweep: { keys: grid.keys, points: grid.points.length, items: items.length },
    workers: flags.workers ?? 1,
  };
  if (flags.shard !== undefined) {
    extra.shard = { index: flags.shard.index, count: flags.shard.count };
    files.set(
      SHARD_FILE,
      shardManifestText(
        flags.shard,
        base,
        { command: 'sweep', sets: flags.set, items, grid },
        mine.map((it, i) => ({ item: it.item, row: done[i]!.value })),
      ),
    );
  } else {
    files.set('sweep-stats.csv', sweepStatsCsv(grid, byPoint));
  }
  const rows = done.map((d) => d.value);
  const timing = {
    wallS,
    replicationWallS: done.reduce((n, d) => n + d.wallS, 0),
    events: rows.reduce((n, r) => n + Number(r.events), 0),
    simS: rows.reduce((n, r) => n + Number(r.sim_s), 0),
  };
  files.set('run.json', runJson(base, argv, timing, extra));
  writeReportDir(dir, files);
  if (flags.json)
    process.stdout.write(`${JSON.stringify(sweepJson(base, grid, byPoint, dir), null, 2)}\n`);
  else if (!flags.quiet) process.stdout.write(sweepTable(base, grid, byPoint, dir, flags.shard));
  return EXIT_OK;
}

/** --json: per point its swept values, replications and the mean of every summary metric. */
export function sweepJson(
  base: Pick<ScenarioSpec, 'name' | 'seed'> & { topology: Pick<ScenarioSpec['topology'], 'name'> },
  grid: SweepGrid,
  byPoint: readonly PointRows[],
  dir: string,
): Record<string, unknown> {
  const metrics = SUMMARY_METRIC_COLUMNS.filter((c) => c !== 'seed' && c !== 'replication');
  return {
    scenario: base.name,
    topology: base.topology.name,
    seed: base.seed,
    dir,
    keys: grid.keys,
    points: byPoint
      .filter((p) => p.rows.length > 0)
      .map((p) => ({
        values: Object.fromEntries(grid.keys.map((k, i) => [k, grid.points[p.point]![i]])),
        replications: p.rows.length,
        mean: Object.fromEntries(
          metrics.map((m) => [m, summarize(p.rows.map((r) => Number(r[m]))).mean]),
        ),
      })),
  };
}

function sweepTable(
  base: ScenarioSpec,
  grid: SweepGrid,
  byPoint: readonly PointRows[],
  dir: string,
  shard: ShardSpec | undefined,
): string {
  const head = [...grid.keys, 'n', ...SHOWN.map((m) => `mean ${m}`)];
  const body = byPoint
    .filter((p) => p.rows.length > 0)
    .map((p) => [
      ...grid.points[p.point]!,
      String(p.rows.length),
      ...SHOWN.map((m) => fmtMetric(m, summarize(p.rows.map((r) => Number(r[m]))).mean)),
    ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    `  ${cells.map((c, i) => (i < grid.keys.length ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  const title = `${base.name} on ${base.topology.name}: sweep of ${grid.points.length} point(s)`;
  const out = [
    chalk.bold(title) +
      chalk.dim(`  seed ${base.seed}${shard ? `, shard ${shard.index}/${shard.count}` : ''}`),
    chalk.dim(line(head)),
    ...body.map(line),
  ];
  out.push(
    chalk.dim(`  report: ${dir}${shard ? ' (a shard: join the shards with ccsim merge)' : ''}`),
  );
  return `${out.join('\n')}\n`;
}
