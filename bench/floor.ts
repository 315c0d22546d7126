// The floor of issue 21's per-call ratio: bench-day's call path written as one fused handler on
// the ccsim engine, against M/M/c in the same process. The same traffic as bench-day (its hourly
// profile; two services of 3,000 calls in the peak hour split 70/30 and 30/70 between the sites;
// the T-Server pair's 600; lognormal handle time, mean 240 s, cv 0.8; exponential patience,
// mean 90 s; 20 s wrap-up) and the same 600 agents (sales at A, support at B, back-office on the
// T-Server), routed local-first with overflow-after 10 s (30 ms of ring across the WAN), abandon
// and overflow timers only for calls that wait, nine record appends a call into a ring (the
// ICON's records) and a flush event every 5 s, calls counted per 15-minute interval and site.
// Left out, on purpose: every fault and HA mechanism, the desktops, the ICON's view of calls,
// the outage book, reach: what the full model adds on top of this floor is the gap to close.
// Not a model of anything users run: a measurement, like anatomy.ts. Wall times; nothing asserted.
// usage: npm run build && node dist/bench/floor.js [ROUNDS]

import { fileURLToPath } from 'node:url';
import { DurationSampler, exponential, Simulator, type Stream } from '../src/sim/index.js';
import { MMC_DEFAULTS, runMmc } from './mmc.js';

/** bench-day's hourly profile (scenarios/bench-day.yaml). */
export const PROFILE = [
  2, 1, 1, 1, 1, 2, 5, 20, 60, 90, 100, 95, 70, 75, 90, 95, 85, 60, 35, 20, 12, 8, 5, 3,
];
/** Arrival streams: service, entry site, calls in the peak hour (bench-day's). */
export const STREAMS: readonly (readonly [number, number, number])[] = [
  [0, 0, 2100],
  [0, 1, 900],
  [1, 0, 900],
  [1, 1, 2100],
  [2, 0, 600],
];
const AGENTS = 600;
const GROUPS = 3;
const RING = 1 << 16; // record ring (pairs of int32)
const QUEUE = 1 << 16; // per-queue ring of waiting calls
const READY = 1024; // per-list ring of ready agents
const CALLS = 1 << 14; // call slots

const K_ARRIVAL = 0;
const K_TALK_END = 1;
const K_WRAP_END = 2;
const K_ABANDON = 3;
const K_OVERFLOW = 4;
const K_RING_END = 5;
const K_FLUSH = 6;

const WAITING = 1;
const RINGING = 2;
const TALKING = 3;

class FusedDay {
  private readonly gapMs: Float64Array[];
  private readonly rng: Stream[];
  private readonly callRng: Stream[];
  private readonly handle = new DurationSampler({ kind: 'lognormal', meanMs: 240_000, cv: 0.8 });
  private readonly agentGroup = new Int32Array(AGENTS);
  private readonly agentSite = new Int32Array(AGENTS);
  private readonly ready: Int32Array[] = [];
  private readonly readyHead = new Int32Array(2 * GROUPS);
  private readonly readyTail = new Int32Array(2 * GROUPS);
  private readonly queue: Int32Array[] = [];
  private readonly queueGen: Int32Array[] = [];
  private readonly queueHead = new Int32Array(2 * GROUPS);
  private readonly queueTail = new Int32Array(2 * GROUPS);
  private readonly arrMs = new Float64Array(CALLS);
  private readonly handleMs = new Float64Array(CALLS);
  private readonly svc = new Int32Array(CALLS);
  private readonly site = new Int32Array(CALLS);
  private readonly state = new Int32Array(CALLS);
  private readonly gen = new Int32Array(CALLS);
  private readonly evA = new Float64Array(CALLS).fill(-1);
  private readonly evB = new Float64Array(CALLS).fill(-1);
  private readonly agent = new Int32Array(CALLS);
  private readonly serialOf = new Int32Array(CALLS);
  private readonly free = new Int32Array(CALLS);
  private freeTop = 0;
  private readonly ring = new Int32Array(2 * RING);
  private seq = 0;
  private serial = 0;
  private readonly offered = new Float64Array(96 * 2);
  private readonly answered = new Float64Array(96 * 2);
  private readonly inSl = new Float64Array(96 * 2);
  private readonly abandoned = new Float64Array(96 * 2);
  calls = 0;
  flushes = 0;

