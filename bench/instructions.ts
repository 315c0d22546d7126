// A fixed amount of work to count instructions of (issue 21): on a shared machine wall times
// move 2–5× with the load, instruction counts do not. Run under callgrind, twice with two
// values of N; the difference is N's warm work alone (start-up, loading and the cold run cancel).
// usage: valgrind --tool=callgrind node --single-threaded dist/bench/instructions.js MODE N
//   day: bench-day replication 0 (cold), then replications 1..N (runOne, as percall times them)
//   nofaults: the same with bench-day's fault list emptied (the faults' share: day − nofaults)
//   fixed: the same at 1 call an hour and no T-Server traffic, the faults kept: the work a
//          replication does whatever its calls (Δinstructions / ΔN a replication)
//   mmc: N runs of the bench's M/M/c (bench/mmc.ts defaults)
// Prints the calls of the counted part: instructions per call = Δinstructions / Δcalls.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOne } from '../src/cli/execute.js';
import { loadScenario } from '../src/scenario/load.js';
import { MMC_DEFAULTS, runMmc } from './mmc.js';
import { DAY_LOW_TRAFFIC_SETS, DAY_SCENARIO } from './throughput.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..'); // dist/bench → repo root
const [what, nArg] = process.argv.slice(2);
const n = Number(nArg);
const MODES = ['day', 'nofaults', 'fixed', 'mmc'];
if (!(Number.isInteger(n) && n >= 1) || !MODES.includes(what ?? '')) {
  process.stderr.write(`usage: instructions.js ${MODES.join('|')} N (N >= 1)\n`);
  process.exit(2);
}
let calls = 0;
if (what !== 'mmc') {
  const loaded = loadScenario(path.join(repoRoot, DAY_SCENARIO), {
    sets: what === 'fixed' ? DAY_LOW_TRAFFIC_SETS : [],
  });
  const spec = what === 'nofaults' ? { ...loaded, faults: [] } : loaded;
  runOne(spec, 0);
  for (let r = 1; r <= n; r++) calls += runOne(spec, r).result.counters.calls_offered ?? 0;
} else {
  for (let i = 0; i < n; i++) calls += runMmc(MMC_DEFAULTS).calls;
}
process.stdout.write(`${JSON.stringify({ bench: `instructions-${what}`, n, calls })}\n`);
