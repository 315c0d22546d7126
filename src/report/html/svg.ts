// Small helpers shared by the report's SVG charts: scales, tick steps, number and time
// formatting, state colours. Pure functions; no DOM.

import { esc } from './escape.js';

/** Chart width in SVG user units (charts scale to the page width through their viewBox). */
export const CHART_W = 1100;

/** A coordinate rounded to 0.1 (keeps the markup small). */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** Tick steps for a time axis, seconds. */
const TIME_STEPS_S = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
  1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200,
];

/** Ticks of a time axis over [t0, t1] seconds, at most about `ticksMax` of them. */
export function timeTicks(
  t0: number,
  t1: number,
  ticksMax: number,
): { step: number; ticks: number[] } {
  const span = Math.max(t1 - t0, 1e-3);
  const step =
    TIME_STEPS_S.find((s) => span / s <= ticksMax) ?? 86400 * Math.ceil(span / 86400 / ticksMax);
  const ticks: number[] = [];
  const first = Math.ceil(t0 / step - 1e-9) * step;
  for (let k = 0; k <= ticksMax + 1; k++) {
    const t = first + k * step;
    if (t > t1 + 1e-9) break;
    ticks.push(Math.round(t * 1000) / 1000);
  }
  return { step, ticks };
}

/** A "nice" upper bound and ticks for a value axis starting at 0. */
export function valueTicks(max: number, ticksMax = 5): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const raw = max / ticksMax;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { top, ticks };
}

/**
 * Seconds since the start as h:mm:ss (decimals when the axis step needs them); from the second
 * day on as day and clock time, `d3 08:15` (`day 3` on an axis stepping whole days), so a long
 * run reads in days, never as `8184:00:00`.
 */
export function fmtClock(s: number, stepS = 1): string {
  const digits = stepS >= 1 ? 0 : stepS >= 0.1 ? 1 : stepS >= 0.01 ? 2 : 3;
  // Rounded once, before the split into days, hours, minutes and seconds: 59.9996 s at three
  // decimals reads 0:01:00.000 (rounding the seconds alone gave 0:00:00.000, a minute early).
  const scale = 10 ** digits;
  const total = Math.round(Math.abs(s) * scale) / scale;
  const sign = s < 0 && total > 0 ? '-' : '';
  if (total >= 86400) {
    const day = Math.floor(total / 86400);
    if (stepS >= 86400 && total % 86400 === 0) return `${sign}day ${day}`;
    const rest = fmtClock(total - day * 86400, stepS);
    const [h, ...more] = rest.split(':');
    return `${sign}d${day} ${h!.padStart(2, '0')}:${stepS >= 60 ? more[0]! : more.join(':')}`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = (total - h * 3600 - m * 60).toFixed(digits);
  const mm = String(m).padStart(2, '0');
  const ss = sec.padStart(digits > 0 ? digits + 3 : 2, '0');
  return `${sign}${h}:${mm}:${ss}`;
}

/** A duration for people: 0.501 s, 17.3 s, 32 min 21 s, 1 h 05 min. */
export function fmtDur(s: number): string {
  if (!Number.isFinite(s)) return '–';
  const a = Math.abs(s);
  if (a < 10) return `${s.toFixed(3)} s`;
  if (a < 100) return `${s.toFixed(1)} s`;
  // Each unit rounded once, before the split (119.6 s reads 2 min 00 s, not 1 min 60 s).
  const pad = (n: number): string => String(n).padStart(2, '0');
  const sec = Math.round(a);
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${pad(sec % 60)} s`;
  const min = Math.round(a / 60);
  if (min < 2 * 1440) return `${Math.floor(min / 60)} h ${pad(min % 60)} min`;
  const hours = Math.round(a / 3600);
  return `${Math.floor(hours / 24)} d ${pad(hours % 24)} h`;
}

/** A metric value as shown: integers plain with thousands spaces, others with `digits`. */
export function fmtNum(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString('en-US').replace(/,/g, '\u202f');
  return v.toFixed(digits);
}

/** The colour class of a component state (see the legend and the CSS in page.ts). */
export type StateClass = 'primary' | 'backup' | 'ok' | 'transit' | 'bad' | 'split' | 'other';

const OK_STATES: ReadonlySet<string> = new Set([
  'up',
  'in-service',
  'connected',
  'source-connected',
  'site-marked-up',
  'started',
  'healed',
  'normal',
  // A site's gateways back, its carrier's trunk marked up again (OPTIONS ping), the WAN restored.
  'gateways-up',
  'trunk-marked-up',
  'wan-restored',
]);
const TRANSIT_STATES: ReadonlySet<string> = new Set([
  'booting',
  'starting',
  'switchover-ordered',
  'promoting',
  'conflict-resolving',
  'graceful-shutdown',
]);
const BAD_STATES: ReadonlySet<string> = new Set([
  'down',
  'stopped',
  'no-primary',
  'lost',
  'source-disconnected',
  'site-marked-down',
  'partitioned',
  'hung',
  'service-unavailable',
  'gateways-down',
  'trunk-marked-down',
  // Slower or lossy, not cut: what it does shows on the ADDP links and the calls across it.
  'wan-degraded',
]);

export function stateClass(state: string): StateClass {
  const m = /^(primary|backup) (.+)$/.exec(state);
  if (m) {
    if (m[2] === 'started') return m[1] === 'primary' ? 'primary' : 'backup';
    return stateClass(m[2]!);
  }
  if (state === 'split-brain') return 'split';
  if (OK_STATES.has(state)) return 'ok';
  if (TRANSIT_STATES.has(state)) return 'transit';
  if (BAD_STATES.has(state)) return 'bad';
  return 'other';
}

export const STATE_LEGEND: { cls: StateClass; label: string }[] = [
  { cls: 'primary', label: 'primary' },
  { cls: 'backup', label: 'backup' },
  { cls: 'ok', label: 'up / in service / connected' },
  { cls: 'transit', label: 'starting / booting / switching over' },
  { cls: 'bad', label: 'down / stopped / no primary / lost / degraded' },
  { cls: 'split', label: 'split brain' },
  { cls: 'other', label: 'other / observer not running' },
];

export function legendHtml(items: readonly { cls: string; label: string }[]): string {
  return `<div class="legend">${items.map((i) => `<span><i class="sw ${esc(i.cls)}"></i>${esc(i.label)}</span>`).join('')}</div>`;
}

/** Average advance of one character of the 11px chart font, for fitting labels. */
export const CHAR_W = 6.2;

/** `text` cut with an ellipsis to fit `width` units. */
export function fit(text: string, width: number): string {
  const n = Math.floor(width / CHAR_W);
  if (text.length <= n) return text;
  return n <= 1 ? '' : `${text.slice(0, n - 1)}…`;
}
