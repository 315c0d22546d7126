// The data-source sessions (G_DSS_* tables) an ICON records: one per connection to a server
// process of its source (icon.ts), and of the Configuration Server source (cfg-source.ts).

/** Why a data-source session (G_DSS_*) began. */
export type SessionStart =
  'first-connect' | 'icon-restart' | 'reconnect' | 'source-restart' | 'switchover';
/** Why it ended, as the ICON saw it. */
export type SessionEnd = 'closed' | 'addp-timeout' | 'icon-crash' | 'icon-host-lost';

/**
 * One data-source session: one connection of the ICON to one server process, from `fromMs` to
 * `toMs` (a hot-standby source gives two concurrent sessions, one per member).
 * `reason` says why the connection began. A hot-standby switchover opens no connection: the ICON
 * was already connected to the new primary and only starts receiving from it. That is recorded on
 * the existing session, in `switchoversMs`, rather than as a new session: a new row would split
 * one connection in two and make its start time lie about when the connection was made. (A warm
 * switchover does open a connection: its session starts with reason 'switchover'.)
 */
export interface DssSession {
  server: string;
  fromMs: number;
  /** Undefined while the session is still open at the end of the run. */
  toMs: number | undefined;
  reason: SessionStart;
  endReason: SessionEnd | undefined;
  /** Hot standby: times the ICON began receiving from this server, over this session, at a switchover. */
  switchoversMs: number[];
}

/** What a server of the source is to the sessions: its identity and its process incarnation. */
interface SessionServer {
  readonly id: string;
  readonly incarnation: number;
}

/**
 * The data-source sessions of one ICON's connections to its source pair (icon.ts): why each
 * began and ended. Warm: one connection at a time, a new one to another server being a
 * switchover; hot: one per member, a restarted member's being a source restart.
 */
export class SessionLog {
  readonly sessions: DssSession[] = [];
  /** The open session of each connection. */
  private readonly open: [DssSession | undefined, DssSession | undefined] = [undefined, undefined];
  /** Why the ICON (re)started, until its first connection (warm) or first to each member (hot). */
  private readonly startReason: [SessionStart | undefined, SessionStart | undefined] = [
    undefined,
    undefined,
  ];
  /** Why each open connection began. */
  readonly connReason: [SessionStart, SessionStart] = ['first-connect', 'first-connect'];
  /** Warm: the server of the last connection (a new one to another server is a switchover). */
  private lastServer: SessionServer | undefined;
  private lastServerIncarnation = -1;
  /** Hot: the incarnation of each member at the last connection to it (-1: never connected). */
  private readonly lastIncarnation: [number, number] = [-1, -1];

  constructor(
    private readonly hot: boolean,
    /** use-dss-monitor: the sessions are recorded. */
    private readonly dss: boolean,
  ) {}

  /** The ICON process (re)started. */
  started(reason: 'first-connect' | 'icon-restart'): void {
    this.startReason[0] = reason;
    this.startReason[1] = reason;
  }

  /** Why the connection to `target`, member `m`, that opens now began. */
  reasonFor(m: 0 | 1, target: SessionServer): SessionStart {
    if (this.hot) {
      const reason =
        this.startReason[m] ??
        (target.incarnation !== this.lastIncarnation[m] ? 'source-restart' : 'reconnect');
      this.startReason[m] = undefined;
      this.lastIncarnation[m] = target.incarnation;
      return reason;
    }
    const reason =
      this.startReason[0] ??
      (target !== this.lastServer
        ? 'switchover'
        : target.incarnation !== this.lastServerIncarnation
          ? 'source-restart'
          : 'reconnect');
    this.startReason[0] = undefined;
    this.startReason[1] = undefined;
    this.lastServer = target;
    this.lastServerIncarnation = target.incarnation;
    return reason;
  }

  /** The connection to member `m` (server `server`) opened at `nowMs`. */
  begin(m: 0 | 1, server: string, nowMs: number, reason: SessionStart): void {
    this.connReason[m] = reason;
    if (!this.dss) return;
    const s: DssSession = {
      server,
      fromMs: nowMs,
      toMs: undefined,
      reason,
      endReason: undefined,
      switchoversMs: [],
    };
    this.open[m] = s;
    this.sessions.push(s);
  }

  /** The connection to member `m` ended at `nowMs`. */
  end(m: 0 | 1, nowMs: number, reason: SessionEnd): void {
    const s = this.open[m];
    if (!s) return;
    s.toMs = nowMs;
    s.endReason = reason;
    this.open[m] = undefined;
  }

  /** Hot: the ICON began receiving from member `m` over its open connection at a switchover. */
  switchover(m: 0 | 1, nowMs: number): void {
    this.open[m]?.switchoversMs.push(nowMs);
  }
}
