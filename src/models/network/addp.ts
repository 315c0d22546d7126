// A TCP connection with ADDP (Advanced Disconnect Detection Protocol) on either end.
//
// Each end with a non-zero timeout T polls after T of silence and declares the connection lost
// when no answer arrives within another T; any message received answers an outstanding poll.
// A process that exits on a live host closes its sockets, so the other end learns at once
// (after the latency). Each end runs its own polling cycle.
//
// The polls of a healthy connection are periodic: after the last message received at `anchor`,
// polls go out at anchor + T + k·(T + 2·latency), each answered one round trip later. So the
// link schedules nothing while both ends answer and the path is up; when the peer vanishes or
// the path breaks, it works out which poll goes unanswered and schedules only that poll's
// judgement. On a degraded WAN (wan-degrade) that shortcut does not hold: the link then sends
// its polls one by one, each answered only if the poll and its answer, delayed by the latency
// and by TCP retransmissions of lost attempts (network.ts), are back within the timeout — so
// heavy loss or latency makes ADDP declare a live connection lost, as the real one would.
// Leaves out: TCP keep-alive; under wan-degrade, the peer's own polls as traffic.

import { assert, type Handler, type SimContext, type EventId } from '../../sim/index.js';
import type { HostId } from '../../spec/types.js';
import type { Network, NetworkHost } from './network.js';

export interface AddpEndpoint {
  readonly hostId: HostId;
  /** The process behind this end is alive and answers on the connection. */
  addpAlive(): boolean;
  /** This end has lost the connection (ADDP timeout or close from the other end). */
  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void;
}

export type Side = 0 | 1;

/**
 * Traffic that reaches an end by another path and answers its ADDP (an ICON's source records),
 * reported lazily: the feed holds the touches that would have taken the quiet-cycle fast path
 * (see `touch`) and hands the last one over before the link reads its own state.
 */
export interface TrafficFeed {
  /** Apply the touches held for `link` (with `deferredTraffic`), now. */
  settleTraffic(link: AddpLink): void;
  /** The link's state changed (open ends, a poll out, a degraded path): held touches may no longer be fast. */
  linkChanged(link: AddpLink): void;
}

export type AddpLinkLost = (link: AddpLink, reason: 'addp-timeout' | 'closed') => void;

const POLL = 0; // + side: the poll at pollMs[side] is sent; is it answered?
const TIMEOUT = 2; // + side: an unanswered poll's timeout expires
const CLOSE_ARRIVES = 4; // + receiving side
const DPOLL = 6; // + side: degraded WAN, a poll goes out now
const DANSWER = 8; // + side: degraded WAN, the poll's answer arrives now

/**
 * The poll whose answer decides, for an end that polls with timeout `timeoutMs`, last heard from
 * its peer at `anchorMs`, when the peer stops answering at `nowMs`: polls go out at
 * anchor + T + k·(T + rtt); the latest one sent by now is at stake if its answer was still on
 * its way, else the next one.
 */
export function pollAtStakeMs(
  anchorMs: number,
  timeoutMs: number,
  rttMs: number,
  nowMs: number,
): number {
  const period = timeoutMs + rttMs;
  const first = anchorMs + timeoutMs;
  if (nowMs <= first) return first;
  const poll = first + Math.floor((nowMs - first) / period) * period;
  return poll + rttMs <= nowMs ? poll + period : poll;
}

/**
 * When that end declares the connection lost: its poll at stake goes unanswered and the timeout
 * runs out one ADDP timeout after it. The one rule of ADDP detection, for AddpLink and for the
 * desktops (which hold no AddpLink each).
 */
export function addpLossDetectedAtMs(
  anchorMs: number,
  timeoutMs: number,
  rttMs: number,
  nowMs: number,
): number {
  return pollAtStakeMs(anchorMs, timeoutMs, rttMs, nowMs) + timeoutMs;
}

