// The Local Control Agent of one host: holds a connection to every app on the host (so it sees
// a process exit at once), reports to every SCS, and carries out SCS orders (start, promote).
// Hang detection through heartbeat-period; a hang it has not detected stays hidden: it reports
// and passes orders on as the app looks (Started). Leaves out: LCA's own configuration traffic.

import { assertNever, mapObjects, objectArray, tickAtOrAfter } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { AddpEndpoint, AddpLink } from '../network/addp.js';
import type { AppId, HostId } from '../../spec/types.js';
import { lcaKey } from '../faults/blame.js';
import { HEARTBEAT_PERIOD_MIN_MGMT_MS } from './defaults.js';

/** What an LCA tells an SCS about one app. */
export interface AppReport {
  app: AppId;
  status: App['status'];
  role: App['role'];
  /** Why it changed, as the LCA saw it. */
  cause: string;
  /** When the LCA saw it (at once: it sits on the app's host). */
  atMs: number;
  /** When the running process started (the LCA started it or watches it). */
  startedAtMs: number;
}

/**
 * What an LCA reads of its host (host/host.ts implements it; declared here so the LCA does not
 * import the host that owns it).
 */
export interface LcaHost {
  readonly id: HostId;
  /** Powered and booted (the LCA can run). */
  readonly booted: boolean;
  readonly apps: readonly App[];
}

export interface LcaPeer {
  /** The SCS side of a link: learns a report from this LCA. */
  onLcaReport(host: HostId, report: AppReport): void;
  /** A freshly started LCA announces itself so SCS can connect. */
  onLcaAnnounced(host: HostId): void;
  readonly hostId: HostId;
}

export class Lca implements AddpEndpoint {
  alive = true;
  /** One connection per SCS; the LCA is side 1 of each. */
  private readonly links = new Map<LcaPeer, AddpLink>();
  private readonly scsList: LcaPeer[] = objectArray();
  /** The hangs its heartbeats found (hang-detected, hangup-restart false): app → hung since. */
  private readonly hangsSeen = new Map<AppId, number>();

  constructor(
    private readonly env: Env,
    readonly host: LcaHost,
  ) {}

  get hostId(): HostId {
    return this.host.id;
  }

  addpAlive(): boolean {
    return this.alive && this.host.booted;
  }

  registerScs(scs: LcaPeer): void {
    this.scsList.push(scs);
  }

  attach(scs: LcaPeer, link: AddpLink): void {
    this.links.set(scs, link);
  }

  onConnectionLost(_link: AddpLink, _reason: 'addp-timeout' | 'closed'): void {
    // The LCA waits for SCS to connect again; nothing to decide here.
  }

  /** Reports an app change to every SCS it is connected to (a hang is invisible to it). */
  onAppChanged(app: App, change: AppChange): void {
    switch (change.type) {
      case 'app.hung':
        this.watchHang(app);
        return;
      case 'app.unhung':
        this.hangEnded(app);
        return;
      case 'app.vanished': // gone with its host: nobody reports it
        this.hangsSeen.delete(app.id);
        return;
      case 'app.crashed':
        this.hangsSeen.delete(app.id); // a hang it saw ends with the process
        if (!this.addpAlive()) return;
        this.report(app, change.cause);
        // SCS runs as an OS service: the host restarts it (model assumption; see README).
        if (app.type === 'scs' && this.env.opts.bool('autorestart')) app.start();
        return;
      case 'app.started':
      case 'app.promoted':
      case 'app.demoted':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        if (this.addpAlive()) this.report(app, change.type);
        return;
      default:
        assertNever(change, 'app change');
    }
  }

  /** An SCS order found the app already in the mode it orders: the LCA reports that mode. */
  confirmMode(app: App): void {
    if (this.addpAlive()) this.report(app, 'mode-confirmed');
  }

  /** The status as this LCA sees it: a hang only once its heartbeats found it. */
  private seenStatus(app: App): App['status'] {
    const seen = app.status === 'hung' && this.hangsSeen.get(app.id) === app.hungSinceMs;
    return seen ? 'hung' : app.apparentStatus;
  }

  private report(app: App, cause: string): void {
    const report: AppReport = {
      app: app.id,
      status: this.seenStatus(app),
      role: app.role,
      cause,
      atMs: this.env.ctx.nowMs,
      startedAtMs: app.startedAtMs,
    };
    for (const scs of this.scsList) {
      const link = this.links.get(scs);
      link?.send(1, () => scs.onLcaReport(this.hostId, report));
    }
  }

