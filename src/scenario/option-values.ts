// Checks an `options:` map (topology, scenario, agent group, --set) against the option registry
// and converts it to an OptionLayer of resolved values (durations in ms).

import { HEARTBEAT_PERIOD_MIN_MS } from '../models/lca/defaults.js';
import { parseLoginNodes } from '../models/desktop/login-nodes.js';
import type { OptionSpec, OptionValue } from '../spec/option-spec.js';
import { OPTION_SPECS, OPTIONS_BY_NAME } from '../models/options.js';
import type { OptionLayer } from '../spec/option-spec.js';
import { parseDuration, formatDuration } from './duration.js';
import {
  compareStrings,
  describeValue,
  didYouMeanHint,
  oneOf,
  type PathSegment,
} from './errors.js';

/**
 * Where an options map is written. Topology and scenario options are the application level;
 * the Workspace object levels (tenant, agent group, person: seed 003) accept only `groupLevel`
 * options (the desktop's business-continuity options).
 */
export type OptionLevel = 'topology' | 'scenario' | 'tenant' | 'group' | 'person';

/** Levels that take only the desktop (groupLevel) options, and how messages name them. */
const OBJECT_LEVEL_NAMES: Partial<Record<OptionLevel, string>> = {
  tenant: 'per tenant',
  group: 'per agent group',
  person: 'per person',
};

export interface ValueProblem {
  /** Relative to the options map. */
  path: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
}

export const GROUP_LEVEL_OPTION_NAMES: readonly string[] = OPTION_SPECS.filter(
  (o) => o.groupLevel === true,
)
  .map((o) => o.name)
  .sort(compareStrings);

/** Options whose value is a Workspace login.nodes list (checked by parseLoginNodes). */
export const LOGIN_NODES_OPTIONS: readonly string[] = [
  'login.nodes.preferred-site',
  'login.nodes.peer-site',
];

export const OPTION_NAMES: readonly string[] = OPTION_SPECS.map((o) => o.name).sort(compareStrings);

function problem(
  message: string,
  extra: { expected?: string; found?: string; hint?: string },
): Omit<ValueProblem, 'path'> {
  const p: Omit<ValueProblem, 'path'> = { message };
  if (extra.expected !== undefined) p.expected = extra.expected;
  if (extra.found !== undefined) p.found = extra.found;
  if (extra.hint !== undefined) p.hint = extra.hint;
  return p;
}

function range(lo: string | undefined, hi: string | undefined): string {
  if (lo !== undefined && hi !== undefined) return `between ${lo} and ${hi}`;
  if (lo !== undefined) return `at least ${lo}`;
  return `at most ${hi}`;
}

