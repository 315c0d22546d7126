// The waterfall of one switchover: fault → detection → order → promotion → clients back,
// from switchovers.csv and the timeline. The critical path (the chain that decides when the
// last client is back) is drawn solid; parallel steps (other observers losing the host, the
// clients that came back earlier) are drawn light.

import type { ReportData, SwitchoverRow, TimelineEvent } from './data.js';
import { esc } from './escape.js';
import type { Inventory } from './inventory.js';
import { CHART_W, fit, fmtClock, fmtDur, linear, px, timeTicks } from './svg.js';

/** How long after the promotion a reconnecting client still counts as "back", s. */
export const CLIENT_WINDOW_S = 600;
/** Parallel detection steps shown per switchover. */
const DETECTION_ROWS_MAX = 5;
/** Clients shown per switchover (the latest ones). */
const CLIENT_ROWS_MAX = 6;
/** Switchovers drawn per replication (the rest are listed in switchovers.csv). */
export const WATERFALLS_MAX = 24;

const W = CHART_W / 2 - 10;
const LABEL_W = 190;
const ROW_H = 18;
const AXIS_H = 20;

interface Step {
  label: string;
  t0: number;
  t1: number;
  critical: boolean;
  kind: 'fault' | 'detect' | 'order' | 'promote' | 'client' | 'failed';
  /** Shown after the duration. */
  note?: string | undefined;
  tip: string;
}

export interface Waterfall {
  s: SwitchoverRow;
  steps: Step[];
  /** Fault (or detection) to the last client back, s. */
  totalS: number | undefined;
  /** Clients seen reconnecting to the new primary. */
  clients: number;
  path: string;
}

/** Observer events that can reveal a failure to the SCS (an ICON losing its source does not). */
const DETECTION_STATES: ReadonlySet<string> = new Set(['lost', 'hang-detected']);
const BACK_STATES: ReadonlySet<string> = new Set(['connected', 'up', 'source-connected']);

/**
 * Whether an observer event concerns the failed primary: its host's LCA, a connection to it or
 * to that LCA. Without the topology the host is unknown and every LCA event counts.
 */
function concerns(e: TimelineEvent, from: string, host: string | undefined): boolean {
  const c = e.component;
  if (c === from || c.endsWith(`>${from}`) || e.cause === from) return true;
  if (host === undefined) return c.includes('lca:');
  return c === `lca:${host}` || c.endsWith(`>lca:${host}`);
}

