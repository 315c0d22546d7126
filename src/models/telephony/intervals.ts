// Interval reporting (intervals.csv): per report-interval, site and service, call outcomes
// counted at the call's entry site in the interval it was offered in (a call offered at 10:14:55
// and answered at 10:15:10 is answered in the 10:00 row: each row's service level is a share of
// its own offers, at most 1, as staffing per interval reads it), and the agents of the service's
// groups logged in, Ready and scheduled at the site, as time-weighted means; beside them the
// site's agents of every group (each agent once: a group several services share counts once
// there). Calls offered before the warmup are not counted.

import { assert, grown, objectArray, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';
import type { Services } from './services.js';

export interface IntervalRow {
  startMs: number;
  site: SiteId;
  service: string;
  offered: number;
  answered: number;
  abandoned: number;
  dropped: number;
  overflowed: number;
  answeredInSl: number;
  waitSumMs: number;
  loggedInMean: number;
  readyMean: number;
  scheduledMean: number;
  /** The site's agents of every group (each agent counted once, whatever services share its group). */
  siteLoggedInMean: number;
  siteReadyMean: number;
}

/**
 * The mean of a level over `spanMs` from its area (level × ms). Every mean of a row is divided
 * here, at one place: V8 sees fractional quotients from the first interval on and compiles a
 * floating-point division, where five divisions of their own, some whole for hours (agents
 * scheduled), were compiled as integer ones and threw close()'s optimised code away at their
 * first fraction (in bench-day, in a later replication).
 */
function mean(area: number, spanMs: number): number {
  return area / spanMs;
}

/** Per (site, group) levels integrated over time. */
class GroupLevels {
  readonly level: Int32Array;
  readonly area: Float64Array;
  private readonly sinceMs: Float64Array;

  constructor(n: number) {
    this.level = new Int32Array(n);
    this.area = new Float64Array(n);
    this.sinceMs = new Float64Array(n);
  }

  add(i: number, d: number, nowMs: number): void {
    this.accumulate(i, nowMs);
    this.level[i]! += d;
  }

  accumulateAll(nowMs: number): void {
    for (let i = 0; i < this.level.length; i++) this.accumulate(i, nowMs);
  }

  accumulate(i: number, nowMs: number): void {
    const dt = nowMs - this.sinceMs[i]!;
    if (dt > 0) {
      this.area[i]! += this.level[i]! * dt;
      this.sinceMs[i] = nowMs;
    }
  }
}

export class Intervals implements Handler {
  readonly rows: IntervalRow[] = objectArray();
  /** Call counters, index site × services + service. */
  readonly offered: Int32Array;
  readonly answered: Int32Array;
  readonly abandoned: Int32Array;
  readonly dropped: Int32Array;
  readonly overflowed: Int32Array;
  readonly inSl: Int32Array;
  readonly waitMs: Float64Array;
  private startMs = 0;
  /**
   * Per closed interval n and counter index k (site × services + service), at n × counters + k:
   * the index in `rows` of its row (-1: none, a trunk service without calls), where an outcome of
   * a call offered in that interval is counted once the interval has closed.
   */
  private rowIndex = new Int32Array(1024);
  private closed = 0;
  private readonly nSvc: number;
  private readonly nGroup: number;
  private readonly loggedIn: GroupLevels;
  private readonly ready: GroupLevels;
  private readonly scheduled: GroupLevels;

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
    private readonly services: Services,
    groups: number,
  ) {
    this.nSvc = services.count;
    this.nGroup = Math.max(1, groups);
    const n = sites.length * this.nSvc;
    this.offered = new Int32Array(n);
    this.answered = new Int32Array(n);
    this.abandoned = new Int32Array(n);
    this.dropped = new Int32Array(n);
    this.overflowed = new Int32Array(n);
    this.inSl = new Int32Array(n);
    this.waitMs = new Float64Array(n);
    const ng = sites.length * this.nGroup;
    this.loggedIn = new GroupLevels(ng);
    this.ready = new GroupLevels(ng);
    this.scheduled = new GroupLevels(ng);
  }

  /** Index of the call counters of a site and service. */
  at(site: number, svc: number): number {
    return site * this.nSvc + svc;
  }

  /** Start of the open interval: a call offered before it is counted in its closed row (`rowOf`). */
  get openSinceMs(): number {
    return this.startMs;
  }

  /** The row of the closed interval a call was offered in at `offeredMs`, counters index `k`. */
  rowOf(offeredMs: number, k: number): IntervalRow {
    const n = Math.floor(offeredMs / this.env.opts.ms('report-interval'));
    const i = n < this.closed ? this.rowIndex[n * this.offered.length + k]! : -1;
    // A call is counted in the row of its offer, which exists: the offer made it non-empty.
    if (i < 0) assert(false, `intervals: no row for a call offered at ${offeredMs} ms (${k})`);
    return this.rows[i]!;
  }

  /** Arms the first interval end. */
  start(): void {
    this.env.ctx.schedule(this.env.opts.ms('report-interval'), this, 0, 0);
  }

  addLoggedIn(site: number, group: number, d: number): void {
    this.loggedIn.add(site * this.nGroup + group, d, this.env.ctx.nowMs);
  }

  /** Index of the agent levels (logged in, Ready, scheduled) of a site and group. */
  levelIndex(site: number, group: number): number {
    return site * this.nGroup + group;
  }

  /** `d` more Ready agents at level `i` (levelIndex: a ready list's site and group). */
  addReadyAt(i: number, d: number): void {
    this.ready.add(i, d, this.env.ctx.nowMs);
  }

  addScheduled(site: number, group: number, d: number): void {
    this.scheduled.add(site * this.nGroup + group, d, this.env.ctx.nowMs);
  }

  /** Closes the open interval at `endMs` (the end of the run, or of the interval). */
  close(endMs: number): void {
    const span = endMs - this.startMs;
    if (span <= 0) return;
    this.loggedIn.accumulateAll(endMs);
    this.ready.accumulateAll(endMs);
    this.scheduled.accumulateAll(endMs);
    const counters = this.offered.length;
    const base = this.closed * counters;
    if (base + counters > this.rowIndex.length)
      this.rowIndex = grown(this.rowIndex, Math.max(2 * this.rowIndex.length, base + counters));
    this.rowIndex.fill(-1, base, base + counters);
    this.closed++;
    for (let s = 0; s < this.sites.length; s++) {
      let siteLogged = 0;
      let siteReady = 0;
      for (let g = 0; g < this.nGroup; g++) {
        siteLogged += this.loggedIn.area[s * this.nGroup + g]!;
        siteReady += this.ready.area[s * this.nGroup + g]!;
      }
      for (let v = 0; v < this.nSvc; v++) {
        const svc = this.services.list[v]!;
        // The T-Server trunk service appears only where it has calls.
        const k = this.at(s, v);
        if (svc.tserver && this.offered[k] === 0 && this.answered[k] === 0) continue;
        this.rowIndex[base + k] = this.rows.length;
        let logged = 0;
        let ready = 0;
        let scheduled = 0;
        const groups = this.services.groupsOf[v]!;
        for (let j = 0; j < groups.length; j++) {
          const i = s * this.nGroup + groups[j]!;
          logged += this.loggedIn.area[i]!;
          ready += this.ready.area[i]!;
          scheduled += this.scheduled.area[i]!;
        }
        this.rows.push({
          startMs: this.startMs,
          site: this.sites[s]!,
          service: svc.name,
          offered: this.offered[k]!,
          answered: this.answered[k]!,
          abandoned: this.abandoned[k]!,
          dropped: this.dropped[k]!,
          overflowed: this.overflowed[k]!,
          answeredInSl: this.inSl[k]!,
          waitSumMs: this.waitMs[k]!,
          loggedInMean: mean(logged, span),
          readyMean: mean(ready, span),
          scheduledMean: mean(scheduled, span),
          siteLoggedInMean: mean(siteLogged, span),
          siteReadyMean: mean(siteReady, span),
        });
      }
    }
    this.loggedIn.area.fill(0);
    this.ready.area.fill(0);
    this.scheduled.area.fill(0);
    this.offered.fill(0);
    this.answered.fill(0);
    this.abandoned.fill(0);
    this.dropped.fill(0);
    this.overflowed.fill(0);
    this.inSl.fill(0);
    this.waitMs.fill(0);
    this.startMs = endMs;
  }

  onEvent(): void {
    const { ctx, opts } = this.env;
    this.close(ctx.nowMs);
    ctx.schedule(opts.ms('report-interval'), this, 0, 0);
  }
}
