// The CTI links of one T-Server: N all-active links to the switch (CSTA connectors). Losing one
// of several changes nothing for service; the T-Server reports Service Unavailable only when it
// sees every link down. A closed link is seen at once; a silent one through keep-alives
// (kpl-interval × kpl-tolerance unanswered). Lost links are retried every connect-tout.
//
// Keep-alives and reconnect attempts are periodic from the link's (re)connection, so their
// times are computed rather than scheduled one by one; only the attempt that changes the
// outcome is an event.

import { assertNever, tickAtOrAfter, uniform, type Stream } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';

export class CtiLinks {
  /** The switch side of each link works. */
  private readonly physicalUp: boolean[];
  /** The T-Server believes the link is up. */
  private readonly seenUp: boolean[];
  /** Start of each link's keep-alive cycle (its last connection). */
  private readonly kplPhaseMs: number[];
  /** When the T-Server saw the link go down (its reconnect cycle starts there). */
  private readonly downSeenAtMs: number[];
  /** Per-link generation, so a detection computed for an earlier outage is ignored. */
  private readonly gen: number[];
  private readonly rng: Stream;

  constructor(
    private readonly env: Env,
    readonly app: App,
    readonly count: number,
  ) {
    this.rng = env.ctx.stream(`cti/${app.id}`);
    const interval = env.opts.ms('kpl-interval');
    this.physicalUp = Array.from({ length: count }, () => true);
    this.seenUp = Array.from({ length: count }, () => true);
    this.kplPhaseMs = Array.from(
      { length: count },
      () => -Math.floor(uniform(this.rng, 0, interval)),
    );
    this.downSeenAtMs = Array.from({ length: count }, () => -1);
    this.gen = Array.from({ length: count }, () => 0);
    app.serviceProbe = () => this.physicalUp.some((u) => u);
    app.listen({ onAppChanged: (_a, c) => this.onAppChanged(c) });
  }

  get linksSeenUp(): number {
    return this.seenUp.filter((u) => u).length;
  }

  isPhysicallyUp(i: number): boolean {
    return this.physicalUp[i]!;
  }

  private onAppChanged(c: AppChange): void {
    const now = this.env.ctx.nowMs;
    switch (c.type) {
      case 'app.crashed':
      case 'app.vanished':
        for (let i = 0; i < this.count; i++) {
          this.seenUp[i] = false;
          this.gen[i]!++;
        }
        return;
      case 'app.started':
        // A starting T-Server connects every link that works; the others enter the retry cycle.
        for (let i = 0; i < this.count; i++) {
          this.gen[i]!++;
          this.seenUp[i] = this.physicalUp[i]!;
          if (this.seenUp[i]) this.kplPhaseMs[i] = now;
          else this.downSeenAtMs[i] = now;
        }
        return;
      case 'app.promoted':
      case 'app.demoted':
      case 'app.hung':
      case 'app.unhung':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        return; // the links are the process's: a role or a hang changes none of them
      default:
        assertNever(c, 'app change');
    }
  }

  /** The switch side of link i fails; `silent`: no close is seen, only missing keep-alives. */
  down(i: number, silent: boolean): void {
    if (!this.physicalUp[i]) return;
    const { ctx, opts } = this.env;
    this.physicalUp[i] = false;
    const g = ++this.gen[i]!;
    if (!this.app.up || !this.seenUp[i]) return;
    let detectAt = ctx.nowMs;
    if (silent) {
      const interval = opts.ms('kpl-interval');
      const tolerance = opts.num('kpl-tolerance');
      const phase = this.kplPhaseMs[i]!;
      const firstUnanswered = tickAtOrAfter(phase, interval, ctx.nowMs);
      detectAt = firstUnanswered + tolerance * interval;
    }
    ctx.scheduleAt(detectAt, {
      onEvent: () => {
        if (g === this.gen[i] && this.app.up && this.seenUp[i])
          this.seeDown(i, silent ? 'kpl-timeout' : 'link-closed');
      },
    });
  }

  /** The switch side of link i works again: the next reconnect attempt succeeds. */
  up(i: number): void {
    if (this.physicalUp[i]) return;
    const { ctx, opts } = this.env;
    this.physicalUp[i] = true;
    const g = ++this.gen[i]!;
    if (!this.app.up) return;
    if (this.seenUp[i]) return; // a silent outage that ended before anyone noticed
    const period = opts.ms('connect-tout');
    const from = this.downSeenAtMs[i]!;
    const attempt = tickAtOrAfter(from, period, Math.max(ctx.nowMs, from + period));
    ctx.scheduleAt(Math.max(attempt, ctx.nowMs), {
      onEvent: () => {
        if (g === this.gen[i] && this.app.up && this.physicalUp[i] && !this.seenUp[i])
          this.seeUp(i);
      },
    });
  }

  private seeDown(i: number, cause: string): void {
    const { ctx } = this.env;
    this.seenUp[i] = false;
    this.downSeenAtMs[i] = ctx.nowMs;
    ctx.trace(`${this.app.id}:cti-${i + 1}`, 'down', cause);
    if (this.linksSeenUp === 0) this.app.setServiceAvailable(false); // EventLinkDisconnected
  }

  private seeUp(i: number): void {
    const { ctx } = this.env;
    this.seenUp[i] = true;
    this.kplPhaseMs[i] = ctx.nowMs;
    ctx.trace(`${this.app.id}:cti-${i + 1}`, 'up', 'reconnected');
    this.app.setServiceAvailable(true);
  }
}
