// `ccsim sweep --set K=V1,V2,...`: each --set with two or more values is one axis of the grid;
// one with a single value is a fixed override applied to every point. Values are split on
// commas, except a comma escaped as `\,`, inside quotes ("a,b" or 'a,b') or inside brackets
// ({A: 0.6, B: 0.4} or [a, b]) — so YAML flow values need no escaping. Quotes and brackets stay
// part of the value (it is parsed as YAML like any --set value); `\,` becomes `,`.

import { InputError, describeValue, type InputIssue } from './errors.js';
import { SET_FILE } from './sets.js';

export interface SweepAxis {
  key: string;
  values: string[];
}

/** Most points in one sweep (a bound on the grid a few flags can make). */
export const SWEEP_POINTS_MAX = 100_000;

/** Splits `V1,V2,...` on top-level commas; undefined when quotes or brackets do not close. */
export function splitValues(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  const closers: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === ',') {
      cur += ',';
      i++;
      continue;
    }
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') closers.push('}');
    else if (ch === '[') closers.push(']');
    else if ((ch === '}' || ch === ']') && closers[closers.length - 1] === ch) closers.pop();
    else if (ch === ',' && closers.length === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quote !== undefined || closers.length > 0) return undefined;
  out.push(cur.trim());
  return out;
}

/** Parses the sweep's --set arguments into axes; every problem is reported at once (exit 2). */
export function parseSweepAxes(args: readonly string[]): SweepAxis[] {
  const issues: InputIssue[] = [];
  const axes: SweepAxis[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? '' : arg.slice(0, eq).trim();
    if (key === '') {
      issues.push({
        file: SET_FILE,
        path: arg,
        message: 'expected K=V1,V2,...',
        found: describeValue(arg),
      });
      continue;
    }
    const values = splitValues(arg.slice(eq + 1));
    if (values === undefined) {
      issues.push({
        file: SET_FILE,
        path: key,
        message: 'unclosed quote or bracket in the value list',
        found: describeValue(arg.slice(eq + 1)),
      });
      continue;
    }
    if (values.some((v) => v === '')) {
      issues.push({
        file: SET_FILE,
        path: key,
        message: 'empty value in the list',
        expected: 'V1,V2,... (escape a comma inside a value as \\,)',
        found: describeValue(arg.slice(eq + 1)),
      });
      continue;
    }
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) {
      issues.push({
        file: SET_FILE,
        path: key,
        message: `value ${describeValue(dup)} listed twice`,
      });
      continue;
    }
    if (axes.some((a) => a.key === key)) {
      issues.push({
        file: SET_FILE,
        path: key,
        message: 'key swept twice',
        hint: 'list all its values in one --set',
      });
      continue;
    }
    axes.push({ key, values });
  }
  if (args.length === 0)
    issues.push({
      file: SET_FILE,
      path: '',
      message: 'a sweep needs at least one --set K=V1,V2,...',
    });
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  if (points > SWEEP_POINTS_MAX)
    issues.push({
      file: SET_FILE,
      path: '',
      message: `the grid has ${points} points`,
      expected: `at most ${SWEEP_POINTS_MAX}`,
    });
  if (issues.length > 0) throw new InputError(issues);
  return axes;
}

/** The swept axes: those with two or more values, in flag order. */
export function sweptAxes(axes: readonly SweepAxis[]): SweepAxis[] {
  return axes.filter((a) => a.values.length > 1);
}

/** Every point of the grid: the first swept axis varies slowest, values in the order given. */
export function gridPoints(axes: readonly SweepAxis[]): string[][] {
  let points: string[][] = [[]];
  for (const a of sweptAxes(axes)) points = points.flatMap((p) => a.values.map((v) => [...p, v]));
  return points;
}

/** The --set arguments of one point (values of the swept axes), in flag order. */
export function pointSets(axes: readonly SweepAxis[], point: readonly string[]): string[] {
  let i = 0;
  return axes.map((a) => `${a.key}=${a.values.length > 1 ? point[i++] : a.values[0]}`);
}
