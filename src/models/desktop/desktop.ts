// Agent desktops with two-site business continuity (Workspace / AIL, DOMAIN §9, seeds 002 and
// 003), one desktop per agent kept in typed arrays (state.ts). Each job has its file:
// - login.ts: start-up through either site's CS Proxy, login queues, client-layer restarts;
// - telephony-listener.ts: the HA client of the SIP Server pair, ADDP, telephony OFF and retries;
// - dr-switchover.ts: the DR switchover and the DN listener (logout reason codes);
// - registration.ts: the phone's registration cycle, the return to the preferred site;
// - site-services.ts: configuration / statistics listeners, CS Proxy and Stat Server moves;
// - duty.ts: shifts, agent-logout, phone-unregister; counters.ts: what the report reads.
// This file wires them to telephony, the servers and the network. Leaves out: the desktop's own
// crashes, multimedia channels, supervisors.

import { assert, type Handler, type Stream } from '../../sim/index.js';
import { mapObjects, objectArray } from '../../sim/arrays.js';
import type { Env } from '../env.js';
import { LINK_NAMES, linkTo } from '../ha-pair/client.js';
import type { Telephony } from '../telephony/telephony.js';
import type { AgentGroupSpec, SiteId } from '../../spec/types.js';
import type { AgentEnd, Place } from '../liveness.js';
import type { DesktopSite, GroupConf } from './conf.js';
import { Counters } from './counters.js';
import { DrSwitchover } from './dr-switchover.js';
import { Duty } from './duty.js';
import { Login } from './login.js';
import { Registration } from './registration.js';
import { SiteServices } from './site-services.js';
import type { DesktopJobs } from './jobs.js';
import { DesktopState, Phase, PHASE_NAMES } from './state.js';
import { TelephonyListener } from './telephony-listener.js';

export type { DesktopSite } from './conf.js';

const K_START = 0; // start-up of every desktop (after the faults at 0 s are in place)

export class Desktops implements Handler, DesktopJobs {
  private readonly d: DesktopState;
  readonly counters: Counters;
  readonly login: Login;
  readonly telephony: TelephonyListener;
  readonly dr: DrSwitchover;
  readonly registration: Registration;
  readonly services: SiteServices;
  readonly duty: Duty;

  constructor(env: Env, tel: Telephony, sites: DesktopSite[], groups: readonly AgentGroupSpec[]) {
    const d = new DesktopState(env, tel, sites, groups);
    this.d = d;
    this.counters = new Counters(d);
    this.login = new Login(d, this);
    this.telephony = new TelephonyListener(d, this);
    this.dr = new DrSwitchover(d, this);
    this.registration = new Registration(d, this);
    this.services = new SiteServices(d, this);
    this.duty = new Duty(d, this, groups);
    // Desktops follow the servers of every pool and the site services they warn about.
    tel.pools.forEach((p, pool) => {
      p.pair.members.forEach((m, member) =>
        m.listen({ onAppChanged: (_x, c) => this.telephony.onServer(pool, member, c) }),
      );
    });
    // The per-call hooks go to the objects themselves (no closure between: V8 inlines their
    // first check, a per-agent flag, where telephony calls them on every call).
    tel.observe(this.registration); // onPoolService, onCallEnded
    tel.observe(this.counters); // onAgentReady
    tel.observe({ onAgentLoggedOut: (a, reason) => this.dr.onLoggedOut(a, reason) });
    sites.forEach((_s, si) => {
      for (const p of this.services.watched(si))
        p.listen({ onAppChanged: (x, c) => this.services.checkSiteServices(si, x, c) });
    });
    env.net.watch(this.telephony); // partitions and heals: each desktop's ADDP judges its connections
    env.net.watch(this.services); // and its configuration and statistics ones
    this.duty.armShifts();
  }

  /**
   * Starts every desktop. Called once the scripted faults are scheduled: the start-up event comes
   * after the faults at 0 s, which are then in place (DOMAIN §12).
   */
  start(): void {
    this.d.env.ctx.schedule(0, this, K_START, 0);
  }

