// Configuration Server and proxies: no options of their own beyond the HA and client ones.
import type { OptionSpec } from '../../spec/option-spec.js';

export const CONFIG_OPTIONS = [] as const satisfies readonly OptionSpec[];
