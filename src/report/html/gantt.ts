// The Gantt timeline of one replication: a row per component (hosts, LCAs, applications with
// their role, HA pairs, CTI links, IDBs, SCS connections, gateways), desktops aggregated by
// agent group and site, faults as spans and lines across every row. timeline.csv records
// changes only, so the state before a component's first change is the nominal one (from the
// topology's roles when known) and is marked "assumed" in its tooltip.

import type { FaultRow, ReportData, TimelineEvent } from './data.js';
import { FAULT_LINES_MAX } from './charts.js';
import { esc } from './escape.js';
import { classifyName, PAIR_EVENTS, type Inventory } from './inventory.js';
import { CHART_W, fit, fmtClock, fmtDur, linear, px, stateClass, timeTicks } from './svg.js';
import { compareStrings } from '../../sim/order.js';

/** States that are one-off events on a component's row, not a change of its state. */
const MARKER_STATES: ReadonlySet<string> = new Set([
  'switchover-refused',
  'hang-detected',
  'hang-ended',
  // A hung process read an order SCS had given up (scs-order-timeout) and carried it out.
  'stale-order',
  // A host's crash ended while another crash (its site's, or its own) still holds it down.
  'restore-waits',
  'dr-switchover',
  'configuration-off',
  'statistics-off',
  // Desktop business continuity (seed 002, 003): a login attempt no CS Proxy of the site answered,
  // desktops connecting to the other site's CS Proxy or Stat Servers, and coming back.
  'login-waiting',
  'csproxy-peer',
  'statserver-peer',
  'csproxy-back',
  'statserver-back',
]);
/** Classes from least to most worth seeing, for a mark standing for several short segments. */
const SEVERITY: readonly string[] = [
  'other',
  'ok',
  'backup',
  'primary',
  'transit',
  'fault',
  'bad',
  'split',
];

const LABEL_W = 200;
const ROW_H = 16;
const GROUP_H = 20;
const AXIS_H = 24;
const TICKS_MAX = 12;
/** State changes closer than this (or 2 % of the run) belong to one detail window, s. */
const DETAIL_GAP_S = 120;
/** Detail windows drawn per replication, earliest first. */
export const DETAIL_WINDOWS_MAX = 4;

interface Segment {
  t0: number;
  t1: number;
  state: string;
  cause: string;
  assumed: boolean;
}

interface Marker {
  t: number;
  text: string;
}

interface Row {
  label: string;
  note: string;
  indent: number;
  segments: Segment[];
  markers: Marker[];
  /** Desktop rows: share of the group's desktops on this site over time (step function). */
  area?: { t: number; count: number; of: number }[];
  /** Times of the component's own changes (for choosing rows of a detail window). */
  changes: number[];
  /** Components drawn on this row when several behaved alike. */
  members?: string[];
}

interface Group {
  title: string;
  rows: Row[];
  unchanged: string[];
}

export interface Window {
  t0: number;
  t1: number;
  title: string;
}

