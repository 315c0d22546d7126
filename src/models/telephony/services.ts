// The services (call types) of a run as the call model uses them: each with its handle time,
// wrap-up, patience and the agent groups that take its calls, by index. A scenario without
// `services` has one implicit service offered to every group; calls of a T-Server pair's own
// trunk belong to a service every group of that pair takes.

import { mapObjects, type DurationDist } from '../../sim/index.js';
import type { SiteId, TrafficSpec } from '../../spec/types.js';

export interface Service {
  name: string;
  /** The scenario has no services: this one stands for all its calls. */
  implicit: boolean;
  /** The calls of T-Server pairs' own trunks. */
  tserver: boolean;
  callsPerHour: number;
  siteSplit: Record<SiteId, number>;
  handleTime: DurationDist;
  wrapUpMs: number;
  patienceMs: number | undefined;
  profile: readonly number[] | undefined;
}

/** Name of the implicit service of a scenario without services (intervals.csv). */
export const IMPLICIT_SERVICE = 'all';
/** Name of the service of T-Server trunk calls when the scenario has services. */
export const TSERVER_SERVICE = 'tserver';

export class Services {
  readonly list: Service[] = [];
  /** Service of T-Server trunk calls. */
  readonly tserverSvc: number;
  /** Per service, the groups (indices) that take its calls. */
  readonly groupsOf: Int32Array[];
  /** Per group, the services (indices) it takes. */
  readonly servicesOf: Int32Array[];
  /** Per service, its wrap-up (Service.wrapUpMs, read at every call's end). */
  readonly wrapUpMs: Float64Array;

  constructor(t: TrafficSpec | undefined, groupNames: readonly string[]) {
    const all = mapObjects(groupNames, (_, g) => g);
    const groups: number[][] = [];
    if (t === undefined || t.services === undefined || t.services.length === 0) {
      this.list.push({
        name: IMPLICIT_SERVICE,
        implicit: true,
        tserver: false,
        callsPerHour: t?.callsPerHour ?? 0,
        siteSplit: t?.siteSplit ?? {},
        handleTime: t?.handleTime ?? { kind: 'exponential', meanMs: 1 },
        wrapUpMs: t?.wrapUpMs ?? 0,
        patienceMs: t?.patienceMs,
        profile: t?.profile,
      });
      groups.push(all);
      this.tserverSvc = 0;
    } else {
      for (const s of t.services) {
        this.list.push({
          name: s.name,
          implicit: false,
          tserver: false,
          callsPerHour: s.callsPerHour,
          siteSplit: s.siteSplit,
          handleTime: s.handleTime,
          wrapUpMs: s.wrapUpMs,
          patienceMs: s.patienceMs,
          profile: s.profile,
        });
        groups.push(mapObjects(s.groups, (g) => groupNames.indexOf(g)).filter((g) => g >= 0));
      }
      this.tserverSvc = this.list.length;
      this.list.push({
        name: TSERVER_SERVICE,
        implicit: false,
        tserver: true,
        callsPerHour: 0,
        siteSplit: {},
        handleTime: t.handleTime,
        wrapUpMs: t.wrapUpMs,
        patienceMs: t.patienceMs,
        profile: t.profile,
      });
      groups.push(all);
    }
    this.groupsOf = mapObjects(groups, (g) => Int32Array.from(g));
    this.wrapUpMs = Float64Array.from(this.list, (v) => v.wrapUpMs);
    this.servicesOf = mapObjects(groupNames, (_, g) =>
      Int32Array.from(groups.flatMap((gs, s) => (gs.includes(g) ? [s] : []))),
    );
  }

  get count(): number {
    return this.list.length;
  }

  /** Sites (indices) some calls enter through: a share of a service with calls above 0. */
  entrySites(sites: readonly SiteId[]): number[] {
    return sites.flatMap((site, s) =>
      this.list.some((v) => !v.tserver && v.callsPerHour > 0 && (v.siteSplit[site] ?? 0) > 0)
        ? [s]
        : [],
    );
  }
}
