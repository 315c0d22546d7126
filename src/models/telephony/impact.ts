// What a telephony failure does to each call in progress (DOMAIN §6): one table, cause × call
// state → drop / degrade / keep. pool-service.ts classifies the failure and applies the table.

import type { App } from '../ha-pair/app.js';
import { CallState, type CallPool } from './calls.js';

export type FailureCause =
  /** No server of a site's SIP pair runs: every call whose signalling runs through it is cut. */
  | 'site-failure'
  /** The primary lost its CTI link: the switch keeps the calls, the T-Server loses track of those in progress. */
  | 'cti-link-loss'
  /** Warm standby switchover: transitional calls drop, established ones lose control and data. */
  | 'warm-switchover'
  /** Hot standby switchover, the call created or changed within ha-sync-lag (not yet synchronised). */
  | 'hot-switchover-unsynced'
  /** Hot standby switchover, the call synchronised: it survives with its data. */
  | 'hot-switchover-synced'
  /** graceful-shutdown-max reached: what is left of the drain is cut. */
  | 'shutdown-cap';

export const FAILURE_CAUSES: readonly FailureCause[] = [
  'site-failure',
  'cti-link-loss',
  'warm-switchover',
  'hot-switchover-unsynced',
  'hot-switchover-synced',
  'shutdown-cap',
];

export type CallImpactKind = 'drop' | 'degrade' | 'keep';

/** The states a call in progress can be in (Free is no call). */
export type LiveCallState =
  CallState.Pending | CallState.Queued | CallState.Ringing | CallState.Talking;

export const LIVE_CALL_STATES: readonly LiveCallState[] = [
  CallState.Pending,
  CallState.Queued,
  CallState.Ringing,
  CallState.Talking,
];

// Columns: Pending (INVITE not yet answered), Queued, Ringing, Talking.
const TABLE: Readonly<
  Record<FailureCause, readonly [CallImpactKind, CallImpactKind, CallImpactKind, CallImpactKind]>
> = {
  // Pending calls have no server yet: the gateway's INVITE timeout decides them.
  'site-failure': ['keep', 'drop', 'drop', 'drop'],
  // The queue lives in the switch: queued calls are untouched; the T-Server loses the others.
  'cti-link-loss': ['keep', 'keep', 'degrade', 'degrade'],
  'warm-switchover': ['keep', 'drop', 'drop', 'degrade'],
  'hot-switchover-unsynced': ['keep', 'degrade', 'degrade', 'degrade'],
  'hot-switchover-synced': ['keep', 'keep', 'keep', 'keep'],
  'shutdown-cap': ['drop', 'drop', 'drop', 'drop'],
};

/** The fate of a call in `state` under `cause`. */
export function callImpact(cause: FailureCause, state: LiveCallState): CallImpactKind {
  return TABLE[cause][state - CallState.Pending]!;
}

/** Why a pool lost its primary, from what its members and its last primary show now. */
export function lossCause(
  kind: 'sip' | 'tserver',
  membersUp: number,
  lastPrimary: App | undefined,
  redundancy: 'warm' | 'hot',
): FailureCause {
  if (membersUp === 0 && kind === 'sip') return 'site-failure';
  if (lastPrimary !== undefined && lastPrimary.up && lastPrimary.status === 'service-unavailable')
    return 'cti-link-loss';
  return redundancy === 'warm' ? 'warm-switchover' : 'hot-switchover-synced';
}

/** What applying the table asks of telephony. */
export interface ImpactHost {
  readonly calls: CallPool;
  dropCall(c: number): void;
  /** The call lost its control at `pool`'s server; false when it had been degraded before (counted once). */
  degrade(c: number, pool: number): boolean;
}

/**
 * Applies the table to every call running through the pool that arrived before `beforeMs`; under a
 * hot switchover the calls created or changed since `lagFromMs` (not yet synchronised) count as
 * unsynced.
 */
export function applyImpact(
  host: ImpactHost,
  pool: number,
  cause: FailureCause,
  lagFromMs: number,
  beforeMs = Infinity,
): { dropped: number; degraded: number } {
  const { calls } = host;
  let dropped = 0;
  let degraded = 0;
  for (let c = 0; c < calls.cap; c++) {
    const st = calls.state[c]! as LiveCallState | CallState.Free;
    // A call delivered across sites runs through both sites' SIP Servers.
    if (st === CallState.Free || (calls.pool[c] !== pool && calls.agentPool[c] !== pool)) continue;
    if (calls.arrMs[c]! >= beforeMs) continue;
    const unsynced = cause === 'hot-switchover-synced' && calls.changedMs[c]! >= lagFromMs;
    const impact = callImpact(unsynced ? 'hot-switchover-unsynced' : cause, st);
    if (impact === 'drop') {
      host.dropCall(c);
      dropped++;
    } else if (impact === 'degrade' && host.degrade(c, pool)) degraded++;
  }
  return { dropped, degraded };
}