/**
 * A poll sent on a degraded WAN: it went out in `outMs` and its answer came back in `backMs`
 * (each a TCP transit with retransmissions, network.ts; -1: never arrived). It counts as
 * answered only when the answer is back before the timeout runs out. The one rule for AddpLink
 * and the desktops.
 */
export function pollAnsweredInTime(outMs: number, backMs: number, timeoutMs: number): boolean {
  return outMs >= 0 && backMs >= 0 && outMs + backMs < timeoutMs;
}

export class AddpLink implements Handler {
  private epoch = 0;
  private readonly open: [boolean, boolean] = [false, false];
  /** Last message received by each end (the phase of its polling cycle). */
  private readonly anchorMs: [number, number] = [0, 0];
  /** The poll under judgement at each end (-1: none). */
  private readonly pollMs: [number, number] = [-1, -1];
  private readonly ev: [EventId, EventId] = [-1, -1];
  /** The kind of each end's scheduled event. */
  private readonly evKind: [number, number] = [-1, -1];
  private readonly ends: [AddpEndpoint, AddpEndpoint];
  /** The ends' hosts (fixed for the link's life): the network is asked with them, not their ids. */
  private readonly hosts: readonly [NetworkHost, NetworkHost];
  /** The path crosses a degraded WAN: polls are sent one by one. */
  private degradedMode = false;
  /** By sending side: when the last message sent on this connection (epoch) arrives. */
  private readonly lastArrivalMs: [number, number] = [0, 0];
  private readonly arrivalEpoch: [number, number] = [-1, -1];
  /**
   * By sending side: the connection (epoch) whose stream from that side is stuck behind a
   * message TCP gave up on (-1: none). Nothing sent after it arrives, polls included, so ADDP
   * finds the connection lost (TCP itself would abort it only after tcp_retries2, ~20 min).
   */
  private readonly wedgedEpoch: [number, number] = [-1, -1];
  /** Who holds touches of this link, if anyone (see TrafficFeed). */
  private feed: TrafficFeed | undefined = undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly net: Network,
    readonly label: string,
    a: AddpEndpoint,
    b: AddpEndpoint,
    /** ADDP timeout of each end in ms; 0 = that end does not poll. */
    private readonly timeoutMs: readonly [number, number],
  ) {
    this.ends = [a, b];
    this.hosts = [net.host(a.hostId), net.host(b.hostId)];
    net.watch(this);
  }

  /** `feed` holds touches of this link from now on. */
  setFeed(feed: TrafficFeed): void {
    this.feed = feed;
  }

  /** Touches held by the feed reach the link's state before it reads it. */
  private sync(): void {
    if (this.feed !== undefined) this.feed.settleTraffic(this);
  }

  private changed(): void {
    if (this.feed !== undefined) this.feed.linkChanged(this);
  }

  /**
   * The feed's held touches, the last at `atMs`: each would have taken the quiet-cycle fast path
   * of `touch` (the feed holds a touch only when the link was `quiet` and the traffic before it
   * came less than the timeout earlier), so the last one sets the anchor.
   */
  deferredTraffic(side: Side, atMs: number): void {
    this.anchorMs[side] = atMs;
  }

  /**
   * A touch of `side` now takes the fast path if it comes within the timeout of the traffic
   * before it: the end is open, the path healthy, no poll out. Stays so until `linkChanged`.
   */
  quiet(side: Side): boolean {
    return this.open[side] && !this.degradedMode && this.pollMs[side] < 0;
  }

  end(side: Side): AddpEndpoint {
    return this.ends[side];
  }

  isOpen(side: Side): boolean {
    return this.open[side];
  }

  /** Round trip between the two ends (recomputed when the network changes: wan-degrade). */
  private rttCache = -1;
  private get rttMs(): number {
    if (this.rttCache < 0)
      this.rttCache = 2 * this.net.latencyBetween(this.hosts[0], this.hosts[1]);
    return this.rttCache;
  }

  /**
   * Opens both ends now. `lastRxAgoMs` places the last traffic in the past, which sets the
   * phase of the polling cycle (connections opened at different times poll at different phases).
   */
  connect(lastRxAgoMs: readonly [number, number] = [0, 0]): void {
    this.sync();
    this.epoch++;
    for (const side of [0, 1] as const) {
      this.stop(side);
      this.open[side] = true;
      this.anchorMs[side] = this.ctx.nowMs - lastRxAgoMs[side];
    }
    this.pathChanged();
  }

  /** The process at `side` exited: its end closes; the other end hears the close. */
  closeFrom(side: Side): void {
    if (!this.open[side]) return;
    this.sync();
    this.shut(side);
    this.sendClose(side);
    this.changed();
  }

  /** This end's process or host vanished: its end is gone, the other end hears nothing. */
  dropSilently(side: Side): void {
    this.sync();
    this.shut(side);
    this.watchEnd((1 - side) as Side);
    this.changed();
  }

  /** Sends an application message from `side`; `deliver` runs at the other end if received. */
  send(side: Side, deliver: () => void): void {
    if (!this.open[side]) return;
    const epoch = this.epoch;
    if (this.wedgedEpoch[side] === epoch) return; // behind the message TCP gave up on
    const other = (1 - side) as Side;
    const from = this.ends[side].hostId;
    const to = this.ends[other].hostId;
    // One TCP stream each way: a message never overtakes the one sent before it (a report
    // retransmitted on a lossy WAN holds back the reports after it), within this connection.
    const notBeforeMs = this.arrivalEpoch[side] === epoch ? this.lastArrivalMs[side] : 0;
    const atMs = this.net.send(
      from,
      to,
      () => {
        if (epoch !== this.epoch || !this.open[other] || !this.ends[other].addpAlive()) return;
        this.sync();
        this.received(other);
        this.changed();
        deliver();
      },
      notBeforeMs,
    );
    if (atMs >= 0) {
      this.lastArrivalMs[side] = atMs;
      this.arrivalEpoch[side] = epoch;
    } else if (this.hosts[side].powered) this.wedge(side);
  }

  /**
   * TCP gave up on a message from `side` (lost tcp_retries2 times on a lossy WAN): everything
   * sent after it on this connection waits behind it, so no poll from that side arrives and no
   * answer to the other side's: both ends' ADDP judge the connection from now.
   */
  private wedge(side: Side): void {
    this.sync();
    this.wedgedEpoch[side] = this.epoch;
    this.watchEnd(0);
    this.watchEnd(1);
    this.changed();
  }

  /** Traffic reached `side` by another path (e.g. a source event stream): it counts as an answer. */
  touch(side: Side): void {
    if (!this.open[side]) return;
    this.sync();
    if (!this.degradedMode && this.pollMs[side] < 0) {
      // The common case, as received() decides it: a quiet cycle with no poll out yet.
      const now = this.ctx.nowMs;
      if (now < this.anchorMs[side] + this.timeoutMs[side]) {
        this.anchorMs[side] = now;
        return;
      }
      // A timeout or more after the traffic before: received() moves only the anchor (a poll
      // may be on its way). The end stays quiet, so the feed's held touches stay what `quiet`
      // promised and it need not look again (no `changed`).
      this.received(side);
      return;
    }
    this.received(side);
    // A degraded path: the message answers the poll in flight (received). The end stays open
    // and, on a degraded path, never quiet: nothing the feed reads changed, and it holds no
    // touches (every record touches the link itself). No `changed`.
    if (this.degradedMode) return;
    this.changed();
  }

  /** The network changed (partition, heal, WAN degraded or restored): each polling end checks its peer again. */
  pathChanged(): void {
    this.sync();
    const degraded = this.net.degradedBetween(this.hosts[0], this.hosts[1]);
    if (degraded && !this.degradedMode) {
      // The quiet cycle's polls were answered implicitly: the last answer is the anchor from
      // which the polls go one by one (its poll may still be on its way: then its answer).
      for (const side of [0, 1] as const) this.anchorToLastAnswer(side);
    }
    this.rttCache = -1;
    if (degraded !== this.degradedMode) {
      this.degradedMode = degraded;
      // Back to the quiet cycle: a poll not yet sent is the analytic cycle's again. A poll in
      // flight keeps its answer or its timeout.
      for (const side of [0, 1] as const) if (this.evKind[side] === DPOLL + side) this.stop(side);
    }
    this.watchEnd(0);
    this.watchEnd(1);
    this.changed();
  }

  /** A quiet end (no poll under judgement): its anchor moves to the last implicit answer. */
  private anchorToLastAnswer(side: Side): void {
    const t = this.timeoutMs[side];
    if (t <= 0 || this.pollMs[side] >= 0 || this.ev[side] >= 0) return;
    const first = this.anchorMs[side] + t;
    const now = this.ctx.nowMs;
    if (now < first) return;
    // The quiet cycle ran on the healthy network's round trip.
    const rtt = 2 * this.net.baseLatencyMs(this.ends[0].hostId, this.ends[1].hostId);
    const period = t + rtt;
    this.anchorMs[side] = first + Math.floor((now - first) / period) * period + rtt;
  }

  private shut(side: Side): void {
    this.open[side] = false;
    this.stop(side);
  }

  private stop(side: Side): void {
    if (this.ev[side] >= 0) this.ctx.cancel(this.ev[side]);
    this.ev[side] = -1;
    this.evKind[side] = -1;
    this.pollMs[side] = -1;
  }

  private arm(side: Side, atMs: number, kind: number): void {
    this.evKind[side] = kind;
    this.ev[side] = this.ctx.scheduleAt(atMs, this, kind, this.epoch);
  }

  /** Would a poll from `side` be answered now? */
  private answered(side: Side): boolean {
    const other = (1 - side) as Side;
    return (
      this.open[other] &&
      this.ends[other].addpAlive() &&
      this.net.reachableBetween(this.hosts[side], this.hosts[other]) &&
      this.wedgedEpoch[0] !== this.epoch &&
      this.wedgedEpoch[1] !== this.epoch
    );
  }

  /** When the end is healthy nothing is scheduled; otherwise judge the next poll that matters. */
  private watchEnd(side: Side): void {
    const t = this.timeoutMs[side];
    if (
      !this.open[side] ||
      t <= 0 ||
      !this.ends[side].addpAlive() ||
      this.pollMs[side] >= 0 ||
      this.ev[side] >= 0
    )
      return;
    const now = this.ctx.nowMs;
    if (this.degradedMode) {
      // Degraded WAN: the next poll goes out after t of silence.
      this.arm(side, Math.max(now, this.anchorMs[side] + t), DPOLL + side);
      return;
    }
    if (this.answered(side)) return;
    const poll = pollAtStakeMs(this.anchorMs[side], t, this.rttMs, now);
    this.pollMs[side] = poll;
    this.arm(side, Math.max(poll, now), POLL + side);
  }

  /** A message reached `side`: it answers an outstanding poll and restarts the cycle. */
  private received(side: Side): void {
    const now = this.ctx.nowMs;
    const t = this.timeoutMs[side];
    if (this.degradedMode && t > 0) {
      // Polls one by one: any message answers the poll in flight; the next goes out t later.
      this.anchorMs[side] = now;
      if (this.pollMs[side] >= 0) {
        this.stop(side);
        this.watchEnd(side);
      }
      return;
    }
    if (t > 0 && this.pollMs[side] < 0) {
      // In a quiet cycle a poll may be on its way: its answer, a round trip after it, comes last.
      const first = this.anchorMs[side] + t;
      const period = t + this.rttMs;
      if (now >= first) {
        const poll = first + Math.floor((now - first) / period) * period;
        if (now < poll + this.rttMs) {
          this.anchorMs[side] = poll + this.rttMs;
          return;
        }
      }
    }
    this.anchorMs[side] = now;
    if (this.pollMs[side] >= 0) {
      this.stop(side);
      this.watchEnd(side);
    }
  }

  private sendClose(fromSide: Side): void {
    const from = this.hosts[fromSide];
    if (!from.powered) return;
    if (this.wedgedEpoch[fromSide] === this.epoch) return; // the FIN waits behind the lost message
    this.ctx.schedule(
      this.net.latencyBetween(from, this.hosts[1 - fromSide]!),
      this,
      CLOSE_ARRIVES + (1 - fromSide),
      this.epoch,
    );
  }

  private lose(side: Side, reason: 'addp-timeout' | 'closed'): void {
    this.shut(side);
    if (reason === 'addp-timeout') this.sendClose(side);
    this.ends[side].onConnectionLost(this, reason);
  }

  onEvent(kind: number, epoch: number): void {
    if (epoch !== this.epoch) return; // a message or timer of an earlier connection
    this.sync();
    this.handle(kind);
    this.changed();
  }

  private handle(kind: number): void {
    // Every kind is a base plus the side (bases are even).
    const side = (kind & 1) as Side;
    const base = kind - side;
    if (base === CLOSE_ARRIVES) {
      // A message, not the side's timer: it leaves the armed timer alone.
      if (
        this.open[side] &&
        this.net.deliverableTo(this.hosts[1 - side]!, this.hosts[side]) &&
        this.ends[side].addpAlive()
      )
        this.lose(side, 'closed');
      return;
    }
    // The side's one timer fired: it is no longer armed.
    this.ev[side] = -1;
    this.evKind[side] = -1;
    if (!this.open[side] || !this.ends[side].addpAlive()) return;
    switch (base) {
      case POLL: {
        const poll = this.pollMs[side];
        assert(poll >= 0, 'ADDP poll judged without a poll');
        if (this.answered(side)) {
          // The path came back in time: the poll is answered one round trip later.
          this.pollMs[side] = -1;
          this.anchorMs[side] = poll + this.rttMs;
          this.watchEnd(side); // a degraded WAN polls one by one from here
          return;
        }
        this.arm(side, poll + this.timeoutMs[side], TIMEOUT + side);
        return;
      }
      case DPOLL: {
        const t = this.timeoutMs[side];
        const now = this.ctx.nowMs;
        if (!this.degradedMode || this.anchorMs[side] + t > now) {
          this.watchEnd(side); // traffic came since: the poll waits for t of silence again
          return;
        }
        this.pollMs[side] = now;
        if (!this.answered(side)) {
          this.arm(side, now + t, TIMEOUT + side);
          return;
        }
        const here = this.hosts[side];
        const there = this.hosts[1 - side]!;
        const out = this.net.transitBetween(here, there);
        const back = out < 0 ? -1 : this.net.transitBetween(there, here);
        // Answered only if the answer is back before the timeout runs out.
        if (pollAnsweredInTime(out, back, t)) this.arm(side, now + out + back, DANSWER + side);
        else this.arm(side, now + t, TIMEOUT + side);
        return;
      }
      case DANSWER: {
        const poll = this.pollMs[side];
        assert(poll >= 0, 'ADDP answer without a poll');
        if (!this.answered(side)) {
          // The peer or the path went while the answer was on its way: none comes.
          this.arm(side, poll + this.timeoutMs[side], TIMEOUT + side);
          return;
        }
        this.pollMs[side] = -1;
        this.anchorMs[side] = this.ctx.nowMs;
        this.watchEnd(side);
        return;
      }
      case TIMEOUT:
        this.lose(side, 'addp-timeout');
        return;
      default:
        assert(false, `AddpLink: unknown event kind ${kind}`);
    }
  }
}
