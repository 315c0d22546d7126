// What `ccsim explore` draws: the fault kinds and targets a topology offers, one random schedule
// of transient faults (1–4, overlapping at times, a second during a switchover) and, with
// `--permanent`, a loss for good beside it, from a stream of its own. explore.ts runs and judges.

import { assertNever, type Stream } from '../sim/index.js';
import { compareStrings } from '../sim/order.js';
import { pairId } from '../spec/ids.js';
import type { FaultSpec, ScenarioSpec } from '../spec/types.js';
import { SUPPORTED_FAULT_KINDS, type FaultKind } from '../spec/kinds.js';
import { FAULT_UNDO } from '../scenario/faults.js';

/** Faults in one drawn schedule. */
export const FAULTS_PER_SCHEDULE_MAX = 4;
/** A second fault lands within this long after the first (during its switchover) this often. */
const DURING_SWITCHOVER_MS = 30_000;
const DURING_SWITCHOVER_P = 0.3;
/** wan-degrade draws: one-way latency added in steps of 50 ms up to 1 s, loss up to 0.5. */
const WAN_LATENCY_STEP_MS = 50;
const WAN_LATENCY_STEPS = 20;
const WAN_LOSS_MAX = 0.5;

/**
 * A loss for good lands within this long of a transient fault of its schedule (before or after)
 * this often, else anywhere in the window transient faults are drawn in.
 */
const LOSS_NEAR_MS = 10 * 60_000;
const LOSS_NEAR_P = 0.5;
/** What a loss for good takes, drawn evenly among those the topology has. */
const LOSS_KINDS = ['site', 'host', 'pair-hosts'] as const;

/** A fault before it gets its id and index (distributes over the FaultSpec union). */
export type Draft = FaultSpec extends infer F
  ? F extends FaultSpec
    ? Omit<F, 'id' | 'index'>
    : never
  : never;

export interface Candidate {
  kind: FaultKind;
  targets: string[];
  /** Faults of this kind are undone after a duration. */
  timed: boolean;
}

/** What can be broken in this topology, by fault kind. */
export function candidates(spec: ScenarioSpec): Candidate[] {
  const t = spec.topology;
  const appsOf = (type: string) => t.apps.filter((a) => a.type === type).map((a) => a.id);
  const pairsOf = (type?: string) =>
    t.pairs.filter((p) => !type || p.type === type).map((p) => p.id);
  const list: Candidate[] = [
    { kind: 'host-crash', targets: t.hosts.map((h) => h.id), timed: true },
    { kind: 'process-crash', targets: t.apps.map((a) => a.id), timed: false },
    { kind: 'process-hang', targets: t.apps.map((a) => a.id), timed: true },
    { kind: 'lca-crash', targets: t.hosts.map((h) => h.id), timed: true },
    { kind: 'cti-link-down', targets: appsOf('tserver'), timed: true },
    { kind: 'switch-link-down', targets: pairsOf('tserver'), timed: true },
    { kind: 'network-partition', targets: t.sites.length >= 2 ? ['sites'] : [], timed: true },
    { kind: 'manual-switchover', targets: pairsOf(), timed: false },
    {
      kind: 'graceful-shutdown',
      targets: t.pairs.filter((p) => p.type === 'sipserver').map((p) => p.primary),
      timed: false,
    },
    { kind: 'site-crash', targets: t.sites.map((s) => s.id), timed: true },
    { kind: 'idb-down', targets: appsOf('icon'), timed: true },
    { kind: 'confdb-down', targets: appsOf('confserv'), timed: true },
    {
      kind: 'phone-unregister',
      targets: t.agentGroups.filter((g) => !g.telephony).map((g) => g.group),
      timed: false,
    },
    { kind: 'gateway-down', targets: t.sites.map((s) => s.id), timed: true },
    { kind: 'wan-degrade', targets: t.sites.length >= 2 ? ['sites'] : [], timed: true },
    // A logout on purpose is no infrastructure fault, but it meets one: a desktop logging out
    // while it switches sites, waits for its phone or its proxy (DOMAIN §12 "no DR action").
    {
      kind: 'agent-logout',
      targets: t.agentGroups.map((g) => g.group),
      timed: FAULT_UNDO['agent-logout'] !== undefined,
    },
  ];
  return list.filter((c) => c.targets.length > 0 && SUPPORTED_FAULT_KINDS.has(c.kind));
}

/** A drawn share of a group (phone-unregister, agent-logout): 0.10–1.00, two decimals. */
function drawShare(rng: Stream): number {
  return Math.round((0.1 + 0.9 * rng.next()) * 100) / 100;
}

function pick<T>(rng: Stream, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)]!;
}

/** A timed fault lasts 1 s plus up to this long: 15 % of the run, at most 30 minutes. */
export function transientSpanMs(runMs: number): number {
  return Math.min(0.15 * runMs, 1_800_000);
}