export function waterfallOf(
  d: ReportData,
  s: SwitchoverRow,
  events: readonly TimelineEvent[],
  inv?: Inventory,
): Waterfall {
  const fault = d.faults.find((f) => f.rep === s.rep && f.id === s.faultId);
  const tFault = s.faultAtS ?? s.detectedAtS;
  const steps: Step[] = [];
  const path: string[] = [];
  steps.push({
    label: fault
      ? `fault ${fault.id} ${fault.kind}`
      : s.faultId
        ? `fault ${s.faultId}`
        : 'detected',
    t0: tFault,
    t1: tFault,
    critical: true,
    kind: 'fault',
    tip: fault
      ? `${fault.id} ${fault.kind} ${fault.target} at ${fmtClock(tFault, 0.001)}`
      : `at ${fmtClock(tFault, 0.001)}`,
  });

  // Detection: the observer event at the detection instant is decisive; earlier ones ran in parallel.
  const host = inv?.apps.get(s.from)?.host;
  const seen = events.filter(
    (e) =>
      e.tS >= tFault &&
      e.tS <= s.detectedAtS + 1e-9 &&
      DETECTION_STATES.has(e.state) &&
      concerns(e, s.from, host),
  );
  const decisive = [...seen].reverse().find((e) => Math.abs(e.tS - s.detectedAtS) < 1e-6);
  steps.push({
    label: 'detection',
    t0: tFault,
    t1: s.detectedAtS,
    critical: true,
    kind: 'detect',
    note: decisive ? `${decisive.component} ${decisive.state}` : undefined,
    tip: `detected after ${fmtDur(s.detectedAtS - tFault)}${decisive ? `: ${decisive.component} ${decisive.state} (${decisive.cause})` : ''}`,
  });
  path.push(`detection ${fmtDur(s.detectedAtS - tFault)}`);
  for (const e of seen.filter((x) => x !== decisive).slice(-DETECTION_ROWS_MAX)) {
    steps.push({
      label: `  ${e.component} ${e.state}`,
      t0: tFault,
      t1: e.tS,
      critical: false,
      kind: 'detect',
      tip: `${e.component} ${e.state} (${e.cause}) after ${fmtDur(e.tS - tFault)}`,
    });
  }

  // Order: the pair's switchover-ordered naming from->to, or the new primary's own promotion.
  const end = s.completedAtS ?? Infinity;
  const order = events.find(
    (e) =>
      e.tS >= s.detectedAtS - 1e-9 &&
      e.tS <= end &&
      ((e.component === s.pair &&
        e.state === 'switchover-ordered' &&
        e.cause.endsWith(`${s.from}->${s.to}`)) ||
        (e.component === s.to && e.state === 'promoting')),
  );
  const tOrder = order?.tS ?? s.detectedAtS;
  // A recovery is ordered once a stopped member runs again: the time to its order is the wait
  // for that member (a site or host down, a restart), not SCS deciding.
  const orderLabel = s.cause === 'recovery' ? 'wait for a member' : 'order';
  steps.push({
    label: orderLabel,
    t0: s.detectedAtS,
    t1: tOrder,
    critical: true,
    kind: 'order',
    note: order ? `${order.component} ${order.state}` : undefined,
    tip: order
      ? `${order.component} ${order.state} (${order.cause}) at ${fmtClock(order.tS, 0.001)}`
      : 'no order in the timeline',
  });
  if (tOrder > s.detectedAtS) path.push(`${orderLabel} ${fmtDur(tOrder - s.detectedAtS)}`);

  if (s.completedAtS === undefined) {
    steps.push({
      label: 'promotion',
      t0: tOrder,
      t1: tOrder,
      critical: true,
      kind: 'failed',
      note: s.outcome,
      tip: `${s.to} not promoted: ${s.outcome}`,
    });
    path.push(s.outcome);
    return { s, steps, totalS: undefined, clients: 0, path: path.join(' → ') };
  }
  steps.push({
    label: 'promotion',
    t0: tOrder,
    t1: s.completedAtS,
    critical: true,
    kind: 'promote',
    note: `${s.to} primary`,
    tip: `${s.to} primary in service after ${fmtDur(s.completedAtS - tOrder)}, at ${fmtClock(s.completedAtS, 0.001)}`,
  });
  path.push(`promotion ${fmtDur(s.completedAtS - tOrder)}`);

  // Clients back: reconnections to the new primary after it is in service.
  const nextOrder = events.find(
    (e) => e.tS > s.completedAtS! && e.component === s.pair && e.state === 'switchover-ordered',
  );
  const until = Math.min(nextOrder?.tS ?? Infinity, s.completedAtS + CLIENT_WINDOW_S);
  const clients = events.filter(
    (e) =>
      e.tS >= s.completedAtS! &&
      e.tS <= until &&
      BACK_STATES.has(e.state) &&
      e.component !== s.to &&
      (e.component.startsWith(`${s.to}:`) ||
        e.component.endsWith(`>${s.to}`) ||
        e.cause.split(' ')[0] === s.to),
  );
  const shown = clients.slice(-CLIENT_ROWS_MAX);
  const last = clients[clients.length - 1];
  for (const e of shown) {
    steps.push({
      label: `${e.component} ${e.state}`,
      t0: s.completedAtS,
      t1: e.tS,
      critical: e === last,
      kind: 'client',
      tip: `${e.component} ${e.state} (${e.cause}) ${fmtDur(e.tS - s.completedAtS)} after the promotion`,
    });
  }
  if (last) path.push(`clients back ${fmtDur(last.tS - s.completedAtS)} (${last.component})`);
  const endS = last?.tS ?? s.completedAtS;
  return { s, steps, totalS: endS - tFault, clients: clients.length, path: path.join(' → ') };
}

