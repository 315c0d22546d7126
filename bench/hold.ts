// The hold model of bench/simpy/simpy_hold.py on the ccsim engine, and the same pattern
// on a bare typed-array heap (the floor the engine is measured against). No wall clock here:
// bench/run.ts times these functions.

import {
  drawMs,
  Simulator,
  type DurationDist,
  type Handler,
  type HandlerId,
  type Stream,
} from '../src/sim/index.js';

/** Processes holding at once (simpy_hold.py default). */
export const HOLD_NPROC_DEFAULT = 1000;
/** Simulated length in model time units (simpy_hold.py default). */
export const HOLD_UNTIL_DEFAULT = 2000;
/** Root seed (simpy_hold.py default). */
export const HOLD_SEED_DEFAULT = 42;
/** One model time unit in simulated ms (the engine's clock is integer ms). */
export const MS_PER_UNIT = 1000;

export interface HoldParams {
  nproc: number;
  /** In model time units. */
  until: number;
  seed: number;
}

export const HOLD_DEFAULTS: HoldParams = {
  nproc: HOLD_NPROC_DEFAULT,
  until: HOLD_UNTIL_DEFAULT,
  seed: HOLD_SEED_DEFAULT,
};

export interface HoldResult {
  events: number;
  simS: number;
}

/** exp(1) in model units, in whole ms. */
const HOLD_DIST: DurationDist = { kind: 'exponential', meanMs: MS_PER_UNIT };

/** Stream key shared by both implementations, so they draw the same delays. */
const HOLD_STREAM_ID = 'bench/hold';

/**
 * The processes, each waiting exp(1) forever: one event, then its next timeout. One handler
 * registered with the engine (SimContext.handler), the process's index in the event's `arg`,
 * as every ccsim model schedules its entities (agents, calls, desktops): no object or closure
 * per process or event.
 */
class HoldProcesses implements Handler {
  private readonly hid: HandlerId;

  constructor(
    private readonly sim: Simulator,
    private readonly rng: Stream,
  ) {
    this.hid = sim.handler(this);
  }

  /** Process `i` starts its first timeout. */
  start(i: number): void {
    this.sim.schedule(drawMs(this.rng, HOLD_DIST), this.hid, 0, i);
  }

  onEvent(_kind: number, i: number): void {
    this.sim.schedule(drawMs(this.rng, HOLD_DIST), this.hid, 0, i);
  }
}

/** The hold model on the engine: nproc processes, each rescheduling itself until `until`. */
export function runHold(p: HoldParams): HoldResult {
  const sim = new Simulator(p.seed, 0);
  const rng = sim.stream(HOLD_STREAM_ID);
  const procs = new HoldProcesses(sim, rng);
  for (let i = 0; i < p.nproc; i++) procs.start(i);
  const untilMs = p.until * MS_PER_UNIT;
  sim.run({ untilMs });
  return { events: sim.events, simS: sim.nowMs / 1000 };
}

/**
 * The same hold pattern on a bare binary heap of Float64 times: no slots, no sequence
 * numbers, no cancel, no handler dispatch, all in one loop. Same stream, same draws, same
 * queue size.
 */
export function runRawHeap(p: HoldParams): HoldResult {
  const sim = new Simulator(p.seed, 0); // only for the identical stream derivation
  const rng = sim.stream(HOLD_STREAM_ID);
  const keys = new Float64Array(p.nproc + 1);
  let n = 0;
  for (let k = 0; k < p.nproc; k++) {
    const t = drawMs(rng, HOLD_DIST);
    let i = n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = keys[parent]!;
      if (pt <= t) break;
      keys[i] = pt;
      i = parent;
    }
    keys[i] = t;
  }
  const untilMs = p.until * MS_PER_UNIT;
  let events = 0;
  while (n > 0 && keys[0]! <= untilMs) {
    const nowMs = keys[0]!;
    events++;
    // pop: sift the last key down from the root
    const last = keys[--n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      const ct = keys[child]!;
      if (ct >= last) break;
      keys[i] = ct;
      i = child;
    }
    keys[i] = last;
    // push: sift the new key up from the bottom
    const t = nowMs + drawMs(rng, HOLD_DIST);
    i = n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = keys[parent]!;
      if (pt <= t) break;
      keys[i] = pt;
      i = parent;
    }
    keys[i] = t;
  }
  return { events, simS: untilMs / 1000 };
}
