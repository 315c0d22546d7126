// Validates a parsed scenario document (SPEC §1.2) against its already-validated topology:
// run settings, traffic, option overrides, faults, random failures and expectations.

import type { z } from 'zod';
import type { DurationDist } from '../sim/dist.js';
import type { OptionLayer } from '../spec/option-spec.js';
import {
  REPLICATIONS_DEFAULT,
  SEED_DEFAULT,
  SERVICE_LEVEL_THRESHOLD_MS_DEFAULT,
  SITE_SPLIT_SUM_TOLERANCE,
  OVERFLOW_AFTER_MS_DEFAULT,
  WARMUP_MS_DEFAULT,
  WRAP_UP_MS_DEFAULT,
} from './defaults.js';
import { compareStrings, oneOf, type IssueSink, type PathSegment } from './errors.js';
import { parseExpectation } from './expect.js';
import { checkFailures, checkFaults, type FailureRaw, type FaultRaw } from './faults.js';
import { EXPECTATIONS_MAX, FAILURES_MAX, FAILURE_EVENTS_MAX, FAULTS_MAX } from './limits.js';
import {
  FailureSchema,
  FaultSchema,
  RoutingSchema,
  ScenarioFileSchema,
  TrafficSchema,
  checkKeys,
  listItems,
  nameSchema,
  optionsSchema,
  parseWith,
  shapeOf,
} from './schema.js';
import { TopologyIndex, checkLoginNodesRefs, defaultName } from './topology.js';
import type {
  Expectation,
  RoutingSpec,
  ScenarioSpec,
  ServiceSpec,
  TopologySpec,
  TrafficSpec,
} from '../spec/types.js';
import { formatDuration } from './duration.js';
import { Options } from '../models/options.js';

type TrafficRaw = z.output<typeof TrafficSchema>;

/** ADDP timeouts a network round trip must stay below (0 = that side does not poll). */
const ADDP_TIMEOUT_OPTIONS = [
  'addp-timeout',
  'addp-remote-timeout',
  'client-addp-timeout',
] as const;

/**
 * A poll is answered one round trip after it is sent: a round trip (2 × the largest latency) as
 * long as an ADDP timeout would declare every live peer lost, and the model cannot place such a
 * detection (it would lie in the past). Checked against the effective value at every level.
 */
function checkRoundTrip(topology: TopologySpec, options: OptionLayer, sink: IssueSink): void {
  const { lanLatencyMs, wanLatencyMs } = topology.network;
  const rttMs = 2 * Math.max(lanLatencyMs, wanLatencyMs);
  if (rttMs === 0) return;
  const key = wanLatencyMs >= lanLatencyMs ? 'wan-latency' : 'lan-latency';
  const base = new Options([options, topology.options]);
  const views = [base, ...topology.agentGroups.map((g) => base.withLayer(g.options))];
  for (const name of ADDP_TIMEOUT_OPTIONS) {
    const timeoutMs = Math.min(...views.map((v) => v.ms(name)).filter((t) => t > 0));
    if (!Number.isFinite(timeoutMs) || rttMs < timeoutMs) continue;
    sink
      .forFile(topology.file)
      .add(
        ['network', key],
        `a round trip of ${formatDuration(rttMs)} (2 × ${key}) is not below ${name} ${formatDuration(timeoutMs)}: no ADDP poll could be answered in time`,
        {
          expected: `${key} below ${formatDuration(Math.ceil(timeoutMs / 2))}, or a longer ${name}`,
          found: formatDuration(rttMs / 2),
        },
      );
    return;
  }
}

