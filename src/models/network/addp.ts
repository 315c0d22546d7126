// A TCP connection with ADDP (Advanced Disconnect Detection Protocol) on either end.
// Each end with a non-zero timeout polls after that much silence and declares the connection
// lost when no answer arrives within another timeout; any message received counts as an
// answer. A process that exits on a live host closes its sockets, so the other end learns at
// once (after the latency). Leaves out: TCP retransmission and keep-alive.

import { assert, type Handler, type SimContext, type EventId } from '../../sim/index.js';
import type { HostId } from '../../scenario/types.js';
import type { Network } from './network.js';

export interface AddpEndpoint {
  readonly hostId: HostId;
  /** The process behind this end is alive and answers on the connection. */
  addpAlive(): boolean;
  /** This end has lost the connection (ADDP timeout or close from the other end). */
  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void;
}

export type Side = 0 | 1;

export type AddpLinkLost = (link: AddpLink, reason: 'addp-timeout' | 'closed') => void;

const CHECK = 0; // + side
const TIMEOUT = 2; // + side
const POLL_ARRIVES = 4; // + receiving side
const REPLY_ARRIVES = 6; // + receiving side
const CLOSE_ARRIVES = 8; // + receiving side

export class AddpLink implements Handler {
  private epoch = 0;
  private readonly open: [boolean, boolean] = [false, false];
  private readonly lastRxMs: [number, number] = [0, 0];
  private readonly pollSentMs: [number, number] = [-1, -1];
  private readonly checkEv: [EventId, EventId] = [-1, -1];
  private readonly timeoutEv: [EventId, EventId] = [-1, -1];
  private readonly ends: [AddpEndpoint, AddpEndpoint];

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
  }

  end(side: Side): AddpEndpoint {
    return this.ends[side];
  }

  isOpen(side: Side): boolean {
    return this.open[side];
  }

  /**
   * Opens both ends now. `lastRxAgoMs` places the last traffic in the past, which sets the
   * phase of the polling cycle (connections opened at different times poll at different phases).
   */
  connect(lastRxAgoMs: readonly [number, number] = [0, 0]): void {
    this.epoch++;
    for (const side of [0, 1] as const) {
      this.stopTimers(side);
      this.open[side] = true;
      this.lastRxMs[side] = this.ctx.nowMs - lastRxAgoMs[side];
      this.pollSentMs[side] = -1;
      this.armCheck(side);
    }
  }

  /** The process at `side` exited: its end closes; the other end hears the close. */
  closeFrom(side: Side): void {
    if (!this.open[side]) return;
    this.shut(side);
    this.sendRaw(side, CLOSE_ARRIVES + (1 - side));
  }

  /** This end's process or host vanished: its end is gone, the other end hears nothing. */
  dropSilently(side: Side): void {
    this.shut(side);
  }

  /** Sends an application message from `side`; `deliver` runs at the other end if received. */
  send(side: Side, deliver: () => void): void {
    if (!this.open[side]) return;
    const other = (1 - side) as Side;
    const epoch = this.epoch;
    const from = this.ends[side].hostId;
    const to = this.ends[other].hostId;
    this.net.send(from, to, () => {
      if (epoch !== this.epoch || !this.open[other] || !this.ends[other].addpAlive()) return;
      this.received(other);
      deliver();
    });
  }

  private shut(side: Side): void {
    this.open[side] = false;
    this.stopTimers(side);
  }

  private stopTimers(side: Side): void {
    if (this.checkEv[side] >= 0) this.ctx.cancel(this.checkEv[side]);
    if (this.timeoutEv[side] >= 0) this.ctx.cancel(this.timeoutEv[side]);
    this.checkEv[side] = -1;
    this.timeoutEv[side] = -1;
  }

  private armCheck(side: Side): void {
    const t = this.timeoutMs[side];
    if (t <= 0) return;
    const at = Math.max(this.ctx.nowMs, this.lastRxMs[side] + t);
    this.checkEv[side] = this.ctx.scheduleAt(at, this, CHECK + side, this.epoch);
  }

  private received(side: Side): void {
    this.lastRxMs[side] = this.ctx.nowMs;
    if (this.pollSentMs[side] >= 0) {
      // Any traffic answers an outstanding poll.
      this.pollSentMs[side] = -1;
      if (this.timeoutEv[side] >= 0) this.ctx.cancel(this.timeoutEv[side]);
      this.timeoutEv[side] = -1;
      this.armCheck(side);
    }
  }

  private sendRaw(fromSide: Side, kind: number): void {
    const from = this.ends[fromSide].hostId;
    const to = this.ends[1 - fromSide]!.hostId;
    if (!this.net.host(from).powered) return;
    this.ctx.schedule(this.net.latencyMs(from, to), this, kind, this.epoch);
  }

  private arrives(fromSide: Side): boolean {
    const to = (1 - fromSide) as Side;
    return (
      this.open[to] &&
      this.net.deliverable(this.ends[fromSide].hostId, this.ends[to].hostId) &&
      this.ends[to].addpAlive()
    );
  }

  private lose(side: Side, reason: 'addp-timeout' | 'closed'): void {
    this.shut(side);
    if (reason === 'addp-timeout') this.sendRaw(side, CLOSE_ARRIVES + (1 - side));
    this.ends[side].onConnectionLost(this, reason);
  }

  onEvent(kind: number, epoch: number): void {
    if (epoch !== this.epoch) return; // a message or timer of an earlier connection
    switch (kind) {
      case CHECK:
      case CHECK + 1: {
        const side = (kind - CHECK) as Side;
        this.checkEv[side] = -1;
        if (!this.open[side] || !this.ends[side].addpAlive()) return;
        const t = this.timeoutMs[side];
        if (this.ctx.nowMs - this.lastRxMs[side] < t) {
          this.armCheck(side);
          return;
        }
        this.pollSentMs[side] = this.ctx.nowMs;
        this.sendRaw(side, POLL_ARRIVES + (1 - side));
        this.timeoutEv[side] = this.ctx.schedule(t, this, TIMEOUT + side, this.epoch);
        return;
      }
      case TIMEOUT:
      case TIMEOUT + 1: {
        const side = (kind - TIMEOUT) as Side;
        this.timeoutEv[side] = -1;
        if (!this.open[side] || !this.ends[side].addpAlive()) return;
        assert(this.pollSentMs[side] >= 0, 'ADDP timeout without an outstanding poll');
        this.lose(side, 'addp-timeout');
        return;
      }
      case POLL_ARRIVES:
      case POLL_ARRIVES + 1: {
        const side = (kind - POLL_ARRIVES) as Side;
        if (!this.arrives((1 - side) as Side)) return;
        this.received(side);
        this.sendRaw(side, REPLY_ARRIVES + (1 - side));
        return;
      }
      case REPLY_ARRIVES:
      case REPLY_ARRIVES + 1: {
        const side = (kind - REPLY_ARRIVES) as Side;
        if (!this.arrives((1 - side) as Side)) return;
        this.received(side);
        return;
      }
      case CLOSE_ARRIVES:
      case CLOSE_ARRIVES + 1: {
        const side = (kind - CLOSE_ARRIVES) as Side;
        if (!this.arrives((1 - side) as Side)) return;
        this.lose(side, 'closed');
        return;
      }
      default:
        assert(false, `AddpLink: unknown event kind ${kind}`);
    }
  }
}
