// report.html: one self-contained page (inline SVG, CSS and script; no network) built from a
// report directory's files — timeline of every component, switchover waterfalls, agents and
// calls over time, reporting-data loss, spread across replications — and `compareHtml`, the
// same for several runs side by side. Reads results only, never live components.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { summarize } from '../sim/stats.js';
import { InputError } from '../scenario/errors.js';
import { loadTopology } from '../scenario/load.js';
import type { TopologySpec } from '../spec/types.js';
import { compareRuns } from './compare.js';
import { writeFileAtomic } from './write.js';
import { CsvError } from './html/csv-parse.js';
import { readReportData, ReportDataError, REQUIRED_FILES, type ReportData } from './html/data.js';
import { esc } from './html/escape.js';
import { detailWindows, ganttSvg } from './html/gantt.js';
import { inferInventory, inventoryFromTopology, type Inventory } from './html/inventory.js';
import {
  agentsChartSvg,
  callsChartSvg,
  dataLossHtml,
  DISTRIBUTION_METRICS,
  distributionHtml,
  formatMetric,
  keyFiguresHtml,
  stripSvg,
} from './html/charts.js';
import { KEY_METRICS } from './key-metrics.js';
import { pageHtml } from './html/page.js';
import { legendHtml, STATE_LEGEND } from './html/svg.js';
import { waterfallsHtml } from './html/waterfall.js';

export const REPORT_HTML = 'report.html';
/** Replications with their own time charts (the distribution uses every replication). */
export const REPLICATIONS_SHOWN_MAX = 20;
/** Runs whose switchover waterfalls a comparison shows in columns (more: one above the other). */
const SIDE_BY_SIDE_MAX = 3;

export interface HtmlOptions {
  /** The run's topology: lists components that never changed and groups hosts by site. */
  topology?: TopologySpec;
  /** Why the topology is missing, shown on the page. */
  topologyNote?: string;
}

function readData(files: ReadonlyMap<string, string>, where: string): ReportData {
  try {
    return readReportData(files);
  } catch (e) {
    if (e instanceof ReportDataError || e instanceof CsvError) {
      throw new InputError([
        { file: where, path: '', message: `not a readable report directory: ${e.message}` },
      ]);
    }
    throw e;
  }
}

function inventoryOf(d: ReportData, opts: HtmlOptions): Inventory {
  return opts.topology ? inventoryFromTopology(opts.topology) : inferInventory(d);
}

/** report.html for a report directory's files (name → text), e.g. the map `ccsim run` writes. */
export function reportHtml(files: ReadonlyMap<string, string>, opts: HtmlOptions = {}): string {
  const d = readData(files, 'report directory');
  const inv = inventoryOf(d, opts);
  const m = d.meta;
  const title = `${m.scenario.name} on ${m.topology.name}`;
  const shown = d.replications.slice(0, REPLICATIONS_SHOWN_MAX);
  const body: string[] = [];
  body.push(`<header><h1>ccsim report: ${esc(title)}</h1>${metaHtml(d)}</header>`);
  if (!inv.complete) {
    body.push(
      `<p class="note">${esc(opts.topologyNote ?? 'The topology was not available')}: components that never changed state are not listed, and hosts are not grouped by site.</p>`,
    );
  }
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
  shown.forEach((rep, i) => body.push(replicationHtml(d, inv, rep, i > 0)));
  if (d.replications.length > 1) body.push(acrossHtml(d));
  body.push(
    `<footer>Written by ccsim${m.version ? ` ${esc(m.version)}` : ''} from the report directory's CSV files; every figure here is in those files. Hover a bar or a point for its values.</footer>`,
  );
  return pageHtml(`ccsim: ${title}`, body.join('\n'), {
    kind: 'report',
    scenario: m.scenario,
    topology: m.topology,
    seed: m.seed,
    version: m.version,
    replications: d.replications,
    shown,
    summary: d.summary.rows,
  });
}