  constructor(private readonly sim: Simulator) {
    this.gapMs = STREAMS.map(([, , peak]) =>
      Float64Array.from(PROFILE, (w) => 3_600_000 / ((peak * w) / 100)),
    );
    this.rng = STREAMS.map((_, i) => sim.stream(`bench/floor/arrivals/${i}`));
    this.callRng = STREAMS.map((_, i) => sim.stream(`bench/floor/calls/${i}`));
    for (let l = 0; l < 2 * GROUPS; l++) {
      this.ready.push(new Int32Array(READY));
      this.queue.push(new Int32Array(QUEUE));
      this.queueGen.push(new Int32Array(QUEUE));
    }
    for (let a = 0; a < AGENTS; a++) {
      this.agentGroup[a] = a < 270 ? 0 : a < 540 ? 1 : 2;
      this.agentSite[a] = a >= 270 && a < 540 ? 1 : 0;
      this.pushReady(a);
    }
    for (let c = CALLS - 1; c >= 0; c--) this.free[this.freeTop++] = c;
  }

  start(): void {
    for (let i = 0; i < STREAMS.length; i++) this.nextArrival(i);
    this.sim.schedule(5_000, this, K_FLUSH);
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_ARRIVAL:
        return this.arrive(arg);
      case K_TALK_END:
        return this.talkEnd(arg);
      case K_WRAP_END:
        return this.wrapEnd(arg);
      case K_ABANDON:
        return this.abandon(arg);
      case K_OVERFLOW:
        return this.overflow(arg);
      case K_RING_END:
        return this.answer(arg);
      default:
        this.flushes++;
        this.sim.schedule(5_000, this, K_FLUSH);
    }
  }

  private nextArrival(i: number): void {
    const t = this.sim.nowMs;
    const gap = this.gapMs[i]![Math.floor(t / 3_600_000) % 24]!;
    this.sim.scheduleAt(Math.round(t + exponential(this.rng[i]!, gap)), this, K_ARRIVAL, i);
  }

  private record(ev: number, id: number): void {
    const s = (this.seq++ & (RING - 1)) << 1;
    this.ring[s] = ev;
    this.ring[s + 1] = id;
  }

  private interval(site: number): number {
    return (Math.floor(this.sim.nowMs / 900_000) % 96) * 2 + site;
  }

  private pushReady(a: number): void {
    const l = this.agentSite[a]! * GROUPS + this.agentGroup[a]!;
    this.ready[l]![this.readyTail[l]!++ & (READY - 1)] = a;
  }

  private popReady(site: number, group: number): number {
    const l = site * GROUPS + group;
    if (this.readyHead[l] === this.readyTail[l]) return -1;
    return this.ready[l]![this.readyHead[l]!++ & (READY - 1)]!;
  }

  private arrive(i: number): void {
    this.nextArrival(i);
    const [svc, site] = STREAMS[i]!;
    const rng = this.callRng[i]!;
    const handle = Math.max(1, this.handle.drawMs(rng));
    const patience = Math.round(exponential(rng, 90_000));
    const c = this.free[--this.freeTop]!;
    this.arrMs[c] = this.sim.nowMs;
    this.handleMs[c] = handle;
    this.svc[c] = svc;
    this.site[c] = site;
    this.gen[c]!++;
    this.serialOf[c] = this.serial++;
    this.calls++;
    this.offered[this.interval(site)]!++;
    this.record(0, this.serialOf[c]!);
    this.record(1, this.serialOf[c]!);
    const a = this.popReady(site, svc);
    if (a >= 0) {
      this.connect(c, a, false);
      return;
    }
    this.state[c] = WAITING;
    const q = site * GROUPS + svc;
    const t = this.queueTail[q]!++ & (QUEUE - 1);
    this.queue[q]![t] = c;
    this.queueGen[q]![t] = this.gen[c]!;
    this.evA[c] = this.sim.schedule(patience, this, K_ABANDON, c);
    if (svc < 2) this.evB[c] = this.sim.schedule(10_000, this, K_OVERFLOW, c);
  }

  private overflow(c: number): void {
    this.evB[c] = -1;
    if (this.state[c] !== WAITING) return;
    const a = this.popReady(1 - this.site[c]!, this.svc[c]!);
    if (a >= 0) this.connect(c, a, true);
  }

  private connect(c: number, a: number, remote: boolean): void {
    if (this.evA[c]! >= 0) this.sim.cancel(this.evA[c]!);
    if (this.evB[c]! >= 0) this.sim.cancel(this.evB[c]!);
    this.evA[c] = -1;
    this.evB[c] = -1;
    this.agent[c] = a;
    this.record(8, a);
    this.record(2, this.serialOf[c]!);
    if (remote) {
      this.state[c] = RINGING;
      this.evB[c] = this.sim.schedule(30, this, K_RING_END, c);
      return;
    }
    this.answer(c);
  }

  private answer(c: number): void {
    this.evB[c] = -1;
    this.state[c] = TALKING;
    const waitMs = this.sim.nowMs - this.arrMs[c]!;
    const k = this.interval(this.site[c]!);
    this.answered[k]!++;
    if (waitMs <= 20_000) this.inSl[k]!++;
    this.record(3, this.serialOf[c]!);
    this.record(4, this.serialOf[c]!);
    this.evB[c] = this.sim.schedule(this.handleMs[c]!, this, K_TALK_END, c);
  }

  private talkEnd(c: number): void {
    const a = this.agent[c]!;
    this.record(5, this.serialOf[c]!);
    this.record(6, this.serialOf[c]!);
    this.record(8, a);
    this.state[c] = 0;
    this.evB[c] = -1;
    this.free[this.freeTop++] = c;
    this.sim.schedule(20_000, this, K_WRAP_END, a);
  }

  private abandon(c: number): void {
    this.evA[c] = -1;
    if (this.evB[c]! >= 0) this.sim.cancel(this.evB[c]!);
    this.evB[c] = -1;
    this.abandoned[this.interval(this.site[c]!)]!++;
    this.record(6, this.serialOf[c]!);
    this.state[c] = 0;
    this.gen[c]!++;
    this.free[this.freeTop++] = c;
  }

  /** The oldest live call of queue `q` (stale entries dropped; -1: none). */
  private head(q: number): number {
    const calls = this.queue[q]!;
    const gens = this.queueGen[q]!;
    while (this.queueHead[q] !== this.queueTail[q]) {
      const h = this.queueHead[q]! & (QUEUE - 1);
      const c = calls[h]!;
      if (this.gen[c] === gens[h] && this.state[c] === WAITING) return c;
      this.queueHead[q]!++;
    }
    return -1;
  }

  private wrapEnd(a: number): void {
    this.record(8, a);
    const site = this.agentSite[a]!;
    const g = this.agentGroup[a]!;
    let q = site * GROUPS + g;
    let c = this.head(q);
    if (c < 0 && g < 2) {
      const other = (1 - site) * GROUPS + g;
      const r = this.head(other);
      if (r >= 0 && this.sim.nowMs - this.arrMs[r]! >= 10_000) {
        c = r;
        q = other;
      }
    }
    if (c < 0) {
      this.pushReady(a);
      return;
    }
    this.queueHead[q]!++;
    this.state[c] = 0;
    this.connect(c, a, this.site[c] !== site);
  }
}

