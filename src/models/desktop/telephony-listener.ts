// The telephony service listener (seed 002): each desktop follows its pool's SIP Server pair as
// an HA client (ha-pair/client.ts: hot to both members, warm to the primary), notices a dead
// server by a close or by its own ADDP (network/addp.ts, partitions included), and while the
// service is OFF retries every warm-standby.retry-delay and arms disaster-recovery.timeout.
// Across a degraded WAN (wan-degrade: a desktop at its peer site after a DR move, or connected to
// a primary at the other site in a split brain) its ADDP polls go one by one, each answered only
// when the TCP transits there and back (latency, retransmissions of lost attempts) are within
// client-addp-timeout — as for the server links (network/addp.ts): else a false disconnect.
// Leaves out: the DR move itself (dr-switchover.ts).

import { assert, uniform, type Handler, type HandlerId } from '../../sim/index.js';
import type { App, AppChange } from '../ha-pair/app.js';
import {
  anyUp,
  ClientEvent,
  DEAD,
  Effect,
  follow,
  isUp,
  outlook,
  serverEvent,
  WARM,
  type ClientSide,
  type Outlook,
} from '../ha-pair/client.js';
import { addpLossDetectedAtMs, pollAnsweredInTime, pollAtStakeMs } from '../network/addp.js';
import type { PathWatcher } from '../network/network.js';
import type { DesktopJobs } from './jobs.js';
import { Phase, type DesktopState } from './state.js';

const K_DETECT = 0; // arg = agent * 2 + member: loss of the connection to that server seen
const K_RETRY = 1; // telephony OFF: the next reconnection attempt
const K_DR_TIMEOUT = 2; // disaster-recovery.timeout with telephony still OFF
const K_MEMBER_RETRY = 3; // arg = agent * 2 + member: hot, the next attempt to reach that server
const K_DPOLL = 4; // arg = agent * 2 + member: degraded WAN, an ADDP poll goes out now

// pathChanged's view of one (site, pool, member) path: bits.
const PATH_KNOWN = 1; // worked out in this change
const PATH_OK = 2; // the server runs and is reachable from the site
const PATH_DEGRADED = 4; // across a degraded WAN

