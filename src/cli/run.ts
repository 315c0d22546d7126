// `ccsim run`: load and validate every scenario first (nothing runs if any is invalid), run the
// replications, write each report directory atomically, print a summary.

import chalk from 'chalk';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { InputError, printable, type InputIssue } from '../scenario/errors.js';
import type { ScenarioSpec } from '../spec/types.js';
import { preflightOut, StagedReportDir } from '../report/write.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { REPORT_HTML, reportHtml } from '../report/html.js';
import { packText, whatIfOfSpec } from '../report/whatif-input.js';
import { meanInterval } from '../report/interval.js';
import {
  NullSink,
  ReportAssembler,
  collectFiles,
  type RenderedReplication,
  type ReportSink,
} from '../report/render.js';
import { EXIT_FAILED, EXIT_OK } from './errors.js';
import {
  evaluateExpectations,
  expectationJson,
  expectationLines,
  numericSummaryRow,
  type ExpectOutcome,
} from './expectations.js';
import type { SummaryRow } from '../report/summary.js';
import { KEY_METRICS, type KeyMetric } from '../report/key-metrics.js';
import { SHARD_DATA_FILE, SHARD_FILE, shardDataFrame, shardDataStart } from '../report/shard.js';
import { usageError, type ShardSpec } from './args.js';
import { streamReplicationItems, withRunner, type Timed } from './pool.js';
import {
  PRECISION_REPLICATIONS_MAX,
  parsePrecision,
  runToPrecision,
  type PrecisionResult,
} from './precision.js';
import { progressBar } from './progress.js';
import { planRuns, runJson, shardManifestText, type ScenarioPlan } from './run-plan.js';

