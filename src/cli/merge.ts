// `ccsim merge <dir...> --out DIR`: joins the report directories of the shards of one run or
// sweep (`--shard I/N`) into the directory the unsharded run would have written; every CSV is
// byte-identical to it; a run's `expect:` lines are judged over the merged replications and
// printed as `run` does (exit 1 if one fails). Refuses (exit 2) shards of different scenarios,
// topologies, seeds, --set values or versions, and missing or duplicate shards or work items.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { z } from 'zod';
import { join } from 'node:path';
import { InputError, IssueSink, describeValue, type InputIssue } from '../scenario/errors.js';
import { parseWith } from '../scenario/schema.js';
import { SUMMARY_COLUMNS } from '../scenario/columns.js';
import { SHARD_COUNT_MAX } from './args.js';
import { ReportAssembler } from '../report/render.js';
import {
  SHARD_DATA_FILE,
  SHARD_FILE,
  SHARD_FORMAT,
  ShardDataError,
  ShardDataReader,
  decodeRow,
  type ShardIdentity,
  type ShardManifest,
} from '../report/shard.js';
import type { SummaryRow } from '../report/summary.js';
import { sweepCsv, sweepStatsCsv, type PointRows } from '../report/sweep.js';
import { OutputError, preflightOut, StagedReportDir } from '../report/write.js';
import type { ScenarioSpec } from '../spec/types.js';
import { EXIT_OK } from './errors.js';
import { judgeRun, replayCommand, reportJudged } from './run.js';
import { sweepJson } from './sweep.js';

interface Shard {
  dir: string;
  manifest: ShardManifest;
  runJson: Record<string, unknown>;
}

function readShard(dir: string, issues: InputIssue[]): Shard | undefined {
  const path = join(dir, SHARD_FILE);
  if (!existsSync(path)) {
    issues.push({
      file: dir,
      path: '',
      message: `not a shard directory: no ${SHARD_FILE}`,
      hint: 'merge joins the outputs of ccsim run/sweep --shard I/N',
    });
    return undefined;
  }
  try {
    if (statSync(path).size > SHARD_JSON_BYTES_MAX) {
      issues.push({
        file: path,
        path: '',
        message: 'too large for a shard manifest',
        expected: `at most ${SHARD_JSON_BYTES_MAX} bytes`,
      });
      return undefined;
    }
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const format = (raw as { format?: unknown } | null)?.format;
    if (format !== SHARD_FORMAT) {
      issues.push({
        file: path,
        path: 'format',
        message: 'unknown shard format',
        expected: SHARD_FORMAT,
        found: describeValue(format),
      });
      return undefined;
    }
    const sink = new IssueSink(path);
    const manifest = parseWith(ShardManifestSchema, raw, [], sink) as ShardManifest | undefined;
    if (manifest !== undefined) checkManifest(manifest, sink);
    if (manifest === undefined || sink.count > 0) {
      for (const i of sink.issues) issues.push(i);
      return undefined;
    }
    const runPath = join(dir, 'run.json');
    const run = existsSync(runPath) ? (JSON.parse(readFileSync(runPath, 'utf8')) as unknown) : {};
    const runJson =
      typeof run === 'object' && run !== null && !Array.isArray(run)
        ? (run as Record<string, unknown>)
        : {};
    return { dir, manifest, runJson };
  } catch (e) {
    issues.push({
      file: path,
      path: '',
      message: `unreadable: ${e instanceof Error ? e.message : String(e)}`,
    });
    return undefined;
  }
}

/** Most work items one merged run may hold (a bound on what a manifest can claim). */
const ITEMS_MAX = 10_000_000;
/** Largest shard.json read, bytes. */
export const SHARD_JSON_BYTES_MAX = 512 * 1024 * 1024;

const count = z.number().int().min(0);
const textList = z.array(z.string());
const fileIdentity = z.object({ name: z.string(), file: z.string(), digest: z.string() });

