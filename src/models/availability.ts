// Availability of each service over the run: every HA pair (a primary in service), each site's
// telephony (its SIP Server pair in service, so agents there can take calls), each call service
// of the traffic (`service:<name>`: its callers, at every site they enter, can reach an agent of
// its groups while it is open) and the whole center (every open call service can: refreshSites).
// An outage lasts more than 0 s. Each outage is attributed to the fault that caused it
// (the latest fault that hit the service's apps, hosts, LCAs or network path) and charged with
// the customer impact that happened while it lasted.

import { mapObjects, meanMsOf } from '../sim/index.js';
import type { Env } from './env.js';
import type { HaPair } from './ha-pair/pair.js';
import type { Telephony } from './telephony/telephony.js';
import {
  appKey,
  gatewayKey,
  hostKey,
  lcaKey,
  pairKey,
  pathKey,
  type FaultRef,
} from './faults/blame.js';

export interface ServiceResult {
  service: string;
  /** A call service's row (`service:<name>`): the traffic service's name (its handle time). */
  callService?: string;
  uptimeMs: number;
  downtimeMs: number;
  outages: number;
  /** Calls dropped, rejected or abandoned at the service's sites while it was down. */
  callsLost: number;
  /** Minutes of service those calls did not get: each its own call service's mean handle time. */
  customerMinutesLost: number;
  /** Agent time in outage at the service's sites while it was down (ms). */
  agentOutageMs: number;
}

export interface OutageRecord {
  service: string;
  startMs: number;
  endMs: number;
  fault?: FaultRef;
  callsLost: number;
  customerMinutesLost: number;
  agentOutageMs: number;
}

/** What an outage of a service is charged with: its calls lost and its agents in outage. */
interface Measure {
  /** Calls lost so far (dropped, rejected or abandoned). */
  calls(): number;
  /** Their mean handle times summed (minutes): the service they did not get. */
  minutes(): number;
  /** Agents in outage integrated over time so far (agent·ms). */
  agentArea(now: number): number;
}

class Service {
  up = true;
  downSinceMs = -1;
  downtimeMs = 0;
  outages = 0;
  callsLost = 0;
  customerMinutesLost = 0;
  agentOutageMs = 0;
  private callsAtStart = 0;
  private minutesAtStart = 0;
  private agentAreaAtStart = 0;
  fault: FaultRef | undefined;

  constructor(
    readonly name: string,
    /** Its calls and agents (of the sites, or of the call service, it carries). */
    private readonly measure: Measure,
    readonly blameKeys: readonly string[],
    readonly callService?: string,
  ) {}

  set(env: Env, up: boolean, records: OutageRecord[]): void {
    if (up === this.up) return;
    const now = env.ctx.nowMs;
    this.up = up;
    if (!up) {
      this.downSinceMs = now;
      this.outages++;
      this.callsAtStart = this.measure.calls();
      this.minutesAtStart = this.measure.minutes();
      this.agentAreaAtStart = this.measure.agentArea(now);
      this.fault = env.blame.latest(this.blameKeys);
    } else if (now === this.downSinceMs) {
      // Down and up again at the same instant (one change seen before the next, e.g. desktops
      // logging in one by one): no time was lost, no outage.
      this.outages--;
      this.downSinceMs = -1;
    } else {
      this.close(now, records);
    }
  }

  close(now: number, records: OutageRecord[]): void {
    const calls = this.measure.calls() - this.callsAtStart;
    const minutes = this.measure.minutes() - this.minutesAtStart;
    const agentMs = this.measure.agentArea(now) - this.agentAreaAtStart;
    this.downtimeMs += now - this.downSinceMs;
    this.callsLost += calls;
    this.customerMinutesLost += minutes;
    this.agentOutageMs += agentMs;
    records.push({
      service: this.name,
      startMs: this.downSinceMs,
      endMs: now,
      fault: this.fault,
      callsLost: calls,
      customerMinutesLost: minutes,
      agentOutageMs: agentMs,
    });
    this.downSinceMs = -1;
  }
}

/** Running totals the services read at the start and end of each outage. */
class Impact {
  readonly lostBySite: Float64Array;
  readonly lostBySvc: Float64Array;
  /** The mean handle times (minutes) of the calls lost, by entry site. */
  private readonly minutesBySite: Float64Array;
  /** Each call service's mean handle time (minutes). */
  private readonly handleMin: Float64Array;
  constructor(private readonly tel: Telephony) {
    this.lostBySite = new Float64Array(tel.sites.length);
    this.lostBySvc = new Float64Array(tel.services.list.length);
    this.minutesBySite = new Float64Array(tel.sites.length);
    this.handleMin = Float64Array.from(tel.services.list, (v) => meanMsOf(v.handleTime) / 60_000);
  }

  /** A call of service `svc` entering at `site` was lost. */
  lost(site: number, svc: number): void {
    this.lostBySite[site]!++;
    this.lostBySvc[svc]!++;
    this.minutesBySite[site]! += this.handleMin[svc]!;
  }
  /** The calls entering and the agents in outage at these sites. */
  ofSites(sites: readonly number[]): Measure {
    return {
      calls: () => {
        let n = 0;
        for (const s of sites) n += this.lostBySite[s]!;
        return n;
      },
      minutes: () => {
        let m = 0;
        for (const s of sites) m += this.minutesBySite[s]!;
        return m;
      },
      agentArea: (now) => {
        let a = 0;
        for (const s of sites) a += this.tel.agentsOut[s]!.areaUntil(now);
        return a;
      },
    };
  }
  /** The calls of a call service and the agents of its groups in outage (wherever they work). */
  ofService(svc: number): Measure {
    const groups = this.tel.services.groupsOf[svc]!;
    return {
      calls: () => this.lostBySvc[svc]!,
      minutes: () => this.lostBySvc[svc]! * this.handleMin[svc]!,
      agentArea: (now) => {
        let a = 0;
        for (const g of groups) a += this.tel.agentsOutByGroup[g]!.areaUntil(now);
        return a;
      },
    };
  }
}