function initialState(inv: Inventory, component: string): string {
  const kind = classifyName(component);
  switch (kind) {
    case 'lca':
    case 'cti':
    case 'idb':
      return 'up';
    case 'connection':
      return 'connected';
    case 'gateway':
      return 'site-marked-up';
    case 'network':
      return 'normal';
    case 'fault':
    case 'desktops':
    case 'desktop-warnings':
      return '';
    case undefined:
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown component kind ${String(never)}`);
    }
  }
  if (inv.hosts.includes(component)) return 'up';
  if (inv.pairs.has(component)) return 'in-service';
  const app = inv.apps.get(component);
  if (app?.role !== undefined) return `${app.role} started`;
  return 'started';
}

function componentRow(
  inv: Inventory,
  component: string,
  events: readonly TimelineEvent[],
  durationS: number,
  indent: number,
  note = '',
): Row {
  const isMarker = (state: string): boolean =>
    MARKER_STATES.has(state) || (inv.pairs.has(component) && PAIR_EVENTS.has(state));
  const segments: Segment[] = [];
  const markers: Marker[] = [];
  const changes: number[] = [];
  let cur: Segment | undefined;
  const first = events.find((e) => !isMarker(e.state));
  const initial = initialState(inv, component);
  if (initial !== '' && (first === undefined || first.tS > 0)) {
    cur = { t0: 0, t1: durationS, state: initial, cause: 'state at the start', assumed: true };
  }
  for (const e of events) {
    if (e.tS > 0) changes.push(e.tS);
    if (isMarker(e.state)) {
      markers.push({ t: e.tS, text: `${e.state}: ${e.cause}` });
      continue;
    }
    if (cur !== undefined) {
      cur.t1 = e.tS;
      if (cur.t1 > cur.t0 || cur.assumed === false) segments.push(cur);
    }
    cur = { t0: e.tS, t1: durationS, state: e.state, cause: e.cause, assumed: false };
  }
  if (cur !== undefined) segments.push(cur);
  return { label: component, note, indent, segments, markers, changes };
}

/** The rows of one replication's timeline, grouped by site (or by kind when sites are unknown). */
function buildGroups(d: ReportData, inv: Inventory, rep: number): Group[] {
  const durationS = d.durationS.get(rep) ?? 0;
  const byComponent = new Map<string, TimelineEvent[]>();
  for (const e of d.timeline) {
    if (e.rep !== rep) continue;
    const list = byComponent.get(e.component);
    if (list) list.push(e);
    else byComponent.set(e.component, [e]);
  }
  const changed = (c: string): boolean => (byComponent.get(c) ?? []).some((e) => e.tS > 0);
  const placed = new Set<string>();
  const row = (c: string, indent: number, note = ''): Row => {
    placed.add(c);
    return componentRow(inv, c, byComponent.get(c) ?? [], durationS, indent, note);
  };
  const groups: Group[] = [];

  // One row per fault kind and target (a year of random failures is a few rows, not hundreds).
  const byKindTarget = new Map<string, FaultRow[]>();
  for (const f of d.faults) {
    if (f.rep !== rep) continue;
    const key = `${f.kind}\u0000${f.target}`;
    const list = byKindTarget.get(key);
    if (list) list.push(f);
    else byKindTarget.set(key, [f]);
  }
  const faults: Row[] = [...byKindTarget.keys()].sort(compareStrings).map((key) => {
    const fs = byKindTarget.get(key)!.sort((a, b) => a.atS - b.atS);
    const f = fs[0]!;
    return {
      label: fs.length === 1 ? `${f.id} ${f.kind}` : `${f.kind} ${f.target} ×${fs.length}`,
      note: f.target,
      indent: 0,
      segments: fs
        .filter((g) => g.clearedAtS !== undefined)
        .map((g) => ({
          t0: g.atS,
          t1: g.clearedAtS!,
          state: 'fault',
          cause: `${g.id} ${g.kind} ${g.target}`,
          assumed: false,
        })),
      markers: fs
        .filter((g) => g.clearedAtS === undefined)
        .map((g) => ({ t: g.atS, text: `${g.id} ${g.kind} ${g.target}` })),
      changes: fs.flatMap((g) => (g.clearedAtS === undefined ? [g.atS] : [g.atS, g.clearedAtS])),
    };
  });
  for (const c of byComponent.keys()) if (classifyName(c) === 'fault') placed.add(c);
  if (faults.length > 0) groups.push({ title: 'Faults', rows: faults, unchanged: [] });

  const pairIds = [
    ...new Set([...inv.pairs.keys(), ...[...byComponent.keys()].filter((c) => inv.pairs.has(c))]),
  ].sort(compareStrings);
  groups.push({
    title: 'HA pairs',
    rows: pairIds.filter(changed).map((p) => {
      const info = inv.pairs.get(p);
      return row(
        p,
        0,
        info && info.primary !== ''
          ? `${info.primary} / ${info.backup}${info.redundancy ? ` · ${info.redundancy}` : ''}`
          : '',
      );
    }),
    unchanged: pairIds.filter((p) => !changed(p)),
  });
  for (const p of pairIds) placed.add(p);

  // Children of an application: its CTI links and IDB connections.
  const childrenOf = (app: string): string[] =>
    [...byComponent.keys()].filter((c) => c.startsWith(`${app}:`)).sort(compareStrings);
  const appRows = (app: string, indent: number): Row[] => {
    const a = inv.apps.get(app);
    const note =
      a?.pair !== undefined ? `${a.pair}${a.type ? ` · ${a.type}` : ''}` : (a?.type ?? '');
    return [row(app, indent, note), ...childrenOf(app).map((c) => row(c, indent + 1))];
  };
  const appChanged = (app: string): boolean => changed(app) || childrenOf(app).some(changed);

  const siteIds = inv.sites.map((s) => s.id);
  for (const site of inv.sites) {
    const rows: Row[] = [];
    const unchanged: string[] = [];
    for (const extra of [`gateway:${site.id}`, `desktops@${site.id}`])
      if (byComponent.has(extra)) rows.push(row(extra, 0));
    for (const h of site.hosts) {
      const apps = [...inv.apps.values()]
        .filter((a) => a.host === h)
        .map((a) => a.id)
        .sort(compareStrings);
      const lca = `lca:${h}`;
      const anyChange = changed(h) || changed(lca) || apps.some(appChanged);
      if (!anyChange) {
        unchanged.push(h, ...apps);
        placed.add(h);
        for (const a of apps) placed.add(a);
        continue;
      }
      rows.push(row(h, 0, 'host'));
      rows.push(row(lca, 1));
      for (const a of apps) {
        if (appChanged(a)) rows.push(...appRows(a, 1));
        else {
          unchanged.push(a);
          placed.add(a);
        }
      }
    }
    groups.push({ title: `Site ${site.id}`, rows, unchanged });
  }

  // Hosts and applications whose site is unknown (inferred inventory).
  const loose: Row[] = [];
  for (const h of inv.hosts) {
    if (placed.has(h)) continue;
    if (changed(h)) loose.push(row(h, 0, 'host'));
    if (byComponent.has(`lca:${h}`)) loose.push(row(`lca:${h}`, 1));
    placed.add(h);
  }
  for (const a of [...inv.apps.keys()].sort(compareStrings)) {
    if (placed.has(a) || !appChanged(a)) continue;
    loose.push(...appRows(a, 0));
  }
  if (loose.length > 0)
    groups.push({
      title: inv.sites.length > 0 ? 'Other hosts and applications' : 'Hosts and applications',
      rows: loose,
      unchanged: [],
    });

  const connections = [...byComponent.keys()]
    .filter((c) => classifyName(c) === 'connection' && changed(c))
    .sort(compareStrings);
  const connectionRow = (c: string): Row => {
    const r = row(c, 0);
    const observer = c.slice(0, c.indexOf('>'));
    const own = componentRow(inv, observer, byComponent.get(observer) ?? [], durationS, 0);
    const down = own.segments
      .filter((x) => !RUNNING.has(stateClass(x.state)))
      .map((x) => ({ t0: x.t0, t1: x.t1, why: `${observer} ${x.state}` }));
    return { ...r, segments: overlay(r.segments, down) };
  };
  if (connections.length > 0)
    groups.push({
      title: 'SCS connections',
      rows: mergeAlike(connections.map(connectionRow)),
      unchanged: [],
    });

  const desktops = desktopRows(d, inv, rep, byComponent, siteIds);
  for (const c of byComponent.keys()) if (classifyName(c) === 'desktops') placed.add(c);
  if (desktops.length > 0)
    groups.push({ title: 'Desktops (agents by group and site)', rows: desktops, unchanged: [] });

  const rest = [...byComponent.keys()]
    .filter((c) => !placed.has(c) && changed(c))
    .sort(compareStrings);
  if (rest.length > 0)
    groups.push({ title: 'Network and other', rows: rest.map((c) => row(c, 0)), unchanged: [] });
  return groups.filter((g) => g.rows.length > 0 || g.unchanged.length > 0);
}

/**
 * Rows of one observer that went through exactly the same states at the same times, as one
 * row (an SCS loses every LCA of a failed site at once); the tooltip names them all.
 */
function mergeAlike(rows: readonly Row[]): Row[] {
  const out: { row: Row; key: string; members: string[] }[] = [];
  for (const r of rows) {
    const observer = r.label.slice(0, r.label.indexOf('>') + 1);
    const key = `${observer}|${r.segments.map((x) => `${x.state}@${x.t0}-${x.t1}`).join(',')}|${r.markers.map((m) => m.t).join(',')}`;
    const same = out.find((o) => o.key === key);
    if (same) same.members.push(r.label);
    else out.push({ row: r, key, members: [r.label] });
  }
  return out.map(({ row, members }) =>
    members.length === 1
      ? row
      : {
          ...row,
          label: `${members[0]!} … +${members.length - 1}`,
          note: members.join(', '),
          members,
        },
  );
}

/** Classes of an observer that is running (its connections mean something). */
const RUNNING: ReadonlySet<string> = new Set(['primary', 'backup', 'ok']);

/**
 * A connection row with the times its observer was not running cut out: the trace records no
 * loss when the observer itself stops, so without this the row would look connected.
 */
function overlay(
  segments: readonly Segment[],
  down: readonly { t0: number; t1: number; why: string }[],
): Segment[] {
  if (down.length === 0) return [...segments];
  const out: Segment[] = [];
  for (const s of segments) {
    let t = s.t0;
    for (const d of down) {
      if (d.t1 <= t || d.t0 >= s.t1) continue;
      if (d.t0 > t) out.push({ ...s, t0: t, t1: d.t0 });
      const end = Math.min(d.t1, s.t1);
      out.push({
        t0: Math.max(d.t0, t),
        t1: end,
        state: 'no observer',
        cause: d.why,
        assumed: false,
      });
      t = end;
    }
    if (t < s.t1 || (s.t0 === s.t1 && t === s.t0)) out.push({ ...s, t0: t });
  }
  // One segment per observer outage, however many states the observer went through.
  const merged: Segment[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && last.state === 'no observer' && s.state === 'no observer' && last.t1 === s.t0)
      last.t1 = s.t1;
    else merged.push(s);
  }
  return merged;
}

/** Desktops of each group on each site over time, from dr-switchover events ("A->B"). */
function desktopRows(
  d: ReportData,
  inv: Inventory,
  rep: number,
  byComponent: ReadonlyMap<string, TimelineEvent[]>,
  siteIds: readonly string[],
): Row[] {
  const groups = new Map<string, Map<string, number>>();
  for (const g of inv.groups) {
    const m = groups.get(g.group) ?? new Map<string, number>();
    m.set(g.preferredSite, (m.get(g.preferredSite) ?? 0) + g.count);
    groups.set(g.group, m);
  }
  for (const c of byComponent.keys())
    if (classifyName(c) === 'desktops' && !groups.has(c.slice(9)))
      groups.set(c.slice(9), new Map());
  const rows: Row[] = [];
  for (const group of [...groups.keys()].sort(compareStrings)) {
    const counts = groups.get(group)!;
    const events = (byComponent.get(`desktops:${group}`) ?? []).filter(
      (e) => e.state === 'dr-switchover',
    );
    if (events.length === 0) continue;
    const series = new Map<string, { t: number; count: number }[]>();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const [site, n] of counts) series.set(site, [{ t: 0, count: n }]);
    const now = new Map(counts);
    for (const e of events) {
      const m = /^(.*)->(.*)$/.exec(e.cause);
      if (!m) continue;
      const [from, to] = [m[1]!, m[2]!];
      for (const [site, delta] of [
        [from, -1],
        [to, 1],
      ] as const) {
        if (site === '-' || site === '') continue;
        const v = Math.max(0, (now.get(site) ?? 0) + delta);
        now.set(site, v);
        if (!series.has(site)) series.set(site, [{ t: 0, count: 0 }]);
        series.get(site)!.push({ t: e.tS, count: v });
      }
    }
    const of = Math.max(total, ...[...series.values()].flatMap((s) => s.map((p) => p.count)), 1);
    const sites = [...series.keys()].sort(
      (a, b) => siteIds.indexOf(a) - siteIds.indexOf(b) || compareStrings(a, b),
    );
    for (const site of sites) {
      const s = series.get(site)!;
      const start = s[0]!.count;
      const end = s[s.length - 1]!.count;
      rows.push({
        label: `${group} @${site}`,
        note: `${start} → ${end} desktops`,
        indent: 0,
        segments: [],
        markers: [],
        area: s.map((p) => ({ ...p, of })),
        changes: events.map((e) => e.tS),
      });
    }
  }
  return rows;
}

/** Time windows around bursts of state changes, for the zoomed-in charts. */
export function detailWindows(d: ReportData, rep: number): Window[] {
  const durationS = d.durationS.get(rep) ?? 0;
  const times = d.timeline.filter((e) => e.rep === rep && e.tS > 0).map((e) => e.tS);
  for (const f of d.faults) if (f.rep === rep) times.push(f.atS);
  times.sort((a, b) => a - b);
  const gap = Math.max(DETAIL_GAP_S, 0.02 * durationS);
  const clusters: [number, number][] = [];
  for (const t of times) {
    const last = clusters[clusters.length - 1];
    if (last && t - last[1] <= gap) last[1] = t;
    else clusters.push([t, t]);
  }
  const out: Window[] = [];
  for (const [a, b] of clusters) {
    if (b - a > 0.5 * durationS) continue;
    const pad = Math.max(2, 0.06 * (b - a));
    const t0 = Math.max(0, a - pad);
    const t1 = Math.min(durationS, b + pad);
    const faults = d.faults.filter(
      (f) =>
        f.rep === rep &&
        ((f.atS >= a && f.atS <= b) ||
          (f.clearedAtS !== undefined && f.clearedAtS >= a && f.clearedAtS <= b)),
    );
    const what = faults
      .map((f) => (f.atS >= a && f.atS <= b ? `${f.id} ${f.kind} ${f.target}` : `${f.id} cleared`))
      .join(', ');
    out.push({ t0, t1, title: `${fmtClock(t0)} – ${fmtClock(t1)}${what ? `: ${what}` : ''}` });
    if (out.length >= DETAIL_WINDOWS_MAX) break;
  }
  return out;
}

function segLabel(state: string): string {
  const m = /^(primary|backup) started$/.exec(state);
  return m ? m[1]! : state;
}

/**
 * The Gantt chart of a replication as an SVG element. With `window`, only rows changing inside
 * it are drawn, on its time scale.
 */
export function ganttSvg(d: ReportData, inv: Inventory, rep: number, window?: Window): string {
  const durationS = d.durationS.get(rep) ?? 0;
  const t0 = window?.t0 ?? 0;
  const t1 = window?.t1 ?? durationS;
  let groups = buildGroups(d, inv, rep);
  if (window) {
    const inside = (r: Row): boolean =>
      r.changes.some((t) => t >= t0 && t <= t1) ||
      r.segments.some((s) => s.state === 'fault' && s.t0 <= t1 && s.t1 >= t0);
    groups = groups
      .map((g) => ({ ...g, rows: g.rows.filter(inside), unchanged: [] }))
      .filter((g) => g.rows.length > 0);
  }
  const x = linear(t0, t1, LABEL_W, CHART_W - 8);
  const clampX = (t: number): number => x(Math.min(Math.max(t, t0), t1));
  const { step, ticks } = timeTicks(t0, t1, TICKS_MAX);
  const parts: string[] = [];
  let y = AXIS_H;
  const rowsMarkup: string[] = [];
  for (const g of groups) {
    rowsMarkup.push(
      `<text class="gh" x="4" y="${y + 14}">${esc(g.title)}</text><line class="gl" x1="0" x2="${CHART_W}" y1="${y + 0.5}" y2="${y + 0.5}"/>`,
    );
    y += GROUP_H;
    for (const r of g.rows) {
      rowsMarkup.push(rowSvg(r, y, x, clampX, t0, t1));
      y += ROW_H;
    }
    if (g.unchanged.length > 0) {
      const text = `no change: ${g.unchanged.join(', ')}`;
      rowsMarkup.push(
        `<text class="uc" x="12" y="${y + 12}">${esc(fit(text, CHART_W - 20))}<title>${esc(text)}</title></text>`,
      );
      y += ROW_H;
    }
  }
  const height = y + 6;
  // Time grid and axis.
  for (const t of ticks) {
    const tx = px(x(t));
    const anchor = x(t) > CHART_W - 40 ? 'end' : 'middle';
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${AXIS_H - 4}" y2="${height - 4}"/><text class="tick" x="${tx}" y="${AXIS_H - 8}" text-anchor="${anchor}">${esc(fmtClock(t, step))}</text>`,
    );
  }
  // Faults: shaded while active (spans touching on screen merged), a line where each starts
  // when few are in view (else their rows say it).
  const inView = d.faults
    .filter((f) => f.rep === rep && (f.clearedAtS ?? f.atS) >= t0 && f.atS <= t1)
    .sort((a, b) => a.atS - b.atS);
  const spans: [number, number][] = [];
  for (const f of inView) {
    const end = f.clearedAtS ?? f.atS;
    if (end <= f.atS) continue;
    const a = clampX(f.atS);
    const b = Math.max(clampX(end), a + 1);
    const last = spans[spans.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else spans.push([a, b]);
  }
  for (const [a, b] of spans)
    parts.push(
      `<rect class="fault-span" x="${px(a)}" y="${AXIS_H}" width="${px(b - a)}" height="${height - AXIS_H - 4}"/>`,
    );
  if (inView.length <= FAULT_LINES_MAX) {
    for (const f of inView) {
      if (f.atS < t0) continue;
      const fx = px(x(f.atS));
      parts.push(
        `<line class="fault-line" x1="${fx}" x2="${fx}" y1="${AXIS_H - 2}" y2="${height - 4}"><title>${esc(`${f.id} ${f.kind} ${f.target} at ${fmtClock(f.atS, 0.001)}`)}</title></line>`,
      );
    }
  }
  parts.push(...rowsMarkup);
  return `<svg class="gantt" viewBox="0 0 ${CHART_W} ${height}" width="${CHART_W}" height="${height}" role="img" aria-label="timeline of replication ${rep}">${parts.join('')}</svg>`;
}