/** Draws one schedule: 1–4 faults, overlapping at times, a second fault during a switchover. */
export function drawSchedule(spec: ScenarioSpec, rng: Stream, pool: Candidate[]): Draft[] {
  const d = spec.durationMs;
  const n = 1 + Math.floor(rng.next() * FAULTS_PER_SCHEDULE_MAX);
  const faults: Draft[] = [];
  let last = -1;
  for (let i = 0; i < n; i++) {
    const c = pick(rng, pool);
    const target = pick(rng, c.targets);
    let atMs = Math.round(d * (0.05 + 0.55 * rng.next()));
    if (last >= 0 && rng.next() < DURING_SWITCHOVER_P)
      atMs = last + Math.round(rng.next() * DURING_SWITCHOVER_MS);
    last = atMs;
    const durationMs = c.timed ? Math.round(1000 + rng.next() * transientSpanMs(d)) : undefined;
    faults.push(makeFault(spec, c.kind, target, atMs, durationMs, rng));
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

function makeFault(
  spec: ScenarioSpec,
  kind: FaultKind,
  target: string,
  atMs: number,
  durationMs: number | undefined,
  rng: Stream,
): Draft {
  const base = durationMs === undefined ? { atMs } : { atMs, durationMs };
  switch (kind) {
    case 'cti-link-down':
      return {
        ...base,
        kind,
        target,
        link: rng.next() < 0.5 ? 'all' : 1,
        silent: rng.next() < 0.5,
      } as Draft;
    case 'switch-link-down':
      return { ...base, kind, target: pairId(target), silent: rng.next() < 0.5 };
    case 'network-partition': {
      const [a, b] = spec.topology.sites;
      return { ...base, kind, target: `${a!.id}|${b!.id}`, sideA: a!.hosts, sideB: b!.hosts };
    }
    case 'phone-unregister':
      return { ...base, kind, target, share: drawShare(rng) };
    case 'agent-logout':
      return {
        ...base,
        kind,
        target,
        share: drawShare(rng),
        reason: rng.next() < 0.5 ? 'manual' : 'supervisor',
      };
    case 'wan-degrade':
    case 'wan-restore': {
      // The loader's order (sorted), so that the reproducer's fault is the drawn one.
      const [a, b] = spec.topology.sites.map((s) => s.id).sort(compareStrings);
      if (kind === 'wan-restore')
        return { ...base, kind, target: `${a!}|${b!}`, sites: [a!, b!], latencyMs: 0, loss: 0 };
      // Latency only, loss only, or both (never neither: the loader refuses a no-op).
      const mode = Math.floor(rng.next() * 3);
      const latencyMs =
        mode === 1 ? 0 : WAN_LATENCY_STEP_MS * (1 + Math.floor(rng.next() * WAN_LATENCY_STEPS));
      const loss =
        mode === 0 ? 0 : Math.round((0.01 + rng.next() * (WAN_LOSS_MAX - 0.01)) * 100) / 100;
      return { ...base, kind, target: `${a!}|${b!}`, sites: [a!, b!], latencyMs, loss };
    }
    case 'host-crash':
    case 'host-restore':
    case 'site-crash':
    case 'site-restore':
    case 'process-crash':
    case 'process-hang':
    case 'process-start':
    case 'lca-crash':
    case 'lca-restore':
    case 'cti-link-up':
    case 'switch-link-up':
    case 'graceful-shutdown':
    case 'network-heal':
    case 'idb-down':
    case 'idb-up':
    case 'confdb-down':
    case 'confdb-up':
    case 'gateway-down':
    case 'gateway-up':
    case 'manual-switchover':
      return { ...base, kind, target } as Draft;
    default:
      return assertNever(kind, 'fault kind');
  }
}

/** A loss for good: a host or site crash with no end (a drawn transient crash always has one). */
export function isLoss(f: Pick<Draft, 'kind' | 'durationMs'>): boolean {
  return (f.kind === 'host-crash' || f.kind === 'site-crash') && f.durationMs === undefined;
}

/**
 * With probability `share`, the faults of a loss for good to add to a schedule (else none): a
 * site crash, a host crash, or the crashes of both hosts of a SIP Server or T-Server pair (the
 * second within a switchover of the first), none with an end. Drawn from a stream of their own.
 */
export function drawLoss(
  spec: ScenarioSpec,
  rng: Stream,
  share: number,
  transient: readonly Draft[],
): Draft[] {
  if (share <= 0 || rng.next() >= share) return [];
  const t = spec.topology;
  const hostOf = new Map(t.apps.map((a) => [a.id, a.host]));
  const pairHosts = t.pairs
    .filter((p) => p.type === 'sipserver' || p.type === 'tserver')
    .map((p) => [hostOf.get(p.primary)!, hostOf.get(p.backup)!] as const)
    .filter(([a, b]) => a !== b);
  const kinds = LOSS_KINDS.filter((k) => k !== 'pair-hosts' || pairHosts.length > 0);
  const kind = pick(rng, kinds);
  const d = spec.durationMs;
  let atMs = Math.round(d * (0.05 + 0.55 * rng.next()));
  if (transient.length > 0 && rng.next() < LOSS_NEAR_P) {
    const near = pick(rng, transient).atMs;
    atMs = Math.max(1000, near + Math.round((2 * rng.next() - 1) * LOSS_NEAR_MS));
  }
  switch (kind) {
    case 'site':
      return [{ kind: 'site-crash', target: pick(rng, t.sites).id, atMs }];
    case 'host':
      return [{ kind: 'host-crash', target: pick(rng, t.hosts).id, atMs }];
    case 'pair-hosts': {
      const [a, b] = pick(rng, pairHosts);
      const second = atMs + Math.round(rng.next() * DURING_SWITCHOVER_MS);
      return [
        { kind: 'host-crash', target: a, atMs },
        { kind: 'host-crash', target: b, atMs: second },
      ];
    }
    default:
      return assertNever(kind, 'loss kind');
  }
}

/** Coverage phase of a fault among those before it: alone, overlapping, during a switchover, for good. */
export function phaseOf(f: Draft, before: readonly Draft[]): string {
  if (isLoss(f)) return 'for-good';
  for (const p of before) {
    if (f.atMs - p.atMs <= DURING_SWITCHOVER_MS) return 'during-switchover';
    // A loss for good is in force from its moment to the end.
    if (isLoss(p) || (p.durationMs !== undefined && f.atMs < p.atMs + p.durationMs))
      return 'overlapping';
  }
  return 'alone';
}