export interface RunFlags {
  topology?: string;
  seed?: number;
  replications?: number;
  set: string[];
  out?: string;
  workers?: number;
  /** Run only this replication (0-based, as in summary.csv). */
  replication?: number;
  shard?: ShardSpec;
  /** METRIC=HALFWIDTH targets. */
  precision?: string[];
  replicationsMax?: number;
  html?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Loads every scenario, collecting the issues of all of them before failing. */
export function loadAll(
  files: readonly string[],
  flags: Pick<RunFlags, 'topology' | 'seed' | 'replications' | 'set'>,
): ScenarioSpec[] {
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
      if (e instanceof InputError) for (const i of e.issues) issues.push(i);
      else throw e;
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return specs;
}

export function defaultOutDir(spec: ScenarioSpec): string {
  return join('reports', `${spec.name}--${spec.topology.name}`);
}

/**
 * How replay hints start: `npx ccsim` runs the project's own bin from the repository after the
 * quick start (`ccsim` alone is on PATH only after `npm link`).
 */
export const REPLAY_PREFIX = 'npx ccsim';

/** The command that replays one replication (`--topology` when the run replaced the scenario's). */
export function replayCommand(
  spec: Pick<ScenarioSpec, 'file' | 'seed' | 'sets'>,
  replication?: number,
  topology?: string,
): string {
  const parts = ['run', spec.file, '--seed', String(spec.seed)];
  if (topology !== undefined) parts.push('--topology', topology);
  if (replication !== undefined) parts.push('--replication', String(replication));
  for (const s of spec.sets) parts.push('--set', s);
  return printable([REPLAY_PREFIX, ...parts.map(shellWord)].join(' '));
}

/**
 * A word as a POSIX shell reads it back unchanged: plain words as they are, anything else in
 * single quotes (no `$(…)`, backtick or `$VAR` expands inside them; a `'` is written `'\''`).
 */
export function shellWord(word: string): string {
  if (/^[\w./=:,@%+-]+$/.test(word) && !/^[-=]/.test(word)) return word;
  if (/^--?[\w-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function runCommand(
  files: string[],
  flags: RunFlags,
  argv: string[],
): Promise<number> {
  if (flags.replication !== undefined && flags.replications !== undefined) {
    usageError('--replication runs that one replication: leave out --replications');
  }
  const targets = parsePrecision(flags.precision ?? []);
  if (targets.length > 0 && (flags.replication !== undefined || flags.shard !== undefined)) {
    usageError(
      '--precision decides the number of replications: it cannot be combined with --replication or --shard',
    );
  }
  if (flags.replicationsMax !== undefined && targets.length === 0)
    usageError('--replications-max goes with --precision');
  const specs = loadAll(files, flags);
  const outDirOf = (spec: ScenarioSpec): string =>
    flags.out
      ? specs.length > 1
        ? join(flags.out, `${spec.name}--${spec.topology.name}`)
        : flags.out
      : defaultOutDir(spec);
  // Refuse a directory we would not replace, or cannot write, before spending time on the simulation.
  for (const spec of specs) preflightOut(outDirOf(spec));
  const replicationsMax = flags.replicationsMax ?? PRECISION_REPLICATIONS_MAX;
  const replay = (spec: ScenarioSpec, r: number): string => replayCommand(spec, r, flags.topology);
  const plans = planRuns(specs, flags);
  // Each scenario's directory is staged now and its replications' records are written to it as
  // they end (in replication order), so that a run holds a few numbers a replication, not its
  // records, however many there are.
  const runs: ScenarioRun[] = [];
  const summaries: { spec: ScenarioSpec; dir: string; rows: SummaryRow[] }[] = [];
  try {
    for (const plan of plans) runs.push(openScenarioRun(plan, outDirOf(plan.spec), flags.shard));
    const t0 = process.hrtime.bigint();
    await withRunner(flags.workers ?? 1, async (runner) => {
      if (targets.length > 0) {
        for (const run of runs) {
          const progress = progressBar(`${run.spec.name} (precision)`, replicationsMax, flags);
          try {
            const r = await runToPrecision(
              runner,
              run.spec,
              targets,
              replicationsMax,
              replay,
              (rep) => takeReplication(run, rep),
              progress,
            );
            run.precision = r.results;
          } finally {
            progress.stop();
          }
        }
        return;
      }
      const owner = plans.flatMap((p, i) => p.mine.map(() => runs[i]!));
      const items = plans.flatMap((p) =>
        p.mine.map((it) => ({ spec: p.spec, replication: it.replication })),
      );
      const progress = progressBar('replications', items.length, flags);
      try {
        await streamReplicationItems(
          runner,
          items,
          replay,
          (k, r) => takeReplication(owner[k]!, r),
          progress,
        );
      } finally {
        progress.stop();
      }
    });
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    // A signal that came during the run is handled here, before anything is renamed into place.
    await yieldToLoop();
    runs.forEach((run, i) => {
      const rows = commitScenarioRun(run, { flags, argv, wallS, replicationsMax, plan: plans[i]! });
      summaries.push({ spec: run.spec, dir: run.dir, rows });
    });
  } finally {
    // Committed directories are in place; any other (a failed run) is removed.
    for (const run of runs) run.staged.abandon();
  }
  // The scenario's expect: lines, evaluated as `ccsim check` does. A shard holds only a slice of
  // the replications: its expectations are judged by `ccsim merge`, over all of them.
  const judged = summaries.map((s) =>
    flags.shard !== undefined
      ? { ...s, outcomes: [], deferred: s.spec.expect.length }
      : { ...s, outcomes: judgeRun(s.spec, s.rows, (r) => replay(s.spec, r)) },
  );
  return reportJudged(judged, flags, (s) => summaryTable(s.spec, s.rows, s.dir));
}

/** A scenario's replications with its expect: lines judged over them (run, merge). */
export interface JudgedRun {
  spec: ScenarioSpec;
  dir: string;
  rows: readonly SummaryRow[];
  outcomes: readonly ExpectOutcome[];
  /** A shard: this many expect: lines are judged at merge, none here. */
  deferred?: number;
}

/** The scenario's expect: lines evaluated over the rows (none without rows). */
export function judgeRun(
  spec: ScenarioSpec,
  rows: readonly SummaryRow[],
  replay: (replication: number) => string,
): ExpectOutcome[] {
  return rows.length === 0
    ? []
    : evaluateExpectations(spec.expect, rows.map(numericSummaryRow), replay);
}

/**
 * Prints judged runs as `ccsim run` does (`head`, then the expect: section; --quiet: failed lines
 * only; --json: one document), and on stderr how many failed; returns the exit code (1 if any did).
 */
export function reportJudged(
  judged: readonly JudgedRun[],
  flags: { quiet?: boolean; json?: boolean },
  head: (run: JudgedRun) => string,
): number {
  const failed = judged.reduce((n, s) => n + s.outcomes.filter((o) => !o.result.pass).length, 0);
  if (flags.json) {
    const json = judged.map((s) => ({
      scenario: s.spec.name,
      topology: s.spec.topology.name,
      dir: s.dir,
      ok: s.outcomes.every((o) => o.result.pass),
      expectations: s.outcomes.map(expectationJson),
      ...(s.deferred !== undefined ? { expectations_judged_at_merge: s.deferred } : {}),
      summary: s.rows,
    }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    for (const s of judged) {
      const lines = s.outcomes.flatMap((o) => expectationLines(o, flags.quiet));
      if (!flags.quiet) {
        process.stdout.write(head(s));
        if (s.deferred !== undefined && s.deferred > 0)
          process.stdout.write(
            `  ${chalk.dim(`expect: ${s.deferred} line(s) judged by ccsim merge, over the replications of every shard`)}\n`,
          );
      }
      if (lines.length > 0)
        process.stdout.write(
          `${flags.quiet ? chalk.bold(s.spec.name) : chalk.dim('  expect:')}\n${lines.join('\n')}\n`,
        );
    }
  }
  if (failed > 0 && !flags.json)
    process.stderr.write(
      `${chalk.red(`${failed} expectation(s) failed`)}: exit 1 (the report directories are written)\n`,
    );
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** One scenario of a run: its staged report directory and what its replications left. */
interface ScenarioRun {
  spec: ScenarioSpec;
  dir: string;
  staged: StagedReportDir;
  /** The staged directory; for a shard nothing (it writes summary.csv and its data only). */
  sink: ReportSink;
  asm: ReportAssembler;
  /**
   * A shard's work items, in the order its replications end: each is appended to shard-data as
   * it ends (merge builds the files from them); `taken` of them so far.
   */
  shardItems?: readonly number[];
  taken: number;
  /** Wall time of its replications, s (run.json). */
  wallS: number;
  precision?: PrecisionResult[];
}

function openScenarioRun(plan: ScenarioPlan, dir: string, shard?: ShardSpec): ScenarioRun {
  const { spec } = plan;
  const staged = new StagedReportDir(dir);
  const sink = shard === undefined ? staged : new NullSink();
  if (shard !== undefined) staged.append(SHARD_DATA_FILE, shardDataStart(spec));
  return {
    spec,
    dir,
    staged,
    sink,
    asm: new ReportAssembler(spec, sink),
    shardItems: shard === undefined ? undefined : plan.mine.map((it) => it.item),
    taken: 0,
    wallS: 0,
  };
}

/** A replication of the scenario has ended (they come in replication order). */
function takeReplication(run: ScenarioRun, r: Timed<RenderedReplication>): void {
  run.asm.add(r.value);
  run.wallS += r.wallS;
  if (run.shardItems !== undefined)
    run.staged.append(SHARD_DATA_FILE, shardDataFrame(run.shardItems[run.taken]!, r.value));
  run.taken++;
}

/**
 * Writes what is computed across the scenario's replications, run.json, the page (--html) or a
 * shard's files, and renames the directory into place; returns the summary rows.
 */
function commitScenarioRun(
  run: ScenarioRun,
  ctx: {
    flags: RunFlags;
    argv: string[];
    wallS: number;
    replicationsMax: number;
    plan: ScenarioPlan;
  },
): SummaryRow[] {
  const { spec, asm, sink, shardItems, precision } = run;
  const { flags, plan } = ctx;
  const { rows } = asm;
  const computed = rows.length > 0 ? asm.finish() : new Map<string, string>();
  const extra: Record<string, unknown> = {
    replications: rows.length,
    replication_indices: rows.map((r) => Number(r.replication)),
    expect: spec.expect.map((e) => e.text),
    topology_flag: flags.topology ?? null,
    workers: flags.workers ?? 1,
  };
  if (precision !== undefined)
    extra.precision = { replications_max: ctx.replicationsMax, targets: precision };
  if (flags.shard !== undefined)
    extra.shard = { index: flags.shard.index, count: flags.shard.count };
  const timing = {
    wallS: ctx.wallS,
    replicationWallS: run.wallS,
    events: rows.reduce((n, r) => n + Number(r.events), 0),
    simS: rows.reduce((n, r) => n + Number(r.sim_s), 0),
  };
  const runText = runJson(spec, ctx.argv, timing, extra);
  const written = new Map<string, string | Uint8Array>(computed);
  written.set('run.json', runText);
  if (flags.html && rows.length > 0 && shardItems === undefined) {
    // The page reads every file: those written so far are read back.
    const all = collectFiles(spec, computed, sink);
    all.set('run.json', runText);
    written.set(
      REPORT_HTML,
      reportHtml(all, {
        topology: spec.topology,
        ...whatIfOfSpec(spec, flags.topology),
        pack: packText,
      }),
    );
  }
  if (flags.shard !== undefined && shardItems !== undefined) {
    // A shard keeps summary.csv of its slice, to look at: any other file may aggregate over
    // the replications; `ccsim merge` builds them all from shard-data (appended as they ended).
    const mine = plan.mine;
    for (const name of [...written.keys()])
      if (name !== 'summary.csv' && name !== 'run.json') written.delete(name);
    written.set(
      SHARD_FILE,
      shardManifestText(
        flags.shard,
        spec,
        { command: 'run', sets: spec.sets, items: plan.items },
        rows.map((row, j) => ({ item: mine[j]!.item, row })),
      ),
    );
  }
  run.staged.commit(written);
  for (const p of precision ?? []) {
    if (!p.met) {
      process.stderr.write(
        `${chalk.yellow('warning')} ${spec.name}: ${p.metric}: 95% half-width ${p.half_width.toPrecision(4)} after ${rows.length} replications, target ${p.half_width_target} (raise --replications-max)\n`,
      );
    }
  }
  return rows;
}

/** Key figures the HTML report has but the terminal table leaves out (room). */
const NOT_IN_TABLE: ReadonlySet<string> = new Set(['calls_abandoned', 'dr_switchovers']);
/** The terminal table: the key figures, times labelled with their unit. */
const SHOWN: readonly KeyMetric[] = KEY_METRICS.filter((m) => !NOT_IN_TABLE.has(m.col)).map(
  (m) => ({
    ...m,
    label: m.col.endsWith('_s') ? `${m.label} (s)` : m.label,
  }),
);

function summaryTable(spec: ScenarioSpec, rows: readonly SummaryRow[], dir: string): string {
  const lines: string[] = [];
  lines.push(
    chalk.bold(`${spec.name} on ${spec.topology.name}`) +
      chalk.dim(
        `  seed ${spec.seed}, ${rows.length} replication(s), ${spec.durationMs / 1000} s simulated`,
      ),
  );
  if (rows.length === 0)
    return `${lines[0]}\n  ${chalk.dim(`no replication in this shard; report: ${dir}`)}\n`;
  const shown: readonly KeyMetric[] =
    spec.failures.length > 0
      ? [...SHOWN, { col: 'center_availability', label: 'center availability' }]
      : SHOWN;
  // Without traffic there is no call to count: one line says so instead of rows of zeros with
  // the interval a count of random events would have.
  let callsSaid = false;
  for (const { col, label, bad, ofCalls } of shown) {
    if (spec.traffic === undefined && (ofCalls || col.startsWith('calls_'))) {
      if (!callsSaid)
        lines.push(`  ${'calls'.padEnd(22)} ${chalk.dim('none (no traffic in this scenario)')}`);
      callsSaid = true;
      continue;
    }
    if (ofCalls && rows.every((r) => Number(r.calls_offered) === 0)) {
      lines.push(`  ${label.padEnd(22)} ${chalk.dim('– (no call offered)')}`);
      continue;
    }
    const values = rows.map((r) => Number(r[col]));
    const s = meanInterval(col, values);
    const digits = col.endsWith('_s')
      ? 3
      : col === 'service_level'
        ? 4
        : col === 'center_availability'
          ? 6
          : 0;
    let text = s.mean.toFixed(digits);
    if (rows.length > 1)
      text += chalk.dim(`  [${s.low.toFixed(digits)}, ${s.high.toFixed(digits)}]`);
    // Red when any replication is worth a look (a service level below target, a drop, …).
    const colored =
      bad && rows.some((r) => bad(Number(r[col]), (c) => Number(r[c]))) ? chalk.red(text) : text;
    lines.push(`  ${label.padEnd(22)} ${colored}`);
  }
  lines.push(chalk.dim(`  report: ${dir}`));
  return `${lines.join('\n')}\n`;
}
