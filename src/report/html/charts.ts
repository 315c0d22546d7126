// The report's other charts and tables: key figures, agents logged in per site, call outcomes
// per 15-minute interval, reporting-data loss per IDB, and the spread of the main metrics
// across replications (strip and box plots).

import { quantile } from '../../sim/stats.js';
import { compareStrings } from '../../sim/order.js';
import type { FaultRow, IntervalRow, ReportData } from './data.js';
import { esc } from './escape.js';
import { KEY_METRICS } from '../key-metrics.js';
import { CHART_W, fit, fmtClock, fmtDur, fmtNum, linear, px, timeTicks, valueTicks } from './svg.js';

/** Metrics whose spread across replications is plotted (when present in summary.csv). */
export const DISTRIBUTION_METRICS = [
  'switchover_max_s',
  'service_gap_max_s',
  'split_brain_s',
  'calls_dropped',
  'calls_degraded',
  'calls_abandoned',
  'calls_rejected',
  'service_level',
  'asa_s',
  'agents_impacted',
  'agent_outage_max_s',
  'icon_lost_all',
];

const SITE_COLORS = ['#1565c0', '#ef6c00', '#6a1b9a', '#00838f', '#558b2f', '#ad1457'];

export function formatMetric(col: string, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (col === 'service_level') return `${(v * 100).toFixed(1)} %`;
  if (col.endsWith('_s')) return fmtDur(v);
  return fmtNum(v, 2);
}

export function keyFiguresHtml(row: Record<string, string>): string {
  const cards = KEY_METRICS.filter((m) => row[m.col] !== undefined && row[m.col] !== '').map((m) => {
    const v = Number(row[m.col]);
    const bad = m.bad?.(v) ?? false;
    return `<div class="kf${bad ? ' bad' : ''}"><div class="v">${esc(formatMetric(m.col, v))}</div><div class="k">${esc(m.label)}</div></div>`;
  });
  return `<div class="kfs">${cards.join('')}</div>`;
}

function faultShading(faults: readonly FaultRow[], x: (t: number) => number, top: number, bottom: number, t1: number): string {
  return faults
    .map((f) => {
      const end = Math.min(f.clearedAtS ?? f.atS, t1);
      const span = end > f.atS ? `<rect class="fault-span" x="${px(x(f.atS))}" y="${top}" width="${px(x(end) - x(f.atS))}" height="${bottom - top}"/>` : '';
      return `${span}<line class="fault-line" x1="${px(x(f.atS))}" x2="${px(x(f.atS))}" y1="${top}" y2="${bottom}"><title>${esc(`${f.id} ${f.kind} ${f.target}`)}</title></line>`;
    })
    .join('');
}

function sitesOf(rows: readonly IntervalRow[]): string[] {
  return [...new Set(rows.map((r) => r.site))].sort(compareStrings);
}

function timeAxis(x: (t: number) => number, t1: number, top: number, bottom: number): string {
  const { step, ticks } = timeTicks(0, t1, 12);
  return ticks
    .map((t) => `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${bottom}"/><text class="tick" x="${px(x(t))}" y="${bottom + 14}" text-anchor="${x(t) > CHART_W - 40 ? 'end' : 'middle'}">${esc(fmtClock(t, step))}</text>`)
    .join('');
}

function valueAxis(y: (v: number) => number, ticks: readonly number[], left: number, right: number): string {
  return ticks
    .map((v) => `<line class="grid" x1="${left}" x2="${right}" y1="${px(y(v))}" y2="${px(y(v))}"/><text class="tick" x="${left - 6}" y="${px(y(v) + 4)}" text-anchor="end">${esc(fmtNum(v))}</text>`)
    .join('');
}

/** One replication's intervals.csv rows with their sites, interval starts and ends. */
function intervalFrame(d: ReportData, rep: number) {
  const rows = d.intervals.filter((r) => r.rep === rep);
  if (rows.length === 0) return undefined;
  const durationS = d.durationS.get(rep) ?? Math.max(...rows.map((r) => r.startS + 900));
  const starts = [...new Set(rows.map((r) => r.startS))].sort((a, b) => a - b);
  const ivEnd = (i: number): number => Math.min(starts[i + 1] ?? durationS, durationS);
  return { rows, durationS, sites: sitesOf(rows), starts, ivEnd };
}

