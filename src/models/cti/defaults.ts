// CTI link (T-Server ↔ switch / CSTA connector) options.
import { durationOption, integerOption, type OptionSpec } from '../../spec/option-spec.js';

export const CTI_OPTIONS = [
  // ms; doc: keep-alive poll interval on the CTI link.
  durationOption('kpl-interval', 10_000, 'doc', 'CTI keep-alive interval', { minMs: 1 }),
  // doc: unanswered keep-alives before the link is declared down.
  integerOption(
    'kpl-tolerance',
    3,
    'doc',
    'unanswered keep-alives before a silent link is declared down',
    { min: 1 },
  ),
  // ms; doc: reconnect attempt period for a lost link.
  durationOption('connect-tout', 2_000, 'doc', 'CTI link reconnect attempt period', { minMs: 1 }),
] as const satisfies readonly OptionSpec[];