/** What shard.json must hold (written by ccsim run/sweep --shard; anything else is refused). */
const ShardManifestSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  index: count.min(1).max(SHARD_COUNT_MAX),
  identity: z.object({
    version: z.string(),
    command: z.enum(['run', 'sweep']),
    scenario: fileIdentity,
    topology: fileIdentity,
    seed: count,
    sets: textList,
    items: z.array(z.object({ item: count, point: count, replication: count })).max(ITEMS_MAX),
    grid: z.object({ keys: textList, points: z.array(textList) }).optional(),
    count: count.min(1).max(SHARD_COUNT_MAX),
  }),
  done: z
    .array(z.object({ item: count, row: textList.length(SUMMARY_COLUMNS.length) }))
    .max(ITEMS_MAX),
});

/** What the schema cannot say: the index within the count, items that exist, a sweep's grid. */
function checkManifest(m: ShardManifest, sink: IssueSink): void {
  const id = m.identity;
  if (m.index > id.count)
    sink.add(['index'], `shard ${m.index} of ${id.count}`, { expected: `1 to ${id.count}` });
  if (id.command === 'sweep' && id.grid === undefined)
    sink.add(['identity', 'grid'], 'a sweep shard without its grid');
  const points = id.grid?.points.length ?? 1;
  const known = new Set<number>();
  id.items.forEach((it, i) => {
    if (it.point >= points)
      sink.add(['identity', 'items', i, 'point'], `point ${it.point} is not in the grid`, {
        expected: `0 to ${points - 1}`,
      });
    known.add(it.item);
  });
  m.done.forEach((d, i) => {
    if (!known.has(d.item))
      sink.add(['done', i, 'item'], `work item ${d.item} is not one of the run's items`);
  });
}

