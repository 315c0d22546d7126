// What the report reads of the desktops (docs/metrics.md): login durations, the reconnection
// storm after DR switchovers, logins through another site's CS Proxy, per-server-type
// continuity moves, the restore-agent-state wait and the returns to the preferred site.
// Leaves out: nothing is decided here; the jobs tell it what happened.

import type { TelephonyObserver } from '../telephony/observer.js';
import type { DesktopState } from './state.js';

/** Also a telephony observer (Desktops observe it): `onAgentReady` only. */
export class Counters implements Required<Pick<TelephonyObserver, 'onAgentReady'>> {
  readonly stats = {
    /** Longest login: from its start (client layer started) to logged in at the SIP Server. */
    loginMaxMs: 0,
    /**
     * The longest reconnection storm: from a DR switchover made while no DR login was pending to
     * the last login that followed a DR switchover before none was pending again (0: none).
     */
    drLoginSpanMaxMs: 0,
    /** Logins whose configuration connection went through another site's CS Proxy. */
    loginsViaPeerProxy: 0,
    /** Desktops that connected to the other site's CS Proxy / Stat Servers (seed 003). */
    csproxyMoves: 0,
    statserverMoves: 0,
    /** After a DR login with restore-agent-state: the longest wait until Ready was restored. */
    restoreWaitMaxMs: 0,
    /** Desktops back on their preferred site after a stay at the peer, and the longest stay. */
    returnsToPreferred: 0,
    returnToPreferredMaxMs: 0,
    returnToPreferredSumMs: 0,
    /** Logged-in desktops whose telephony went OFF (their last SIP Server connection lost). */
    disconnects: 0,
  };
  /** DR switchovers per desktop. */
  readonly drSwitchovers: Int32Array;
  /** When a desktop that had left its preferred site was first back on it (-1: never). */
  readonly backOnPreferredAtMs: Float64Array;
  /** Ever left the preferred site. */
  private readonly left: Uint8Array;
  /** When the current login episode (start-up, DR switchover, return, re-login) began (-1: none). */
  private readonly loginStartMs: Float64Array;
  /** The pending login follows a DR switchover (it counts in the reconnection storm). */
  private readonly drLogin: Uint8Array;
  /** When the desktop logged in at its peer site (-1: not there). */
  private readonly peerLoginAtMs: Float64Array;
  /** restore-agent-state asked for the last state at this DR login; Ready not restored yet (-1). */
  private readonly restoreFromMs: Float64Array;
  /** Desktops whose login after a DR switchover is still to come: a storm lasts while any is. */
  private drPending = 0;
  /** When the current storm began (its first DR switchover). */
  private stormStartMs = -1;

  constructor(private readonly d: DesktopState) {
    const n = d.n;
    this.drSwitchovers = new Int32Array(n);
    this.backOnPreferredAtMs = new Float64Array(n).fill(-1);
    this.left = new Uint8Array(n);
    this.loginStartMs = new Float64Array(n).fill(-1);
    this.drLogin = new Uint8Array(n);
    this.peerLoginAtMs = new Float64Array(n).fill(-1);
    this.restoreFromMs = new Float64Array(n).fill(-1);
  }

  /** A login episode begins (kept across its retries until the agent is logged in). */
  startEpisode(a: number): void {
    if (this.loginStartMs[a]! < 0) this.loginStartMs[a] = this.d.env.ctx.nowMs;
  }

  /** A DR switchover starts: its login counts in the reconnection storm. */
  drSwitched(a: number): void {
    this.drSwitchovers[a]!++;
    if (this.drLogin[a]) return; // switched again before its login: the same pending login
    this.drLogin[a] = 1;
    if (this.drPending++ === 0) this.stormStartMs = this.d.env.ctx.nowMs;
  }

  /** A desktop connected to the other site's Stat Servers (`stat`) or CS Proxy (seed 003). */
  bcMoved(stat: boolean): void {
    if (stat) this.stats.statserverMoves++;
    else this.stats.csproxyMoves++;
  }

  /** The agent is logged in at `site`: the login's duration, its route, a return's stay. */
  loginDone(a: number, site: number): void {
    const now = this.d.env.ctx.nowMs;
    const st = this.stats;
    if (this.loginStartMs[a]! >= 0)
      st.loginMaxMs = Math.max(st.loginMaxMs, now - this.loginStartMs[a]!);
    this.loginStartMs[a] = -1;
    if (this.drLogin[a]) {
      st.drLoginSpanMaxMs = Math.max(st.drLoginSpanMaxMs, now - this.stormStartMs);
      this.drLogin[a] = 0;
      this.drPending--;
    }
    if (this.d.cfgSite[a] !== site) st.loginsViaPeerProxy++;
    const g = this.d.conf(a);
    if (site === g.preferred && this.peerLoginAtMs[a]! >= 0) {
      st.returnsToPreferred++;
      const stayMs = now - this.peerLoginAtMs[a]!;
      st.returnToPreferredMaxMs = Math.max(st.returnToPreferredMaxMs, stayMs);
      st.returnToPreferredSumMs += stayMs;
    }
    this.peerLoginAtMs[a] = site === g.preferred ? -1 : now;
  }

  /** Logged in at `site` (after telephony took the login): first time back on the preferred one. */
  loggedInAt(a: number, site: number): void {
    const g = this.d.conf(a);
    if (site === g.preferred && this.left[a] && this.backOnPreferredAtMs[a]! < 0) {
      this.backOnPreferredAtMs[a] = this.d.env.ctx.nowMs;
    }
    if (site !== g.preferred) this.left[a] = 1;
  }

  /** restore-agent-state asked for the last state now (`ask`), or nothing is pending. */
  restoreAsked(a: number, ask: boolean): void {
    this.restoreFromMs[a] = ask ? this.d.env.ctx.nowMs : -1;
  }

  /** The agent became Ready: a restore-agent-state pending since the DR login is done. */
  onAgentReady(a: number): void {
    const from = this.restoreFromMs[a]!;
    if (from < 0) return;
    this.restoreFromMs[a] = -1;
    const st = this.stats;
    st.restoreWaitMaxMs = Math.max(st.restoreWaitMaxMs, this.d.env.ctx.nowMs - from);
  }

  /** Telephony OFF at login: nobody answered, no login completed, nothing to restore. */
  loginFailed(a: number): void {
    this.loginStartMs[a] = -1;
    this.restoreFromMs[a] = -1;
  }

  /** Off duty: no login under way, nothing to restore, and no longer away at the peer site. */
  offDuty(a: number): void {
    this.loginStartMs[a] = -1;
    if (this.drLogin[a]) this.drPending--; // its login will not come: the storm may be over
    this.drLogin[a] = 0;
    this.restoreFromMs[a] = -1;
    this.peerLoginAtMs[a] = -1;
  }
}
