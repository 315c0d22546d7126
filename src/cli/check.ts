// `ccsim check <scenario or dir...>`: runs scenarios (or reads report directories of earlier
// runs) and evaluates their `expect:` lines (SPEC §4); with --baseline, flags metrics worse than
// a stored run by more than --tolerance percent. Exit 1 when anything fails; --junit writes the
// outcome as JUnit XML.

import chalk from 'chalk';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpectation } from '../scenario/expect.js';
import { InputError, printable, type InputIssue } from '../scenario/errors.js';
import { SUMMARY_COLUMNS, SUMMARY_METRIC_COLUMNS } from '../scenario/columns.js';
import type { Expectation, ScenarioSpec } from '../spec/types.js';
import { summarize } from '../sim/stats.js';
import { directionOf } from '../report/direction.js';
import { deltaOf, hasColumn, runWarnings, type CompareRun } from '../report/compare.js';
import { compareRunOf } from './compare.js';
import { formatValue } from '../report/expectations.js';
import { runDocuments, runScenarioOf } from '../report/whatif-input.js';
import { metric as fmtMetric } from '../report/format.js';
import { junitXml, type JunitCase, type JunitSuite } from '../report/junit.js';
import { writeFileAtomic } from '../report/write.js';
import { EXIT_FAILED, EXIT_OK } from './errors.js';
import { checkOutFile } from './out-file.js';
import { limitError, withRunner } from './pool.js';
import { progressBar } from './progress.js';
import { isDirectory, readReportDir } from './report-dir.js';
import { planRuns, workloadDigest } from './run-plan.js';
import { loadAll, replayCommand } from './run.js';
import {
  evaluateExpectations,
  expectationJson,
  expectationLines,
  numericRow,
  summaryRowText,
} from './expectations.js';

export interface CheckFlags {
  topology?: string;
  seed?: number;
  replications?: number;
  set: string[];
  workers?: number;
  baseline?: string;
  tolerance?: number;
  junit?: string;
  quiet?: boolean;
  /** Print the result as JSON on stdout instead of lines. */
  json?: boolean;
}

/** Default --tolerance: percent a metric may be worse than the baseline before it fails. */
export const TOLERANCE_PCT_DEFAULT = 5;

/** A run to check: a scenario just run, or a report directory read back. */
interface Target {
  source: string;
  scenario: string;
  topology: string;
  seed: string;
  expectations: Expectation[];
  /** Summary rows as written in summary.csv (numbers as read back from their text). */
  rows: Record<string, number>[];
  /** The same rows as summary.csv's text (column → cell). */
  cells: Record<string, string>[];
  /** run.json's workload_digest (length, traffic, faults), when known. */
  workload?: string;
  replay: (replication: number) => string;
  /** summary.csv's header of a report directory (another ccsim version may lack some); else all. */
  columns?: readonly string[];
  wallS: number;
  /** What the user should know before reading the verdicts (a report directory's scenario changed). */
  notes?: string[];
  /** An invariant of the simulator failed: no rows. */
  error?: { message: string; replay: string };
}

interface BaselineResult {
  metric: string;
  pass: boolean;
  current: number;
  baseline: number;
  message: string;
}

/**
 * A report directory keeps the expect: lines of its run. When the scenario file it names no
 * longer reads, or changed since (run.json's digests), checking the directory judges those
 * lines, not the file's: said, so that a gate on cached report directories is not misread.
 */
function staleScenario(run: Record<string, unknown>): string | undefined {
  const named = runScenarioOf(run);
  if (named === undefined) return undefined;
  const judged = "the run's expect: lines (kept in its directory) are judged";
  const read = runDocuments(named);
  if (!('drift' in read)) return undefined;
  return read.drift === 'changed'
    ? `the scenario ${named.file} or its topology changed since this run: ${judged}, not the file's (check the file to run it anew)`
    : `the scenario ${named.file} named by the run does not read from here: ${judged}`;
}

/** A warning under a run's header; its text may quote a report directory's own: escaped. */
function warningLine(w: string): string {
  return `  ${chalk.yellow('warning')} ${printable(w)}`;
}

