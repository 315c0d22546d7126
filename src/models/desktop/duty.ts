// Who is on duty (SPEC §5.1 shifts, §5.2 agent-logout, phone-unregister): a shift's agents start
// up at its start and log out on purpose at its end; agent-logout logs a share of a group out on
// purpose (manual: after call and wrap-up; supervisor: after the call); phone-unregister expires
// a share of a group's SIP registrations. A logout on purpose takes no DR action (seed 002).
// An agent-logout with a duration ends with its agents, if still in their shift, starting up
// and logging in again (login.ts), as at a shift's start.

import { assert, type Handler, type Stream } from '../../sim/index.js';
import type { AgentGroupSpec } from '../../spec/types.js';
import { DAY_MS, nextTimeOfDay } from '../../spec/shifts.js';
import { onDutyAt, shiftRuns, type ShiftRun } from './shifts.js';
import type { DesktopJobs } from './jobs.js';
import { Phase, type DesktopState } from './state.js';

const K_SHIFT_START = 0; // arg = shift (index in shifts)
const K_SHIFT_END = 1;

export class Duty implements Handler {
  /** The group shifts and the agents working each (shifts.ts). */
  private readonly shifts: ShiftRun[];
  /** In its shift (or its group has none), whether or not logged out on purpose. */
  private readonly inShift: Uint8Array;

  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
    groups: readonly AgentGroupSpec[],
  ) {
    this.shifts = shiftRuns(groups);
    this.inShift = onDutyAt(groups, 0);
  }

  /** Every shift's first start and end (then each re-arms a day later). */
  armShifts(): void {
    const { ctx } = this.d.env;
    this.shifts.forEach((r, i) => {
      ctx.scheduleAt(nextTimeOfDay(r.startMs, 0), this, K_SHIFT_START, i);
      ctx.scheduleAt(nextTimeOfDay(r.endMs, 0), this, K_SHIFT_END, i);
    });
  }

  /** A shift starts (its agents start up and log in) or ends (they log out after their call). */
  private onShift(i: number, start: boolean): void {
    const d = this.d;
    const r = this.shifts[i]!;
    const { ctx } = d.env;
    ctx.scheduleAt(ctx.nowMs + DAY_MS, this, start ? K_SHIFT_START : K_SHIFT_END, i);
    d.tel.addScheduled(r.site, r.group, start ? r.count : -r.count);
    if (r.count === 0) return;
    ctx.trace(
      `desktops:${d.groups[r.group]!.spec.group}`,
      start ? 'shift-start' : 'shift-end',
      `${r.count} agents`,
    );
    for (let a = r.first; a < r.first + r.count; a++) {
      this.inShift[a] = start ? 1 : 0;
      if (start) this.shiftStarted(a);
      else this.leave(a, 'manual');
    }
  }

  private shiftStarted(a: number): void {
    const d = this.d;
    d.onDuty[a] = 1;
    if (d.leaving[a]) {
      // Still on the last shift's call: it stays.
      d.leaving[a] = 0;
      d.tel.agentControl.cancelLogout(a);
      return;
    }
    if (d.phase[a] === Phase.OffDuty) this.j.login.startUp(a);
  }

  /**
   * The agent logs out on purpose (end of shift, agent-logout): now when it has no interaction,
   * else once its call (manual: and wrap-up) is over. The desktop takes no DR action; an agent
   * not logged in (starting up, switching sites, waiting for a proxy or its phone) gives up.
   */
  private leave(a: number, reason: 'manual' | 'supervisor'): void {
    const d = this.d;
    d.onDuty[a] = 0;
    if (d.phase[a] === Phase.OffDuty || d.leaving[a]) return;
    d.leaving[a] = 1;
    if (d.tel.agents.pool[a]! >= 0) {
      d.tel.agentControl.requestLogout(a, reason); // may log out now (onLoggedOut: off duty)
      if (d.phase[a] === Phase.Working || d.phase[a] === Phase.OffDuty) return;
    }
    this.offDuty(a);
    d.tel.agentControl.requestLogout(a, reason); // logged out already: off duty, no outage
  }

  /** Logged out on purpose: every timer stops until the agent's next shift. */
  offDuty(a: number): void {
    const d = this.d;
    d.cancelTimers(a);
    this.j.services.offDuty(a);
    d.leaving[a] = 0;
    d.setPhase(a, Phase.OffDuty);
    d.tel.agentControl.setConnected(a, false);
    this.j.counters.offDuty(a);
  }

  /**
   * agent-logout: `share` of a group's agents on duty log out on purpose (SPEC §5.2). Returns
   * the agents it logged out (for the end of its duration).
   */
  agentLogout(
    groupIndex: number,
    share: number,
    reason: 'manual' | 'supervisor',
    rng: Stream,
  ): number[] {
    const d = this.d;
    const members: number[] = [];
    for (let a = 0; a < d.n; a++)
      if (d.group[a] === groupIndex && d.onDuty[a] && !d.leaving[a]) members.push(a);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const k = Math.round(share * members.length);
    d.env.ctx.trace(
      `desktops:${d.groups[groupIndex]!.spec.group}`,
      'logged-out',
      `${reason}: ${k} agents`,
    );
    const out = members.slice(0, k);
    for (const a of out) this.leave(a, reason);
    return out;
  }

  /**
   * The end of an agent-logout's duration: each of its agents still in its shift and not back
   * on duty yet comes back as at a shift's start (an agent still finishing its call stays; one
   * logged out starts up and logs in through the login path).
   */
  agentsBack(groupIndex: number, agents: readonly number[]): void {
    const d = this.d;
    const back = agents.filter((a) => this.inShift[a] === 1 && d.onDuty[a] === 0);
    d.env.ctx.trace(
      `desktops:${d.groups[groupIndex]!.spec.group}`,
      'logged-in',
      `agent-logout ended: ${back.length} agents`,
    );
    for (const a of back) this.shiftStarted(a);
  }

  /**
   * phone-unregister: the SIP registrations of `share` of a group's agents expire. The SIP
   * Server logs each agent out (dr-force_logout); one out of service (a dead site, a pair
   * without a primary) sends no EventAgentLogout, so its agents are drawn but nothing happens
   * to them.
   */
  phoneUnregister(groupIndex: number, share: number, rng: Stream): void {
    const d = this.d;
    const members: number[] = [];
    for (let a = 0; a < d.n; a++)
      if (d.group[a] === groupIndex && d.tel.agents.pool[a]! >= 0) members.push(a);
    // A seeded draw of which endpoints expire (targets sorted before the shuffle).
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const k = Math.round(share * members.length);
    for (const a of members.slice(0, k)) {
      if (!d.tel.poolInService(d.tel.agents.pool[a]!)) continue;
      if (!d.tel.agentControl.forceLogout(a)) continue;
      // On a call: the logout waits for its end, and the endpoint's registration cycle goes on
      // meanwhile (a registration before the call ends voids the logout: registration.ts).
      d.phoneDown[a] = 1;
      d.cancel(d.evReg, a);
      this.j.registration.armTick(a);
    }
  }

  /**
   * Logged in and working (telephony ON: in its pool, calls can reach it), or its login under
   * way (the client layer restarting, its login queued: it completes at a known time, as a
   * return to the preferred site in the run's last seconds does). A desktop still in its pool
   * with telephony OFF (retrying, its DR timer running) is not. Explore's liveness
   * (liveness.ts, agents_logged_out_end) reads it at the end.
   */
  working(a: number): boolean {
    const d = this.d;
    const phase = d.phase[a];
    if (phase === Phase.Working && d.tel.agents.pool[a]! >= 0) return true;
    return (phase === Phase.Switching || phase === Phase.Starting) && d.evSwitch[a]! >= 0;
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_SHIFT_START:
      case K_SHIFT_END:
        return this.onShift(arg, kind === K_SHIFT_START);
      default:
        assert(false, `desktop duty: unknown event kind ${kind}`);
    }
  }
}
