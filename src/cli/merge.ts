// `ccsim merge <dir...> --out DIR`: joins the report directories of the shards of one run or
// sweep (`--shard I/N`) into the directory the unsharded run would have written; every CSV is
// byte-identical to it. Refuses (exit 2) shards of different scenarios, topologies, seeds,
// --set values or versions, and missing or duplicate shards or work items.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type InputIssue } from '../scenario/errors.js';
import { readCsvRecords } from '../report/csv-read.js';
import { statsCsv } from '../report/files.js';
import { SHARD_FILE, SHARD_FORMAT, decodeRow, type ShardIdentity, type ShardManifest } from '../report/shard.js';
import type { SummaryRow } from '../report/summary.js';
import { sweepCsv, sweepStatsCsv, type PointRows } from '../report/sweep.js';
import { removeStaleTemps, writeReportDir } from '../report/write.js';
import { EXIT_OK } from './errors.js';

interface Shard {
  dir: string;
  manifest: ShardManifest;
  runJson: Record<string, unknown>;
}

function readShard(dir: string, issues: InputIssue[]): Shard | undefined {
  const path = join(dir, SHARD_FILE);
  if (!existsSync(path)) {
    issues.push({ file: dir, path: '', message: `not a shard directory: no ${SHARD_FILE}`, hint: 'merge joins the outputs of ccsim run/sweep --shard I/N' });
    return undefined;
  }
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as ShardManifest;
    if (manifest.format !== SHARD_FORMAT) {
      issues.push({ file: path, path: 'format', message: 'unknown shard format', expected: SHARD_FORMAT, found: JSON.stringify(manifest.format) });
      return undefined;
    }
    const runPath = join(dir, 'run.json');
    const runJson = existsSync(runPath) ? (JSON.parse(readFileSync(runPath, 'utf8')) as Record<string, unknown>) : {};
    return { dir, manifest, runJson };
  } catch (e) {
    issues.push({ file: path, path: '', message: `unreadable: ${e instanceof Error ? e.message : String(e)}` });
    return undefined;
  }
}

/** The first field in which two identities differ, as `path: a vs b`. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
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
    if (d !== undefined) issues.push({ file: s.dir, path: '', message: `not a shard of the same run as ${first.dir}: ${d}` });
  }
  if (issues.length > 0) throw new InputError(issues);
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const i = s.manifest.index;
    const other = byIndex.get(i);
    if (other !== undefined) issues.push({ file: s.dir, path: '', message: `shard ${i}/${id.count} given twice (also ${other})` });
    byIndex.set(i, s.dir);
  }
  for (let i = 1; i <= id.count; i++) {
    if (!byIndex.has(i)) issues.push({ file: '--shard', path: '', message: `missing shard ${i}/${id.count}`, hint: `run it with --shard ${i}/${id.count} and pass its directory` });
  }
  const doneBy = new Map<number, string>();
  for (const s of shards) {
    for (const d of s.manifest.done) {
      const other = doneBy.get(d.item);
      if (other !== undefined && other !== s.dir) issues.push({ file: s.dir, path: '', message: `work item ${d.item} also in ${other}` });
      doneBy.set(d.item, s.dir);
    }
  }
  const missing = id.items.filter((it) => !doneBy.has(it.item));
  if (missing.length > 0 && byIndex.size === id.count) {
    issues.push({ file: '--shard', path: '', message: `${missing.length} work item(s) missing, first ${missing[0]!.item} (point ${missing[0]!.point}, replication ${missing[0]!.replication})` });
  }
  if (issues.length > 0) throw new InputError(issues);
  return id;
}

/**
 * Joins a per-replication CSV: the header once, then the records of each replication in the
 * run's order (each replication's records come from the one shard that ran it, as written).
 */
