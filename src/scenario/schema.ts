// The shape of topology and scenario files as zod schemas (SPEC §1; kebab-case keys), and the
// translation of zod issues into InputIssues. Cross-references are checked in topology.ts and
// scenario.ts; the same schemas give `ccsim schema` its JSON Schema.

import { z } from 'zod';
import {
  AGENT_LOGOUT_REASONS,
  APP_TYPES,
  FAULT_KINDS,
  ICON_ROLES,
  REDUNDANCY,
  type IconRole,
} from '../spec/kinds.js';
import type { OptionLayer } from '../spec/option-spec.js';
import { OPTION_SPECS } from '../models/options.js';
import { DURATION_EXPECTED, formatDuration, parseDuration } from './duration.js';
import {
  describeValue,
  didYouMeanHint,
  oneOf,
  type IssueSink,
  type PathSegment,
} from './errors.js';
import {
  AGENTS_MAX,
  CALLS_PER_HOUR_MAX,
  CTI_LINKS_MAX,
  EXPECTATIONS_MAX,
  FAILURES_MAX,
  FAULTS_MAX,
  ID_CHARS_MAX,
  LATENCY_MS_MAX,
  REPLICATIONS_MAX,
  SCENARIO_DURATION_MS_MAX,
  SEED_MAX,
  SERVICES_MAX,
  SHIFTS_MAX,
} from './limits.js';
import { DAY_MS } from '../spec/shifts.js';
import { checkOptionLayer, type OptionLevel } from './option-values.js';

// ---------------------------------------------------------------------------------------------
// Leaves: values checked by our own code, so messages say what a user needs (zod transforms that
// report custom issues; `.meta` gives their JSON Schema).

interface LeafFail {
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
  /** The value is of the wrong kind altogether (lets a union pick the branch the user meant). */
  typeMismatch?: boolean;
  /** Extra problems below this value (an options map), relative paths. */
  path?: PathSegment[];
}
type LeafResult<T> = { ok: true; value: T } | { ok: false; fails: LeafFail[] };

function leaf<T>(check: (v: unknown) => LeafResult<T>, json: Record<string, unknown>) {
  return z
    .unknown()
    .transform((v, ctx): T => {
      if (v === undefined) {
        ctx.issues.push({
          code: 'custom',
          message: 'missing',
          input: v,
          params: { missing: true },
        });
        return z.NEVER;
      }
      const r = check(v);
      if (r.ok) return r.value;
      for (const f of r.fails) {
        const { message, path, ...params } = f;
        ctx.issues.push({ code: 'custom', message, input: v, path: path ?? [], params });
      }
      return z.NEVER;
    })
    .meta(json);
}

function fail<T>(f: LeafFail): LeafResult<T> {
  return { ok: false, fails: [f] };
}

export const DURATION_PATTERN = String.raw`^\s*((\d+(\.\d*)?|\.\d+)\s*(ms|s|m|h|d)\s*)+$`;

/** A duration in ms, optionally bounded. */
export function durationSchema(bounds: { positive?: boolean; maxMs?: number } = {}) {
  const json: Record<string, unknown> = {
    type: ['string', 'number'],
    pattern: DURATION_PATTERN,
    minimum: 0,
    description: `${DURATION_EXPECTED}${bounds.positive === true ? ' (not 0)' : ''}`,
  };
  return leaf<number>((v) => {
    const r = parseDuration(v);
    if (!r.ok) {
      const f: LeafFail = {
        message: r.message,
        expected: r.expected,
        found: r.found,
        typeMismatch: r.typeMismatch,
      };
      if (r.hint !== undefined) f.hint = r.hint;
      return fail(f);
    }
    if (bounds.positive === true && r.ms === 0) {
      return fail({
        message: 'must not be 0',
        expected: 'a duration above 0',
        found: describeValue(v),
      });
    }
    if (bounds.maxMs !== undefined && r.ms > bounds.maxMs) {
      return fail({
        message: 'too long',
        expected: `at most ${formatDuration(bounds.maxMs)}`,
        found: describeValue(v),
      });
    }
    return { ok: true, value: r.ms };
  }, json);
}

