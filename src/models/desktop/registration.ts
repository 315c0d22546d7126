// The phone's registration cycle and the return to the preferred site (seed 003): the SIP
// endpoint registers sipendpoint.reg_timeout after its last registration (a hard phone on its own
// timer); a registration ends a dr-force_logout wait (EventDNBackInService) and, with
// disaster-recovery.auto-restore, takes the desktop back to its preferred site once that site is
// in service (after the call in progress).

import { assert, type Handler } from '../../sim/index.js';
import type { TelephonyObserver } from '../telephony/observer.js';
import type { DesktopJobs } from './jobs.js';
import { Phase, type DesktopState } from './state.js';

const K_REG_TICK = 0; // the endpoint's next registration

/** Also a telephony observer (Desktops observe it): these two hooks only. */
export class Registration
  implements Handler, Required<Pick<TelephonyObserver, 'onCallEnded' | 'onPoolService'>>
{
  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
  ) {}

  /**
   * The endpoint's next registration is an event (`later`: called from the registration that
   * is now, the one after it).
   */
  armTick(a: number, later = false): void {
    const d = this.d;
    let t = d.nextRegTick(a);
    if (later && t <= d.env.ctx.nowMs) t += d.regPeriodMs(a);
    d.evReg[a] = d.env.ctx.scheduleAt(t, this, K_REG_TICK, a);
  }

  private onRegTick(a: number): void {
    const d = this.d;
    d.evReg[a] = -1;
    const g = d.conf(a);
    if (d.leaving[a]) return; // no return to the preferred site: the agent is leaving
    if (d.phase[a] === Phase.WaitPhone) {
      // EventDNBackInService: log in again at the same site.
      d.phoneDown[a] = 0;
      d.regPhaseMs[a] = d.env.ctx.nowMs;
      d.cancel(d.evPhone, a);
      this.j.login.loginAt(a, d.site[a]!);
      return;
    }
    if (d.phase[a] === Phase.Working && d.phoneDown[a]) {
      // EventDNBackInService: calls can reach the phone now. At the site the desktop moved to,
      // the agent becomes Ready; before the call in progress ended, the dr-force_logout that
      // waited for its end is void and the agent stays logged in, on its call.
      d.phoneDown[a] = 0;
      const ac = d.tel.agentControl;
      ac.setConnected(a, d.hasPrimary(a, d.poolAt(a, d.site[a]!)));
      if (!ac.cancelForceLogout(a)) {
        if (g.restoreAgentState) ac.makeReady(a);
        else this.j.login.readyLater(a);
      }
      this.armReturn(a);
      return;
    }
    if (d.phase[a] === Phase.Off && d.phoneDown[a]) {
      // A phone waiting for EventDNBackInService whose server went away meanwhile (telephony
      // OFF): this registration reaches no server; the next one tries again.
      this.armTick(a, true);
      return;
    }
    if (d.phase[a] === Phase.Working && d.site[a] !== g.preferred) {
      // The endpoint re-registers with the preferred site if it is back in service.
      if (this.preferredAvailable(a)) {
        if (d.tel.agents.isOnCall(a)) {
          d.returnPending[a] = 1; // switch as soon as the call ends
          return;
        }
        this.returnNow(a);
        return;
      }
      // Not available: the next registration looks again (not this one: it is now).
      this.armReturn(a, true);
    }
  }

  /** disaster-recovery.auto-restore: return on the endpoint's next registration. */
  armReturn(a: number, later = false): void {
    const d = this.d;
    const g = d.conf(a);
    if (!g.autoRestore || d.leaving[a] || d.site[a] === g.preferred || d.phase[a] !== Phase.Working)
      return;
    const pool = d.poolAt(a, g.preferred);
    if (pool < 0 || !d.tel.poolInService(pool) || d.evReg[a]! >= 0) return;
    this.armTick(a, later);
  }

  private returnNow(a: number): void {
    this.d.returnPending[a] = 0;
    this.d.tel.agentControl.logout(a, 'desktop');
    this.j.login.loginAt(a, this.d.conf(a).preferred);
  }

  /** The agent's call ended: a return that waited for it goes now. */
  onCallEnded(a: number): void {
    const d = this.d;
    if (!d.returnPending[a] || d.phase[a] !== Phase.Working || d.leaving[a]) return;
    d.returnPending[a] = 0;
    if (this.preferredAvailable(a)) this.returnNow(a);
    else this.armReturn(a); // the next registration looks again
  }

  /**
   * The preferred site is available for a return: its SIP Server pair in service and a CS
   * Proxy of it answering — the return's login goes through one (login.ts); without one the
   * desktop would only wait there and come back after disaster-recovery.timeout, again and
   * again (model assumption: seed 003 says only "if it becomes available").
   */
  private preferredAvailable(a: number): boolean {
    const d = this.d;
    const preferred = d.conf(a).preferred;
    const pool = d.poolAt(a, preferred);
    return pool >= 0 && d.tel.poolInService(pool) && d.proxyUp(a, preferred);
  }

  /** A pool is back in service: desktops away from their preferred site may return. */
  onPoolService(pool: number, up: boolean): void {
    const d = this.d;
    if (!up) return;
    // Desktops waiting at a returning site reconnect on their next retry (already scheduled);
    // desktops away from their preferred site may return on their endpoint's cycle.
    for (let a = 0; a < d.n; a++) {
      const g = d.conf(a);
      if (
        d.phase[a] === Phase.Working &&
        d.site[a] !== g.preferred &&
        d.poolAt(a, g.preferred) === pool
      )
        this.armReturn(a);
      if (d.phase[a] === Phase.Stranded) this.j.login.startUp(a);
    }
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_REG_TICK:
        return this.onRegTick(arg);
      default:
        assert(false, `desktop registration: unknown event kind ${kind}`);
    }
  }
}
