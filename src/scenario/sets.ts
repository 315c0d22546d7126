// `--set K=V` overrides (SPEC §2), applied to the raw documents before validation so the same
// checks run; problems they cause are reported against `--set` and the key as typed.

import { OPTIONS_BY_NAME } from '../models/options.js';
import {
  IssueSink,
  compareStrings,
  describeValue,
  didYouMeanHint,
  formatPath,
  type InputIssue,
  type PathSegment,
} from './errors.js';
import { OPTION_NAMES } from './option-values.js';
import { FaultSchema, RoutingSchema, TrafficSchema, keysOf } from './schema.js';
import { parseYamlText } from './yaml-text.js';

/** The pseudo file name of command-line overrides in messages. */
export const SET_FILE = '--set';

export interface SetOverride {
  /** The argument as given, `addp-timeout=5s`. */
  arg: string;
  key: string;
  /** The value parsed as YAML (`5s` → "5s", `0.6` → 0.6, `true` → true). */
  value: unknown;
}

/** Where an override landed, so issues found there can be reported against it. */
export interface SetOrigin {
  file: string;
  /** Formatted path inside the file. */
  path: string;
  /** Reported as: */
  toFile: string;
  toPath: string;
  /** Only an issue at exactly `path` is the override's (not one deeper inside it). */
  exact?: true;
}

/** Keys that would reach Object.prototype through plain-object indexing. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Top-level scenario keys a --set may replace. */
const SCENARIO_KEYS = ['duration', 'seed', 'replications', 'warmup'] as const;
/** Pair keys a --set may replace. */
const PAIR_KEYS = ['redundancy', 'cti-links'] as const;
const LICENSE_KEYS = ['ha', 'cti-ha'] as const;

const SET_KEYS_EXPECTED =
  'an option name, traffic.<key>, pairs.<pair>.redundancy, pairs.<pair>.cti-links, faults.<index>.<key>, ' +
  'agents.<group>.count, tenant-options.<option>, agents.<group>.options.<option>, ' +
  'agents.<group>.persons.<agent>.<option>, routing.policy, routing.overflow-after, licenses.ha, ' +
  'licenses.cti-ha, duration, seed, replications or warmup';

/** The Workspace option levels a --set reaches in the topology (seed 003). */
const TENANT_PREFIX = 'tenant-options.';

/** Splits `K=V` arguments and parses each value as YAML. */
export function parseSetArgs(args: readonly string[], sink: IssueSink): SetOverride[] {
  const out: SetOverride[] = [];
  const setSink = sink.forFile(SET_FILE);
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.trim() : arg.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      setSink.add([key === '' ? arg : key], 'expected K=V', { found: describeValue(arg) });
      continue;
    }
    const valueSink = new IssueSink(SET_FILE);
    const parsed = parseYamlText(arg.slice(eq + 1), valueSink);
    if (!parsed.ok) {
      setSink.add([key], 'value is not a plain YAML value', {
        found: describeValue(arg.slice(eq + 1)),
      });
      continue;
    }
    out.push({ arg, key, value: parsed.value });
  }
  return out;
}

type Doc = { file: string; raw: Record<string, unknown> };

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `value` at `path`, creating maps on the way; returns n when `path[0..n)` is not a map. */
function setAt(
  root: Record<string, unknown>,
  path: readonly PathSegment[],
  value: unknown,
): number | undefined {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (Array.isArray(cur) && typeof seg === 'number') {
      cur = cur[seg];
      continue;
    }
    if (!isMap(cur)) return i;
    if (!Object.hasOwn(cur, seg)) cur[seg] = {};
    cur = cur[seg];
  }
  if (Array.isArray(cur) && typeof path[path.length - 1] === 'number') {
    (cur as unknown[])[path[path.length - 1] as number] = value;
    return undefined;
  }
  if (!isMap(cur)) return path.length - 1;
  cur[path[path.length - 1]!] = value;
  return undefined;
}