export const KEBAB_ID_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SITE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** Scenario and topology names: they become directory names. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const KEBAB_ID_EXPECTED = 'a lower-case kebab-case id such as sip-a-1';
export const SITE_ID_EXPECTED = 'a site id of letters, digits and dashes such as A';
export const NAME_EXPECTED = 'a name of letters, digits, ".", "_" and "-" such as two-site-hot';

/** Checks an id (a map key or a defining value); undefined when fine. */
export function checkId(v: unknown, re: RegExp, expected: string): LeafFail | undefined {
  if (typeof v !== 'string') {
    return { message: 'wrong type', expected, found: describeValue(v), typeMismatch: true };
  }
  if (v.length > ID_CHARS_MAX) {
    return {
      message: 'too long',
      expected: `at most ${ID_CHARS_MAX} characters`,
      found: `${v.length} characters`,
    };
  }
  if (re.test(v)) return undefined;
  const f: LeafFail = { message: 'invalid id', expected, found: describeValue(v) };
  const fixed = v
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(re === SITE_ID_RE ? /$^/ : /[A-Z]/g, (c) => c.toLowerCase());
  if (fixed !== v && re.test(fixed)) f.hint = `did you mean "${fixed}"?`;
  return f;
}

function idSchema(re: RegExp, expected: string) {
  return leaf<string>(
    (v) => {
      const f = checkId(v, re, expected);
      return f === undefined ? { ok: true, value: v as string } : fail(f);
    },
    { type: 'string', pattern: re.source, maxLength: ID_CHARS_MAX, description: expected },
  );
}

export const kebabIdSchema = idSchema(KEBAB_ID_RE, KEBAB_ID_EXPECTED);
export const nameSchema = idSchema(NAME_RE, NAME_EXPECTED);

/** A reference to something defined elsewhere (checked against the definitions later). */
export const refSchema = leaf<string>(
  (v) => {
    if (typeof v === 'string' && v !== '') return { ok: true, value: v };
    // Unquoted digits (a site called 1) arrive as numbers: accept them as the id they spell.
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)
      return { ok: true, value: String(v) };
    return fail({
      message: 'wrong type',
      expected: 'an id',
      found: describeValue(v),
      typeMismatch: true,
    });
  },
  { type: 'string', minLength: 1, description: 'an id defined elsewhere in the topology' },
);

function optionJson(level: OptionLevel): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const o of OPTION_SPECS) {
    if (level !== 'topology' && level !== 'scenario' && o.groupLevel !== true) continue;
    const d: Record<string, unknown> = { description: `${o.doc} [${o.source}]` };
    switch (o.type) {
      case 'duration':
        Object.assign(d, {
          type: ['string', 'number'],
          pattern: DURATION_PATTERN,
          default: formatDuration(o.defaultMs),
        });
        break;
      case 'boolean':
        Object.assign(d, { type: 'boolean', default: o.default });
        break;
      case 'integer':
      case 'number':
        Object.assign(d, { type: o.type, default: o.default });
        if (o.min !== undefined) d['minimum'] = o.min;
        if (o.max !== undefined) d['maximum'] = o.max;
        break;
      case 'string':
        Object.assign(d, { type: 'string', default: o.default });
        if (o.values !== undefined) d['enum'] = [...o.values];
        break;
    }
    properties[o.name] = d;
  }
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    description:
      level === 'topology' || level === 'scenario'
        ? 'Genesys option names; see DOMAIN.md for each default'
        : `${level === 'group' ? 'agent-group' : level} option overrides (desktop options only)`,
  };
}

/** An options map checked against the option registry → OptionLayer (durations in ms). */
export function optionsSchema(level: OptionLevel) {
  return leaf<OptionLayer>((v) => {
    const { layer, problems } = checkOptionLayer(v, level);
    if (problems.length === 0) return { ok: true, value: layer };
    return {
      ok: false,
      fails: problems.map((p) => ({ ...p, typeMismatch: p.path.length === 0 })),
    };
  }, optionJson(level));
}

