// Worker-thread entry of the pool (src/cli/pool.ts): runs one task. Loaded from the compiled
// file dist/src/cli/worker.js — Node 20 worker threads cannot load TypeScript.

import { executeTask, type Task, type TaskOutcome } from './tasks.js';

export default function runTask(task: Task): TaskOutcome {
  return executeTask(task);
}
