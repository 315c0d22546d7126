// Stat Server: no options of its own beyond the HA and client ones.
import type { OptionSpec } from '../../spec/option-spec.js';

export const STATSERVER_OPTIONS = [] as const satisfies readonly OptionSpec[];
