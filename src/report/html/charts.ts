// The report's other charts and tables: key figures, agents logged in per site, call outcomes
// per 15-minute interval, reporting-data loss per IDB, and the spread of the main metrics
// across replications (strip and box plots).

import { quantile } from '../../sim/stats.js';
import { compareStrings } from '../../sim/order.js';
import type { FaultRow, IntervalRow, ReportData } from './data.js';
import { esc } from './escape.js';
import { KEY_METRICS } from '../key-metrics.js';
import { ABANDON_SHARE_TARGET, SERVICE_LEVEL_TARGET } from '../defaults.js';
import {
  CHART_W,
  fit,
  fmtClock,
  fmtDur,
  fmtNum,
  linear,
  px,
  timeTicks,
  valueTicks,
} from './svg.js';

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

/** Availability shares, read in nines: a percentage to 4 decimals (0.9963641 is 99.6364 %). */
const AVAILABILITY: ReadonlySet<string> = new Set(['center_availability', 'availability']);

export function formatMetric(col: string, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (col === 'service_level') return `${(v * 100).toFixed(1)} %`;
  // Two decimals would print 1.00 for an hour and a half out of fifteen days.
  if (AVAILABILITY.has(col)) return `${(v * 100).toFixed(4)} %`;
  if (col.endsWith('_s')) return fmtDur(v);
  return fmtNum(v, 2);
}

export function keyFiguresHtml(row: Record<string, string>): string {
  const cards = KEY_METRICS.filter((m) => row[m.col] !== undefined && row[m.col] !== '').map(
    (m) => {
      const v = Number(row[m.col]);
      const bad = m.bad?.(v, (c) => Number(row[c])) ?? false;
      const shown = m.ofCalls && Number(row['calls_offered']) === 0 ? undefined : v;
      return `<div class="kf${bad ? ' bad' : ''}"><div class="v">${esc(formatMetric(m.col, shown))}</div><div class="k">${esc(m.label)}</div></div>`;
    },
  );
  return `<div class="kfs">${cards.join('')}</div>`;
}

/** Faults whose start is drawn as its own line with a tooltip; past this, only shaded spans. */
export const FAULT_LINES_MAX = 40;

/**
 * Faults behind a time chart: active spans shaded (merged where they touch on screen, so a year
 * of random failures stays a few hundred shapes), and a line per fault start when few.
 */
