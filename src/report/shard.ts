// shard.json: what a `--shard I/N` run writes beside its partial CSVs so that `ccsim merge` can
// check the shards belong together and rebuild outputs byte-identical to the unsharded run
// (summary rows at full precision: statistics are computed from them, not from rounded CSV).

import { SUMMARY_COLUMNS, SUMMARY_TEXT_COLUMNS } from '../scenario/columns.js';
import type { SummaryRow } from './summary.js';

export const SHARD_FILE = 'shard.json';
export const SHARD_FORMAT = 'ccsim-shard/1';

/** One work item of the whole run: items are numbered 0.. in the run's deterministic order. */
export interface ShardItem {
  item: number;
  /** Sweep point (0 for `run`). */
  point: number;
  replication: number;
}

/** What must be equal in every shard of one run. */
export interface ShardIdentity {
  version: string;
  command: 'run' | 'sweep';
  scenario: { name: string; file: string; digest: string };
  topology: { name: string; file: string; digest: string };
  seed: number;
  /** `run`: the --set arguments; `sweep`: the swept --set lists as given. */
  sets: string[];
  /** Every item of this report directory in the unsharded run, in output order. */
  items: ShardItem[];
  /** `sweep` only. */
  grid?: { keys: string[]; points: string[][] };
  count: number;
}

export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  /** 1-based, as in --shard I/N. */
  index: number;
  identity: ShardIdentity;
  /** The items this shard ran, with their summary rows (SUMMARY_COLUMNS order, exact decimals). */
  done: { item: number; row: string[] }[];
}

/** A summary row as exact text: String(number) reads back to the same double. */
export function encodeRow(row: SummaryRow): string[] {
  return SUMMARY_COLUMNS.map((c) => String(row[c]));
}

export function decodeRow(cells: readonly string[]): SummaryRow {
  const row = {} as SummaryRow;
  SUMMARY_COLUMNS.forEach((c, i) => {
    const v = cells[i] ?? '';
    row[c] = SUMMARY_TEXT_COLUMNS.has(c) ? v : Number(v);
  });
  return row;
}

export function shardJson(m: ShardManifest): string {
  return `${JSON.stringify(m, null, 1)}\n`;
}
