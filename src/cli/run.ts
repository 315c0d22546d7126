// `ccsim run`: load and validate every scenario first (nothing runs if any is invalid), run the
// replications, write each report directory atomically, print a summary.

import chalk from 'chalk';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { InputError, type InputIssue } from '../scenario/errors.js';
import type { ScenarioSpec } from '../scenario/types.js';
import { SimAssertionError, SimLimitError } from '../sim/index.js';
import { removeStaleTemps, writeReportDir } from '../report/write.js';
import { summarize } from '../sim/stats.js';
import { buildFiles, runOne } from './execute.js';
import { EXIT_OK, RunFailure } from './errors.js';
import { VERSION } from './version.js';
import type { SummaryRow } from '../report/summary.js';
import type { ReplicationOutput } from '../report/files.js';

export interface RunFlags {
  topology?: string;
  seed?: number;
  replications?: number;
  set: string[];
  out?: string;
  workers?: number;
  html?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Loads every scenario, collecting the issues of all of them before failing. */
export function loadAll(files: readonly string[], flags: Pick<RunFlags, 'topology' | 'seed' | 'replications' | 'set'>): ScenarioSpec[] {
  const issues: InputIssue[] = [];
  const specs: ScenarioSpec[] = [];
  for (const f of files) {
    try {
      specs.push(
        loadScenario(f, {
          topologyPath: flags.topology,
          sets: flags.set,
          seed: flags.seed,
          replications: flags.replications,
        }),
      );
    } catch (e) {
      if (e instanceof InputError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return specs;
}

export function defaultOutDir(spec: ScenarioSpec): string {
  return join('reports', `${spec.name}--${spec.topology.name}`);
}

export function replayCommand(spec: ScenarioSpec, replication?: number): string {
  const parts = ['ccsim', 'run', spec.file, '--seed', String(spec.seed)];
  if (replication !== undefined && replication > 0) parts.push('--replications', String(replication + 1));
  for (const s of spec.sets) parts.push('--set', s);
  return parts.map((p) => (/^[\w./=:,-]+$/.test(p) ? p : JSON.stringify(p))).join(' ');
}

/** Runs every replication of a scenario in order (worker threads arrive with experiments). */
export function runReplications(spec: ScenarioSpec): ReplicationOutput[] {
  const reps: ReplicationOutput[] = [];
  for (let r = 0; r < spec.replications; r++) {
    try {
      reps.push(runOne(spec, r));
    } catch (e) {
      if (e instanceof SimAssertionError || e instanceof SimLimitError) {
        throw new RunFailure(`${spec.file} seed ${spec.seed} replication ${r}: ${e.message}`, replayCommand(spec, r));
      }
      throw e;
    }
  }
  return reps;
}

export function runCommand(files: string[], flags: RunFlags, argv: string[]): number {
  const specs = loadAll(files, flags);
  const summaries: { spec: ScenarioSpec; dir: string; rows: SummaryRow[] }[] = [];
  for (const spec of specs) {
    const dir = flags.out ? (specs.length > 1 ? join(flags.out, `${spec.name}--${spec.topology.name}`) : flags.out) : defaultOutDir(spec);
    const t0 = process.hrtime.bigint();
    const reps = runReplications(spec);
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const { rows, files: out } = buildFiles(spec, reps);
    const events = reps.reduce((n, r) => n + r.result.events, 0);
    const simS = reps.reduce((n, r) => n + r.result.simMs / 1000, 0);
    out.set(
      'run.json',
      `${JSON.stringify(
        {
          version: VERSION,
          command: ['ccsim', ...argv],
          scenario: { name: spec.name, file: spec.file, digest: spec.digest },
          topology: { name: spec.topology.name, file: spec.topology.file, digest: spec.topology.digest },
          seed: spec.seed,
          replications: spec.replications,
          sets: spec.sets,
          wall_s: wallS,
          events,
          events_per_s: wallS > 0 ? events / wallS : null,
          sim_s_per_wall_s: wallS > 0 ? simS / wallS : null,
          node: process.version,
        },
        null,
        2,
      )}\n`,
    );
    removeStaleTemps(dir);
    writeReportDir(dir, out);
    summaries.push({ spec, dir, rows });
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summaries.map((s) => ({ scenario: s.spec.name, topology: s.spec.topology.name, dir: s.dir, summary: s.rows })), null, 2)}\n`);
  } else if (!flags.quiet) {
    for (const s of summaries) process.stdout.write(summaryTable(s.spec, s.rows, s.dir));
  }
  return EXIT_OK;
}

const SHOWN: { col: keyof SummaryRow & string; label: string; bad?: (v: number) => boolean }[] = [
  { col: 'switchovers', label: 'switchovers' },
  { col: 'switchover_max_s', label: 'switchover max (s)' },
  { col: 'service_gap_max_s', label: 'service gap max (s)', bad: (v) => v > 0 },
  { col: 'split_brain_s', label: 'split brain (s)', bad: (v) => v > 0 },
  { col: 'calls_offered', label: 'calls offered' },
  { col: 'calls_dropped', label: 'calls dropped', bad: (v) => v > 0 },
  { col: 'calls_degraded', label: 'calls degraded', bad: (v) => v > 0 },
  { col: 'calls_rejected', label: 'calls rejected', bad: (v) => v > 0 },
  { col: 'service_level', label: 'service level' },
  { col: 'agents_impacted', label: 'agents impacted', bad: (v) => v > 0 },
  { col: 'agent_outage_max_s', label: 'agent outage max (s)', bad: (v) => v > 0 },
  { col: 'icon_lost_all', label: 'ICON events lost', bad: (v) => v > 0 },
];

function summaryTable(spec: ScenarioSpec, rows: readonly SummaryRow[], dir: string): string {
  const lines: string[] = [];
  lines.push(chalk.bold(`${spec.name} on ${spec.topology.name}`) + chalk.dim(`  seed ${spec.seed}, ${rows.length} replication(s), ${spec.durationMs / 1000} s simulated`));
  for (const { col, label, bad } of SHOWN) {
    const values = rows.map((r) => Number(r[col]));
    const s = summarize(values);
    const digits = col.endsWith('_s') ? 3 : col === 'service_level' ? 4 : 0;
    let text = s.mean.toFixed(digits);
    if (rows.length > 1) text += chalk.dim(`  [${s.ci95Low.toFixed(digits)}, ${s.ci95High.toFixed(digits)}]`);
    const colored = bad && bad(s.max) ? chalk.red(text) : text;
    lines.push(`  ${label.padEnd(22)} ${colored}`);
  }
  lines.push(chalk.dim(`  report: ${dir}`));
  return `${lines.join('\n')}\n`;
}
