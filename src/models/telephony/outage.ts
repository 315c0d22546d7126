// Outage bookkeeping: per agent on shift, the time it could not take calls because of
// infrastructure (logged out, desktop disconnected, pool out of service) while not busy with a
// call; per site and per group, agents in outage as time-weighted levels (availability's agent
// minutes lost, of a site and of a service's groups).

import { TimeWeighted } from '../../sim/index.js';

export class OutageBook {
  /** The agent's shift has started (its first login). */
  readonly onShift: Uint8Array;
  /** Site of the agent's last pool (outages are counted there). */
  readonly lastSite: Int32Array;
  private readonly siteAtStart: Int32Array;
  /** Agents in outage per site, as a time-weighted level. */
  readonly agentsOut: TimeWeighted[];
  /** Agents in outage per group, as a time-weighted level. */
  readonly groupsOut: TimeWeighted[];
  /** Start of the agent's open outage (-1: none). */
  readonly startMs: Float64Array;
  readonly outageMs: Float64Array;

  constructor(
    agents: number,
    sites: number,
    /** Group (index) of each agent. */
    private readonly group: Int32Array = new Int32Array(agents),
    groups = 1,
  ) {
    this.onShift = new Uint8Array(agents);
    this.lastSite = new Int32Array(agents);
    this.siteAtStart = new Int32Array(agents);
    this.agentsOut = Array.from({ length: sites }, () => new TimeWeighted(0, 0));
    this.groupsOut = Array.from({ length: Math.max(1, groups) }, () => new TimeWeighted(0, 0));
    this.startMs = new Float64Array(agents).fill(-1);
    this.outageMs = new Float64Array(agents);
  }

  /**
   * Records whether the agent is out now. `able`: logged in, connected, Ready, pool in service;
   * `site`: the site of its pool (-1 when logged out: the last one is kept).
   */
  update(a: number, busy: boolean, able: boolean, site: number, nowMs: number): void {
    const out = this.onShift[a] === 1 && !busy && !able;
    if (site >= 0) this.lastSite[a] = site;
    if (out && this.startMs[a]! < 0) {
      this.startMs[a] = nowMs;
      const s = (this.siteAtStart[a] = this.lastSite[a]!);
      this.agentsOut[s]!.set(nowMs, this.agentsOut[s]!.current + 1);
      const g = this.groupsOut[this.group[a]!]!;
      g.set(nowMs, g.current + 1);
    } else if (!out && this.startMs[a]! >= 0) {
      this.end(a, nowMs);
    }
  }

  /** Closes the agent's open outage (startMs[a] >= 0) now. */
  end(a: number, nowMs: number): void {
    this.outageMs[a]! += nowMs - this.startMs[a]!;
    this.startMs[a] = -1;
    const tw = this.agentsOut[this.siteAtStart[a]!]!;
    tw.set(nowMs, tw.current - 1);
    const g = this.groupsOut[this.group[a]!]!;
    g.set(nowMs, g.current - 1);
  }

  /** Adds the open outages up to the end of the run (they stay open). */
  finish(endMs: number): void {
    for (let a = 0; a < this.startMs.length; a++) {
      if (this.startMs[a]! >= 0) {
        this.outageMs[a]! += endMs - this.startMs[a]!;
        this.startMs[a] = endMs;
      }
    }
  }
}