function faultShading(
  faults: readonly FaultRow[],
  x: (t: number) => number,
  top: number,
  bottom: number,
  t1: number,
): string {
  const spans: [number, number][] = [];
  for (const f of [...faults].sort((p, q) => p.atS - q.atS)) {
    const end = Math.min(f.clearedAtS ?? f.atS, t1);
    if (end <= f.atS) continue;
    const a = x(f.atS);
    const b = Math.max(x(end), a + 1);
    const last = spans[spans.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else spans.push([a, b]);
  }
  const out = spans.map(
    ([a, b]) =>
      `<rect class="fault-span" x="${px(a)}" y="${top}" width="${px(b - a)}" height="${bottom - top}"/>`,
  );
  if (faults.length <= FAULT_LINES_MAX) {
    for (const f of faults)
      out.push(
        `<line class="fault-line" x1="${px(x(f.atS))}" x2="${px(x(f.atS))}" y1="${top}" y2="${bottom}"><title>${esc(`${f.id} ${f.kind} ${f.target}`)}</title></line>`,
      );
  }
  return out.join('');
}

function sitesOf(rows: readonly IntervalRow[]): string[] {
  return [...new Set(rows.map((r) => r.site))].sort(compareStrings);
}

function timeAxis(x: (t: number) => number, t1: number, top: number, bottom: number): string {
  const { step, ticks } = timeTicks(0, t1, 12);
  return ticks
    .map(
      (t) =>
        `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${bottom}"/><text class="tick" x="${px(x(t))}" y="${bottom + 14}" text-anchor="${x(t) > CHART_W - 40 ? 'end' : 'middle'}">${esc(fmtClock(t, step))}</text>`,
    )
    .join('');
}

function valueAxis(
  y: (v: number) => number,
  ticks: readonly number[],
  left: number,
  right: number,
): string {
  return ticks
    .map(
      (v) =>
        `<line class="grid" x1="${left}" x2="${right}" y1="${px(y(v))}" y2="${px(y(v))}"/><text class="tick" x="${left - 6}" y="${px(y(v) + 4)}" text-anchor="end">${esc(fmtNum(v))}</text>`,
    )
    .join('');
}

/** Most buckets a time chart draws (per site): about one per 4.5 units of the chart's width. */
export const TIME_BUCKETS_MAX = 240;
/** Bucket lengths a time chart may use, s: 15 minutes (intervals.csv itself) up to four weeks. */
const BUCKET_STEPS_S = [
  900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200,
];

/** One site's intervals summed over one bucket of time. */
interface Bucket {
  offered: number;
  answered: number;
  abandoned: number;
  dropped: number;
  /** Service level weighted by offered calls (numerator, denominator). */
  slNum: number;
  slDen: number;
  /** Agents: time-weighted sums (agent-seconds), the lowest interval mean, and the time covered. */
  loggedS: number;
  readyS: number;
  loggedMin: number;
  spanS: number;
}

const emptyBucket = (): Bucket => ({
  offered: 0,
  answered: 0,
  abandoned: 0,
  dropped: 0,
  slNum: 0,
  slDen: 0,
  loggedS: 0,
  readyS: 0,
  loggedMin: Infinity,
  spanS: 0,
});

/** Bucket lengths as words: "15 minutes", "6 hours", "day", "week". */
export function bucketName(stepS: number): string {
  if (stepS === 86400) return 'day';
  if (stepS % 604800 === 0) return stepS === 604800 ? 'week' : `${stepS / 604800} weeks`;
  if (stepS % 86400 === 0) return `${stepS / 86400} days`;
  if (stepS % 3600 === 0) return stepS === 3600 ? 'hour' : `${stepS / 3600} hours`;
  return `${stepS / 60} minutes`;
}

/**
 * One replication's intervals.csv rows summed into at most TIME_BUCKETS_MAX buckets per site,
 * whatever the run's length (a 15-minute bucket is the interval itself). Rows of several
 * services of one site and interval add their calls; the agents are the site's agents of every
 * group (site_agents_*: each agent once, also when services share a group), once per site and
 * interval. A report written before those columns takes the largest service row (its groups'
 * agents: a lower bound, never a double count).
 */
function intervalFrame(d: ReportData, rep: number) {
  const rows = d.intervals.filter((r) => r.rep === rep);
  if (rows.length === 0) return undefined;
  const durationS = d.durationS.get(rep) ?? Math.max(...rows.map((r) => r.startS + 900));
  const starts = [...new Set(rows.map((r) => r.startS))].sort((a, b) => a - b);
  const endOf = new Map(starts.map((s, i) => [s, Math.min(starts[i + 1] ?? durationS, durationS)]));
  const stepS =
    BUCKET_STEPS_S.find((b) => durationS / b <= TIME_BUCKETS_MAX) ??
    86400 * Math.ceil(durationS / 86400 / TIME_BUCKETS_MAX);
  const count = Math.max(1, Math.ceil(durationS / stepS - 1e-9));
  const sites = sitesOf(rows);
  const siteIndex = new Map(sites.map((s, i) => [s, i]));
  const buckets: Bucket[][] = sites.map(() => Array.from({ length: count }, emptyBucket));
  // Per site, interval start -> the site's agents then (one entry however many service rows).
  const agentsAt = sites.map(() => new Map<number, { b: Bucket; logged: number; ready: number }>());
  for (const r of rows) {
    const si = siteIndex.get(r.site)!;
    const b = buckets[si]![Math.min(count - 1, Math.floor(r.startS / stepS))]!;
    b.offered += r.offered;
    b.answered += r.answered;
    b.abandoned += r.abandoned;
    b.dropped += r.dropped;
    if (r.serviceLevel !== undefined && r.offered > 0) {
      b.slNum += r.serviceLevel * r.offered;
      b.slDen += r.offered;
    }
    const logged = r.siteLoggedIn ?? r.loggedIn;
    const ready = r.siteReadyMean ?? r.readyMean;
    const a = agentsAt[si]!.get(r.startS);
    if (!a) agentsAt[si]!.set(r.startS, { b, logged, ready });
    else {
      a.logged = Math.max(a.logged, logged);
      a.ready = Math.max(a.ready, ready);
    }
  }
  for (const at of agentsAt) {
    for (const [startS, { b, logged, ready }] of at) {
      const len = endOf.get(startS)! - startS;
      b.loggedS += logged * len;
      b.readyS += ready * len;
      b.loggedMin = Math.min(b.loggedMin, logged);
      b.spanS += len;
    }
  }
  const t0 = (i: number): number => i * stepS;
  const t1 = (i: number): number => Math.min((i + 1) * stepS, durationS);
  return { durationS, sites, stepS, count, buckets, t0, t1 };
}

/** A bucket's service level and abandon share beyond their targets (report/defaults.ts). */
function missesTarget(b: Bucket): string[] {
  const out: string[] = [];
  if (b.slDen > 0 && b.slNum / b.slDen < SERVICE_LEVEL_TARGET)
    out.push(
      `service level ${((b.slNum / b.slDen) * 100).toFixed(1)} % < target ${SERVICE_LEVEL_TARGET * 100} %`,
    );
  if (b.offered > 0 && b.abandoned / b.offered > ABANDON_SHARE_TARGET)
    out.push(
      `abandoned ${((b.abandoned / b.offered) * 100).toFixed(1)} % > target ${ABANDON_SHARE_TARGET * 100} %`,
    );
  return out;
}

/** Agents logged in per site (solid) and agents ready (dashed): means over each bucket of time. */
export function agentsChartSvg(d: ReportData, rep: number): string {
  const frame = intervalFrame(d, rep);
  if (!frame) return '<p class="note">No intervals.csv rows for this replication.</p>';
  const { durationS, sites, count, buckets, t0, t1, stepS } = frame;
  const H = 240;
  const L = 56;
  const top = 12;
  const bottom = H - 28;
  const x = linear(0, durationS, L, CHART_W - 12);
  const mean = (b: Bucket, f: 'loggedS' | 'readyS'): number => (b.spanS > 0 ? b[f] / b.spanS : 0);
  const { top: vmax, ticks } = valueTicks(
    Math.max(
      ...buckets.flatMap((bs) => bs.map((b) => Math.max(mean(b, 'loggedS'), mean(b, 'readyS')))),
    ),
  );
  const y = linear(0, vmax, bottom, top);
  const out: string[] = [valueAxis(y, ticks, L, CHART_W - 12), timeAxis(x, durationS, top, bottom)];
  out.push(
    faultShading(
      d.faults.filter((f) => f.rep === rep),
      x,
      top,
      bottom,
      durationS,
    ),
  );
  sites.forEach((_, k) => {
    const color = SITE_COLORS[k % SITE_COLORS.length]!;
    for (const [field, cls] of [
      ['loggedS', 'line'],
      ['readyS', 'line dashed'],
    ] as const) {
      let path = '';
      for (let i = 0; i < count; i++) {
        const v = mean(buckets[k]![i]!, field);
        path += `${path ? 'L' : 'M'}${px(x(t0(i)))},${px(y(v))}L${px(x(t1(i)))},${px(y(v))}`;
      }
      out.push(`<path class="${cls}" style="stroke:${color}" d="${path}"/>`);
    }
  });
  // Hover targets: one per bucket, naming every site's values.
  for (let i = 0; i < count; i++) {
    const tip = [`${fmtClock(t0(i))} – ${fmtClock(t1(i))}`]
      .concat(
        sites.map((site, k) => {
          const b = buckets[k]![i]!;
          const low =
            stepS > 900 && Number.isFinite(b.loggedMin)
              ? ` (lowest 15-minute mean ${fmtNum(b.loggedMin, 1)})`
              : '';
          return `${site}: ${fmtNum(mean(b, 'loggedS'), 1)} logged in${low}, ${fmtNum(mean(b, 'readyS'), 1)} ready`;
        }),
      )
      .join('\n');
    out.push(
      `<rect class="hover" x="${px(x(t0(i)))}" y="${top}" width="${px(x(t1(i)) - x(t0(i)))}" height="${bottom - top}"><title>${esc(tip)}</title></rect>`,
    );
  }
  const legend = sites
    .map(
      (site, k) =>
        `<span><i class="sw" style="background:${SITE_COLORS[k % SITE_COLORS.length]}"></i>site ${esc(site)} logged in</span><span><i class="sw dashed" style="border-color:${SITE_COLORS[k % SITE_COLORS.length]}"></i>site ${esc(site)} ready</span>`,
    )
    .join('');
  const note = `<span class="note">mean per ${esc(bucketName(stepS))}</span>`;
  return `<div class="legend">${legend}${note}</div><svg class="chart agents" data-bucket-s="${stepS}" viewBox="0 0 ${CHART_W} ${H}" width="${CHART_W}" height="${H}" role="img" aria-label="agents logged in per site">${out.join('')}</svg>`;
}

const OUTCOMES = [
  { field: 'answered', cls: 'ans', label: 'answered' },
  { field: 'abandoned', cls: 'abd', label: 'abandoned' },
  { field: 'dropped', cls: 'drp', label: 'dropped (when cut)' },
] as const;

/**
 * Calls per bucket of time and site: answered, abandoned and dropped side by side (a call is
 * dropped in the interval it was cut, answered in the one it was answered), offered as a line;
 * a red mark over each bucket whose service level or abandon share misses its target.
 */
export function callsChartSvg(d: ReportData, rep: number): string {
  const frame = intervalFrame(d, rep);
  if (!frame) return '<p class="note">No intervals.csv rows for this replication.</p>';
  const { durationS, sites, count, buckets, t0, t1, stepS } = frame;
  const H = 220;
  const top = 18;
  const bottom = H - 28;
  const gapW = 40;
  const panelW = (CHART_W - 56 - gapW * (sites.length - 1)) / sites.length;
  const { top: vmax, ticks } = valueTicks(
    Math.max(
      1,
      ...buckets.flatMap((bs) =>
        bs.map((b) => Math.max(b.offered, b.answered, b.abandoned, b.dropped)),
      ),
    ),
  );
  const y = linear(0, vmax, bottom, top);
  const out: string[] = [];
  sites.forEach((site, k) => {
    const L = 56 + k * (panelW + gapW);
    const x = linear(0, durationS, L, L + panelW);
    out.push(`<text class="ph" x="${px(L)}" y="11">site ${esc(site)}</text>`);
    out.push(
      k === 0
        ? valueAxis(y, ticks, L, L + panelW)
        : ticks
            .map(
              (v) =>
                `<line class="grid" x1="${px(L)}" x2="${px(L + panelW)}" y1="${px(y(v))}" y2="${px(y(v))}"/>`,
            )
            .join(''),
    );
    const { step, ticks: tt } = timeTicks(0, durationS, Math.max(3, Math.floor(panelW / 90)));
    for (const t of tt) {
      const anchor = x(t) > L + panelW - 24 ? 'end' : x(t) < L + 24 ? 'start' : 'middle';
      out.push(
        `<text class="tick" x="${px(x(t))}" y="${bottom + 14}" text-anchor="${anchor}">${esc(fmtClock(t, step))}</text>`,
      );
    }
    out.push(
      faultShading(
        d.faults.filter((f) => f.rep === rep),
        x,
        top,
        bottom,
        durationS,
      ),
    );
    let offered = '';
    for (let i = 0; i < count; i++) {
      const b = buckets[k]![i]!;
      const a = x(t0(i));
      const e = x(t1(i));
      // Side by side, not stacked: a call cut while talking was answered, then dropped.
      const slot = Math.max((e - a - 4) / OUTCOMES.length, 0.5);
      OUTCOMES.forEach((o, j) => {
        const v = b[o.field];
        if (v <= 0) return;
        out.push(
          `<rect class="bar ${o.cls}" x="${px(a + 2 + j * slot)}" y="${px(y(v))}" width="${px(Math.max(slot - 1, 0.5))}" height="${px(Math.max(y(0) - y(v), 1))}"/>`,
        );
      });
      offered += `${offered ? 'L' : 'M'}${px(a)},${px(y(b.offered))}L${px(e)},${px(y(b.offered))}`;
      const misses = missesTarget(b);
      if (misses.length > 0)
        out.push(
          `<rect class="target-miss" x="${px(a)}" y="${top - 6}" width="${px(Math.max(e - a, 1))}" height="4"/>`,
        );
      const sl = b.slDen > 0 ? `\nservice level ${((b.slNum / b.slDen) * 100).toFixed(1)} %` : '';
      const tip = `site ${site}, ${fmtClock(t0(i))} – ${fmtClock(t1(i))}\noffered ${b.offered}, answered ${b.answered}, abandoned ${b.abandoned}, dropped ${b.dropped}${sl}${misses.length > 0 ? `\n${misses.join('; ')}` : ''}`;
      out.push(
        `<rect class="hover" x="${px(a)}" y="${top}" width="${px(e - a)}" height="${bottom - top}"><title>${esc(tip)}</title></rect>`,
      );
    }
    out.push(`<path class="line offered" d="${offered}"/>`);
  });
  const legend = `<div class="legend"><span><i class="sw line-sw"></i>offered</span>${OUTCOMES.map((o) => `<span><i class="sw ${o.cls}"></i>${o.label}</span>`).join('')}<span><i class="sw target-miss"></i>service level below ${SERVICE_LEVEL_TARGET * 100} % or over ${ABANDON_SHARE_TARGET * 100} % abandoned</span><span class="note">per ${esc(bucketName(stepS))}</span></div>`;
  return `${legend}<svg class="chart calls" data-bucket-s="${stepS}" viewBox="0 0 ${CHART_W} ${H}" width="${CHART_W}" height="${H}" role="img" aria-label="call outcomes per ${esc(bucketName(stepS))}">${out.join('')}</svg>`;
}

/** Reporting-data loss per IDB (data-loss.csv), or a note when the report has no ICON data. */
export function dataLossHtml(d: ReportData, rep: number): string {
  if (d.dataLoss === undefined)
    return '<p class="note">No ICON data: this report directory has no data-loss.csv.</p>';
  const rows = d.dataLoss.filter((r) => r.rep === rep);
  if (rows.length === 0)
    return '<p class="note">No ICON data: the topology records no data source in an IDB.</p>';
  // Bars show the missing share of the events expected, on a scale of 1 %, 10 % or 100 % (the
  // smallest holding every row), so 0.001 % is a hairline, not a full bar; never below 1 unit.
  const shareOf = (n: number, r: { expected: number }): number =>
    r.expected > 0 ? n / r.expected : 0;
  const scale = [0.01, 0.1, 1].find((m) => rows.every((r) => shareOf(r.missing, r) <= m)) ?? 1;
  const width = (share: number): number =>
    share > 0 ? Math.max(1, (Math.min(share, scale) / scale) * 160) : 0;
  const body = rows
    .map((r) => {
      const share = shareOf(r.missing, r);
      const w = width(share);
      const wAll = width(shareOf(r.lostAll, r));
      const bar = `<svg class="minibar" viewBox="0 0 164 12" width="164" height="12"><rect class="lane" x="0" y="1" width="164" height="10"/><rect class="bar miss" x="0" y="1" width="${px(w)}" height="10"/><rect class="bar lost" x="0" y="1" width="${px(wAll)}" height="10"/></svg>`;
      return `<tr class="${r.missing > 0 ? 'badrow' : ''}"><td>${esc(r.source)}</td><td>${esc(r.icon)}</td><td>${esc(r.idb)}</td><td class="n">${fmtNum(r.expected)}</td><td class="n">${fmtNum(r.stored)}</td><td class="n">${fmtNum(r.missing)}</td><td class="n">${(share * 100).toFixed(3)} %</td><td class="n">${fmtNum(r.lostAll)}</td><td class="n">${fmtNum(r.stuckCalls)}</td><td class="n">${esc(fmtDur(r.gapS))}</td><td>${bar}</td></tr>`;
    })
    .join('');
  return `<div class="legend"><span><i class="sw miss"></i>missing in this IDB</span><span><i class="sw lost"></i>of which in no IDB of the pair</span></div><table class="data"><thead><tr><th>source</th><th>ICON</th><th>IDB</th><th>events expected</th><th>stored</th><th>missing</th><th>missing share</th><th>lost in every IDB</th><th>stuck calls</th><th>gap</th><th>missing share (bar: 0 – ${scale * 100} %)</th></tr></thead><tbody>${body}</tbody></table>`;
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
  for (const t of axisTicks)
    out.push(
      `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${H - 22}"/><text class="tick" x="${px(x(t))}" y="${H - 8}" text-anchor="middle">${esc(formatTick(metric, t, step))}</text>`,
    );
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
    if (series.length > 1)
      out.push(
        `<text class="rl" x="4" y="${px(cy + 4)}">${esc(fit(s.label, L - 10))}<title>${esc(s.label)}</title></text>`,
      );
    out.push(
      `<line class="whisker" x1="${px(x(sorted[0]!))}" x2="${px(x(sorted[sorted.length - 1]!))}" y1="${px(cy)}" y2="${px(cy)}"/>`,
    );
    out.push(
      `<rect class="box" x="${px(x(q1))}" y="${px(cy - 9)}" width="${px(Math.max(x(q3) - x(q1), 1))}" height="18"/>`,
    );
    out.push(
      `<line class="median" x1="${px(x(q2))}" x2="${px(x(q2))}" y1="${px(cy - 9)}" y2="${px(cy + 9)}"/>`,
    );
    pts.forEach((p, i) =>
      out.push(
        `<circle class="dot" cx="${px(x(p.v))}" cy="${px(cy + jitter(i) * 6)}" r="2.6"><title>${esc(`${s.label ? `${s.label} ` : ''}replication ${p.rep}: ${formatMetric(metric, p.v)}`)}</title></circle>`,
      ),
    );
    out.push(
      `<path class="mean" d="M${px(x(mean))},${px(cy - 12)}l4,-5h-8Z"><title>${esc(`mean ${formatMetric(metric, mean)}; median ${formatMetric(metric, q2)}; min ${formatMetric(metric, sorted[0])}; max ${formatMetric(metric, sorted[sorted.length - 1])}; n ${vals.length}`)}</title></path>`,
    );
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
  const plots = cols.map((m) =>
    stripSvg(m, [
      {
        label: '',
        points: d.summary.rows.map((r) => ({ rep: Number(r['replication']), v: Number(r[m]) })),
      },
    ]),
  );
  return `<div class="strips">${plots.join('')}</div>`;
}
