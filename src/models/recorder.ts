// What a replication produces for the reports: switchover records, fault rows, counters.
// Components write here; src/report reads the finished result.

import { objectArray } from '../sim/arrays.js';
import type { PairId } from '../spec/types.js';
import type { FaultRef } from './faults/blame.js';

export type SwitchoverCause =
  | 'host-failure'
  | 'process-failure'
  | 'lca-failure'
  | 'hang'
  | 'service-unavailable'
  | 'manual'
  | 'no-primary'
  | 'peer-scs-lost'
  | 'shutdown'
  /** A stopped member restarted, or its host or site was restored (SPEC §5.3): not a switchover. */
  | 'recovery';

export interface SwitchoverRecord {
  pair: PairId;
  redundancy: string;
  cause: SwitchoverCause;
  fault?: FaultRef;
  detectedAtMs: number;
  completedAtMs?: number;
  from: string;
  to: string;
  callsDropped: number;
  callsDegraded: number;
  /** Why it did not complete, when it did not. */
  failure?: string;
  /** Graceful shutdown: when the drain ended (the server exited); the switchover counts from it. */
  drainEndMs?: number;
}

/** Where a switchover's detection and duration are measured from: the drain's end for a graceful shutdown, else the fault. */
export function switchoverFromMs(s: SwitchoverRecord): number {
  return s.drainEndMs ?? s.fault?.atMs ?? s.detectedAtMs;
}

export interface FaultRow {
  faultId: string;
  kind: string;
  target: string;
  atMs: number;
  clearedAtMs?: number;
}

export class Recorder {
  readonly switchovers: SwitchoverRecord[] = objectArray();
  readonly faults: FaultRow[] = objectArray();
  private readonly openFaults = new Map<string, FaultRow[]>();

  switchover(r: Omit<SwitchoverRecord, 'callsDropped' | 'callsDegraded'>): SwitchoverRecord {
    const rec: SwitchoverRecord = { ...r, callsDropped: 0, callsDegraded: 0 };
    this.switchovers.push(rec);
    return rec;
  }

  /** A fault was applied; `clearKey` names what must return to normal to clear it. */
  faultApplied(row: FaultRow, clearKey?: string): void {
    this.faults.push(row);
    if (clearKey) {
      const list = this.openFaults.get(clearKey) ?? [];
      list.push(row);
      this.openFaults.set(clearKey, list);
    }
  }

  /** The element named by clearKey is back to normal: its open faults are cleared now. */
  cleared(clearKey: string, atMs: number): void {
    const list = this.openFaults.get(clearKey);
    if (!list) return;
    for (const f of list) f.clearedAtMs = atMs;
    this.openFaults.delete(clearKey);
  }
}