export function waterfallSvg(w: Waterfall): string {
  const t0 = w.steps[0]!.t0;
  const tEnd = Math.max(...w.steps.map((x) => x.t1), t0 + 1);
  const span = tEnd - t0;
  const x = linear(t0 - span * 0.02, tEnd + span * 0.02, LABEL_W, W - 60);
  const { step, ticks } = timeTicks(0, tEnd + span * 0.02 - t0, 6);
  const height = AXIS_H + w.steps.length * ROW_H + 4;
  const out: string[] = [];
  for (const t of ticks) {
    const tx = px(x(t0 + t));
    out.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${AXIS_H - 4}" y2="${height - 2}"/><text class="tick" x="${tx}" y="${AXIS_H - 7}" text-anchor="middle">+${esc(fmtRel(t, step))}</text>`,
    );
  }
  w.steps.forEach((st, i) => {
    const y = AXIS_H + i * ROW_H;
    const cls = `wf ${st.kind}${st.critical ? ' crit' : ''}`;
    out.push(
      `<text class="rl${st.critical ? ' top' : ''}" x="6" y="${y + 13}">${esc(fit(st.label.trim(), LABEL_W - 10))}<title>${esc(st.tip)}</title></text>`,
    );
    const a = x(st.t0);
    const label = (at: number, text: string, bad = false): void => {
      const room = W - at - 4;
      const full = text.length * 5.8 <= room;
      out.push(
        full || at < W / 2
          ? `<text class="wl${bad ? ' bad' : ''}" x="${px(at)}" y="${y + 13}">${esc(fit(text, room))}</text>`
          : `<text class="wl${bad ? ' bad' : ''}" x="${px(a - 9)}" y="${y + 13}" text-anchor="end">${esc(fit(text, a - 9 - LABEL_W))}</text>`,
      );
    };
    if (st.kind === 'fault' || st.kind === 'failed' || st.t1 - st.t0 < 1e-9) {
      out.push(
        `<path class="${cls}" d="M${px(a)},${y + 3}L${px(a + 6)},${y + 9}L${px(a)},${y + 15}L${px(a - 6)},${y + 9}Z"><title>${esc(st.tip)}</title></path>`,
      );
      const text =
        st.kind === 'fault'
          ? fmtClock(st.t0, 0.001)
          : st.kind === 'failed'
            ? (st.note ?? 'failed')
            : `0 s${st.note ? ` · ${st.note}` : ''}`;
      label(a + 9, text, st.kind === 'failed');
      return;
    }
    const wd = Math.max(x(st.t1) - a, 2);
    out.push(
      `<rect class="${cls}" x="${px(a)}" y="${y + 3}" width="${px(wd)}" height="${ROW_H - 6}"><title>${esc(st.tip)}</title></rect>`,
    );
    const text = `${fmtDur(st.t1 - st.t0)}${st.note ? ` · ${st.note}` : ''}`;
    const after = W - (a + wd + 4) - 4;
    if (text.length * 5.8 > after && wd > Math.min(text.length * 5.8, 120) + 8) {
      out.push(
        `<text class="wl in" x="${px(a + 4)}" y="${y + 13}">${esc(fit(text, wd - 8))}</text>`,
      );
    } else {
      label(a + wd + 4, text);
    }
  });
  return `<svg class="waterfall" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="switchover ${esc(w.s.pair)}">${out.join('')}</svg>`;
}

function fmtRel(t: number, step: number): string {
  if (step >= 60) return `${Math.round(t / 60)} min`;
  return `${t.toFixed(step >= 1 ? 0 : step >= 0.1 ? 1 : 2)} s`;
}

/** Every switchover of a replication as a titled waterfall, in detection order (two columns, or one). */
export function waterfallsHtml(
  d: ReportData,
  rep: number,
  inv?: Inventory,
  oneColumn = false,
): string {
  const events = d.timeline.filter((e) => e.rep === rep);
  const list = d.switchovers
    .filter((s) => s.rep === rep)
    .sort(
      (a, b) => a.detectedAtS - b.detectedAtS || (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0),
    );
  if (list.length === 0) return '<p class="note">No switchover in this replication.</p>';
  const cards = list.slice(0, WATERFALLS_MAX).map((s) => {
    const w = waterfallOf(d, s, events, inv);
    const ok = s.completedAtS !== undefined;
    const head = `${s.pair}${s.redundancy ? ` (${s.redundancy})` : ''}: ${s.from} → ${s.to}${s.cause ? `, ${s.cause}` : ''}`;
    const figures = ok
      ? `in service ${fmtDur(s.completedAtS! - (s.faultAtS ?? s.detectedAtS))} after the ${s.faultAtS !== undefined ? 'fault' : 'detection'}${w.clients > 0 && w.totalS !== undefined ? `, last client back after ${fmtDur(w.totalS)}` : ''}`
      : s.outcome;
    const calls =
      s.callsDropped > 0 || s.callsDegraded > 0
        ? ` · calls dropped ${s.callsDropped}, degraded ${s.callsDegraded}`
        : '';
    return `<figure class="wfcard${ok ? '' : ' failed'}"><figcaption><b>${esc(head)}</b> <span class="${ok ? '' : 'bad'}">${esc(figures)}</span>${esc(calls)}<br><span class="path">critical path: ${esc(w.path)}</span></figcaption>${waterfallSvg(w)}</figure>`;
  });
  const more =
    list.length > WATERFALLS_MAX
      ? `<p class="note">${list.length - WATERFALLS_MAX} more switchover(s) in switchovers.csv.</p>`
      : '';
  return `<div class="wfgrid${oneColumn ? ' one' : ''}">${cards.join('')}</div>${more}`;
}
