// availability.csv (per service and replication), the availability rows of stats.csv, and
// criticality.csv (which component and fault kind cost the customer minutes).

import { summarize } from '../sim/stats.js';
import type { ReplicationResult } from '../models/center.js';
import { csv, type Cell, type CsvBuilder } from './csv.js';
import { num, sec } from './format.js';

export const AVAILABILITY_COLUMNS = [
  'replication',
  'service',
  'uptime_s',
  'downtime_s',
  'availability',
  'outages',
  'mtbf_obs_h',
  'mttr_obs_h',
  'customer_minutes_lost',
  'agent_minutes_lost',
  'calls_lost',
];

/** availability.csv records of one replication, a service each. */
export function availabilityRecords(result: ReplicationResult, b: CsvBuilder): void {
  for (const s of result.services) {
    const total = s.uptimeMs + s.downtimeMs;
    b.row([
      result.replication,
      s.service,
      sec(s.uptimeMs),
      sec(s.downtimeMs),
      (total > 0 ? s.uptimeMs / total : 1).toFixed(7),
      s.outages,
      s.outages > 0 ? num(s.uptimeMs / 3_600_000 / s.outages, 3) : '',
      s.outages > 0 ? num(s.downtimeMs / 3_600_000 / s.outages, 4) : '',
      num(s.customerMinutesLost, 3),
      num(s.agentOutageMs / 60_000, 3),
      s.callsLost,
    ]);
  }
}

/** One service's availability in one replication (its uptime's share of the run). */
export interface ServiceAvailability {
  service: string;
  availability: number;
}

export function serviceAvailability(result: ReplicationResult): ServiceAvailability[] {
  return result.services.map((s) => {
    const total = s.uptimeMs + s.downtimeMs;
    return { service: s.service, availability: total > 0 ? s.uptimeMs / total : 1 };
  });
}

/** stats.csv rows `availability:<service>` across replications (mean, 95% interval, …). */
export function availabilityStatsRows(reps: readonly (readonly ServiceAvailability[])[]): Cell[][] {
  const byService = new Map<string, number[]>();
  for (const services of reps) {
    for (const s of services) {
      const list = byService.get(s.service) ?? [];
      list.push(s.availability);
      byService.set(s.service, list);
    }
  }
  const rows: Cell[][] = [];
  for (const [service, values] of byService) {
    const st = summarize(values);
    const f = (v: number) => v.toFixed(7);
    rows.push([
      `availability:${service}`,
      st.n,
      f(st.mean),
      f(st.stddev),
      f(st.ci95Low),
      f(st.ci95High),
      f(st.min),
      f(st.p50),
      f(st.p95),
      f(st.max),
    ]);
  }
  return rows;
}

/** A site's telephony outage in one replication, attributed to the fault that caused it. */
export interface AttributedOutage {
  component: string;
  kind: string;
  downMs: number;
  minutes: number;
  agentMs: number;
}

/** The telephony outages of one replication, in order, each with its fault's target and kind. */
export function telephonyOutages(result: ReplicationResult): AttributedOutage[] {
  const faults = new Map(result.faults.map((f) => [f.faultId, f]));
  const out: AttributedOutage[] = [];
  for (const o of result.outages) {
    if (!o.service.startsWith('telephony:')) continue;
    const f = o.fault ? faults.get(o.fault.faultId) : undefined;
    out.push({
      component: f?.target ?? 'unattributed',
      kind: f?.kind ?? 'unattributed',
      downMs: o.endMs - o.startMs,
      minutes: o.customerMinutesLost,
      agentMs: o.agentOutageMs,
    });
  }
  return out;
}

/**
 * Criticality: outages of each site's telephony grouped by the component and fault kind they
 * are attributed to, with their share of the customer minutes lost (of downtime when no call
 * was lost), across all replications.
 */
export function criticalityCsv(reps: readonly (readonly AttributedOutage[])[]): string {
  const acc = new Map<
    string,
    {
      component: string;
      kind: string;
      outages: number;
      downMs: number;
      minutes: number;
      agentMs: number;
    }
  >();
  for (const outages of reps) {
    for (const { component, kind, downMs, minutes, agentMs } of outages) {
      const key = `${component}\u0000${kind}`;
      const a = acc.get(key) ?? { component, kind, outages: 0, downMs: 0, minutes: 0, agentMs: 0 };
      a.outages++;
      a.downMs += downMs;
      a.minutes += minutes;
      a.agentMs += agentMs;
      acc.set(key, a);
    }
  }
  const list = [...acc.values()];
  const totalMinutes = list.reduce((n, a) => n + a.minutes, 0);
  const totalDown = list.reduce((n, a) => n + a.downMs, 0);
  const share = (a: (typeof list)[number]) =>
    totalMinutes > 0 ? a.minutes / totalMinutes : totalDown > 0 ? a.downMs / totalDown : 0;
  list.sort(
    (a, b) =>
      share(b) - share(a) ||
      (a.component < b.component
        ? -1
        : a.component > b.component
          ? 1
          : a.kind < b.kind
            ? -1
            : a.kind > b.kind
              ? 1
              : 0),
  );
  return csv(
    [
      'component',
      'kind',
      'outages',
      'downtime_s',
      'customer_minutes_lost',
      'agent_minutes_lost',
      'share',
    ],
    list.map((a) => [
      a.component,
      a.kind,
      a.outages,
      sec(a.downMs),
      num(a.minutes, 3),
      num(a.agentMs / 60_000, 3),
      num(share(a), 4),
    ]),
  );
}
