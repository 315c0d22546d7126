// What a `--shard I/N` run writes so that `ccsim merge` can check the shards belong together and
// rebuild outputs byte-identical to the unsharded run: shard.json (the run's identity, the items
// done and their summary rows at full precision — statistics are computed from them, not from
// rounded CSV) and, for `run`, shard-data.v8.gz: the scenario and every replication rendered
// (render.ts: the same structured-clone data that crosses the worker boundary), from which merge
// puts every report file together with the code an unsharded run uses.

import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SUMMARY_COLUMNS, SUMMARY_TEXT_COLUMNS } from '../scenario/columns.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { RenderedReplication } from './render.js';
import type { SummaryRow } from './summary.js';

export const SHARD_FILE = 'shard.json';
export const SHARD_DATA_FILE = 'shard-data.v8.gz';
export const SHARD_FORMAT = 'ccsim-shard/2';

/** A run shard's replications rendered, in item order. */
export interface ShardData {
  spec: ScenarioSpec;
  items: number[];
  reps: RenderedReplication[];
}

export function encodeShardData(data: ShardData): Uint8Array {
  return gzipSync(serialize(data));
}

/** Largest shard-data a merge decompresses, bytes: a forged file (a gzip bomb) stops here. */
export const SHARD_DATA_BYTES_MAX = 1024 * 1024 * 1024;

/** ccsim's shard data (rendered replications) compresses 5–8:1; a file that claims far more is refused early. */
export const SHARD_DATA_RATIO_MAX = 64;
/** Shard data may always decompress to this much, whatever the ratio, bytes. */
export const SHARD_DATA_BYTES_FLOOR = 64 * 1024 * 1024;

/** The most `compressed` bytes of shard data may decompress to. */
export function shardDataLimit(compressed: number): number {
  return Math.min(
    SHARD_DATA_BYTES_MAX,
    Math.max(SHARD_DATA_BYTES_FLOOR, SHARD_DATA_RATIO_MAX * compressed),
  );
}

export class ShardDataError extends Error {
  override name = 'ShardDataError';
}

/** Decodes shard-data; throws ShardDataError past SHARD_DATA_BYTES_MAX or when it is not gzip/V8 data. */
export function decodeShardData(
  bytes: Uint8Array,
  maxBytes = shardDataLimit(bytes.length),
): ShardData {
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ShardDataError(
        `decompresses to more than ${maxBytes} bytes (shard data is bounded at ${SHARD_DATA_RATIO_MAX} times its compressed size, at least ${SHARD_DATA_BYTES_FLOOR}, at most ${SHARD_DATA_BYTES_MAX} bytes)`,
      );
    }
    throw new ShardDataError(`not gzip data: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return deserialize(raw) as ShardData;
  } catch (e) {
    throw new ShardDataError(`not shard data: ${e instanceof Error ? e.message : String(e)}`);
  }
}

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
