// Preload (node --import) for the benchmarks: at exit, writes the process's peak resident set
// (KiB, worker threads included: they share the process; they inherit the preload, and skip it) to the file CCSIM_BENCH_PEAK_RSS names.

import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.CCSIM_BENCH_PEAK_RSS;
if (isMainThread && file !== undefined && file !== '') {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
