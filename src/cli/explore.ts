// `ccsim explore <scenario> --runs N [--seed S] [--out DIR]`: random fault schedules against the
// scenario's `expect:` lines and the simulator's own invariants. Each run has a safety phase (the
// faults; calls accounted for and time never backwards are asserted inside every run) and a
// liveness phase, VOPR-style: after the last fault has cleared the run goes on for
// LIVENESS_SETTLE_MS, and then every pair must have exactly one primary in service, no SCS order
// may be pending and every agent must be logged in. How an `expect:` line is read against drawn
// faults (not judged / expected by the drawn fault / violated) is explore-judge.ts; what is
// drawn, explore-draw.ts. Each real violation is shrunk to a minimal schedule and written as a
// runnable scenario; exit 1 when any was found. With `--permanent P`, a share P of the schedules
// also lose something for good (a site, a host, or both hosts of a telephony pair: crashes with
// no end, drawn from a stream of their own so that the transient faults are those drawn without
// it); the liveness phase then judges what survives (src/models/liveness.ts).

import chalk from 'chalk';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parseDocument } from 'yaml';
import { Stream } from '../sim/index.js';
import { compareStrings } from '../sim/order.js';
import { loadScenario } from '../scenario/load.js';
import type { Expectation, FaultSpec, ScenarioSpec } from '../spec/types.js';
import type { FaultKind } from '../spec/kinds.js';
import { formatDuration } from '../scenario/duration.js';
import { evaluate } from '../report/expectations.js';
import { csv } from '../report/csv.js';
import { preflightOut, writeReportDir } from '../report/write.js';
import { groupOptions, personOptions, scenarioOptions } from '../models/options.js';
import { registrationCycleMs } from '../models/desktop/conf.js';
import { threadsFor, withRunner, type TaskRunner } from './pool.js';
import type { TaskOutcome } from './tasks.js';
import { scenarioIdentity } from './run-plan.js';
import { shellWord } from './run.js';
import { VERSION } from './version.js';
import { EXIT_FAILED, EXIT_OK } from './errors.js';
import { progressBar } from './progress.js';
import { REPLAY_PREFIX } from './run.js';
import { assertsHarm, CONVERGENCE, explainedBy, mechanismOf } from './explore-judge.js';
import {
  candidates,
  drawLoss,
  drawSchedule,
  isLoss,
  phaseOf,
  transientSpanMs,
  type Candidate,
  type Draft,
} from './explore-draw.js';

export {
  candidates,
  drawLoss,
  drawSchedule,
  FAULTS_PER_SCHEDULE_MAX,
  isLoss,
  type Candidate,
  type Draft,
} from './explore-draw.js';

export { CONVERGENCE } from './explore-judge.js';

export interface ExploreFlags {
  runs: number;
  seed?: number;
  out?: string;
  quiet?: boolean;
  /** Print the outcome as JSON on stdout instead of lines. */
  json?: boolean;
  /** Worker threads judging schedules at once (the outcome does not depend on it). */
  workers?: number;
  /** Share of schedules (0–1) that also lose something for good (default 0: none). */
  permanent?: number;
}

/** Schedules judged at once per worker thread (a batch is drawn, run, then read in order). */
const EXPLORE_BATCH_PER_THREAD = 4;
/** Bound on the runs spent shrinking one violation. */
export const SHRINK_RUNS_MAX = 120;
/** Liveness phase: the run goes on this long after the last fault of a schedule has cleared. */
export const LIVENESS_SETTLE_MS = 30 * 60_000;

interface Verdict {
  /** Lines violated that no fault of the schedule explains (and every invariant broken). */
  violated: string[];
  /** Lines broken by the mechanism of a drawn fault (explore-judge.ts): `line <- kind`. */
  byDesign: string[];
  error?: string;
  /** What did not settle among what survived (liveness.ts), when a convergence line broke. */
  unsettled?: string[];
}

/**
 * The longest registration cycle among a group's desktops, as they read it (desktop/conf.ts
 * registrationCycleMs, at the application, agent group or person level).
 */
export function regCycleMs(spec: ScenarioSpec, group: string): number {
  let ms = 0;
  const base = scenarioOptions(spec);
  for (const g of spec.topology.agentGroups) {
    if (g.group !== group) continue;
    const o = groupOptions(base, g);
    ms = Math.max(ms, registrationCycleMs(o));
    for (const p of g.persons) ms = Math.max(ms, registrationCycleMs(personOptions(o, p)));
  }
  return ms;
}