function handleTime(
  h: NonNullable<TrafficRaw['handle-time']>,
  path: PathSegment[],
  sink: IssueSink,
): DurationDist | undefined {
  if (typeof h === 'number') return { kind: 'exponential', meanMs: h };
  const dist = h.dist ?? 'exponential';
  const start = sink.count;
  const only = (key: 'cv' | 'shape' | 'min' | 'max' | 'mean', dists: readonly string[]): void => {
    if (h[key] !== undefined && !dists.includes(dist)) {
      sink.add([...path, key], `"${key}" is not used by dist: ${dist}`, {
        hint: `"${key}" is for dist: ${dists.join(' or ')}`,
      });
    }
  };
  const need = (key: 'cv' | 'shape' | 'min' | 'max' | 'mean', what: string): void => {
    if (h[key] === undefined)
      sink.add([...path, key], `dist: ${dist} needs "${key}"`, { expected: what });
  };
  only('cv', ['lognormal']);
  only('shape', ['weibull']);
  only('min', ['uniform']);
  only('max', ['uniform']);
  only('mean', ['exponential', 'lognormal', 'fixed', 'weibull']);
  switch (dist) {
    case 'exponential':
    case 'fixed':
      need('mean', 'a mean duration');
      break;
    case 'lognormal':
      need('mean', 'a mean duration');
      need('cv', 'a coefficient of variation above 0');
      break;
    case 'weibull':
      need('mean', 'a mean duration');
      need('shape', 'a shape above 0');
      break;
    case 'uniform':
      need('min', 'the shortest duration');
      need('max', 'the longest duration');
      if (h.min !== undefined && h.max !== undefined && (h.max < h.min || h.max === 0)) {
        sink.add([...path, 'max'], 'max must be above 0 and not below min');
      }
      break;
  }
  if (sink.count !== start) return undefined;
  switch (dist) {
    case 'exponential':
      return { kind: 'exponential', meanMs: h.mean! };
    case 'fixed':
      return { kind: 'fixed', meanMs: h.mean! };
    case 'lognormal':
      return { kind: 'lognormal', meanMs: h.mean!, cv: h.cv! };
    case 'weibull':
      return { kind: 'weibull', meanMs: h.mean!, shape: h.shape! };
    case 'uniform':
      return { kind: 'uniform', minMs: h.min!, maxMs: h.max! };
  }
}

/** A site split as given (checked), or calls entering evenly through every site with a SIP pair. */
function checkSiteSplit(
  raw: Record<string, number> | undefined,
  path: PathSegment[],
  idx: TopologyIndex,
  callsPerHour: number,
  sink: IssueSink,
): Record<string, number> {
  const siteSplit: Record<string, number> = {};
  const sipSites = [...idx.sipPairBySite.keys()].sort(compareStrings);
  if (raw !== undefined) {
    let sum = 0;
    for (const [site, share] of Object.entries(raw)) {
      sum += share;
      if (!idx.siteIds.has(site)) sink.unknown([...path, site], 'site', site, idx.siteIds);
      else if (share > 0 && !idx.sipPairBySite.has(site)) {
        sink.add([...path, site], `site "${site}" has no SIP Server pair to take calls`, {
          expected: `a share for ${oneOf(sipSites)}`,
        });
      }
    }
    if (Math.abs(sum - 1) > SITE_SPLIT_SUM_TOLERANCE) {
      sink.add(path, 'shares must sum to 1', { found: `a sum of ${Number(sum.toFixed(9))}` });
    }
    for (const s of [...idx.siteIds].sort(compareStrings)) siteSplit[s] = raw[s] ?? 0;
  } else if (sipSites.length === 0) {
    if (callsPerHour > 0) {
      sink.add(
        [...path.slice(0, -1), 'calls-per-hour'],
        'no site has a SIP Server pair to take calls',
      );
    }
  } else {
    // Omitted: calls enter evenly through every site with a SIP Server pair.
    for (const s of [...idx.siteIds].sort(compareStrings))
      siteSplit[s] = sipSites.includes(s) ? 1 / sipSites.length : 0;
  }
  return siteSplit;
}

