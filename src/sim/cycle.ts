// Periodic activities (keep-alives, heartbeats, polls, retries, registrations) tick at
// phase + k·period. Their times are computed rather than scheduled one by one; only the tick
// that changes an outcome becomes an event.

/** The first tick of the cycle (phase + k·period, k ≥ 0) at or after tMs. */
export function tickAtOrAfter(phaseMs: number, periodMs: number, tMs: number): number {
  return phaseMs + Math.max(0, Math.ceil((tMs - phaseMs) / periodMs)) * periodMs;
}
