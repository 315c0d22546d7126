// Shifts as times of day repeated every day of a run (time 0 is midnight, as the hourly traffic
// profile): whether a shift is on at a moment, and when it next starts or ends.

import type { ShiftSpec } from './types.js';

/** One day, ms. */
export const DAY_MS = 86_400_000;

/**
 * The shift is on at `tMs` (start in [0, 24 h), end in (0, 24 h], end ≠ start: the loader's
 * checks). A shift whose end is before its start runs past midnight.
 */
export function shiftOnAt(s: ShiftSpec, tMs: number): boolean {
  const t = tMs % DAY_MS;
  return s.startMs < s.endMs ? t >= s.startMs && t < s.endMs : t >= s.startMs || t < s.endMs;
}

/** The first moment strictly after `afterMs` whose time of day is `timeOfDayMs`. */
export function nextTimeOfDay(timeOfDayMs: number, afterMs: number): number {
  const day = Math.floor(afterMs / DAY_MS) * DAY_MS;
  const t = day + (timeOfDayMs % DAY_MS);
  return t > afterMs ? t : t + DAY_MS;
}
