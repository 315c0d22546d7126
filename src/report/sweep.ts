// sweep.csv and sweep-stats.csv (SPEC §3): the swept keys as leading columns, named exactly as
// the keys, then the summary.csv (or stats.csv) columns. Points in grid order, then replications.

import { SUMMARY_COLUMNS } from '../scenario/columns.js';
import { csv, type Cell } from './csv.js';
import { STATS_COLUMNS, statsRows, summaryCells } from './files.js';
import type { SummaryRow } from './summary.js';

export interface SweepGrid {
  /** The swept keys, in flag order. */
  keys: string[];
  /** Every point's values (one per key), in grid order: the first key varies slowest. */
  points: string[][];
}

/** The rows of one point, in replication order. */
export interface PointRows {
  point: number;
  rows: SummaryRow[];
}

/** One row per point and replication. `byPoint` in point order. */
export function sweepCsv(grid: SweepGrid, byPoint: readonly PointRows[]): string {
  const out: Cell[][] = [];
  for (const { point, rows } of byPoint) {
    for (const row of rows) out.push([...grid.points[point]!, ...summaryCells(row)]);
  }
  return csv([...grid.keys, ...SUMMARY_COLUMNS], out);
}

/** One row per point and metric; points without rows are left out. */
export function sweepStatsCsv(grid: SweepGrid, byPoint: readonly PointRows[]): string {
  const out: Cell[][] = [];
  for (const { point, rows } of byPoint) {
    if (rows.length === 0) continue;
    for (const s of statsRows(rows)) out.push([...grid.points[point]!, ...s]);
  }
  return csv([...grid.keys, ...STATS_COLUMNS], out);
}