function checkTraffic(
  t: TrafficRaw,
  idx: TopologyIndex | undefined,
  sink: IssueSink,
): TrafficSpec | undefined {
  const start = sink.count;
  const path: PathSegment[] = ['traffic'];
  const services = t.services ?? [];
  const everyService = (key: 'calls-per-hour' | 'handle-time'): boolean =>
    services.length > 0 && services.every((s) => s[key] !== undefined);
  const needs = (key: 'calls-per-hour' | 'handle-time', what: string): void => {
    if (t[key] === undefined && !everyService(key)) {
      sink.add([...path, key], `missing "${key}"`, {
        expected: services.length > 0 ? `${what} here or in every service` : what,
      });
    }
  };
  needs('calls-per-hour', 'calls per hour (a number)');
  needs('handle-time', 'a mean handle time');
  const ht =
    t['handle-time'] === undefined
      ? undefined
      : handleTime(t['handle-time'], [...path, 'handle-time'], sink);

  const profiles: [PathSegment[], number[] | undefined][] = [[[...path, 'profile'], t.profile]];
  services.forEach((s, i) => profiles.push([[...path, 'services', i, 'profile'], s.profile]));
  for (const [p, profile] of profiles) {
    if (profile !== undefined && profile.every((w) => w === 0)) {
      sink.add(p, 'every hour has weight 0', { expected: '24 weights, at least one above 0' });
    }
  }

  const callsPerHour = t['calls-per-hour'] ?? 0;
  const siteSplit =
    idx === undefined
      ? {}
      : checkSiteSplit(t['site-split'], [...path, 'site-split'], idx, callsPerHour, sink);

  const tserverCallsPerHour: Record<string, number> = {};
  for (const [pair, cph] of Object.entries(t['tserver-calls-per-hour'] ?? {}).sort((a, b) =>
    compareStrings(a[0], b[0]),
  )) {
    if (idx !== undefined && idx.pairs.get(pair)?.type !== 'tserver') {
      sink.unknown(
        [...path, 'tserver-calls-per-hour', pair],
        'tserver pair',
        pair,
        idx.pairsOfType(['tserver']),
      );
    }
    tserverCallsPerHour[pair] = cph;
  }

  const wrapUpMs = t['wrap-up'] ?? WRAP_UP_MS_DEFAULT;
  const serviceSpecs: ServiceSpec[] = [];
  const names = new Set<string>();
  services.forEach((s, i) => {
    const sp: PathSegment[] = [...path, 'services', i];
    if (names.has(s.name)) sink.add([...sp, 'name'], `service "${s.name}" is defined twice`);
    names.add(s.name);
    const groups = s.groups ?? [...(idx?.groups.keys() ?? [])];
    if (idx !== undefined) {
      s.groups?.forEach((g, k) => {
        if (!idx.groups.has(g))
          sink.unknown([...sp, 'groups', k], 'agent group', g, idx.groups.keys());
      });
    }
    const sht =
      s['handle-time'] === undefined
        ? ht
        : handleTime(s['handle-time'], [...sp, 'handle-time'], sink);
    const cph = s['calls-per-hour'] ?? callsPerHour;
    const split =
      idx === undefined
        ? {}
        : s['site-split'] === undefined
          ? siteSplit
          : checkSiteSplit(s['site-split'], [...sp, 'site-split'], idx, cph, sink);
    if (sht === undefined) return;
    const spec: ServiceSpec = {
      name: s.name,
      callsPerHour: cph,
      siteSplit: split,
      handleTime: sht,
      wrapUpMs: s['wrap-up'] ?? wrapUpMs,
      groups,
    };
    const patience = s.patience ?? t.patience;
    if (patience !== undefined) spec.patienceMs = patience;
    const profile = s.profile ?? t.profile;
    if (profile !== undefined) spec.profile = [...profile];
    serviceSpecs.push(spec);
  });

  const handle = ht ?? serviceSpecs[0]?.handleTime;
  if (sink.count !== start || handle === undefined || idx === undefined) return undefined;
  const spec: TrafficSpec = {
    callsPerHour,
    siteSplit,
    handleTime: handle,
    wrapUpMs,
    serviceLevelThresholdMs: t['service-level-threshold'] ?? SERVICE_LEVEL_THRESHOLD_MS_DEFAULT,
    tserverCallsPerHour,
  };
  if (t.patience !== undefined) spec.patienceMs = t.patience;
  if (t.profile !== undefined) spec.profile = [...t.profile];
  if (serviceSpecs.length > 0) spec.services = serviceSpecs;
  return spec;
}

/** Parses each item of a list section with `schema`, keeping its position. */
function parseItems<S extends z.core.$ZodType>(
  raw: unknown,
  key: string,
  schema: S,
  max: number,
  sink: IssueSink,
): { index: number; raw: z.output<S> }[] {
  const items = listItems(raw, [key], sink) ?? [];
  if (items.length > max) {
    sink.add([key], `too many entries`, {
      expected: `at most ${max}`,
      found: String(items.length),
    });
    return [];
  }
  const out: { index: number; raw: z.output<S> }[] = [];
  items.forEach((v, index) => {
    const r = parseWith(schema, v, [key, index], sink);
    if (r !== undefined) out.push({ index, raw: r });
  });
  return out;
}

