// Erlang C: the analytic M/M/c waiting probability and mean wait, to check the simulated
// call centre against. Leaves out abandonment and retrials (Erlang A/X).

import { assert } from '../src/sim/index.js';

/** P(wait) for M/M/c with c servers and offered load a = λ/μ in Erlangs (a < c). */
export function erlangC(c: number, a: number): number {
  assert(Number.isInteger(c) && c >= 1, () => `erlangC: c must be a whole number >= 1, got ${c}`);
  assert(a > 0 && a < c, () => `erlangC: offered load must be in (0, c=${c}), got ${a}`);
  // Erlang B by its stable recursion, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

export interface MmcTheory {
  /** Probability that an arriving call waits. */
  pwait: number;
  /** Mean wait in queue, in the unit of 1/λ and 1/μ. */
  wq: number;
}

/** Erlang C results for arrival rate λ and service rate μ per server (same time unit). */
export function mmcTheory(c: number, lambda: number, mu: number): MmcTheory {
  const pwait = erlangC(c, lambda / mu);
  return { pwait, wq: pwait / (c * mu - lambda) };
}
