// Solution Control Server and ADDP options.
import { durationOption, integerOption, type OptionSpec } from '../../spec/option-spec.js';

export const SCS_OPTIONS = [
  // ms; doc: host option, ADDP on the SCS→LCA connection.
  durationOption(
    'addp-timeout',
    9_000,
    'doc',
    'ADDP: silence before SCS polls an LCA, and wait for the answer',
    { minMs: 1 },
  ),
  // ms; doc: 0 = the LCA side does not poll.
  durationOption('addp-remote-timeout', 0, 'doc', 'ADDP timeout of the remote (LCA) side; 0 = off'),
  // ms; doc: after losing an LCA, wait and re-check before switching over.
  durationOption(
    'disconnect-switchover-timeout',
    0,
    'doc',
    'after an LCA loss, wait this long and re-check before switching over',
  ),
  // ms; model assumption: SCS order to backup running in primary mode.
  durationOption('switchover-time', 500, 'model', 'promotion: order to backup serving as primary'),
  // ms; model assumption: an order (switchover, demotion) that no report confirms within this
  // long is dropped and the pair decided again at once (a lost order: sent again).
  durationOption(
    'scs-order-timeout',
    30_000,
    'model',
    'an SCS order nobody confirms within this long is dropped; the pair is decided again',
    { minMs: 1 },
  ),
  // model assumption (seed 000: "repeated attempts to restart the process"): starts SCS orders
  // for a failed app, app-start-time apart, before it gives up until the app's LCA reconnects.
  integerOption(
    'restart-attempts',
    10,
    'model',
    'starts SCS orders for a failed app (app-start-time apart) before giving up',
    { min: 1 },
  ),
] as const satisfies readonly OptionSpec[];
