// Interval reporting (intervals.csv): per report-interval and site, call outcomes counted at the
// call's entry site, and agents logged in and Ready as time-weighted means at the agents' site.

import type { Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { SiteId } from '../../spec/types.js';

export interface IntervalRow {
  startMs: number;
  site: SiteId;
  offered: number;
  answered: number;
  abandoned: number;
  dropped: number;
  overflowed: number;
  answeredInSl: number;
  waitSumMs: number;
  loggedInMean: number;
  readyMean: number;
}

export class Intervals implements Handler {
  readonly rows: IntervalRow[] = [];
  readonly offered: Int32Array;
  readonly answered: Int32Array;
  readonly abandoned: Int32Array;
  readonly dropped: Int32Array;
  readonly overflowed: Int32Array;
  readonly inSl: Int32Array;
  readonly waitMs: Float64Array;
  private startMs = 0;
  private readonly loggedIn: Int32Array;
  private readonly ready: Int32Array;
  private readonly loggedArea: Float64Array;
  private readonly readyArea: Float64Array;
  private readonly areaSinceMs: Float64Array;

  constructor(
    private readonly env: Env,
    private readonly sites: readonly SiteId[],
  ) {
    const ns = sites.length;
    this.offered = new Int32Array(ns);
    this.answered = new Int32Array(ns);
    this.abandoned = new Int32Array(ns);
    this.dropped = new Int32Array(ns);
    this.overflowed = new Int32Array(ns);
    this.inSl = new Int32Array(ns);
    this.waitMs = new Float64Array(ns);
    this.loggedIn = new Int32Array(ns);
    this.ready = new Int32Array(ns);
    this.loggedArea = new Float64Array(ns);
    this.readyArea = new Float64Array(ns);
    this.areaSinceMs = new Float64Array(ns);
  }

  /** Arms the first interval end. */
  start(): void {
    this.env.ctx.schedule(this.env.opts.ms('report-interval'), this, 0, 0);
  }

  addLoggedIn(site: number, d: number): void {
    this.accumulate(site);
    this.loggedIn[site]! += d;
  }

  addReady(site: number, d: number): void {
    this.accumulate(site);
    this.ready[site]! += d;
  }

  private accumulate(site: number): void {
    const now = this.env.ctx.nowMs;
    const dt = now - this.areaSinceMs[site]!;
    if (dt > 0) {
      this.loggedArea[site]! += this.loggedIn[site]! * dt;
      this.readyArea[site]! += this.ready[site]! * dt;
      this.areaSinceMs[site] = now;
    }
  }

  /** Closes the open interval at `endMs` (the end of the run, or of the interval). */
  close(endMs: number): void {
    const span = endMs - this.startMs;
    if (span <= 0) return;
    for (let s = 0; s < this.sites.length; s++) {
      this.accumulate(s);
      this.rows.push({
        startMs: this.startMs,
        site: this.sites[s]!,
        offered: this.offered[s]!,
        answered: this.answered[s]!,
        abandoned: this.abandoned[s]!,
        dropped: this.dropped[s]!,
        overflowed: this.overflowed[s]!,
        answeredInSl: this.inSl[s]!,
        waitSumMs: this.waitMs[s]!,
        loggedInMean: this.loggedArea[s]! / span,
        readyMean: this.readyArea[s]! / span,
      });
      this.loggedArea[s] = 0;
      this.readyArea[s] = 0;
    }
    for (const arr of [
      this.offered,
      this.answered,
      this.abandoned,
      this.dropped,
      this.overflowed,
      this.inSl,
      this.waitMs,
    ])
      arr.fill(0);
    this.startMs = endMs;
  }

  onEvent(): void {
    const { ctx, opts } = this.env;
    this.close(ctx.nowMs);
    ctx.schedule(opts.ms('report-interval'), this, 0, 0);
  }
}
