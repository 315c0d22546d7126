// Interaction Concentrator options.
import {
  booleanOption,
  durationOption,
  integerOption,
  numberOption,
  type OptionSpec,
} from '../../spec/option-spec.js';

export const ICON_OPTIONS = [
  // ms; doc: in-memory accumulator flush period.
  durationOption(
    'acc-queue-lifespan',
    5_000,
    'doc',
    'ICON flushes its in-memory queue this often',
    { minMs: 1 },
  ),
  // records; doc: in-memory accumulator flush size.
  integerOption(
    'acc-queue-size',
    500,
    'doc',
    'ICON flushes its in-memory queue at this many records',
    { min: 1 },
  ),
  // records; model assumption: persistent queue capacity.
  integerOption('pq-size-max', 1_000_000, 'model', 'ICON persistent queue capacity (records)', {
    min: 1,
  }),
  // probability; model assumption: seed 001 names a failure to restore the persistent queue at
  // ICON restart without a rate. Drawn once per restart from the ICON's own stream.
  numberOption(
    'pq-restore-failure-probability',
    0.02,
    'model',
    'an ICON that restarts fails to restore its persistent queue (what was queued is lost for its IDB)',
    { min: 0, max: 1 },
  ),
  // doc: record data-source sessions (G_DSS_* tables).
  booleanOption('use-dss-monitor', true, 'doc', 'ICON records data-source sessions'),
] as const satisfies readonly OptionSpec[];