export function validateScenario(
  doc: { file: string; digest: string; raw: Record<string, unknown> },
  topology: TopologySpec | undefined,
  sets: readonly string[],
  sink: IssueSink,
): ScenarioSpec | undefined {
  const start = sink.count;
  const raw = doc.raw;
  checkKeys(raw, ScenarioFileSchema, [], sink);
  const shape = shapeOf(ScenarioFileSchema);
  const idx = topology === undefined ? undefined : new TopologyIndex(topology);

  const name =
    raw['name'] === undefined
      ? defaultName(doc.file)
      : parseWith(nameSchema, raw['name'], ['name'], sink);
  const durationMs = parseWith(shape['duration']!, raw['duration'], ['duration'], sink) as
    number | undefined;
  const seed =
    raw['seed'] === undefined
      ? SEED_DEFAULT
      : (parseWith(shape['seed']!, raw['seed'], ['seed'], sink) as number | undefined);
  const replications =
    raw['replications'] === undefined
      ? REPLICATIONS_DEFAULT
      : (parseWith(shape['replications']!, raw['replications'], ['replications'], sink) as
          number | undefined);

  const warmupMs =
    raw['warmup'] === undefined
      ? WARMUP_MS_DEFAULT
      : (parseWith(shape['warmup']!, raw['warmup'], ['warmup'], sink) as number | undefined);
  if (warmupMs !== undefined && durationMs !== undefined && warmupMs >= durationMs) {
    sink.add(['warmup'], 'warmup must end before the run does', {
      expected: `less than duration (${durationMs / 1000}s)`,
    });
  }
  let routing: RoutingSpec | undefined;
  if (raw['routing'] !== undefined) {
    const r = parseWith(RoutingSchema, raw['routing'], ['routing'], sink);
    if (r !== undefined) {
      routing = {
        policy: r.policy ?? 'local-only',
        overflowAfterMs: r['overflow-after'] ?? OVERFLOW_AFTER_MS_DEFAULT,
        overflowAfterGiven: r['overflow-after'] !== undefined,
      };
    }
  }

  let traffic: TrafficSpec | undefined;
  if (raw['traffic'] !== undefined) {
    const t = parseWith(TrafficSchema, raw['traffic'], ['traffic'], sink);
    if (t !== undefined) traffic = checkTraffic(t, idx, sink);
  }

  const options: OptionLayer | undefined =
    raw['options'] === undefined
      ? new Map()
      : parseWith(optionsSchema('scenario'), raw['options'], ['options'], sink);
  if (options !== undefined && idx !== undefined)
    checkLoginNodesRefs(options, ['options'], idx.apps, sink);

  const faultItems = parseItems<typeof FaultSchema>(
    raw['faults'],
    'faults',
    FaultSchema,
    FAULTS_MAX,
    sink,
  ) as {
    index: number;
    raw: FaultRaw;
  }[];
  // A --set duration that puts a fault after the end is named: the file is not at fault.
  const durationSet = sets.find((s) => s.slice(0, s.indexOf('=')).trim() === 'duration');
  const faults = checkFaults(
    faultItems,
    idx,
    durationMs,
    sink,
    durationSet === undefined ? undefined : `--set ${durationSet}`,
  );

  const failureItems = parseItems<typeof FailureSchema>(
    raw['failures'],
    'failures',
    FailureSchema,
    FAILURES_MAX,
    sink,
  ) as {
    index: number;
    raw: FailureRaw;
  }[];
  const failures = checkFailures(failureItems, idx, sink);
  if (durationMs !== undefined) {
    // Each failure is a handful of events and timeline rows: bound how many a replication holds.
    const expected = failures.reduce(
      (n, f) => n + (f.targets.length * durationMs) / (f.mtbf.meanMs + f.mttr.meanMs),
      0,
    );
    if (expected > FAILURE_EVENTS_MAX) {
      sink.add(['failures'], 'too many random failures in one replication', {
        expected: `at most ${FAILURE_EVENTS_MAX} (targets × duration / (mtbf + mttr), summed)`,
        found: `about ${Math.round(expected)}`,
        hint: 'raise mtbf or mttr, or shorten the duration',
      });
    }
  }

  const expect: Expectation[] = [];
  const lines = listItems(raw['expect'], ['expect'], sink) ?? [];
  if (lines.length > EXPECTATIONS_MAX) {
    sink.add(['expect'], 'too many entries', {
      expected: `at most ${EXPECTATIONS_MAX}`,
      found: String(lines.length),
    });
  }
  lines.slice(0, EXPECTATIONS_MAX).forEach((line, i) => {
    const r = parseExpectation(line);
    if (r.ok) expect.push(r.value);
    else {
      const { ok: _ok, message, ...extra } = r;
      sink.add(['expect', i], message, extra);
    }
  });

  if (topology !== undefined && options !== undefined) checkRoundTrip(topology, options, sink);

  if (
    sink.count !== start ||
    topology === undefined ||
    name === undefined ||
    durationMs === undefined ||
    seed === undefined ||
    replications === undefined ||
    options === undefined
  ) {
    return undefined;
  }
  const spec: ScenarioSpec = {
    name,
    file: doc.file,
    digest: doc.digest,
    topology,
    durationMs,
    seed,
    replications,
    options,
    faults,
    failures,
    expect,
    sets: [...sets],
  };
  if (traffic !== undefined) spec.traffic = traffic;
  if (routing !== undefined) spec.routing = routing;
  if (warmupMs !== undefined && warmupMs > 0) spec.warmupMs = warmupMs;
  return spec;
}
