// Configuration Server pair (warm standby only). Each member keeps an ADDP connection to the
// other and one to its Configuration Database. The backup obeys SCS's switchover order only when
// its own end of the CS↔CS connection is down (as its own ADDP sees it: a primary it can still
// see is not replaced) and only while it has its database [seed 000]. When either changes, the
// member tells its LCA, so SCS decides again. The CS↔CS connection reconnects as every peer link
// does (ha-pair/peer-link.ts). Leaves out: what a primary does without its
// database (it keeps serving from memory here) and the proxies' caches (clients keep reading
// from them while the master is down).

import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import { PeerLink, type PeerLinkOwner } from '../ha-pair/peer-link.js';
import type { Side } from '../network/addp.js';

export class ConfigServerPair implements PeerLinkOwner {
  /** The CS↔CS connection; its reconnects follow ha-pair/peer-link.ts. */
  private readonly link: PeerLink;
  /** Each member's connection to its Configuration Database (confdb-down / confdb-up). */
  private readonly dbUp: [boolean, boolean] = [true, true];

  constructor(
    private readonly env: Env,
    readonly pair: HaPair,
  ) {
    const [a, b] = pair.members;
    const t = env.opts.ms('client-addp-timeout');
    this.link = new PeerLink(env, `${pair.id}:sync`, pair.members, [t, t], this);
    this.link.start();
    a.promotionGuard = () => this.guard(0);
    b.promotionGuard = () => this.guard(1);
  }

  peerLost(side: Side): void {
    const self = this.pair.members[side];
    this.env.ctx.trace(`${self.id}>${this.pair.other(self).id}`, 'lost', 'cs-sync');
    self.guardChanged(); // its own end is down: an order it refused may now be obeyed
  }

  peerConnected(): void {
    for (const m of this.pair.members) m.guardChanged();
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
}