/** The schedule's run: long enough for the liveness phase after its last fault cleared. */
function withFaults(spec: ScenarioSpec, drafts: readonly Draft[]): ScenarioSpec {
  const faults = drafts.map((f, index) => ({ ...f, id: `f${index}`, index }) as FaultSpec);
  // A phone-unregister clears when the phones register again: within one registration cycle
  // of the group's desktops.
  const clearMs = (f: Draft) =>
    f.atMs + (f.kind === 'phone-unregister' ? regCycleMs(spec, f.target) : (f.durationMs ?? 0));
  const lastClearMs = drafts.reduce((m, f) => Math.max(m, clearMs(f)), 0);
  const durationMs = Math.max(spec.durationMs, lastClearMs + LIVENESS_SETTLE_MS);
  return { ...spec, durationMs, faults, failures: [], replications: 1 };
}

/** Runs one schedule (on the runner's worker thread) and judges it by the expectations and invariants. */
async function judge(
  runner: TaskRunner,
  spec: ScenarioSpec,
  expectations: readonly Expectation[],
): Promise<Verdict> {
  const [o] = await runner.run([{ kind: 'summary', spec, replication: 0 }]);
  return verdictOf(o, spec, expectations);
}

/** Judges several schedules at once (on the runner's threads); verdicts by index. */
async function judgeAll(
  runner: TaskRunner,
  specs: readonly ScenarioSpec[],
  expectations: readonly Expectation[],
): Promise<Verdict[]> {
  const outcomes = await runner.run(
    specs.map((spec) => ({ kind: 'summary', spec, replication: 0 })),
    undefined,
    { stopOnFailure: false },
  );
  return specs.map((spec, i) => verdictOf(outcomes[i], spec, expectations));
}

function verdictOf(
  o: TaskOutcome | undefined,
  spec: ScenarioSpec,
  expectations: readonly Expectation[],
): Verdict {
  if (o === undefined) throw new Error('explore: a run has no outcome');
  if (!o.ok) return { violated: ['invariant'], byDesign: [], error: o.message };
  if (o.kind !== 'summary') throw new Error('explore: unexpected task outcome');
  const row = o.row;
  const violated: string[] = [];
  const byDesign: string[] = [];
  for (const e of expectations) {
    const r = evaluate(e, [{ replication: 0, value: Number(row[e.metric as keyof typeof row]) }]);
    if (r.pass) continue;
    const why = explainedBy(e, spec.faults, spec.topology, scenarioOptions(spec));
    if (why) byDesign.push(`${e.text} <- ${why.kind}`);
    else violated.push(e.text);
  }
  if (!violated.some((x) => CONVERGENCE.includes(x))) return { violated, byDesign };
  const l = o.liveness;
  const unsettled = [
    ...l.unconvergedPairs.map((x) => `pair ${x}`),
    ...(l.orders.length > 0 ? [`orders pending ${l.orders.join(', ')}`] : []),
    ...(l.agentsOut.length > 0
      ? [`${l.agentsOut.length} agents out (${l.agentsOut.slice(0, 3).join(', ')}…)`]
      : []),
    ...(l.exemptPairs.length > 0 || l.exemptAgents > 0
      ? [
          `exempt, lost for good: pairs ${l.exemptPairs.join(', ') || 'none'}, ${l.exemptAgents} agents`,
        ]
      : []),
  ];
  return { violated, byDesign, unsettled };
}

/** Same violation: every line the original violated is still violated. */
function stillFails(v: Verdict, target: readonly string[]): boolean {
  return target.every((x) => v.violated.includes(x));
}

