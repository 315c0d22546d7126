// Number formatting for every CSV: `.` decimals, times in seconds with 3 decimals, no locale.

/** Milliseconds → seconds with 3 decimals. */
export function sec(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Optional milliseconds → seconds, empty when absent. */
export function secOpt(ms: number | undefined): string {
  return ms === undefined ? '' : sec(ms);
}

/** A metric value: integers as they are, others with `digits` decimals; -0 written as 0. */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v)) return String(v === 0 ? 0 : v);
  const s = v.toFixed(digits);
  return /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** A summary metric as written in summary.csv / stats.csv: `_s` columns as seconds (3 decimals). */
export function metric(col: string, v: number): string {
  if (col.endsWith('_s')) return Number.isFinite(v) ? fixed(v, 3) : '';
  if (col.endsWith('availability')) return Number.isFinite(v) ? fixed(v, 7) : '';
  return num(v, 4);
}

function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0\.0*$/.test(s) ? s.slice(1) : s;
}