// ---------------------------------------------------------------------------------------------
// Topology (SPEC §1.1)

export const LicensesSchema = z
  .strictObject({
    ha: z.boolean().optional().meta({ description: 'automatic switchover (default true)' }),
    'cti-ha': z.boolean().optional().meta({ description: 'hot standby telephony (default true)' }),
  })
  .meta({ description: 'omitted licences are granted' });

export const SiteSchema = z.strictObject({ hosts: z.array(kebabIdSchema) });

export const NetworkSchema = z.strictObject({
  'lan-latency': durationSchema({ maxMs: LATENCY_MS_MAX }).optional(),
  'wan-latency': durationSchema({ maxMs: LATENCY_MS_MAX }).optional(),
});

/**
 * ICON `role`: the vendor's comma-separated list ("gcc,gls,gud,cfg") or a YAML list; sorted,
 * each role once.
 */
export const iconRoleSchema = leaf<IconRole[]>(
  (v) => {
    const items =
      typeof v === 'string' ? v.split(',').map((x) => x.trim()) : Array.isArray(v) ? v : undefined;
    const expected = `a comma-separated list of ICON roles (${ICON_ROLES.join(', ')}), e.g. "gcc,gls,gud,cfg"`;
    if (items === undefined || items.length === 0) {
      return fail({ message: 'wrong type', expected, found: describeValue(v), typeMismatch: true });
    }
    const roles = new Set<IconRole>();
    for (const x of items) {
      if (typeof x === 'string' && (ICON_ROLES as readonly string[]).includes(x)) {
        roles.add(x as IconRole);
        continue;
      }
      const f: LeafFail = { message: 'unknown ICON role', expected, found: describeValue(x) };
      const hint = typeof x === 'string' ? didYouMeanHint(x, ICON_ROLES) : undefined;
      if (hint !== undefined) f.hint = hint;
      return fail(f);
    }
    return { ok: true, value: [...roles].sort() };
  },
  {
    type: ['string', 'array'],
    items: { type: 'string', enum: [...ICON_ROLES] },
    description:
      'icon only: its roles (vendor option role, default all); cfg records the Configuration Server',
  },
);

export const AppSchema = z.strictObject({
  type: z.enum(APP_TYPES),
  host: refSchema,
  source: refSchema.optional().meta({ description: 'icon only: the telephony pair it records' }),
  idb: kebabIdSchema.optional().meta({ description: 'icon only: the IDB it writes' }),
  role: iconRoleSchema.optional(),
});

export const PairSchema = z.strictObject({
  primary: refSchema,
  backup: refSchema,
  redundancy: z.enum(REDUNDANCY).optional().meta({ description: 'default warm' }),
  'cti-links': z
    .number()
    .int()
    .min(1)
    .max(CTI_LINKS_MAX)
    .optional()
    .meta({ description: 'tserver pairs: CTI links per server (default 1)' }),
});

export const ShiftSchema = z.strictObject({
  start: durationSchema({ maxMs: DAY_MS }).meta({
    description: 'time of day the agents log in (from 0s, before 24h; repeated every day)',
  }),
  end: durationSchema({ maxMs: DAY_MS }).meta({
    description: 'time of day they log out after their call (before start: the next day)',
  }),
  count: z
    .number()
    .int()
    .min(0)
    .max(AGENTS_MAX)
    .optional()
    .meta({ description: "agents working the shift (default: the group's count)" }),
});

export const AgentGroupSchema = z.strictObject({
  group: kebabIdSchema,
  count: z.number().int().min(0).max(AGENTS_MAX),
  'preferred-site': refSchema,
  'peer-site': refSchema.optional(),
  telephony: refSchema.optional().meta({ description: 'a tserver pair the group works through' }),
  options: optionsSchema('group').optional(),
  persons: z.record(z.string(), optionsSchema('person')).optional().meta({
    description:
      'person-level overrides by agent name as in agents.csv (sales-007): desktop options only',
  }),
  shifts: z.array(ShiftSchema).min(1).max(SHIFTS_MAX).optional().meta({
    description:
      "working hours: the group's agents in order fill the shifts; without shifts every agent works the whole run",
  }),
});

