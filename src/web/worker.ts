// The what-if's Web Worker: validates the scenario with the overrides (as `ccsim run --set`
// does), runs the report's replications with the same code as the command line
// (src/cli/execute.ts) and sends back the report files, with progress on the way.

import { runOne } from '../cli/execute.js';
import { assembleFiles, renderReplication, type RenderedReplication } from '../report/render.js';
import { InputError, formatIssue } from '../scenario/errors.js';
import {
  scenarioFromDocuments,
  type ResolveOptions,
  type ScenarioDocuments,
} from '../scenario/resolve.js';

export interface RunRequest {
  docs: ScenarioDocuments;
  opts: ResolveOptions;
  /** Replication numbers to run (those of the report). */
  replications: number[];
}

export type WorkerReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; files: [string, string][] }
  | { type: 'error'; messages: string[] };

/** The part of a worker's global scope used here. */
export interface WorkerScope {
  onmessage: ((e: { data: RunRequest }) => void) | null;
  postMessage(m: WorkerReply): void;
}

/** Progress messages per replication: at most this many. */
const PROGRESS_STEPS = 50;

export function runRequest(req: RunRequest, post: (m: WorkerReply) => void): void {
  let spec;
  try {
    spec = scenarioFromDocuments(req.docs, req.opts);
  } catch (e) {
    if (e instanceof InputError) {
      post({ type: 'error', messages: e.issues.map((i) => `error ${formatIssue(i)}`) });
      return;
    }
    throw e;
  }
  const total = req.replications.length;
  const step = spec.durationMs / PROGRESS_STEPS;
  // Each replication rendered as it ends: the page holds its records as text, not its output.
  const reps: RenderedReplication[] = [];
  req.replications.forEach((r, i) => {
    let next = step;
    post({ type: 'progress', done: i, total });
    const out = runOne(spec, r, (tMs) => {
      if (tMs < next) return;
      next = (Math.floor(tMs / step) + 1) * step;
      post({ type: 'progress', done: i + Math.min(1, tMs / spec.durationMs), total });
    });
    reps.push(renderReplication(spec, out));
  });
  post({ type: 'progress', done: total, total });
  const { files } = assembleFiles(spec, reps);
  post({ type: 'done', files: [...files] });
}

export function startWorker(scope: WorkerScope): void {
  scope.onmessage = (e) => {
    try {
      runRequest(e.data, (m) => scope.postMessage(m));
    } catch (err) {
      scope.postMessage({
        type: 'error',
        messages: [`error ${err instanceof Error ? err.message : String(err)}`],
      });
    }
  };
}
