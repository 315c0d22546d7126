// What one replication measures and returns to the reports: the result shape, the counters of
// summary.csv, the agent rows, split-brain time across pairs and where call impacts are
// attributed. Reads the components at the end of a run; changes none of their behaviour.

import { mapObjects, objectArray } from '../sim/arrays.js';
import { agentName } from '../spec/agents.js';
import type { TopologySpec } from '../spec/types.js';
import type { OutageRecord, ServiceResult } from './availability.js';
import type { Desktops } from './desktop/desktop.js';
import type { HaPair } from './ha-pair/pair.js';
import type { IconResult } from './icon/icons.js';
import type { EndState, LivenessVerdict } from './liveness.js';
import type { FaultRow, SwitchoverRecord } from './recorder.js';
import type { Scs } from './scs/scs.js';
import type { CallImpact } from './telephony/observer.js';
import type { IntervalRow, Telephony } from './telephony/telephony.js';

export interface PairResult {
  id: string;
  redundancy: string;
  gapMaxMs: number;
  gapTotalMs: number;
  splitBrainMs: number;
}

export interface ReplicationResult {
  replication: number;
  seed: number;
  simMs: number;
  events: number;
  switchovers: SwitchoverRecord[];
  faults: FaultRow[];
  pairs: PairResult[];
  /** Time during which at least one pair had two primaries. */
  splitBrainMs: number;
  counters: Record<string, number>;
  intervals: IntervalRow[];
  agents: AgentRow[];
  /** data-loss.csv, idb-windows.csv and dss.csv rows (ICONs and their IDBs). */
  icon: IconResult;
  /** availability.csv: every pair, each site's telephony, each call service, the whole center. */
  services: ServiceResult[];
  /** Every service outage with the fault it is attributed to (criticality). */
  outages: OutageRecord[];
  /** The liveness judgement at the end, over what the losses for good leave (liveness.ts). */
  liveness: LivenessVerdict;
}

export interface AgentRow {
  agent: string;
  group: string;
  preferredSite: string;
  outageMs: number;
  drSwitchovers: number;
  finalSite: string;
  backOnPreferredAtMs: number | undefined;
}

/** Time during which at least one pair has two primaries (one clock for the whole center). */
export class SplitBrainClock {
  private splitPairs = 0;
  private startMs = -1;
  private totalMs = 0;

  /** A pair's state changed at `nowMs`. */
  update(nowMs: number, pairs: readonly HaPair[]): void {
    const before = this.splitPairs;
    this.splitPairs = pairs.filter((p) => p.currentState === 'split-brain').length;
    if (before === 0 && this.splitPairs > 0) this.startMs = nowMs;
    if (before > 0 && this.splitPairs === 0) {
      this.totalMs += nowMs - this.startMs;
      this.startMs = -1;
    }
  }

  /** The total at the end of the run (a split still open counts until `endMs`). */
  finish(endMs: number): number {
    if (this.startMs >= 0) {
      this.totalMs += endMs - this.startMs;
      this.startMs = -1;
    }
    return this.totalMs;
  }
}

export function pairResult(p: HaPair): PairResult {
  return {
    id: p.id,
    redundancy: p.redundancy,
    gapMaxMs: p.gapMaxMs,
    gapTotalMs: p.gapTotalMs,
    splitBrainMs: p.splitBrainMs,
  };
}

/**
 * Each failure's call impact goes to the first switchover of that pair detected after it; one
 * applied as the pair served again, to the switchover or recovery that completed then.
 */
export function attributeImpacts(
  impacts: readonly CallImpact[],
  switchovers: readonly SwitchoverRecord[],
): void {
  for (const imp of impacts) {
    const rec = switchovers.find((s) =>
      imp.atRestore === true
        ? s.pair === imp.pair && s.completedAtMs === imp.atMs
        : s.pair === imp.pair && s.detectedAtMs >= imp.atMs,
    );
    if (!rec) continue;
    rec.callsDropped += imp.dropped;
    rec.callsDegraded += imp.degraded;
  }
}

