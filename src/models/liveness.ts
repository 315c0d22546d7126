// The liveness judgement at the end of a run (explore's liveness phase, the convergence counters
// of summary.csv), over what survives the scenario's losses for good: a `host-crash` or
// `site-crash` with no `duration` and no later restore. What such a loss takes cannot settle, so
// it is exempt; everything it leaves must have: every pair with a member on a surviving host has
// exactly one primary in service, no surviving SCS waits on an order, and every agent on duty
// who can work somewhere (a telephony pair of its own site, or with business continuity of its
// peer site, with a surviving member, and a CS Proxy the desktop logs in through there left) is
// logged in and working (telephony ON) through a pair that survives.
// Leaves out: `failures:` (always repaired), and the rest of what a loss takes with it (a Config
// Server, Stat Servers): the model's business continuity must route around those, so they are
// judged, not exempt.

import { mapObjects } from '../sim/arrays.js';
import type { FaultSpec, HostId, PairId, TopologySpec } from '../spec/types.js';

/**
 * The hosts the scenario's faults take for good: a crash with no end that no later restore of
 * its own kind ends (`host-restore` ends a host's crashes, `site-restore` its site's; neither
 * the other's: injector.ts counts them apart). Faults apply in (time, order) (scheduleAll).
 */
export function hostsLostForGood(
  faults: readonly FaultSpec[],
  topology: Pick<TopologySpec, 'hosts'>,
): ReadonlySet<HostId> {
  const order = mapObjects(faults, (f, k) => ({ f, k }));
  const after = (r: { f: FaultSpec; k: number }, c: { f: FaultSpec; k: number }) =>
    r.f.atMs > c.f.atMs || (r.f.atMs === c.f.atMs && r.k > c.k);
  const lost = new Set<HostId>();
  for (const c of order) {
    if (c.f.durationMs !== undefined) continue;
    if (c.f.kind !== 'host-crash' && c.f.kind !== 'site-crash') continue;
    const undo = c.f.kind === 'host-crash' ? 'host-restore' : 'site-restore';
    if (order.some((r) => r.f.kind === undo && r.f.target === c.f.target && after(r, c))) continue;
    if (c.f.kind === 'host-crash') lost.add(c.f.target);
    else for (const h of topology.hosts) if (h.site === c.f.target) lost.add(h.id);
  }
  return lost;
}

/** A pair at the end of the run, as the judgement reads it. */
export interface PairEnd {
  id: PairId;
  /** Its members' hosts. */
  hosts: readonly HostId[];
  /** Members whose process runs in primary mode (two: split brain). */
  primariesUp: number;
  /** A member in primary mode serves. */
  inService: boolean;
  /** Its members' states, for the message (`sip-a-1=primary started, ...`). */
  members: string;
}

/** An SCS at the end of the run. */
export interface ScsEnd {
  id: string;
  host: HostId;
  /** Orders sent and not yet carried out, refused or dropped. */
  ordersPending: number;
  /** The pairs those orders are for. */
  pairsWithOrders: readonly string[];
}

/** An agent at the end of the run. */
export interface AgentEnd {
  /** As agents.csv names it. */
  name: string;
  /** In its shift and not logged out on purpose. */
  onDuty: boolean;
  /**
   * Logged in and working (telephony ON), or its login under way (it completes at a known
   * time). Logged in with telephony OFF (retrying, its DR timer running) is not working.
   */
  working: boolean;
  /** The telephony pair it is logged in through (undefined: none). */
  via: PairId | undefined;
  /**
   * Where it may work: its own site's SIP Server pair (or its T-Server pair), and the peer
   * site's when business continuity applies.
   */
  places: readonly Place[];
}

/** A site an agent may work at: the pair it logs in through, and the CS Proxies' hosts. */
export interface Place {
  pair: PairId;
  /**
   * The hosts of the CS Proxies its desktop logs in through there (its login.nodes for that
   * site, else the site's): one must survive. Empty: none needed (configuration read directly).
   */
  proxyHosts: readonly HostId[];
}

export interface EndState {
  pairs: readonly PairEnd[];
  scs: readonly ScsEnd[];
  agents: readonly AgentEnd[];
}

/** What failed to settle among what survives, and what the losses exempted. */
export interface LivenessVerdict {
  /** `pair: N primaries, in service: X; members ...` for each surviving pair not settled. */
  unconvergedPairs: string[];
  /** Orders pending on surviving SCSs (their count, as summary.csv's orders_pending_end). */
  ordersPending: number;
  /** `scs:pair` for each of them. */
  orders: string[];
  /** Agents on duty who can work somewhere but are not working through a surviving pair. */
  agentsOut: string[];
  /** Pairs with no member on a surviving host, and agents with no surviving place: not judged. */
  exemptPairs: string[];
  exemptAgents: number;
}

/** A verdict with nothing unsettled and nothing exempt. */
export function settledVerdict(): LivenessVerdict {
  return {
    unconvergedPairs: [],
    ordersPending: 0,
    orders: [],
    agentsOut: [],
    exemptPairs: [],
    exemptAgents: 0,
  };
}

/** Judges the end of a run against what survives `lost` (hostsLostForGood). */
export function judgeLiveness(end: EndState, lost: ReadonlySet<HostId>): LivenessVerdict {
  const survives = new Map<PairId, boolean>();
  const v = settledVerdict();
  for (const p of end.pairs) {
    const alive = p.hosts.some((h) => !lost.has(h));
    survives.set(p.id, alive);
    if (!alive) v.exemptPairs.push(p.id);
    else if (!p.inService || p.primariesUp !== 1)
      v.unconvergedPairs.push(
        `${p.id}: ${p.primariesUp} primaries, in service: ${p.inService ? 'yes' : 'none'}; ${p.members}`,
      );
  }
  for (const s of end.scs) {
    if (lost.has(s.host)) continue;
    v.ordersPending += s.ordersPending;
    for (const p of s.pairsWithOrders) v.orders.push(`${s.id}:${p}`);
  }
  // A pair the end state does not list (none in a well-formed one) is taken as surviving.
  const alive = (p: PairId) => survives.get(p) ?? true;
  const usable = (p: Place) =>
    alive(p.pair) && (p.proxyHosts.length === 0 || p.proxyHosts.some((h) => !lost.has(h)));
  for (const a of end.agents) {
    if (!a.onDuty) continue;
    // An agent with no place at all (none in a valid topology) is judged, as before any loss.
    if (a.places.length > 0 && !a.places.some(usable)) {
      v.exemptAgents++;
      continue;
    }
    if (!a.working || (a.via !== undefined && !alive(a.via))) v.agentsOut.push(a.name);
  }
  return v;
}
