// Scripted faults (`faults:`) and random failures (`failures:`) of a scenario, checked against
// the topology (SPEC §1.2): each kind's target, its extra keys, its undo, its time.

import type { z } from 'zod';
import {
  FAILURE_RESTORE,
  SUPPORTED_FAULT_KINDS,
  type AppType,
  type FaultKind,
} from '../spec/kinds.js';
import { formatDuration } from './duration.js';
import {
  compareStrings,
  describeValue,
  oneOf,
  withArticle,
  type IssueSink,
  type PathSegment,
} from './errors.js';
import type { FailureSchema, FaultSchema } from './schema.js';
import type { TopologyIndex } from './topology.js';
import type { FailureSpec, FaultSpec, HostId, TimeDist } from '../spec/types.js';
import { appId, hostId, pairId, siteId } from '../spec/ids.js';

export type FaultRaw = z.output<typeof FaultSchema>;
export type FailureRaw = z.output<typeof FailureSchema>;

/** The kind that undoes each fault; a fault with `duration` is undone after it (SPEC §1.2). */
export const FAULT_UNDO: Readonly<Partial<Record<FaultKind, FaultKind>>> = {
  'host-crash': 'host-restore',
  'site-crash': 'site-restore',
  'process-crash': 'process-start',
  'process-hang': 'process-start',
  'lca-crash': 'lca-restore',
  'cti-link-down': 'cti-link-up',
  'switch-link-down': 'switch-link-up',
  'network-partition': 'network-heal',
  'idb-down': 'idb-up',
  'confdb-down': 'confdb-up',
  'gateway-down': 'gateway-up',
  'wan-degrade': 'wan-restore',
};

/**
 * Kinds a `duration` ends without an undo kind of their own: at the end of an `agent-logout` the
 * agents it logged out (still in their shift) log in again through the login path.
 */
export const FAULT_ENDS_ITSELF: ReadonlySet<FaultKind> = new Set<FaultKind>(['agent-logout']);

/** What a fault kind targets. */
export type FaultTarget =
  | { what: 'host' }
  | { what: 'site' }
  /** `idb`: an IDB id (every ICON writing to it) is accepted too (icon apps only). */
  | { what: 'app'; type?: AppType; idb?: true }
  | { what: 'pair'; type?: AppType }
  | { what: 'group' }
  | { what: 'sides' };

export const FAULT_TARGETS: Readonly<Record<FaultKind, FaultTarget>> = {
  'host-crash': { what: 'host' },
  'host-restore': { what: 'host' },
  'site-crash': { what: 'site' },
  'site-restore': { what: 'site' },
  'process-crash': { what: 'app' },
  'process-hang': { what: 'app' },
  'process-start': { what: 'app' },
  'lca-crash': { what: 'host' },
  'lca-restore': { what: 'host' },
  'cti-link-down': { what: 'app', type: 'tserver' },
  'cti-link-up': { what: 'app', type: 'tserver' },
  'switch-link-down': { what: 'pair', type: 'tserver' },
  'switch-link-up': { what: 'pair', type: 'tserver' },
  'graceful-shutdown': { what: 'app', type: 'sipserver' },
  'network-partition': { what: 'sides' },
  'network-heal': { what: 'sides' },
  'idb-down': { what: 'app', type: 'icon', idb: true },
  'idb-up': { what: 'app', type: 'icon', idb: true },
  'confdb-down': { what: 'app', type: 'confserv' },
  'confdb-up': { what: 'app', type: 'confserv' },
  'gateway-down': { what: 'site' },
  'gateway-up': { what: 'site' },
  'wan-degrade': { what: 'sides' },
  'wan-restore': { what: 'sides' },
  'phone-unregister': { what: 'group' },
  'manual-switchover': { what: 'pair' },
  'agent-logout': { what: 'group' },
};

/** Fault keys beyond at/kind/target/duration, and the kinds that take each. */
const EXTRA_KEY_KINDS: Readonly<
  Record<
    'link' | 'silent' | 'share' | 'reason' | 'between' | 'latency' | 'loss',
    readonly FaultKind[]
  >
