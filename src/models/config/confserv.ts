// Configuration Server pair (warm standby only). The backup keeps a connection to the primary
// and obeys SCS's switchover order only when that connection is down: a primary it can still
// see is not replaced. Leaves out: the Configuration Database (always reachable here) and the
// proxies' caches (clients keep reading from them while the master is down).

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
  private retrying = false;

  constructor(
    private readonly env: Env,
    readonly pair: HaPair,
  ) {
    const [a, b] = pair.members;
    this.ends = [new Member(a), new Member(b)];
    const t = env.opts.ms('client-addp-timeout');
    this.link = new AddpLink(env.ctx, env.net, `${pair.id}:sync`, this.ends[0], this.ends[1], [t, t]);
    for (const e of this.ends) e.onConnectionLost = () => this.retry();
    this.link.connect();
    a.promotionGuard = () => this.guard(0);
    b.promotionGuard = () => this.guard(1);
    for (const [i, m] of pair.members.entries()) {
      m.listen({ onAppChanged: (_x, c) => this.onMember(i as 0 | 1, c) });
    }
  }

  /** The order is refused while this member still sees a running primary Config Server. */
  private guard(side: 0 | 1): string | undefined {
    const other = this.pair.members[1 - side]!;
    if (this.link.isOpen(side) && other.role === 'primary' && other.up) {
      return `Config Server ${other.id} still connected in primary mode`;
    }
    return undefined;
  }

  private onMember(side: 0 | 1, c: AppChange): void {
    if (c.type === 'app.crashed') this.link.closeFrom(side);
    else if (c.type === 'app.vanished') this.link.dropSilently(side);
    else if (c.type === 'app.started') this.retry();
  }

  /** The backup reconnects to the primary every reconnect-timeout while both run. */
  private retry(): void {
    if (this.retrying) return;
    this.retrying = true;
    const { ctx, net, opts } = this.env;
    ctx.call(opts.ms('reconnect-timeout'), () => {
      this.retrying = false;
      if (this.link.isOpen(0) && this.link.isOpen(1)) return;
      const [a, b] = this.pair.members;
      if (a.up && b.up && net.deliverable(a.host.id, b.host.id) && net.deliverable(b.host.id, a.host.id)) {
        this.link.connect();
      } else if (a.up || b.up) {
        this.retry();
      }
    });
  }
}