export const ClusterSchema = z.strictObject({
  members: z
    .array(refSchema)
    .min(1)
    .meta({ description: 'csproxy or statserver apps of one site; any running member serves' }),
});

export const siteKeySchema = idSchema(SITE_ID_RE, SITE_ID_EXPECTED);

export const TopologyFileSchema = z.strictObject({
  name: nameSchema.optional(),
  licenses: LicensesSchema.optional(),
  sites: z.record(z.string().regex(SITE_ID_RE), SiteSchema),
  network: NetworkSchema.optional(),
  apps: z.record(z.string().regex(KEBAB_ID_RE), AppSchema),
  pairs: z.record(z.string().regex(KEBAB_ID_RE), PairSchema).optional(),
  clusters: z
    .record(z.string().regex(KEBAB_ID_RE), ClusterSchema)
    .optional()
    .meta({ description: 'load-balancing clusters of CS Proxies or Stat Servers, one site each' }),
  agents: z.array(AgentGroupSchema).optional(),
  options: optionsSchema('topology').optional(),
  'tenant-options': optionsSchema('tenant')
    .optional()
    .meta({ description: 'the Tenant object level: desktop options for every agent group' }),
});

// ---------------------------------------------------------------------------------------------
// Scenario (SPEC §1.2)

export const HANDLE_TIME_DISTS = [
  'exponential',
  'lognormal',
  'fixed',
  'uniform',
  'weibull',
] as const;
export const FAILURE_DISTS = ['exponential', 'weibull', 'lognormal'] as const;

export const HandleTimeObjectSchema = z.strictObject({
  mean: durationSchema({ positive: true }).optional(),
  dist: z.enum(HANDLE_TIME_DISTS).optional(),
  cv: z.number().positive().optional().meta({ description: 'lognormal: coefficient of variation' }),
  shape: z.number().positive().optional().meta({ description: 'weibull: shape' }),
  min: durationSchema().optional().meta({ description: 'uniform: lower bound' }),
  max: durationSchema().optional().meta({ description: 'uniform: upper bound' }),
});

const HandleTimeSchema = z.union([durationSchema({ positive: true }), HandleTimeObjectSchema]);
const SiteSplitSchema = z.record(z.string(), z.number().min(0).max(1));

export const ServiceSchema = z.strictObject({
  name: kebabIdSchema,
  'calls-per-hour': z.number().min(0).max(CALLS_PER_HOUR_MAX).optional(),
  groups: z
    .array(refSchema)
    .min(1)
    .optional()
    .meta({ description: 'agent groups that take its calls (default: every group)' }),
  'site-split': SiteSplitSchema.optional(),
  'handle-time': HandleTimeSchema.optional(),
  'wrap-up': durationSchema().optional(),
  patience: durationSchema({ positive: true }).optional(),
  profile: z.array(z.number().min(0)).length(24).optional(),
});

export const TrafficSchema = z.strictObject({
  'calls-per-hour': z
    .number()
    .min(0)
    .max(CALLS_PER_HOUR_MAX)
    .optional()
    .meta({ description: 'required unless every service sets its own' }),
  'site-split': SiteSplitSchema.optional(),
  'handle-time': HandleTimeSchema.optional().meta({
    description: 'required unless every service sets its own',
  }),
  'wrap-up': durationSchema().optional(),
  patience: durationSchema({ positive: true }).optional(),
  'service-level-threshold': durationSchema().optional(),
  profile: z.array(z.number().min(0)).length(24).optional(),
  'tserver-calls-per-hour': z
    .record(z.string(), z.number().min(0).max(CALLS_PER_HOUR_MAX))
    .optional(),
  services: z
    .array(ServiceSchema)
    .min(1)
    .max(SERVICES_MAX)
    .optional()
    .meta({ description: 'call types, each its own arrival stream and queue (SPEC §5.1)' }),
});

