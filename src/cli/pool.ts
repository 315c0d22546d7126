// Runs tasks (replications) on worker threads, or in this thread. Outcomes are collected by task
// index, never by completion order, so every output is byte-identical whatever the number of
// workers. Workers load the compiled dist/src/cli/worker.js. The CLI runs even --workers 1 on one
// worker thread: a replication is one synchronous loop, and only a main thread that is free can
// answer Ctrl-C or SIGTERM at once.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import Tinypool from 'tinypool';
import type { ScenarioSpec } from '../spec/types.js';
import type { RenderedReplication } from '../report/render.js';
import type { SummaryRow } from '../report/summary.js';
import { RunFailure } from './errors.js';
import { InputError } from '../scenario/errors.js';
import type { Progress } from './progress.js';
import { executeTask, type Task, type TaskOutcome } from './tasks.js';

/** Most worker threads (a bound on a user-given number). */
export const WORKERS_MAX = 256;

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // From sources (tests importing src/), use the build output of the same tree.
  return here.endsWith('.ts')
    ? join(dirname(here), '../../dist/src/cli/worker.js')
    : join(dirname(here), 'worker.js');
}

/** The compiled worker module, next to this module once built (dist/src/cli/worker.js). */
export function workerUrl(): string {
  const file = workerFile();
  if (!existsSync(file))
    throw new Error(`--workers needs the compiled CLI: ${file} is missing (run npm run build)`);
  return pathToFileURL(file).href;
}

/** Threads worth starting for `tasks` tasks with `--workers requested`: never more than the machine's cores. */
export function threadsFor(requested: number, tasks: number): number {
  return Math.max(1, Math.min(requested, WORKERS_MAX, availableParallelism(), tasks));
}

export interface TaskRunnerOptions {
  /**
   * Run even a single worker's tasks on a worker thread (when the compiled worker exists), so
   * that this thread stays free for signals. The CLI sets it; library callers need not.
   */
  offThread?: boolean;
}

export interface RunOptions {
  /** Drop the tasks not yet started after a failure (default true). */
  stopOnFailure?: boolean;
  /**
   * Sees each successful outcome as it lands (in completion order) and returns what to keep of
   * it by index (a run keeps a stub once the replication's records are written).
   */
  onSuccess?: (index: number, outcome: TaskOutcome & { ok: true }) => TaskOutcome;
}

/**
 * Runs tasks on up to `workers` threads (capped at the machine's cores and the number of tasks),
 * or in this thread when one would do and offThread is not asked for. The pool starts at the
 * first call that needs it and lives until close().
 */
export class TaskRunner {
  private pool: Tinypool | undefined;
  private poolThreads = 0;

  constructor(
    readonly workers: number,
    private readonly opts: TaskRunnerOptions = {},
  ) {}

  /**
   * Runs every task and returns the outcomes by task index. After a failure, tasks not yet
   * started are dropped (their outcome is undefined) unless stopOnFailure is false; tasks start
   * in index order, so the first failure by index is the one a sequential run would stop at.
   */
  async run(
    tasks: readonly Task[],
    progress?: Progress,
    opts: RunOptions = {},
  ): Promise<(TaskOutcome | undefined)[]> {
    const stopOnFailure = opts.stopOnFailure ?? true;
    const settle = (i: number, o: TaskOutcome): void => {
      outcomes[i] = o.ok && opts.onSuccess !== undefined ? opts.onSuccess(i, o) : o;
    };
    const outcomes = new Array<TaskOutcome | undefined>(tasks.length).fill(undefined);
    const threads = threadsFor(this.workers, tasks.length);
    const offThread = this.opts.offThread === true && existsSync(workerFile());
    if (tasks.length === 0 || (threads <= 1 && !offThread)) {
      for (let i = 0; i < tasks.length; i++) {
        const o = executeTask(tasks[i]!);
        settle(i, o);
        progress?.increment();
        if (!o.ok && stopOnFailure) break;
        if (progress?.active) await yieldToLoop(); // let the bar redraw
      }
      return outcomes;
    }
    if (this.pool !== undefined && this.poolThreads < threads) await this.close();
    if (this.pool === undefined) {
      this.pool = new Tinypool({ filename: workerUrl(), minThreads: threads, maxThreads: threads });
      this.poolThreads = threads;
    }
    const pool = this.pool;
    let failed = false;
    await Promise.all(
      tasks.map(async (task, i) => {
        let o: TaskOutcome;
        try {
          o = (await pool.run(task)) as TaskOutcome;
        } catch (e) {
          if (failed) return; // cancelled after an earlier failure
          throw e;
        }
        settle(i, o);
        progress?.increment();
        if (!o.ok && !failed && stopOnFailure) {
          failed = true;
          pool.cancelPendingTasks();
        }
      }),
    );
    return outcomes;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool !== undefined) await pool.destroy();
  }
}