  onEvent(kind: number, _arg: number): void {
    const d = this.d;
    switch (kind) {
      case K_START:
        for (let a = 0; a < d.n; a++) {
          if (d.onDuty[a]) this.login.startUp(a);
          else d.setPhase(a, Phase.OffDuty);
        }
        return;
      default:
        assert(false, `Desktops: unknown event kind ${kind}`);
    }
  }

  // ================================================================ what the report reads

  /** What the report reads of desktop logins and per-server-type continuity (docs/metrics.md). */
  get stats(): Counters['stats'] {
    return this.counters.stats;
  }

  get warnings(): SiteServices['warnings'] {
    return this.services.warnings;
  }

  get drSwitchovers(): Int32Array {
    return this.counters.drSwitchovers;
  }

  get backOnPreferredAtMs(): Float64Array {
    return this.counters.backOnPreferredAtMs;
  }

  /** The agent is on duty: in its shift (or its group has none) and not logged out on purpose. */
  get onDuty(): Uint8Array {
    return this.d.onDuty;
  }

  /**
   * Each agent at the end of the run, as the liveness judgement reads it (liveness.ts): on duty,
   * working (or its login under way), through which pair, and where it may work.
   */
  agentEnds(names: readonly string[]): AgentEnd[] {
    const d = this.d;
    const pairOf = (pool: number) => (pool >= 0 ? d.tel.pools[pool]!.pair.id : undefined);
    // One list per conf (its agents share it): its own site's pool, the peer's with BC, each
    // with the CS Proxies the desktop logs in through there.
    const placesOf = new Map<GroupConf, Place[]>();
    const ends = objectArray<AgentEnd>();
    for (let a = 0; a < d.n; a++) {
      const g = d.conf(a);
      let places = placesOf.get(g);
      if (places === undefined) {
        places = objectArray<Place>();
        for (const s of g.drPossible ? [g.preferred, g.peer] : [g.preferred]) {
          const pair = s >= 0 ? pairOf(d.poolAt(a, s)) : undefined;
          if (pair === undefined) continue;
          places.push({ pair, proxyHosts: mapObjects(d.proxiesFor(a, s), (p) => p.host.id) });
        }
        placesOf.set(g, places);
      }
      ends.push({
        name: names[a]!,
        onDuty: d.onDuty[a] === 1,
        working: this.duty.working(a),
        via: pairOf(d.tel.agents.pool[a]!),
        places,
      });
    }
    return ends;
  }

  // ================================================================ faults

  /**
   * agent-logout: `share` of a group's agents on duty log out on purpose (SPEC §5.2); with a
   * duration, call the returned function at its end: they log in again (if still in shift).
   */
  agentLogout(
    groupIndex: number,
    share: number,
    reason: 'manual' | 'supervisor',
    rng: Stream,
  ): () => void {
    const agents = this.duty.agentLogout(groupIndex, share, reason, rng);
    return () => this.duty.agentsBack(groupIndex, agents);
  }

  /** phone-unregister: the SIP registrations of `share` of a group's agents expire. */
  phoneUnregister(groupIndex: number, share: number, rng: Stream): void {
    this.duty.phoneUnregister(groupIndex, share, rng);
  }

  // ================================================================ for tests

  /** The phase name of a desktop. */
  phaseOf(a: number): string {
    return PHASE_NAMES[this.d.phase[a]!]!;
  }

  /** Desktop `a`'s connection to member `m` of its pool's pair. */
  linkOf(a: number, m: 0 | 1): (typeof LINK_NAMES)[number] {
    const d = this.d;
    const pool = d.site[a]! < 0 ? -1 : d.poolAt(a, d.site[a]!);
    return pool < 0 ? 'dead' : LINK_NAMES[linkTo(d.link[a]!, d.modeOf(pool), m)];
  }

  siteOf(a: number): SiteId | undefined {
    return this.d.sites[this.d.site[a]!]?.id;
  }

  /** The site whose CS Proxy a desktop's configuration connection uses. */
  configSiteOf(a: number): SiteId | undefined {
    return this.d.sites[this.d.cfgSite[a]!]?.id;
  }

  /** The site whose Stat Servers a desktop's statistics connection uses. */
  statSiteOf(a: number): SiteId | undefined {
    return this.d.sites[this.d.statSite[a]!]?.id;
  }
}
