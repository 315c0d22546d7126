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
