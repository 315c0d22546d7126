// report.html: one self-contained page (inline SVG, CSS and script; no network) built from a
// report directory's files — timeline of every component, switchover waterfalls, agents and
// calls over time, reporting-data loss, spread across replications — and `compareHtml`, the
// same for several runs side by side. Reads results only, never live components.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { loadTopology } from '../scenario/load.js';
import { compareRuns } from './compare.js';
import { writeFileAtomic } from './write.js';
import { packText, whatIfOfReportDir } from './whatif-input.js';
import { REQUIRED_FILES } from './html/data.js';
import { esc } from './html/escape.js';
import { ganttSvg } from './html/gantt.js';
import {
  agentsChartSvg,
  callsChartSvg,
  dataLossHtml,
  DISTRIBUTION_METRICS,
  formatMetric,
  stripSvg,
} from './html/charts.js';
import { pageHtml } from './html/page.js';
import { inventoryOf, readData, reportHtml, type HtmlOptions } from './html/report.js';
import { legendHtml, STATE_LEGEND } from './html/svg.js';
import { waterfallsHtml } from './html/waterfall.js';

export { reportHtml, REPLICATIONS_SHOWN_MAX, type HtmlOptions } from './html/report.js';

export const REPORT_HTML = 'report.html';
/** Runs whose switchover waterfalls a comparison shows in columns (more: one above the other). */
const SIDE_BY_SIDE_MAX = 3;

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
  return writeHtmlFile(
    join(dir, REPORT_HTML),
    reportHtml(files, { ...runTopology(files), ...whatIfOfReportDir(files), pack: packText }),
  );
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
  body.push(stacked('Calls over time', (r, rep) => callsChartSvg(r.d, rep)));
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