function fromDirectory(dir: string): Target {
  const r = readReportDir(dir);
  const expectText = r.run.expect;
  if (!Array.isArray(expectText)) {
    throw new InputError([
      {
        file: join(dir, 'run.json'),
        path: 'expect',
        message: 'no expect: lines recorded',
        hint: 'written by an older ccsim: rerun the scenario with ccsim run, or check the scenario file',
      },
    ]);
  }
  const issues: InputIssue[] = [];
  const expectations: Expectation[] = [];
  expectText.forEach((t, i) => {
    const p = parseExpectation(t);
    if (p.ok) expectations.push(p.value);
    else
      issues.push({
        file: join(dir, 'run.json'),
        path: `expect[${i}]`,
        message: p.message,
        ...(p.expected !== undefined ? { expected: p.expected } : {}),
      });
  });
  // A column an expect: line reads cannot be judged without (any other may be missing).
  expectations.forEach((e, i) => {
    if (!r.columns.includes(e.metric))
      issues.push({
        file: join(dir, 'summary.csv'),
        path: '',
        message: `lacks column ${e.metric}, which expect[${i}] "${e.text}" needs`,
        hint: 'written by an older ccsim: rerun the scenario with ccsim run, or check the scenario file',
      });
  });
  if (issues.length > 0) throw new InputError(issues);
  const scenario = (r.run.scenario ?? {}) as { file?: string };
  const spec = {
    file: scenario.file ?? '<scenario>',
    seed: Number(r.rows[0]!.seed),
    sets: Array.isArray(r.run.sets) ? (r.run.sets as string[]) : [],
  };
  const topologyFlag = typeof r.run.topology_flag === 'string' ? r.run.topology_flag : undefined;
  const stale = staleScenario(r.run);
  return {
    ...(stale !== undefined ? { notes: [stale] } : {}),
    source: dir,
    scenario: r.rows[0]!.scenario!,
    topology: r.rows[0]!.topology!,
    seed: r.rows[0]!.seed!,
    expectations,
    rows: r.rows.map(numericRow),
    cells: r.rows,
    ...(typeof r.run.workload_digest === 'string' ? { workload: r.run.workload_digest } : {}),
    replay: (rep) => replayCommand(spec, rep, topologyFlag),
    columns: r.columns,
    wallS: 0,
  };
}

async function fromScenarios(files: string[], flags: CheckFlags): Promise<Target[]> {
  if (files.length === 0) return [];
  const specs = loadAll(files, flags);
  const plans = planRuns(specs, {});
  const items = plans.flatMap((p) =>
    p.mine.map((it) => ({ kind: 'summary' as const, spec: p.spec, replication: it.replication })),
  );
  const progress = progressBar('check', items.length, flags);
  let outcomes;
  try {
    outcomes = await withRunner(flags.workers ?? 1, (runner) =>
      runner.run(items, progress, { stopOnFailure: false }),
    );
  } finally {
    progress.stop();
  }
  let at = 0;
  return plans.map((p) => {
    const spec: ScenarioSpec = p.spec;
    const mine = outcomes.slice(at, (at += p.mine.length));
    const replay = (rep: number): string => replayCommand(spec, rep, flags.topology);
    const target: Target = {
      source: spec.file,
      scenario: spec.name,
      topology: spec.topology.name,
      seed: String(spec.seed),
      expectations: spec.expect,
      rows: [],
      cells: [],
      workload: workloadDigest(spec),
      replay,
      wallS: 0,
    };
    for (let i = 0; i < mine.length; i++) {
      const o = mine[i];
      const replication = p.mine[i]!.replication;
      // A bound of ccsim, not the model: the input is too big (exit 2, as `run` says it).
      if (o !== undefined && !o.ok && o.error === 'SimLimitError')
        throw limitError(spec, replication, o.message);
      if (o === undefined || !o.ok) {
        target.error = {
          message: `seed ${spec.seed} replication ${replication}: ${o?.message ?? 'not run'}`,
          replay: replay(replication),
        };
        break;
      }
      if (o.kind !== 'summary') throw new Error('check: unexpected task outcome');
      target.wallS += o.wallS;
      // The values as summary.csv writes them, so that checking a directory agrees.
      const cells = summaryRowText(o.row);
      target.rows.push(numericRow(cells));
      target.cells.push(cells);
    }
    return target;
  });
}