/** Checks one value against its option spec. */
export function checkOptionValue(
  spec: OptionSpec,
  v: unknown,
): { ok: true; value: OptionValue } | ({ ok: false } & Omit<ValueProblem, 'path'>) {
  const found = describeValue(v);
  if (v === null || v === undefined) {
    return { ok: false, ...problem('missing value', { expected: expectedOf(spec), found }) };
  }
  switch (spec.type) {
    case 'duration': {
      const r = parseDuration(v);
      if (!r.ok) {
        return {
          ok: false,
          ...problem(r.message, { expected: r.expected, found: r.found, hint: r.hint }),
        };
      }
      const lo = spec.minMs;
      const hi = spec.maxMs;
      if ((lo !== undefined && r.ms < lo) || (hi !== undefined && r.ms > hi)) {
        const expected = range(
          lo === undefined ? undefined : formatDuration(lo),
          hi === undefined ? undefined : formatDuration(hi),
        );
        return { ok: false, ...problem('out of range', { expected, found: formatDuration(r.ms) }) };
      }
      if (spec.name === 'heartbeat-period' && r.ms !== 0 && r.ms < HEARTBEAT_PERIOD_MIN_MS) {
        return {
          ok: false,
          ...problem('heartbeat-period below the vendor minimum', {
            expected: `0 (off) or at least ${formatDuration(HEARTBEAT_PERIOD_MIN_MS)}`,
            found: formatDuration(r.ms),
          }),
        };
      }
      return { ok: true, value: r.ms };
    }
    case 'boolean': {
      if (typeof v === 'boolean') return { ok: true, value: v };
      const hint =
        typeof v === 'string' && /^(true|false|yes|no|on|off)$/i.test(v)
          ? 'write true or false, without quotes'
          : undefined;
      return { ok: false, ...problem('wrong type', { expected: 'true or false', found, hint }) };
    }
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const hint =
          typeof v === 'string' && Number.isFinite(Number(v))
            ? 'write the number without quotes'
            : undefined;
        return {
          ok: false,
          ...problem('wrong type', {
            expected: spec.type === 'integer' ? 'an integer' : 'a number',
            found,
            hint,
          }),
        };
      }
      if (spec.type === 'integer' && !Number.isSafeInteger(v)) {
        return { ok: false, ...problem('wrong type', { expected: 'an integer', found }) };
      }
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        const expected = range(
          spec.min === undefined ? undefined : String(spec.min),
          spec.max === undefined ? undefined : String(spec.max),
        );
        return { ok: false, ...problem('out of range', { expected, found }) };
      }
      return { ok: true, value: v };
    }
    case 'string': {
      if (typeof v === 'string' && LOGIN_NODES_OPTIONS.includes(spec.name)) {
        const r = parseLoginNodes(v);
        if (!r.ok) return { ok: false, ...problem(r.message, { expected: r.expected, found }) };
        return { ok: true, value: v };
      }
      if (typeof v === 'string' && spec.values !== undefined && !spec.values.includes(v)) {
        return {
          ok: false,
          ...problem('invalid value', {
            expected: oneOf(spec.values),
            found,
            hint: didYouMeanHint(v, spec.values),
          }),
        };
      }
      if (typeof v === 'string') return { ok: true, value: v };
      const hint = typeof v === 'number' || typeof v === 'boolean' ? 'quote the value' : undefined;
      return { ok: false, ...problem('wrong type', { expected: 'a string', found, hint }) };
    }
  }
}

/** What an option accepts, for messages. */
export function expectedOf(spec: OptionSpec): string {
  switch (spec.type) {
    case 'duration':
      return 'a duration such as 9s';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
  }
}

/**
 * Checks an options map. Returns the layer (names sorted, so iteration order never depends on
 * the file) and every problem found, with paths relative to the map.
 */
export function checkOptionLayer(
  raw: unknown,
  level: OptionLevel,
): { layer: OptionLayer; problems: ValueProblem[] } {
  const problems: ValueProblem[] = [];
  const layer = new Map<string, OptionValue>();
  if (raw === null || raw === undefined) return { layer, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      path: [],
      message: 'wrong type',
      expected: 'a map of option names to values',
      found: describeValue(raw),
    });
    return { layer, problems };
  }
  const names = Object.keys(raw).sort(compareStrings);
  for (const name of names) {
    const v = (raw as Record<string, unknown>)[name];
    const spec = OPTIONS_BY_NAME.get(name);
    if (spec === undefined) {
      const p: ValueProblem = {
        path: [name],
        message: `unknown option "${name}"`,
        found: describeValue(name),
      };
      const candidates =
        OBJECT_LEVEL_NAMES[level] !== undefined ? GROUP_LEVEL_OPTION_NAMES : OPTION_NAMES;
      const hint = didYouMeanHint(name, candidates);
      if (hint !== undefined) p.hint = hint;
      else p.expected = `an option name: ${oneOf(candidates).replace(/^one of: /, '')}`;
      problems.push(p);
      continue;
    }
    const where = OBJECT_LEVEL_NAMES[level];
    if (where !== undefined && spec.groupLevel !== true) {
      problems.push({
        path: [name],
        message: `option "${name}" cannot be set ${where}`,
        expected: `a group-level option (${GROUP_LEVEL_OPTION_NAMES.join(', ')})`,
        hint: 'set it in the topology or scenario options',
      });
      continue;
    }
    const r = checkOptionValue(spec, v);
    if (r.ok) layer.set(name, r.value);
    else {
      const { ok: _ok, ...rest } = r;
      problems.push({ path: [name], ...rest });
    }
  }
  return { layer, problems };
}
