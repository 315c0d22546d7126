// Which components a report shows and how they group: from the topology when it is at hand
// (`ccsim run --html`, or `ccsim report` finding the topology file run.json names), otherwise
// inferred from the report's own files. The inferred inventory lacks sites of hosts and the
// components that never changed state.

import type { TopologySpec } from '../../spec/types.js';
import type { ReportData } from './data.js';
import { compareStrings } from '../../sim/order.js';

export interface InventoryApp {
  id: string;
  type: string;
  host: string | undefined;
  pair: string | undefined;
  /** Initial role in its pair. */
  role: 'primary' | 'backup' | undefined;
}

export interface Inventory {
  /** True when read from the topology file; false when inferred from the report. */
  complete: boolean;
  /** Sorted by id; empty when sites are unknown. */
  sites: { id: string; hosts: string[] }[];
  hosts: string[];
  apps: Map<string, InventoryApp>;
  pairs: Map<string, { primary: string; backup: string; redundancy: string }>;
  /** Agent groups: desktops per preferred site at the start. */
  groups: { group: string; count: number; preferredSite: string }[];
}

export function inventoryFromTopology(t: TopologySpec): Inventory {
  const pairOf = new Map<string, { pair: string; role: 'primary' | 'backup' }>();
  for (const p of t.pairs) {
    pairOf.set(p.primary, { pair: p.id, role: 'primary' });
    pairOf.set(p.backup, { pair: p.id, role: 'backup' });
  }
  const apps = new Map<string, InventoryApp>();
  for (const a of t.apps) {
    const p = pairOf.get(a.id);
    apps.set(a.id, { id: a.id, type: a.type, host: a.host, pair: p?.pair, role: p?.role });
  }
  return {
    complete: true,
    sites: t.sites.map((s) => ({ id: s.id, hosts: [...s.hosts].sort(compareStrings) })),
    hosts: t.hosts.map((h) => h.id).sort(compareStrings),
    apps,
    pairs: new Map(
      t.pairs.map((p) => [
        p.id,
        { primary: p.primary, backup: p.backup, redundancy: p.redundancy },
      ]),
    ),
    groups: t.agentGroups.map((g) => ({
      group: g.group,
      count: g.count,
      preferredSite: g.preferredSite,
    })),
  };
}

const HOST_STATES: ReadonlySet<string> = new Set(['booting']);
/**
 * Pair events that are no state of the pair: an order, its drop, a conflict resolution (gantt.ts
 * draws them as marks, so the row keeps showing whether the pair has a primary).
 */
export const PAIR_EVENTS: ReadonlySet<string> = new Set([
  'switchover-ordered',
  'order-dropped',
  'demote-ordered',
  'conflict-resolving',
]);
const PAIR_STATES: ReadonlySet<string> = new Set([
  'in-service',
  'no-primary',
  'split-brain',
  ...PAIR_EVENTS,
]);

/** The inventory a report's files imply (first replication's roles; sites unknown). */
export function inferInventory(d: ReportData): Inventory {
  const hosts = new Set<string>();
  const pairs = new Map<string, { primary: string; backup: string; redundancy: string }>();
  const appIds = new Set<string>();
  const role = new Map<string, 'primary' | 'backup'>();
  const pairOfApp = new Map<string, string>();
  const seen = (app: string, pair: string, r: 'primary' | 'backup'): void => {
    appIds.add(app);
    pairOfApp.set(app, pair);
    if (!role.has(app)) role.set(app, r);
  };
  const ordered = [...d.switchovers].sort((a, b) => a.rep - b.rep || a.detectedAtS - b.detectedAtS);
  for (const s of ordered) {
    if (!pairs.has(s.pair))
      pairs.set(s.pair, { primary: s.from, backup: s.to, redundancy: s.redundancy });
    seen(s.from, s.pair, 'primary');
    seen(s.to, s.pair, 'backup');
  }
  for (const e of d.timeline) {
    const c = e.component;
    if (c.startsWith('lca:')) hosts.add(c.slice(4));
    else if (c.includes('>') && c.slice(c.indexOf('>') + 1).startsWith('lca:'))
      hosts.add(c.slice(c.indexOf('>') + 5));
  }
  for (const e of d.timeline) {
    const c = e.component;
    if (classifyName(c) !== undefined || hosts.has(c)) continue;
    if (HOST_STATES.has(e.state)) hosts.add(c);
    else if (PAIR_STATES.has(e.state)) {
      if (!pairs.has(c)) pairs.set(c, { primary: '', backup: '', redundancy: '' });
      const m = /(\S+)->(\S+)$/.exec(e.cause);
      if (e.state === 'switchover-ordered' && m) {
        seen(m[1]!, c, 'primary');
        seen(m[2]!, c, 'backup');
      }
    }
  }
  for (const e of d.timeline) {
    const c = e.component;
    if (classifyName(c) === undefined && !hosts.has(c) && !pairs.has(c)) appIds.add(c);
  }
  for (const h of [...hosts]) if (pairs.has(h) || appIds.has(h)) hosts.delete(h);
  const apps = new Map<string, InventoryApp>();
  for (const id of [...appIds].sort(compareStrings)) {
    apps.set(id, { id, type: '', host: undefined, pair: pairOfApp.get(id), role: role.get(id) });
  }
  const groupCounts = new Map<string, { group: string; count: number; preferredSite: string }>();
  const firstRep = d.replications[0];
  for (const a of d.agents) {
    if (a.rep !== firstRep) continue;
    const k = `${a.group}\u0000${a.preferredSite}`;
    const g = groupCounts.get(k) ?? { group: a.group, count: 0, preferredSite: a.preferredSite };
    g.count++;
    groupCounts.set(k, g);
  }
  return {
    complete: false,
    sites: [],
    hosts: [...hosts].sort(compareStrings),
    apps,
    pairs,
    groups: [...groupCounts.values()],
  };
}

export type ComponentKind =
  | 'fault'
  | 'lca'
  | 'connection'
  | 'cti'
  | 'idb'
  | 'desktops'
  | 'desktop-warnings'
  | 'gateway'
  | 'network';

/** The kind of a component its name alone tells (`lca:h`, `scs>lca:h`, `ts:cti-1`, …). */
export function classifyName(c: string): ComponentKind | undefined {
  if (c.startsWith('fault:')) return 'fault';
  if (c.startsWith('lca:')) return 'lca';
  if (c.includes('>')) return 'connection';
  if (c.startsWith('desktops:')) return 'desktops';
  if (c.startsWith('desktops@')) return 'desktop-warnings';
  if (c.startsWith('gateway:')) return 'gateway';
  if (c === 'network') return 'network';
  if (/:cti-\d+$/.test(c)) return 'cti';
  if (c.includes(':')) return 'idb';
  return undefined;
}
