// Child process of the model benchmarks: runs one scenario end to end (load, simulate, write the
// report directory) and prints one JSON line with its own peak memory. Wall time of the whole
// process (Node start-up included) is measured by the parent.
// usage: node dist/bench/model-child.js <scenario> <outDir> [--set K=V]...

import { loadScenario } from '../src/scenario/load.js';
import { buildFiles, runOne } from '../src/cli/execute.js';
import { writeReportDir } from '../src/report/write.js';

const [file, out, ...rest] = process.argv.slice(2);
const sets: string[] = [];
for (let i = 0; i < rest.length; i++) if (rest[i] === '--set') sets.push(rest[++i]!);
const t0 = process.hrtime.bigint();
const spec = loadScenario(file!, { sets });
const rep = runOne(spec, 0);
const simWall = Number(process.hrtime.bigint() - t0) / 1e9;
// What the run still holds once it is over (run with --expose-gc): per-call history would show.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const retainedMb = process.memoryUsage().heapUsed / 1024 / 1024;
writeReportDir(out!, buildFiles(spec, [rep]).files);
process.stdout.write(
  `${JSON.stringify({
    events: rep.result.events,
    sim_s: rep.result.simMs / 1000,
    sim_wall_s: simWall,
    calls: rep.result.counters.calls_offered ?? 0,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    retained_heap_mb: retainedMb,
  })}\n`,
);
