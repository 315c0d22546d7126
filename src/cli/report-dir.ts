// Reads an existing report directory back (compare, check): summary.csv rows and run.json.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { readCsvTable } from '../report/csv-read.js';
import { SHARD_FILE } from '../report/shard.js';

export interface ReportDir {
  dir: string;
  rows: Record<string, string>[];
  /** summary.csv's header: SPEC §3 lists its columns "at least", and older versions had fewer. */
  columns: string[];
  run: Record<string, unknown>;
}

/**
 * The columns a summary.csv cannot do without: the run's coordinates. Any other column may be
 * missing (written by another ccsim version): compare and check use the columns both sides have.
 */
export const SUMMARY_COLUMNS_REQUIRED: readonly string[] = [
  'scenario',
  'topology',
  'seed',
  'replication',
];

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** A report directory of `ccsim run` (or a merge of its shards); throws InputError otherwise. */
export function readReportDir(dir: string): ReportDir {
  const fail = (message: string, hint?: string): never => {
    throw new InputError([
      { file: dir, path: '', message, ...(hint !== undefined ? { hint } : {}) },
    ]);
  };
  if (!isDirectory(dir))
    fail('not a directory', 'expected a report directory written by ccsim run');
  if (existsSync(join(dir, SHARD_FILE)))
    fail('a shard of a run, not a whole run', 'join the shards with ccsim merge first');
  const summary = join(dir, 'summary.csv');
  if (!existsSync(summary)) {
    fail(
      'no summary.csv',
      existsSync(join(dir, 'sweep.csv'))
        ? 'a sweep directory: compare and check take ccsim run report directories'
        : 'expected a report directory written by ccsim run',
    );
  }
  const { header, rows } = readCsvTable(readFileSync(summary, 'utf8'));
  const missing = SUMMARY_COLUMNS_REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) fail(`summary.csv lacks column(s) ${missing.join(', ')}`);
  if (rows.length === 0) fail('summary.csv has no rows');
  let run: Record<string, unknown> = {};
  const runPath = join(dir, 'run.json');
  if (existsSync(runPath)) {
    try {
      run = JSON.parse(readFileSync(runPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      fail(`run.json is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { dir, rows, columns: header, run };
}