function repBrief(d: ReportData, rep: number): string {
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

function metaHtml(d: ReportData): string {
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

function replicationHtml(d: ReportData, inv: Inventory, rep: number, hidden: boolean): string {
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
  parts.push('<h3>Calls per 15 minutes</h3>');
  parts.push(callsChartSvg(d, rep));
  parts.push('<h3>Reporting data per IDB</h3>');
  parts.push(dataLossHtml(d, rep));
  return `<section class="rep" data-rep="${rep}"${hidden ? ' hidden' : ''}>${parts.join('\n')}</section>`;
}

function statsRows(d: ReportData, metrics: readonly string[]): string {
  return metrics
    .filter((c) => d.summary.columns.includes(c))
    .map((c) => {
      const s = summarize(d.summary.rows.map((r) => Number(r[c])));
      const f = (v: number): string => esc(formatMetric(c, v));
      return `<tr><td>${esc(c)}</td><td class="n">${f(s.mean)}</td><td class="n">${f(s.ci95Low)} – ${f(s.ci95High)}</td><td class="n">${f(s.min)}</td><td class="n">${f(s.p50)}</td><td class="n">${f(s.p95)}</td><td class="n">${f(s.max)}</td></tr>`;
    })
    .join('');
}

function acrossHtml(d: ReportData): string {
  const metrics = [...new Set([...KEY_METRICS.map((k) => k.col), ...DISTRIBUTION_METRICS])];
  return `<section id="dist"><h2>Across ${d.replications.length} replications</h2><table class="data"><thead><tr><th>metric</th><th class="n">mean</th><th class="n">95 % interval of the mean</th><th class="n">min</th><th class="n">p50</th><th class="n">p95</th><th class="n">max</th></tr></thead><tbody>${statsRows(d, metrics)}</tbody></table><p class="note">Each dot is a replication; the box spans the quartiles with the median, the whisker min to max, the red mark is the mean.</p>${distributionHtml(d)}</section>`;
}

// --- Reading a report directory -------------------------------------------------------------

function notReportDir(dir: string, found: string): InputError {
  return new InputError([
    {
      file: dir,
      path: '',
      message: 'not a report directory',
      expected: `a directory written by ccsim run (with ${REQUIRED_FILES.join(', ')})`,
      found,
    },
  ]);
}

/** The files of a report directory (name → text). Throws InputError when it is not one. */
export function readReportFiles(dir: string): Map<string, string> {
  if (!existsSync(dir)) throw notReportDir(dir, 'nothing at that path');
  if (!statSync(dir).isDirectory()) throw notReportDir(dir, 'a file');
  const names = readdirSync(dir).sort();
  const missing = REQUIRED_FILES.filter((f) => !names.includes(f));
  if (missing.length > 0) throw notReportDir(dir, `no ${missing.join(' or ')}`);
  const files = new Map<string, string>();
  for (const n of names)
    if ((n.endsWith('.csv') || n === 'run.json') && statSync(join(dir, n)).isFile())
      files.set(n, readFileSync(join(dir, n), 'utf8'));
  readData(files, dir); // every problem with the content is reported now, as input
  return files;
}

/**
 * The topology run.json names, when its file is still there unchanged (same SHA-256); otherwise
 * a note saying why the page infers the components instead.
 */
export function runTopology(files: ReadonlyMap<string, string>): HtmlOptions {
  const text = files.get('run.json');
  if (text === undefined) return { topologyNote: 'No run.json, so the topology is unknown' };
  let file: unknown;
  let digest: unknown;
  try {
    const raw = JSON.parse(text) as { topology?: { file?: unknown; digest?: unknown } };
    file = raw.topology?.file;
    digest = raw.topology?.digest;
  } catch {
    return { topologyNote: 'run.json is not JSON' };
  }
  if (typeof file !== 'string' || file === '')
    return { topologyNote: 'run.json names no topology file' };
  const path = isAbsolute(file) ? file : resolve(file);
  if (!existsSync(path))
    return { topologyNote: `The topology file ${file} is not found from ${process.cwd()}` };
  try {
    const topology = loadTopology(path);
    if (typeof digest === 'string' && digest !== '' && topology.digest !== digest)
      return { topologyNote: `The topology file ${file} changed since the run` };
    return { topology };
  } catch (e) {
    if (e instanceof InputError)
      return { topologyNote: `The topology file ${file} does not load any more` };
    throw e;
  }
}

/** Writes a page atomically (writeFileAtomic); returns its absolute path. */
export function writeHtmlFile(file: string, html: string): string {
  writeFileAtomic(file, html);
  return resolve(file);
}

/** Writes DIR/report.html from the directory's own files, atomically. */
export function writeReportHtml(dir: string): string {
  const files = readReportFiles(dir);
  return writeHtmlFile(join(dir, REPORT_HTML), reportHtml(files, runTopology(files)));
}

// --- Several runs side by side --------------------------------------------------------------

/**
 * An HTML page putting two or more report directories side by side: the main metrics with
 * deltas against the first run, their spread per run, and each run's timeline, agents and
 * calls (first replication). Throws InputError when a directory is not a report directory.
 */
export function compareHtml(dirs: { label: string; dir: string }[]): string {
  if (dirs.length === 0)
    throw new InputError([
      { file: 'compare', path: '', message: 'no report directory to compare' },
    ]);
  const runs = dirs.map(({ label, dir }) => {
    const files = readReportFiles(dir);
    const opts = runTopology(files);
    const d = readData(files, dir);
    return { label, dir, d, inv: inventoryOf(d, opts) };
  });
  const base = runs[0]!;
  const body: string[] = [];
  body.push(
    `<header><h1>ccsim comparison: ${runs.map((r) => esc(r.label)).join(' vs ')}</h1></header>`,
  );
  const runRows = runs
    .map(
      (r) =>
        `<tr><td><b>${esc(r.label)}</b></td><td><code>${esc(r.dir)}</code></td><td>${esc(r.d.meta.scenario.name)}</td><td>${esc(r.d.meta.topology.name)}</td><td class="n">${esc(r.d.meta.seed)}</td><td class="n">${r.d.replications.length}</td><td>${r.d.meta.sets.map((s) => `<code>${esc(s)}</code>`).join(' ')}</td><td>${esc(r.d.meta.version)}</td></tr>`,
    )
    .join('');
  body.push(
    `<table class="data"><thead><tr><th>run</th><th>directory</th><th>scenario</th><th>topology</th><th class="n">seed</th><th class="n">replications</th><th>--set</th><th>version</th></tr></thead><tbody>${runRows}</tbody></table>`,
  );

  // The same comparison as `ccsim compare` prints: intervals, paired or Welch differences.
  const table = compareRuns(
    runs.map((r) => ({ label: r.label, dir: r.dir, rows: r.d.summary.rows })),
  ).filter((m) => m.runs.every((iv) => iv.n > 0));
  const metrics = table.map((m) => m.metric);
  const signed = (c: string, v: number): string =>
    `${v > 0 ? '+' : v < 0 ? '−' : '±'}${formatMetric(c, Math.abs(v))}`;
  const interval = (
    c: string,
    low: number | undefined,
    high: number | undefined,
    sign = false,
  ): string =>
    low === undefined || high === undefined
      ? ''
      : ` <span class="note">[${esc(sign ? signed(c, low) : formatMetric(c, low))}, ${esc(sign ? signed(c, high) : formatMetric(c, high))}]</span>`;
  const head = runs
    .map(
      (r, i) =>
        `<th class="n">${esc(r.label)}</th>${i > 0 ? `<th class="n">${esc(r.label)} − ${esc(base.label)}</th>` : ''}`,
    )
    .join('');
  const rows = table
    .map((m) => {
      const c = m.metric;
      const cells = m.runs
        .map((iv, i) => {
          let cell = `<td class="n">${esc(formatMetric(c, iv.mean))}${interval(c, iv.low, iv.high)}</td>`;
          const d = m.deltas[i];
          if (d !== undefined) {
            const cls = d.worse ? 'worse' : d.better ? 'better' : '';
            cell += `<td class="n ${cls}" title="${esc(d.test === 'paired' ? 'paired over replications' : "Welch's t")}">${esc(signed(c, d.mean))}${interval(c, d.low, d.high, true)}${d.significant ? ' *' : ''}</td>`;
          }
          return cell;
        })
        .join('');
      return `<tr><td>${esc(c)}</td>${cells}</tr>`;
    })
    .join('');
  body.push(
    `<h2>Metrics (mean across replications)</h2><table class="data"><thead><tr><th>metric</th>${head}</tr></thead><tbody>${rows}</tbody></table>`,
  );
  body.push(
    '<p class="note">Brackets: 95 % intervals. Differences from the first run are paired over replications when the runs share seed and replications, Welch otherwise; * the interval excludes 0. Red: worse, green: better (metrics describing the load are never coloured).</p>',
  );
  if (runs.some((r) => r.d.replications.length > 1)) {
    const plots = metrics
      .filter((c) => DISTRIBUTION_METRICS.includes(c))
      .map((c) =>
        stripSvg(
          c,
          runs.map((r) => ({
            label: r.label,
            points: r.d.summary.rows.map((x) => ({
              rep: Number(x['replication']),
              v: Number(x[c]),
            })),
          })),
        ),
      );
    body.push(`<h2>Spread across replications</h2><div class="strips">${plots.join('')}</div>`);
  }
  // Timelines and time charts one above the other at full width (same time axis, readable
  // labels); switchover waterfalls, which are narrow, side by side.
  const heading = (r: (typeof runs)[number]): string =>
    `<h4>${esc(r.label)} — replication ${r.d.replications[0] ?? 0}</h4>`;
  const stacked = (title: string, f: (r: (typeof runs)[number], rep: number) => string): string =>
    `<h2>${esc(title)}</h2>${runs.map((r) => `<div class="run">${heading(r)}${r.d.replications.length > 0 ? f(r, r.d.replications[0]!) : ''}</div>`).join('')}`;
  const side = (title: string, f: (r: (typeof runs)[number], rep: number) => string): string =>
    `<h2>${esc(title)}</h2><div class="runs" style="grid-template-columns: repeat(${runs.length}, minmax(0, 1fr))">${runs.map((r) => `<div>${heading(r)}${r.d.replications.length > 0 ? f(r, r.d.replications[0]!) : ''}</div>`).join('')}</div>`;
  body.push(
    stacked(
      'Timeline',
      (r, rep) =>
        `${legendHtml(STATE_LEGEND)}<div class="timeline">${ganttSvg(r.d, r.inv, rep)}</div>`,
    ),
  );
  const waterfalls = (r: (typeof runs)[number], rep: number): string =>
    waterfallsHtml(r.d, rep, r.inv);
  body.push(
    runs.length <= SIDE_BY_SIDE_MAX
      ? side('Switchovers', (r, rep) => waterfallsHtml(r.d, rep, r.inv, true))
      : stacked('Switchovers', waterfalls),
  );
  body.push(stacked('Agents logged in per site', (r, rep) => agentsChartSvg(r.d, rep)));
  body.push(stacked('Calls per 15 minutes', (r, rep) => callsChartSvg(r.d, rep)));
  body.push(stacked('Reporting data per IDB', (r, rep) => dataLossHtml(r.d, rep)));
  return pageHtml(`ccsim compare: ${runs.map((r) => r.label).join(' vs ')}`, body.join('\n'), {
    kind: 'compare',
    runs: runs.map((r) => ({
      label: r.label,
      dir: r.dir,
      scenario: r.d.meta.scenario,
      topology: r.d.meta.topology,
      seed: r.d.meta.seed,
      summary: r.d.summary.rows,
    })),
    shown: [],
  });
}