/** The baseline run for a target: DIR itself, or DIR/<scenario>--<topology>/. */
function baselineDir(dir: string, t: Target, single: boolean): string | undefined {
  const sub = join(dir, `${t.scenario}--${t.topology}`);
  if (isDirectory(sub) && existsSync(join(sub, 'summary.csv'))) return sub;
  if (existsSync(join(dir, 'summary.csv'))) {
    const r = readReportDir(dir);
    if (single || (r.rows[0]!.scenario === t.scenario && r.rows[0]!.topology === t.topology))
      return dir;
  }
  return undefined;
}

/**
 * Baseline check: a metric fails when its mean is worse than the baseline's by more than the
 * tolerance AND the change is significant: the 95 % interval of (current − baseline), paired
 * over replications when seeds and replications match (Welch otherwise), excludes 0. With one
 * replication on a side there is no interval: the tolerance alone decides, and the line says so.
 */
function checkBaseline(
  t: Target,
  dir: string,
  tolerancePct: number,
): { warnings: string[]; metrics: BaselineResult[] } {
  const baseDir = readReportDir(dir);
  const baseRows = baseDir.rows;
  // As `ccsim compare <baseline> <current>` sees the two runs.
  const baseRun = compareRunOf(baseDir, 'baseline');
  const curRun: CompareRun = {
    label: 'current',
    dir: t.source,
    rows: t.cells,
    columns: t.columns ?? SUMMARY_COLUMNS,
    ...(t.workload !== undefined ? { workload: t.workload } : {}),
  };
  const base = baseRows.map(numericRow);
  const out: BaselineResult[] = [];
  for (const m of SUMMARY_METRIC_COLUMNS) {
    const dirn = directionOf(m);
    if (dirn === 'neutral' || !hasColumn(baseRun, m) || !hasColumn(curRun, m)) continue;
    const cur = t.rows.map((r) => r[m]!).filter((v) => !Number.isNaN(v));
    const old = base.map((r) => r[m]!).filter((v) => !Number.isNaN(v));
    if (cur.length === 0 || old.length === 0) continue;
    const c = summarize(cur).mean;
    const b = summarize(old).mean;
    const allowed = (Math.abs(b) * tolerancePct) / 100;
    const beyond = dirn === 'lower-is-better' ? c > b + allowed : c < b - allowed;
    const d = deltaOf(m, baseRun, curRun);
    const significant = d.significant ?? true; // no interval: the tolerance alone decides
    const pass = !(beyond && significant);
    const change =
      b !== 0
        ? `${c >= b ? '+' : ''}${(((c - b) / Math.abs(b)) * 100).toFixed(1)}%`
        : c === b
          ? '0%'
          : 'from 0';
    const test =
      d.low === undefined || d.high === undefined
        ? 'one replication: no significance test'
        : `${d.test === 'paired' ? 'paired' : "Welch's"} 95% interval of the change [${fmtMetric(m, d.low)}, ${fmtMetric(m, d.high)}]${d.significant ? '' : ', not significant'}`;
    out.push({
      metric: m,
      pass,
      current: c,
      baseline: b,
      message: `${m} mean ${formatValue(m, c)} vs baseline ${formatValue(m, b)} (${change}; ${dirn.replace(/-/g, ' ')}, tolerance ${tolerancePct}%; ${test})`,
    });
  }
  return { warnings: runWarnings([baseRun, curRun]), metrics: out };
}

