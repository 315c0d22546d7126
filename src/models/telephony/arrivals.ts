// Call arrivals: one Poisson stream per service and entry point (a site's gateways, or a
// T-Server pair's own trunk), its rate following the service's hourly profile. Each stream
// draws from its own random streams (arrival times; the calls' handle time and patience), named
// after the service and site, so the same seed offers the same calls whatever the topology or
// the other services (common random numbers).

import {
  DurationSampler,
  exponential,
  type Handler,
  type HandlerId,
  type Stream,
} from '../../sim/index.js';
import type { Env } from '../env.js';
import type { PairId, TrafficSpec } from '../../spec/types.js';
import type { PoolLayout } from './layout.js';
import type { Services } from './services.js';

export interface ArrivalStream {
  /** Entry site (index). */
  site: number;
  /** Pool the gateway sends the call to. */
  pool: number;
  /** Service (index). */
  svc: number;
  /**
   * Per hour of the day, the mean gap between arrivals in ms: 3,600,000 ÷ the hour's rate
   * (perHour × the hourly weight ÷ the profile's maximum); -1 in an hour with no calls.
   */
  gapMs: Float64Array;
  rng: Stream;
  /** Handle time and patience of the stream's calls. */
  callRng: Stream;
  /** The service's handle time. */
  handle: DurationSampler;
  /** The service's mean patience (-1: callers wait forever). */
  patienceMs: number;
}

/** Receives each arrival (the index of its stream). */
export interface ArrivalSink {
  onArrival(stream: number): void;
}

export class Arrivals implements Handler {
  readonly streams: ArrivalStream[] = [];
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    readonly env: Env,
    private readonly sink: ArrivalSink,
  ) {
    this.hid = env.ctx.handler(this);
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
    let t = ctx.nowMs;
    for (let guard = 0; guard < 10_000; guard++) {
      const hour = Math.floor(t / 3_600_000);
      const gapMs = s.gapMs[hour % 24]!;
      const boundary = (hour + 1) * 3_600_000;
      if (gapMs < 0) {
        t = boundary;
        continue;
      }
      const next = t + exponential(s.rng, gapMs);
      if (next < boundary) {
        ctx.postAt(Math.max(ctx.nowMs, Math.round(next)), this.hid, 0, i);
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

/** A stream's mean gap between arrivals in each hour of the day (ArrivalStream.gapMs). */
function hourlyGapMs(perHour: number, profile: readonly number[] | undefined): Float64Array {
  const profileMax = profile ? Math.max(...profile) : 1;
  const gap = new Float64Array(24);
  for (let h = 0; h < 24; h++) {
    const rate = perHour * (profile ? profile[h]! / profileMax : 1); // per hour
    gap[h] = rate <= 0 ? -1 : 3_600_000 / rate;
  }
  return gap;
}

/**
 * The streams of a traffic spec, in a fixed order: per service, one per site with a share of
 * its calls (the site's gateways send them to its SIP pool); then one per T-Server pair with its
 * own calls. The implicit service of a scenario without services keeps the first round's stream
 * names (its runs are unchanged).
 */
export function addTrafficStreams(
  arrivals: Arrivals,
  t: TrafficSpec,
  layout: PoolLayout,
  services: Services,
): void {
  const { ctx } = arrivals.env;
  const { sites, sitePool, poolSite } = layout;
  services.list.forEach((svc, si) => {
    if (svc.tserver) return;
    sites.forEach((site, s) => {
      const share = svc.siteSplit[site] ?? 0;
      const pool = sitePool[s]!;
      if (share <= 0 || pool < 0) return;
      const label = svc.implicit ? site : `${svc.name}/${site}`;
      arrivals.add({
        site: s,
        pool,
        svc: si,
        gapMs: hourlyGapMs(svc.callsPerHour * share, svc.profile),
        rng: ctx.stream(`traffic/arrivals/${label}`),
        callRng: ctx.stream(`traffic/calls/${label}`),
        handle: new DurationSampler(svc.handleTime),
        patienceMs: svc.patienceMs ?? -1,
      });
    });
  });
  // Its keys are pair ids (Object.entries widens them to string).
  const entries = (Object.entries(t.tserverCallsPerHour) as [PairId, number][]).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  const tsvc = services.list[services.tserverSvc]!;
  for (const [pairId, perHour] of entries) {
    const pool = layout.findPool(pairId);
    if (pool === undefined || perHour <= 0) continue;
    arrivals.add({
      site: poolSite[pool]!,
      pool,
      svc: services.tserverSvc,
      gapMs: hourlyGapMs(perHour, t.profile),
      rng: ctx.stream(`traffic/arrivals/${pairId}`),
      callRng: ctx.stream(`traffic/calls/${pairId}`),
      handle: new DurationSampler(tsvc.handleTime),
      patienceMs: tsvc.patienceMs ?? -1,
    });
  }
}
