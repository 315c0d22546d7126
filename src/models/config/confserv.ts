// Configuration Server pair (warm standby only). Each member keeps an ADDP connection to the
// other and one to its Configuration Database. The backup obeys SCS's switchover order only when
// its own end of the CS↔CS connection is down (as its own ADDP sees it: a primary it can still
// see is not replaced) and only while it has its database [seed 000]. When either changes, the
// member tells its LCA, so SCS decides again. Leaves out: what a primary does without its
// database (it keeps serving from memory here) and the proxies' caches (clients keep reading
// from them while the master is down).

import { TimerSlot } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import { AddpLink, type AddpEndpoint, type AddpLinkLost } from '../network/addp.js';

class Member implements AddpEndpoint {
  constructor(readonly app: App) {}
  get hostId(): string {
    return this.app.host.id;
  }
  addpAlive(): boolean {
    return this.app.up;
  }
  onConnectionLost: AddpLinkLost = () => {};
}

export class ConfigServerPair {
  private readonly link: AddpLink;
  private readonly ends: [Member, Member];
  /** The reconnect attempt of the CS↔CS connection (one at a time). */
  private readonly retrySlot: TimerSlot;
  /** Each member's connection to its Configuration Database (confdb-down / confdb-up). */
  private readonly dbUp: [boolean, boolean] = [true, true];

  constructor(
    private readonly env: Env,
    readonly pair: HaPair,
  ) {
    const [a, b] = pair.members;
    this.ends = [new Member(a), new Member(b)];
    this.retrySlot = new TimerSlot(env.ctx);
    const t = env.opts.ms('client-addp-timeout');
    this.link = new AddpLink(env.ctx, env.net, `${pair.id}:sync`, this.ends[0], this.ends[1], [
      t,
      t,
    ]);
    for (const e of this.ends) {
      e.onConnectionLost = () => {
        this.env.ctx.trace(`${e.app.id}>${pair.other(e.app).id}`, 'lost', 'cs-sync');
        e.app.guardChanged(); // its own end is down: an order it refused may now be obeyed
        this.retry();
      };
    }
    this.link.connect();
    a.promotionGuard = () => this.guard(0);
    b.promotionGuard = () => this.guard(1);
    for (const [i, m] of pair.members.entries()) {
      m.listen({ onAppChanged: (_x, c) => this.onMember(i as 0 | 1, c) });
    }
  }

  /** Why this member refuses to become primary now (undefined: it obeys). */
  private guard(side: 0 | 1): string | undefined {
    const self = this.pair.members[side];
    const other = this.pair.members[1 - side]!;
    if (!this.dbUp[side]) return `Config Server ${self.id} has no Configuration Database`;
    // Its own end of the connection, and the role the peer announced on it.
    if (this.link.isOpen(side) && other.role === 'primary') {
      return `Config Server ${other.id} still connected in primary mode`;
    }
    return undefined;
  }

  /** The member loses its Configuration Database (confdb-down). */
  databaseDown(app: App): void {
    this.setDatabase(app, false);
  }

  /** The member has its Configuration Database again (confdb-up). */
  databaseUp(app: App): void {
    this.setDatabase(app, true);
  }

  hasDatabase(app: App): boolean {
    return this.dbUp[this.sideOf(app)];
  }

  private setDatabase(app: App, up: boolean): void {
    const side = this.sideOf(app);
    if (this.dbUp[side] === up) return;
    this.dbUp[side] = up;
    this.env.ctx.trace(
      `${app.id}>confdb`,
      up ? 'connected' : 'lost',
      up ? 'confdb-up' : 'confdb-down',
    );
    app.guardChanged();
  }

  private sideOf(app: App): 0 | 1 {
    return this.pair.members[0] === app ? 0 : 1;
  }

  private onMember(side: 0 | 1, c: AppChange): void {
    if (c.type === 'app.crashed') this.link.closeFrom(side);
    else if (c.type === 'app.vanished') this.link.dropSilently(side);
    else if (c.type === 'app.started') this.retry();
  }

  /** The backup reconnects to the primary every reconnect-timeout while both run. */
  private retry(): void {
    if (this.retrySlot.pending) return;
    const { net, opts } = this.env;
    this.retrySlot.arm(opts.ms('reconnect-timeout'), () => {
      if (this.link.isOpen(0) && this.link.isOpen(1)) return;
      const [a, b] = this.pair.members;
      if (
        a.up &&
        b.up &&
        net.deliverable(a.host.id, b.host.id) &&
        net.deliverable(b.host.id, a.host.id)
      ) {
        this.link.connect();
        for (const m of this.pair.members) m.guardChanged();
      } else if (a.up || b.up) {
        this.retry();
      }
    });
  }
}