/** Agents logged in per site (solid) and agents ready (dashed), per 15-minute interval. */
export function agentsChartSvg(d: ReportData, rep: number): string {
  const frame = intervalFrame(d, rep);
  if (!frame) return '<p class="note">No intervals.csv rows for this replication.</p>';
  const { rows, durationS, sites, starts, ivEnd } = frame;
  const H = 240;
  const L = 56;
  const top = 12;
  const bottom = H - 28;
  const x = linear(0, durationS, L, CHART_W - 12);
  const { top: vmax, ticks } = valueTicks(Math.max(...rows.map((r) => Math.max(r.loggedIn, r.readyMean))));
  const y = linear(0, vmax, bottom, top);
  const out: string[] = [valueAxis(y, ticks, L, CHART_W - 12), timeAxis(x, durationS, top, bottom)];
  out.push(faultShading(d.faults.filter((f) => f.rep === rep), x, top, bottom, durationS));
  sites.forEach((site, k) => {
    const color = SITE_COLORS[k % SITE_COLORS.length]!;
    for (const [field, cls] of [['loggedIn', 'line'], ['readyMean', 'line dashed']] as const) {
      let path = '';
      starts.forEach((s, i) => {
        const r = rows.find((q) => q.startS === s && q.site === site);
        const v = r ? r[field] : 0;
        path += `${path ? 'L' : 'M'}${px(x(s))},${px(y(v))}L${px(x(ivEnd(i)))},${px(y(v))}`;
      });
      out.push(`<path class="${cls}" style="stroke:${color}" d="${path}"/>`);
    }
  });
  // Hover targets: one per interval, naming every site's values.
  starts.forEach((s, i) => {
    const tip = [`${fmtClock(s)} – ${fmtClock(ivEnd(i))}`]
      .concat(sites.map((site) => {
        const r = rows.find((q) => q.startS === s && q.site === site);
        return `${site}: ${r ? fmtNum(r.loggedIn, 1) : '–'} logged in, ${r ? fmtNum(r.readyMean, 1) : '–'} ready`;
      }))
      .join('\n');
    out.push(`<rect class="hover" x="${px(x(s))}" y="${top}" width="${px(x(ivEnd(i)) - x(s))}" height="${bottom - top}"><title>${esc(tip)}</title></rect>`);
  });
  const legend = sites
    .map((site, k) => `<span><i class="sw" style="background:${SITE_COLORS[k % SITE_COLORS.length]}"></i>site ${esc(site)} logged in</span><span><i class="sw dashed" style="border-color:${SITE_COLORS[k % SITE_COLORS.length]}"></i>site ${esc(site)} ready (mean)</span>`)
    .join('');
  return `<div class="legend">${legend}</div><svg class="chart agents" viewBox="0 0 ${CHART_W} ${H}" width="${CHART_W}" height="${H}" role="img" aria-label="agents logged in per site">${out.join('')}</svg>`;
}

const OUTCOMES = [
  { field: 'answered', cls: 'ans', label: 'answered' },
  { field: 'abandoned', cls: 'abd', label: 'abandoned' },
  { field: 'dropped', cls: 'drp', label: 'dropped' },
] as const;

