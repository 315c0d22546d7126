// The key figures of a run and which values an architect should look at: one list for the
// terminal summary of `ccsim run` and the key-figure cards of report.html.

import type { SummaryColumn } from '../scenario/columns.js';
import { ABANDON_SHARE_TARGET, SERVICE_LEVEL_TARGET } from './defaults.js';

export interface KeyMetric {
  col: SummaryColumn;
  label: string;
  /** A value worth a look (shown red); `of` reads another column of the same replication. */
  bad?: (v: number, of: (col: SummaryColumn) => number) => boolean;
  /**
   * A share of the calls offered: no figure to show where none was offered (summary.csv writes
   * 0 there; the terminal and the page show a dash, not a service level of 0).
   */
  ofCalls?: boolean;
}

const anyIsBad = (v: number): boolean => v > 0;
/** Abandoned calls above the target share of offered calls. */
const abandonsAboveTarget = (v: number, of: (col: SummaryColumn) => number): boolean =>
  of('calls_offered') > 0 && v / of('calls_offered') > ABANDON_SHARE_TARGET;

export const KEY_METRICS: readonly KeyMetric[] = [
  { col: 'switchovers', label: 'switchovers' },
  { col: 'switchover_max_s', label: 'switchover max' },
  { col: 'service_gap_max_s', label: 'service gap max', bad: anyIsBad },
  { col: 'split_brain_s', label: 'split brain', bad: anyIsBad },
  { col: 'calls_offered', label: 'calls offered' },
  { col: 'calls_dropped', label: 'calls dropped', bad: anyIsBad },
  { col: 'calls_degraded', label: 'calls degraded', bad: anyIsBad },
  { col: 'calls_rejected', label: 'calls rejected', bad: anyIsBad },
  { col: 'calls_abandoned', label: 'calls abandoned', bad: abandonsAboveTarget },
  {
    col: 'service_level',
    label: 'service level',
    bad: (v, of) => of('calls_offered') > 0 && v < SERVICE_LEVEL_TARGET,
    ofCalls: true,
  },
  { col: 'agents_impacted', label: 'agents impacted', bad: anyIsBad },
  { col: 'agent_outage_max_s', label: 'agent outage max', bad: anyIsBad },
  { col: 'dr_switchovers', label: 'DR switchovers' },
  { col: 'icon_lost_all', label: 'ICON events lost', bad: anyIsBad },
];