> = {
  link: ['cti-link-down', 'cti-link-up'],
  silent: ['cti-link-down', 'switch-link-down'],
  share: ['phone-unregister', 'agent-logout'],
  reason: ['agent-logout'],
  between: ['network-partition', 'network-heal', 'wan-degrade', 'wan-restore'],
  latency: ['wan-degrade'],
  loss: ['wan-degrade'],
};

/** Fault kinds on the WAN between two sites (never host lists). */
const WAN_KINDS: readonly FaultKind[] = ['wan-degrade', 'wan-restore'];

/** `phone-unregister` share when omitted: every agent of the group. */
export const PHONE_UNREGISTER_SHARE_DEFAULT = 1;
/** `agent-logout` share when omitted: every agent of the group on duty. */
export const AGENT_LOGOUT_SHARE_DEFAULT = 1;
/** `agent-logout` reason when omitted: the agents log out themselves. */
export const AGENT_LOGOUT_REASON_DEFAULT = 'manual';
/** `cti-link-*` link when omitted: the first link. */
export const CTI_LINK_DEFAULT = 1;

/** `"lca-crash" is not modelled yet in this version (modelled: …)`, read at call time. */
export function notModelledMessage(kind: FaultKind): string {
  const modelled = [...SUPPORTED_FAULT_KINDS].sort(compareStrings).join(', ');
  return `"${kind}" is not modelled yet in this version (modelled: ${modelled})`;
}

function targetLabel(t: FaultTarget): string {
  switch (t.what) {
    case 'host':
    case 'site':
    case 'group':
      return t.what === 'group' ? 'agent group' : t.what;
    case 'app':
      return t.type === undefined ? 'app' : `${t.type} app${t.idb === true ? ' or IDB' : ''}`;
    case 'pair':
      return t.type === undefined ? 'pair' : `${t.type} pair`;
    case 'sides':
      return 'two sides';
  }
}

/** The ids a target class may name. */
function candidates(t: FaultTarget, idx: TopologyIndex): string[] {
  switch (t.what) {
    case 'host':
      return [...idx.hostSite.keys()];
    case 'site':
      return [...idx.siteIds];
    case 'group':
      return [...idx.groups.keys()];
    case 'app': {
      const apps = t.type === undefined ? [...idx.apps.keys()] : idx.appsOfType(t.type);
      return t.idb === true ? [...apps, ...[...idx.idbs.keys()].sort(compareStrings)] : apps;
    }
    case 'pair':
      return t.type === undefined ? [...idx.pairs.keys()] : idx.pairsOfType([t.type]);
    case 'sides':
      return [];
  }
}

/** Whether an id names something of the target class (map lookups: faults can be many). */
function fits(t: FaultTarget, id: string, idx: TopologyIndex): boolean {
  switch (t.what) {
    case 'host':
      return idx.hostSite.has(id);
    case 'site':
      return idx.siteIds.has(id);
    case 'group':
      return idx.groups.has(id);
    case 'app': {
      const a = idx.apps.get(id);
      if (a === undefined) return t.idb === true && idx.idbs.has(id);
      return t.type === undefined || a.type === t.type;
    }
    case 'pair': {
      const p = idx.pairs.get(id);
      return p !== undefined && (t.type === undefined || p.type === t.type);
    }
    case 'sides':
      return false;
  }
}

/** Checks one target id against a target class; reports and returns false when it does not fit. */
function checkTarget(
  t: FaultTarget,
  id: string,
  path: PathSegment[],
  idx: TopologyIndex,
  sink: IssueSink,
  kind: FaultKind,
): boolean {
  if (fits(t, id, idx)) return true;
  const ok = candidates(t, idx);
  if (t.what === 'app' && t.type !== undefined) {
    const app = idx.apps.get(id);
    if (app !== undefined) {
      sink.add(
        path,
        `"${kind}" needs ${withArticle(targetLabel(t))}; "${id}" is ${withArticle(`${app.type} app`)}`,
        {
          expected: oneOf(ok),
        },
      );
      return false;
    }
  }
  if (t.what === 'pair' && t.type !== undefined) {
    const pair = idx.pairs.get(id);
    if (pair !== undefined) {
      sink.add(
        path,
        `"${kind}" needs ${withArticle(`${t.type} pair`)}; "${id}" is ${withArticle(`${pair.type} pair`)}`,
        {
          expected: oneOf(ok),
        },
      );
      return false;
    }
  }
  sink.unknown(path, targetLabel(t), id, ok);
  return false;
}

