// The restart bookkeeping of a primary SCS: which stopped apps it ordered started, how many
// starts it ordered since each was last seen running (bounded by restart-attempts), and the
// pause of app-start-time after a start that failed, and which apps ran when their host's LCA
// was lost (started again when it answers). Leaves out: what "down" means (the SCS's view) and
// how an order reaches the LCA (the SCS's connections).

import { assert, TimerSlot } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import type { AppId, HostId } from '../../spec/types.js';

/** What the restart bookkeeping reads of its SCS. */
export interface RestartDesk {
  /** Primary and serving: the only SCS that orders. */
  acting(): boolean;
  /** The SCS believes the app down (seen failing, or its host lost). */
  believedDown(id: AppId): boolean;
  /** The connection to a host's LCA is lost. */
  hostLost(host: HostId): boolean;
  /** Sends the start order to the app's LCA (dropped if the connection is not open). */
  sendStart(app: App): void;
}

interface RestartState {
  /** A start was ordered and has not been answered yet. */
  ordered: boolean;
  /** Starts ordered since the app was last seen running (bounded by restart-attempts). */
  attempts: number;
  /** The pause of app-start-time between two attempts (created on first use). */
  timer?: TimerSlot;
  /** Ran (or was being started) when its host's LCA was lost: started again when it answers. */
  ranAtLoss: boolean;
}

export class Restarts {
  private readonly state = new Map<AppId, RestartState>();

  constructor(
    private readonly env: Env,
    /** The SCS's own process: never restarted by itself. */
    private readonly self: App,
    private readonly desk: RestartDesk,
    apps: readonly App[],
  ) {
    for (const a of apps) this.state.set(a.id, { ordered: false, attempts: 0, ranAtLoss: false });
  }

  /** A start was ordered for the app and not answered yet. */
  ordered(id: AppId): boolean {
    return this.stateOf(id).ordered;
  }

  /**
   * The app's LCA is lost: an order to it can no longer be answered. `running`: the app ran as
   * SCS last knew it; one whose start was ordered and not yet answered counts as running too.
   */
  onLcaLost(id: AppId, running: boolean): void {
    const s = this.stateOf(id);
    s.ranAtLoss = running || s.ordered;
    s.ordered = false;
  }

  /** The LCA reported the app stopped: if a start was ordered, it failed. */
  onStopped(app: App): void {
    const s = this.stateOf(app.id);
    if (!s.ordered) return;
    // The start failed: the next attempt comes app-start-time later [seed 000].
    s.ordered = false;
    this.timerOf(s).arm(this.env.opts.ms('app-start-time'), () => {
      if (this.desk.acting()) this.maybeRestart(app);
    });
  }

  /** The LCA reported the app running (not stopped, not starting): the count starts anew. */
  onRunning(id: AppId): void {
    const s = this.stateOf(id);
    s.ordered = false;
    s.attempts = 0;
    s.ranAtLoss = false;
    s.timer?.cancel();
  }

  /** Orders a start if the app is believed down and no attempt limit or pause holds it back. */
  maybeRestart(app: App): void {
    const s = this.stateOf(app.id);
    if (!this.desk.believedDown(app.id) || s.ordered || this.desk.hostLost(app.host.id)) return;
    if (!this.env.opts.bool('autorestart') || app === this.self) return;
    if (s.timer?.pending) return; // pausing between two attempts
    if (s.attempts >= this.env.opts.num('restart-attempts')) return;
    this.orderStart(app, s);
  }

  /**
   * A host's LCA answers again: the stopped apps on it that ran when it was lost are started
   * (DOMAIN §2), counting anew. With autorestart every other stopped app is too: SCS restarts a
   * failed app again and again, and a new connection gives it a new count of attempts (an app
   * stopped since before the loss that nothing restarts stays stopped).
   */
  restartStopped(apps: readonly App[], stopped: (id: AppId) => boolean): void {
    if (!this.desk.acting()) return;
    const autorestart = this.env.opts.bool('autorestart');
    for (const app of apps) {
      const s = this.stateOf(app.id);
      const wanted = s.ranAtLoss || autorestart;
      s.ranAtLoss = false;
      if (wanted && stopped(app.id) && !s.ordered && app !== this.self) {
        s.attempts = 0; // a new connection: the LCA starts counting anew
        this.orderStart(app, s);
      }
    }
  }

  private orderStart(app: App, s: RestartState): void {
    s.ordered = true;
    s.attempts++;
    this.desk.sendStart(app);
  }

  private stateOf(id: AppId): RestartState {
    const s = this.state.get(id);
    assert(s, () => `${this.self.id}: no restart state of ${id}`);
    return s;
  }

  private timerOf(s: RestartState): TimerSlot {
    if (!s.timer) s.timer = new TimerSlot(this.env.ctx);
    return s.timer;
  }
}
