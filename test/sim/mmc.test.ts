// The benchmark models, small and untimed: the M/M/c call centre against Erlang C, Erlang C
// against its textbook sum, and the engine's hold model against the bare heap doing the same.

import { describe, expect, it } from 'vitest';
import { erlangC, mmcTheory } from '../../bench/erlang.js';
import { HOLD_DEFAULTS, runHold, runRawHeap } from '../../bench/hold.js';
import { runMmc, type MmcParams } from '../../bench/mmc.js';
import { SimAssertionError } from '../../src/sim/index.js';

/** Erlang C from its definition: the last term of the M/M/c state probabilities, summed. */
function erlangCBySum(c: number, a: number): number {
  let term = 1; // a^k / k!
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = (term * c) / (c - a); // a^c / c! · c / (c − a)
  return top / (sum + top);
}

describe('erlangC', () => {
  it('agrees with the textbook sum and with M/M/1', () => {
    for (const [c, a] of [
      [1, 0.5],
      [2, 1.5],
      [10, 8],
      [50, 45],
      [200, 190],
    ] as const) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCBySum(c, a), 10);
    }
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12); // M/M/1: P(wait) = ρ
    expect(erlangC(10, 8)).toBeCloseTo(0.40918, 4); // published tables
  });

  it('gives the mean wait Wq = C / (cμ − λ) and rejects an unstable load', () => {
    const { pwait, wq } = mmcTheory(10, 8 / 180, 1 / 180);
    expect(wq).toBeCloseTo(pwait / (10 / 180 - 8 / 180), 9);
    expect(() => erlangC(10, 10)).toThrow(SimAssertionError);
    expect(() => erlangC(0, 0.5)).toThrow(SimAssertionError);
  });
});

describe('M/M/c model', () => {
  const small: MmcParams = { calls: 40_000, agents: 10, ahtS: 180, rho: 0.8, seed: 1 };

  it('agrees with Erlang C within the batch-means interval', () => {
    const r = runMmc(small);
    // |Wq − Erlang C| within 3 half-widths of the 95% batch-means interval, plus 0.5 s slack.
    expect(Math.abs(r.wqS - r.wqErlangCS)).toBeLessThanOrEqual(3 * r.wqCi95S + 0.5);
    expect(Math.abs(r.pwait - r.pwaitErlangC)).toBeLessThan(0.05);
    expect(r.wqCi95S).toBeGreaterThan(0);
    expect(r.wqCi95S).toBeLessThan(r.wqErlangCS); // the interval says something
    expect(r.events).toBe(2 * small.calls); // one arrival and one departure a call
  });

  it('is deterministic per seed, and the seed matters', () => {
    const a = runMmc(small);
    expect(runMmc(small)).toEqual(a);
    expect(runMmc({ ...small, seed: 2 }).wqS).not.toBe(a.wqS);
  });

  it('rejects an unstable or degenerate configuration', () => {
    expect(() => runMmc({ ...small, rho: 1 })).toThrow(SimAssertionError);
    expect(() => runMmc({ ...small, calls: 100 })).toThrow(SimAssertionError);
  });
});

describe('hold model', () => {
  it('runs the same events on the engine as on the bare heap (same draws, time order)', () => {
    const p = { ...HOLD_DEFAULTS, nproc: 100, until: 200 };
    const engine = runHold(p);
    const heap = runRawHeap(p);
    // ~nproc events per time unit, exactly the same count: both pop every time <= until in
    // order, and equal times get the same draws whichever order they pop in.
    expect(engine.events).toBe(heap.events);
    expect(Math.abs(engine.events - p.nproc * p.until)).toBeLessThan(0.02 * p.nproc * p.until);
    expect(engine.simS).toBe(p.until);
  });
});
