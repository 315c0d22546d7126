// The report page proper: report.html from a report directory's files (name → text) — header,
// one section per replication (timeline, switchover waterfalls, agents, calls, reporting data)
// and the spread across replications. No file access: `../html.ts` reads and writes the files,
// and the page's what-if draws a re-run's sections with the same functions.

import { summarize } from '../../sim/stats.js';
import { meanInterval } from '../interval.js';
import { InputError } from '../../scenario/errors.js';
import type { TopologySpec } from '../../spec/types.js';
import { KEY_METRICS } from '../key-metrics.js';
import { CsvError } from './csv-parse.js';
import { readReportData, ReportDataError, type ReportData } from './data.js';
import { esc } from './escape.js';
import { detailWindows, ganttSvg } from './gantt.js';
import { inferInventory, inventoryFromTopology, type Inventory } from './inventory.js';
import {
  agentsChartSvg,
  callsChartSvg,
  dataLossHtml,
  DISTRIBUTION_METRICS,
  distributionHtml,
  formatMetric,
  keyFiguresHtml,
} from './charts.js';
import { packedScriptHtml, pageHtml } from './page.js';
import { legendHtml, STATE_LEGEND } from './svg.js';
import { waterfallsHtml } from './waterfall.js';
import { whatIfData, whatIfFormHtml, whatIfScripts, type WhatIfInput } from './whatif.js';

/** Replications with their own time charts: data.ts keeps their rows only. */
export { REPLICATIONS_SHOWN_MAX } from './data.js';

export interface HtmlOptions {
  /** The run's topology: lists components that never changed and groups hosts by site. */
  topology?: TopologySpec;
  /** Why the topology is missing, shown on the page. */
  topologyNote?: string;
  /** What the page needs for its what-if (SPEC §5.5); without it the page has none. */
  whatIf?: WhatIfInput;
  /** Why the page has no what-if, shown on the page. */
  whatIfNote?: string;
  /**
   * Packs text as gzip, base64 (whatif-input.ts, packText). With it, the page shows the first
   * replication's time charts drawn and carries the others packed, unpacked the first time
   * each is chosen (page.ts): the page does not grow fourfold with the replications. Without
   * it, every replication is drawn as it is written.
   */
  pack?: (text: string) => string;
}

/**
 * The data last read from a map of files, with the texts it was read from: `ccsim report` reads
 * a directory's files once to refuse a broken one before anything is written, then draws the
 * page from them; the second read (most of the page's CPU on a long run: a year's intervals.csv
 * is tens of MB) is this one, as long as no file changed in between.
 */
const lastRead = new WeakMap<
  ReadonlyMap<string, string>,
  { texts: Map<string, string>; data: ReportData }
>();

function unchanged(
  files: ReadonlyMap<string, string>,
  texts: ReadonlyMap<string, string>,
): boolean {
  if (files.size !== texts.size) return false;
  for (const [name, text] of files) if (texts.get(name) !== text) return false;
  return true;
}

export function readData(files: ReadonlyMap<string, string>, where: string): ReportData {
  const last = lastRead.get(files);
  if (last !== undefined && unchanged(files, last.texts)) return last.data;
  try {
    const data = readReportData(files);
    lastRead.set(files, { texts: new Map(files), data });
    return data;
  } catch (e) {
    if (e instanceof ReportDataError || e instanceof CsvError) {
      throw new InputError([
        { file: where, path: '', message: `not a readable report directory: ${e.message}` },
      ]);
    }
    throw e;
  }
}

export function inventoryOf(d: ReportData, opts: HtmlOptions): Inventory {
  return opts.topology ? inventoryFromTopology(opts.topology) : inferInventory(d);
}