  /**
   * Heartbeats go to each app every heartbeat-period from its start; the first one after the
   * hang goes unanswered and the LCA judges it when the next one is due. The heartbeat times
   * are computed, not scheduled one by one: they are periodic, so only the judging one is an
   * event.
   */
  private watchHang(app: App): void {
    const { ctx, opts } = this.env;
    const period = this.heartbeatPeriod(app);
    if (period <= 0) return; // 0: the LCA never checks; the hang goes unseen
    const since = app.hungSinceMs;
    const inc = app.incarnation;
    // The first heartbeat strictly after the hang began (or after now, for a restarted LCA).
    const firstUnanswered = tickAtOrAfter(app.startedAtMs, period, Math.max(since, ctx.nowMs) + 1);
    ctx.scheduleAt(firstUnanswered + period, {
      onEvent: () => {
        if (app.incarnation !== inc || app.status !== 'hung' || app.hungSinceMs !== since) return;
        if (!this.addpAlive()) return; // no LCA, no heartbeat
        ctx.trace(`lca:${this.hostId}`, 'hang-detected', app.id);
        if (opts.bool('hangup-restart')) {
          app.crash('hang-detected');
          app.start();
        } else {
          this.hangsSeen.set(app.id, since);
          this.report(app, 'hang-detected');
        }
      },
    });
  }

  /** heartbeat-period for `app` (0: none); Configuration Server and SCS accept none below 40 s (doc). */
  private heartbeatPeriod(app: App): number {
    const configured = this.env.opts.ms('heartbeat-period');
    if (configured <= 0) return 0;
    return app.type === 'confserv' || app.type === 'scs'
      ? Math.max(configured, HEARTBEAT_PERIOD_MIN_MGMT_MS)
      : configured;
  }

  /**
   * A hang ended by itself. One the LCA never saw stays invisible, and so does its end. One its
   * heartbeats found (hangup-restart false: reported hung) ends for it at the next heartbeat,
   * answered again: it reports the app as it is then, so SCS may use it again.
   */
  private hangEnded(app: App): void {
    if (!this.hangsSeen.has(app.id)) return;
    const { ctx } = this.env;
    const inc = app.incarnation;
    const at = tickAtOrAfter(app.startedAtMs, this.heartbeatPeriod(app), ctx.nowMs + 1);
    ctx.scheduleAt(at, {
      onEvent: () => {
        if (app.incarnation !== inc || !this.hangsSeen.has(app.id)) return;
        if (app.status === 'hung') return; // hung again: its own watch judges that hang
        this.hangsSeen.delete(app.id);
        if (!this.addpAlive()) return;
        ctx.trace(`lca:${this.hostId}`, 'hang-ended', app.id);
        this.report(app, 'hang-ended');
      },
    });
  }

  /** Current state of every app on the host (sent when SCS connects). */
  snapshot(): AppReport[] {
    return mapObjects(this.host.apps, (a) => ({
      app: a.id,
      status: this.seenStatus(a),
      role: a.role,
      cause: 'snapshot',
      atMs: this.env.ctx.nowMs,
      startedAtMs: a.startedAtMs,
    }));
  }

  /** Dies with its host: nothing is sent. */
  vanish(cause: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.hangsSeen.clear();
    this.env.ctx.trace(`lca:${this.hostId}`, 'down', cause);
    for (const link of this.links.values()) link.dropSilently(1);
  }

  /** The LCA process exits on a live host (lca-crash): its connections close. */
  crash(cause: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.hangsSeen.clear();
    this.env.ctx.trace(`lca:${this.hostId}`, 'down', cause);
    for (const link of this.links.values()) link.closeFrom(1);
  }

  /** Starts the LCA (host booted, or lca-restore) and announces it to every SCS. */
  start(): void {
    if (this.alive && this.host.booted) return;
    if (!this.host.booted) return;
    const { ctx, net, recorder } = this.env;
    this.alive = true;
    ctx.trace(`lca:${this.hostId}`, 'up', 'started');
    recorder.cleared(lcaKey(this.hostId), ctx.nowMs);
    for (const scs of this.scsList) {
      net.send(this.hostId, scs.hostId, () => scs.onLcaAnnounced(this.hostId));
    }
    this.rewatchHangs();
    if (this.env.opts.bool('autorestart')) {
      for (const app of this.host.apps) if (app.type === 'scs') app.start();
    }
  }

  /**
   * Whether a backup can take an SCS order to primary, as this LCA sees it: it must look
   * Started (a hidden hang does; the hung process then reads nothing and the order waits).
   */
  promotionRefusal(app: App): string | undefined {
    const status = this.seenStatus(app);
    if (status !== 'started') return `backup ${app.id} is ${status} when the order arrives`;
    return app.status === 'hung' ? undefined : app.promotionRefusal();
  }

  /** SCS orders, carried out locally. */
  startApp(app: App): void {
    if (this.addpAlive()) app.start();
  }

  /** An LCA restarted while its host ran: it checks its apps' heartbeats anew. */
  private rewatchHangs(): void {
    for (const app of this.host.apps) if (app.status === 'hung') this.watchHang(app);
  }
}