export class TelephonyListener implements Handler, ClientSide, PathWatcher {
  /** A pending detection because the path broke (not the server): its poll at stake (else -1). */
  private readonly pathPollMs: Float64Array;
  /** Degraded WAN: the next ADDP poll of each connection (agent * 2 + member; -1: none). */
  private readonly evPoll: Float64Array;
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;
  /** pathChanged's paths by (standing site * pools + pool) * 2 + member: PATH_* bits. */
  private readonly paths: Uint8Array;

  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
  ) {
    this.hid = d.env.ctx.handler(this);
    this.pathPollMs = new Float64Array(2 * d.n).fill(-1);
    this.evPoll = new Float64Array(2 * d.n).fill(-1);
    this.paths = new Uint8Array(d.sites.length * d.tel.pools.length * 2);
  }

  /**
   * The client layer (re)connects to the pool's pair: hot to each running server, warm to the
   * primary. Returns whether it is connected to one of them now.
   */
  connectAll(a: number, pool: number): boolean {
    const d = this.d;
    d.cancelMemberTimers(a);
    d.link[a] = DEAD;
    this.follow(a, pool, ClientEvent.ClientStarted, 0);
    return anyUp(d.link[a]!, d.modeOf(pool));
  }

  /** One event of the desktop's client machine (ha-pair/client.ts); effects in `effects`. */
  private follow(a: number, pool: number, ev: ClientEvent, m: 0 | 1): void {
    const d = this.d;
    follow(d.link, a, d.modeOf(pool), d.tel.pools[pool]!.pair.members, ev, m, this);
  }

  /**
   * Desktops have no host of their own: they reach what the site they stand at reaches
   * (DesktopState.standsAt, Network.siteReachable).
   */
  outlookOf(a: number, server: App | undefined): Outlook {
    const d = this.d;
    const s = d.site[a]!;
    const reachable =
      server !== undefined && (s < 0 || d.env.net.siteReachableTo(d.standsAt(a, s), server.host));
    return outlook(true, server, reachable);
  }

  /**
   * A partition or a heal: a connection whose path broke is judged by the desktop's ADDP
   * (network/addp.ts) — lost when its poll at stake goes unanswered; one whose path came back
   * before that poll goes on.
   */
  pathChanged(): void {
    if (this.pathsQuiet()) return;
    const d = this.d;
    const net = d.env.net;
    // Desktops standing at one site and connected to one server see the same path: whether it
    // is up and whether it is degraded is worked out once per (site, pool, member) and change
    // (nothing in the loop changes a server or the network).
    const paths = this.paths;
    paths.fill(0);
    const pools = d.tel.pools.length;
    const { phase, site: siteOf, link, evDetect } = d;
    const evPoll = this.evPoll;
    for (let a = 0; a < d.n; a++) {
      const p = phase[a]!;
      const s = siteOf[a]!;
      if (!following(p) || s < 0) continue;
      const pool = d.poolAt(a, s);
      const mode = d.modeOf(pool);
      const stands = d.standsAtIndex(a, s);
      for (let k = 0; k < 2; k++) {
        const m = k as 0 | 1; // indexed: no array and iterator per desktop and change
        if (!isUp(link[a]!, mode, m)) continue;
        const i = a * 2 + m;
        const key = ((stands * pools + pool) << 1) | m;
        let path = paths[key]!;
        if (path === 0) {
          const server = d.tel.pools[pool]!.pair.members[m];
          const site = d.sites[stands]!.id;
          path = PATH_KNOWN;
          if (server.up && net.siteReachableTo(site, server.host)) path |= PATH_OK;
          if (net.siteDegradedTo(site, server.host)) path |= PATH_DEGRADED;
          paths[key] = path;
        }
        // The usual connection: a healthy path, no degraded polls, no loss being judged.
        if (path === (PATH_KNOWN | PATH_OK) && evPoll[i]! < 0 && evDetect[i]! < 0) continue;
        this.pathChangedFor(a, m, pool, stands, path);
      }
    }
  }

  /**
   * Whether pathChanged has nothing to do: no connection's loss is being judged (evDetect), no
   * degraded polls run (evPoll), and every server of every pool is either gone (its own
   * detection is armed) or reachable on a healthy path from every site desktops stand at. Then
   * each desktop's connection is the usual one and pathChangedFor would not be called. Most
   * network changes (9 of bench-day's 14: hosts powered off and on, a heal, the WAN restored)
   * are so: two flat arrays read instead of each desktop's conf and links.
   */
  private pathsQuiet(): boolean {
    const d = this.d;
    const net = d.env.net;
    const detect = d.evDetect;
    const poll = this.evPoll;
    for (let i = 0; i < detect.length; i++) if (detect[i]! >= 0 || poll[i]! >= 0) return false;
    const pools = d.tel.pools;
    for (let x = 0; x < d.sites.length; x++) {
      const site = d.sites[x]!.id;
      for (let pool = 0; pool < pools.length; pool++) {
        const members = pools[pool]!.pair.members;
        for (let m = 0; m < 2; m++) {
          const server = members[m]!;
          if (!server.up) continue;
          if (!net.siteReachableTo(site, server.host) || net.siteDegradedTo(site, server.host))
            return false;
        }
      }
    }
    return true;
  }

  /** pathChanged for connection `a * 2 + m` of a desktop standing at site index `stands`. */
  private pathChangedFor(a: number, m: 0 | 1, pool: number, stands: number, path: number): void {
    const d = this.d;
    const { ctx, net } = d.env;
    const t = d.clientAddpMs;
    const i = a * 2 + m;
    const server = d.tel.pools[pool]!.pair.members[m];
    const site = d.sites[stands]!.id;
    const ok = (path & PATH_OK) !== 0;
    if ((path & PATH_DEGRADED) === 0) d.cancel(this.evPoll, i);
    else if (ok && this.evPoll[i]! < 0 && d.evDetect[i]! < 0) {
      // The WAN degraded under a quiet connection: the polls go one by one from the cycle's
      // next poll (the quiet cycle ran at the healthy round trip).
      const added = net.degradation(site, server.host.site)!.latencyMs;
      const rtt = 2 * (net.siteLatencyTo(site, server.host) - added);
      const next = pollAtStakeMs(d.addpPhaseMs[a]!, t, rtt, ctx.nowMs);
      this.evPoll[i] = ctx.scheduleAt(Math.max(ctx.nowMs, next), this.hid, K_DPOLL, i);
    }
    if (d.evDetect[i]! >= 0) {
      if (ok && this.pathPollMs[i]! > ctx.nowMs) d.cancel(d.evDetect, i);
      return;
    }
    if (ok || !server.up) return; // a vanished server: its own detection is armed
    const poll = pollAtStakeMs(
      d.addpPhaseMs[a]!,
      t,
      2 * net.siteLatencyTo(site, server.host),
      ctx.nowMs,
    );
    this.pathPollMs[i] = poll;
    d.evDetect[i] = ctx.scheduleAt(poll + t, this.hid, K_DETECT, i);
  }

  effects(a: number, fx: number, m: 0 | 1): void {
    const d = this.d;
    const { ctx } = d.env;
    const pool = d.poolAt(a, d.site[a]!);
    if (fx & Effect.CancelRetry) d.cancel(d.evMemberRetry, a * 2 + m);
    if (fx & Effect.Connect) {
      // A new connection: across a degraded WAN its first poll goes out after t of silence.
      const server = d.tel.pools[pool]!.pair.members[m];
      const i = a * 2 + m;
      d.cancel(this.evPoll, i);
      if (d.env.net.siteDegradedTo(d.standsAt(a, d.site[a]!), server.host))
        this.evPoll[i] = ctx.schedule(d.clientAddpMs, this.hid, K_DPOLL, i);
    }
    if (fx & Effect.ServerClosed) {
      d.cancel(d.evDetect, a * 2 + m); // the close tells before ADDP would
      this.follow(a, pool, ClientEvent.LinkLost, m); // heard at once
    }
    if (fx & Effect.ServerGone) {
      // Host gone: the desktop's ADDP polls go unanswered (network/addp.ts).
      const server = d.tel.pools[pool]!.pair.members[m];
      const rtt = 2 * d.env.net.siteLatencyTo(d.standsAt(a, d.site[a]!), server.host);
      const at = addpLossDetectedAtMs(d.addpPhaseMs[a]!, d.clientAddpMs, rtt, ctx.nowMs);
      d.cancel(d.evDetect, a * 2 + m);
      this.pathPollMs[a * 2 + m] = -1;
      d.evDetect[a * 2 + m] = ctx.scheduleAt(at, this.hid, K_DETECT, a * 2 + m);
    }
    if (fx & Effect.ArmRetry) {
      // Hot: this server again after reconnect-timeout. Warm: telephony OFF (its own retries).
      if (d.modeOf(pool) === WARM) {
        if (d.phase[a] === Phase.Working) this.disconnected(a);
      } else if (d.evMemberRetry[a * 2 + m]! < 0) {
        d.evMemberRetry[a * 2 + m] = ctx.schedule(
          d.reconnectMs,
          this.hid,
          K_MEMBER_RETRY,
          a * 2 + m,
        );
      }
    }
    if (fx & Effect.Refresh && d.phase[a] === Phase.Working)
      d.tel.agentControl.setConnected(a, d.phoneDown[a] === 0 && d.hasPrimary(a, pool));
  }

  /**
   * Degraded WAN: connection `i` (agent * 2 + member) sends an ADDP poll now. Answered in time
   * (pollAnsweredInTime): the next poll t after the answer. Not: the connection is declared lost
   * t after the poll. The chain stops when the connection is gone, a loss is being judged, or
   * the WAN is healthy again (the quiet cycle takes over).
   */
  private degradedPoll(i: number): void {
    const d = this.d;
    const { ctx, net } = d.env;
    const a = i >> 1;
    const m = (i & 1) as 0 | 1;
    const p = d.phase[a]!;
    const s = d.site[a]!;
    if (!following(p) || s < 0 || d.evDetect[i]! >= 0) return;
    const pool = d.poolAt(a, s);
    if (!isUp(d.link[a]!, d.modeOf(pool), m)) return;
    const server = d.tel.pools[pool]!.pair.members[m];
    const site = d.standsAt(a, s);
    if (!net.siteDegradedTo(site, server.host)) return;
    const t = d.clientAddpMs;
    const now = ctx.nowMs;
    if (server.up && net.siteReachableTo(site, server.host)) {
      const out = net.siteTransitTo(site, server.host);
      const back = out < 0 ? -1 : net.siteTransitTo(site, server.host);
      if (pollAnsweredInTime(out, back, t)) {
        this.evPoll[i] = ctx.scheduleAt(now + out + back + t, this.hid, K_DPOLL, i);
        return;
      }
    }
    this.pathPollMs[i] = now;
    d.evDetect[i] = ctx.scheduleAt(now + t, this.hid, K_DETECT, i);
  }

  /**
   * After a connection loss: a working desktop connected to no server is telephony OFF; so is
   * one waiting for its phone after a dr-force_logout (its listeners keep running: seed 002).
   */
  private checkOff(a: number, pool: number): void {
    const p = this.d.phase[a];
    if (
      (p === Phase.Working || p === Phase.WaitPhone) &&
      !anyUp(this.d.link[a]!, this.d.modeOf(pool))
    )
      this.disconnected(a);
  }

  /** A working desktop lost its last connection to the pair: telephony OFF. */
  private disconnected(a: number): void {
    this.j.counters.stats.disconnects++;
    this.goOff(a);
  }

  /** A server of `pool` changed: the desktops logged in through it follow (ha-pair/client.ts). */
  onServer(pool: number, member: number, c: AppChange): void {
    const d = this.d;
    const ev = serverEvent(c);
    if (ev === undefined) return;
    for (let a = 0; a < d.n; a++) {
      if (!following(d.phase[a]!) || d.site[a]! < 0 || d.poolAt(a, d.site[a]!) !== pool) continue;
      this.follow(a, pool, ev, member as 0 | 1);
      this.checkOff(a, pool);
      // A warm desktop still attached to the member that left (its ADDP has not judged the loss
      // yet) is not connected to the new primary: that server knows no login of it, so no call
      // reaches the agent until the desktop reconnects (DOMAIN §4).
      if (ev === ClientEvent.ServerPromoted && d.phase[a] === Phase.Working)
        d.tel.agentControl.setConnected(a, d.phoneDown[a] === 0 && d.hasPrimary(a, pool));
    }
  }

  /** The desktop's ADDP (or a close) told it the connection to `member` is gone. */
  private lose(a: number, member: 0 | 1): void {
    const pool = this.d.poolAt(a, this.d.site[a]!);
    this.follow(a, pool, ClientEvent.LinkLost, member);
    this.checkOff(a, pool);
  }

  /** Telephony OFF: retry every warm-standby.retry-delay (+0–jitter); DR after the timeout. */
  goOff(a: number): void {
    const d = this.d;
    const { ctx } = d.env;
    const g = d.conf(a);
    if (d.leaving[a]) {
      // Leaving at the end of its call: no reconnection, no DR move.
      this.j.duty.offDuty(a);
      return;
    }
    d.setPhase(a, Phase.Off);
    this.j.counters.loginFailed(a);
    d.tel.agentControl.setConnected(a, false);
    this.scheduleRetry(a, d.reconnectMs);
    const timeout = g.drTimeoutMs;
    if (d.drPossible(a) && timeout > 0)
      d.evDr[a] = ctx.schedule(timeout, this.hid, K_DR_TIMEOUT, a);
  }

  private scheduleRetry(a: number, delayMs: number): void {
    this.d.cancel(this.d.evRetry, a);
    this.d.evRetry[a] = this.d.env.ctx.schedule(delayMs, this.hid, K_RETRY, a);
  }

  private onRetry(a: number): void {
    const d = this.d;
    d.evRetry[a] = -1;
    if (d.phase[a] !== Phase.Off) return;
    const pool = d.poolAt(a, d.site[a]!);
    // The attempt succeeds when the desktop connects to a server of its pool: the pool in
    // service is not enough when a partition keeps the desktop from both servers (it stays OFF,
    // retries, and its disaster-recovery.timeout runs on).
    if (pool >= 0 && d.tel.poolInService(pool) && this.connectAll(a, pool)) {
      d.cancel(d.evDr, a);
      d.setPhase(a, Phase.Working);
      if (d.tel.agents.pool[a] !== pool) d.tel.agentControl.login(a, pool);
      d.tel.agentControl.setConnected(a, d.phoneDown[a] === 0 && d.hasPrimary(a, pool));
      this.j.services.working(a);
      // A registration of the endpoint while telephony was OFF did not take the desktop back to
      // its preferred site: the next one looks again (auto-restore).
      this.j.registration.armReturn(a);
      return;
    }
    const g = d.conf(a);
    const jitter = Math.floor(uniform(g.rng, 0, g.retryJitterMs));
    this.scheduleRetry(a, g.retryDelayMs + jitter);
  }

  onEvent(kind: number, arg: number): void {
    const d = this.d;
    switch (kind) {
      case K_DETECT: {
        const a = Math.floor(arg / 2);
        d.evDetect[arg] = -1;
        this.lose(a, (arg % 2) as 0 | 1);
        return;
      }
      case K_RETRY:
        return this.onRetry(arg);
      case K_DR_TIMEOUT:
        d.evDr[arg] = -1;
        if (d.phase[arg] === Phase.Off) this.j.dr.switchSite(arg);
        return;
      case K_MEMBER_RETRY: {
        d.evMemberRetry[arg] = -1;
        const a = Math.floor(arg / 2);
        this.follow(a, d.poolAt(a, d.site[a]!), ClientEvent.RetryDue, (arg % 2) as 0 | 1);
        return;
      }
      case K_DPOLL:
        this.evPoll[arg] = -1;
        this.degradedPoll(arg);
        return;
      default:
        assert(false, `desktop telephony listener: unknown event kind ${kind}`);
    }
  }
}

/**
 * A desktop in this phase follows its pool's servers (its telephony listener runs): working,
 * telephony OFF, or logged out by dr-force_logout and waiting for its phone.
 */
function following(p: number): boolean {
  return p === Phase.Working || p === Phase.Off || p === Phase.WaitPhone;
}
