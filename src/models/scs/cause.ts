// Why SCS switches a pair over (switchovers.csv `cause`, `fault`, `detected_at`): read from its
// view of the failed member — down (host failure, crash, shutdown: as first detected), Service
// Unavailable, hung, or simply not primary — and the fault blamed for it. A member that was not
// running when that fault hit (restarted, or its host or site restored) brings the pair back:
// a recovery, not a switchover (SPEC §5.3).

import type { App, AppStatus, Role } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { SwitchoverCause } from '../recorder.js';
import { appKey, hostKey, pairKey, type Blame, type FaultRef } from '../faults/blame.js';

/** What an SCS believes of an app, built only from what reached it. */
export interface AppView {
  status: AppStatus;
  role: Role;
  /** Believed down since, and why (first detection wins until the app is seen again). */
  down?: {
    cause: SwitchoverCause;
    atMs: number;
    fault?: FaultRef;
    actAfterMs: number;
    /** Graceful shutdown: when the drain ended (the process exited). */
    drainEndMs?: number;
  };
  /** When the running process started, as its LCA reported it. */
  startedAtMs: number;
}

export interface SwitchoverWhy {
  cause: SwitchoverCause;
  detectedAtMs: number;
  fault: FaultRef | undefined;
  /** Graceful shutdown: when the drain ended. */
  drainEndMs: number | undefined;
}

/** Why `pair` is switched from `failed` (viewed as `vf`) to a target viewed as `vt`, at `now`. */
export function switchoverCause(
  pair: HaPair,
  failed: App,
  vf: AppView,
  vt: AppView,
  blame: Blame,
  now: number,
): SwitchoverWhy {
  let cause: SwitchoverCause;
  let detectedAtMs = now;
  let fault: FaultRef | undefined;
  if (vf.down) {
    cause = vf.down.cause;
    detectedAtMs = vf.down.atMs;
    fault = vf.down.fault;
  } else if (vf.role === 'primary' && vf.status === 'service-unavailable') {
    cause = 'service-unavailable';
    fault = blame.latest([appKey(failed.id), pairKey(pair.id)]);
  } else if (vf.role === 'primary' && vf.status === 'hung') {
    cause = 'hang';
    fault = blame.latest([appKey(failed.id)]);
  } else {
    cause = 'no-primary';
    const target = pair.other(failed);
    fault = blame.latest([
      appKey(failed.id),
      appKey(target.id),
      hostKey(failed.host.id),
      pairKey(pair.id),
    ]);
  }
  const hitAtMs = fault?.atMs ?? vf.down?.atMs ?? now;
  if (vt.startedAtMs > hitAtMs) cause = 'recovery';
  const drainEndMs = cause === 'shutdown' ? vf.down?.drainEndMs : undefined;
  return { cause, detectedAtMs, fault, drainEndMs };
}