/** The pairs, SCSs and agents at the end of the run, as the liveness judgement reads them. */
export function endState(
  pairs: readonly HaPair[],
  scs: readonly Scs[],
  desktops: Desktops,
  agents: readonly AgentRow[],
): EndState {
  return {
    pairs: mapObjects(pairs, (p) => ({
      id: p.id,
      hosts: mapObjects(p.members, (m) => m.host.id),
      primariesUp: p.primariesUp(),
      inService: p.primaryInService() !== undefined,
      members: mapObjects(p.members, (m) => `${m.id}=${m.stateLabel()}`).join(', '),
    })),
    scs: mapObjects(scs, (s) => ({
      id: s.id,
      host: s.hostId,
      ordersPending: s.ordersPending,
      pairsWithOrders: s.pairsWithOrders(),
    })),
    agents: desktops.agentEnds(mapObjects(agents, (r) => r.agent)),
  };
}

/** summary.csv's per-replication counters (the ICON model adds its own). */
export function runCounters(
  tel: Telephony,
  liveness: LivenessVerdict,
  desktops: Desktops,
): Record<string, number> {
  const t = tel.totals;
  let impacted = 0;
  let outageSum = 0;
  let outageMax = 0;
  for (let a = 0; a < tel.agents.count; a++) {
    const o = tel.outageMs[a]!;
    if (o > 0) impacted++;
    outageSum += o;
    outageMax = Math.max(outageMax, o);
  }
  return {
    calls_offered: t.offered,
    calls_answered: t.answered,
    calls_answered_in_sl: t.answeredInSl,
    answer_wait_ms_sum: t.waitSumMs,
    calls_abandoned: t.abandoned,
    calls_rejected: t.rejected,
    calls_dropped: t.dropped,
    calls_degraded: t.degraded,
    calls_dropped_answered: t.droppedAnswered,
    calls_open_end: tel.calls.openCount(),
    calls_overflowed: t.overflowed,
    agents_impacted: impacted,
    // At the end, among what the scenario's losses for good leave (liveness.ts): pairs without
    // exactly one primary in service, agents on duty not logged in where they can work, orders
    // an SCS still waits for.
    unconverged_pairs: liveness.unconvergedPairs.length,
    agents_logged_out_end: liveness.agentsOut.length,
    orders_pending_end: liveness.ordersPending,
    dr_switchovers: desktops.drSwitchovers.reduce((n, x) => n + x, 0),
    config_warnings: desktops.warnings.configuration,
    stat_warnings: desktops.warnings.statistics,
    desktop_login_max_ms: desktops.stats.loginMaxMs,
    dr_login_span_ms: desktops.stats.drLoginSpanMaxMs,
    logins_via_peer_csproxy: desktops.stats.loginsViaPeerProxy,
    csproxy_bc_moves: desktops.stats.csproxyMoves,
    statserver_bc_moves: desktops.stats.statserverMoves,
    restore_wait_max_ms: desktops.stats.restoreWaitMaxMs,
    returns_to_preferred: desktops.stats.returnsToPreferred,
    return_to_preferred_sum_ms: desktops.stats.returnToPreferredSumMs,
    return_to_preferred_max_ms: desktops.stats.returnToPreferredMaxMs,
    desktop_disconnects: desktops.stats.disconnects,
    agent_outage_mean_ms: tel.agents.count > 0 ? outageSum / tel.agents.count : 0,
    agent_outage_max_ms: outageMax,
  };
}

/** agents.csv: one row per agent, named as the loader names them. */
export function agentRows(topo: TopologySpec, tel: Telephony, desktops: Desktops): AgentRow[] {
  const rows = objectArray<AgentRow>();
  const index = new Map<number, number>();
  for (let a = 0; a < tel.agents.count; a++) {
    const gi = tel.agents.group[a]!;
    const g = topo.agentGroups[gi]!;
    const k = index.get(gi) ?? 0;
    index.set(gi, k + 1);
    const back = desktops.backOnPreferredAtMs[a]!;
    rows.push({
      agent: agentName(g.group, g.count, k),
      group: g.group,
      preferredSite: g.preferredSite,
      outageMs: tel.outageMs[a]!,
      drSwitchovers: desktops.drSwitchovers[a]!,
      finalSite: desktops.siteOf(a) ?? '',
      backOnPreferredAtMs: back >= 0 ? back : undefined,
    });
  }
  return rows;
}