/** report.html for a report directory's files (name → text), e.g. the map `ccsim run` writes. */
export function reportHtml(files: ReadonlyMap<string, string>, opts: HtmlOptions = {}): string {
  const d = readData(files, 'report directory');
  const inv = inventoryOf(d, opts);
  const m = d.meta;
  const title = `${m.scenario.name} on ${m.topology.name}`;
  const shown = d.shown;
  const body: string[] = [];
  body.push(`<header><h1>ccsim report: ${esc(title)}</h1>${metaHtml(d)}</header>`);
  if (!inv.complete) {
    body.push(
      `<p class="note">${esc(opts.topologyNote ?? 'The topology was not available')}: components that never changed state are not listed, and hosts are not grouped by site.</p>`,
    );
  }
  const whatIf = opts.whatIf ? whatIfData(opts.whatIf, d.replications, files) : undefined;
  if (whatIf) body.push(whatIfFormHtml(whatIf));
  else if (opts.whatIfNote)
    body.push(`<p class="note">No what-if in this page: ${esc(opts.whatIfNote)}.</p>`);
  if (d.replications.length > 1) {
    const options = shown
      .map((r) => `<option value="${r}">replication ${r}${repBrief(d, r)}</option>`)
      .join('');
    const more =
      d.replications.length > shown.length
        ? ` <span class="note">(time charts for the first ${shown.length} of ${d.replications.length}; the distribution below uses all)</span>`
        : '';
    body.push(
      `<nav class="reps"><label>Replication <select id="rep">${options}</select></label>${more} · <a href="#dist">across replications</a></nav>`,
    );
  }
  // The what-if redraws what is inside #results from a re-run.
  body.push('<div id="results">');
  const packed: string[] = [];
  shown.forEach((rep, i) => {
    const html = replicationHtml(d, inv, rep, i > 0);
    if (i === 0 || opts.pack === undefined) body.push(html);
    else {
      body.push(lateReplicationHtml(rep));
      // Outside #results, which the what-if redraws.
      packed.push(packedScriptHtml(`class="ccsim-rep" data-rep="${rep}"`, opts.pack(html)));
    }
  });
  if (d.replications.length > 1) body.push(acrossHtml(d));
  body.push('</div>');
  body.push(...packed);
  body.push(
    `<footer>Written by ccsim${m.version ? ` ${esc(m.version)}` : ''} from the report directory's CSV files; every figure here is in those files. Hover a bar or a point for its values.</footer>`,
  );
  return pageHtml(
    `ccsim: ${title}`,
    body.join('\n'),
    {
      kind: 'report',
      scenario: m.scenario,
      topology: m.topology,
      seed: m.seed,
      version: m.version,
      replications: d.replications,
      shown,
      summary: d.summary.rows,
    },
    whatIf && opts.whatIf ? whatIfScripts(whatIf, opts.whatIf.bundle) : '',
  );
}

/** A replication's section until it is first chosen (page.ts draws it from its packed copy). */
function lateReplicationHtml(rep: number): string {
  return `<section class="rep" data-rep="${rep}" data-late="1" hidden><h2>Replication ${rep}</h2><p class="note late">Replication ${rep} is drawn when chosen.</p></section>`;
}

export function repBrief(d: ReportData, rep: number): string {
  const row = d.summary.rows.find((r) => Number(r['replication']) === rep);
  if (!row) return '';
  const bits: string[] = [];
  if (row['switchover_max_s'] !== undefined)
    bits.push(
      `switchover max ${formatMetric('switchover_max_s', Number(row['switchover_max_s']))}`,
    );
  if (row['calls_dropped'] !== undefined) bits.push(`${row['calls_dropped']} dropped`);
  return bits.length > 0 ? ` — ${esc(bits.join(', '))}` : '';
}