interface Sides {
  label: string;
  sideA: HostId[];
  sideB: HostId[];
}

function resolveSides(
  between: FaultRaw['between'],
  path: PathSegment[],
  idx: TopologyIndex,
  sink: IssueSink,
): Sides | undefined {
  if (between === undefined) return undefined;
  const [a, b] = between;
  const expected = 'two sites ([A, B]) or two host lists ([[a-1, a-2], [b-1]])';
  if (typeof a === 'string' && typeof b === 'string') {
    let ok = true;
    for (const [i, s] of [a, b].entries()) {
      if (!idx.siteIds.has(s)) {
        sink.unknown([...path, i], 'site', s, idx.siteIds);
        ok = false;
      }
    }
    if (ok && a === b) {
      sink.add(path, 'both sides are the same site', { expected, found: `[${a}, ${b}]` });
      ok = false;
    }
    if (!ok) return undefined;
    return {
      label: `${a}|${b}`,
      sideA: [...idx.hostsOfSite(a)].sort(compareStrings),
      sideB: [...idx.hostsOfSite(b)].sort(compareStrings),
    };
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    let ok = true;
    const seen = new Map<string, number>();
    for (const [side, hosts] of [a, b].entries()) {
      hosts.forEach((h, j) => {
        const p = [...path, side, j];
        if (!idx.hostSite.has(h)) {
          sink.unknown(p, 'host', h, idx.hostSite.keys());
          ok = false;
          return;
        }
        const prev = seen.get(h);
        if (prev !== undefined) {
          sink.add(
            p,
            prev === side ? `host "${h}" is listed twice` : `host "${h}" is on both sides`,
          );
          ok = false;
        }
        seen.set(h, side);
      });
    }
    if (!ok) return undefined;
    return {
      label: `${a.join(',')}|${b.join(',')}`,
      sideA: a.map((h) => hostId(h)).sort(compareStrings),
      sideB: b.map((h) => hostId(h)).sort(compareStrings),
    };
  }
  sink.add(path, 'mixed sides', { expected, found: describeValue(between) });
  return undefined;
}

/**
 * Checks the faults (each already shape-checked, with its position in the file) and returns
 * them sorted by (atMs, index). Targets are checked only when the topology is valid.
 */