export const RoutingSchema = z.strictObject({
  policy: z
    .enum(['local-first', 'pooled', 'local-only'])
    .optional()
    .meta({ description: 'local-only when omitted (a call never leaves its entry site)' }),
  'overflow-after': durationSchema()
    .optional()
    .meta({ description: 'local-first: wait this long for an agent at the entry site' }),
});

const sideSchema = z.union([refSchema, z.array(refSchema).min(1)]);

export const FaultSchema = z.strictObject({
  at: durationSchema(),
  kind: z.enum(FAULT_KINDS),
  target: refSchema.optional(),
  duration: durationSchema({ positive: true })
    .optional()
    .meta({ description: 'undo automatically after this long' }),
  link: z.union([z.number().int().min(1).max(CTI_LINKS_MAX), z.literal('all')]).optional(),
  silent: z.boolean().optional(),
  share: z.number().gt(0).lte(1).optional(),
  reason: z
    .enum(AGENT_LOGOUT_REASONS)
    .optional()
    .meta({ description: 'agent-logout: who logs the agents out (default manual)' }),
  between: z
    .tuple([sideSchema, sideSchema])
    .optional()
    .meta({ description: 'two sites, or two host lists' }),
  latency: durationSchema({ maxMs: LATENCY_MS_MAX })
    .optional()
    .meta({ description: 'wan-degrade: one-way latency added to the WAN' }),
  loss: z.number().min(0).max(1).optional().meta({
    description: 'wan-degrade: share of messages lost on the WAN, each way (0 ≤ loss < 1)',
  }),
});

export const FailureSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  targets: z.array(refSchema).min(1).optional(),
  type: z.enum(APP_TYPES).optional(),
  mtbf: durationSchema({ positive: true }),
  mttr: durationSchema({ positive: true }),
  dist: z.enum(FAILURE_DISTS).optional(),
  shape: z.number().positive().optional(),
  cv: z.number().positive().optional(),
});

export const ExpectLineSchema = z.string().meta({ description: '[AGG(]metric[)] OP number[unit]' });

export const ScenarioFileSchema = z.strictObject({
  name: nameSchema.optional(),
  topology: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'path relative to this file; --topology replaces it' }),
  duration: durationSchema({ positive: true, maxMs: SCENARIO_DURATION_MS_MAX }),
  seed: z.number().int().min(0).max(SEED_MAX).optional(),
  replications: z.number().int().min(1).max(REPLICATIONS_MAX).optional(),
  warmup: durationSchema()
    .optional()
    .meta({ description: 'calls offered before this are simulated but not counted' }),
  traffic: TrafficSchema.optional(),
  routing: RoutingSchema.optional(),
  options: optionsSchema('scenario').optional(),
  faults: z.array(FaultSchema).max(FAULTS_MAX).optional(),
  failures: z.array(FailureSchema).max(FAILURES_MAX).optional(),
  expect: z.array(ExpectLineSchema).max(EXPECTATIONS_MAX).optional(),
});

// ---------------------------------------------------------------------------------------------
// zod issues → InputIssues

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  element?: AnySchema;
  items?: AnySchema[];
  rest?: AnySchema | null;
  options?: AnySchema[];
}

function defOf(s: AnySchema): Def {
  return s._zod.def as unknown as Def;
}

function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 32; i++) {
    const d = defOf(s);
    if (d.innerType !== undefined) s = d.innerType;
    else if (d.type === 'pipe' && d.in !== undefined) s = d.in;
    else return s;
  }
  return s;
}