/**
 * A state's span for its hover text: to the millisecond when it lasted under a minute (a
 * switchover's steps), else to the second (timeline.csv keeps every time to the millisecond).
 */
function fmtSpan(t0: number, t1: number): string {
  const step = t1 - t0 < 60 ? 0.001 : 1;
  return `${fmtClock(t0, step)} – ${fmtClock(t1, step)}`;
}

function rowSvg(
  r: Row,
  y: number,
  x: (t: number) => number,
  clampX: (t: number) => number,
  t0: number,
  t1: number,
): string {
  const out: string[] = [];
  const labelX = 8 + r.indent * 12;
  const label = fit(r.label, LABEL_W - labelX - 6);
  // The row's group starts at the top of its shapes (2 below the row's): one offset a row,
  // none a shape (a rect's y is 0 when left out).
  out.push(
    `<g class="row" data-component="${esc((r.members ?? [r.label]).join(' '))}" transform="translate(0 ${y + 2})">`,
  );
  const tip = r.members ? r.members.join('\n') : r.note ? `${r.label} (${r.note})` : r.label;
  out.push(
    `<text class="rl${r.indent === 0 ? ' top' : ''}" x="${labelX}" y="10">${esc(label)}<title>${esc(tip)}</title></text>`,
  );
  // Segments narrower than a unit of the chart are gathered into one mark drawn in the worst
  // class among them, so a year of short outages stays one shape per unit at most.
  let tiny: { a: number; b: number; t0: number; t1: number; cls: string; n: number } | undefined;
  const flushTiny = (): void => {
    if (tiny === undefined) return;
    const tip =
      tiny.n === 1
        ? `${r.label}: ${tiny.cls}`
        : `${r.label}: ${tiny.n} short states, worst ${tiny.cls}`;
    out.push(
      `<rect class="seg ${tiny.cls}" x="${px(tiny.a)}" width="${px(Math.max(tiny.b - tiny.a, 1))}" height="${ROW_H - 4}"><title>${esc(`${tip}, ${fmtSpan(tiny.t0, tiny.t1)}`)}</title></rect>`,
    );
    tiny = undefined;
  };
  for (const s of r.segments) {
    if (s.t1 < t0 || s.t0 > t1) continue;
    const a = clampX(s.t0);
    const cls = s.state === 'fault' ? 'fault' : stateClass(s.state);
    if (clampX(s.t1) - a < 1) {
      if (tiny !== undefined && a > tiny.a + 1) flushTiny();
      if (tiny === undefined) tiny = { a, b: clampX(s.t1), t0: s.t0, t1: s.t1, cls, n: 1 };
      else {
        tiny.b = clampX(s.t1);
        tiny.t1 = s.t1;
        tiny.n++;
        if (SEVERITY.indexOf(cls) > SEVERITY.indexOf(tiny.cls)) tiny.cls = cls;
      }
      continue;
    }
    flushTiny();
    const w = clampX(s.t1) - a;
    const tip = `${r.label}: ${s.state}${s.assumed ? ' (assumed)' : ''}, ${fmtSpan(s.t0, s.t1)} (${fmtDur(s.t1 - s.t0)})${s.cause ? ` — ${s.cause}` : ''}`;
    out.push(
      `<rect class="seg ${cls}" x="${px(a)}" width="${px(w)}" height="${ROW_H - 4}"><title>${esc(tip)}</title></rect>`,
    );
    const text = segLabel(s.state === 'fault' ? s.cause : s.state);
    if (w > text.length * 5.6 + 6)
      out.push(`<text class="sl ${cls}" x="${px(a + 3)}" y="9.5">${esc(text)}</text>`);
  }
  flushTiny();
  if (r.area) {
    const pts = r.area;
    const base = ROW_H - 4;
    const h = ROW_H - 4;
    const level = (p: { count: number; of: number }): string => px(base - (p.count / p.of) * h);
    let cur = [...pts].reverse().find((p) => p.t <= t0) ?? pts[0]!;
    let path = `M${px(clampX(t0))},${base}L${px(clampX(t0))},${level(cur)}`;
    for (const p of pts) {
      if (p.t <= t0) continue;
      if (p.t > t1) break;
      path += `L${px(x(p.t))},${level(cur)}L${px(x(p.t))},${level(p)}`;
      cur = p;
    }
    path += `L${px(clampX(t1))},${level(cur)}L${px(clampX(t1))},${base}Z`;
    out.push(
      `<rect class="lane" x="${px(clampX(t0))}" width="${px(clampX(t1) - clampX(t0))}" height="${h}"/>`,
    );
    out.push(
      `<path class="area" d="${path}"><title>${esc(`${r.label}: ${r.note}`)}</title></path>`,
    );
  }
  for (const m of r.markers) {
    if (m.t < t0 || m.t > t1) continue;
    const mx = x(m.t);
    out.push(
      `<path class="mk" d="M${px(mx - 4)},0L${px(mx + 4)},0L${px(mx)},8Z"><title>${esc(`${m.text} at ${fmtClock(m.t, 0.001)}`)}</title></path>`,
    );
  }
  out.push('</g>');
  return out.join('');
}