/** Calls per 15-minute interval and site: answered, abandoned and dropped side by side, offered as a line. */
export function callsChartSvg(d: ReportData, rep: number): string {
  const frame = intervalFrame(d, rep);
  if (!frame) return '<p class="note">No intervals.csv rows for this replication.</p>';
  const { rows, durationS, sites, starts, ivEnd } = frame;
  const H = 220;
  const top = 18;
  const bottom = H - 28;
  const gapW = 40;
  const panelW = (CHART_W - 56 - gapW * (sites.length - 1)) / sites.length;
  const { top: vmax, ticks } = valueTicks(Math.max(1, ...rows.map((r) => Math.max(r.offered, r.answered, r.abandoned, r.dropped))));
  const y = linear(0, vmax, bottom, top);
  const out: string[] = [];
  sites.forEach((site, k) => {
    const L = 56 + k * (panelW + gapW);
    const x = linear(0, durationS, L, L + panelW);
    out.push(`<text class="ph" x="${px(L)}" y="11">site ${esc(site)}</text>`);
    out.push(k === 0 ? valueAxis(y, ticks, L, L + panelW) : ticks.map((v) => `<line class="grid" x1="${px(L)}" x2="${px(L + panelW)}" y1="${px(y(v))}" y2="${px(y(v))}"/>`).join(''));
    const { step, ticks: tt } = timeTicks(0, durationS, Math.max(3, Math.floor(panelW / 90)));
    for (const t of tt) {
      const anchor = x(t) > L + panelW - 24 ? 'end' : x(t) < L + 24 ? 'start' : 'middle';
      out.push(`<text class="tick" x="${px(x(t))}" y="${bottom + 14}" text-anchor="${anchor}">${esc(fmtClock(t, step))}</text>`);
    }
    out.push(faultShading(d.faults.filter((f) => f.rep === rep), x, top, bottom, durationS));
    let offered = '';
    starts.forEach((s, i) => {
      const r = rows.find((q) => q.startS === s && q.site === site);
      if (!r) return;
      // Side by side, not stacked: a call cut while talking was answered, then dropped.
      const slot = Math.max((x(ivEnd(i)) - x(s) - 4) / OUTCOMES.length, 0.5);
      OUTCOMES.forEach((o, j) => {
        const v = r[o.field];
        if (v <= 0) return;
        out.push(`<rect class="bar ${o.cls}" x="${px(x(s) + 2 + j * slot)}" y="${px(y(v))}" width="${px(Math.max(slot - 1, 0.5))}" height="${px(y(0) - y(v))}"/>`);
      });
      offered += `${offered ? 'L' : 'M'}${px(x(s))},${px(y(r.offered))}L${px(x(ivEnd(i)))},${px(y(r.offered))}`;
      const tip = `site ${site}, ${fmtClock(s)} – ${fmtClock(ivEnd(i))}\noffered ${r.offered}, answered ${r.answered}, abandoned ${r.abandoned}, dropped ${r.dropped}${r.serviceLevel !== undefined ? `\nservice level ${(r.serviceLevel * 100).toFixed(1)} %` : ''}`;
      out.push(`<rect class="hover" x="${px(x(s))}" y="${top}" width="${px(x(ivEnd(i)) - x(s))}" height="${bottom - top}"><title>${esc(tip)}</title></rect>`);
    });
    out.push(`<path class="line offered" d="${offered}"/>`);
  });
  const legend = `<div class="legend"><span><i class="sw line-sw"></i>offered</span>${OUTCOMES.map((o) => `<span><i class="sw ${o.cls}"></i>${o.label}</span>`).join('')}</div>`;
  return `${legend}<svg class="chart calls" viewBox="0 0 ${CHART_W} ${H}" width="${CHART_W}" height="${H}" role="img" aria-label="call outcomes per interval">${out.join('')}</svg>`;
}

/** Reporting-data loss per IDB (data-loss.csv), or a note when the report has no ICON data. */
export function dataLossHtml(d: ReportData, rep: number): string {
  if (d.dataLoss === undefined) return '<p class="note">No ICON data: this report directory has no data-loss.csv.</p>';
  const rows = d.dataLoss.filter((r) => r.rep === rep);
  if (rows.length === 0) return '<p class="note">No ICON data: the topology records no data source in an IDB.</p>';
  const maxMissing = Math.max(1, ...rows.map((r) => r.missing));
  const body = rows
    .map((r) => {
      const share = r.expected > 0 ? r.missing / r.expected : 0;
      const w = (r.missing / maxMissing) * 160;
      const wAll = (r.lostAll / maxMissing) * 160;
      const bar = `<svg class="minibar" viewBox="0 0 164 12" width="164" height="12"><rect class="lane" x="0" y="1" width="164" height="10"/><rect class="bar miss" x="0" y="1" width="${px(w)}" height="10"/><rect class="bar lost" x="0" y="1" width="${px(wAll)}" height="10"/></svg>`;
      return `<tr class="${r.missing > 0 ? 'badrow' : ''}"><td>${esc(r.source)}</td><td>${esc(r.icon)}</td><td>${esc(r.idb)}</td><td class="n">${fmtNum(r.expected)}</td><td class="n">${fmtNum(r.stored)}</td><td class="n">${fmtNum(r.missing)}</td><td class="n">${(share * 100).toFixed(3)} %</td><td class="n">${fmtNum(r.lostAll)}</td><td class="n">${fmtNum(r.stuckCalls)}</td><td class="n">${esc(fmtDur(r.gapS))}</td><td>${bar}</td></tr>`;
    })
    .join('');
  return `<div class="legend"><span><i class="sw miss"></i>missing in this IDB</span><span><i class="sw lost"></i>of which in no IDB of the pair</span></div><table class="data"><thead><tr><th>source</th><th>ICON</th><th>IDB</th><th>events expected</th><th>stored</th><th>missing</th><th>missing share</th><th>lost in every IDB</th><th>stuck calls</th><th>gap</th><th></th></tr></thead><tbody>${body}</tbody></table>`;
}

export interface Series {
  label: string;
  /** One value per replication. */
  points: { rep: number; v: number }[];
}

/** A deterministic jitter in [-1, 1] for the i-th dot (no randomness in reports). */
function jitter(i: number): number {
  const v = Math.sin((i + 1) * 12.9898) * 43758.5453;
  return (v - Math.floor(v)) * 2 - 1;
}