function candidateKeys(scenario: Doc, topology: Doc | undefined): string[] {
  const keys = [
    ...OPTION_NAMES,
    ...SCENARIO_KEYS,
    ...keysOf(TrafficSchema).map((k) => `traffic.${k}`),
    ...keysOf(RoutingSchema).map((k) => `routing.${k}`),
  ];
  keys.push(...LICENSE_KEYS.map((k) => `licenses.${k}`));
  const pairs = topology?.raw['pairs'];
  if (isMap(pairs))
    for (const p of Object.keys(pairs)) keys.push(...PAIR_KEYS.map((k) => `pairs.${p}.${k}`));
  const faults = scenario.raw['faults'];
  if (Array.isArray(faults)) faults.forEach((_, i) => keys.push(`faults.${i}.at`));
  keys.push(...OPTION_NAMES.map((n) => `${TENANT_PREFIX}${n}`));
  const agents = topology?.raw['agents'];
  if (Array.isArray(agents))
    for (const g of agents)
      if (isMap(g) && typeof g['group'] === 'string') keys.push(`agents.${g['group']}.count`);
  return keys;
}

/**
 * `agents.<group>.count`, `agents.<group>.options.<option>` and
 * `agents.<group>.persons.<agent>.<option>` (option names hold dots: the rest of the key).
 * Undefined when the key has none of these shapes.
 */
function agentsKey(
  parts: readonly string[],
): { group: string; path: PathSegment[]; option?: string } | undefined {
  if (parts[0] !== 'agents' || parts.length < 3 || parts[1] === '') return undefined;
  const group = parts[1]!;
  if (parts.length === 3 && parts[2] === 'count') return { group, path: ['count'] };
  if (parts[2] === 'options' && parts.length >= 4) {
    const option = parts.slice(3).join('.');
    return { group, path: ['options', option], option };
  }
  if (parts[2] === 'persons' && parts.length >= 5 && parts[3] !== '') {
    const option = parts.slice(4).join('.');
    return { group, path: ['persons', parts[3]!, option], option };
  }
  return undefined;
}

/**
 * Applies overrides to the scenario and topology documents (in place). Unknown keys and
 * references to missing pairs, faults or groups are reported against `--set`.
 */