/** The first field in which two identities differ, as `path: a vs b`. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort()) {
      const d = firstDifference(ao[k], bo[k], path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  const show = (v: unknown): string => {
    const s = JSON.stringify(v) ?? 'nothing';
    return s.length > 60 ? `${s.slice(0, 60)}…` : s;
  };
  return `${path || '(all)'}: ${show(a)} vs ${show(b)}`;
}

/** Checks the shards belong to one run and cover every item once; throws InputError. */
function checkShards(shards: readonly Shard[]): ShardIdentity {
  const issues: InputIssue[] = [];
  const first = shards[0]!;
  const id = first.manifest.identity;
  for (const s of shards.slice(1)) {
    const d = firstDifference(id, s.manifest.identity, '');
    if (d !== undefined)
      issues.push({
        file: s.dir,
        path: '',
        message: `not a shard of the same run as ${first.dir}: ${d}`,
      });
  }
  if (issues.length > 0) throw new InputError(issues);
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const i = s.manifest.index;
    const other = byIndex.get(i);
    if (other !== undefined)
      issues.push({
        file: s.dir,
        path: '',
        message: `shard ${i}/${id.count} given twice (also ${other})`,
      });
    byIndex.set(i, s.dir);
  }
  for (let i = 1; i <= id.count; i++) {
    if (!byIndex.has(i))
      issues.push({
        file: '--shard',
        path: '',
        message: `missing shard ${i}/${id.count}`,
        hint: `run it with --shard ${i}/${id.count} and pass its directory`,
      });
  }
  const doneBy = new Map<number, string>();
  for (const s of shards) {
    for (const d of s.manifest.done) {
      const other = doneBy.get(d.item);
      if (other !== undefined && other !== s.dir)
        issues.push({ file: s.dir, path: '', message: `work item ${d.item} also in ${other}` });
      doneBy.set(d.item, s.dir);
    }
  }
  const missing = id.items.filter((it) => !doneBy.has(it.item));
  if (missing.length > 0 && byIndex.size === id.count) {
    issues.push({
      file: '--shard',
      path: '',
      message: `${missing.length} work item(s) missing, first ${missing[0]!.item} (point ${missing[0]!.point}, replication ${missing[0]!.replication})`,
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return id;
}

/** A run shard's data opened, its scenario read and checked against shard.json; or an issue. */
function openShardData(s: Shard, issues: InputIssue[]): ShardDataReader | undefined {
  const path = join(s.dir, SHARD_DATA_FILE);
  if (!existsSync(path)) {
    issues.push({ file: s.dir, path: '', message: `${SHARD_DATA_FILE} is missing` });
    return undefined;
  }
  let reader: ShardDataReader;
  try {
    reader = new ShardDataReader(path);
  } catch (e) {
    issues.push({ file: path, path: '', message: unreadable(e) });
    return undefined;
  }
  const spec = reader.spec;
  if (
    spec.digest !== s.manifest.identity.scenario.digest ||
    spec.topology?.digest !== s.manifest.identity.topology.digest
  ) {
    reader.close();
    issues.push({
      file: path,
      path: '',
      message: `holds another scenario or topology than ${SHARD_FILE} names (digests differ)`,
    });
    return undefined;
  }
  return reader;
}

const unreadable = (e: unknown): string =>
  e instanceof ShardDataError
    ? e.message
    : `unreadable: ${e instanceof Error ? e.message : String(e)}`;

export interface MergeFlags {
  out: string;
  quiet?: boolean;
  /** Print the outcome as `run --json` (a sweep: as `sweep --json`) does. */
  json?: boolean;
}

export async function mergeCommand(
  dirs: string[],
  flags: MergeFlags,
  argv: string[],
): Promise<number> {
  preflightOut(flags.out);
  const issues: InputIssue[] = [];
  const shards = dirs.flatMap((d) => readShard(d, issues) ?? []);
  if (issues.length > 0) throw new InputError(issues);
  const id = checkShards(shards);
  const rows = new Map<number, SummaryRow>();
  for (const s of shards) for (const d of s.manifest.done) rows.set(d.item, decodeRow(d.row));
  const ordered = id.items.map((it) => rows.get(it.item)!);

  const files = new Map<string, string>();
  let spec: ScenarioSpec | undefined;
  let byPoint: PointRows[] = [];
  // Written as it is put together into a directory staged beside --out, as `run` writes.
  const staged = new StagedReportDir(flags.out);
  try {
    if (id.command === 'sweep') {
      const grid = id.grid!;
      byPoint = grid.points.map((_, point) => ({ point, rows: [] }));
      id.items.forEach((it, i) => byPoint[it.point]!.rows.push(ordered[i]!));
      files.set('sweep.csv', sweepCsv(grid, byPoint));
      files.set('sweep-stats.csv', sweepStatsCsv(grid, byPoint));
    } else {
      const merged = mergeRunShards(shards, id, staged, issues);
      spec = merged.spec;
      for (const [name, text] of merged.files) files.set(name, text);
    }
    files.set('run.json', mergedRunJson(shards, id, ordered, argv));
    // A signal that came while reading and building is handled here, before anything is renamed.
    await yieldToLoop();
    staged.commit(files);
  } finally {
    staged.abandon();
  }
  const said = `merged ${shards.length} shard(s) of ${id.scenario.name} on ${id.topology.name} (${id.items.length} work items) into ${flags.out}\n`;
  if (spec === undefined) {
    // A sweep judges no expect: lines (nor does the unsharded sweep).
    if (flags.json) {
      const base = { name: id.scenario.name, topology: { name: id.topology.name }, seed: id.seed };
      process.stdout.write(
        `${JSON.stringify(sweepJson(base, id.grid!, byPoint, flags.out), null, 2)}\n`,
      );
    } else if (!flags.quiet) process.stdout.write(said);
    return EXIT_OK;
  }
  // The scenario's expect: lines, judged over the merged replications as the unsharded run does.
  const runSpec = spec;
  const first = shards.find((s) => s.manifest.index === 1)!.runJson;
  const topologyFlag = typeof first.topology_flag === 'string' ? first.topology_flag : undefined;
  const judged = {
    spec: runSpec,
    dir: flags.out,
    rows: ordered,
    outcomes: judgeRun(runSpec, ordered, (r) => replayCommand(runSpec, r, topologyFlag)),
  };
  return reportJudged([judged], flags, () => said);
}

/**
 * A run's shards: every report file put together by the code an unsharded run uses, from the
 * replications rendered, appended to `staged` in item order; returns the files computed across
 * them (summary, stats, criticality) and the scenario the shards ran.
 */
function mergeRunShards(
  shards: readonly Shard[],
  id: ShardIdentity,
  staged: StagedReportDir,
  issues: InputIssue[],
): { files: Map<string, string>; spec: ScenarioSpec } {
  // Each shard's replications are read one frame at a time, in item order, as the merged run
  // takes them: the merge holds one replication's records, however many the shards hold.
  const readers = new Map<Shard, ShardDataReader>();
  try {
    for (const s of [...shards].sort((a, b) => a.manifest.index - b.manifest.index)) {
      if (s.manifest.done.length === 0) continue;
      const reader = openShardData(s, issues);
      if (reader !== undefined) readers.set(s, reader);
    }
    const first = readers.values().next().value;
    if (issues.length > 0 || first === undefined) throw new InputError(issues);
    const shardOf = new Map<number, Shard>();
    for (const s of shards) for (const d of s.manifest.done) shardOf.set(d.item, s);
    // The scenario is the same in every shard: checkShards compared digests, seed and sets.
    const asm = new ReportAssembler(first.spec, staged);
    const dataFile = (s: Shard): string => join(s.dir, SHARD_DATA_FILE);
    const bad = (s: Shard, message: string): InputError =>
      new InputError([{ file: dataFile(s), path: '', message }]);
    for (const it of id.items) {
      const s = shardOf.get(it.item)!;
      let next: ReturnType<ShardDataReader['next']>;
      try {
        next = readers.get(s)!.next();
      } catch (e) {
        throw bad(s, unreadable(e));
      }
      if (next === undefined || next.item !== it.item)
        throw bad(
          s,
          `holds ${next === undefined ? 'no more replications' : `work item ${next.item}`} where ${SHARD_FILE} lists work item ${it.item} next`,
        );
      try {
        asm.add(next.rep);
      } catch (e) {
        // Shard data that decodes but is not what ccsim wrote (a forged or damaged file).
        if (e instanceof OutputError || e instanceof InputError) throw e;
        throw bad(
          s,
          `does not hold replications rendered by ccsim (${e instanceof Error ? e.message : String(e)})`,
        );
      }
    }
    for (const [s, reader] of readers) {
      let extra: ReturnType<ShardDataReader['next']>;
      try {
        extra = reader.next();
      } catch (e) {
        throw bad(s, unreadable(e));
      }
      if (extra !== undefined)
        throw bad(s, `holds work item ${extra.item}, which ${SHARD_FILE} does not list`);
    }
    return { files: asm.finish(), spec: first.spec };
  } finally {
    for (const reader of readers.values()) reader.close();
  }
}

/** run.json of the merged directory: the first shard's, with the shards' sums and the merge's command. */
function mergedRunJson(
  shards: readonly Shard[],
  id: ShardIdentity,
  ordered: readonly SummaryRow[],
  argv: string[],
): string {
  const sum = (k: string): number =>
    shards.reduce(
      (n, s) => n + (typeof s.runJson[k] === 'number' ? (s.runJson[k] as number) : 0),
      0,
    );
  const run: Record<string, unknown> = { ...shards.find((s) => s.manifest.index === 1)!.runJson };
  delete run.shard;
  const replicationWallS = sum('replication_wall_s');
  const events = sum('events');
  const simS = ordered.reduce((n, r) => n + Number(r.sim_s), 0);
  Object.assign(run, {
    command: ['ccsim', ...argv],
    merged_from: shards.map((s) => ({
      dir: s.dir,
      shard: `${s.manifest.index}/${id.count}`,
      command: s.runJson.command ?? null,
    })),
    replications: id.command === 'run' ? id.items.length : run.replications,
    ...(id.command === 'run' ? { replication_indices: id.items.map((it) => it.replication) } : {}),
    wall_s: shards.reduce(
      (m, s) => Math.max(m, typeof s.runJson.wall_s === 'number' ? s.runJson.wall_s : 0),
      0,
    ),
    replication_wall_s: replicationWallS,
    events,
    events_per_s: replicationWallS > 0 ? events / replicationWallS : null,
    sim_s_per_wall_s: replicationWallS > 0 ? simS / replicationWallS : null,
  });
  return `${JSON.stringify(run, null, 2)}\n`;
}