/** One metric's spread: per series a box (quartiles, median), whiskers (min–max), dots and the mean. */
export function stripSvg(metric: string, series: readonly Series[]): string {
  const all = series.flatMap((s) => s.points.map((p) => p.v)).filter(Number.isFinite);
  if (all.length === 0) return '';
  const W = CHART_W / 2 - 10;
  const L = series.length > 1 ? 120 : 12;
  const R = W - 12;
  const laneH = 30;
  const top = 22;
  const H = top + laneH * series.length + 24;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  if (hi === lo) {
    // Nothing to spread: say so rather than draw an axis around a single value.
    const text = `${formatMetric(metric, lo)} in every replication${series.length > 1 ? ' of every run' : ''}`;
    return `<svg class="strip flat" viewBox="0 0 ${W} 40" width="${W}" height="40" role="img" aria-label="distribution of ${esc(metric)}"><text class="ph" x="4" y="13">${esc(metric)}</text><text class="uc" x="12" y="31">${esc(text)}</text></svg>`;
  }
  const pad = (hi - lo) * 0.05;
  const x = linear(lo - pad, hi + pad, L, R);
  const out: string[] = [`<text class="ph" x="4" y="13">${esc(metric)}</text>`];
  const { step, ticks: axisTicks } = niceTicks(lo - pad, hi + pad);
  for (const t of axisTicks) out.push(`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${H - 22}"/><text class="tick" x="${px(x(t))}" y="${H - 8}" text-anchor="middle">${esc(formatTick(metric, t, step))}</text>`);
  series.forEach((s, k) => {
    const pts = s.points.filter((p) => Number.isFinite(p.v));
    const vals = pts.map((p) => p.v);
    if (vals.length === 0) return;
    const cy = top + k * laneH + laneH / 2;
    const sorted = [...vals].sort((a, b) => a - b);
    const q1 = quantile(sorted, 0.25);
    const q2 = quantile(sorted, 0.5);
    const q3 = quantile(sorted, 0.75);
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    if (series.length > 1) out.push(`<text class="rl" x="4" y="${px(cy + 4)}">${esc(fit(s.label, L - 10))}<title>${esc(s.label)}</title></text>`);
    out.push(`<line class="whisker" x1="${px(x(sorted[0]!))}" x2="${px(x(sorted[sorted.length - 1]!))}" y1="${px(cy)}" y2="${px(cy)}"/>`);
    out.push(`<rect class="box" x="${px(x(q1))}" y="${px(cy - 9)}" width="${px(Math.max(x(q3) - x(q1), 1))}" height="18"/>`);
    out.push(`<line class="median" x1="${px(x(q2))}" x2="${px(x(q2))}" y1="${px(cy - 9)}" y2="${px(cy + 9)}"/>`);
    pts.forEach((p, i) => out.push(`<circle class="dot" cx="${px(x(p.v))}" cy="${px(cy + jitter(i) * 6)}" r="2.6"><title>${esc(`${s.label ? `${s.label} ` : ''}replication ${p.rep}: ${formatMetric(metric, p.v)}`)}</title></circle>`));
    out.push(`<path class="mean" d="M${px(x(mean))},${px(cy - 12)}l4,-5h-8Z"><title>${esc(`mean ${formatMetric(metric, mean)}; median ${formatMetric(metric, q2)}; min ${formatMetric(metric, sorted[0])}; max ${formatMetric(metric, sorted[sorted.length - 1])}; n ${vals.length}`)}</title></path>`);
  });
  return `<svg class="strip" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="distribution of ${esc(metric)}">${out.join('')}</svg>`;
}

function niceTicks(lo: number, hi: number): { step: number; ticks: number[] } {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-12; k++) ticks.push(k * step);
  return { step, ticks };
}

/** A tick label with as many decimals as the step needs. */
function formatTick(metric: string, v: number, step: number): string {
  const decimals = (s: number): number => {
    let d = Math.max(0, Math.ceil(-Math.log10(s) - 1e-9));
    while (d < 6 && Math.abs(Math.round(s * 10 ** d) - s * 10 ** d) > 1e-6) d++;
    return d;
  };
  if (metric === 'service_level') return `${(v * 100).toFixed(decimals(step * 100))} %`;
  return v.toFixed(decimals(step));
}

/** The distribution section of one run: a strip plot per main metric. */
export function distributionHtml(d: ReportData): string {
  const cols = DISTRIBUTION_METRICS.filter((m) => d.summary.columns.includes(m));
  const plots = cols.map((m) => stripSvg(m, [{ label: '', points: d.summary.rows.map((r) => ({ rep: Number(r['replication']), v: Number(r[m]) })) }]));
  return `<div class="strips">${plots.join('')}</div>`;
}
