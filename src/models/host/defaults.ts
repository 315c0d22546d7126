// Host options.
import { durationOption, type OptionSpec } from '../../spec/option-spec.js';

export const HOST_OPTIONS = [
  // ms; model assumption: power-on to LCA running.
  durationOption(
    'host-boot-time',
    120_000,
    'model',
    'time a restored host takes to boot and start its LCA',
  ),
] as const satisfies readonly OptionSpec[];