/** Drops faults, shortens and rounds them while the violation persists (bounded). */
export async function shrink(
  runner: TaskRunner,
  spec: ScenarioSpec,
  expectations: readonly Expectation[],
  drafts: Draft[],
  target: readonly string[],
): Promise<Draft[]> {
  let best = drafts;
  let budget = SHRINK_RUNS_MAX;
  const tryIt = async (cand: Draft[]): Promise<boolean> => {
    if (budget-- <= 0) return false;
    if (stillFails(await judge(runner, withFaults(spec, cand), expectations), target)) {
      best = cand;
      return true;
    }
    return false;
  };
  // A loss for good stays one unless the violation persists with it as long as the longest
  // transient fault explore draws (then the reproducer needs no permanence: a plainer bug).
  const transientMs = Math.round(transientSpanMs(spec.durationMs));
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (let i = best.length - 1; i >= 0 && best.length > 1; i--) {
      if (await tryIt(best.filter((_, k) => k !== i))) progress = true;
    }
    for (let i = 0; i < best.length; i++) {
      if (!isLoss(best[i]!)) continue;
      const transient = { ...best[i]!, durationMs: Math.max(2000, transientMs) };
      if (await tryIt(best.map((x, k) => (k === i ? transient : x)))) progress = true;
    }
    for (let i = 0; i < best.length; i++) {
      const f = best[i]!;
      if (f.durationMs !== undefined && f.durationMs > 2000) {
        const shorter = { ...f, durationMs: Math.round(f.durationMs / 2) };
        if (await tryIt(best.map((x, k) => (k === i ? shorter : x)))) progress = true;
      }
    }
  }
  // Whole seconds read better; keep them only if the violation stays.
  const rounded = best.map((f) => ({
    ...f,
    atMs: Math.round(f.atMs / 1000) * 1000,
    ...(f.durationMs !== undefined
      ? { durationMs: Math.max(1000, Math.round(f.durationMs / 1000) * 1000) }
      : {}),
  }));
  await tryIt(rounded);
  return best;
}

function durationText(ms: number): string {
  return ms % 1000 === 0 ? formatDuration(ms) : `${ms}ms`;
}

/** The YAML form of a drafted fault, as a user writes it. */
function faultYaml(f: Draft): Record<string, unknown> {
  const o: Record<string, unknown> = { at: durationText(f.atMs), kind: f.kind };
  if (
    f.kind === 'network-partition' ||
    f.kind === 'network-heal' ||
    f.kind === 'wan-degrade' ||
    f.kind === 'wan-restore'
  )
    o.between = f.target.split('|');
  else o.target = f.target;
  if (f.durationMs !== undefined) o.duration = durationText(f.durationMs);
  if (f.kind === 'cti-link-down' || f.kind === 'cti-link-up') o.link = f.link;
  if ((f.kind === 'cti-link-down' || f.kind === 'switch-link-down') && f.silent) o.silent = true;
  if (f.kind === 'phone-unregister') o.share = f.share;
  if (f.kind === 'agent-logout') {
    o.share = f.share;
    o.reason = f.reason;
  }
  if (f.kind === 'wan-degrade') {
    if (f.latencyMs > 0) o.latency = durationText(f.latencyMs);
    if (f.loss > 0) o.loss = f.loss;
  }
  return o;
}

/**
 * The lines explore judges: the scenario's, but those asserting the harm of its own faults
 * (which explore replaces: they say nothing then), and the convergence invariants.
 */
function judgedLines(spec: ScenarioSpec): { notJudged: string[]; expectations: Expectation[] } {
  const notJudged = spec.expect.filter(assertsHarm).map((e) => e.text);
  const expectations = spec.expect.filter((e) => !assertsHarm(e));
  const texts = new Set(expectations.map((e) => e.text));
  for (const line of CONVERGENCE) {
    if (texts.has(line)) continue;
    const [metric, op, value] = line.split(' ');
    expectations.push({ text: line, metric: metric!, op: op as '==', value: Number(value) });
  }
  return { notJudged, expectations };
}

/** A reproducing scenario, to be written as `outDir/repro-K.yaml` (its topology path relative to it). */
export function reproYaml(
  spec: ScenarioSpec,
  outDir: string,
  k: number,
  drafts: Draft[],
  violated: string[],
  error: string | undefined,
  unsettled?: readonly string[],
): string {
  const doc = parseDocument(readFileSync(spec.file, 'utf8'));
  const file = join(outDir, reproName(k));
  const topo = relative(dirname(resolve(file)), resolve(spec.topology.file));
  doc.set('name', `${spec.name}-repro-${k}`);
  doc.set('topology', topo);
  doc.set('seed', spec.seed);
  doc.set('replications', 1);
  doc.delete('failures');
  doc.set('faults', drafts.map(faultYaml));
  doc.set('duration', durationText(withFaults(spec, drafts).durationMs)); // with the liveness phase
  // The lines explore judged (not those asserting the harm of the faults it replaced).
  const { expectations } = judgedLines(spec);
  const lines = expectations.map((e) => e.text);
  doc.set('expect', lines);
  const why = error ? `the simulator's invariant: ${error}` : violated.join('; ');
  const detail = (unsettled ?? []).map((x) => `\n   ${x}`).join('');
  const lost = drafts.some(isLoss)
    ? '\n A fault with no duration is a loss for good: liveness judges what survives it.'
    : '';
  doc.commentBefore = ` Found by ccsim explore from ${spec.file} (seed ${spec.seed}).\n Violates: ${why}${detail}${lost}\n Replay: ${REPLAY_PREFIX} check ${shellWord(file)}`;
  return doc.toString();
}

