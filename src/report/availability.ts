// availability.csv (per service and replication), the availability rows of stats.csv, and
// criticality.csv (which component and fault kind cost the customer minutes).

import { summarize } from '../sim/stats.js';
import { csv, type Cell } from './csv.js';
import { num, sec } from './format.js';
import type { ReplicationOutput } from './files.js';

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

export function availabilityCsv(reps: readonly ReplicationOutput[]): string {
  const rows: Cell[][] = [];
  for (const { result } of reps) {
    for (const s of result.services) {
      const total = s.uptimeMs + s.downtimeMs;
      rows.push([
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
  return csv(AVAILABILITY_COLUMNS, rows);
}

/** stats.csv rows `availability:<service>` across replications (mean, 95% interval, …). */
export function availabilityStatsRows(reps: readonly ReplicationOutput[]): Cell[][] {
  const byService = new Map<string, number[]>();
  for (const { result } of reps) {
    for (const s of result.services) {
      const total = s.uptimeMs + s.downtimeMs;
      const list = byService.get(s.service) ?? [];
      list.push(total > 0 ? s.uptimeMs / total : 1);
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

/**
 * Criticality: outages of each site's telephony grouped by the component and fault kind they
 * are attributed to, with their share of the customer minutes lost (of downtime when no call
 * was lost), across all replications.
 */
export function criticalityCsv(reps: readonly ReplicationOutput[]): string {
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
  for (const { result } of reps) {
    const faults = new Map(result.faults.map((f) => [f.faultId, f]));
    for (const o of result.outages) {
      if (!o.service.startsWith('telephony:')) continue;
      const f = o.fault ? faults.get(o.fault.faultId) : undefined;
      const component = f?.target ?? 'unattributed';
      const kind = f?.kind ?? 'unattributed';
      const key = `${component}\u0000${kind}`;
      const a = acc.get(key) ?? { component, kind, outages: 0, downMs: 0, minutes: 0, agentMs: 0 };
      a.outages++;
      a.downMs += o.endMs - o.startMs;
      a.minutes += o.customerMinutesLost;
      a.agentMs += o.agentOutageMs;
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
