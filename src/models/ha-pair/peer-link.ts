// The connection between the two members of a pair that watch each other: the SCS peer link
// (DOMAIN §3) and the Configuration Server sync link (§5). One ADDP connection; member 1's end
// follows member 0 as a hot client of that one member, through the client machine
// (`client.ts`): connected when both run and reach each other, retried every reconnect-timeout
// while member 0 runs but cannot be reached, connected again as soon as a restarted member is
// Started. Leaves out: which member dials (the model lets member 1's end do it).

import { TimerSlot } from '../../sim/index.js';
import type { Env } from '../env.js';
import { AddpLink, type AddpLinkLost, type Side } from '../network/addp.js';
import type { App, AppChange } from './app.js';
import {
  ClientEvent,
  clientEvent,
  Effect,
  effectsOf,
  HOT,
  isUp,
  outlook,
  serverEvent,
  ServerEnd,
  stateOf,
  step,
  type Outlook,
} from './client.js';

/** What the pair's model does when its end of the link is lost or the link opens again. */
export interface PeerLinkOwner {
  /** The end at `side` lost the connection (ADDP timeout, or the close of the other end). */
  peerLost(side: Side, reason: 'addp-timeout' | 'closed'): void;
  /** The connection opened again (not at the start of the run). */
  peerConnected(): void;
}

export class PeerLink {
  private readonly link: AddpLink;
  /** Member 1's end as a hot client of member 0 (client.ts): one state byte. */
  private readonly state = new Uint8Array(1);
  private readonly retry: TimerSlot;
  private readonly reconnectMs: number;
  /** The ADDP phases of the connection opened at the start of the run (then undefined). */
  private startPhases: readonly [number, number] | undefined;

  constructor(
    private readonly env: Env,
    label: string,
    readonly members: readonly [App, App],
    timeoutMs: readonly [number, number],
    private readonly owner: PeerLinkOwner,
  ) {
    this.retry = new TimerSlot(env.ctx);
    this.reconnectMs = env.opts.ms('reconnect-timeout');
    const lost =
      (side: Side): AddpLinkLost =>
      (_l, reason) =>
        this.lost(side, reason);
    this.link = new AddpLink(
      env.ctx,
      env.net,
      label,
      new ServerEnd(members[0], lost(0)),
      new ServerEnd(members[1], lost(1)),
      timeoutMs,
    );
    members[0].listen({
      onAppChanged: (_a, c) => {
        const ev = serverEvent(c);
        if (ev !== undefined) this.follow(ev);
        this.endDiesWith(0, c);
      },
    });
    members[1].listen({
      onAppChanged: (_a, c) => {
        const ev = clientEvent(c);
        if (ev !== undefined) this.follow(ev);
        this.endDiesWith(1, c);
      },
    });
  }

  /**
   * A member's own end of the connection dies with its process, whatever the client machine
   * made of it: a member that stops while the other one is already gone (its end never timed
   * out) must not find its end still open when it starts again, as if the peer were there.
   */
  private endDiesWith(side: Side, c: AppChange): void {
    if (!this.link.isOpen(side)) return;
    if (c.type === 'app.crashed') this.link.closeFrom(side);
    else if (c.type === 'app.vanished') this.link.dropSilently(side);
  }

  /** Opens the connection at the start of the run, `phases` ago (its ADDP cycle's phase). */
  start(phases: readonly [number, number] = [0, 0]): void {
    if (!this.members[1].up) return; // connected when it is Started
    this.startPhases = phases;
    this.follow(ClientEvent.ClientStarted);
    this.startPhases = undefined;
  }

  /** The end at `side` is open (as that member's own ADDP sees it). */
  isOpen(side: Side): boolean {
    return this.link.isOpen(side);
  }

  /** Member 1's end is connected (the client machine's view). */
  get connected(): boolean {
    return isUp(this.state[0]!, HOT, 0);
  }

  private lost(side: Side, reason: 'addp-timeout' | 'closed'): void {
    this.owner.peerLost(side, reason);
    if (side === 1) this.follow(ClientEvent.LinkLost);
  }

  private follow(ev: ClientEvent): void {
    const r = step(this.state[0]!, HOT, ev, 0, this.outlookNow());
    this.state[0] = stateOf(r);
    const fx = effectsOf(r);
    if (fx !== Effect.None) this.effects(fx);
  }

  /** The one rule of client.ts: member 1 must be able to act, member 0 run and be reachable. */
  private outlookNow(): Outlook {
    const [server, client] = this.members;
    return outlook(
      client.up && client.status !== 'hung',
      server,
      this.env.net.reachable(client.host.id, server.host.id),
    );
  }

  private effects(fx: number): void {
    if (fx & Effect.CancelRetry) this.retry.cancel();
    if (fx & Effect.ServerClosed) this.link.closeFrom(0);
    if (fx & Effect.ServerGone) this.link.dropSilently(0);
    if (fx & Effect.CloseClient) this.link.closeFrom(1);
    if (fx & Effect.DropClient) this.link.dropSilently(1);
    if (fx & Effect.Connect) {
      const phases = this.startPhases;
      this.link.connect(phases ?? [0, 0]);
      if (phases === undefined) {
        // Each end's row (member>peer), where its own loss was traced: both are open again.
        const [a, b] = this.members;
        this.env.ctx.trace(`${a.id}>${b.id}`, 'connected', 'reconnect');
        this.env.ctx.trace(`${b.id}>${a.id}`, 'connected', 'reconnect');
        this.owner.peerConnected();
      }
    }
    if (fx & Effect.ArmRetry && !this.retry.pending)
      this.retry.arm(this.reconnectMs, () => this.follow(ClientEvent.RetryDue));
  }
}
