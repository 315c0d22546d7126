// The M/M/c call centre of bench/simpy/simpy_mmc.py on the ccsim engine: Poisson
// arrivals, c agents, exponential handling, one FIFO queue, mean wait by batch means.
// Leaves out abandonment, routing and skills. No wall clock here: bench/run.ts times it.

import {
  assert,
  drawMs,
  Simulator,
  t975,
  Tally,
  type DurationDist,
  type Handler,
  type Stream,
} from '../src/sim/index.js';
import { mmcTheory } from './erlang.js';

/** Calls offered (simpy_mmc.py default). */
export const MMC_CALLS_DEFAULT = 200_000;
/** Agents (simpy_mmc.py default). */
export const MMC_AGENTS_DEFAULT = 50;
/** Mean handling time in s (simpy_mmc.py default). */
export const MMC_AHT_S_DEFAULT = 180;
/** Agent utilisation λ·AHT/c (simpy_mmc.py default). */
export const MMC_RHO_DEFAULT = 0.9;
/** Root seed (simpy_mmc.py default). */
export const MMC_SEED_DEFAULT = 42;
/** Batches for the batch-means confidence interval (simpy_mmc.py's NB). */
export const MMC_BATCHES = 20;
/** Initial capacity of the waiting-call ring buffer; it doubles as needed. */
const WAITING_CAPACITY_INITIAL = 1024;

export interface MmcParams {
  calls: number;
  agents: number;
  ahtS: number;
  rho: number;
  seed: number;
}

export const MMC_DEFAULTS: MmcParams = {
  calls: MMC_CALLS_DEFAULT,
  agents: MMC_AGENTS_DEFAULT,
  ahtS: MMC_AHT_S_DEFAULT,
  rho: MMC_RHO_DEFAULT,
  seed: MMC_SEED_DEFAULT,
};

export interface MmcResult {
  calls: number;
  events: number;
  /** Simulated time when the last call left, in s. */
  simS: number;
  /** Mean wait of the measured calls (after warm-up), in s. */
  wqS: number;
  /** Half-width of the 95% batch-means interval of wqS, in s. */
  wqCi95S: number;
  /** Fraction of measured calls that waited (wait > 0 ms). */
  pwait: number;
  wqErlangCS: number;
  pwaitErlangC: number;
}

const ARRIVAL = 0;
const DEPARTURE = 1;

class CallCentre implements Handler {
  private readonly arrivalDist: DurationDist;
  private readonly handlingDist: DurationDist;
  private readonly calls: number;
  private readonly agents: number;
  private readonly warm: number;
  private readonly batchSize: number;
  private batch = 0; // batch of the next measured call
  private batchLeft: number; // measured calls still to come in this batch
  readonly batchSumMs = new Float64Array(MMC_BATCHES);
  readonly batchCount = new Float64Array(MMC_BATCHES);
  waitSumMs = 0;
  measured = 0;
  waited = 0;
  private arrived = 0;
  private served = 0; // calls that reached an agent; FIFO, so in arrival order
  private busy = 0;
  // Arrival times of waiting calls, a ring buffer indexed by call number.
  private waitingMs = new Float64Array(WAITING_CAPACITY_INITIAL);
  private waitingMask = WAITING_CAPACITY_INITIAL - 1;
  lastMs = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly arrivals: Stream,
    private readonly handling: Stream,
    p: MmcParams,
  ) {
    this.arrivalDist = { kind: 'exponential', meanMs: (p.ahtS * 1000) / (p.rho * p.agents) };
    this.handlingDist = { kind: 'exponential', meanMs: p.ahtS * 1000 };
    this.calls = p.calls;
    this.agents = p.agents;
    this.warm = Math.floor(p.calls / 20); // discard the first 5% of calls
    this.batchSize = Math.floor((p.calls - this.warm) / MMC_BATCHES);
    this.batchLeft = this.batchSize;
  }

  start(): void {
    this.sim.schedule(drawMs(this.arrivals, this.arrivalDist), this, ARRIVAL);
  }

  onEvent(kind: number, _arg: number): void {
    if (kind === ARRIVAL) this.arrive();
    else this.depart();
  }

  private arrive(): void {
    const i = this.arrived++;
    if (this.arrived < this.calls) {
      this.sim.schedule(drawMs(this.arrivals, this.arrivalDist), this, ARRIVAL);
    }
    if (this.busy < this.agents) {
      this.busy++;
      this.serve(i, 0);
    } else {
      if (i - this.served > this.waitingMask) this.growWaiting();
      this.waitingMs[i & this.waitingMask] = this.sim.nowMs;
    }
  }

  private depart(): void {
    this.lastMs = this.sim.nowMs;
    const i = this.served;
    if (i < this.arrived) this.serve(i, this.sim.nowMs - this.waitingMs[i & this.waitingMask]!);
    else this.busy--;
  }

  private serve(i: number, waitMs: number): void {
    this.served = i + 1;
    if (i >= this.warm) {
      this.waitSumMs += waitMs;
      this.measured++;
      if (waitMs > 0) this.waited++;
      // Calls reach agents in arrival order, so batch b holds measured calls
      // b·batchSize … (b+1)·batchSize − 1; the remainder after the last batch is left out.
      const b = this.batch;
      if (b < MMC_BATCHES) {
        this.batchSumMs[b]! += waitMs;
        this.batchCount[b]!++;
        if (--this.batchLeft === 0) {
          this.batch = b + 1;
          this.batchLeft = this.batchSize;
        }
      }
    }
    this.sim.schedule(drawMs(this.handling, this.handlingDist), this, DEPARTURE);
  }

  private growWaiting(): void {
    const old = this.waitingMs;
    const cap = old.length * 2;
    const next = new Float64Array(cap);
    for (let i = this.served; i < this.arrived - 1; i++) {
      next[i & (cap - 1)] = old[i & this.waitingMask]!;
    }
    this.waitingMs = next;
    this.waitingMask = cap - 1;
  }
}

/** Runs the M/M/c model to the last departure; returns the waits and Erlang C beside them. */
export function runMmc(p: MmcParams): MmcResult {
  assert(
    p.calls >= 20 * MMC_BATCHES,
    () => `mmc: need >= ${20 * MMC_BATCHES} calls, got ${p.calls}`,
  );
  assert(p.rho > 0 && p.rho < 1, () => `mmc: rho must be in (0, 1), got ${p.rho}`);
  const sim = new Simulator(p.seed, 0);
  const model = new CallCentre(
    sim,
    sim.stream('bench/mmc/arrivals'),
    sim.stream('bench/mmc/handling'),
    p,
  );
  model.start();
  sim.run({ untilMs: Number.MAX_SAFE_INTEGER });

  const batchMeans = new Tally();
  for (let b = 0; b < MMC_BATCHES; b++) {
    if (model.batchCount[b]! > 0) batchMeans.add(model.batchSumMs[b]! / model.batchCount[b]!);
  }
  const halfMs = t975(batchMeans.n - 1) * Math.sqrt(batchMeans.variance / batchMeans.n);
  const muPerS = 1 / p.ahtS;
  const theory = mmcTheory(p.agents, p.rho * p.agents * muPerS, muPerS);
  return {
    calls: p.calls,
    events: sim.events,
    simS: model.lastMs / 1000,
    wqS: model.waitSumMs / model.measured / 1000,
    wqCi95S: halfMs / 1000,
    pwait: model.waited / model.measured,
    wqErlangCS: theory.wq,
    pwaitErlangC: theory.pwait,
  };
}
