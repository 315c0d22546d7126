// Working hours (SPEC §5.1 `shifts`): which agents work each shift of their group, and who is on
// duty at a moment. A group's agents, in order, fill its shifts; a group without shifts works
// the whole run. Leaves out: breaks, absenteeism, agents working two shifts.

import { shiftOnAt } from '../../spec/shifts.js';
import type { AgentGroupSpec, SiteId } from '../../spec/types.js';

/** One shift of one group and the agents (a range of indices) who work it. */
export interface ShiftRun {
  group: number;
  /** Where its agents are scheduled (the group's preferred site). */
  site: SiteId;
  /** First agent (index over every group, groups in order) and how many. */
  first: number;
  count: number;
  startMs: number;
  endMs: number;
}

/** The shifts of every group, in group then shift order (agents numbered groups in order). */
export function shiftRuns(groups: readonly AgentGroupSpec[]): ShiftRun[] {
  const runs: ShiftRun[] = [];
  let offset = 0;
  groups.forEach((g, gi) => {
    let first = offset;
    for (const s of g.shifts ?? []) {
      runs.push({
        group: gi,
        site: g.preferredSite,
        first,
        count: s.count,
        startMs: s.startMs,
        endMs: s.endMs,
      });
      first += s.count;
    }
    offset += g.count;
  });
  return runs;
}

/** Per agent (groups in order), 1 when it works at `tMs`: in a shift on then, or no shifts. */
export function onDutyAt(groups: readonly AgentGroupSpec[], tMs: number): Uint8Array {
  const n = groups.reduce((k, g) => k + g.count, 0);
  const duty = new Uint8Array(n);
  let offset = 0;
  for (const g of groups) {
    if (g.shifts === undefined) duty.fill(1, offset, offset + g.count);
    offset += g.count;
  }
  for (const r of shiftRuns(groups))
    if (shiftOnAt(r, tMs)) duty.fill(1, r.first, r.first + r.count);
  return duty;
}
