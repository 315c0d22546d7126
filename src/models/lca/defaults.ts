// Local Control Agent options (per application in Genesys; set globally or per scenario here).
import { booleanOption, durationOption, type OptionSpec } from '../../spec/option-spec.js';

/** Smallest non-zero heartbeat-period, ms (doc); confserv and scs need 40 s. */
export const HEARTBEAT_PERIOD_MIN_MS = 10_000;
export const HEARTBEAT_PERIOD_MIN_MGMT_MS = 40_000;

export const LCA_OPTIONS = [
  // ms; doc: 0 = LCA never checks that an app still answers (hangs go unseen).
  durationOption(
    'heartbeat-period',
    0,
    'doc',
    'LCA heartbeat to each app; 0 = hangs are never detected',
  ),
  // doc: after a detected hang, kill and restart the app.
  booleanOption('hangup-restart', true, 'doc', 'restart an app whose heartbeat went unanswered'),
  // model assumption (Genesys Auto-Restart): SCS restarts a failed app.
  booleanOption('autorestart', true, 'model', 'SCS restarts a failed app (it rejoins as backup)'),
  // ms; model assumption: process start to Started.
  durationOption('app-start-time', 20_000, 'model', 'time an app takes from start to Started'),
] as const satisfies readonly OptionSpec[];
