// Trace sink: where components report their state changes (timeline.csv, the HTML report).

import { objectArray } from './arrays.js';

export interface TraceSink {
  record(tMs: number, component: string, state: string, cause: string): void;
}

export const nullTrace: TraceSink = { record() {} };

/** Keeps every record in memory (tests and small runs). */
export class MemoryTrace implements TraceSink {
  readonly rows: { tMs: number; component: string; state: string; cause: string }[] = objectArray();
  record(tMs: number, component: string, state: string, cause: string): void {
    this.rows.push({ tMs, component, state, cause });
  }
}