export function applySets(
  overrides: readonly SetOverride[],
  scenario: Doc,
  topology: Doc | undefined,
  sink: IssueSink,
): SetOrigin[] {
  const setSink = sink.forFile(SET_FILE);
  const origins: SetOrigin[] = [];
  for (const o of overrides) {
    const parts = o.key.split('.');
    if (parts.some((p) => UNSAFE_KEYS.has(p))) {
      setSink.add([o.key], 'unknown --set key', {
        expected: SET_KEYS_EXPECTED,
        found: describeValue(o.key),
      });
      continue;
    }
    let doc: Doc | undefined = scenario;
    let path: PathSegment[] | undefined;
    const agentsPath = agentsKey(parts);
    if (OPTIONS_BY_NAME.has(o.key)) path = ['options', o.key];
    else if (o.key.startsWith(TENANT_PREFIX) && o.key.length > TENANT_PREFIX.length) {
      // The tenant level (seed 003): the topology's tenant-options, checked as the file's are.
      const option = o.key.slice(TENANT_PREFIX.length);
      if (!unknownOption(option, o.key, setSink)) continue;
      doc = topology;
      path = ['tenant-options', option];
    } else if ((SCENARIO_KEYS as readonly string[]).includes(o.key)) path = [o.key];
    else if (parts[0] === 'traffic' && parts.length >= 2 && parts.every((p) => p !== '')) {
      path = parts;
    } else if (
      parts[0] === 'pairs' &&
      parts.length === 3 &&
      (PAIR_KEYS as readonly string[]).includes(parts[2]!)
    ) {
      doc = topology;
      const pairs = topology?.raw['pairs'];
      if (topology !== undefined && (!isMap(pairs) || !Object.hasOwn(pairs, parts[1]!))) {
        const known = isMap(pairs) ? Object.keys(pairs) : [];
        setSink.unknown([o.key], 'pair', parts[1]!, known);
        continue;
      }
      path = parts;
    } else if (
      parts[0] === 'routing' &&
      parts.length === 2 &&
      keysOf(RoutingSchema).includes(parts[1]!)
    ) {
      path = parts;
    } else if (
      parts[0] === 'licenses' &&
      parts.length === 2 &&
      (LICENSE_KEYS as readonly string[]).includes(parts[1]!)
    ) {
      doc = topology;
      path = parts;
    } else if (parts[0] === 'faults' && parts.length === 3) {
      const faults = scenario.raw['faults'];
      const n = Array.isArray(faults) ? faults.length : 0;
      const i = /^\d+$/.test(parts[1]!) ? Number(parts[1]) : NaN;
      if (!Number.isInteger(i) || i >= n) {
        setSink.add([o.key], `no fault with index ${parts[1]}`, {
          expected:
            n === 0
              ? 'a scenario with faults'
              : `an index from 0 to ${n - 1} (position in faults:)`,
        });
        continue;
      }
      const allowed = keysOf(FaultSchema).filter((k) => k !== 'kind');
      if (!allowed.includes(parts[2]!)) {
        const hint = didYouMeanHint(parts[2]!, allowed);
        setSink.add([o.key], `a --set cannot change "${parts[2]}" of a fault`, {
          expected: `one of: ${allowed.join(', ')}`,
          ...(hint !== undefined ? { hint } : {}),
        });
        continue;
      }
      if (!isMap((faults as unknown[])[i])) continue; // the file's own error reports it
      path = ['faults', i, parts[2]!];
    } else if (agentsPath !== undefined) {
      // A group's size, or an option at the agent group or person level (seed 003).
      if (agentsPath.option !== undefined && !unknownOption(agentsPath.option, o.key, setSink))
        continue;
      doc = topology;
      const agents = topology?.raw['agents'];
      const list = Array.isArray(agents) ? agents : [];
      const i = list.findIndex((g) => isMap(g) && g['group'] === agentsPath.group);
      if (topology !== undefined && i < 0) {
        const known = list.flatMap((g) =>
          isMap(g) && typeof g['group'] === 'string' ? [g['group']] : [],
        );
        setSink.unknown([o.key], 'agent group', agentsPath.group, known);
        continue;
      }
      path = ['agents', i, ...agentsPath.path];
    } else {
      const extra: { expected: string; found: string; hint?: string } = {
        expected: SET_KEYS_EXPECTED,
        found: describeValue(o.key),
      };
      const hint = didYouMeanHint(o.key, candidateKeys(scenario, topology));
      if (hint !== undefined) extra.hint = hint;
      setSink.add([o.key], 'unknown --set key', extra);
      continue;
    }
    if (doc === undefined) continue; // the topology did not load: its own issue says why
    const blocked = setAt(doc.raw, path, o.value);
    if (blocked !== undefined) {
      setSink.add(
        [o.key],
        `cannot set inside "${formatPath(path.slice(0, blocked))}": it is not a map in ${doc.file}`,
      );
      continue;
    }
    origins.push({ file: doc.file, path: formatPath(path), toFile: SET_FILE, toPath: o.key });
    // A group's size bounds its shifts' total: "more agents than the group" (reported at the
    // shifts, not deeper) is this override when it set the count.
    if (agentsPath?.path[0] === 'count') {
      const shifts = formatPath([...path.slice(0, 2), 'shifts']);
      origins.push({ file: doc.file, path: shifts, toFile: SET_FILE, toPath: o.key, exact: true });
    }
    // A person the group does not have is reported at the person: that is this override too.
    if (agentsPath?.path[0] === 'persons') {
      const person = formatPath(path.slice(0, 4));
      origins.push({ file: doc.file, path: person, toFile: SET_FILE, toPath: o.key });
    }
  }
  return origins;
}

/**
 * An option name given after a level prefix: true when known; otherwise reports it against the
 * key as typed, with the closest option name.
 */
function unknownOption(option: string, key: string, setSink: IssueSink): boolean {
  if (OPTIONS_BY_NAME.has(option)) return true;
  const hint = didYouMeanHint(option, OPTION_NAMES);
  setSink.add([key], `unknown option "${option}"`, {
    expected: 'a Workspace option name (`ccsim options` lists them)',
    found: describeValue(option),
    ...(hint !== undefined ? { hint } : {}),
  });
  return false;
}

/** Reports issues found where an override landed against the override (longest match wins). */
export function remapIssues(issues: InputIssue[], origins: readonly SetOrigin[]): void {
  const sorted = [...origins].sort(
    (a, b) => b.path.length - a.path.length || compareStrings(a.path, b.path),
  );
  for (const issue of issues) {
    const o = sorted.find(
      (s) =>
        s.file === issue.file &&
        (issue.path === s.path ||
          (s.exact !== true &&
            (issue.path.startsWith(`${s.path}.`) || issue.path.startsWith(`${s.path}[`)))),
    );
    if (o === undefined) continue;
    // The problem sits where the file says more than the override (its shifts): say where.
    if (o.exact === true) {
      const at = `${o.path} in ${o.file}`;
      issue.hint = issue.hint === undefined ? at : `${issue.hint} (${at})`;
    }
    issue.file = o.toFile;
    issue.path = o.toPath;
  }
}
