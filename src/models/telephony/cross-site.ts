// Calls delivered across sites (DOMAIN §12 "Calls across sites"): a call of one site's SIP
// Server goes to an agent logged in through another site's when both SIP Server pairs serve, the
// WAN between their primaries is not partitioned and a router of the entry site serves. The
// INVITE crosses the WAN: its latency, and on a lossy WAN (wan-degrade) SIP retransmissions;
// when every attempt is lost until Timer B the agent is free again and the call routed anew.

import { assert, type Handler, type HandlerId } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { AgentControl } from './agent-control.js';
import type { AgentTable } from './agents.js';
import { CallState, type CallPool } from './calls.js';
import type { PoolDef } from './layout.js';
import type { RoutingPoints } from './routing-point.js';
import type { GracefulShutdown } from './shutdown.js';

const K_CROSS_TIMEOUT = 1;
/** SIP Timer B in units of T1 (RFC 3261): an INVITE transaction gives up after 64 × T1. */
const TIMER_B_T1 = 64;

/** What cross-site delivery asks of telephony. */
export interface CrossSiteHost {
  readonly calls: CallPool;
  readonly agents: AgentTable;
  /** The pool has a primary in service and is not draining. */
  poolInService(pool: number): boolean;
  /** Route the call now (an agent, or the queue). */
  routeNow(c: number): void;
}

export class CrossSite implements Handler {
  /** This handler's number in the simulator (SimContext.handler). */
  private readonly hid: HandlerId = -1;

  constructor(
    private readonly env: Env,
    private readonly pools: readonly PoolDef[],
    private readonly poolSite: Int32Array,
    private readonly rp: RoutingPoints,
    private readonly desk: AgentControl,
    private readonly host: CrossSiteHost,
    /** Told when the held leg ends: a draining server of the agent's site waits for it. */
    private readonly shutdown?: GracefulShutdown,
  ) {
    this.hid = env.ctx.handler(this);
  }

  /**
   * A call of pool `from` can reach an agent of pool `to` across the WAN now. `waiting`: also
   * while `from`'s site's calls wait at the routing point for a router (reach.ts).
   */
  crossable(from: number, to: number, waiting = false): boolean {
    const host = this.host;
    if (!host.poolInService(from) || !host.poolInService(to)) return false;
    const site = this.poolSite[from]!;
    if (!(waiting ? this.rp.routesByPolicy(site) : this.rp.serving(site))) return false;
    const a = this.pools[from]!.pair.primaryInService();
    const b = this.pools[to]!.pair.primaryInService();
    return a !== undefined && b !== undefined && !this.env.net.partitioned(a.host.id, b.host.id);
  }

  /**
   * One-way delivery of an INVITE from pool `from`'s SIP Server to pool `to`'s across the WAN:
   * its latency, plus on a lossy WAN (wan-degrade) the retransmissions (T1, 2·T1, 4·T1, …) until
   * an attempt and its response both get through; -1 when none did within Timer B (64 × T1).
   */
  inviteMs(from: number, to: number): number {
    const { net, opts } = this.env;
    const a1 = this.pools[from]!.pair.primaryInService()!.host;
    const a2 = this.pools[to]!.pair.primaryInService()!.host;
    const latency = net.latencyBetween(a1, a2);
    const loss = net.lossBetween(a1, a2);
    if (loss <= 0) return latency;
    const t1 = opts.ms('sip-t1');
    const timerB = TIMER_B_T1 * t1;
    let sentAt = 0;
    for (let interval = t1; sentAt < timerB; interval *= 2) {
      const lost = net.drawLost(loss) || net.drawLost(loss); // the INVITE or its response
      if (!lost) return latency + sentAt;
      sentAt += interval;
    }
    return -1;
  }

  /**
   * Every attempt of the INVITE is lost until Timer B: the agent is held ringing meanwhile, then
   * the call goes back to routing (timedOut).
   */
  holdUntilTimerB(c: number, a: number): void {
    const { ctx } = this.env;
    const calls = this.host.calls;
    this.desk.ringing(a, c, true);
    calls.agent[c] = a;
    calls.changedMs[c] = ctx.nowMs;
    calls.state[c] = CallState.Ringing;
    calls.evB[c] = ctx.schedule(
      TIMER_B_T1 * this.env.opts.ms('sip-t1'),
      this.hid,
      K_CROSS_TIMEOUT,
      c,
    );
  }

  /**
   * The INVITE across the WAN timed out: the agent is free again, the call routed anew (at the
   * peer site when its own server drains). Its leg at the agent's site ended: a server draining
   * there (graceful shutdown) may exit now.
   */
  private timedOut(c: number): void {
    const calls = this.host.calls;
    calls.evB[c] = -1;
    assert(calls.state[c] === CallState.Ringing, 'cross-site timeout of a call not ringing');
    const a = calls.agent[c]!;
    const legPool = calls.agentPool[c]!;
    calls.agent[c] = -1;
    calls.agentPool[c] = -1;
    calls.state[c] = CallState.Pending; // transient: routeNow sets the real state
    this.host.agents.call[a] = -1;
    this.desk.becomeReady(a);
    // Routed anew where it entered; if that server drains, the call goes to the peer site.
    if (this.shutdown?.draining(calls.pool[c]!)) this.shutdown.reroute(c);
    else this.host.routeNow(c);
    this.shutdown?.callEnded(legPool);
  }

  onEvent(kind: number, arg: number): void {
    assert(kind === K_CROSS_TIMEOUT, () => `CrossSite: unknown event kind ${kind}`);
    this.timedOut(arg);
  }
}