export async function checkCommand(args: string[], flags: CheckFlags): Promise<number> {
  const dirs = args.filter(isDirectory);
  const files = args.filter((a) => !isDirectory(a));
  const runFlags = [
    flags.set.length > 0 && '--set',
    flags.seed !== undefined && '--seed',
    flags.topology !== undefined && '--topology',
    flags.replications !== undefined && '--replications',
  ].filter(Boolean);
  if (dirs.length > 0 && runFlags.length > 0) {
    process.stderr.write(
      `${chalk.yellow('warning')} ${runFlags.join(', ')} apply to scenario files only, not to the report directories ${dirs.join(', ')}\n`,
    );
  }
  // As --out: a file is replaced only if ccsim wrote it as this output (before any run).
  if (flags.junit !== undefined) checkOutFile(flags.junit, '--junit', 'junit');
  if (flags.baseline !== undefined && !isDirectory(flags.baseline)) {
    throw new InputError([
      {
        file: '--baseline',
        path: '',
        message: 'not a directory',
        expected: 'a report directory of ccsim run, or a directory of them',
        found: JSON.stringify(flags.baseline),
      },
    ]);
  }
  // Read every directory first so that input problems stop everything before a run starts.
  const fromDirs = new Map(dirs.map((d) => [d, fromDirectory(d)]));
  const ran = await fromScenarios(files, flags);
  const targets = args.map((a) => fromDirs.get(a) ?? ran[files.indexOf(a)]!);
  const tolerance = flags.tolerance ?? TOLERANCE_PCT_DEFAULT;

  const suites: JunitSuite[] = [];
  const out: string[] = [];
  const results: Record<string, unknown>[] = [];
  let passed = 0;
  let failed = 0;
  for (const t of targets) {
    const name = `${t.scenario} on ${t.topology}`;
    const classname = `ccsim.${t.scenario}.${t.topology}`;
    const cases: JunitCase[] = [];
    const json = {
      scenario: t.scenario,
      topology: t.topology,
      source: t.source,
      seed: Number(t.seed),
      replications: t.rows.length,
      error: t.error ?? null,
      warnings: t.notes ?? [],
      expectations: [] as Record<string, unknown>[],
      baseline: null as null | {
        dir: string | null;
        warnings: string[];
        metrics: BaselineResult[];
      },
    };
    results.push(json);
    out.push(
      chalk.bold(printable(name)) +
        chalk.dim(printable(`  ${t.source}, seed ${t.seed}, ${t.rows.length} replication(s)`)),
    );
    for (const n of t.notes ?? []) out.push(warningLine(n));
    if (t.error !== undefined) {
      failed++;
      out.push(
        `  ${chalk.red('ERROR')} invariant failed: ${t.error.message}`,
        `        replay: ${t.error.replay}`,
      );
      cases.push({
        name: 'run',
        classname,
        error: {
          message: `invariant failed: ${t.error.message}`,
          type: 'invariant',
          details: `replay: ${t.error.replay}`,
        },
      });
    } else {
      if (t.expectations.length === 0) out.push(chalk.dim('  no expect: lines'));
      for (const o of evaluateExpectations(t.expectations, t.rows, t.replay)) {
        out.push(...expectationLines(o, flags.quiet));
        if (o.result.pass) {
          passed++;
          cases.push({ name: o.text, classname });
        } else {
          failed++;
          cases.push({
            name: o.text,
            classname,
            failure: {
              message: `${o.text}: ${o.detail}`,
              type: 'expectation',
              details: `${o.detail}\nreplay: ${o.replay}`,
            },
          });
        }
        json.expectations.push(expectationJson(o));
      }
      if (flags.baseline !== undefined) {
        const bdir = baselineDir(flags.baseline, t, targets.length === 1);
        json.baseline = { dir: bdir ?? null, warnings: [], metrics: [] };
        if (bdir === undefined) {
          const w = `no baseline for ${name} in ${flags.baseline}`;
          json.baseline.warnings.push(w);
          out.push(warningLine(w));
          // A CI dashboard shows what was not compared, not only what passed.
          cases.push({
            name: 'baseline',
            classname: `${classname}.baseline`,
            skipped: { message: w },
          });
        } else {
          const compared = checkBaseline(t, bdir, tolerance);
          json.baseline.warnings = compared.warnings;
          for (const w of compared.warnings) out.push(warningLine(w));
          for (const b of compared.metrics) {
            json.baseline.metrics.push(b);
            const caseName = `baseline: ${b.metric}`;
            if (b.pass) {
              passed++;
              cases.push({ name: caseName, classname: `${classname}.baseline` });
            } else {
              failed++;
              out.push(`  ${chalk.red('WORSE')} ${b.message}`);
              cases.push({
                name: caseName,
                classname: `${classname}.baseline`,
                failure: {
                  message: b.message,
                  type: 'baseline',
                  details: `${b.message}\nbaseline: ${bdir}`,
                },
              });
            }
          }
        }
      }
    }
    suites.push({
      name,
      timeS: t.wallS,
      properties: { source: t.source, seed: t.seed, replications: String(t.rows.length) },
      cases,
    });
  }
  out.push(`check: ${targets.length} run(s): ${passed} passed, ${failed} failed`);
  if (flags.junit !== undefined) writeFileAtomic(flags.junit, junitXml('ccsim check', suites));
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ ok: failed === 0, passed, failed, runs: results }, null, 2)}\n`,
    );
  else process.stdout.write(`${out.join('\n')}\n`);
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}