/** Runs `body` with a TaskRunner of `workers` threads, closing it however body ends. */
export async function withRunner<T>(
  workers: number,
  body: (runner: TaskRunner) => Promise<T>,
  opts: TaskRunnerOptions = { offThread: true },
): Promise<T> {
  const runner = new TaskRunner(workers, opts);
  try {
    return await body(runner);
  } finally {
    await runner.close();
  }
}

function failureOf(
  outcomes: readonly (TaskOutcome | undefined)[],
): { index: number; message: string; limit: boolean } | undefined {
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    if (o !== undefined && !o.ok)
      return { index: i, message: o.message, limit: o.error === 'SimLimitError' };
  }
  return undefined;
}

/**
 * A run that hit a bound protecting memory and time (events pending, queue length): the input is
 * too big — invalid input (SPEC §2: exit 2), never an invariant failure. `run`, `check`, `sweep`
 * and `explore` say it alike.
 */
export function limitError(spec: ScenarioSpec, replication: number, message: string): InputError {
  return new InputError([
    {
      file: spec.file,
      path: '',
      message: `the run outgrew a bound of ccsim (seed ${spec.seed} replication ${replication}): ${message}`,
      hint: 'lower the load (calls-per-hour against agents and patience, failures) or shorten the duration',
    },
  ]);
}

/** One replication of one scenario, as a work item. */
export interface WorkItem {
  spec: ScenarioSpec;
  replication: number;
}

/** A result with the wall time its replication took (for run.json only). */
export interface Timed<T> {
  value: T;
  wallS: number;
}

export type Replay = (spec: ScenarioSpec, replication: number) => string;

/**
 * Runs replications for the report files and hands each to `deliver` in item order as soon as it
 * and every item before it have ended (whatever order the workers finish in), keeping nothing of
 * it after; an invariant failure throws RunFailure with its replay.
 */
export async function streamReplicationItems(
  runner: TaskRunner,
  items: readonly WorkItem[],
  replay: Replay,
  deliver: (index: number, r: Timed<RenderedReplication>) => void,
  progress?: Progress,
): Promise<void> {
  const waiting = new Map<number, Timed<RenderedReplication>>();
  let next = 0;
  const outcomes = await runner.run(
    items.map((it) => ({ kind: 'replication', ...it })),
    progress,
    {
      onSuccess: (i, o) => {
        if (o.kind !== 'replication') throw new Error('streamReplicationItems: not a replication');
        waiting.set(i, { value: o.rendered, wallS: o.wallS });
        for (let r = waiting.get(next); r !== undefined; r = waiting.get(next)) {
          waiting.delete(next);
          deliver(next++, r);
        }
        return DELIVERED;
      },
    },
  );
  throwFirstFailure(items, outcomes, replay);
  if (next !== items.length) throw new Error('streamReplicationItems: a task has no outcome');
}

/** What the runner keeps of a replication handed on. */
const DELIVERED: TaskOutcome = { ok: true, kind: 'delivered' };

/** Runs replications for the report files; an invariant failure throws RunFailure with its replay. */
export async function runReplicationItems(
  runner: TaskRunner,
  items: readonly WorkItem[],
  replay: Replay,
  progress?: Progress,
): Promise<Timed<RenderedReplication>[]> {
  const out: Timed<RenderedReplication>[] = [];
  await streamReplicationItems(runner, items, replay, (_, r) => out.push(r), progress);
  return out;
}

/** Runs replications for their summary rows only (sweep). */
export async function runSummaryItems(
  runner: TaskRunner,
  items: readonly WorkItem[],
  replay: Replay,
  progress?: Progress,
): Promise<Timed<SummaryRow>[]> {
  const outcomes = await runner.run(
    items.map((it) => ({ kind: 'summary', ...it })),
    progress,
  );
  throwFirstFailure(items, outcomes, replay);
  return outcomes.map((o) => {
    if (o === undefined || !o.ok || o.kind !== 'summary')
      throw new Error('runSummaryItems: a task has no outcome');
    return { value: o.row, wallS: o.wallS };
  });
}

function throwFirstFailure(
  items: readonly WorkItem[],
  outcomes: readonly (TaskOutcome | undefined)[],
  replay: Replay,
): void {
  const f = failureOf(outcomes);
  if (f === undefined) return;
  const { spec, replication } = items[f.index]!;
  if (f.limit) throw limitError(spec, replication, f.message);
  throw new RunFailure(
    `${spec.file} seed ${spec.seed} replication ${replication}: ${f.message}`,
    replay(spec, replication),
  );
}
