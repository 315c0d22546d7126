// Call arrivals: one Poisson stream per entry point (a site's gateways, or a T-Server pair's
// own trunk), its rate following the hourly profile; each stream draws from its own random
// streams (arrival times, and the calls' handle time and patience), so the same seed offers the
// same calls whatever the topology (common random numbers).

import { exponential, type Handler, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { TrafficSpec } from '../../spec/types.js';
import type { PoolLayout } from './layout.js';

export interface ArrivalStream {
  /** Entry site (index). */
  site: number;
  /** Pool the gateway sends the call to. */
  pool: number;
  perHour: number;
  rng: Stream;
  /** Handle time and patience of the stream's calls. */
  callRng: Stream;
}

/** Receives each arrival (the index of its stream). */
export interface ArrivalSink {
  onArrival(stream: number): void;
}

export class Arrivals implements Handler {
  readonly streams: ArrivalStream[] = [];
  private readonly profileMax: number;

  constructor(
    readonly env: Env,
    private readonly profile: readonly number[] | undefined,
    private readonly sink: ArrivalSink,
  ) {
    this.profileMax = profile ? Math.max(...profile) : 1;
  }

  add(s: ArrivalStream): void {
    this.streams.push(s);
  }

  start(): void {
    this.streams.forEach((_, i) => this.scheduleNext(i));
  }

  /** Next arrival of a Poisson stream whose rate follows the hourly profile (exact, memoryless). */
  private scheduleNext(i: number): void {
    const s = this.streams[i]!;
    const { ctx } = this.env;
    const profile = this.profile;
    let t = ctx.nowMs;
    for (let guard = 0; guard < 10_000; guard++) {
      const hour = Math.floor(t / 3_600_000);
      const rate = s.perHour * (profile ? profile[hour % 24]! / this.profileMax : 1); // per hour
      const boundary = (hour + 1) * 3_600_000;
      if (rate <= 0) {
        t = boundary;
        continue;
      }
      const next = t + exponential(s.rng, 3_600_000 / rate);
      if (next < boundary) {
        ctx.scheduleAt(Math.max(ctx.nowMs, Math.round(next)), this, 0, i);
        return;
      }
      t = boundary;
    }
  }

  onEvent(_kind: number, i: number): void {
    this.scheduleNext(i);
    this.sink.onArrival(i);
  }
}

/**
 * The streams of a traffic spec: one per site with a share of the calls (its gateways send them
 * to the site's SIP pool), one per T-Server pair with its own calls, in a fixed order.
 */
export function addTrafficStreams(arrivals: Arrivals, t: TrafficSpec, layout: PoolLayout): void {
  const { sites, sitePool, poolSite } = layout;
  const { ctx } = arrivals.env;
  sites.forEach((site, si) => {
    const share = t.siteSplit[site] ?? 0;
    const pool = sitePool[si]!;
    if (share <= 0 || pool < 0) return;
    arrivals.add({
      site: si,
      pool,
      perHour: t.callsPerHour * share,
      rng: ctx.stream(`traffic/arrivals/${site}`),
      callRng: ctx.stream(`traffic/calls/${site}`),
    });
  });
  for (const [pairId, perHour] of Object.entries(t.tserverCallsPerHour).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const pool = layout.findPool(pairId);
    if (pool === undefined || perHour <= 0) continue;
    arrivals.add({
      site: poolSite[pool]!,
      pool,
      perHour,
      rng: ctx.stream(`traffic/arrivals/${pairId}`),
      callRng: ctx.stream(`traffic/calls/${pairId}`),
    });
  }
}