export function checkFaults(
  items: readonly { index: number; raw: FaultRaw }[],
  idx: TopologyIndex | undefined,
  durationMs: number | undefined,
  sink: IssueSink,
  /** Where the duration comes from, for the message of a fault after it. */
  durationFrom = 'the scenario duration',
): FaultSpec[] {
  const out: FaultSpec[] = [];
  for (const { index: i, raw: f } of items) {
    const path: PathSegment[] = ['faults', i];
    const kind = f.kind;
    let ok = true;
    if (!SUPPORTED_FAULT_KINDS.has(kind)) {
      sink.add([...path, 'kind'], notModelledMessage(kind));
      ok = false;
    }
    if (durationMs !== undefined && f.at >= durationMs) {
      sink.add([...path, 'at'], 'after the end of the scenario', {
        expected: `before ${formatDuration(durationMs)} (${durationFrom})`,
        found: formatDuration(f.at),
      });
      ok = false;
    }
    if (
      f.duration !== undefined &&
      FAULT_UNDO[kind] === undefined &&
      !FAULT_ENDS_ITSELF.has(kind)
    ) {
      sink.add(
        [...path, 'duration'],
        `"${kind}" has no automatic undo: "duration" is not allowed`,
        {
          hint: `faults with a duration: ${[...Object.keys(FAULT_UNDO), ...FAULT_ENDS_ITSELF].join(', ')}`,
        },
      );
      ok = false;
    }
    for (const key of [
      'link',
      'silent',
      'share',
      'reason',
      'between',
      'latency',
      'loss',
    ] as const) {
      const kinds = EXTRA_KEY_KINDS[key];
      if (f[key] !== undefined && !kinds.includes(kind)) {
        const list =
          kinds.length <= 2
            ? kinds.join(' and ')
            : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
        sink.add([...path, key], `"${key}" is only for ${list} faults`, {
          found: withArticle(`${kind} fault`),
        });
        ok = false;
      }
    }
    const t = FAULT_TARGETS[kind];
    if (t.what === 'sides') {
      if (f.target !== undefined) {
        sink.add([...path, 'target'], `"${kind}" takes "between", not "target"`, {
          expected: 'between: [A, B] or between: [[hosts…], [hosts…]]',
        });
        ok = false;
      }
      if (f.between === undefined) {
        sink.add([...path, 'between'], 'missing required key "between"', {
          expected: 'two sites ([A, B]) or two host lists',
        });
        ok = false;
      }
    } else if (f.target === undefined) {
      sink.add([...path, 'target'], 'missing required key "target"', {
        expected: withArticle(targetLabel(t)),
      });
      ok = false;
    }
    if (kind === 'wan-degrade') {
      if (f.latency === undefined && f.loss === undefined) {
        sink.add(path, '"wan-degrade" needs "latency" and/or "loss"', {
          expected: 'latency: <duration> (added one way) and/or loss: <0 ≤ share < 1>',
        });
        ok = false;
      } else if ((f.latency ?? 0) === 0 && (f.loss ?? 0) === 0) {
        sink.add(path, '"wan-degrade" with no latency and no loss changes nothing', {
          expected: 'latency above 0 or loss above 0',
          found: `latency: ${formatDuration(f.latency ?? 0)}, loss: ${f.loss ?? 0}`,
        });
        ok = false;
      }
      if (f.loss === 1) {
        sink.add([...path, 'loss'], 'a WAN losing every message is cut, not degraded', {
          expected: 'a share from 0 up to, not including, 1',
          found: '1',
          hint: 'use network-partition for a cut WAN',
        });
        ok = false;
      }
    }
    if (
      WAN_KINDS.includes(kind) &&
      f.between !== undefined &&
      (typeof f.between[0] !== 'string' || typeof f.between[1] !== 'string')
    ) {
      sink.add([...path, 'between'], `"${kind}" is the WAN between two sites`, {
        expected: 'two sites ([A, B])',
        found: describeValue(f.between),
      });
      ok = false;
    }
    if (idx === undefined) continue;

    let sides: Sides | undefined;
    let targetOk = false;
    if (t.what === 'sides') {
      sides = resolveSides(f.between, [...path, 'between'], idx, sink);
      targetOk = sides !== undefined;
    } else if (f.target !== undefined)
      targetOk = checkTarget(t, f.target, [...path, 'target'], idx, sink, kind);
    if (!targetOk) ok = false;

    let link: number | 'all' = CTI_LINK_DEFAULT;
    if (
      targetOk &&
      EXTRA_KEY_KINDS.link.includes(kind) &&
      f.target !== undefined &&
      f.link !== undefined
    ) {
      link = f.link;
      const links = idx.pairOfApp.get(f.target)?.ctiLinks ?? 1;
      if (link !== 'all' && link > links) {
        sink.add(
          [...path, 'link'],
          `"${f.target}" has ${links} CTI link${links === 1 ? '' : 's'}`,
          {
            expected: `1..${links} or "all"`,
            found: String(link),
          },
        );
        ok = false;
      }
    }
    if (!ok) continue;

    const base: { id: string; index: number; atMs: number; durationMs?: number } = {
      id: `f${i}`,
      index: i,
      atMs: f.at,
    };
    if (f.duration !== undefined) base.durationMs = f.duration;
    const target = f.target ?? '';
    switch (kind) {
      case 'host-crash':
      case 'host-restore':
      case 'lca-crash':
      case 'lca-restore':
        out.push({ ...base, kind, target: hostId(target) });
        break;
      case 'site-crash':
      case 'site-restore':
      case 'gateway-down':
      case 'gateway-up':
        out.push({ ...base, kind, target: siteId(target) });
        break;
      case 'process-crash':
      case 'process-hang':
      case 'process-start':
      case 'graceful-shutdown':
      case 'idb-down':
      case 'idb-up':
      case 'confdb-down':
      case 'confdb-up':
        // idb-down/up may name an IDB (the ICONs writing it): an id of the same namespace.
        out.push({ ...base, kind, target: appId(target) });
        break;
      case 'cti-link-down':
      case 'cti-link-up':
        out.push({ ...base, kind, target: appId(target), link, silent: f.silent ?? false });
        break;
      case 'switch-link-down':
      case 'switch-link-up':
        out.push({ ...base, kind, target: pairId(target), silent: f.silent ?? false });
        break;
      case 'network-partition':
      case 'network-heal':
        if (sides !== undefined)
          out.push({ ...base, kind, target: sides.label, sideA: sides.sideA, sideB: sides.sideB });
        break;
      case 'wan-degrade':
      case 'wan-restore': {
        const [a, b] = [String(f.between?.[0]), String(f.between?.[1])].sort(compareStrings) as [
          string,
          string,
        ];
        out.push({
          ...base,
          kind,
          target: `${a}|${b}`,
          sites: [siteId(a), siteId(b)],
          latencyMs: kind === 'wan-degrade' ? (f.latency ?? 0) : 0,
          loss: kind === 'wan-degrade' ? (f.loss ?? 0) : 0,
        });
        break;
      }
      case 'phone-unregister':
        out.push({ ...base, kind, target, share: f.share ?? PHONE_UNREGISTER_SHARE_DEFAULT });
        break;
      case 'manual-switchover':
        out.push({ ...base, kind, target: pairId(target) });
        break;
      case 'agent-logout':
        out.push({
          ...base,
          kind,
          target,
          share: f.share ?? AGENT_LOGOUT_SHARE_DEFAULT,
          reason: f.reason ?? AGENT_LOGOUT_REASON_DEFAULT,
        });
        break;
      default: {
        const never: never = kind;
        throw new Error(`unhandled fault kind ${String(never)}`);
      }
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

/** Builds the mtbf/mttr distribution of a failures entry. */
function timeDist(meanMs: number, f: FailureRaw): TimeDist {
  switch (f.dist ?? 'exponential') {
    case 'weibull':
      return { kind: 'weibull', meanMs, shape: f.shape ?? 1 };
    case 'lognormal':
      return { kind: 'lognormal', meanMs, cv: f.cv ?? 1 };
    case 'exponential':
      return { kind: 'exponential', meanMs };
  }
}

/** Checks `failures:` entries (random failures) and resolves their targets, sorted. */
export function checkFailures(
  items: readonly { index: number; raw: FailureRaw }[],
  idx: TopologyIndex | undefined,
  sink: IssueSink,
): FailureSpec[] {
  const out: FailureSpec[] = [];
  for (const { index: i, raw: f } of items) {
    const path: PathSegment[] = ['failures', i];
    const kind = f.kind;
    let ok = true;
    const restorable = Object.keys(FAILURE_RESTORE);
    if (FAILURE_RESTORE[kind] === undefined) {
      sink.add([...path, 'kind'], `"${kind}" cannot be a random failure`, {
        expected: oneOf(restorable),
      });
      ok = false;
    } else if (!SUPPORTED_FAULT_KINDS.has(kind)) {
      sink.add([...path, 'kind'], notModelledMessage(kind));
      ok = false;
    }
    const dist = f.dist ?? 'exponential';
    if (dist === 'weibull' && f.shape === undefined) {
      sink.add([...path, 'shape'], 'a weibull failure needs "shape"', {
        expected: 'a number above 0 (1 = exponential)',
      });
      ok = false;
    }
    if (dist === 'lognormal' && f.cv === undefined) {
      sink.add([...path, 'cv'], 'a lognormal failure needs "cv"', {
        expected: 'a coefficient of variation above 0',
      });
      ok = false;
    }
    if (f.shape !== undefined && dist !== 'weibull') {
      sink.add([...path, 'shape'], '"shape" is only for dist: weibull', { found: `dist: ${dist}` });
      ok = false;
    }
    if (f.cv !== undefined && dist !== 'lognormal') {
      sink.add([...path, 'cv'], '"cv" is only for dist: lognormal', { found: `dist: ${dist}` });
      ok = false;
    }
    if (f.targets !== undefined && f.type !== undefined) {
      sink.add([...path, 'type'], 'give "targets" or "type", not both');
      ok = false;
    } else if (f.targets === undefined && f.type === undefined) {
      sink.add(path, 'missing "targets" or "type"', {
        expected: 'targets: [ids…] or type: <app type>',
      });
      ok = false;
    }
    const t = FAULT_TARGETS[kind];
    if (f.type !== undefined && t.what !== 'app') {
      sink.add(
        [...path, 'type'],
        `"type" selects apps; "${kind}" targets ${withArticle(targetLabel(t))}`,
        {
          hint: 'use "targets"',
        },
      );
      ok = false;
    } else if (
      f.type !== undefined &&
      t.what === 'app' &&
      t.type !== undefined &&
      f.type !== t.type
    ) {
      sink.add([...path, 'type'], `"${kind}" needs ${t.type} apps`, {
        expected: `"${t.type}"`,
        found: `"${f.type}"`,
      });
      ok = false;
    }
    if (idx === undefined || !ok) continue;

    let targets: string[] = [];
    if (f.targets !== undefined) {
      const seen = new Set<string>();
      f.targets.forEach((id, j) => {
        if (seen.has(id)) {
          sink.add([...path, 'targets', j], `"${id}" is listed twice`);
          ok = false;
          return;
        }
        seen.add(id);
        if (!checkTarget(t, id, [...path, 'targets', j], idx, sink, kind)) ok = false;
      });
      targets = [...seen];
    } else if (f.type !== undefined) {
      targets = idx.appsOfType(f.type);
      if (targets.length === 0) {
        sink.add([...path, 'type'], `the topology has no ${f.type} app`);
        ok = false;
      }
    }
    if (!ok) continue;
    out.push(
      failureSpec(
        { index: i, mtbf: timeDist(f.mtbf, f), mttr: timeDist(f.mttr, f) },
        kind,
        targets.sort(compareStrings),
      ),
    );
  }
  return out;
}

/** A checked failure: its targets (checked against its kind's class) become ids of that class. */
function failureSpec(
  base: { index: number; mtbf: TimeDist; mttr: TimeDist },
  kind: FaultKind,
  targets: readonly string[],
): FailureSpec {
  switch (kind) {
    case 'host-crash':
    case 'lca-crash':
      return { ...base, kind, targets: targets.map((t) => hostId(t)) };
    case 'site-crash':
    case 'gateway-down':
      return { ...base, kind, targets: targets.map((t) => siteId(t)) };
    case 'process-crash':
    case 'process-hang':
    case 'cti-link-down':
    case 'idb-down':
    case 'confdb-down':
      return { ...base, kind, targets: targets.map((t) => appId(t)) };
    case 'host-restore':
    case 'site-restore':
    case 'process-start':
    case 'lca-restore':
    case 'cti-link-up':
    case 'switch-link-down':
    case 'switch-link-up':
    case 'graceful-shutdown':
    case 'network-partition':
    case 'network-heal':
    case 'idb-up':
    case 'confdb-up':
    case 'gateway-up':
    case 'wan-degrade':
    case 'wan-restore':
    case 'phone-unregister':
    case 'manual-switchover':
    case 'agent-logout':
      throw new Error(`failures: "${kind}" has no repair (checked against FAILURE_RESTORE)`);
    default: {
      const never: never = kind;
      throw new Error(`unhandled fault kind ${String(never)}`);
    }
  }
}
