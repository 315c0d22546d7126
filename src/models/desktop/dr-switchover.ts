// The Disaster Recovery switchover (seed 002) and the DN listener that can start one: after
// disaster-recovery.timeout with telephony OFF (telephony-listener.ts), at once on
// graceful_shutdown_logout, after disaster-recovery.wait-for-sipphone-timeout without
// EventDNBackInService on dr-force_logout; a manual or supervisor logout takes no DR action.
// The move logs the agent out and restarts the client layer at the other site (login.ts).

import { assert, type Handler } from '../../sim/index.js';
import type { LogoutReason } from '../telephony/telephony.js';
import type { DesktopJobs } from './jobs.js';
import { Phase, type DesktopState } from './state.js';

const K_PHONE_TIMEOUT = 0; // disaster-recovery.wait-for-sipphone-timeout without the phone

export class DrSwitchover implements Handler {
  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
  ) {}

  /**
   * Disaster Recovery switchover from `from` (the agent's site, or the site a login waits for)
   * to the other site of the agent (preferred ⇄ peer).
   */
  switchSite(a: number, from = this.d.site[a]!): void {
    const d = this.d;
    const { ctx } = d.env;
    const g = d.conf(a);
    const target = d.otherSite(a, from);
    if (target < 0) return;
    this.j.counters.drSwitched(a);
    // One timeline row per desktop's move, under its group (report.html counts the desktops of
    // each group at each site from them).
    ctx.trace(
      `desktops:${g.spec.group}`,
      'dr-switchover',
      `${d.sites[from]?.id ?? '-'}->${d.sites[target]!.id}`,
    );
    if (d.tel.agents.pool[a]! >= 0) d.tel.agentControl.logout(a, 'desktop');
    this.j.login.loginAt(a, target);
  }

  /** The DN listener: EventAgentLogout and its reason code. */
  onLoggedOut(a: number, reason: LogoutReason): void {
    const d = this.d;
    const { ctx } = d.env;
    const g = d.conf(a);
    this.j.counters.restoreAsked(a, false); // logged out: nothing left to restore at this login
    if (d.leaving[a] || d.phase[a] === Phase.OffDuty) {
      // The agent was leaving anyway: whatever logged it out, it stays out (no DR action).
      this.j.duty.offDuty(a);
      return;
    }
    switch (reason) {
      case 'graceful_shutdown_logout':
        // Switch at once, without waiting for any timeout.
        d.cancelTimers(a);
        if (d.drPossible(a)) this.switchSite(a);
        else this.j.telephony.goOff(a);
        return;
      case 'dr-force_logout': {
        // Wait for the endpoint to re-register (EventDNBackInService) on its cycle.
        d.cancelTimers(a);
        d.phoneDown[a] = 1;
        d.setPhase(a, Phase.WaitPhone);
        d.tel.agentControl.setConnected(a, false);
        this.j.registration.armTick(a);
        const wait = g.opts.ms('disaster-recovery.wait-for-sipphone-timeout');
        if (wait > 0 && d.drPossible(a))
          d.evPhone[a] = ctx.schedule(wait, this, K_PHONE_TIMEOUT, a);
        return;
      }
      case 'manual':
      case 'supervisor':
        // The agent or a supervisor logged out on purpose: no DR action (seed 002).
        this.j.duty.offDuty(a);
        return;
      case 'desktop':
      case 'site-failure':
        return; // our own logout: nothing to do
    }
  }

  onEvent(kind: number, arg: number): void {
    const d = this.d;
    switch (kind) {
      case K_PHONE_TIMEOUT:
        d.evPhone[arg] = -1;
        if (d.phase[arg] === Phase.WaitPhone) {
          d.cancel(d.evReg, arg);
          this.switchSite(arg);
        }
        return;
      default:
        assert(false, `desktop DR switchover: unknown event kind ${kind}`);
    }
  }
}
