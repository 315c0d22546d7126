// Durations as users write them: `250ms`, `9s`, `1.5m`, `2h`, `1d`, `1h30m`, or a plain number
// of seconds; converted to whole milliseconds (simulated time is integer ms).

/** Milliseconds per unit. */
export const DURATION_UNITS_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;
export type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** What a duration looks like, for messages. */
export const DURATION_EXPECTED =
  'a duration such as 250ms, 9s, 1.5m, 2h, 1d, or a number of seconds';

/** Unit spellings people type, mapped to ours (for "did you mean"). */
const UNIT_ALIASES: Readonly<Record<string, DurationUnit>> = {
  msec: 'ms',
  msecs: 'ms',
  millis: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  day: 'd',
  days: 'd',
  S: 's',
  H: 'h',
  D: 'd',
  MS: 'ms',
  Ms: 'ms',
};

export type DurationParse =
  | { ok: true; ms: number }
  | {
      ok: false;
      message: string;
      expected: string;
      found: string;
      hint?: string;
      typeMismatch: boolean;
    };

function fail(message: string, found: string, hint?: string, typeMismatch = false): DurationParse {
  const r: DurationParse = { ok: false, message, expected: DURATION_EXPECTED, found, typeMismatch };
  if (hint !== undefined) r.hint = hint;
  return r;
}

function toMs(value: number, unitMs: number, found: string): DurationParse {
  const ms = Math.round(value * unitMs);
  if (!Number.isSafeInteger(ms)) return fail('duration too large', found);
  return { ok: true, ms };
}

/** One `<number><unit>` part of a duration string. */
const PART_SOURCE = String.raw`\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*`;

/** Parses a user-written duration into whole milliseconds (rounded to the nearest ms). */
export function parseDuration(v: unknown): DurationParse {
  if (typeof v === 'number') {
    const found = String(v);
    if (!Number.isFinite(v)) return fail('duration must be finite', found);
    if (v < 0) return fail('duration must not be negative', found);
    return toMs(v, DURATION_UNITS_MS.s, found);
  }
  if (typeof v !== 'string') {
    const found =
      v === null
        ? 'null'
        : Array.isArray(v)
          ? 'a list'
          : typeof v === 'object'
            ? 'a map'
            : String(v);
    return fail('not a duration', found, undefined, true);
  }
  const found = JSON.stringify(v);
  const text = v.trim();
  if (text.startsWith('-')) return fail('duration must not be negative', found);
  if (text === '') return fail('empty duration', found);
  let pos = 0;
  let total = 0;
  const parts: { num: string; unit: string }[] = [];
  const part = new RegExp(PART_SOURCE, 'y'); // sticky: each part starts where the last ended
  while (pos < text.length) {
    part.lastIndex = pos;
    const m = part.exec(text);
    if (m === null || m[0] === '') return fail('not a duration', found);
    parts.push({ num: m[1]!, unit: m[2]! });
    pos = part.lastIndex;
  }
  const bad = parts.find((p) => !(p.unit in DURATION_UNITS_MS));
  if (bad !== undefined) {
    const fixed = parts.map((p) => `${p.num}${UNIT_ALIASES[p.unit] ?? p.unit}`).join('');
    const allKnown = parts.every((p) => p.unit in DURATION_UNITS_MS || p.unit in UNIT_ALIASES);
    if (bad.unit === '') {
      return fail(
        'duration without a unit',
        found,
        `did you mean "${parts.map((p) => `${p.num}${p.unit || 's'}`).join('')}"?`,
      );
    }
    return fail(
      `unknown duration unit "${bad.unit}" (units: ms, s, m, h, d)`,
      found,
      allKnown ? `did you mean "${fixed}"?` : undefined,
    );
  }
  for (const p of parts) {
    const n = Number(p.num);
    total += n * DURATION_UNITS_MS[p.unit as DurationUnit];
  }
  if (!Number.isFinite(total)) return fail('duration too large', found);
  return toMs(total, 1, found);
}

/** Parses or throws a plain Error (for code paths where input is already trusted). */
export function parseDurationMs(v: unknown): number {
  const r = parseDuration(v);
  if (!r.ok) throw new Error(`${r.message}: ${r.found} (expected ${r.expected})`);
  return r.ms;
}

/** A duration for messages: the largest unit that divides it, else seconds with decimals. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  const units: DurationUnit[] = ['d', 'h', 'm', 's'];
  for (const u of units) {
    if (a % DURATION_UNITS_MS[u] === 0) return `${sign}${a / DURATION_UNITS_MS[u]}${u}`;
  }
  if (a < 1_000) return `${sign}${a}ms`;
  return `${sign}${Number((a / 1_000).toFixed(3))}s`;
}