/** The sub-schema at a path (undefined through unions or unknown keys). */
function schemaAt(s: AnySchema | undefined, path: readonly PropertyKey[]): AnySchema | undefined {
  for (const seg of path) {
    if (s === undefined) return undefined;
    const d = defOf(unwrap(s));
    if (d.type === 'object' && d.shape !== undefined) s = d.shape[String(seg)];
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'tuple')
      s = typeof seg === 'number' ? (d.items?.[seg] ?? d.rest ?? undefined) : undefined;
    else return undefined;
  }
  return s === undefined ? undefined : unwrap(s);
}

/** The keys an object schema allows. */
export function keysOf(s: AnySchema): string[] {
  const d = defOf(unwrap(s));
  return d.shape === undefined ? [] : Object.keys(d.shape);
}

function typeLabel(expected: string): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a map';
    case 'array':
    case 'tuple':
      return 'a list';
    default:
      return expected;
  }
}

function isRootMismatch(iss: Issue): boolean {
  if (iss.path.length !== 0) return false;
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's open vocabulary: the default case words the rest
  switch (iss.code) {
    case 'invalid_type':
    case 'invalid_value':
      return true;
    case 'custom':
      return iss.params?.['typeMismatch'] === true;
    case 'invalid_union':
      return iss.errors.every((b) => b.some(isRootMismatch));
    default:
      return false;
  }
}

function branchLabel(branch: Issue[]): string {
  const iss = branch.find(isRootMismatch);
  if (iss === undefined) return 'something else';
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's open vocabulary: the default case words the rest
  switch (iss.code) {
    case 'invalid_type':
      return typeLabel(iss.expected);
    case 'invalid_value':
      return iss.values.map((v) => JSON.stringify(v)).join(' or ');
    case 'custom':
      return String(iss.params?.['expected'] ?? 'something else');
    case 'invalid_union':
      return iss.errors.map(branchLabel).join(' or ');
    default:
      return 'something else';
  }
}

function comparison(
  iss: { inclusive?: boolean; exact?: boolean },
  min: boolean,
  bound: string,
): string {
  if (iss.exact === true) return `exactly ${bound}`;
  if (min) return iss.inclusive === false ? `above ${bound}` : `at least ${bound}`;
  return iss.inclusive === false ? `below ${bound}` : `at most ${bound}`;
}

function lastKey(path: readonly PathSegment[]): string {
  const k = path[path.length - 1];
  return k === undefined ? 'value' : String(k);
}

/** Adds zod issues (from parsing `schema` at `base`) to the sink in user terms. */
export function addZodIssues(
  sink: IssueSink,
  base: readonly PathSegment[],
  issues: readonly Issue[],
  schema: AnySchema,
): void {
  for (const iss of issues) {
    const rel = iss.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const path = [...base, ...rel];
    const input = (iss as { input?: unknown }).input;
    // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's open vocabulary: the default case words the rest
    switch (iss.code) {
      case 'custom': {
        const p = iss.params ?? {};
        if (p['missing'] === true) {
          sink.add(path, `missing required key "${lastKey(path)}"`);
          break;
        }
        const extra: { expected?: string; found?: string; hint?: string } = {};
        if (typeof p['expected'] === 'string') extra.expected = p['expected'];
        if (typeof p['found'] === 'string') extra.found = p['found'];
        if (typeof p['hint'] === 'string') extra.hint = p['hint'];
        sink.add(path, iss.message, extra);
        break;
      }
      case 'invalid_type':
        if (input === undefined)
          sink.add(path, `missing required key "${lastKey(path)}"`, {
            expected: typeLabel(iss.expected),
          });
        else
          sink.add(path, 'wrong type', {
            expected: typeLabel(iss.expected),
            found: describeValue(input),
          });
        break;
      case 'invalid_value': {
        const values = iss.values.map(String);
        const extra: { expected: string; found: string; hint?: string } = {
          expected: values.length === 1 ? JSON.stringify(iss.values[0]) : oneOf(values),
          found: describeValue(input),
        };
        const hint = typeof input === 'string' ? didYouMeanHint(input, values) : undefined;
        if (hint !== undefined) extra.hint = hint;
        sink.add(path, 'invalid value', extra);
        break;
      }
      case 'too_small':
      case 'too_big': {
        const min = iss.code === 'too_small';
        const bound = Number(
          min
            ? (iss as { minimum: number | bigint }).minimum
            : (iss as { maximum: number | bigint }).maximum,
        );
        const isList = iss.origin === 'array' || iss.origin === 'set';
        const what = isList
          ? `${comparison(iss, min, String(bound))} items`
          : comparison(iss, min, String(bound));
        const found =
          isList && Array.isArray(input) ? `${input.length} items` : describeValue(input);
        sink.add(
          path,
          min ? (isList ? 'too few items' : 'too small') : isList ? 'too many items' : 'too large',
          {
            expected: what,
            found,
          },
        );
        break;
      }
      case 'unrecognized_keys': {
        const obj = schemaAt(schema, iss.path);
        const allowed = obj === undefined ? [] : keysOf(obj);
        for (const key of iss.keys) unknownKey(sink, [...path], key, allowed);
        break;
      }
      case 'invalid_union': {
        const branches = iss.errors.filter((b) => !b.some(isRootMismatch));
        const u = schemaAt(schema, iss.path);
        const options = u === undefined ? undefined : defOf(u).options;
        const chosen = branches[0];
        if (chosen !== undefined) {
          const idx = (iss.errors as readonly Issue[][]).indexOf(chosen);
          const sub = options?.[idx] ?? z.unknown();
          addZodIssues(sink, path, chosen, sub);
        } else {
          sink.add(path, 'wrong type', {
            expected: iss.errors.map(branchLabel).join(' or '),
            found: describeValue(input),
          });
        }
        break;
      }
      default:
        sink.add(path, iss.message, input === undefined ? {} : { found: describeValue(input) });
    }
  }
}