/** One day of the fused model: its calls offered and the events it ran. */
export function runFusedDay(replication: number): { calls: number; events: number } {
  const sim = new Simulator(11, replication);
  const m = new FusedDay(sim);
  m.start();
  sim.run({ untilMs: 86_400_000 });
  return { calls: m.calls, events: sim.events };
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

function main(rounds: number): void {
  for (let r = 0; r < 15; r++) runFusedDay(r); // JIT warm-up
  for (let i = 0; i < 3; i++) runMmc(MMC_DEFAULTS);
  for (let round = 0; round < rounds; round++) {
    let t0 = process.hrtime.bigint();
    let mmcCalls = 0;
    while (seconds(t0) < 1) mmcCalls += runMmc(MMC_DEFAULTS).calls;
    const mmc = seconds(t0) / mmcCalls;
    t0 = process.hrtime.bigint();
    let calls = 0;
    let events = 0;
    for (let r = 0; r < 10; r++) {
      const o = runFusedDay(r);
      calls += o.calls;
      events += o.events;
    }
    const day = seconds(t0) / calls;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'floor',
        fused_us_per_call: day * 1e6,
        mmc_us_per_call: mmc * 1e6,
        fused_per_call_vs_mmc: day / mmc,
        events_per_call: events / calls,
      })}\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(Number(process.argv[2] ?? 3));
