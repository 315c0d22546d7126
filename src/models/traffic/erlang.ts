// Analytic queueing results used to check the traffic model: Erlang C (M/M/c) and Erlang A
// (M/M/c+M, exponential patience), from the stationary birth–death chain.

import { assert } from '../../sim/index.js';

export interface QueueTheory {
  /** Probability an arriving call waits. */
  pWait: number;
  /** Mean wait of all calls (answered or abandoned), seconds. */
  meanWaitS: number;
  /** Probability an arriving call abandons (0 without patience). */
  pAbandon: number;
  /** Probability a call is answered within the threshold. */
  serviceLevel: number;
}

/**
 * M/M/c(+M) stationary measures. rates per second; thetaPerS = 1 / mean patience (0 = never
 * abandons). Service level: P(answered within tS) over all offered calls.
 */
export function mmcTheory(
  c: number,
  lambdaPerS: number,
  muPerS: number,
  thetaPerS: number,
  slThresholdS: number,
): QueueTheory {
  assert(c >= 1 && lambdaPerS > 0 && muPerS > 0 && thetaPerS >= 0, 'mmcTheory: bad parameters');
  if (thetaPerS === 0)
    assert(lambdaPerS < c * muPerS, 'mmcTheory: Erlang C needs load below capacity');
  // Unnormalised π_n by the birth–death recursion, truncated where it is negligible.
  const pis: number[] = [1];
  let total = 1;
  for (let n = 1; n < 100_000; n++) {
    const death = Math.min(n, c) * muPerS + Math.max(n - c, 0) * thetaPerS;
    const p = (pis[n - 1]! * lambdaPerS) / death;
    pis.push(p);
    total += p;
    if (n > c && p < total * 1e-16) break;
  }
  let pWait = 0;
  let lq = 0;
  for (let n = 0; n < pis.length; n++) {
    const p = pis[n]! / total;
    if (n >= c) {
      pWait += p;
      lq += (n - c) * p;
    }
  }
  const meanWaitS = lq / lambdaPerS;
  const pAbandon = thetaPerS > 0 ? (thetaPerS * lq) / lambdaPerS : 0;
  // P(answered within t): an arrival finding n ≥ c waits for n-c+1 departures, each at rate
  // cμ+kθ; with abandonment it must not give up first. Integrate the phase-type numerically.
  const serviceLevel = slProbability(
    Float64Array.from(pis, (p) => p / total),
    c,
    muPerS,
    thetaPerS,
    slThresholdS,
  );
  return { pWait, meanWaitS, pAbandon, serviceLevel };
}

function slProbability(pi: Float64Array, c: number, mu: number, theta: number, t: number): number {
  // Answered at once: arrivals finding n < c.
  let sl = 0;
  for (let n = 0; n < Math.min(c, pi.length); n++) sl += pi[n]!;
  // Arrival finding n ≥ c becomes position j = n - c + 1 in line. Track the probability vector
  // over positions (and absorbed answered) by uniformised transient analysis over [0, t].
  const maxPos = pi.length - c + 1;
  if (maxPos <= 0) return sl;
  const p = new Float64Array(maxPos + 1); // index j = position in line (1..), 0 = answered
  for (let n = c; n < pi.length; n++) p[n - c + 1] = pi[n]!;
  // Rates: at position j, service completions cμ move to j-1; abandonment of the caller
  // itself θ (lost), abandonment of the j-1 ahead (j-1)θ moves to j-1.
  const rateAt = (j: number) => c * mu + (j - 1) * theta + theta;
  let lambdaMax = 0;
  for (let j = 1; j <= maxPos; j++) lambdaMax = Math.max(lambdaMax, rateAt(j));
  const steps = Math.max(2000, Math.ceil(lambdaMax * t * 50));
  const dt = t / steps;
  for (let s = 0; s < steps; s++) {
    const next = new Float64Array(p.length);
    next[0] = p[0]!;
    for (let j = 1; j <= maxPos; j++) {
      const pj = p[j]!;
      if (pj === 0) continue;
      const forward = (c * mu + (j - 1) * theta) * dt;
      const lost = theta * dt;
      next[j - 1]! += pj * forward;
      next[j]! += pj * (1 - forward - lost);
    }
    p.set(next);
  }
  return sl + p[0]!;
}