export function metaHtml(d: ReportData): string {
  const m = d.meta;
  const item = (k: string, v: string): string =>
    v === '' ? '' : `<dt>${esc(k)}</dt><dd>${v}</dd>`;
  const named = (x: { name: string; file: string; digest: string }): string =>
    `${esc(x.name)}${x.file ? ` <code>${esc(x.file)}</code>` : ''}${x.digest ? ` <span class="note" title="SHA-256 ${esc(x.digest)}">sha256 ${esc(x.digest.slice(0, 12))}…</span>` : ''}`;
  const durations = [...new Set(d.durationS.values())];
  return `<dl class="meta">${[
    item('scenario', named(m.scenario)),
    item('topology', named(m.topology)),
    item('seed', esc(m.seed)),
    item('replications', esc(d.replications.length)),
    item('simulated', durations.length === 1 ? esc(formatMetric('sim_s', durations[0])) : ''),
    item('--set', m.sets.map((s) => `<code>${esc(s)}</code>`).join(' ')),
    item('ccsim version', esc(m.version)),
    item('command', m.command.length > 0 ? `<code>${esc(m.command.join(' '))}</code>` : ''),
  ].join('')}</dl>`;
}

export function replicationHtml(
  d: ReportData,
  inv: Inventory,
  rep: number,
  hidden: boolean,
): string {
  const row = d.summary.rows.find((r) => Number(r['replication']) === rep) ?? {};
  const windows = detailWindows(d, rep);
  const parts: string[] = [];
  parts.push(`<h2>Replication ${rep}</h2>`);
  parts.push(keyFiguresHtml(row));
  parts.push('<h3>Timeline</h3>');
  parts.push(
    `${legendHtml([...STATE_LEGEND, { cls: 'fault', label: 'fault active' }, { cls: 'mk', label: 'event: switchover order, warning, hang detected' }, { cls: 'area', label: 'share of a group’s desktops on the site' }])}`,
  );
  parts.push(`<div class="timeline">${ganttSvg(d, inv, rep)}</div>`);
  for (const w of windows)
    parts.push(
      `<h4>Close-up ${esc(w.title)}</h4><div class="timeline detail">${ganttSvg(d, inv, rep, w)}</div>`,
    );
  parts.push('<h3>Switchovers</h3>');
  parts.push(
    '<p class="note">Each switchover from its fault: detection, the order, the promotion of the backup and the clients reconnecting to it; the critical path is drawn solid, parallel steps light.</p>',
  );
  parts.push(waterfallsHtml(d, rep, inv));
  parts.push('<h3>Agents logged in per site</h3>');
  parts.push(agentsChartSvg(d, rep));
  parts.push('<h3>Calls over time</h3>');
  parts.push(callsChartSvg(d, rep));
  parts.push('<h3>Reporting data per IDB</h3>');
  parts.push(dataLossHtml(d, rep));
  return `<section class="rep" data-rep="${rep}"${hidden ? ' hidden' : ''}>${parts.join('\n')}</section>`;
}

function statsRows(d: ReportData, metrics: readonly string[]): string {
  return metrics
    .filter((c) => d.summary.columns.includes(c))
    .map((c) => {
      const values = d.summary.rows.map((r) => Number(r[c]));
      const s = summarize(values);
      const iv = meanInterval(c, values); // inside the metric's domain (report/interval.ts)
      const f = (v: number): string => esc(formatMetric(c, v));
      return `<tr><td>${esc(c)}</td><td class="n">${f(s.mean)}</td><td class="n">${f(iv.low)} – ${f(iv.high)}</td><td class="n">${f(s.min)}</td><td class="n">${f(s.p50)}</td><td class="n">${f(s.p95)}</td><td class="n">${f(s.max)}</td></tr>`;
    })
    .join('');
}

export function acrossHtml(d: ReportData): string {
  const metrics = [...new Set([...KEY_METRICS.map((k) => k.col), ...DISTRIBUTION_METRICS])];
  return `<section id="dist"><h2>Across ${d.replications.length} replications</h2><table class="data"><thead><tr><th>metric</th><th class="n">mean</th><th class="n">95 % interval of the mean</th><th class="n">min</th><th class="n">p50</th><th class="n">p95</th><th class="n">max</th></tr></thead><tbody>${statsRows(d, metrics)}</tbody></table><p class="note">Each dot is a replication; the box spans the quartiles with the median, the whisker min to max, the red mark is the mean.</p>${distributionHtml(d)}</section>`;
}