export class Availability {
  private readonly services: Service[] = [];
  readonly outages: OutageRecord[] = [];
  private readonly impact: Impact;
  private readonly siteServices: Service[];
  /** Per call service with calls (reach.offered order), its row. */
  private readonly callServices: Service[];
  private readonly center: Service;
  private readonly entrySites: readonly number[];

  constructor(
    private readonly env: Env,
    pairs: readonly HaPair[],
    private readonly tel: Telephony,
  ) {
    this.impact = new Impact(tel);
    tel.observe({
      onCallLost: (site, _how, svc) => this.impact.lost(site, svc),
      onPoolService: () => this.refreshSites(),
      onReachChanged: () => this.refreshSites(),
    });
    const keysOf = (pair: HaPair) => [
      pairKey(pair.id),
      ...pair.members.flatMap((m) => [
        appKey(m.id),
        hostKey(m.host.id),
        lcaKey(m.host.id),
        pathKey(m.host.id),
      ]),
    ];
    for (const pair of pairs) {
      const pool = tel.pools.findIndex((p) => p.pair === pair);
      const sites = pool >= 0 ? [tel.sites.indexOf(tel.pools[pool]!.site)] : [];
      const svc = new Service(pair.id, this.impact.ofSites(sites), keysOf(pair));
      this.services.push(svc);
      pair.onStateChange(() => svc.set(this.env, pair.inService, this.outages));
      svc.up = pair.inService;
      if (!svc.up) svc.set(this.env, false, this.outages);
    }
    this.siteServices = mapObjects(tel.sites, (site, si) => {
      const pool = tel.sipPoolOfSite(site);
      const pair = pool >= 0 ? tel.pools[pool]!.pair : undefined;
      const svc = new Service(
        `telephony:${site}`,
        this.impact.ofSites([si]),
        pair ? keysOf(pair) : [],
      );
      this.services.push(svc);
      return svc;
    });
    this.callServices = mapObjects(tel.reach.offered, (v) => {
      const name = tel.services.list[v]!.name;
      const svc = new Service(`service:${name}`, this.impact.ofService(v), [], name);
      this.services.push(svc);
      return svc;
    });
    this.center = new Service(
      'center',
      this.impact.ofSites(mapObjects(tel.sites, (_, i) => i)),
      [],
    );
    this.entrySites = tel.reach.entrySites;
    this.services.push(this.center);
    this.refreshSites();
  }

  /**
   * Each site's telephony is up while its SIP pool serves; each call service while its callers
   * can reach an agent of its groups from every site they enter (or it is closed). The center is up while every service
   * in its opening hours can reach an agent of its groups from every site its calls enter
   * (telephony/reach.ts: under the routing policy, through the site the gateways send them to),
   * so callers stranded away from their agents count as downtime; while no service is open (the
   * start of the run, closed hours) and without traffic, a site serving is enough.
   */
  private refreshSites(): void {
    this.tel.sites.forEach((site, si) => {
      const pool = this.tel.sipPoolOfSite(site);
      const up = pool >= 0 && this.tel.poolInService(pool);
      this.siteServices[si]!.set(this.env, up, this.outages);
    });
    const reach = this.tel.reach;
    reach.offered.forEach((v, k) => {
      const svc = this.callServices[k]!;
      const up = reach.serviceServed(v);
      const was = svc.up;
      svc.set(this.env, up, this.outages);
      if (was && !up) svc.fault = this.siteBlame();
    });
    const any =
      this.entrySites.length === 0 || !reach.anyOpen()
        ? this.siteServices.some((_, si) => {
            const pool = this.tel.sipPoolOfSite(this.tel.sites[si]!);
            return pool >= 0 && this.tel.poolInService(pool);
          })
        : reach.callersServed();
    if (!any && this.center.up) {
      this.center.set(this.env, false, this.outages);
      this.center.fault = this.siteBlame();
    } else {
      this.center.set(this.env, any, this.outages);
    }
  }

  /**
   * Why callers lost their way to an agent: the latest fault of a site's telephony or of the
   * gateways in front of the sites.
   */
  private siteBlame(): FaultRef | undefined {
    const blamed = [
      ...mapObjects(this.siteServices, (s) => s.fault),
      this.env.blame.latest(mapObjects(this.tel.sites, gatewayKey)),
    ].filter((f): f is FaultRef => f !== undefined);
    return blamed.sort((a, b) => b.atMs - a.atMs)[0];
  }

  finish(endMs: number): ServiceResult[] {
    for (const s of this.services) if (!s.up) s.close(endMs, this.outages);
    return mapObjects(this.services, (s) => ({
      service: s.name,
      ...(s.callService !== undefined ? { callService: s.callService } : {}),
      uptimeMs: endMs - s.downtimeMs,
      downtimeMs: s.downtimeMs,
      outages: s.outages,
      callsLost: s.callsLost,
      customerMinutesLost: s.customerMinutesLost,
      agentOutageMs: s.agentOutageMs,
    }));
  }
}
