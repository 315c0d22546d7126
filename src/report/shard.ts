// What a `--shard I/N` run writes so that `ccsim merge` can check the shards belong together and
// rebuild outputs byte-identical to the unsharded run: shard.json (the run's identity, the items
// done and their summary rows at full precision — statistics are computed from them, not from
// rounded CSV) and, for `run`, shard-data.bin: the scenario, then every replication rendered
// (render.ts: the same structured-clone data that crosses the worker boundary), each in a frame
// of its own, from which merge puts every report file together with the code an unsharded run
// uses. A frame is appended as its replication ends and read back one at a time, so that neither
// the shard's run nor the merge holds more than a replication's records, however many there are.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SUMMARY_COLUMNS, SUMMARY_TEXT_COLUMNS } from '../scenario/columns.js';
import type { ScenarioSpec } from '../spec/types.js';
import { isRenderedReplication, type RenderedReplication } from './render.js';
import type { SummaryRow } from './summary.js';

export const SHARD_FILE = 'shard.json';
export const SHARD_DATA_FILE = 'shard-data.bin';
export const SHARD_FORMAT = 'ccsim-shard/3';

/**
 * shard-data.bin: these bytes, then frames, each a 4-byte big-endian length and that many bytes
 * of gzip of V8-serialised data: first the scenario ({ spec }), then one frame per replication
 * ({ item, rep }) in item order.
 */
const SHARD_DATA_MAGIC = Buffer.from('ccsim-shard-data/3\n', 'latin1');
const FRAME_HEADER_BYTES = 4;

/** One framed value of shard-data. */
function frame(value: unknown): Uint8Array {
  const z = gzipSync(serialize(value));
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + z.length);
  out.writeUInt32BE(z.length, 0);
  z.copy(out, FRAME_HEADER_BYTES);
  return out;
}

/** The start of a shard's shard-data: the format's bytes and the scenario's frame. */
export function shardDataStart(spec: ScenarioSpec): Uint8Array {
  return Buffer.concat([SHARD_DATA_MAGIC, frame({ spec })]);
}

/** The frame of work item `item`'s replication, appended to shard-data as it ends. */
export function shardDataFrame(item: number, rep: RenderedReplication): Uint8Array {
  return frame({ item, rep });
}

/** Largest frame of shard data a merge decompresses, bytes: a forged file (a gzip bomb) stops here. */
export const SHARD_DATA_BYTES_MAX = 1024 * 1024 * 1024;

/** ccsim's shard data (rendered replications) compresses 5–8:1; a frame that claims far more is refused early. */
export const SHARD_DATA_RATIO_MAX = 64;
/** A frame of shard data may always decompress to this much, whatever the ratio, bytes. */
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

/** Decodes one frame's bytes; throws ShardDataError past its limit or when it is not gzip/V8 data. */
export function decodeFrame(bytes: Uint8Array, maxBytes = shardDataLimit(bytes.length)): unknown {
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ShardDataError(
        `decompresses to more than ${maxBytes} bytes (a frame of shard data is bounded at ${SHARD_DATA_RATIO_MAX} times its compressed size, at least ${SHARD_DATA_BYTES_FLOOR}, at most ${SHARD_DATA_BYTES_MAX} bytes)`,
      );
    }
    throw new ShardDataError(`not gzip data: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return deserialize(raw) as unknown;
  } catch (e) {
    throw new ShardDataError(`not shard data: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Reads a shard-data file frame by frame (the scenario first: `spec`; then `next`), holding one
 * frame at a time. Throws ShardDataError on anything ccsim did not write; `close` when done.
 */
export class ShardDataReader {
  readonly spec: ScenarioSpec;
  private readonly fd: number;
  private readonly size: number;
  private pos = 0;
  private closed = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
      const magic = this.read(SHARD_DATA_MAGIC.length, 'the format line');
      if (!magic.equals(SHARD_DATA_MAGIC))
        throw new ShardDataError(
          `not shard data of this ccsim (expected it to start with ${JSON.stringify(SHARD_DATA_MAGIC.toString('latin1'))})`,
        );
      const head = this.frame();
      const spec = (head as { spec?: unknown } | undefined)?.spec;
      if (typeof spec !== 'object' || spec === null)
        throw new ShardDataError('its first frame does not hold the scenario');
      this.spec = spec as ScenarioSpec;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** The next replication's frame, or undefined at the end of the file. */
  next(): { item: number; rep: RenderedReplication } | undefined {
    if (this.pos === this.size) return undefined;
    const v = this.frame() as { item?: unknown; rep?: unknown } | null;
    if (
      typeof v !== 'object' ||
      v === null ||
      !Number.isInteger(v.item) ||
      !isRenderedReplication(v.rep)
    )
      throw new ShardDataError(
        'a frame does not hold a replication rendered by ccsim (expected a work item and its records)',
      );
    return { item: v.item as number, rep: v.rep };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private frame(): unknown {
    const at = this.pos;
    const n = this.read(FRAME_HEADER_BYTES, 'a frame length').readUInt32BE(0);
    if (n > this.size - this.pos)
      throw new ShardDataError(
        `truncated: a frame at byte ${at} claims ${n} bytes, ${this.size - this.pos} are left`,
      );
    return decodeFrame(this.read(n, 'a frame'));
  }

  private read(n: number, what: string): Buffer {
    if (n > this.size - this.pos)
      throw new ShardDataError(`truncated: ${what} at byte ${this.pos} runs past the end`);
    const b = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const k = readSync(this.fd, b, got, n - got, this.pos + got);
      if (k === 0)
        throw new ShardDataError(`truncated: ${what} at byte ${this.pos} runs past the end`);
      got += k;
    }
    this.pos += n;
    return b;
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