/** `unknown key "hots"` with the allowed keys and a did-you-mean hint. */
export function unknownKey(
  sink: IssueSink,
  path: PathSegment[],
  key: string,
  allowed: readonly string[],
): void {
  if (sink.full) {
    sink.add([...path, key], `unknown key "${key}"`); // counted only
    return;
  }
  const extra: { expected: string; hint?: string } = { expected: oneOf(allowed) };
  const hint = didYouMeanHint(key, allowed);
  if (hint !== undefined) extra.hint = hint;
  sink.add([...path, key], `unknown key "${key}"`, extra);
}

/** Parses `value` with `schema`, reporting issues under `path`; undefined when invalid. */
export function parseWith<S extends AnySchema>(
  schema: S,
  value: unknown,
  path: readonly PathSegment[],
  sink: IssueSink,
): z.output<S> | undefined {
  const r = z.safeParse(schema, value, { reportInput: true });
  if (r.success) return r.data;
  addZodIssues(sink, path, r.error.issues, schema);
  return undefined;
}

/** The shape of a strict object schema, for parsing its keys one at a time. */
export function shapeOf(s: AnySchema): Record<string, AnySchema> {
  return defOf(unwrap(s)).shape ?? {};
}

/** The entries of a YAML map, in file order; reports anything else. */
export function mapEntries(
  v: unknown,
  path: readonly PathSegment[],
  sink: IssueSink,
): [string, unknown][] | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    sink.add(path, 'wrong type', { expected: 'a map', found: describeValue(v) });
    return undefined;
  }
  return Object.entries(v as Record<string, unknown>);
}

/** The items of a YAML list; reports anything else. */
export function listItems(
  v: unknown,
  path: readonly PathSegment[],
  sink: IssueSink,
): unknown[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    sink.add(path, 'wrong type', { expected: 'a list', found: describeValue(v) });
    return undefined;
  }
  return v as unknown[];
}

/** Reports keys of `raw` that `schema` (a strict object) does not define. */
export function checkKeys(
  raw: Record<string, unknown>,
  schema: AnySchema,
  path: PathSegment[],
  sink: IssueSink,
): void {
  const allowed = keysOf(schema);
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) unknownKey(sink, path, key, allowed);
  }
}
