// Trace sink: where components report their state changes (timeline.csv, the HTML report).

import { doubleArray, objectArray } from './arrays.js';

export interface TraceSink {
  record(tMs: number, component: string, state: string, cause: string): void;
}

export const nullTrace: TraceSink = { record() {} };

export interface TraceRow {
  tMs: number;
  component: string;
  state: string;
  cause: string;
}

/** Keeps every record in memory (tests and small runs). */
export class MemoryTrace implements TraceSink {
  // One array per column: a record allocates no object. A row object per record made V8 move
  // the row literal's allocation to the old generation once the rows had lived long enough (the
  // trace is kept for the whole run), and that decision threw away the optimised code of every
  // function that had inlined the record (in bench-day's third replication).
  private readonly times = doubleArray();
  private readonly components = objectArray<string>();
  private readonly states = objectArray<string>();
  private readonly causes = objectArray<string>();

  record(tMs: number, component: string, state: string, cause: string): void {
    this.times.push(tMs);
    this.components.push(component);
    this.states.push(state);
    this.causes.push(cause);
  }

  get length(): number {
    return this.times.length;
  }

  /** The records in order, as rows (built on each call). */
  get rows(): TraceRow[] {
    return this.rowsWith((tMs, component, state, cause) => ({ tMs, component, state, cause }));
  }

  /** The records in order, each made into a row by `row`. */
  rowsWith<R>(row: (tMs: number, component: string, state: string, cause: string) => R): R[] {
    const out: R[] = [];
    for (let i = 0; i < this.times.length; i++)
      out.push(row(this.times[i]!, this.components[i]!, this.states[i]!, this.causes[i]!));
    return out;
  }
}
