// `ccsim compare <dir> <dir> [...] [--csv F]`: per metric, each run's mean and 95% interval and
// its difference from the first run (paired or Welch, see src/report/compare.ts); significant
// worse differences in red, better in green.

import chalk from 'chalk';
import {
  compareCsv,
  compareRuns,
  pairable,
  runWarnings,
  type CompareRun,
  type Delta,
  type Interval,
} from '../report/compare.js';
import { metric as fmtMetric } from '../report/format.js';
import { writeFileAtomic } from '../report/write.js';
import { printable } from '../scenario/errors.js';
import { EXIT_OK } from './errors.js';
import { readReportDir, type ReportDir } from './report-dir.js';

export interface CompareFlags {
  csv?: string;
  /** Also write an HTML page with the runs side by side. */
  html?: string;
  quiet?: boolean;
  /** Print the comparison as JSON on stdout instead of the table. */
  json?: boolean;
}

function fmtInterval(metric: string, iv: Interval | Delta, signed = false): string {
  if (Number.isNaN(iv.mean)) return '-';
  const f = (v: number): string => {
    const s = fmtMetric(metric, v);
    return signed && v > 0 ? `+${s}` : s;
  };
  return iv.low === undefined || iv.high === undefined
    ? f(iv.mean)
    : `${f(iv.mean)} [${fmtMetric(metric, iv.low)}, ${fmtMetric(metric, iv.high)}]`;
}

import { compareHtml, writeHtmlFile } from '../report/html.js';
import { checkOutFile } from './out-file.js';

/** A report directory read back as a run to compare (its rows, columns and workload digest). */
export function compareRunOf(r: ReportDir, label: string): CompareRun {
  return {
    label,
    dir: r.dir,
    rows: r.rows,
    columns: r.columns,
    ...(typeof r.run.workload_digest === 'string' ? { workload: r.run.workload_digest } : {}),
  };
}

export function compareCommand(dirs: string[], flags: CompareFlags): number {
  // As --out: a file is replaced only if ccsim wrote it as this output (before any work).
  if (flags.csv !== undefined) checkOutFile(flags.csv, '--csv', 'compare-csv');
  if (flags.html !== undefined) checkOutFile(flags.html, '--html', 'compare-html');
  const runs: CompareRun[] = dirs.map((dir, i) =>
    compareRunOf(
      readReportDir(dir),
      String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : ''),
    ),
  );
  const table = compareRuns(runs);
  if (flags.csv !== undefined) writeFileAtomic(flags.csv, compareCsv(runs, table));
  if (flags.html !== undefined)
    writeHtmlFile(flags.html, compareHtml(runs.map((r) => ({ label: r.label, dir: r.dir }))));
  const warnings = runWarnings(runs);
  if (flags.json) {
    const json = {
      runs: runs.map((r) => ({
        label: r.label,
        dir: r.dir,
        scenario: r.rows[0]?.scenario,
        topology: r.rows[0]?.topology,
        seeds: [...new Set(r.rows.map((x) => Number(x.seed)))],
        replications: r.rows.length,
      })),
      warnings,
      metrics: table,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT_OK;
  }
  // Warnings and the runs' lines quote the directories' own text (paths, scenario names, a
  // summary.csv's header): escaped before they reach the terminal.
  for (const w of warnings) process.stderr.write(`${chalk.yellow('warning')} ${printable(w)}\n`);
  if (flags.quiet) return EXIT_OK;

  const lines: string[] = [];
  for (const r of runs) {
    const first = r.rows[0]!;
    const seeds = [...new Set(r.rows.map((x) => x.seed))].join(',');
    lines.push(
      `${chalk.bold(r.label)} = ${printable(r.dir)}  ${chalk.dim(printable(`${first.scenario} on ${first.topology}, seed ${seeds}, ${r.rows.length} replication(s)`))}`,
    );
  }
  for (const r of runs.slice(1)) {
    const test = pairable(runs[0]!, r)
      ? 'paired over replications (same seed and replication indices)'
      : "Welch's t (runs not paired)";
    lines.push(chalk.dim(`${r.label} − A: ${test}; * = the 95% interval excludes 0`));
  }
  const head = ['metric', `${runs[0]!.label} mean [95%]`];
  for (const r of runs.slice(1)) head.push(`${r.label} mean [95%]`, `${r.label} − A [95%]`);
  const body: { cells: string[]; colors: ((s: string) => string)[] }[] = [];
  for (const m of table) {
    const cells = [m.metric, fmtInterval(m.metric, m.runs[0]!)];
    const colors: ((s: string) => string)[] = [(s) => s, (s) => s];
    for (let i = 1; i < runs.length; i++) {
      const d = m.deltas[i]!;
      const color = d.worse ? chalk.red : d.better ? chalk.green : (s: string): string => s;
      cells.push(
        fmtInterval(m.metric, m.runs[i]!),
        `${fmtInterval(m.metric, d, true)}${d.significant ? ' *' : ''}`,
      );
      colors.push(color, color);
    }
    body.push({ cells, colors });
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b.cells[i]!.length)));
  lines.push(head.map((h, i) => h.padEnd(widths[i]!)).join('  '));
  for (const b of body)
    lines.push(
      b.cells
        .map((c, i) => b.colors[i]!(c) + ' '.repeat(widths[i]! - c.length))
        .join('  ')
        .trimEnd(),
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