function mergeCsv(name: string, shards: readonly Shard[], order: readonly number[], issues: InputIssue[]): string | undefined {
  let header: string | undefined;
  let col = -1;
  const byRep = new Map<number, string[]>();
  for (const s of shards) {
    if (s.manifest.done.length === 0) continue;
    const path = join(s.dir, name);
    if (!existsSync(path)) {
      issues.push({ file: s.dir, path: '', message: `${name} is missing` });
      continue;
    }
    const [head, ...records] = readCsvRecords(readFileSync(path, 'utf8'));
    if (head === undefined) continue;
    if (header === undefined) {
      header = head.raw;
      col = head.fields.indexOf('replication');
      if (col < 0) {
        issues.push({ file: path, path: '', message: 'no replication column: cannot be merged' });
        return undefined;
      }
    } else if (header !== head.raw) {
      issues.push({ file: path, path: '', message: `header differs from the other shards' ${name}` });
      return undefined;
    }
    for (const r of records) {
      const rep = Number(r.fields[col]);
      const list = byRep.get(rep) ?? [];
      list.push(r.raw);
      byRep.set(rep, list);
    }
  }
  if (header === undefined) return undefined;
  const lines = [header];
  for (const rep of order) lines.push(...(byRep.get(rep) ?? []));
  return `${lines.join('\n')}\n`;
}

export interface MergeFlags {
  out: string;
  quiet?: boolean;
}

export function mergeCommand(dirs: string[], flags: MergeFlags, argv: string[]): number {
  const issues: InputIssue[] = [];
  const shards = dirs.flatMap((d) => readShard(d, issues) ?? []);
  if (issues.length > 0) throw new InputError(issues);
  const id = checkShards(shards);
  const rows = new Map<number, SummaryRow>();
  for (const s of shards) for (const d of s.manifest.done) rows.set(d.item, decodeRow(d.row));
  const ordered = id.items.map((it) => rows.get(it.item)!);

  const files = new Map<string, string>();
  if (id.command === 'sweep') {
    const grid = id.grid!;
    const byPoint: PointRows[] = grid.points.map((_, point) => ({ point, rows: [] }));
    id.items.forEach((it, i) => byPoint[it.point]!.rows.push(ordered[i]!));
    files.set('sweep.csv', sweepCsv(grid, byPoint));
    files.set('sweep-stats.csv', sweepStatsCsv(grid, byPoint));
  } else {
    const names = new Set<string>();
    for (const s of shards) {
      if (s.manifest.done.length === 0) continue;
      for (const f of readdirSync(s.dir)) if (f.endsWith('.csv') && f !== 'stats.csv') names.add(f);
    }
    const order = id.items.map((it) => it.replication);
    for (const name of [...names].sort()) {
      const text = mergeCsv(name, shards, order, issues);
      if (text !== undefined) files.set(name, text);
    }
    if (issues.length > 0) throw new InputError(issues);
    files.set('stats.csv', statsCsv(ordered));
  }
  const sum = (k: string): number => shards.reduce((n, s) => n + (typeof s.runJson[k] === 'number' ? (s.runJson[k] as number) : 0), 0);
  const run: Record<string, unknown> = { ...shards.find((s) => s.manifest.index === 1)!.runJson };
  delete run.shard;
  const replicationWallS = sum('replication_wall_s');
  const events = sum('events');
  const simS = ordered.reduce((n, r) => n + Number(r.sim_s), 0);
  Object.assign(run, {
    command: ['ccsim', ...argv],
    merged_from: shards.map((s) => ({ dir: s.dir, shard: `${s.manifest.index}/${id.count}`, command: s.runJson.command ?? null })),
    replications: id.command === 'run' ? id.items.length : run.replications,
    ...(id.command === 'run' ? { replication_indices: id.items.map((it) => it.replication) } : {}),
    wall_s: shards.reduce((m, s) => Math.max(m, typeof s.runJson.wall_s === 'number' ? s.runJson.wall_s : 0), 0),
    replication_wall_s: replicationWallS,
    events,
    events_per_s: replicationWallS > 0 ? events / replicationWallS : null,
    sim_s_per_wall_s: replicationWallS > 0 ? simS / replicationWallS : null,
  });
  files.set('run.json', `${JSON.stringify(run, null, 2)}\n`);
  removeStaleTemps(flags.out);
  writeReportDir(flags.out, files);
  if (!flags.quiet) {
    process.stdout.write(`merged ${shards.length} shard(s) of ${id.scenario.name} on ${id.topology.name} (${id.items.length} work items) into ${flags.out}\n`);
  }
  return EXIT_OK;
}
