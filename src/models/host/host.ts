// A host: power, boot, the apps on it and its LCA. A crash stops everything on it at once
// and tells nobody; a restore boots the host (host-boot-time), then starts its LCA.

import type { Env } from '../env.js';
import type { App, AppChange, AppHost } from '../ha-pair/app.js';
import type { Lca, LcaHost } from '../lca/lca.js';
import type { HostId, SiteId } from '../../spec/types.js';
import { objectArray, TimerSlot } from '../../sim/index.js';
import { hostKey } from '../faults/blame.js';

export class Host implements AppHost, LcaHost {
  powered = true;
  /** Powered and booted (LCA can run). */
  booted = true;
  readonly apps: App[] = objectArray();
  lca!: Lca;
  /** The boot under way after a restore (host-boot-time); a crash cancels it. */
  private readonly boot: TimerSlot;

  constructor(
    private readonly env: Env,
    readonly id: HostId,
    readonly site: SiteId,
  ) {
    this.boot = new TimerSlot(env.ctx);
  }

  appChanged(app: App, change: AppChange): void {
    this.lca.onAppChanged(app, change);
  }

  modeConfirmed(app: App): void {
    this.lca.confirmMode(app);
  }

  crash(cause: string): void {
    if (!this.powered) return;
    const { ctx } = this.env;
    this.powered = false;
    this.booted = false;
    this.boot.cancel();
    ctx.trace(this.id, 'down', cause);
    this.lca.vanish(cause);
    for (const app of this.apps) app.vanish(cause);
    this.env.net.changed();
  }

  restore(cause: string): void {
    if (this.powered) return;
    const { ctx, opts, recorder } = this.env;
    this.powered = true;
    this.env.net.changed();
    ctx.trace(this.id, 'booting', cause);
    this.boot.arm(opts.ms('host-boot-time'), () => {
      this.booted = true;
      ctx.trace(this.id, 'up', 'booted');
      recorder.cleared(hostKey(this.id), ctx.nowMs);
      this.lca.start();
    });
  }
}
