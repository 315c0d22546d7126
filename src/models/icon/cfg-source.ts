// An ICON's connection to the Configuration Server as a data source (ICON role cfg, seed 001:
// "the ICON HA pair also store configuration and connection-related information from
// Configuration Server"). The Configuration Server pair is warm standby only (DOMAIN §5): the ICON
// is connected to the primary; a primary that exits, vanishes (seen through ADDP) or is demoted
// ends the session, and the ICON connects to the current primary reconnect-timeout later. Each
// connection is one data-source session (dss.csv), recorded like the telephony source's.
// Leaves out: configuration-change events (ccsim models no configuration changes, so the cfg
// source emits nothing an IDB could miss: only its sessions are recorded).

import { assert, uniform, type EventId, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import {
  ClientEvent,
  clientEvent,
  Effect,
  follow,
  outlook,
  serverEvent,
  ServerEnd,
  WARM,
  type ClientSide,
  type Outlook,
} from '../ha-pair/client.js';
import { AddpLink, type AddpEndpoint } from '../network/addp.js';
import type { DssSession, SessionEnd, SessionStart } from './session.js';
import type { HostId } from '../../spec/types.js';

const K_RETRY = 0;

export class ConfigSource implements Handler, AddpEndpoint, ClientSide {
  /** One connection per member of the Configuration Server pair; at most one is open. */
  private readonly links: [AddpLink, AddpLink];
  private retryEv: EventId = -1;
  /** How the ICON follows the Configuration Server pair (ha-pair/client.ts): one state byte. */
  private readonly link = new Uint8Array(1);
  /** Bumped at every ICON crash: timers of an earlier process are ignored. */
  private gen = 0;
  private lastServer: App | undefined;
  private lastIncarnation = -1;
  /** Why the ICON (re)started, until its first connection. */
  private startReason: SessionStart | undefined;
  private session: DssSession | undefined;
  private readonly rng;
  private readonly reconnectMs: number;
  private readonly addpMs: number;
  readonly sessions: DssSession[] = [];

  constructor(
    private readonly env: Env,
    readonly icon: App,
    readonly pair: HaPair,
  ) {
    const { ctx, opts } = env;
    // Its own stream: adding the cfg role moves none of the ICON's telephony draws.
    this.rng = ctx.stream(`icon/${icon.id}/cfg`);
    this.reconnectMs = opts.ms('reconnect-timeout');
    this.addpMs = opts.ms('client-addp-timeout');
    const [a, b] = pair.members;
    const t: [number, number] = [this.addpMs, 0];
    this.links = [
      new AddpLink(ctx, env.net, `${icon.id}>${a.id}`, this, new ServerEnd(a), t),
      new AddpLink(ctx, env.net, `${icon.id}>${b.id}`, this, new ServerEnd(b), t),
    ];
    icon.listen({ onAppChanged: (_x, c) => this.onIconChanged(c) });
    pair.members.forEach((m, i) =>
      m.listen({ onAppChanged: (_x, c) => this.onServerChanged(i as 0 | 1, c) }),
    );
    if (icon.status === 'started') {
      this.startReason = 'first-connect';
      this.follow(ClientEvent.ClientStarted, 0);
    }
  }

  // ---- AddpEndpoint (the ICON's end) ----

  get hostId(): HostId {
    return this.icon.host.id;
  }

  addpAlive(): boolean {
    return this.icon.up;
  }

  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    this.endSession(reason);
    this.env.ctx.trace(link.label, 'disconnected', reason);
    this.follow(ClientEvent.LinkLost, link === this.links[0] ? 0 : 1);
  }

  // ---- connection: the HA client machine (ha-pair/client.ts), warm standby ----

  private follow(ev: ClientEvent, m: 0 | 1): void {
    follow(this.link, 0, WARM, this.pair.members, ev, m, this);
  }

  outlookOf(_c: number, server: App | undefined): Outlook {
    const ok = server !== undefined && this.env.net.reachable(this.icon.host.id, server.host.id);
    return outlook(this.icon.status === 'started', server, ok);
  }

  effects(_c: number, fx: number, m: 0 | 1): void {
    const link = this.links[m];
    if (fx & Effect.CancelRetry && this.retryEv >= 0) {
      this.env.ctx.cancel(this.retryEv);
      this.retryEv = -1;
    }
    if (fx & Effect.ServerClosed) link.closeFrom(1);
    if (fx & Effect.ServerGone) link.dropSilently(1);
    if (fx & (Effect.CloseClient | Effect.DropClient)) {
      const silent = (fx & Effect.DropClient) !== 0;
      if (silent) link.dropSilently(0);
      else link.closeFrom(0);
      this.endSession(silent ? 'icon-host-lost' : 'icon-crash');
    }
    if (fx & Effect.Connect) this.connect(m);
    if (fx & Effect.ArmRetry && this.retryEv < 0 && this.icon.up)
      this.retryEv = this.env.ctx.schedule(this.reconnectMs, this, K_RETRY, this.gen);
  }

  private connect(m: 0 | 1): void {
    const target = this.pair.members[m];
    const reason: SessionStart =
      this.startReason ??
      (target !== this.lastServer
        ? 'switchover'
        : target.incarnation !== this.lastIncarnation
          ? 'source-restart'
          : 'reconnect');
    this.startReason = undefined;
    this.lastServer = target;
    this.lastIncarnation = target.incarnation;
    // The first connection polls at a random phase; later ones start their ADDP cycle now.
    const phase = reason === 'first-connect' ? Math.floor(uniform(this.rng, 0, this.addpMs)) : 0;
    this.links[m].connect([phase, 0]);
    const s: DssSession = {
      server: target.id,
      fromMs: this.env.ctx.nowMs,
      toMs: undefined,
      reason,
      endReason: undefined,
      switchoversMs: [],
    };
    this.session = s;
    this.sessions.push(s);
    this.env.ctx.trace(this.links[m].label, 'connected', reason);
  }

  private endSession(reason: SessionEnd): void {
    const s = this.session;
    if (!s) return;
    s.toMs = this.env.ctx.nowMs;
    s.endReason = reason;
    this.session = undefined;
  }

  private onServerChanged(m: 0 | 1, c: AppChange): void {
    const ev = serverEvent(c);
    if (ev !== undefined) this.follow(ev, m);
  }

  private onIconChanged(c: AppChange): void {
    const ev = clientEvent(c);
    if (ev === undefined) return;
    if (ev === ClientEvent.ClientStarted) this.startReason = 'icon-restart';
    else this.gen++; // timers of the process that ended are ignored
    this.follow(ev, 0);
  }

  onEvent(kind: number, gen: number): void {
    assert(kind === K_RETRY, () => `ConfigSource: unknown event kind ${kind}`);
    if (gen !== this.gen) return;
    this.retryEv = -1;
    this.follow(ClientEvent.RetryDue, 0);
  }
}
