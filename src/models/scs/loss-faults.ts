// Which scripted fault an SCS blames for a connection it lost (faults/blame.ts): the loss of an
// LCA, and of its link to the other SCS. A lost ADDP poll on a degraded WAN is the wan-degrade's
// doing from the moment the poll went out, not from the degradation's start — also when the
// timeout fires just after the WAN is healthy again (Blame.lostPoll).

import type { Env } from '../env.js';
import { hostKey, lcaKey, pathKey, type FaultRef } from '../faults/blame.js';
import type { HostId } from '../../spec/types.js';

export class LossFaults {
  /**
   * The peer link's last loss, when a poll lost on a degraded WAN explains it: a self-promotion
   * it completes counts from that poll, not from an older loss of the peer's LCA (a lossy WAN can
   * cut and restore the link several times while the LCA stays lost).
   */
  private peerLinkLoss: FaultRef | undefined;

  constructor(
    private readonly env: Env,
    /** The SCS's own host. */
    private readonly hostId: HostId,
  ) {}

  /** The fault blamed for losing `host`: its own, its LCA's, or the path to it or from here. */
  host(host: HostId): FaultRef | undefined {
    const keys = [hostKey(host), lcaKey(host), pathKey(host), pathKey(this.hostId)];
    return this.env.blame.latest(keys);
  }

  /** The fault blamed for losing the LCA of `host` now. */
  lca(host: HostId, reason: 'addp-timeout' | 'closed'): FaultRef | undefined {
    const fault = this.host(host);
    return reason === 'addp-timeout' ? this.lostPoll(fault, host) : fault;
  }

  /**
   * The link to the other SCS (on `peerHost`) was lost now: timed out here, or closed by the peer
   * whose own poll timed out (a transit before: counted from now). Only the WAN's reading is
   * kept: a later fault of the peer's host is the one its LCA's loss reads (`selfPromotion`).
   */
  peerLinkLost(peerHost: HostId): void {
    const other = this.host(peerHost);
    const f = this.lostPoll(other, peerHost);
    this.peerLinkLoss = f !== other ? f : undefined;
  }

  /** A self-promotion's fault: the later of the peer link's loss and `down`, its LCA's loss. */
  selfPromotion(down: FaultRef | undefined): FaultRef | undefined {
    const lost = this.peerLinkLoss;
    return lost !== undefined && (down === undefined || lost.atMs > down.atMs) ? lost : down;
  }

  private lostPoll(other: FaultRef | undefined, host: HostId): FaultRef | undefined {
    const { net, blame, ctx, opts } = this.env;
    const [here, there] = [net.host(this.hostId).site, net.host(host).site];
    return blame.lostPoll(other, here, there, ctx.nowMs, opts.ms('addp-timeout'));
  }
}
