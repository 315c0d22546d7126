// Client-side HA options (how clients find the new primary).
import { durationOption, type OptionSpec } from '../../spec/option-spec.js';

export const HA_OPTIONS = [
  // ms; doc: warm standby client reconnect delay.
  durationOption(
    'reconnect-timeout',
    10_000,
    'doc',
    'warm standby: client waits this long before reconnecting',
  ),
  // ms; model assumption: ADDP on client connections (host or path loss).
  durationOption('client-addp-timeout', 10_000, 'model', 'ADDP on client→server connections', {
    minMs: 1,
  }),
] as const satisfies readonly OptionSpec[];