function reproName(k: number): string {
  return `repro-${k}.yaml`;
}

export async function exploreCommand(
  file: string,
  flags: ExploreFlags,
  argv: readonly string[] = [],
): Promise<number> {
  const spec = loadScenario(file, flags.seed === undefined ? {} : { seed: flags.seed });
  const { notJudged, expectations } = judgedLines(spec);
  const outDir = flags.out ?? join('reports', `${spec.name}--explore`);
  // The directory is replaced whole at the end (reproducers of an earlier explore go): only one
  // ccsim wrote, and only when it can be written.
  preflightOut(outDir);
  // Schedules follow from the seed and what the files say, not how their paths are spelled.
  const rng = new Stream(`ccsim-explore:${spec.seed}:${spec.digest}:${spec.topology.digest}`);
  const pool = candidates(spec);
  const permanent = flags.permanent ?? 0;
  let withLoss = 0;
  const quiet = flags.quiet || flags.json;
  const log = (s: string) => {
    if (!quiet) process.stdout.write(`${s}\n`);
  };

  const t0 = process.hrtime.bigint();
  const files = new Map<string, string>();
  const found: { file: string; violated: string[]; faults: string }[] = [];
  const coverage = new Map<string, number>();
  const byDesign = new Map<string, number>();
  const known = new Set<string>();
  const threads = threadsFor(flags.workers ?? 1, flags.runs);
  await withRunner(threads, async (runner) => {
    // The scenario as written must pass the invariants, or every schedule would "fail".
    const baseline = await judge(runner, withFaults(spec, spec.faults), expectations);
    for (const v of baseline.violated) known.add(v);
    if (known.size > 0)
      log(
        chalk.yellow(
          `note: the scenario as written already violates: ${[...known].join('; ')} (not counted)`,
        ),
      );
    const seen = new Set<string>();
    const bar = progressBar('explore', flags.runs, { quiet });
    try {
      // Schedules are drawn and judged a batch at a time (one thread per schedule), then read in
      // index order: coverage, verdicts and shrinking are those of one schedule after another.
      const batchMax = threads * EXPLORE_BATCH_PER_THREAD;
      for (let start = 0; start < flags.runs; start += batchMax) {
        const batch: Draft[][] = [];
        for (let i = start; i < Math.min(flags.runs, start + batchMax); i++) {
          const transient = drawSchedule(spec, rng.fork(`run-${i}`), pool);
          const loss = drawLoss(spec, rng.fork(`loss-${i}`), permanent, transient);
          if (loss.length > 0) withLoss++;
          const drafts = [...transient, ...loss].sort((a, b) => a.atMs - b.atMs);
          drafts.forEach((f, k) => {
            const key = `${f.kind}\u0000${f.target}\u0000${phaseOf(f, drafts.slice(0, k))}`;
            coverage.set(key, (coverage.get(key) ?? 0) + 1);
          });
          batch.push(drafts);
        }
        const verdicts = await judgeAll(
          runner,
          batch.map((drafts) => withFaults(spec, drafts)),
          expectations,
        );
        for (let j = 0; j < batch.length; j++) {
          const drafts = batch[j]!;
          const v = verdicts[j]!;
          const fresh = v.violated.filter((x) => !known.has(x));
          for (const x of v.byDesign) byDesign.set(x, (byDesign.get(x) ?? 0) + 1);
          bar.increment();
          if (fresh.length === 0) continue;
          const sig = [...fresh].sort().join('|');
          if (seen.has(sig)) continue;
          seen.add(sig);
          const small = await shrink(runner, spec, expectations, drafts, fresh);
          const final = await judge(runner, withFaults(spec, small), expectations);
          const violated = final.violated.filter((x) => !known.has(x));
          const k = found.length + 1;
          files.set(
            reproName(k),
            reproYaml(spec, outDir, k, small, violated, final.error, final.unsettled),
          );
          found.push({
            file: join(outDir, reproName(k)),
            violated: fresh,
            faults: small.map((f) => `${f.kind} ${f.target}`).join(', '),
          });
        }
      }
    } finally {
      bar.stop();
    }
  });
  files.set('coverage.csv', coverageCsv(coverage));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  files.set(
    'run.json',
    `${JSON.stringify(
      {
        version: VERSION,
        command: ['ccsim', ...argv],
        ...scenarioIdentity(spec),
        runs: flags.runs,
        permanent,
        runs_with_loss: withLoss,
        violations: found.map((f) => ({ file: basename(f.file), violated: f.violated })),
        wall_s: wallS,
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
  // A signal that came during the runs is handled here, before anything is written.
  await yieldToLoop();
  writeReportDir(outDir, files);
  for (const f of found) {
    log(
      `${chalk.red('violation')} ${f.violated.join('; ')} — ${f.faults.split(', ').length} fault(s) after shrinking: ${f.faults}`,
    );
    log(`  replay: ${REPLAY_PREFIX} check ${shellWord(f.file)}`);
  }
  log(coverageSummary(pool, coverage));
  if (notJudged.length > 0)
    log(
      `not judged (they assert the harm of the scenario's own faults, which explore replaces): ${notJudged.join('; ')}`,
    );
  if (byDesign.size > 0) {
    log('expected by the drawn fault (its mechanism moves the metric; not counted):');
    for (const k of [...byDesign.keys()].sort())
      log(`  ${k}: ${byDesign.get(k)} run(s) — ${whyOf(k)}`);
  }
  if (flags.json) {
    const json = {
      scenario: spec.name,
      seed: spec.seed,
      runs: flags.runs,
      permanent,
      runs_with_loss: withLoss,
      out: outDir,
      known_violations: [...known],
      not_judged: notJudged,
      by_design: [...byDesign.keys()].sort().map((k) => ({
        outcome: k,
        runs: byDesign.get(k),
        why: whyOf(k),
      })),
      violations: found.map((f) => ({
        ...f,
        replay: `${REPLAY_PREFIX} check ${shellWord(f.file)}`,
      })),
      coverage: [...coverage.keys()].sort().map((k) => {
        const [kind, target, phase] = k.split('\u0000');
        return { kind, target, phase, runs: coverage.get(k) };
      }),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
  if (permanent > 0)
    log(
      `${withLoss} of ${flags.runs} schedules lost a site, a host or a pair's hosts for good (--permanent ${permanent}); liveness judged what survived`,
    );
  log(
    found.length > 0
      ? chalk.red(`${found.length} violation(s) in ${flags.runs} runs; reproducers in ${outDir}`)
      : chalk.green(`no violation (invariants and liveness hold) in ${flags.runs} runs`),
  );
  return found.length > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The mechanism behind `line <- kind` (explore-judge.ts). */
function whyOf(outcome: string): string {
  const [line, kind] = outcome.split(' <- ') as [string, FaultKind];
  const metric = /^(?:\w+\()?(\w+)/.exec(line)?.[1] ?? '';
  return mechanismOf(metric, kind);
}

function coverageCsv(coverage: Map<string, number>): string {
  const keys = [...coverage.keys()].sort(compareStrings);
  return csv(
    ['kind', 'target', 'phase', 'runs'],
    keys.map((k) => [...k.split('\u0000'), coverage.get(k)!]),
  );
}

function coverageSummary(pool: Candidate[], coverage: Map<string, number>): string {
  const lines = ['coverage (targets tried / targets, by phase):'];
  for (const c of pool) {
    const tried = new Set<string>();
    const phases = new Map<string, number>();
    for (const [k, n] of coverage) {
      const [kind, target, phase] = k.split('\u0000');
      if (kind !== c.kind) continue;
      tried.add(target!);
      phases.set(phase!, (phases.get(phase!) ?? 0) + n);
    }
    const ph = [...phases.entries()]
      .sort()
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    lines.push(
      `  ${c.kind.padEnd(18)} ${String(tried.size).padStart(3)}/${String(c.targets.length).padEnd(3)} ${ph}`,
    );
  }
  return lines.join('\n');
}
